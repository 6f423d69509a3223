//! word_lookup in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::io::{BufRead, BufReader, Write};
use std::net::UdpSocket;
use std::process::{Command, Stdio};

use netcommon::testing::command;

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");

/// The program, in Chinese.
fn zh() -> Command {
    let mut cmd = command(EXE);
    cmd.env("NET_LESSONS_LANG", "zh");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_is_chinese() {
    let out = zh().arg("--help").stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        text(&out.stdout).starts_with("用法：word_lookup"),
        "{out:?}"
    );
}

#[test]
fn the_client_prints_response_as_the_notes_client_does() {
    let mut server = zh()
        .args(["server", "--bind", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    log.read_line(&mut line).unwrap();
    let addr = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .trim()
        .to_string();
    line.clear();
    log.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("单词本里有 ") && line.ends_with(" 个单词\n"),
        "{line:?}"
    );

    // At the notes' prompt Msg>>>, one word, then an empty line ends the client.
    let mut client = zh()
        .args(["client", &addr])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    client
        .stdin
        .take()
        .unwrap()
        .write_all(b"socket\n\n")
        .unwrap();
    let out = client.wait_with_output().unwrap();
    // print("Response: ", data.decode())
    assert_eq!(
        text(&out.stdout),
        "Msg>>> Response:  socket: n. 套接字；插座\nMsg>>> ",
        "{out:?}"
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    line.clear();
    log.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("来自 127.0.0.1:")
            && line.ends_with("的查询：\"socket\" -> socket: n. 套接字；插座\n"),
        "{line:?}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn errors_say_what_to_do() {
    // The server's port taken.
    let busy = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = zh()
        .args(["server", "--bind", &addr])
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

    // No server at all: the client says so, and what to start.
    let port = busy.local_addr().unwrap().port();
    drop(busy);
    let out = zh()
        .args([
            "client",
            "--timeout",
            "2",
            &format!("127.0.0.1:{port}"),
            "socket",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("错误："), "{stderr}");
    assert!(
        stderr.contains("word_lookup server") || stderr.contains("秒内没有收到"),
        "{stderr}"
    );
}
