//! Graded tests for tcp_client (homework): the grader is the server on 127.0.0.1 and checks
//! the bytes that arrive and what the client prints. Run one stage with `cargo test step1`.

use std::net::TcpListener;
use std::thread::{self, JoinHandle};

use netcommon::testing::{run, Peer};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

/// A one-client server run by the grader: `serve` gets the accepted connection.
fn server(serve: fn(Peer)) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    println!("the grader listens on {addr}");
    let handle = thread::spawn(move || {
        let (stream, from) = listener.accept().unwrap();
        println!("the client connected from {from}");
        serve(Peer::from(stream));
    });
    (addr, handle)
}

#[test]
fn step1_each_message_gets_one_reply() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"hello");
        c.send(b"re:hello");
        c.expect("你好".as_bytes());
        c.send("re:你好".as_bytes());
    });
    let out = run(EXE, &[&addr, "hello", "你好"], "");
    srv.join()
        .expect("the grader's server saw something else (its log is above)");
    assert!(
        out.stdout.contains("reply: re:hello\nreply: re:你好\n"),
        "{out:?}"
    );
    assert_eq!(out.code, Some(0), "{out:?}");
}

#[test]
fn step2_interactive_lines_until_q() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"one");
        c.send(b"1");
        c.expect(b"two");
        c.send(b"2");
        assert!(c.read_to_close().is_empty(), "nothing after `q`");
    });
    let out = run(EXE, &[&addr], "one\ntwo\nq\nthree\n");
    srv.join()
        .expect("the grader's server saw something else (its log is above)");
    assert!(
        out.stdout.contains("reply: 1\n") && out.stdout.contains("reply: 2\n"),
        "{out:?}"
    );
    assert_eq!(out.code, Some(0), "{out:?}");
}

#[test]
fn step3_a_server_close_ends_it_normally() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"hello");
        println!("closing without a reply");
    });
    let out = run(EXE, &[&addr, "hello", "anyone?"], "");
    srv.join()
        .expect("the grader's server saw something else (its log is above)");
    assert!(
        out.stdout.ends_with("server closed the connection\n"),
        "{out:?}"
    );
    assert_eq!(out.code, Some(0), "{out:?}");
}
