//! Stopped and continued while waiting for the reply (Ctrl-Z, then `fg`; or a machine that
//! freezes and thaws its processes). On Linux a read with a timeout then returns EINTR
//! (`man 7 signal`, "Interruption of system calls"); Python reads again by itself (PEP 475),
//! and so must the twin: the reply still arrives, and nothing is reported as an error.

#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use lesson_testing::{serve_one, Program, TIMEOUT};
use netcommon::again;

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

#[test]
fn a_stop_and_continue_while_waiting_for_the_reply_is_no_error() {
    let (read, message_read) = mpsc::channel();
    let (addr, srv) = serve_one(move |mut s| {
        let mut buf = [0; 64];
        let n = again(|| s.read(&mut buf)).unwrap();
        read.send(()).unwrap();
        // Answer only after the client has been stopped and continued in its wait.
        thread::sleep(Duration::from_millis(600));
        s.write_all(&buf[..n]).unwrap();
    });
    let client = Program::start(EXE, &["--timeout", "5", &addr, "hello"]);
    message_read.recv_timeout(TIMEOUT).expect("the message");
    thread::sleep(Duration::from_millis(100)); // the client is in its read by now
    client.signal("STOP");
    thread::sleep(Duration::from_millis(200));
    client.signal("CONT");
    let out = client.finish();
    srv.join().unwrap();
    out.expect_code(0).expect_stdout_end("reply: hello\n");
}
