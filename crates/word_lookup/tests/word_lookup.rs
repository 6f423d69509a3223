//! Runs the real word_lookup server and client over loopback, with each other and against
//! Python programs written the notes' way (004 §1.1.3 and §1.2.2, which the 查找单词 case builds on).

use std::net::UdpSocket;

use lesson_testing::Muted;
use lesson_testing::{
    check_command_line, python, receive, run, run_python_on_port, start_on_free_port, udp, Program,
    TempDir, NOTES_PY, OUR_PY,
};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");
const WORDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/words.txt");

fn ask(socket: &UdpSocket, server: std::net::SocketAddr, query: &[u8]) -> String {
    socket.send_to(query, server).unwrap();
    let (got, from) = receive(socket);
    assert_eq!(from, server);
    String::from_utf8(got).unwrap()
}

#[test]
fn the_server_answers_known_unknown_empty_long_and_bad_queries() {
    let (mut server, addr) = Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]);
    server.expect("words in the dictionary\n");
    let me = udp();
    let mine = me.local_addr().unwrap();

    assert_eq!(ask(&me, addr, b"socket"), "socket: n. 套接字；插座");
    server.expect(&format!(
        "from {mine}: \"socket\" -> socket: n. 套接字；插座\n"
    ));
    assert_eq!(ask(&me, addr, b" Port\n"), "port: n. 端口；港口");
    assert_eq!(ask(&me, addr, b"xyzzy"), "xyzzy: not in the dictionary");
    assert_eq!(ask(&me, addr, b""), "empty query: send one word");
    assert_eq!(
        ask(&me, addr, &[b'a'; 3000]),
        "query too long: a word is at most 64 bytes"
    );
    server.expect_stderr("longer than 1024 bytes");
    assert_eq!(
        ask(&me, addr, b"ok\xff"),
        "ok\u{fffd}: not in the dictionary"
    );
    assert!(server.is_running());
}

#[test]
fn the_client_prints_each_answer_and_asks_like_the_notes() {
    let (_server, addr) = Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]);
    let addr = addr.to_string();
    let out = run(EXE, &["client", &addr, "apple", "Zebra"], "");
    out.expect_code(0);
    assert_eq!(out.stdout, "apple: n. 苹果\nzebra: not in the dictionary\n");

    let out = run(EXE, &["client", &addr], "hello\nword\n\nnever\n");
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        "Msg>>> hello: int. 你好\nMsg>>> word: n. 单词\nMsg>>> "
    );
}

#[test]
fn a_dictionary_of_your_own() {
    let dir = TempDir::new("word_lookup_dict");
    let file = dir.join("mine.txt");
    std::fs::write(&file, "# mine\nrust\tn. 锈；Rust 语言\n").unwrap();
    let file = file.to_str().unwrap();
    let (mut server, addr) =
        Program::server(EXE, &["server", "--bind", "127.0.0.1:0", "--dict", file]);
    server.expect("1 word in the dictionary\n");
    let out = run(EXE, &["client", &addr.to_string(), "RUST", "apple"], "");
    assert_eq!(
        out.stdout,
        "rust: n. 锈；Rust 语言\napple: not in the dictionary\n"
    );

    std::fs::write(file, "rust\n").unwrap();
    let out = run(
        EXE,
        &["server", "--bind", "127.0.0.1:0", "--dict", file],
        "",
    );
    out.expect_code(1).expect_stderr(&format!(
        "error: {file}: line 1: \"rust\" has a word but no meaning\n"
    ));
}

#[test]
fn no_answer_is_an_error_that_says_so() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    let out = run(EXE, &["client", "--timeout", "0.2", &addr, "hello"], "");
    out.expect_code(1)
        .expect_stderr(&format!("error: no answer from {addr} within 0.2 s\n"));
}

#[test]
fn command_line_mistakes_exit_2() {
    let bad: [&[&str]; 7] = [
        &[],
        &["serve"],
        &["server", "--bogus"],
        &["server", "--bind", "127.0.0.1:88880"],
        &["server", "extra"],
        &["client"],
        &["client", "--timeout", "0", "127.0.0.1:8888"],
    ];
    check_command_line(EXE, "word_lookup", &bad);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_client_asks_the_rust_server() {
    let (mut server, addr) = Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]);
    let out = run_python_on_port(
        &format!("{NOTES_PY}004_udp_client.py"),
        addr,
        "network\nQwerty\n\n",
    );
    out.expect_code(0)
        .expect_stdout_has("Response:  network: n. 网络\n")
        .expect_stdout_has("Response:  qwerty: not in the dictionary\n");
    server.expect("\"network\" -> network: n. 网络\n");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_client_asks_our_python_word_server() {
    let script = format!("{OUR_PY}004_word_server.py");
    let start = |port: u16| Program::start(python(), &[&script, &port.to_string(), WORDS]);
    let (mut server, port) = start_on_free_port(start, "listening on");
    let addr = format!("127.0.0.1:{port}");
    let out = run(EXE, &["client", &addr, "Datagram", "xyzzy"], "");
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        "datagram: n. 数据报\nxyzzy: not in the dictionary\n"
    );
    server.expect("Msg: datagram");
}

/// Nobody reads its stdout any more (`word_lookup server | head -1`): log lines are dropped,
/// the server goes on answering (a `println!` would panic with exit 101).
#[test]
fn a_closed_stdout_never_stops_the_server() {
    let server = Muted::start(EXE, &["server", "--bind", "127.0.0.1:0"]);
    let me = udp();
    for _ in 0..2 {
        assert_eq!(ask(&me, server.addr, b"apple"), "apple: n. 苹果");
    }
    server.check_still_serving();
}
