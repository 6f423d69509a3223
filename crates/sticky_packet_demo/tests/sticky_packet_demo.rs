//! Runs the real sticky_packet_demo over loopback: plain mode (glued and split reads), framed
//! mode in both byte orders, hostile servers (negative, oversize and garbage lengths, a close
//! inside a header or a body), the command line; and the notes' own Python programs both ways.

use netcommon::again;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Instant;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, check_port_taken, closed_port, example, python, python_on_free_port, run,
    run_client, run_python_on_port, serve_one, Finished, Program, NOTES_PY, OUR_PY, TIMEOUT,
};

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

/// Starts `sticky_packet_demo server` on a free port with these options and messages.
fn start_server(extra: &[&str]) -> (Program, SocketAddr) {
    Program::server_on_any_port(EXE, &["server"], extra)
}

/// The texts of the lines that start with `prefix` (`recv #N: ` or `message #N: `), in order.
fn texts(stdout: &str, kind: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(kind)?.strip_prefix('#')?;
            let (n, text) = rest.split_once(": ")?;
            n.parse::<u32>().ok().map(|_| text.to_string())
        })
        .collect()
}

/// What happens after a fake server has sent its bytes.
#[derive(Clone, Copy)]
enum Then {
    /// Close at once.
    Close,
    /// Keep the connection open until the client leaves: a client still waiting for more
    /// bytes would hang, so a client that exits decided from what it already had.
    WaitForClient,
}

/// A one-client fake server on loopback that sends `bytes`, then does `then`.
fn fake_server(bytes: Vec<u8>, then: Then) -> (String, JoinHandle<()>) {
    serve_one(move |mut s| {
        s.write_all(&bytes).unwrap();
        if let Then::WaitForClient = then {
            let mut buf = [0; 16];
            let n = again(|| s.read(&mut buf));
            assert!(matches!(n, Ok(0) | Err(_)), "the client left: {n:?}");
        }
    })
}

fn frames(endian: Endian, bodies: &[&[u8]]) -> Vec<u8> {
    let mut wire = Vec::new();
    for body in bodies {
        let len = i32::try_from(body.len()).unwrap();
        wire.extend_from_slice(&match endian {
            Endian::Little => len.to_le_bytes(),
            Endian::Big => len.to_be_bytes(),
        });
        wire.extend_from_slice(body);
    }
    wire
}

/// The byte order of a frame's 4-byte length, as the lesson's `--endian` names it.
#[derive(Clone, Copy)]
enum Endian {
    Little,
    Big,
}

#[test]
fn plain_mode_glues_messages_but_loses_no_byte() {
    let (srv, addr) = start_server(&["hello", "world", "你好"]);
    let out = run_client(EXE, addr, &[]);
    out.expect_code(0);
    let got = texts(&out.stdout, "recv ");
    // How the bytes are cut into reads depends on timing; what they add up to does not.
    assert_eq!(got.concat(), "helloworld你好", "{out:?}");
    out.expect_stdout_end("server closed the connection\n");
    let srv = srv.finish();
    srv.expect_code(0)
        .expect_stdout_has("] sent #3: 6 bytes\n")
        .expect_stdout_has("] sent 3 messages, closing\n");
}

#[test]
fn plain_mode_splits_a_large_message() {
    let big = "a".repeat(70_000);
    let (_srv, addr) = start_server(&[&big, "end"]);
    let out = run_client(EXE, addr, &[]);
    out.expect_code(0);
    let got = texts(&out.stdout, "recv ");
    assert_eq!(got.concat(), format!("{big}end"));
    assert!(
        got.len() >= 69,
        "1024 bytes per read at most: {} reads",
        got.len()
    );
    assert!(got.iter().all(|t| t.len() <= 1024));
}

#[test]
fn framed_mode_keeps_every_message_whole_in_both_byte_orders() {
    let big = "x".repeat(70_000); // over 64 KiB: arrives in many pieces, read whole
    let sent = ["hello", "", "world", "你好", &big, "end"];
    for endian in ["little", "big"] {
        let mut args = vec!["--framed", "--endian", endian];
        args.extend_from_slice(&sent);
        let (srv, addr) = start_server(&args);
        let out = run_client(EXE, addr, &["--framed", "--endian", endian]);
        assert_eq!(out.code, Some(0), "{endian}: {out:?}");
        assert_eq!(texts(&out.stdout, "message "), sent, "{endian}");
        assert!(out.stdout.ends_with("server closed the connection\n"));
        let srv = srv.finish();
        srv.expect_code(0);
    }
}

#[test]
fn the_bytes_on_the_wire() {
    let read_all = |addr: SocketAddr| {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        all
    };
    let (mut srv, addr) = start_server(&["--framed", "hi", "你好"]);
    assert_eq!(
        read_all(addr),
        b"\x02\x00\x00\x00hi\x06\x00\x00\x00\xe4\xbd\xa0\xe5\xa5\xbd"
    );
    srv.expect("sent #1: length [02, 00, 00, 00] + 2 bytes\n");
    let (_srv, addr) = start_server(&["--framed", "--endian", "big", "hi", ""]);
    assert_eq!(read_all(addr), b"\x00\x00\x00\x02hi\x00\x00\x00\x00");
    let (_srv, addr) = start_server(&["hi", "there"]);
    assert_eq!(read_all(addr), b"hithere");

    // A client that sends something anyway still gets every byte: the server does not close
    // with those bytes unread (which would send a reset).
    let big = "z".repeat(100_000); // (one argument may not be much longer on Linux)
    let (_srv, addr) = start_server(&[&big, &big, &big, &big, &big]);
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(b"noise").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    assert_eq!(all.len(), 500_000);
}

#[test]
fn bytes_that_are_not_utf8_are_shown_with_replacement_characters() {
    let wire = frames(Endian::Little, &[b"\xffok", b""]);
    let (addr, fake) = fake_server(wire, Then::Close);
    let out = run_client(EXE, &addr, &["--framed"]);
    fake.join().unwrap();
    out.expect_code(0)
        .expect_stdout_has("message #1: \u{fffd}ok\nmessage #2: \n");

    let (addr, fake) = fake_server(b"\xffok".to_vec(), Then::Close);
    let out = run_client(EXE, &addr, &[]);
    fake.join().unwrap();
    out.expect_stdout_has("recv #1: \u{fffd}ok\n");
}

/// The framed client against a fake server sending `wire`: exit 1 and this error.
fn refused(wire: &[u8], then: Then, extra: &[&str], error: &str) -> Finished {
    let (addr, fake) = fake_server(wire.to_vec(), then);
    let mut args = vec!["--framed"];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let out = run_client(EXE, &addr, &args);
    fake.join().unwrap();
    out.expect_code(1)
        .expect_stderr_start("error: reading message #")
        .expect_stderr_has(error);
    assert!(started.elapsed() < TIMEOUT / 2, "it failed fast");
    out
}

#[test]
fn hostile_lengths_fail_fast_without_allocating() {
    refused(
        b"\xff\xff\xff\xff",
        Then::WaitForClient,
        &[],
        "negative frame length -1",
    );
    refused(
        b"\x00\x00\x00\x80",
        Then::WaitForClient,
        &[],
        "negative frame length",
    );
    let max = "frame length 2147483647 is over the limit of 16777216 bytes";
    refused(b"\xff\xff\xff\x7f", Then::WaitForClient, &[], max);
    refused(
        b"\x00\x00\x00\x01",
        Then::WaitForClient,
        &["--max-frame", "0"],
        "over the limit",
    );
    let eleven = frames(Endian::Big, &[b"ten bytes!", b"eleven byte"]);
    let out = refused(
        &eleven,
        Then::WaitForClient,
        &["--endian", "big", "--max-frame", "10"],
        "",
    );
    out.expect_stdout_has("message #1: ten bytes!\n")
        .expect_stderr_has("#2: frame length 11 is over the limit of 10");
}

#[test]
fn garbage_and_the_wrong_byte_order_are_refused() {
    // "GET " read as a little-endian length is 542393671.
    let http = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    refused(
        http,
        Then::WaitForClient,
        &[],
        "frame length 542393671 is over the limit",
    );
    // A big-endian 5 read as little-endian is 83886080.
    let big = frames(Endian::Big, &[b"hello"]);
    refused(
        &big,
        Then::WaitForClient,
        &[],
        "frame length 83886080 is over the limit",
    );
}

#[test]
fn a_close_inside_a_frame_is_an_error_between_frames_it_is_the_end() {
    refused(
        b"\x05\x00",
        Then::Close,
        &[],
        "closed inside a length header (2 of 4 bytes)",
    );
    let mut cut = frames(Endian::Little, &[b"whole"]);
    cut.extend_from_slice(b"\x05\x00\x00\x00he");
    let out = refused(
        &cut,
        Then::Close,
        &[],
        "#2: the connection closed inside a 5-byte frame",
    );
    out.expect_stdout_has("message #1: whole\n");

    let (addr, fake) = fake_server(Vec::new(), Then::Close);
    let out = run_client(EXE, &addr, &["--framed"]);
    fake.join().unwrap();
    out.expect_code(0);
    assert!(!out.stdout.contains("message #"), "{out:?}");
}

#[test]
fn with_no_message_the_server_asks_like_the_notes() {
    let (mut srv, addr) = start_server(&["--framed"]);
    let mut cli = Program::start(EXE, &["client", &addr.to_string(), "--framed"]);
    srv.expect("connected");
    srv.type_line("你好");
    srv.type_line("second");
    cli.expect("message #1: 你好\n");
    cli.expect("message #2: second\n");
    assert_eq!(cli.finish().code, Some(0));
    let srv = srv.finish();
    srv.expect_stdout_has(">>>>>>[");

    // End of input at the prompt: a usage error, exit 2.
    let (mut srv, addr) = start_server(&[]);
    let _c = TcpStream::connect(addr).unwrap();
    srv.expect("connected");
    let srv = srv.finish();
    srv.expect_code(2);
}

#[test]
fn command_line_mistakes_exit_2_and_runtime_errors_exit_1() {
    let bad: [&[&str]; 11] = [
        &[],
        &["--framed"],
        &["serve", "x"],
        &["server", "--endian", "network", "x"],
        &["server", "--bind", "9001", "x"],
        &["server", "--max-frame", "10", "x"],
        &["client"],
        &["client", "127.0.0.1:1", "127.0.0.1:2"],
        &["client", "localhost"],
        &["client", "127.0.0.1:1", "--max-frame", "lots"],
        &["client", "127.0.0.1:1", "--bind", "127.0.0.1:0"],
    ];
    check_command_line(EXE, "sticky_packet_demo", &bad);

    let port = closed_port(); // nothing listens there
    let out = run_client(EXE, format!("127.0.0.1:{port}"), &[]);
    out.expect_code(1)
        .expect_stderr_start("error: connecting to 127.0.0.1:");
    check_port_taken(EXE, &["server", "x"], false);
}

/// Starts one of the notes' Python servers on a free port and waits until it listens.
fn python_server(script: &str) -> (Program, String) {
    let (p, addr) = python_on_free_port(script, "listening on");
    (p, addr.to_string())
}

/// Starts the Python server `script` (see [`python_server`]) and our client at its address with
/// `flags` after it, types `msg1` and `msg2` at the server's two prompts and waits for the client
/// to end. Returns the server, to read what it printed, and how the client ended.
fn python_server_sends(
    script: &str,
    flags: &[&str],
    msg1: &str,
    msg2: &str,
) -> (Program, Finished) {
    let (mut srv, addr) = python_server(script);
    let cli = Program::start(EXE, &[&["client", addr.as_str()][..], flags].concat());
    srv.type_line(msg1);
    srv.type_line(msg2);
    (srv, cli.finish())
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_server_to_framed_client() {
    let notes = format!("{NOTES_PY}003_sticky_server.py");
    // The notes' server frames msg1 only. With an empty msg2 nothing follows it: a clean end.
    let (mut srv, out) = python_server_sends(&notes, &["--framed"], "hello 你好", "");
    out.expect_code(0)
        .expect_stdout_has("message #1: hello 你好\n");
    assert!(!out.stdout.contains("message #2"), "{out:?}");
    srv.expect(r"b'\x0c\x00\x00\x00'"); // print(blen): 12 bytes

    // msg2 is sent raw, so its first 4 bytes are taken for a length: "worl" = 1819438967.
    let (_srv, out) = python_server_sends(&notes, &["--framed"], "hello", "world");
    out.expect_code(1)
        .expect_stdout_has("message #1: hello\n")
        .expect_stderr_has("#2: frame length 1819438967 is over");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn our_python_server_in_network_order() {
    let ours = format!("{OUR_PY}003_sticky_server_network_order.py");
    let (mut srv, out) =
        python_server_sends(&ours, &["--framed", "--endian", "big"], "big-endian", "");
    out.expect_code(0)
        .expect_stdout_has("message #1: big-endian\n");
    srv.expect(r"b'\x00\x00\x00\n'"); // print(blen): 10 bytes, network order

    // The default byte order does not match '!i': 10 becomes 167772160, over the limit.
    let (_srv, out) = python_server_sends(&ours, &["--framed"], "big-endian", "");
    out.expect_code(1)
        .expect_stderr_has("frame length 167772160 is over");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_server_to_plain_client_shows_the_header_bytes() {
    let (_srv, out) = python_server_sends(
        &format!("{NOTES_PY}003_sticky_server.py"),
        &[],
        "hello",
        "world",
    );
    out.expect_code(0);
    assert_eq!(
        texts(&out.stdout, "recv ").concat(),
        "\u{5}\0\0\0helloworld",
        "{out:?}"
    );
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn framed_server_to_python_notes_client_and_ours_in_network_order() {
    let script = format!("{NOTES_PY}003_sticky_client.py");
    // One message: recv(4), recv(length) print it; the last recv(1024) gets b'' (closed).
    let (_srv, addr) = start_server(&["--framed", "hello 你好"]);
    let out = run_python_on_port(&script, addr, "");
    out.expect_code(0);
    assert_eq!(out.stdout, "hello 你好\n\n");

    // Two: the notes' client reads msg2 with a plain recv(1024), which starts with our second
    // length header (and has the message after it, if it had arrived by then).
    let (_srv, addr) = start_server(&["--framed", "hello", "world"]);
    let out = run_python_on_port(&script, addr, "");
    out.expect_code(0).expect_stdout_start("hello\n\u{5}\0\0\0");

    let script = format!("{OUR_PY}003_sticky_client_network_order.py");
    let (_srv, addr) = start_server(&["--framed", "--endian", "big", "网络字节序"]);
    let out = run_python_on_port(&script, addr, "");
    out.expect_code(0);
    assert_eq!(out.stdout, "网络字节序\n\n");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn plain_server_to_python_notes_client_reading_once() {
    let (srv, addr) = start_server(&["hello", "world", "again"]);
    let out = run_python_on_port(&format!("{NOTES_PY}003_tcp_client.py"), addr, "");
    out.expect_code(0);
    // print(msg) of one recv(1024): b'helloworldagain' when they glued, or a first part.
    let got = out
        .stdout
        .trim_end()
        .strip_prefix("b'")
        .and_then(|s| s.strip_suffix('\''));
    let got = got.unwrap_or_else(|| panic!("{out:?}"));
    assert!(
        !got.is_empty() && "helloworldagain".starts_with(got),
        "{out:?}"
    );
    // The notes' client leaves after its one recv. If that was before the server had written
    // everything, the server's next write fails: it reports that, exit 1.
    let srv = srv.finish();
    let cut_short = srv.code == Some(1) && srv.stderr.starts_with("error: sending message #");
    assert!(srv.code == Some(0) || cut_short, "{srv:?}");
}

/// The notes' way: the server's user types the two messages at its `>>>` prompts, however
/// slowly. The plain client waits for the first byte, then a moment: the typed messages arrive
/// glued (on a loaded machine they may come in two reads; no byte is ever lost).
#[test]
fn messages_typed_at_the_prompts_arrive_glued() {
    let (mut srv, addr) = start_server(&[]);
    let cli = Program::start(EXE, &["client", &addr.to_string()]);
    srv.expect("connected");
    std::thread::sleep(std::time::Duration::from_millis(100)); // a user is slower than that
    srv.type_line("hello");
    srv.type_line("world");
    let out = cli.finish();
    out.expect_code(0);
    assert_eq!(
        texts(&out.stdout, "recv ").concat(),
        "helloworld",
        "{out:?}"
    );
    println!("{}", out.stdout); // usually `recv #1: helloworld`
}

/// A server that accepts and then says nothing: the client gives up after --timeout and says
/// which wait ran out and how to wait longer.
#[test]
fn a_silent_server_is_given_up_on() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Both clients at once: each waits its 0.3 s.
    let outs = std::thread::scope(|s| {
        let plain = s.spawn(|| run_client(EXE, addr, &["--timeout", "0.3"]));
        let framed = s.spawn(|| run_client(EXE, addr, &["--timeout", "0.3", "--framed"]));
        [plain.join().unwrap(), framed.join().unwrap()]
    });
    for out in outs {
        out.expect_code(1).expect_stderr(
            "error: the server sent nothing for 0.3 s: giving up (to wait longer: --timeout S)\n",
        );
    }
}

/// `sticky_packet_demo server x | head -1`: nobody reads its log. It still serves its client.
#[test]
fn a_closed_stdout_never_stops_the_server() {
    let args = ["server", "--bind", "127.0.0.1:0", "--framed", "one", "two"];
    let server = Muted::start(EXE, &args);
    let got = run_client(EXE, server.addr, &["--framed"]);
    assert_eq!(texts(&got.stdout, "message ").concat(), "onetwo", "{got:?}");
    server.check_exits_cleanly(); // it serves one client, then ends
}

/// The struct demo prints what the notes' struct program prints, line for line, and the same
/// numbers in network order as Python's `'!i'` packs them.
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_struct_demo_and_ours_in_network_order() {
    let ours = run(&example("struct_demo"), &[], "");
    ours.expect_code(0);
    let lines: Vec<&str> = ours.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            r"b'\xd1\x8c\xb7\x07'",
            r"b'{\x00\x00\x00'",
            r"b'\x08\x00\x00\x00'"
        ]
    );
    assert_eq!(lines[3..6], ["(129469649,)", "(123,)", "(8,)"]);
    let notes = run(python(), &[&format!("{NOTES_PY}003_struct.py")], "");
    assert_eq!(notes.code, Some(0), "{notes:?}");
    assert_eq!(notes.stdout.lines().collect::<Vec<_>>(), lines[..6]);

    let network = run(
        python(),
        &[&format!("{OUR_PY}003_struct_network_order.py")],
        "",
    );
    let network: Vec<&str> = network.stdout.lines().collect();
    for (i, line) in lines[7..10].iter().enumerate() {
        assert_eq!(*line, format!("{}  ->  {}", network[i], network[i + 3]));
    }
}
