//! Runs the real tcp_server over loopback: replies, echo, client after client, resets, garbage,
//! silence, --once; and the notes' own Python clients against it. `notes/` runs the notes'
//! other programs against their twins: one test binary, so all of them run side by side.

mod notes;

use netcommon::again;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::time::Duration;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, check_port_taken, connect, exchange, python, run, run_python_on_port,
    send_and_never_read, start_python_on_port, Program, NOTES_PY, OUR_PY,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

fn start(extra: &[&str]) -> (Program, SocketAddr) {
    Program::server_on_any_port(EXE, &[], extra)
}

#[test]
fn replies_the_notes_answer_and_logs_each_chunk() {
    let (mut srv, addr) = start(&[]);
    let mut c = connect(addr);
    let me = c.local_addr().unwrap();
    srv.expect(&format!("[{me}] connected\n"));
    exchange(&mut c, "你好".as_bytes(), "收到！".as_bytes());
    srv.expect(&format!("from {me}: 你好\n"));
    drop(c);
    srv.expect(&format!("[{me}] closed the connection\n"));
}

#[test]
fn reply_text_and_echo() {
    let (_srv, addr) = start(&["--reply", "thank you !"]);
    exchange(&mut connect(addr), b"x", b"thank you !");

    let (mut srv, addr) = start(&["--echo"]);
    let mut c = connect(addr);
    exchange(&mut c, b"\x00\xffbytes", b"\x00\xffbytes"); // echo sends back the same bytes
    srv.expect(": \\u{0}\u{fffd}bytes\n"); // the NUL escaped in the log
}

#[test]
fn clients_are_served_one_after_another() {
    let (mut srv, addr) = start(&["--echo"]);
    let mut first = connect(addr);
    exchange(&mut first, b"1", b"1");
    // The second client's connection completes (it waits in the listen queue), but it is not
    // served until the first leaves.
    let mut second = connect(addr);
    second.write_all(b"2").unwrap();
    let me2 = second.local_addr().unwrap();
    drop(first);
    let mut got = [0; 1];
    second.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"2");
    srv.expect(&format!("[{me2}] connected\n"));
}

#[test]
fn a_reset_garbage_and_a_silent_client_never_stop_it() {
    let (mut srv, addr) = start(&["--echo", "--idle-timeout", "0.5"]);

    // Reset: close with unread bytes (the echo) in our buffer, which sends RST.
    let mut c = connect(addr);
    c.write_all(b"bye").unwrap();
    let mut first = [0; 1];
    c.read_exact(&mut first).unwrap(); // the echo is arriving; leave most of it unread
    drop(c);
    // Half-close: we say we are done writing, the server sees 0 bytes.
    let mut c = connect(addr);
    c.write_all(b"half").unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    c.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"half");
    // Silence: closed after --idle-timeout.
    let mut silent = connect(addr);
    let me = silent.local_addr().unwrap();
    let mut buf = [0; 1];
    assert_eq!(
        again(|| silent.read(&mut buf)).unwrap_or(0),
        0,
        "the server closes a silent client"
    );
    srv.expect(&format!(
        "[{me}] sent nothing for 0.5 s: closing it (to wait longer: --idle-timeout S)"
    ));

    let mut after = connect(addr);
    exchange(&mut after, b"still here?", b"still here?");
}

#[test]
fn once_serves_one_client_then_exits_0() {
    let (srv, addr) = start(&["--once"]);
    exchange(&mut connect(addr), b"hi", "收到！".as_bytes());
    let end = srv.finish();
    end.expect_code(0)
        .expect_stdout_has("closed the connection");
}

#[test]
fn gbk_encoding() {
    let (mut srv, addr) = start(&["--encoding", "gbk"]);
    exchange(
        &mut connect(addr),
        b"\xc4\xe3\xba\xc3",
        b"\xca\xd5\xb5\xbd\xa3\xa1",
    ); // 收到！
    srv.expect(": 你好\n");
}

#[test]
fn command_line_mistakes_exit_2_and_runtime_errors_exit_1() {
    let bad: [&[&str]; 5] = [
        &["--bogus"],
        &["--echo", "--reply", "x"],
        &["--idle-timeout", "never"],
        &["--bind", "8080"],
        &["extra"],
    ];
    check_command_line(EXE, "tcp_server", &bad);
    check_port_taken(EXE, &[], false);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_client() {
    let (_srv, addr) = start(&[]);
    let stdin = format!("127.0.0.1\n{}\n你好服务器\n", addr.port());
    let out = run(python(), &[&format!("{NOTES_PY}001_tcp_client.py")], &stdin);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.ends_with("接收到的数据为: 收到！\n"), "{out:?}");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_002_gbk_client_with_echo() {
    let (mut srv, addr) = start(&["--echo", "--encoding", "gbk"]);
    let mut client = start_python_on_port(&format!("{NOTES_PY}002_tcp_client.py"), addr);
    client.type_line("你好");
    client.expect("收到数据你好\n");
    srv.expect(": 你好\n");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn our_python_000_client_from_the_notes_steps() {
    let (mut srv, addr) = start(&[]);
    let out = run_python_on_port(&format!("{OUR_PY}000_tcp_client_steps.py"), addr, "");
    out.expect_code(0);
    srv.expect(": 你好！\n");
    // The notes' client closes without reading our answer. Depending on timing the server sees
    // a close (its answer was sent before the close arrived) or a reset (the answer reached a
    // socket already closed): both are right.
    let end = srv.expect("\n");
    assert!(
        end.contains("closed the connection") || end.contains("reset the connection"),
        "{end:?}"
    );
}

/// `tcp_server | head -1`: nobody reads its log after the first line. It must go on serving.
#[test]
fn a_closed_stdout_never_stops_it() {
    let server = Muted::start(EXE, &["--bind", "127.0.0.1:0", "--echo"]);
    for _ in 0..3 {
        exchange(&mut connect(server.addr), b"log me", b"log me");
    }
    server.check_still_serving();
}

/// A client that sends and never reads fills the socket buffers until the server's write
/// blocks: the write deadline frees the server for the next client.
#[test]
fn a_client_that_never_reads_is_closed_after_the_idle_timeout() {
    let (mut srv, addr) = start(&["--echo", "--idle-timeout", "0.5"]);
    let mut hog = connect(addr);
    send_and_never_read(&mut hog);
    srv.expect("read none of our answers for 0.5 s: closing it (to wait longer: --idle-timeout S)");
    exchange(&mut connect(addr), b"next", b"next");
}

/// A byte every 100 ms passes the per-read deadline forever; the total one closes it.
#[test]
fn a_trickling_client_is_closed_after_max_time() {
    let (mut srv, addr) = start(&["--echo", "--idle-timeout", "5", "--max-time", "0.3"]);
    let mut slow = connect(addr);
    let waiting = connect(addr); // queued behind it: served once it is closed
    for _ in 0..30 {
        if slow.write_all(b"x").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    srv.expect("connected for 0.3 s: closing it (the limit is --max-time S)");
    srv.expect(&format!("[{}] connected", waiting.local_addr().unwrap()));
}

/// An IPv6 peer is logged as `[::1]:PORT`, its address's own brackets, not `[[::1]:PORT]`.
#[test]
fn ipv6_peers_are_logged_with_one_pair_of_brackets() {
    if TcpListener::bind("[::1]:0").is_err() {
        println!("skipped: no IPv6 loopback here");
        return;
    }
    let (mut srv, addr) = Program::server(EXE, &["--bind", "[::1]:0", "--echo"]);
    let mut c = connect(addr);
    let me = c.local_addr().unwrap();
    exchange(&mut c, b"v6", b"v6");
    let line = srv.expect(&format!("{me} connected\n"));
    assert_eq!(line, format!("{me} connected\n"));
    assert!(
        !srv.stdout_so_far().contains("[["),
        "{}",
        srv.stdout_so_far()
    );
}

/// The one-shot and echo examples print the notes' words in Chinese (see `notes/`) and plain
/// English in English.
#[test]
fn the_notes_examples_speak_english_in_english() {
    use lesson_testing::example;
    let (mut srv, addr) = Program::server(&example("oneshot_server"), &["127.0.0.1:0"]);
    exchange(&mut connect(addr), b"hi", b"thank you !");
    srv.expect("received: hi\n");
    assert_eq!(srv.finish().code, Some(0));

    let (mut srv, addr) = Program::server(&example("echo_one_client"), &["127.0.0.1:0"]);
    let mut c = connect(addr);
    exchange(&mut c, b"hi", b"hi");
    drop(c);
    srv.expect("the client closed the connection\n");
    assert_eq!(srv.finish().code, Some(0));
}
