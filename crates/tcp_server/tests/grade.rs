//! Graded tests for tcp_server (homework): the grader plays the client over 127.0.0.1 and
//! compares the bytes. Run one stage with `cargo test step1`.

use std::net::SocketAddr;

use netcommon::testing::{Peer, Program};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

fn start(extra: &[&str]) -> (Program, SocketAddr) {
    let mut args = vec!["--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    println!("started tcp_server {}", args.join(" "));
    Program::server(EXE, &args)
}

#[test]
fn step1_replies_to_each_chunk() {
    let (mut server, addr) = start(&[]);
    let mut client = Peer::connect(addr);
    client.send("你好".as_bytes());
    client.expect("收到！".as_bytes());
    server.expect(&format!("from {}: 你好\n", client.local_addr()));
    client.send(b"again");
    client.expect("收到！".as_bytes());
}

#[test]
fn step2_echo_sends_back_the_same_bytes() {
    let (_server, addr) = start(&["--echo"]);
    let mut client = Peer::connect(addr);
    client.send(b"hello");
    client.expect(b"hello");
    client.send(b"\x00\xff not text");
    client.expect(b"\x00\xff not text");
}

#[test]
fn step3_serves_the_next_client_after_a_close() {
    let (mut server, addr) = start(&["--reply", "ok"]);
    let mut first = Peer::connect(addr);
    first.send(b"1");
    first.expect(b"ok");
    first.shutdown_write();
    assert!(
        first.read_to_close().is_empty(),
        "nothing more after our close"
    );
    server.expect("closed the connection");
    let mut second = Peer::connect(addr);
    second.send(b"2");
    second.expect(b"ok");
}

#[test]
fn step4_survives_a_reset_and_a_silent_client() {
    let (_server, addr) = start(&["--echo", "--idle-timeout", "0.5"]);
    let mut rude = Peer::connect(addr);
    rude.send(&[b'x'; 4000]);
    rude.expect(b"x");
    drop(rude); // closing with the echo unread makes our system send a reset
    println!("closed with unread bytes: a reset");
    let mut silent = Peer::connect(addr);
    assert!(
        silent.read_to_close().is_empty(),
        "a silent client is closed after --idle-timeout"
    );
    let mut after = Peer::connect(addr);
    after.send(b"still there?");
    after.expect(b"still there?");
}
