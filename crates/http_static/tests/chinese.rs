//! The real http_static in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! access-log line as SPEC fixes it, `--dump` (notes 004 2.3.4), the request viewer's
//! `Connect From` (the notes' own words, in both languages), `--help`, and errors that say what
//! to do.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use lesson_testing::{check_chinese_port_taken, example, in_chinese, run, Program, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");

/// A program of this crate in Chinese, serving on a free port.
fn server(exe: &str, args: &[&str]) -> (Program, SocketAddr) {
    in_chinese(|| Program::server(exe, &[&["--bind", "127.0.0.1:0"][..], args].concat()))
}

/// Sends `request` on a new connection and reads the answer to the end; returns our address
/// and the answer.
fn ask(addr: SocketAddr, request: &str) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    (s.local_addr().unwrap().to_string(), answer)
}

#[test]
fn dump_and_access_log_in_chinese() {
    let (mut server, addr) = server(EXE, &["--dump"]);
    let request = "GET /files/hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    let (me, answer) = ask(addr, request);
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(server.next_line(), format!("{me} 发来的请求："));
    assert_eq!(server.next_line(), "GET /files/hello.txt HTTP/1.1");
    assert_eq!(server.next_line(), "Host: t");
    assert_eq!(server.next_line(), "Connection: close");
    assert_eq!(server.next_line(), "");
    // SPEC's access-log line, the same in both languages.
    assert_eq!(
        server.next_line(),
        format!("{me} \"GET /files/hello.txt HTTP/1.1\" 200 140")
    );
    // The browser's error page stays HTTP's (its reason phrases are protocol).
    let (_, answer) = ask(
        addr,
        "GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert!(String::from_utf8_lossy(&answer).contains("<h1>404 Not Found</h1>"));
}

#[test]
fn the_notes_request_viewer_and_fake_response_in_chinese() {
    // print("Connect From", addr): the notes' own words, kept in Chinese too.
    let (mut viewer, addr) = server(&example("request_viewer"), &[]);
    let (me, _) = ask(addr, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(viewer.next_line(), format!("Connect From {me}"));
    assert_eq!(viewer.next_line(), "GET / HTTP/1.1");

    let (mut fake, addr) = server(&example("fake_response"), &[]);
    assert_eq!(
        fake.next_line(),
        "响应体用 GBK 是 20 字节，用 UTF-8 是 22 字节"
    );
    let (me, answer) = ask(addr, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n"));
    assert_eq!(fake.next_line(), format!("{me} \"GET / HTTP/1.1\" 200 20"));
}

#[test]
fn help_and_errors_in_chinese() {
    let help = in_chinese(|| run(EXE, &["--help"], ""));
    assert_eq!(help.code, Some(0));
    assert!(help
        .stdout
        .starts_with("用法：http_static [--bind 127.0.0.1:8888]"));
    for name in ["request_viewer", "fake_response"] {
        let help = in_chinese(|| run(&example(name), &["--help"], ""));
        assert!(help.stdout.starts_with(&format!("用法：{name}")));
    }

    let bad = in_chinese(|| run(EXE, &["--threads", "0"], ""));
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.starts_with("错误：--threads 至少是 1\n\n用法："));

    // The port taken: who to stop, or --bind another.
    check_chinese_port_taken(EXE, &[], false);

    // A root folder that is not there: say which option to fix.
    let out = in_chinese(|| {
        run(
            EXE,
            &["--root", "/no/such/folder", "--bind", "127.0.0.1:0"],
            "",
        )
    });
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out
        .stderr
        .starts_with("错误：根目录 /no/such/folder（用 --root 给一个存在的文件夹）：找不到"));
}
