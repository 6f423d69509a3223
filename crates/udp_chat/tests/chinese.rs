//! udp_chat and its reply examples in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::io::{BufRead, BufReader, Write};
use std::net::UdpSocket;
use std::process::{Child, ChildStdout, Command, Stdio};

use netcommon::testing::{command, example};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");

/// The program, in Chinese.
fn zh(exe: &str) -> Command {
    let mut cmd = command(exe);
    cmd.env("NET_LESSONS_LANG", "zh");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Starts a server-like program with piped stdin and stdout; returns it, its stdout and the
/// address of its `listening on IP:PORT` line (the same line in both languages).
fn start(exe: &str, args: &[&str]) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = zh(exe)
        .args(args)
        .stdin(Stdio::piped())
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
        .to_string();
    (child, stdout, addr)
}

#[test]
fn help_is_chinese() {
    for exe in [
        EXE.to_string(),
        example("udp_reply_client_002"),
        example("udp_reply_server_002"),
        example("udp_reply_client_003"),
        example("udp_reply_server_003"),
    ] {
        let out = zh(&exe).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(text(&out.stdout).starts_with("用法："), "{exe}: {out:?}");
    }
}

#[test]
fn choice_2_prints_the_message_as_the_notes_do() {
    let (mut chat, stdout, addr) = start(EXE, &["--bind", "127.0.0.1:0"]);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to("你好".as_bytes(), &addr).unwrap();
    // The datagram waits in the socket's buffer until choice 2.
    chat.stdin.take().unwrap().write_all(b"2\n3\n").unwrap();
    let rest: Vec<String> = stdout.lines().map(Result::unwrap).collect();
    assert!(chat.wait().unwrap().success());
    let from = peer.local_addr().unwrap();
    // print(">>>%s:%s" % (str(recv_ip), recv_msg)), after the prompt (no newline typed here)
    let line = format!("请输入要操作的功能序号:>>>{from}:你好");
    assert!(rest.contains(&line), "{rest:?}");
}

#[test]
fn a_message_too_long_says_the_limit_and_the_chat_goes_on() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap(); // never reads
    let port = peer.local_addr().unwrap().port();
    let message = "x".repeat(70_000);
    let stdin = format!("1\n{message}\n127.0.0.1\n{port}\n3\n");
    let mut chat = zh(EXE)
        .args(["--bind", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    chat.stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = chat.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("无法发送到"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.ends_with(&format!(
            "无法发送到 127.0.0.1:{port}：数据报太长：一个 UDP 数据报最多 65,507 字节，\
             一次少发一点（系统错误码 90）"
        )) || !cfg!(target_os = "linux"),
        "{line}"
    );
    assert!(line.contains("65,507"), "{line}");
}

#[test]
fn a_port_taken_or_an_address_not_ours_says_what_to_do() {
    let busy = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = zh(EXE)
        .args(["--bind", &addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("错误：绑定 {addr}：端口已被占用")),
        "{stderr}"
    );
    assert!(stderr.contains("--bind"), "{stderr}");

    // 192.0.2.1 (TEST-NET-1) is never this machine's: binding fails, nothing is sent.
    let out = zh(EXE)
        .args(["--bind", "192.0.2.1:0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("错误：绑定 192.0.2.1:0：这个 IP 地址不是本机的地址：用 127.0.0.1"),
        "{stderr}"
    );
}

#[test]
fn the_002_server_prints_the_sender_then_the_data() {
    let (mut server, mut stdout, addr) = start(&example("udp_reply_server_002"), &["127.0.0.1:0"]);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to("你好".as_bytes(), &addr).unwrap();
    // print("%s" % str(adder)); print("%s" % data.decode())
    let mut lines = String::new();
    stdout.read_line(&mut lines).unwrap();
    stdout.read_line(&mut lines).unwrap();
    assert_eq!(lines, format!("{}\n你好\n", peer.local_addr().unwrap()));
    drop(server.stdin.take()); // end of input ends the server
    assert!(server.wait().unwrap().success());
}

#[test]
fn the_003_client_with_no_server_says_what_to_do() {
    // A port nobody listens on: the system answers "port unreachable".
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("127.0.0.1:{port}");
    let mut client = zh(&example("udp_reply_client_003"))
        .args(["--timeout", "2", &server])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    client.stdin.take().unwrap().write_all(b"hi\n").unwrap();
    let out = client.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("错误："), "{stderr}");
    assert!(
        stderr.contains(&format!("{server} 上没有程序在监听：先启动服务器"))
            || stderr.contains("秒内没有收到"),
        "{stderr}"
    );
}
