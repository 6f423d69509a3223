//! Runs the real udp_sender (and the 飞秋 example) over loopback, and against the notes' Python
//! UDP receivers.

use std::net::UdpSocket;
use std::thread;

use lesson_testing::{check_command_line, python_on_free_port, receive, run, udp, NOTES_PY};
use netcommon::Encoding;

const EXE: &str = env!("CARGO_BIN_EXE_udp_sender");

/// A UDP socket on loopback standing in for the receiver, and its address as text.
fn receiver() -> (UdpSocket, String) {
    let socket = udp();
    let addr = socket.local_addr().unwrap().to_string();
    (socket, addr)
}

#[test]
fn each_message_is_one_datagram_of_its_bytes() {
    let (socket, addr) = receiver();
    let out = run(EXE, &[&addr, "hello", "你好 world", "-5"], "");
    out.expect_code(0);
    assert_eq!(receive(&socket).0, b"hello");
    assert_eq!(receive(&socket).0, "你好 world".as_bytes());
    assert_eq!(receive(&socket).0, b"-5");
    out.expect_stdout_has(&format!("sent 5 bytes to {addr}"));
}

#[test]
fn wait_reply_prints_each_reply_with_its_sender() {
    let (socket, addr) = receiver();
    let echo = thread::spawn(move || {
        for _ in 0..2 {
            let (data, from) = receive(&socket);
            socket.send_to(&[b"re:", &data[..]].concat(), from).unwrap();
        }
    });
    let out = run(EXE, &["--wait-reply", &addr, "one", "two"], "");
    echo.join().unwrap();
    out.expect_code(0)
        .expect_stdout_has(&format!("reply from {addr}: re:one\n"))
        .expect_stdout_has(&format!("reply from {addr}: re:two\n"));
}

#[test]
fn no_reply_fails_after_the_timeout() {
    let (socket, addr) = receiver(); // receives, never answers
    let out = run(
        EXE,
        &["--wait-reply", "--timeout", "0.2", &addr, "anyone?"],
        "",
    );
    assert_eq!(receive(&socket).0, b"anyone?");
    out.expect_code(1)
        .expect_stderr(&format!("error: no reply from {addr} within 0.2 s\n"));
}

#[test]
fn a_reply_over_1024_bytes_is_cut_with_a_warning() {
    let (socket, addr) = receiver();
    let big = thread::spawn(move || {
        let (_, from) = receive(&socket);
        socket.send_to(&[b'x'; 2000], from).unwrap();
    });
    let out = run(EXE, &["--wait-reply", &addr, "big?"], "");
    big.join().unwrap();
    out.expect_code(0);
    assert_eq!(out.stdout.matches('x').count(), 1024, "{out:?}");
    out.expect_stderr_has("longer than 1024 bytes");
}

#[test]
fn asks_like_the_notes_when_arguments_are_missing() {
    let (socket, addr) = receiver();
    let port = addr.rsplit_once(':').unwrap().1;
    let out = run(EXE, &[], &format!("127.0.0.1\n{port}\n从键盘输入\n"));
    out.expect_code(0)
        .expect_stdout_start("peer ip: peer port: data to send: ");
    assert_eq!(receive(&socket).0, "从键盘输入".as_bytes());

    // With DEST given, only the message is asked for (notes 001: input("请输入要发送的数据:")).
    let out = run(EXE, &[&addr], "second\n");
    out.expect_code(0);
    assert_eq!(receive(&socket).0, b"second");
}

#[test]
fn end_of_input_or_a_bad_port_at_a_prompt_is_a_usage_error() {
    for stdin in ["", "127.0.0.1\n", "127.0.0.1\nabc\n", "127.0.0.1\n70000\n"] {
        let out = run(EXE, &[], stdin);
        assert_eq!(out.code, Some(2), "{stdin:?}: {out:?}");
        out.expect_stderr_has("usage: udp_sender");
    }
    let (_socket, addr) = receiver();
    assert_eq!(run(EXE, &[&addr], "").code, Some(2));
}

#[test]
fn a_bad_port_at_the_prompt_is_asked_again() {
    let (socket, addr) = receiver();
    let port = addr.rsplit_once(':').unwrap().1;
    let out = run(EXE, &[], &format!("127.0.0.1\nabc\n80800\n{port}\nmsg\n"));
    out.expect_code(0);
    let asked = "peer port: ";
    assert_eq!(out.stdout.matches(asked).count(), 3, "{out:?}");
    out.expect_stdout_has(&format!( "{asked}a port is a whole number from 0 to 65535, not \"abc\".\nwrong input, please try again...\n{asked}" )).expect_stdout_has(&format!( "{asked}port 80800 is out of range: a port is a whole number from 0 to 65535.\nwrong input, please try again...\n{asked}" ));
    assert_eq!(receive(&socket).0, b"msg");
}

#[test]
fn a_port_out_of_range_is_called_that() {
    let out = run(EXE, &["127.0.0.1:80800", "x"], "");
    out.expect_code(2).expect_stderr_start(
        "error: \"127.0.0.1:80800\": port 80800 is out of range (a port is 0 to 65535)\n",
    );
}

#[test]
fn gbk_encoding_on_the_wire() {
    let (socket, addr) = receiver();
    let out = run(EXE, &["--encoding", "gbk", &addr, "你好"], "");
    out.expect_code(0);
    assert_eq!(receive(&socket).0, b"\xc4\xe3\xba\xc3");
}

#[test]
fn command_line_mistakes_exit_2() {
    let bad: [&[&str]; 5] = [
        &["--bogus", "127.0.0.1:9", "x"],
        &["--timeout", "soon", "127.0.0.1:9", "x"],
        &["--timeout", "-1", "127.0.0.1:9", "x"],
        &["--encoding", "latin1", "127.0.0.1:9", "x"],
        &["no-port-here", "x"],
    ];
    check_command_line(EXE, "udp_sender", &bad);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_receiver_gets_it() {
    let script = format!("{NOTES_PY}001_udp_bind_recv.py");
    let (mut receiver, addr) = python_on_free_port(&script, "listening on");
    let out = run(EXE, &[&addr.to_string(), "你好，Python"], "");
    out.expect_code(0);
    receiver.expect("你好，Python\n");
    assert_eq!(receiver.finish().code, Some(0));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_004_server_replies() {
    let script = format!("{NOTES_PY}004_udp_server.py");
    let (mut server, addr) = python_on_free_port(&script, "listening on");
    let dest = addr.to_string();
    let out = run(EXE, &["--wait-reply", &dest, "word"], "");
    out.expect_code(0)
        .expect_stdout_has(&format!("reply from {dest}: Thanks\n"));
    server.expect("Msg: word");
}

/// The 飞秋 example, built by `cargo test` beside the test binaries.
#[test]
fn feiq_example_sends_an_ipmsg_line_in_gbk() {
    let exe = lesson_testing::example("feiq");
    let (socket, addr) = receiver();
    let out = run(&exe, &[&addr, "你好"], "");
    out.expect_code(0);
    let (data, _) = receive(&socket);
    let text = Encoding::Gbk.decode(&data);
    let fields: Vec<&str> = text.split(':').collect();
    assert_eq!(fields.len(), 6, "{text}");
    assert_eq!(fields[0], "1");
    assert!(fields[1].parse::<u64>().is_ok(), "{text}");
    assert_eq!(fields[2..], ["小道士", "ubuntu", "32", "你好"]);
    assert!(
        data.ends_with(b"\xc4\xe3\xba\xc3"),
        "the text is GBK, not UTF-8"
    );
}
