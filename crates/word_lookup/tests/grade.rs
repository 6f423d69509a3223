//! Graded tests for word_lookup (homework): the grader asks the server over 127.0.0.1 with a
//! dictionary of its own, and plays the server for the client. Run one stage with
//! `cargo test step1`.

use std::net::{SocketAddr, UdpSocket};

use netcommon::testing::{run, show, Program, TempDir, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");
const DICT: &str = "# the grader's dictionary\nsocket\tn. 套接字\nport  n. 端口\n";

/// Starts the server with the grader's dictionary (kept in `dir`).
fn start(dir: &TempDir) -> (Program, SocketAddr) {
    let file = dir.join("grader-words.txt");
    std::fs::write(&file, DICT).unwrap();
    let file = file.to_str().unwrap();
    let args = ["server", "--bind", "127.0.0.1:0", "--dict", file];
    println!("started word_lookup {}", args.join(" "));
    Program::server(EXE, &args)
}

fn peer() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    socket
}

/// Sends one query and returns the answer.
fn ask(socket: &UdpSocket, query: &[u8], to: SocketAddr) -> String {
    socket.send_to(query, to).unwrap();
    println!(
        "sent a query of {} bytes to {to}: {}",
        query.len(),
        show(query)
    );
    let mut buf = [0; 2048];
    match socket.recv_from(&mut buf) {
        Ok((n, from)) => {
            println!("got {} from {from}", show(&buf[..n]));
            assert_eq!(from, to, "the answer must come from the server's address");
            String::from_utf8_lossy(&buf[..n]).into_owned()
        }
        Err(e) => panic!("expected an answer within {TIMEOUT:?}; got {e}"),
    }
}

#[test]
fn step1_answers_a_known_word() {
    let dir = TempDir::new("grade-word_lookup-1");
    let (mut server, addr) = start(&dir);
    let me = peer();
    assert_eq!(ask(&me, b"socket", addr), "socket: n. 套接字");
    server.expect(&format!(
        "from {}: \"socket\" -> socket: n. 套接字\n",
        me.local_addr().unwrap()
    ));
    assert_eq!(ask(&me, b"port", addr), "port: n. 端口");
}

#[test]
fn step2_unknown_words_get_a_clear_answer() {
    let dir = TempDir::new("grade-word_lookup-2");
    let (_server, addr) = start(&dir);
    let me = peer();
    assert_eq!(ask(&me, b"apple", addr), "apple: not in the dictionary");
    assert_eq!(ask(&me, b"", addr), "empty query: send one word");
}

#[test]
fn step3_ignores_case_and_survives_odd_queries() {
    let dir = TempDir::new("grade-word_lookup-3");
    let (mut server, addr) = start(&dir);
    let me = peer();
    assert_eq!(ask(&me, b"  SoCkEt\n", addr), "socket: n. 套接字");
    assert_eq!(
        ask(&me, &[b'x'; 3000], addr),
        "query too long: a word is at most 64 bytes"
    );
    server.expect_stderr("longer than 1024 bytes");
    assert_eq!(
        ask(&me, b"ok\xff", addr),
        "ok\u{fffd}: not in the dictionary"
    );
    assert_eq!(ask(&me, b"port", addr), "port: n. 端口", "still answering");
}

#[test]
fn step4_the_client_prints_each_answer() {
    // The grader plays the server: it answers each word with "WORD: meaning of WORD".
    let server = peer();
    let addr = server.local_addr().unwrap();
    let grader = std::thread::spawn(move || {
        let mut buf = [0; 2048];
        for _ in 0..2 {
            let (n, from) = server
                .recv_from(&mut buf)
                .expect("no query within the timeout");
            let word = String::from_utf8_lossy(&buf[..n]).into_owned();
            println!("the grader got the query {word:?} from {from}");
            server
                .send_to(format!("{word}: meaning of {word}").as_bytes(), from)
                .unwrap();
        }
    });
    let out = run(EXE, &["client", &addr.to_string(), "one", "two"], "");
    println!("the client printed {:?}", out.stdout);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        out.stdout, "one: meaning of one\ntwo: meaning of two\n",
        "{out:?}"
    );
    grader.join().unwrap();
}
