//! The harness's own peers: a one-client server played by a test, and UDP with a deadline.

use std::io::{Read, Write};
use std::net::TcpStream;

use lesson_testing::{receive, serve_one, udp};

#[test]
fn serve_one_hands_the_connection_to_serve_and_a_failed_check_fails_the_join() {
    let (addr, srv) = serve_one(|mut s| {
        let mut got = [0; 4];
        s.read_exact(&mut got).unwrap();
        s.write_all(&got.map(|b| b.to_ascii_uppercase())).unwrap();
    });
    let mut client = TcpStream::connect(&addr).unwrap();
    client.write_all(b"ping").unwrap();
    let mut back = [0; 4];
    client.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"PING");
    srv.join().unwrap();

    let (addr, srv) = serve_one(|mut s| {
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"expected");
    });
    TcpStream::connect(&addr)
        .unwrap()
        .write_all(b"other")
        .unwrap();
    assert!(srv.join().is_err(), "the check in serve failed");
}

#[test]
fn receive_returns_the_datagram_and_its_sender() {
    let (a, b) = (udp(), udp());
    a.send_to(b"hello", b.local_addr().unwrap()).unwrap();
    assert_eq!(receive(&b), (b"hello".to_vec(), a.local_addr().unwrap()));
}
