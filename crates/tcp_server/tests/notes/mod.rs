//! The notes' own Python programs against their Rust twins in this crate, both ways where the
//! notes have both sides: 003's chat pair and its server-speaks-first pair (examples), 000's
//! GBK-decoding server, 001's and 002's one-client servers, and 002's `recv(10)` client.
//! Programs that call `input()` are fed on stdin.

use netcommon::again;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use lesson_testing::{
    connect, example, in_chinese, python, python_on_free_port, run, run_python_on_port,
    start_python_on_port, Program, NOTES_PY,
};
use netcommon::Encoding;

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

/// Starts one of the notes' Python servers on a free port; waits for its ready line.
fn python_server(script: &str, ready: &str) -> (Program, SocketAddr) {
    python_on_free_port(&format!("{NOTES_PY}{script}"), ready)
}

/// Reads until `n` bytes came or the peer closed (a reset counts as a close).
fn receive(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0; 1024];
    while got.len() < n {
        match again(|| s.read(&mut buf)) {
            Ok(0) | Err(_) => break,
            Ok(k) => got.extend_from_slice(&buf[..k]),
        }
    }
    got
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_003_chat_client() {
    let (mut srv, addr) = Program::server(&example("chat_server"), &["--bind", "127.0.0.1:0"]);
    let chat_client = format!("{NOTES_PY}003_chat_client.py");
    let port = addr.port().to_string();

    // The server ends the first conversation with Q.
    let mut cli = Program::start(python(), &[&chat_client, &port]);
    srv.expect("connected");
    srv.type_line("你好，客户端");
    cli.expect("你好，客户端\n");
    cli.type_line("hello server");
    srv.expect("hello server\n");
    srv.type_line("Q");
    srv.expect("conversation ended");
    assert_eq!(cli.finish().code, Some(0));

    // The next client, one after another; it ends the conversation with q.
    let mut cli = Program::start(python(), &[&chat_client, &port]);
    srv.expect("connected");
    srv.type_line("second");
    cli.expect("second\n");
    cli.type_line("q");
    srv.expect("ended the conversation");
    assert_eq!(cli.finish().code, Some(0));

    // End of input at the server's >>> ends the conversation as Q would, then the server.
    let mut third = connect(addr);
    srv.expect("connected");
    let end = srv.finish(); // closes stdin
    assert_eq!(receive(&mut third, 2), b"Q");
    end.expect_code(0);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_003_chat_server() {
    let (mut srv, addr) = python_server("003_chat_server.py", "listening on");
    let mut cli = Program::start(&example("chat_client"), &[&addr.to_string()]);
    srv.type_line("hello from python");
    cli.expect("hello from python\n");
    cli.type_line("你好");
    srv.expect("你好\n");
    srv.type_line("q");
    let out = cli.finish();
    out.expect_code(0)
        .expect_stdout_end("the server ended the conversation\n");

    // Our client ends it with Q this time; the notes' server takes the next client.
    let mut cli = Program::start(&example("chat_client"), &[&addr.to_string()]);
    srv.type_line("again");
    cli.expect("again\n");
    cli.type_line("Q");
    assert_eq!(cli.finish().code, Some(0));
    srv.type_line("still here"); // the notes' server asks >>> for its next client
    let mut third = connect(addr);
    assert_eq!(receive(&mut third, 10), b"still here");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_003_hello_client() {
    let (srv, addr) = Program::server(&example("hello_server"), &["--bind", "127.0.0.1:0"]);
    let out = run_python_on_port(&format!("{NOTES_PY}003_tcp_client.py"), addr, "");
    out.expect_code(0);
    assert_eq!(out.stdout, "b'hello'\n");
    let end = srv.finish();
    end.expect_code(0).expect_stdout_end(": bebebe\n");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_003_hello_server() {
    let (srv, addr) = python_server("003_tcp_server.py", "listening on");
    let out = run(&example("hello_client"), &[&addr.to_string()], "");
    out.expect_code(0);
    assert_eq!(out.stdout, "hello\n");
    let end = srv.finish();
    end.expect_stdout_end("b'bebebe'\n");
}

/// 000's server decodes GBK and answers 收到！ (in UTF-8, as `"收到！".encode()` does); so does
/// `tcp_server --encoding gbk`, which logs what it decoded.
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_000_gbk_server_answers_like_tcp_server() {
    let (mut notes, notes_addr) = python_server("000_tcp_server.py", "服务器已开启");
    let (mut ours, our_addr) =
        Program::server(EXE, &["--bind", "127.0.0.1:0", "--encoding", "gbk"]);
    let message = Encoding::Gbk.encode("你好，服务器");
    let reply = "收到！".as_bytes();
    let gbk_reply = Encoding::Gbk.encode("收到！");
    for (addr, expected) in [(notes_addr, reply), (our_addr, &gbk_reply[..])] {
        let mut s = connect(addr);
        s.write_all(&message).unwrap();
        assert_eq!(receive(&mut s, expected.len()), expected);
    }
    notes.expect("收到客户端的消息： 你好，服务器\n");
    ours.expect(": 你好，服务器\n");
    // With --reply in UTF-8 bytes, ours answers exactly what the notes' server sends.
    let (_plain, plain_addr) = Program::server(EXE, &["--bind", "127.0.0.1:0"]);
    let mut s = connect(plain_addr);
    s.write_all("你好".as_bytes()).unwrap();
    assert_eq!(receive(&mut s, reply.len()), reply);
}

/// 002's client reads its answer with `recv(10)`: a longer echo is cut, and the rest comes
/// with the next `recv(10)`, one message late. tcp_server --echo sends every byte back.
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_002_client_recv_10_with_a_longer_message() {
    let (mut srv, addr) = Program::server(
        EXE,
        &["--bind", "127.0.0.1:0", "--echo", "--encoding", "gbk"],
    );
    let mut cli = start_python_on_port(&format!("{NOTES_PY}002_tcp_client.py"), addr);
    // 12 characters, 24 bytes in GBK: the echo arrives in pieces of at most 10 bytes.
    cli.type_line("这是一条超过十个字节的消息");
    cli.expect("收到数据这是一条超\n"); // the first 10 bytes: 5 characters
    srv.expect(": 这是一条超过十个字节的消息\n");
    cli.type_line("下");
    // The next recv(10) returns the next 10 bytes of the first echo, not the answer to 下.
    cli.expect("收到数据过十个字节\n");
}

/// 001's client asks for the server's ip, port and a message; the one-shot server answers
/// `thank you !` as the notes' 001 server does.
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_001_client_and_server_with_oneshot_server() {
    let client = format!("{NOTES_PY}001_tcp_client.py");
    // Ours in Chinese, so that it prints what the notes' server prints.
    let (ours, addr) = in_chinese(|| Program::server(&example("oneshot_server"), &["127.0.0.1:0"]));
    let stdin = format!("127.0.0.1\n{}\n你好\n", addr.port());
    let out = run(python(), &[&client], &stdin);
    out.expect_stdout_end("接收到的数据为: thank you !\n");
    let ours = ours.finish();
    ours.expect_code(0)
        .expect_stdout_has("接收到的数据为: 你好\n");

    let (notes, addr) = python_server("001_tcp_server.py", "listening on");
    let stdin = format!("127.0.0.1\n{}\n你好\n", addr.port());
    let out = run(python(), &[&client], &stdin);
    out.expect_stdout_end("接收到的数据为: thank you !\n");
    assert!(notes.finish().stdout.contains("接收到的数据为: 你好\n"));
}

/// 002's client (GBK, recv(10)) against 002's echo server and against its twin.
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_002_client_and_server_with_echo_one_client() {
    let client = format!("{NOTES_PY}002_tcp_client.py");
    // Ours in Chinese, so that it prints what the notes' server prints.
    let (mut ours, our_addr) =
        in_chinese(|| Program::server(&example("echo_one_client"), &["127.0.0.1:0"]));
    let (mut notes, notes_addr) = python_server("002_tcp_server.py", "listening on");
    for addr in [our_addr, notes_addr] {
        let mut cli = start_python_on_port(&client, addr);
        cli.type_line("你好");
        cli.expect("收到数据你好\n");
        cli.close_stdin(); // input() raises EOFError: the client ends, its socket closes
        let _ = cli.finish();
    }
    ours.expect("客户端已关闭\n");
    notes.expect("客户端已关闭\n");
    assert_eq!(ours.finish().code, Some(0));
}
