//! word_lookup 的评分测试（作业）：评分程序用自己的单词本启动你的服务器，在 127.0.0.1 上发查询、
//! 比较回答；再扮演服务器来测你的客户端。只测一关：`cargo test step1`。

use std::net::SocketAddr;
use std::thread;

use netcommon::testing::{check, show, student_run, Student, TempDir, UdpPeer};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");
/// The grader's own dictionary: a tab, or several spaces, between a word and its meaning.
const DICT: &str = "# 评分用的单词本\nsocket\tn. 套接字\nPort   n. 端口\n";

/// Starts the server with the grader's dictionary (a file in `dir`).
#[track_caller]
fn server(dir: &TempDir) -> (Student, SocketAddr) {
    let file = dir.join("words.txt");
    std::fs::write(&file, DICT).unwrap();
    println!("评分程序的单词本（--dict）：{}", show(DICT.as_bytes()));
    let file = file.to_str().unwrap();
    Student::server(EXE, &["server", "--bind", "127.0.0.1:0", "--dict", file])
}

/// Sends one query; the answer must be `expected`, from the address the server listens on.
#[track_caller]
fn expect_answer(me: &UdpPeer, server: SocketAddr, query: &[u8], expected: &str) {
    me.send_to(query, server);
    let from = me.expect(expected.as_bytes());
    check(
        from == server,
        &format!("回答应该来自服务器监听的 {server}，实际来自 {from}"),
    );
}

#[test]
fn step1_answers_known_words() {
    let dir = TempDir::new("grade-word_lookup-1");
    let (_server, addr) = server(&dir);
    let me = UdpPeer::bind();
    expect_answer(&me, addr, b"socket", "socket: n. 套接字");
    expect_answer(&me, addr, b"port", "port: n. 端口");
}

#[test]
fn step2_unknown_and_empty_queries_get_clear_answers() {
    let dir = TempDir::new("grade-word_lookup-2");
    let (_server, addr) = server(&dir);
    let me = UdpPeer::bind();
    expect_answer(&me, addr, b"apple", "apple: not in the dictionary");
    expect_answer(&me, addr, b"", "empty query: send one word");
    expect_answer(&me, addr, b" \n", "empty query: send one word");
    expect_answer(&me, addr, b"socket", "socket: n. 套接字");
}

#[test]
fn step2_ignores_case_and_survives_odd_queries() {
    let dir = TempDir::new("grade-word_lookup-3");
    let (_server, addr) = server(&dir);
    let me = UdpPeer::bind();
    expect_answer(&me, addr, b"  SoCkEt\r\n", "socket: n. 套接字");

    println!("最长的单词是 64 字节；65 字节就太长了：");
    let longest = "w".repeat(64);
    let answer = format!("{longest}: not in the dictionary");
    expect_answer(&me, addr, longest.as_bytes(), &answer);
    let too_long = "query too long: a word is at most 64 bytes";
    expect_answer(&me, addr, "w".repeat(65).as_bytes(), too_long);
    println!("比 recvfrom(1024) 还长的数据报：");
    expect_answer(&me, addr, &[b'x'; 3000], too_long);

    println!("不是 UTF-8 的字节：服务器也要回答（回答是 UTF-8 文本），然后继续服务：");
    me.send_to(b"ok\xff", addr);
    let (answer, from) = me.receive();
    check(
        from == addr,
        &format!("回答应该来自服务器监听的 {addr}，实际来自 {from}"),
    );
    check(
        std::str::from_utf8(&answer).is_ok(),
        &format!("回答必须是 UTF-8 文本，实际是 {}", show(&answer)),
    );
    expect_answer(&me, addr, b"port", "port: n. 端口");
}

#[test]
fn step3_the_client_prints_each_answer() {
    let server = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!("评分程序在 {addr} 扮演服务器，回答 `WORD: meaning of WORD`");
    let grader = thread::spawn(move || {
        for word in ["one", "two"] {
            let from = server.expect(word.as_bytes());
            server.send_to(format!("{word}: meaning of {word}").as_bytes(), from);
        }
    });
    let out = student_run(EXE, &["client", &addr, "one", "two"], "");
    out.expect_code(0, "查完每个单词就正常结束");
    if grader.join().is_err() {
        out.fail("评分程序没有按顺序收到两个查询 one 和 two（见上面的记录）");
    }
    out.expect_line("one: meaning of one");
    out.expect_line("two: meaning of two");
}

#[test]
fn step3_the_client_takes_only_the_servers_answer() {
    let server = UdpPeer::bind();
    let stranger = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!(
        "评分程序在 {addr} 扮演服务器；回答之前，另一个地址 {} 先给客户端发一个数据报",
        stranger.local_addr()
    );
    let grader = thread::spawn(move || {
        let from = server.expect(b"socket");
        stranger.send_to(b"socket: not from the server", from);
        server.send_to("socket: n. 套接字".as_bytes(), from);
    });
    let out = student_run(EXE, &["client", &addr, "socket"], "");
    out.expect_code(0, "收到服务器的回答就正常结束");
    if grader.join().is_err() {
        out.fail("评分程序没有收到查询 socket（见上面的记录）");
    }
    if out.stdout.contains("not from the server") {
        out.fail(&format!(
            "客户端把别的地址发来的数据报当成了回答：只有来自服务器 {addr} 的数据报才是回答"
        ));
    }
    out.expect_line("socket: n. 套接字");
}

#[test]
fn step3_the_client_gives_up_when_no_answer_comes() {
    let server = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!("评分程序在 {addr} 收下查询，但是不回答");
    let out = student_run(EXE, &["client", "--timeout", "0.2", &addr, "anyone"], "");
    out.expect_code(1, "等不到回答是运行时的错误");
    out.expect_stderr_start("error: ");
    server.expect(b"anyone");
}
