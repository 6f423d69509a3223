//! Graded tests for client_auth (homework): the grader plays the client against your server
//! and the server against your client, over 127.0.0.1. Run one stage with `cargo test step1`.

use std::net::TcpListener;
use std::thread;

use netcommon::testing::{run, Peer, Program};
use sha1::{Digest, Sha1};

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");
const SECRET: &str = "s3cret";

/// What a client that knows `secret` answers: hex SHA-1(secret ‖ nonce).
fn expected(secret: &[u8], nonce: &[u8]) -> String {
    let digest = Sha1::new()
        .chain_update(secret)
        .chain_update(nonce)
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn server() -> (Program, std::net::SocketAddr) {
    let args = [
        "server",
        "--bind",
        "127.0.0.1:0",
        "--secret",
        SECRET,
        "--timeout",
        "2",
    ];
    println!("started client_auth {}", args.join(" "));
    Program::server(EXE, &args)
}

/// Connects and reads the 32-byte challenge.
fn challenge(addr: std::net::SocketAddr) -> (Peer, Vec<u8>) {
    let mut c = Peer::connect(addr);
    let nonce = c.receive(32);
    (c, nonce)
}

#[test]
fn step1_server_accepts_the_right_answer() {
    let (mut srv, addr) = server();
    let (mut c, nonce) = challenge(addr);
    c.send(expected(SECRET.as_bytes(), &nonce).as_bytes());
    c.expect(b"hello");
    srv.expect(&format!("accepted {}", c.local_addr()));
}

#[test]
fn step2_server_rejects_wrong_answers_and_goes_on() {
    let (mut srv, addr) = server();
    let (mut c, nonce) = challenge(addr);
    c.send(expected(b"wrong secret", &nonce).as_bytes());
    assert!(c.read_to_close().is_empty(), "a wrong answer gets no hello");
    srv.expect(&format!("rejected {}", c.local_addr()));
    let (mut c, _) = challenge(addr);
    c.send(&[0xff; 40]); // garbage
    assert!(c.read_to_close().is_empty(), "garbage gets no hello");
    let (mut c, nonce) = challenge(addr);
    c.send(expected(SECRET.as_bytes(), &nonce).as_bytes());
    c.expect(b"hello");
}

/// A server run by the grader: sends a fixed challenge, checks the answer, says hello or not.
fn fake_server(say_hello: bool) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = thread::spawn(move || {
        let mut c = Peer::from(listener.accept().unwrap().0);
        let nonce: Vec<u8> = (100..132).collect();
        c.send(&nonce);
        c.expect(expected(SECRET.as_bytes(), &nonce).as_bytes());
        if say_hello {
            c.send(b"hello");
        }
        c.shutdown_write();
        c.read_to_close();
    });
    (addr, handle)
}

#[test]
fn step3_client_answers_the_challenge() {
    let (addr, srv) = fake_server(true);
    let out = run(EXE, &["client", &addr, "--secret", SECRET], "");
    srv.join()
        .expect("the grader's server got a wrong answer (its log is above)");
    assert!(out.stdout.contains("server says: hello\n"), "{out:?}");
    assert_eq!(out.code, Some(0), "{out:?}");
}

#[test]
fn step4_client_reports_a_rejection() {
    let (addr, srv) = fake_server(false);
    let out = run(EXE, &["client", &addr, "--secret", SECRET], "");
    srv.join()
        .expect("the grader's server got a wrong answer (its log is above)");
    assert!(out.stdout.contains("rejected by server\n"), "{out:?}");
    assert_eq!(out.code, Some(1), "{out:?}");
}
