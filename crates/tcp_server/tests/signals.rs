//! The server stopped and continued while it waits for a client's next message (Ctrl-Z, then
//! `fg`; or a machine that freezes and thaws its processes). On Linux a read with a timeout then
//! returns EINTR (`man 7 signal`); Python reads again by itself (PEP 475), and so must the twin:
//! the client is still served, and nothing is logged as an error.

#![cfg(target_os = "linux")]

use std::thread;
use std::time::Duration;

use lesson_testing::{connect, exchange, Program};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

#[test]
fn a_stop_and_continue_while_waiting_for_a_message_is_no_error() {
    let (mut srv, addr) = Program::server_on_any_port(EXE, &[], &["--echo", "--idle-timeout", "5"]);
    let mut c = connect(addr);
    let me = c.local_addr().unwrap();
    exchange(&mut c, b"one", b"one");
    thread::sleep(Duration::from_millis(100)); // the server waits for the next message now
    srv.signal("STOP");
    thread::sleep(Duration::from_millis(200));
    srv.signal("CONT");
    exchange(&mut c, b"two", b"two");
    drop(c);
    srv.expect(&format!("[{me}] closed the connection\n"));
    let log = srv.stdout_so_far();
    assert!(!log.contains("Interrupted"), "{log}");
}
