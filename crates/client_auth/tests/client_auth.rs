//! Runs the real client_auth over loopback: right and wrong secrets, the raw protocol, hostile
//! clients (short answers, garbage, silence, resets) after each of which the server serves the
//! next, hostile servers, where the secret comes from; and the notes' own Python programs.

use netcommon::again;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Output, Stdio};

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, closed_port, python_on_free_port, run_client, run_python_on_port,
    serve_one, Finished, Program, NOTES_PY, TIMEOUT,
};
use sha1::{Digest, Sha1};

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");
const SECRET_ENV: &str = "NET_LESSONS_SECRET";

fn start_server(extra: &[&str]) -> (Program, SocketAddr) {
    Program::server_on_any_port(EXE, &["server"], extra)
}

/// hashlib.sha1(secret + nonce).hexdigest(), computed here independently of the program.
fn digest(secret: &[u8], nonce: &[u8]) -> String {
    let sum = Sha1::new()
        .chain_update(secret)
        .chain_update(nonce)
        .finalize();
    sum.iter().map(|b| format!("{b:02x}")).collect()
}

/// Connects and reads the 32-byte challenge.
fn challenge(addr: SocketAddr) -> (TcpStream, [u8; 32]) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut nonce = [0; 32];
    s.read_exact(&mut nonce).expect("a 32-byte challenge");
    (s, nonce)
}

/// Everything the server sends until it closes (a reset counts as a close).
fn rest(mut s: TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    match s.read_to_end(&mut all) {
        Ok(_) => all,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => all,
        Err(e) => panic!("reading the rest: {e}"),
    }
}

/// A raw client that knows `secret` is let in.
fn good_client(srv: &mut Program, addr: SocketAddr, secret: &[u8]) {
    let (mut s, nonce) = challenge(addr);
    let me = s.local_addr().unwrap();
    s.write_all(digest(secret, &nonce).as_bytes()).unwrap();
    assert_eq!(rest(s), b"hello");
    srv.expect(&format!("accepted {me}\n"));
}

#[test]
fn right_secret_hello_wrong_secret_rejected() {
    let (mut srv, addr) = start_server(&["--secret", "s3cret"]);
    let out = run_client(EXE, addr, &["--secret", "s3cret"]);
    out.expect_code(0).expect_stdout_end("server says: hello\n");
    assert_eq!(out.stderr, "", "no warning with --secret");
    srv.expect("accepted 127.0.0.1:");

    let out = run_client(EXE, addr, &["--secret", "guess"]);
    out.expect_code(1);
    assert_rejected(&out);
    srv.expect("wrong answer\n");
    srv.expect("rejected 127.0.0.1:");
}

/// A rejection is said once, `rejected by server` on stdout, and the reason on stderr: exit 1.
fn assert_rejected(out: &Finished) {
    out.expect_code(1).expect_stdout_end("rejected by server\n");
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(
        errors,
        ["error: our --secret differs from the server's \
         (or the server gave up waiting for our answer): \
         use the server's secret, with --secret S or NET_LESSONS_SECRET"],
        "{out:?}"
    );
}

/// Three connections that say nothing, queued before a real client: each waits on its own
/// thread, so the real client is answered at once, not after 3 times --timeout (30 s).
#[test]
fn silent_clients_never_delay_the_next_one() {
    let (mut srv, addr) = start_server(&["--secret", "k"]);
    let silent: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let started = std::time::Instant::now();
    good_client(&mut srv, addr, b"k");
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    drop(silent);
}

/// `client_auth server | head -1`: nobody reads its log any more. It goes on serving.
#[test]
fn a_closed_stdout_never_stops_it() {
    let server = Muted::start(EXE, &["server", "--bind", "127.0.0.1:0", "--secret", "k"]);
    for _ in 0..3 {
        let (mut s, nonce) = challenge(server.addr);
        s.write_all(digest(b"k", &nonce).as_bytes()).unwrap();
        assert_eq!(rest(s), b"hello");
    }
    server.check_still_serving();
}

#[test]
fn the_raw_protocol() {
    let (mut srv, addr) = start_server(&["--secret", "k"]);
    let (s1, first) = challenge(addr);
    drop(s1);
    let (_, second) = challenge(addr);
    assert_ne!(first, second, "a fresh challenge for every connection");
    good_client(&mut srv, addr, b"k");

    // A newline after the answer is not read, and does not turn the close into a reset that
    // could destroy the hello.
    let (mut s, nonce) = challenge(addr);
    s.write_all(format!("{}\n", digest(b"k", &nonce)).as_bytes())
        .unwrap();
    assert_eq!(rest(s), b"hello");

    // The same digest in upper case is not the notes' hexdigest(): rejected, closed silently.
    let (mut s, nonce) = challenge(addr);
    let me = s.local_addr().unwrap();
    s.write_all(digest(b"k", &nonce).to_uppercase().as_bytes())
        .unwrap();
    assert_eq!(rest(s), b"");
    srv.expect(&format!("[{me}] wrong answer\nrejected {me}\n"));
}

#[test]
fn hostile_clients_are_rejected_and_the_next_one_is_served() {
    let (mut srv, addr) = start_server(&["--secret", "k", "--timeout", "0.5"]);

    // A short answer, then the client closes its side.
    let (mut s, nonce) = challenge(addr);
    let me = s.local_addr().unwrap();
    s.write_all(&digest(b"k", &nonce).as_bytes()[..10]).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(rest(s), b"");
    srv.expect(&format!(
        "[{me}] reading the 40-byte answer: closed the connection after 10"
    ));
    srv.expect(&format!("rejected {me}\n"));
    good_client(&mut srv, addr, b"k");

    // Garbage, longer than an answer and not text.
    let (mut s, _) = challenge(addr);
    let me = s.local_addr().unwrap();
    s.write_all(&[0xff; 100]).unwrap();
    assert_eq!(rest(s), b"");
    srv.expect(&format!("rejected {me}\n"));
    good_client(&mut srv, addr, b"k");

    // Silence: rejected after --timeout.
    let (s, _) = challenge(addr);
    let me = s.local_addr().unwrap();
    assert_eq!(rest(s), b"");
    srv.expect(&format!(
        "[{me}] reading the 40-byte answer: nothing more within"
    ));
    srv.expect(&format!("rejected {me}\n"));
    good_client(&mut srv, addr, b"k");

    // A reset: the client closes with the challenge unread, so its system sends RST.
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    let me = s.local_addr().unwrap();
    let mut peek = [0; 1];
    assert_eq!(s.peek(&mut peek).unwrap(), 1); // the challenge has arrived; leave it unread
    drop(s);
    srv.expect(&format!("rejected {me}\n"));
    good_client(&mut srv, addr, b"k");

    // A client that connects and leaves at once.
    drop(TcpStream::connect(addr).unwrap());
    srv.expect("rejected ");
    good_client(&mut srv, addr, b"k");
    assert!(srv.is_running());
}

/// Sends the challenge 0, 1, ... 31 and reads the 40-byte answer.
fn ask(s: &mut TcpStream) -> [u8; 40] {
    let nonce: Vec<u8> = (0..32).collect();
    s.write_all(&nonce).unwrap();
    let mut answer = [0; 40];
    s.read_exact(&mut answer).unwrap();
    answer
}

/// Waits until the client leaves.
fn wait_for_close(s: &mut TcpStream) {
    let mut buf = [0; 64];
    while matches!(again(|| s.read(&mut buf)), Ok(n) if n > 0) {}
}

#[test]
fn the_client_against_fake_servers() {
    // The answer is the notes' hexdigest: python3 -c "import hashlib;
    // print(hashlib.sha1(b'hahaha' + bytes(range(32))).hexdigest())"
    let (addr, srv) = serve_one(|mut s| {
        assert_eq!(&ask(&mut s), b"64898d4fb18717eea67ea0c11ffdde5a32ac7525");
        s.write_all(b"hello").unwrap();
        wait_for_close(&mut s); // the client stops after hello, without waiting for a close
    });
    let out = run_client(EXE, &addr, &["--secret", "hahaha"]);
    srv.join().unwrap();
    out.expect_code(0).expect_stdout_end("server says: hello\n");

    // The answer is read, then a close without a word: rejected.
    let (addr, srv) = serve_one(|mut s| {
        ask(&mut s);
    });
    let out = run_client(EXE, &addr, &[]);
    srv.join().unwrap();
    out.expect_code(1);
    assert_rejected(&out);

    // The answer arrives but is left unread, and the server closes: a reset, also a rejection.
    let (addr, srv) = serve_one(|mut s| {
        s.write_all(&[7; 32]).unwrap();
        let mut peek = [0; 1];
        s.peek(&mut peek).unwrap();
    });
    let out = run_client(EXE, &addr, &[]);
    srv.join().unwrap();
    out.expect_code(1);
    assert_rejected(&out);
}

#[test]
fn the_client_gives_up_on_short_and_silent_servers() {
    let (addr, srv) = serve_one(|mut s| s.write_all(&[1; 10]).unwrap());
    let out = run_client(EXE, &addr, &[]);
    srv.join().unwrap();
    out.expect_code(1).expect_stderr_has(
        "error: receiving the 32-byte challenge: closed the connection after 10 of 32 bytes",
    );

    let (addr, srv) = serve_one(|mut s| wait_for_close(&mut s));
    let out = run_client(EXE, &addr, &["--timeout", "0.3"]);
    srv.join().unwrap();
    out.expect_code(1);
    assert!(out
        .stderr
        .contains("error: receiving the 32-byte challenge: nothing more within"));

    let (addr, srv) = serve_one(|mut s| {
        ask(&mut s);
        wait_for_close(&mut s);
    });
    let out = run_client(EXE, &addr, &["--timeout", "0.3"]);
    srv.join().unwrap();
    out.expect_code(1)
        .expect_stderr_has("error: no reply from the server within");
    assert!(!out.stdout.contains("rejected"), "{out:?}");
}

/// Runs the client with `NET_LESSONS_SECRET` set to `secret`, or removed.
fn client_with_env(addr: SocketAddr, secret: Option<&str>, extra: &[&str]) -> Output {
    let mut cmd = lesson_testing::command(EXE);
    cmd.args(["client", &addr.to_string(), "--timeout", "5"])
        .args(extra);
    match secret {
        Some(s) => cmd.env(SECRET_ENV, s),
        None => cmd.env_remove(SECRET_ENV),
    };
    cmd.stdin(Stdio::null()).output().unwrap()
}

#[test]
fn the_secret_comes_from_the_option_the_environment_or_the_notes() {
    let (_srv, addr) = start_server(&["--secret", "from-env"]);
    let out = client_with_env(addr, Some("from-env"), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("server says: hello\n"));
    assert!(out.stderr.is_empty(), "{out:?}");
    let out = client_with_env(addr, Some("other"), &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // --secret wins over the environment
    let out = client_with_env(addr, Some("other"), &["--secret", "from-env"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    // Neither: the notes' hahaha, with a warning.
    let out = client_with_env(addr, None, &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("warning: no --secret"));
    let (mut srv, addr) = start_server(&["--secret", "hahaha"]);
    let out = client_with_env(addr, None, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    srv.expect("accepted");

    if std::env::var_os(SECRET_ENV).is_none() {
        let (mut srv, _) = start_server(&[]);
        srv.expect_stderr("warning: no --secret and no NET_LESSONS_SECRET: using the notes'");
    }
}

#[test]
fn command_line_mistakes_exit_2_and_runtime_errors_exit_1() {
    let bad: [&[&str]; 11] = [
        &[],
        &["--secret", "x"],
        &["login"],
        &["server", "extra"],
        &["server", "--timeout", "0"],
        &["server", "--timeout", "soon"],
        &["server", "--secret", ""],
        &["server", "--bind", "9001"],
        &["client"],
        &["client", "localhost"],
        &["client", "127.0.0.1:1", "--bind", "127.0.0.1:0"],
    ];
    check_command_line(EXE, "client_auth", &bad);

    let port = closed_port(); // nothing listens there
    let out = run_client(EXE, format!("127.0.0.1:{port}"), &["--secret", "x"]);
    out.expect_code(1)
        .expect_stderr_start("error: connecting to 127.0.0.1:");
}

/// Starts the notes' Python server on a free port and waits until it listens.
fn python_server() -> (Program, String) {
    let script = format!("{NOTES_PY}003_auth_server.py");
    let (p, addr) = python_on_free_port(&script, "listening on");
    (p, addr.to_string())
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_server() {
    let (srv, addr) = python_server();
    let out = run_client(EXE, &addr, &["--secret", "hahaha"]);
    out.expect_code(0).expect_stdout_end("server says: hello\n");
    assert!(srv.finish().stdout.contains("是合法的客户端"));

    let (srv, addr) = python_server();
    let out = run_client(EXE, &addr, &["--secret", "not-hahaha"]);
    out.expect_code(1);
    assert_rejected(&out);
    assert!(!srv.finish().stdout.contains("是合法的客户端"));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_client() {
    let script = format!("{NOTES_PY}003_auth_client.py");
    let (mut srv, addr) = start_server(&["--secret", "hahaha"]);
    let out = run_python_on_port(&script, addr, "");
    out.expect_code(0);
    assert_eq!(out.stdout, "b'hello'\n");
    srv.expect("accepted 127.0.0.1:");

    let (mut srv, addr) = start_server(&["--secret", "not-hahaha"]);
    let out = run_python_on_port(&script, addr, "");
    out.expect_code(0);
    assert_eq!(out.stdout, "b''\n", "closed without a word");
    srv.expect("rejected 127.0.0.1:");
    // ... and the server goes on to the next client.
    let out = run_client(EXE, addr, &["--secret", "not-hahaha"]);
    out.expect_code(0);
    srv.expect("accepted 127.0.0.1:");
}
