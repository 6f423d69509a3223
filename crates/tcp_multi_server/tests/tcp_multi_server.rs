//! Runs the real tcp_multi_server: clients at the same time, hundreds of them, the client limit,
//! resets, garbage and silence; and the notes' own Python socketserver programs.

use netcommon::again;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::thread;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, connect, exchange, python_on_free_port, send_and_never_read,
    start_python_on_port, Program, NOTES_PY,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

fn start(extra: &[&str]) -> (Program, SocketAddr) {
    Program::server_on_any_port(EXE, &[], extra)
}

#[test]
fn a_silent_client_does_not_block_the_others() {
    let (mut srv, addr) = start(&[]);
    let _silent = connect(addr); // connected, says nothing: a serial server would stop here
    srv.expect("connected (1 client)");
    let mut busy = connect(addr);
    exchange(&mut busy, b"hello", b"HELLO");
    // print(content): the server logs what it received, and counts clients in good English.
    let me = busy.local_addr().unwrap();
    srv.expect(&format!("[{me}] connected (2 clients)\nfrom {me}: hello\n"));
}

#[test]
fn only_ascii_letters_are_upper_cased() {
    let (_srv, addr) = start(&[]);
    let mut c = connect(addr);
    let input = "héllo wörld 你好 123 \u{0}".as_bytes();
    let expected = "HéLLO WöRLD 你好 123 \u{0}".as_bytes();
    exchange(&mut c, input, expected);
    exchange(&mut c, b"\xff\xfeabc", b"\xff\xfeABC"); // not UTF-8: still served
}

#[test]
fn two_hundred_clients_at_once() {
    let (_srv, addr) = start(&[]);
    let clients: Vec<_> = (0..200)
        .map(|i| {
            thread::spawn(move || {
                let mut c = connect(addr);
                for round in 0..20 {
                    let msg = format!("client {i} round {round}");
                    exchange(&mut c, msg.as_bytes(), msg.to_uppercase().as_bytes());
                }
            })
        })
        .collect();
    for c in clients {
        c.join().expect("a client failed");
    }
}

#[test]
fn past_max_clients_a_new_client_is_closed_at_once() {
    let (mut srv, addr) = start(&["--max-clients", "2"]);
    let mut a = connect(addr);
    exchange(&mut a, b"a", b"A");
    let mut b = connect(addr);
    exchange(&mut b, b"b", b"B");

    let mut c = connect(addr); // the handshake completes in the kernel; then the server closes it
    let mut buf = [0; 1];
    assert_eq!(
        again(|| c.read(&mut buf)).unwrap_or(0),
        0,
        "closed without a byte"
    );
    srv.expect("refused: already serving 2 clients");

    drop(a); // a place comes back
    srv.expect("closed the connection");
    exchange(&mut connect(addr), b"d", b"D");
}

#[test]
fn when_full_the_longest_idle_client_makes_room() {
    let (mut srv, addr) = start(&["--max-clients", "2", "--idle-grace", "0.4"]);
    let mut idle = connect(addr);
    exchange(&mut idle, b"a", b"A");
    let idle_addr = idle.local_addr().unwrap();
    let mut busy = connect(addr);
    // Keep `busy` active while `idle` passes the grace period (0.4 s here, 1.5 s by default).
    for _ in 0..6 {
        exchange(&mut busy, b"b", b"B");
        thread::sleep(std::time::Duration::from_millis(100));
    }
    let mut new = connect(addr);
    exchange(&mut new, b"new", b"NEW");
    srv.expect(&format!("closing [{idle_addr}]: idle longest, making room"));
    let mut one = [0; 1];
    assert_eq!(
        again(|| idle.read(&mut one)).unwrap_or(0),
        0,
        "the idle one was closed"
    );
    exchange(&mut busy, b"still", b"STILL");
}

#[test]
fn a_client_that_never_reads_is_closed_after_the_idle_timeout() {
    let (mut srv, addr) = start(&["--idle-timeout", "0.5"]);
    let mut hog = connect(addr);
    send_and_never_read(&mut hog);
    srv.expect("read none of our reply for 0.5 s: closing it (to wait longer: --idle-timeout S)");
    exchange(&mut connect(addr), b"next", b"NEXT");
}

#[test]
fn a_trickling_client_is_closed_after_max_time() {
    let (mut srv, addr) = start(&["--idle-timeout", "5", "--max-time", "0.3"]);
    let mut slow = connect(addr);
    for _ in 0..30 {
        if slow.write_all(b"x").is_err() {
            break; // closed: any outcome after the close is right
        }
        thread::sleep(std::time::Duration::from_millis(100));
    }
    srv.expect("connected for 0.3 s: closing it (the limit is --max-time S)");
}

#[test]
fn a_closed_stdout_never_stops_it() {
    // `tcp_multi_server | head -1`: nobody reads its stdout any more.
    let server = Muted::start(EXE, &["--bind", "127.0.0.1:0"]);
    for _ in 0..3 {
        exchange(&mut connect(server.addr), b"log me", b"LOG ME");
    }
    server.check_still_serving();
}

#[test]
fn resets_garbage_and_silence_never_stop_it() {
    let (mut srv, addr) = start(&["--idle-timeout", "0.5"]);
    let mut other = connect(addr);
    exchange(&mut other, b"before", b"BEFORE");

    // A reset: close while the server's answer is still unread.
    let mut r = connect(addr);
    r.write_all(&[b'x'; 5000]).unwrap();
    let mut one = [0; 1];
    r.read_exact(&mut one).unwrap();
    drop(r);
    // Garbage: every byte value.
    let all: Vec<u8> = (0..=255).collect();
    let mut upper = all.clone();
    upper.make_ascii_uppercase();
    exchange(&mut connect(addr), &all, &upper);
    // Silence: closed after --idle-timeout.
    let mut silent = connect(addr);
    assert_eq!(again(|| silent.read(&mut one)).unwrap_or(0), 0);
    srv.expect("sent nothing for 0.5 s: closing it (to wait longer: --idle-timeout S)");

    exchange(&mut connect(addr), b"after", b"AFTER");
}

#[test]
fn command_line_mistakes_exit_2() {
    let bad: [&[&str]; 6] = [
        &["--bogus"],
        &["--max-clients", "0"],
        &["--idle-grace", "soon"],
        &["--max-clients", "many"],
        &["--idle-timeout", "0"],
        &["extra"],
    ];
    check_command_line(EXE, "tcp_multi_server", &bad);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_client_is_served() {
    let (mut srv, addr) = start(&[]);
    let mut client = start_python_on_port(&format!("{NOTES_PY}003_socketserver_client.py"), addr);
    let line = srv.expect("] connected (1 client)");
    let python_client = &line[..line.find(']').unwrap() + 1]; // "[127.0.0.1:PORT]"

    // The notes' client sends hello forever; meanwhile another client is served too.
    exchange(&mut connect(addr), b"me too", b"ME TOO");
    assert!(client.is_running(), "the notes' client is still talking");
    drop(client); // killed: the server logs a reset or a close, and goes on
    srv.expect(python_client);
    exchange(&mut connect(addr), b"still", b"STILL");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn answers_like_the_notes_python_server() {
    let script = format!("{NOTES_PY}003_socketserver_server.py");
    let (mut python, python_addr) = python_on_free_port(&script, "listening on");
    let (_srv, rust_addr) = start(&[]);
    let mut p = connect(python_addr);
    let mut r = connect(rust_addr);
    for message in ["hello", "Mixed Case 123", "socketserver"] {
        let expected = message.to_uppercase();
        exchange(&mut p, message.as_bytes(), expected.as_bytes());
        exchange(&mut r, message.as_bytes(), expected.as_bytes());
    }
    python.expect("socketserver");
}

/// An IPv6 peer is logged as `[::1]:PORT`, its address's own brackets, not `[[::1]:PORT]`.
#[test]
fn ipv6_peers_are_logged_with_one_pair_of_brackets() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        println!("skipped: no IPv6 loopback here");
        return;
    }
    let (mut srv, addr) = Program::server(EXE, &["--bind", "[::1]:0"]);
    let mut c = connect(addr);
    let me = c.local_addr().unwrap();
    exchange(&mut c, b"v6", b"V6");
    let line = srv.expect(&format!("{me} connected (1 client)\n"));
    assert_eq!(line, format!("{me} connected (1 client)\n"));
    assert!(
        !srv.stdout_so_far().contains("[["),
        "{}",
        srv.stdout_so_far()
    );
}
