//! The real wiretap binary between a client and a server of the test's own, over loopback.

use netcommon::again;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;

use lesson_testing::{
    check_command_line, command, python, run, Peer, Program, TempDir, UdpPeer, NOTES_PY, TIMEOUT,
};

const EXE: &str = env!("CARGO_BIN_EXE_wiretap");

/// A TCP server on 127.0.0.1 that serves each connection with `serve`, in a thread of its own.
fn server(serve: fn(TcpStream)) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            conn.set_read_timeout(Some(TIMEOUT)).unwrap();
            thread::spawn(move || serve(conn));
        }
    });
    addr
}

/// Sends back every chunk until the client closes.
fn echo(mut conn: TcpStream) {
    let mut buf = [0; 4096];
    while let Ok(n @ 1..) = again(|| conn.read(&mut buf)) {
        if conn.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}

/// The wiretap in front of `target`, with `options` first; returns it and where it listens.
fn wiretap(options: &[&str], target: SocketAddr) -> (Program, SocketAddr) {
    let target = target.to_string();
    let mut args = options.to_vec();
    args.extend(["127.0.0.1:0", &target]);
    Program::server(EXE, &args)
}

#[test]
fn bytes_pass_unchanged_both_ways_and_each_chunk_is_shown() {
    let (mut tap, addr) = wiretap(&[], server(echo));
    let mut client = Peer::connect(addr);
    client.send(b"hello");
    client.expect(b"hello");
    tap.expect("connected; connected to the server 127.0.0.1:");
    tap.expect("#1 client → server 5 bytes\n");
    let row = tap.expect("    0000  68 65 6c 6c 6f");
    assert!(row.ends_with("  hello\n"), "{row:?}");
    tap.expect("    text: \"hello\"\n");
    tap.expect("#1 server → client 5 bytes\n");
    tap.expect("    text: \"hello\"\n");
    client.send("你好\r\n".as_bytes());
    client.expect("你好\r\n".as_bytes());
    tap.expect("client → server 8 bytes\n    0000  e4 bd a0 e5 a5 bd 0d 0a");
    tap.expect("    text: \"你好\\r\\n\"\n"); // control characters escaped
}

/// Reads until the client half-closes, then answers how many bytes came, and closes.
fn count_then_answer(mut conn: TcpStream) {
    let mut all = Vec::new();
    let _ = conn.read_to_end(&mut all);
    let _ = conn.write_all(format!("got {} bytes", all.len()).as_bytes());
}

#[test]
fn a_half_close_is_passed_on_and_the_other_way_goes_on() {
    let (mut tap, addr) = wiretap(&[], server(count_then_answer));
    let mut client = Peer::connect(addr);
    client.send(b"12345");
    client.shutdown_write();
    // The server saw the FIN (its read returned 0), so it answered: the close travelled on.
    assert_eq!(client.read_to_close(), b"got 5 bytes");
    tap.expect("client → server: the client closed its sending side (FIN: a 0-byte read)");
    tap.expect("server → client 11 bytes");
    tap.expect("server → client: the server closed its sending side");
    tap.expect(
        "#1 closed (both directions done): client → server 5 bytes, server → client 11 bytes",
    );
}

/// Two sends back to back, then close.
fn two_sends(mut conn: TcpStream) {
    let _ = conn.write_all(b"hello");
    let _ = conn.write_all(b"world");
}

#[test]
fn two_sends_arrive_as_they_arrive() {
    let (mut tap, addr) = wiretap(&[], server(two_sends));
    let mut client = Peer::connect(addr);
    assert_eq!(client.read_to_close(), b"helloworld");
    tap.expect("the server closed its sending side");
    let out = tap.stdout_so_far();
    // Almost always one read takes both (黏包): one chunk. Which it is depends on when the
    // wiretap's read ran; either way the bytes are the same.
    let chunks = out
        .lines()
        .filter(|l| l.contains(" server → client ") && l.ends_with(" bytes"))
        .count();
    match chunks {
        1 => assert!(
            out.contains("10 bytes\n") && out.contains("text: \"helloworld\""),
            "{out}"
        ),
        2 => assert!(
            out.contains("text: \"hello\"") && out.contains("text: \"world\""),
            "{out}"
        ),
        _ => panic!("{out}"),
    }
}

#[test]
fn gbk_text_with_encoding_gbk() {
    let (mut tap, addr) = wiretap(&["--encoding", "gbk"], server(echo));
    let mut client = Peer::connect(addr);
    client.send(b"\xc4\xe3\xba\xc3"); // "你好".encode("gbk")
    client.expect(b"\xc4\xe3\xba\xc3");
    tap.expect("client → server 4 bytes\n    0000  c4 e3 ba c3");
    tap.expect("text: \"你好\"");
}

#[test]
fn udp_datagrams_both_ways() {
    let echo = UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = echo.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0; 2048];
        while let Ok((n, from)) = lesson_testing::recv_from(&echo, &mut buf) {
            let _ = echo.send_to(&buf[..n].to_ascii_uppercase(), from);
        }
    });
    let (mut tap, addr) = wiretap(&["--udp"], target);
    let client = UdpPeer::bind();
    client.send_to(b"ping", addr);
    let from = client.expect(b"PING");
    assert_eq!(from, addr, "the answer comes back from the wiretap");
    tap.expect(&format!("#1 new client {}", client.local_addr()));
    tap.expect("#1 client → server 4 bytes (one datagram)\n    0000  70 69 6e 67");
    tap.expect("#1 server → client 4 bytes (one datagram)");
    tap.expect("text: \"PING\"");
    client.send_to(b"again", addr);
    client.expect(b"AGAIN");
    tap.expect("#1 client → server 5 bytes (one datagram)");
}

/// A port where nothing listens (a listener's, closed again).
fn closed_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

#[test]
fn a_target_that_refuses_closes_the_client() {
    let target = closed_port();
    let (mut tap, addr) = wiretap(&[], target);
    let mut client = Peer::connect(addr);
    assert_eq!(client.read_to_close(), b"");
    let line = tap.expect(&format!(
        "the server {target} cannot be reached: Connection refused"
    ));
    assert!(line.trim_end().ends_with("; closing the client"), "{line}");
}

#[test]
fn mermaid_writes_the_diagram() {
    let dir = TempDir::new("wiretap-mermaid");
    let file = dir.join("talk.mmd");
    let file_arg = file.to_string_lossy().into_owned();
    let (mut tap, addr) = wiretap(&["--mermaid", &file_arg], server(echo));
    let mut client = Peer::connect(addr);
    client.send(b"hi;#");
    client.expect(b"hi;#");
    client.shutdown_write();
    client.read_to_close();
    tap.expect("#1 closed (both directions done)");
    let diagram = std::fs::read_to_string(&file).unwrap();
    for line in [
        "sequenceDiagram",
        "participant C as client",
        "participant W as wiretap",
        "participant S as server",
        "C->>S: #35;1 4 bytes: hi#59;#35;",
        "S->>C: #35;1 4 bytes: hi#59;#35;",
        "Note over C,S: #35;1 FIN from the client",
    ] {
        assert!(diagram.contains(line), "{line:?} not in\n{diagram}");
    }
}

#[test]
fn command_line() {
    check_command_line(
        EXE,
        "wiretap",
        &[
            &[],
            &["127.0.0.1:0"],
            &["127.0.0.1:0", "127.0.0.1:1", "x:1"],
            &["--bogus", "127.0.0.1:0", "127.0.0.1:1"],
            &["--encoding", "latin1", "127.0.0.1:0", "127.0.0.1:1"],
            &["127.0.0.1：0", "127.0.0.1:1"],
        ],
    );
}

/// The wiretap in Chinese (as a student starts it): `--help`, a usage error, and its lines.
#[test]
fn chinese_by_default() {
    let zh = || {
        let mut cmd = command(EXE);
        cmd.env("NET_LESSONS_LANG", "zh");
        cmd
    };
    let help = zh().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("用法：wiretap"));
    let bad = zh().arg("127.0.0.1:0").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("错误：要两个地址"));

    let target = closed_port().to_string();
    let mut child = zh()
        .args(["127.0.0.1:0", &target])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || {
        lines
            .recv_timeout(TIMEOUT)
            .expect("a line from the wiretap")
    };
    let first = next();
    let addr = first.strip_prefix("listening on ").expect(&first);
    assert!(next().starts_with("转发给 "));
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(TIMEOUT)).unwrap();
    assert_eq!(again(|| client.read(&mut [0; 1])).unwrap_or(0), 0);
    let line = next();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("已连接，但是连不上服务器"), "{line}");
    assert!(line.contains("连接被拒绝"), "{line}");
    let _ = client.shutdown(Shutdown::Both);
}

/// Notes 001 "TCP 网络程序 - 客户端", as the notes give it, asking at its prompts (the one copy
/// in `python/notes/`, which the tcp_server lesson's tests run too).
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn the_notes_python_client_through_the_wiretap() {
    let (mut tap, addr) = wiretap(&[], server(echo));
    let typed = format!("127.0.0.1\n{}\n你好 wiretap\n", addr.port());
    let client = format!("{NOTES_PY}001_tcp_client.py");
    let out = run(python(), &[&client], &typed);
    out.expect_code(0)
        .expect_stdout_has("接收到的数据为: 你好 wiretap");
    tap.expect("client → server 14 bytes");
    tap.expect("text: \"你好 wiretap\"");
    tap.expect("server → client 14 bytes");
}

/// Reads one byte and closes with the rest unread: the system answers with a reset (RST).
fn reset_after_one_byte(mut conn: TcpStream) {
    let _ = again(|| conn.read(&mut [0; 1]));
}

#[test]
fn a_reset_ends_both_directions() {
    let (mut tap, addr) = wiretap(&[], server(reset_after_one_byte));
    let mut client = Peer::connect(addr);
    client.send(b"abcdef");
    client.read_to_close();
    tap.expect("the server reset the connection (RST); closing both sides");
    tap.expect("#1 closed (both directions done): client → server 6 bytes");
}
