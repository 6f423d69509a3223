//! Graded tests for udp_receiver (homework): the grader sends datagrams over 127.0.0.1 and
//! checks what the program prints and sends back. Run one stage with `cargo test step1`.

use std::net::{SocketAddr, UdpSocket};

use netcommon::testing::{show, Program, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

fn start(extra: &[&str]) -> (Program, SocketAddr) {
    let mut args = vec!["--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    println!("started udp_receiver {}", args.join(" "));
    Program::server(EXE, &args)
}

fn peer() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    socket
}

fn send(socket: &UdpSocket, bytes: &[u8], to: SocketAddr) {
    socket.send_to(bytes, to).unwrap();
    println!(
        "sent a datagram of {} bytes to {to}: {}",
        bytes.len(),
        show(bytes)
    );
}

#[test]
fn step1_prints_each_datagram_with_its_sender() {
    let (mut receiver, addr) = start(&[]);
    let me = peer();
    send(&me, "你好".as_bytes(), addr);
    receiver.expect(&format!("from {}: 你好\n", me.local_addr().unwrap()));
    send(&me, b"second", addr);
    receiver.expect(": second\n");
}

#[test]
fn step2_replies_to_the_sender() {
    let (_receiver, addr) = start(&["--reply", "Thanks"]);
    let me = peer();
    send(&me, b"hello", addr);
    let mut buf = [0; 64];
    match me.recv_from(&mut buf) {
        Ok((n, from)) => {
            println!("got {} from {from}", show(&buf[..n]));
            assert_eq!((&buf[..n], from), (&b"Thanks"[..], addr));
        }
        Err(e) => panic!("expected the reply \"Thanks\" within {TIMEOUT:?}; got {e}"),
    }
}

#[test]
fn step3_stops_after_count() {
    let (receiver, addr) = start(&["--count", "2"]);
    let me = peer();
    send(&me, b"one", addr);
    send(&me, b"two", addr);
    let end = receiver.finish();
    assert_eq!(
        end.code,
        Some(0),
        "--count 2 exits 0 after two datagrams: {end:?}"
    );
    assert!(
        end.stdout.contains(": one\n") && end.stdout.contains(": two\n"),
        "{end:?}"
    );
}

#[test]
fn step4_survives_bad_bytes_and_long_datagrams() {
    let (mut receiver, addr) = start(&[]);
    let me = peer();
    send(&me, b"ok\xff", addr);
    receiver.expect(": ok\u{fffd}\n");
    send(&me, &[b'a'; 3000], addr);
    let line = receiver.expect("aaa");
    assert_eq!(
        line.matches('a').count(),
        1024,
        "recvfrom(1024) keeps 1024 bytes: {line}"
    );
    receiver.expect_stderr("longer than 1024 bytes");
    send(&me, b"after", addr);
    receiver.expect(": after\n");
}
