//! The test helpers' own checks: a program whose port another socket took first is started
//! again on another port, and any other failure still fails the test.

use std::cell::Cell;

use lesson_testing::{python3, start_on_free_port, Program};

/// Python code that prints the `listening on` line for `port`, or fails like a busy bind.
fn fake_server(port: u16, busy: bool) -> String {
    if busy {
        "import sys; sys.exit('OSError: [Errno 98] Address already in use')".into()
    } else {
        format!("print('listening on 127.0.0.1:{port}')\nimport sys; sys.stdin.read()")
    }
}

#[test]
fn a_port_taken_first_is_tried_again_with_another() {
    let Some(py) = python3() else { return };
    let tries = Cell::new(0);
    let start = |port: u16| {
        tries.set(tries.get() + 1);
        Program::start(py, &["-c", &fake_server(port, tries.get() == 1)])
    };
    let (p, port) = start_on_free_port(start, "listening on");
    assert_eq!(tries.get(), 2);
    let out = p.stdout_so_far(); // its newline may still be on its way
    let line = format!("listening on 127.0.0.1:{port}");
    assert!(out.starts_with(&line), "{out:?}");
}

#[test]
#[should_panic(expected = "waiting for \"listening on\" on stdout")]
fn another_failure_fails_the_test() {
    let Some(py) = python3() else {
        panic!("waiting for \"listening on\" on stdout: no python here")
    };
    let start = |_port: u16| Program::start(py, &["-c", "import sys; sys.exit('no such file')"]);
    start_on_free_port(start, "listening on");
}
