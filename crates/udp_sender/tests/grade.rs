//! Graded tests for udp_sender (homework): the grader is the receiver on 127.0.0.1, and
//! compares the datagrams that arrive. Run one stage with `cargo test step1`.

use std::net::{SocketAddr, UdpSocket};
use std::thread;

use netcommon::testing::{run, show, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_udp_sender");

fn receiver() -> (UdpSocket, String) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    println!("the grader receives on {addr}");
    (socket, addr)
}

fn receive(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0; 2048];
    match socket.recv_from(&mut buf) {
        Ok((n, from)) => {
            println!(
                "received a datagram of {n} bytes from {from}: {}",
                show(&buf[..n])
            );
            (buf[..n].to_vec(), from)
        }
        Err(e) => panic!("expected a datagram within {TIMEOUT:?}; got {e}"),
    }
}

#[test]
fn step1_sends_each_message_as_one_datagram() {
    let (socket, addr) = receiver();
    let out = run(EXE, &[&addr, "hello", "你好 world"], "");
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(receive(&socket).0, b"hello");
    assert_eq!(receive(&socket).0, "你好 world".as_bytes());
}

#[test]
fn step2_asks_for_the_message() {
    let (socket, addr) = receiver();
    let out = run(EXE, &[&addr], "typed at the prompt\n");
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.starts_with("请输入要发送的数据:"), "{out:?}");
    assert_eq!(receive(&socket).0, b"typed at the prompt");
}

#[test]
fn step3_prints_each_reply() {
    let (socket, addr) = receiver();
    let answer = thread::spawn(move || {
        for _ in 0..2 {
            let (data, from) = receive(&socket);
            socket.send_to(&[b"re:", &data[..]].concat(), from).unwrap();
            println!("replied to {from}");
        }
    });
    let out = run(EXE, &["--wait-reply", &addr, "one", "two"], "");
    assert_eq!(out.code, Some(0), "{out:?}");
    answer.join().expect("the grader's receiver failed");
    assert!(
        out.stdout.contains(&format!("reply from {addr}: re:one\n")),
        "{out:?}"
    );
    assert!(
        out.stdout.contains(&format!("reply from {addr}: re:two\n")),
        "{out:?}"
    );
}

#[test]
fn step4_fails_when_no_reply_comes() {
    let (socket, addr) = receiver();
    let out = run(
        EXE,
        &["--wait-reply", "--timeout", "0.3", &addr, "anyone?"],
        "",
    );
    assert_eq!(out.code, Some(1), "no reply: exit 1. {out:?}");
    assert!(out.stderr.starts_with("error: no reply"), "{out:?}");
    assert_eq!(receive(&socket).0, b"anyone?");
}
