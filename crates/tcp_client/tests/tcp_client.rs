//! Runs the real tcp_client against test servers over loopback (replies, closes, resets,
//! silence) and against the notes' own Python servers.

use netcommon::again;
use std::io::{Read, Write};
use std::net::TcpStream;

use lesson_testing::{
    check_command_line, closed_port, python_on_free_port, run, run_against, serve_one, Program,
    NOTES_PY,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

/// Answers every chunk with "re:" + the chunk, until the client closes.
fn answer_each(mut s: TcpStream) {
    let mut buf = [0; 1024];
    loop {
        let n = again(|| s.read(&mut buf)).unwrap();
        if n == 0 {
            return;
        }
        s.write_all(&[b"re:", &buf[..n]].concat()).unwrap();
    }
}

#[test]
fn each_message_gets_one_reply() {
    let out = run_against(answer_each, |addr| run(EXE, &[addr, "hello", "你好"], ""));
    out.expect_code(0)
        .expect_stdout_has("reply: re:hello\nreply: re:你好\n");
}

#[test]
fn interactive_lines_until_q() {
    let out = run_against(answer_each, |addr| {
        run(EXE, &[addr], "one\n\ntwo\nq\nthree\n")
    });
    out.expect_code(0)
        .expect_stdout_has("reply: re:one\n")
        .expect_stdout_has("reply: re:two\n");
    assert!(!out.stdout.contains("three"), "stops at q: {out:?}");
    out.expect_stderr_has("empty message skipped");
}

#[test]
fn interactive_stops_at_capital_q_too() {
    let out = run_against(answer_each, |addr| run(EXE, &[addr], "one\nQ\ntwo\n"));
    out.expect_code(0).expect_stdout_has("reply: re:one\n");
    assert!(
        !out.stdout.contains("re:Q") && !out.stdout.contains("two"),
        "{out:?}"
    );
}

#[test]
fn a_server_that_closes_while_we_type_is_explained() {
    let (addr, srv) = serve_one(|mut s| {
        let mut buf = [0; 64];
        let n = again(|| s.read(&mut buf)).unwrap();
        s.write_all(&buf[..n]).unwrap();
        // then close, as a server stopped with Ctrl-C (or tcp_server after --idle-timeout) does
    });
    let mut client = Program::start(EXE, &[&addr]);
    client.expect("data to send: ");
    client.type_line("first");
    client.expect("reply: first\n");
    srv.join().unwrap(); // the server has closed; the student is still typing
    client.type_line("second");
    client.expect("server closed the connection\n");
    let out = client.finish();
    out.expect_code(0);
    // Usually the server's close (FIN) has arrived before "second" is typed, and the client
    // says so plainly, with no guess about why it closed. If it is still on its way, the client
    // sends "second" and meets the close (or the reset that its bytes cause) like any other:
    // also right, only without the explanation.
    assert!(!out.stdout.contains("--idle-timeout"), "no guess: {out:?}");
    match out
        .stdout
        .lines()
        .find(|l| l.starts_with("It closed while"))
    {
        Some(line) => {
            assert!(
                line.starts_with("It closed while you were typing ("),
                "{line:?}"
            );
            assert!(line.contains("so this line was not sent."), "{line:?}");
            assert!(line.ends_with("start tcp_client again."), "{line:?}");
        }
        None => assert!(!out.stderr.contains("error"), "{out:?}"),
    }
}

#[test]
fn interactive_until_end_of_input() {
    let out = run_against(answer_each, |addr| run(EXE, &[addr], "only\n"));
    out.expect_code(0).expect_stdout_has("reply: re:only\n");
}

#[test]
fn asks_for_the_server_like_the_notes() {
    let out = run_against(answer_each, |addr| {
        let port = addr.rsplit_once(':').unwrap().1;
        run(EXE, &[], &format!("127.0.0.1\n{port}\nhi\n"))
    });
    out.expect_code(0)
        .expect_stdout_start("server ip: server port: connected to")
        .expect_stdout_has("reply: re:hi\n");
    for stdin in ["", "127.0.0.1\n", "127.0.0.1\nport\n"] {
        assert_eq!(run(EXE, &[], stdin).code, Some(2), "{stdin:?}");
    }

    // A bad port is asked again, with the notes' 输入有误，请重新输入... (in English here)
    let out = run_against(answer_each, |addr| {
        let port = addr.rsplit_once(':').unwrap().1;
        run(EXE, &[], &format!("127.0.0.1\n99999\n{port}\nhi\n"))
    });
    out.expect_code(0);
    out.expect_stdout_has(
        "server port: port 99999 is out of range: a port is a whole number from 0 to 65535.\n\
             wrong input, please try again...\nserver port: connected to",
    );
}

#[test]
fn a_server_that_closes_ends_the_client_normally() {
    let out = run_against(
        |mut s| {
            let mut buf = [0; 16];
            let _ = again(|| s.read(&mut buf)).unwrap(); // read the message, then close without a word
        },
        |addr| run(EXE, &[addr, "hello", "anyone?"], ""),
    );
    out.expect_code(0)
        .expect_stdout_end("server closed the connection\n");
}

#[test]
fn a_reset_is_the_server_closing_not_a_crash() {
    let out = run_against(
        |s| {
            // Closing with unread bytes in the receive buffer makes the system send a reset (RST).
            let mut peek = [0; 1];
            s.peek(&mut peek).unwrap();
        },
        |addr| run(EXE, &[addr, "hello", "more"], ""),
    );
    out.expect_code(0)
        .expect_stdout_end("server closed the connection\n")
        .expect_stderr_has("warning: the connection was reset");
}

#[test]
fn bad_bytes_and_gbk() {
    let out = run_against(
        |mut s| {
            let mut buf = [0; 16];
            let _ = again(|| s.read(&mut buf)).unwrap();
            s.write_all(b"\xffok").unwrap();
        },
        |addr| run(EXE, &[addr, "x"], ""),
    );
    out.expect_stdout_has("reply: \u{fffd}ok\n");

    let out = run_against(
        |mut s| {
            let mut buf = [0; 16];
            let n = again(|| s.read(&mut buf)).unwrap();
            assert_eq!(&buf[..n], b"\xc4\xe3\xba\xc3", "你好 in GBK");
            s.write_all(b"\xca\xd5\xb5\xbd").unwrap(); // 收到 in GBK
        },
        |addr| run(EXE, &["--encoding", "gbk", addr, "你好"], ""),
    );
    out.expect_stdout_has("reply: 收到\n");
}

#[test]
fn silence_past_the_timeout_is_an_error() {
    let out = run_against(
        |mut s| {
            let mut buf = [0; 16];
            let _ = again(|| s.read(&mut buf)); // never answers; returns when the client gives up
            let _ = again(|| s.read(&mut buf));
        },
        |addr| run(EXE, &["--timeout", "0.2", addr, "hello?"], ""),
    );
    out.expect_code(1)
        .expect_stderr("error: no reply within 0.2 s (--timeout)\n");
}

#[test]
fn refused_connections_and_bad_command_lines() {
    let port = closed_port(); // nothing listens there
    let out = run(EXE, &[&format!("127.0.0.1:{port}"), "x"], "");
    out.expect_code(1)
        .expect_stderr_start(&format!("error: connecting to 127.0.0.1:{port}: "));
    assert!(
        out.stderr
            .ends_with("; is the server running on that port?\n"),
        "{out:?}"
    );

    let bad: [&[&str]; 4] = [
        &["--bogus", "127.0.0.1:1"],
        &["localhost"],
        &["--timeout", "0", "h:1"],
        &["127.0.0.1:80800"],
    ];
    check_command_line(EXE, "tcp_client", &bad);
}

fn python_server(script: &str, ready: &str) -> (Program, String) {
    let (p, addr) = python_on_free_port(&format!("{NOTES_PY}{script}"), ready);
    (p, addr.to_string())
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_000_server() {
    let (mut srv, addr) = python_server("000_tcp_server.py", "服务器已开启");
    let out = run(EXE, &[&addr, "hello", "again"], "");
    out.expect_code(0);
    assert_eq!(out.stdout.matches("reply: 收到！\n").count(), 2, "{out:?}");
    srv.expect("收到客户端的消息： hello");
    srv.expect("客户端已断开");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_server_answers_once_then_closes() {
    let (mut srv, addr) = python_server("001_tcp_server.py", "listening on");
    let out = run(EXE, &[&addr, "你好", "more?"], "");
    out.expect_code(0)
        .expect_stdout_has("reply: thank you !\nserver closed the connection\n");
    srv.expect("接收到的数据为: 你好");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_002_echo_server() {
    let (srv, addr) = python_server("002_tcp_server.py", "listening on");
    let out = run(EXE, &[&addr], "回声\necho\n");
    out.expect_code(0)
        .expect_stdout_has("reply: 回声\n")
        .expect_stdout_has("reply: echo\n");
    assert!(srv.finish().stdout.contains("客户端已关闭"));
}
