//! Graded tests for sticky_packet_demo (homework): the grader plays the client against your
//! server and the server against your client, over 127.0.0.1. Run one stage with
//! `cargo test step1`.

use std::net::TcpListener;
use std::thread;

use netcommon::testing::{run, Peer, Program};

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

#[test]
fn step1_plain_server_sends_the_bytes_back_to_back() {
    let args = ["server", "--bind", "127.0.0.1:0", "hello", "world", "你好"];
    println!("started sticky_packet_demo {}", args.join(" "));
    let (_server, addr) = Program::server(EXE, &args);
    let mut c = Peer::connect(addr);
    assert_eq!(
        c.read_to_close(),
        "helloworld你好".as_bytes(),
        "plain mode adds nothing"
    );
}

#[test]
fn step2_framed_server_puts_a_length_before_each_message() {
    for (endian, header) in [("little", b"\x05\0\0\0"), ("big", b"\0\0\0\x05")] {
        let args = [
            "server",
            "--bind",
            "127.0.0.1:0",
            "--framed",
            "--endian",
            endian,
            "hello",
            "",
        ];
        println!("started sticky_packet_demo {}", args.join(" "));
        let (_server, addr) = Program::server(EXE, &args);
        let mut c = Peer::connect(addr);
        c.expect(header);
        c.expect(b"hello");
        c.expect(&[0; 4]); // the empty message: a length of 0, no body
        assert!(
            c.read_to_close().is_empty(),
            "nothing after the last message"
        );
    }
}

/// A server run by the grader that sends `bytes`, then closes.
fn fake_server(bytes: Vec<u8>) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = thread::spawn(move || {
        let mut c = Peer::from(listener.accept().unwrap().0);
        c.send(&bytes);
        c.shutdown_write();
        c.read_to_close();
    });
    (addr, handle)
}

#[test]
fn step3_framed_client_prints_each_message() {
    let mut bytes = Vec::new();
    for m in ["one", "", "三"] {
        bytes.extend_from_slice(&(m.len() as i32).to_le_bytes());
        bytes.extend_from_slice(m.as_bytes());
    }
    let (addr, srv) = fake_server(bytes);
    let out = run(EXE, &["client", &addr, "--framed"], "");
    srv.join().unwrap();
    for line in ["message #1: one\n", "message #2: \n", "message #3: 三\n"] {
        assert!(out.stdout.contains(line), "expected {line:?}: {out:?}");
    }
    assert_eq!(
        out.code,
        Some(0),
        "a close between messages is the normal end: {out:?}"
    );
}

#[test]
fn step4_framed_client_refuses_hostile_lengths() {
    for (what, bytes) in [
        ("a negative length", (-1i32).to_le_bytes().to_vec()),
        (
            "a length over --max-frame",
            2_000_000_000i32.to_le_bytes().to_vec(),
        ),
        (
            "a close inside a message",
            [&10i32.to_le_bytes()[..], b"abc"].concat(),
        ),
    ] {
        println!("the grader's server sends {what}");
        let (addr, srv) = fake_server(bytes);
        let out = run(EXE, &["client", &addr, "--framed"], "");
        srv.join().unwrap();
        assert_eq!(
            out.code,
            Some(1),
            "{what}: exit 1 with a message, not a crash: {out:?}"
        );
        assert!(out.stderr.starts_with("error: "), "{what}: {out:?}");
    }
}
