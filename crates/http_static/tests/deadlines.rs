//! Deadlines that hold however a client sends: the examples' whole-request deadlines against a
//! client that trickles its request a byte at a time or sends a short body, network text
//! escaped in what they print, and durations too large for the clock refused at the command line.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use lesson_testing::{ask, example, run, Program, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");
const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";

/// Connects and sends `start`, then one more byte (`a`, never a line end) every `every`, on a
/// thread, until the server closes (a write fails) or 30 s have passed. Returns the connection.
fn trickle(addr: SocketAddr, start: &[u8], every: Duration) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(start).unwrap();
    let mut writer = s.try_clone().unwrap();
    thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until && writer.write_all(b"a").is_ok() {
            thread::sleep(every);
        }
    });
    s
}

#[test]
fn fake_response_gives_a_trickling_client_one_deadline_and_serves_the_next() {
    let (mut server, addr) = Program::server(&example("fake_response"), &["--bind", "127.0.0.1:0"]);
    let started = Instant::now();
    // A byte every 0.3 s: each read gets one well within any per-read timeout.
    let mut slow = trickle(addr, b"GET /", Duration::from_millis(300));
    // The next client waits in the queue behind it, and is served once it is given up on.
    let served = ask(addr, GET);
    let waited = started.elapsed();
    assert!(served.starts_with(b"HTTP/1.1 200 OK\r\n"), "{served:?}");
    assert!(waited < Duration::from_secs(5), "served after {waited:?}");
    // The slow client got no answer: it was closed (a FIN, or a reset as its bytes kept coming).
    let mut got = Vec::new();
    let _ = slow.read_to_end(&mut got);
    assert!(got.is_empty(), "{got:?}");
    server.expect("sent no whole request head within 2 s: closed");
    server.expect("\"GET / HTTP/1.1\" 200 20");
}

#[test]
fn fake_response_logs_a_forged_request_line_escaped() {
    let (mut server, addr) = Program::server(&example("fake_response"), &["--bind", "127.0.0.1:0"]);
    let forged = b"GET /\rlistening on 1.2.3.4:5\x1b[2J HTTP/1.1\r\n\r\n";
    assert!(ask(addr, forged).starts_with(b"HTTP/1.1 200 OK"));
    let line = server.expect(" 200 20");
    assert!(
        line.contains("\"GET /\\rlistening on 1.2.3.4:5\\u{1b}[2J HTTP/1.1\" 200 20"),
        "{line:?}"
    );
}

#[test]
fn request_viewer_prints_a_short_body_and_says_how_short() {
    let head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n";
    // The client stops sending after 3 of its 10 bytes, and stays connected.
    let (viewer, addr) = Program::server(
        &example("request_viewer"),
        &["--bind", "127.0.0.1:0", "--timeout", "1"],
    );
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("{head}abc").as_bytes()).unwrap();
    let started = Instant::now();
    let out = viewer.finish();
    assert!(started.elapsed() < Duration::from_secs(5), "{out:?}");
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.ends_with(&format!("{head}abc\n")), "{out:?}");
    out.expect_stderr("error: the body was short: the client sent 3 of 10 bytes within 1 s\n");
    drop(s);

    // The client closes after 3 of its 10 bytes.
    let (viewer, addr) = Program::server(&example("request_viewer"), &["--bind", "127.0.0.1:0"]);
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("{head}abc").as_bytes()).unwrap();
    drop(s);
    let out = viewer.finish();
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.ends_with(&format!("{head}abc\n")), "{out:?}");
    out.expect_stderr("error: the body was short: the client sent 3 of 10 bytes, then closed\n");
}

#[test]
fn request_viewer_gives_a_trickling_head_one_deadline() {
    let (viewer, addr) = Program::server(
        &example("request_viewer"),
        &["--bind", "127.0.0.1:0", "--timeout", "1"],
    );
    let started = Instant::now();
    let _slow = trickle(addr, b"GET /", Duration::from_millis(200));
    let out = viewer.finish();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "{took:?} {out:?}");
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stdout.contains("\nGET /a"),
        "what arrived is shown: {out:?}"
    );
    out.expect_stderr("error: the request head was not complete after 1 s\n");
}

#[test]
fn request_viewer_escapes_control_characters_but_keeps_the_lines() {
    let (viewer, addr) = Program::server(&example("request_viewer"), &["--bind", "127.0.0.1:0"]);
    let forged =
        "GET /\x1b[2J HTTP/1.1\r\nX-Name: 张三\rlistening on 1.2.3.4:5\r\nX-Path: a\\b\r\n\r\n";
    ask(addr, forged.as_bytes());
    let out = viewer.finish();
    assert_eq!(out.code, Some(0), "{out:?}");
    let (_, printed) = out.stdout.split_once("Connect From ").unwrap();
    let (_, printed) = printed.split_once('\n').unwrap();
    assert_eq!(
        printed,
        "GET /\\u{1b}[2J HTTP/1.1\r\nX-Name: 张三\\rlistening on 1.2.3.4:5\r\nX-Path: a\\\\b\r\n\r\n\n"
    );
}

#[test]
fn durations_too_large_for_the_clock_are_usage_errors() {
    for (program, option) in [
        (EXE.to_string(), "--head-timeout"),
        (EXE.to_string(), "--keep-alive"),
        (example("request_viewer"), "--timeout"),
    ] {
        let out = run(&program, &[option, "1e19"], "");
        assert_eq!(out.code, Some(2), "{option}: {out:?}");
        assert!(
            out.stderr.starts_with(&format!(
                "error: {option} must be a number of seconds above 0 and at most 86400 (a day)\n"
            )),
            "{out:?}"
        );
    }
}
