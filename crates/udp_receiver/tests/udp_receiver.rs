//! Runs the real udp_receiver over loopback, and against the notes' Python UDP clients.

use std::net::UdpSocket;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, check_port_taken, receive, run, run_python_on_port, udp, Program, NOTES_PY,
    TIMEOUT,
};

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

#[test]
fn prints_each_datagram_with_its_sender_replies_and_stops_after_count() {
    let (server, addr) = Program::server(
        EXE,
        &["--bind", "127.0.0.1:0", "--reply", "Thanks", "--count", "2"],
    );
    let mut server = server;
    let me = udp();
    let mine = me.local_addr().unwrap();

    me.send_to("hello".as_bytes(), addr).unwrap();
    assert_eq!(receive(&me), (b"Thanks".to_vec(), addr));
    server.expect(&format!("from {mine}: hello\n"));

    me.send_to("你好".as_bytes(), addr).unwrap();
    assert_eq!(receive(&me).0, b"Thanks");
    server.expect(&format!("from {mine}: 你好\n"));

    let end = server.finish();
    assert_eq!(
        end.code,
        Some(0),
        "--count 2 exits 0 after two datagrams: {end:?}"
    );
}

#[test]
fn bad_bytes_empty_and_long_datagrams_never_stop_it() {
    let (mut server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0"]);
    let me = udp();

    me.send_to(b"ok\xff\xfe", addr).unwrap(); // not UTF-8
    server.expect(": ok\u{fffd}\u{fffd}\n");

    me.send_to(b"", addr).unwrap(); // a datagram may be empty
    server.expect(&format!("from {}: \n", me.local_addr().unwrap()));

    // 3000 bytes into recvfrom(1024): the first 1024 are kept, the rest is lost, with a warning.
    me.send_to(&[b'a'; 3000], addr).unwrap();
    let line = server.expect("aaa");
    assert_eq!(line.matches('a').count(), 1024, "{line}");
    server.expect_stderr("longer than 1024 bytes");

    me.send_to(b"after", addr).unwrap(); // the next datagram arrives whole
    server.expect(": after\n");
    assert!(server.is_running());
}

#[test]
fn gbk_in_and_out() {
    let (mut server, addr) = Program::server(
        EXE,
        &[
            "--bind",
            "127.0.0.1:0",
            "--encoding",
            "gbk",
            "--reply",
            "收到",
        ],
    );
    let me = udp();
    me.send_to(b"\xc4\xe3\xba\xc3", addr).unwrap(); // "你好" in GBK
    assert_eq!(receive(&me).0, b"\xca\xd5\xb5\xbd"); // "收到" in GBK
    server.expect(": 你好\n");
}

#[test]
fn command_line_mistakes_exit_2_and_runtime_errors_exit_1() {
    let bad: [&[&str]; 4] = [
        &["--bogus"],
        &["--count", "x"],
        &["--bind", "nonsense"],
        &["extra"],
    ];
    check_command_line(EXE, "udp_receiver", &bad);

    check_port_taken(EXE, &[], true);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_sender_reaches_it() {
    let (mut server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0", "--count", "1"]);
    let client = run_python_on_port(
        &format!("{NOTES_PY}001_udp_send.py"),
        addr,
        "来自 Python 的问候\n",
    );
    client.expect_code(0);
    server.expect(": 来自 Python 的问候\n");
    assert_eq!(server.finish().code, Some(0));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_004_client_gets_the_reply() {
    let (_server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0", "--reply", "Thanks"]);
    let client = run_python_on_port(
        &format!("{NOTES_PY}004_udp_client.py"),
        addr,
        "one\ntwo\n\n",
    );
    client.expect_code(0);
    assert_eq!(
        client.stdout.matches("Response:  Thanks").count(),
        2,
        "{client:?}"
    );
}

/// Nobody reads its stdout any more (`udp_receiver | head -1`): the log line is dropped, the
/// server goes on (a `println!` would panic with exit 101).
#[test]
fn a_closed_stdout_never_stops_it() {
    let args = ["--bind", "127.0.0.1:0", "--reply", "ok", "--count", "2"];
    let server = Muted::start(EXE, &args);
    let me = udp();
    for text in ["one", "two"] {
        me.send_to(text.as_bytes(), server.addr).unwrap();
        assert_eq!(
            receive(&me).0,
            b"ok",
            "it replied after its log line failed"
        );
    }
    server.check_exits_cleanly(); // after --count 2
}

#[test]
fn a_port_out_of_range_is_called_that() {
    let out = run(EXE, &["--bind", "0.0.0.0:77880"], "");
    out.expect_code(2)
        .expect_stderr_start("error: \"0.0.0.0:77880\": port 77880 is out of range");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_receive_program_gets_the_gbk_reply() {
    // Notes 001 "udp 网络程序 - 接收数据": sends a typed line, waits for one datagram, and
    // decodes it as GBK (a Windows 网络调试助手 answers in GBK). udp_receiver answers in GBK too.
    let (mut server, addr) = Program::server(
        EXE,
        &[
            "--bind",
            "127.0.0.1:0",
            "--count",
            "1",
            "--reply",
            "收到了",
            "--encoding",
            "gbk",
        ],
    );
    let client = run_python_on_port(&format!("{NOTES_PY}001_udp_send_recv.py"), addr, "hello\n");
    client.expect_code(0);
    server.expect(": hello\n");
    client.expect_stdout_has(&format!("收到了\n('127.0.0.1', {})\n", addr.port()));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_002_feiq_message_arrives_in_gbk() {
    // Notes 002 "UDP发送飞秋消息": an IPMSG line in GBK to port 2425, one per line typed.
    let (mut server, addr) = Program::server(
        EXE,
        &["--bind", "127.0.0.1:0", "--count", "1", "--encoding", "gbk"],
    );
    // The notes' loop has no way out: at the end of input Python raises EOFError.
    let _ = run_python_on_port(&format!("{NOTES_PY}002_feiq.py"), addr, "你好\n");
    server.expect(": 1:324244:小道士:ubuntu:32:你好\n");
    assert_eq!(server.finish().code, Some(0));
}

#[test]
fn ipv6_peers_are_logged_with_one_pair_of_brackets() {
    let Ok(me) = UdpSocket::bind("[::1]:0") else {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    };
    me.set_read_timeout(Some(TIMEOUT)).unwrap();
    let (mut server, addr) = Program::server(EXE, &["--bind", "[::1]:0", "--reply", "ok"]);
    assert!(addr.is_ipv6(), "{addr}");
    me.send_to(b"hi", addr).unwrap();
    assert_eq!(receive(&me).0, b"ok");
    let line = server.expect(": hi\n");
    assert_eq!(line, format!("from {}: hi\n", me.local_addr().unwrap()));
    assert!(
        line.starts_with("from [::1]:") && !line.contains("[["),
        "{line}"
    );
}
