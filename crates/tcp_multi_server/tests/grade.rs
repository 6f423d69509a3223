//! Graded tests for tcp_multi_server (homework): the grader plays many clients over 127.0.0.1
//! and compares the bytes. Run one stage with `cargo test step1`.

use std::net::SocketAddr;
use std::thread;

use netcommon::testing::{Peer, Program};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

fn start(extra: &[&str]) -> (Program, SocketAddr) {
    let mut args = vec!["--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    println!("started tcp_multi_server {}", args.join(" "));
    Program::server(EXE, &args)
}

#[test]
fn step1_sends_each_chunk_back_upper_cased() {
    let (_server, addr) = start(&[]);
    let mut c = Peer::connect(addr);
    c.send(b"hello");
    c.expect(b"HELLO");
    c.send("héllo 你好 \u{ff}".as_bytes());
    c.expect("HéLLO 你好 \u{ff}".as_bytes()); // ASCII letters only
}

#[test]
fn step2_serves_clients_at_the_same_time() {
    let (_server, addr) = start(&[]);
    let mut silent = Peer::connect(addr);
    println!("the first client says nothing; the others must be served anyway");
    let clients: Vec<_> = (0..50)
        .map(|i| {
            thread::spawn(move || {
                let mut c = Peer::connect(addr);
                for round in 0..5 {
                    let msg = format!("client {i} round {round}");
                    c.send(msg.as_bytes());
                    c.expect(msg.to_uppercase().as_bytes());
                }
            })
        })
        .collect();
    for c in clients {
        c.join()
            .expect("a client was not served (see the log above)");
    }
    silent.send(b"now me");
    silent.expect(b"NOW ME");
}

#[test]
fn step3_closes_clients_past_max_clients() {
    let (mut server, addr) = start(&["--max-clients", "2"]);
    let mut a = Peer::connect(addr);
    a.send(b"a");
    a.expect(b"A");
    let mut b = Peer::connect(addr);
    b.send(b"b");
    b.expect(b"B");
    let mut third = Peer::connect(addr);
    assert!(
        third.read_to_close().is_empty(),
        "the third client is closed at once"
    );
    server.expect("refused");
    drop(a);
    server.expect("closed the connection");
    let mut d = Peer::connect(addr);
    d.send(b"d");
    d.expect(b"D");
}

#[test]
fn step4_a_reset_never_stops_it() {
    let (_server, addr) = start(&[]);
    let mut rude = Peer::connect(addr);
    rude.send(&[b'x'; 5000]);
    rude.expect(b"X");
    drop(rude);
    println!("closed with unread bytes: a reset");
    let mut next = Peer::connect(addr);
    next.send(b"still");
    next.expect(b"STILL");
}
