//! udp_receiver in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Command, Stdio};

use netcommon::testing::command;

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

/// The program, in Chinese, with an empty stdin.
fn zh() -> Command {
    let mut cmd = command(EXE);
    cmd.env("NET_LESSONS_LANG", "zh").stdin(Stdio::null());
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_is_chinese() {
    let out = zh().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        text(&out.stdout).starts_with("用法：udp_receiver"),
        "{out:?}"
    );
}

#[test]
fn a_datagram_is_printed_as_the_notes_print_it() {
    let mut child = zh()
        .args(["--bind", "127.0.0.1:0", "--count", "1", "--reply", "谢谢"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first:?}"))
        .trim()
        .to_string(); // the same line in both languages
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(netcommon::testing::TIMEOUT))
        .unwrap();
    peer.send_to("你好".as_bytes(), &addr).unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let from = peer.local_addr().unwrap();
    assert_eq!(line, format!("收到来自 {from} 的数据:你好\n"));
    let mut buf = [0; 64];
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], "谢谢".as_bytes());
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_port_taken_says_what_to_do() {
    let busy = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = zh().args(["--bind", &addr]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("错误：绑定 {addr}：端口已被占用")),
        "{stderr}"
    );
    assert!(stderr.contains("--bind"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
