//! The twins of notes 002 "UDP客户端/UDP服务端" and notes 003 "udp协议" (the examples), each run
//! against the notes' own Python program on the other side, in both directions.

use std::net::UdpSocket;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, example, free_port, python, python_on_free_port, receive, run,
    start_on_free_port, start_python_on_port, udp, Program, NOTES_PY,
};

#[test]
fn every_example_answers_help_and_refuses_bad_command_lines() {
    for (name, bad) in [
        ("udp_reply_server_003", ["127.0.0.1:90010"]),
        ("udp_reply_client_003", ["--bogus"]),
        ("udp_reply_server_002", ["not-an-address"]),
        ("udp_reply_client_002", ["--timeout=0"]),
    ] {
        check_command_line(&example(name), name, &[&bad, &["a:1", "b:2"]]);
    }
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_003_server_against_the_notes_python_client() {
    let (mut server, addr) = Program::server(&example("udp_reply_server_003"), &["127.0.0.1:0"]);
    let mut client = start_python_on_port(&format!("{NOTES_PY}003_udp_client.py"), addr);
    client.expect(">><");
    client.type_line("你好 Rust");
    server.expect("你好 Rust\n");
    server.expect(">>>");
    server.type_line("你好 Python");
    client.expect(">><"); // the reply came: the next question
    client.type_line("Q");
    let end = client.finish();
    end.expect_code(0);
    // The notes print the last reply after the loop.
    end.expect_stdout_end("你好 Python\n");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_003_client_against_the_notes_python_server() {
    let script = format!("{NOTES_PY}003_udp_server.py");
    let (mut server, addr) = python_on_free_port(&script, "listening on");
    let client_003 = || Program::start(&example("udp_reply_client_003"), &[&addr.to_string()]);
    let mut client = client_003();
    client.expect(">><");
    client.type_line("hello");
    server.expect("hello\n");
    server.expect(">>>");
    server.type_line("hi from Python");
    client.expect("hi from Python\n");
    client.type_line("q"); // q or Q, like msg.upper() == 'Q'
    assert_eq!(client.finish().code, Some(0));

    // The server's Q ends the client too.
    let mut client = client_003();
    client.type_line("bye?");
    server.expect("bye?\n");
    server.type_line("Q");
    client.expect("the server said Q: goodbye\n");
    assert_eq!(client.finish().code, Some(0));
}

#[test]
fn rust_003_client_says_when_no_reply_comes() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    let out = run(
        &example("udp_reply_client_003"),
        &["--timeout", "0.2", &addr],
        "anyone?\n",
    );
    out.expect_code(1)
        .expect_stderr(&format!("error: no reply from {addr} within 0.2 s\n"));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_002_server_against_the_notes_python_client() {
    let (mut server, addr) = Program::server(&example("udp_reply_server_002"), &["127.0.0.1:0"]);
    // The notes bind 10086; here a free port.
    let (script, server_port) = (
        format!("{NOTES_PY}002_udp_client.py"),
        addr.port().to_string(),
    );
    let start = |port: u16| Program::start(python(), &[&script, &port.to_string(), &server_port]);
    let (mut client, client_port) = start_on_free_port(start, "bound to");
    client.type_line("你好 002");
    server.expect(&format!("from 127.0.0.1:{client_port}: 你好 002\n"));
    server.expect(">>> ");
    server.type_line("收到");
    client.expect(&format!("('127.0.0.1', {})\n收到\n", addr.port()));

    // The notes' client stops on an empty datagram ("服务器已关闭").
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    other.send_to(b"", ("127.0.0.1", client_port)).unwrap();
    client.expect("服务器已关闭\n");
    assert_eq!(client.finish().code, Some(0));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_002_client_against_the_notes_python_server() {
    let (script, client_port) = (
        format!("{NOTES_PY}002_udp_server.py"),
        free_port().to_string(),
    );
    let start = |port: u16| Program::start(python(), &[&script, &port.to_string(), &client_port]);
    let (mut server, server_port) = start_on_free_port(start, "listening on");
    let mut client = Program::start(
        &example("udp_reply_client_002"),
        &[
            "--bind",
            &format!("127.0.0.1:{client_port}"),
            &format!("127.0.0.1:{server_port}"),
        ],
    );
    client.expect("bound to");
    client.type_line("hi from Rust");
    server.expect(&format!("('127.0.0.1', {client_port})\nhi from Rust\n"));
    server.type_line("hi from Python");
    client.expect(&format!("from 127.0.0.1:{server_port}: hi from Python\n"));

    // An empty reply is the notes' "server closed" signal.
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    other
        .send_to(b"wake up", ("127.0.0.1", server_port))
        .unwrap();
    server.expect("wake up\n");
    server.type_line("");
    client.expect("the server closed\n");
    assert_eq!(client.finish().code, Some(0));
}

/// A server whose stdout nobody reads any more goes on: it still sends the typed replies.
#[test]
fn the_reply_servers_survive_a_closed_stdout() {
    for name in ["udp_reply_server_003", "udp_reply_server_002"] {
        let mut server = Muted::start(&example(name), &["127.0.0.1:0"]);
        server.type_text("one\ntwo\n");
        let me = udp();
        for want in ["one", "two"] {
            me.send_to(b"hi", server.addr).unwrap();
            let (got, _) = receive(&me);
            assert_eq!(got, want.as_bytes(), "{name}");
        }
        server.close_stdin(); // end of input: the server ends normally
        me.send_to(b"bye", server.addr).unwrap();
        server.check_exits_cleanly();
    }
}
