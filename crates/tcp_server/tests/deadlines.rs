//! The examples' clients give up on `connect` in time when the server's queue of waiting
//! connections (backlog) is full, instead of the two minutes the system keeps retrying.

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use netcommon::testing::{example, run};

/// A listener that never accepts, with as many clients connected as its queue of finished
/// handshakes holds (std listens with a backlog of 128): one more `connect` gets no answer.
/// Linux only: there a full queue drops new SYNs silently, so the next client's `connect` hangs
/// while its system retries; other systems may refuse it at once instead. Keep both returned
/// values alive while the test runs.
#[cfg(target_os = "linux")]
fn full_listener() -> (TcpListener, Vec<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..1000 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(s) => queued.push(s),
            Err(_) => return (listener, queued),
        }
    }
    panic!("the listen queue was not full after 1000 connections");
}

#[cfg(target_os = "linux")]
#[test]
fn the_clients_give_up_connecting_to_a_full_queue() {
    let (listener, _queued) = full_listener();
    let addr = listener.local_addr().unwrap().to_string();
    for name in ["hello_client", "chat_client"] {
        let started = Instant::now();
        let out = run(&example(name), &[&addr, "--timeout", "1"], "");
        let took = started.elapsed();
        assert_eq!(out.code, Some(1), "{name}: {out:?}");
        assert_eq!(
            out.stderr,
            format!(
                "error: connecting to {addr}: no answer within 1 s (is its queue of connections full?)\n"
            ),
            "{name}"
        );
        assert!(took < Duration::from_secs(5), "{name}: {took:?}");
    }
}
