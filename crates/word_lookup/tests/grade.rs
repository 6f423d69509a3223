//! word_lookup 的评分测试（作业）：评分程序用自己的单词本启动你的服务器，在 127.0.0.1 上发查询、
//! 比较回答；再扮演服务器来测你的客户端。只测一关：`cargo test step1`。

use std::net::SocketAddr;
use std::thread;

use lesson_testing::{check, inputs, show, student_run, Inputs, Student, TempDir, UdpPeer};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");
/// The grader's own dictionary, drawn at random for each run: four words (lowercase) and their
/// meanings. In the file a tab, or several spaces, separates a word and its meaning, and the
/// second word is written with a capital letter.
struct Dict {
    words: Vec<(String, String)>,
}

impl Dict {
    fn new(rng: &mut Inputs) -> Dict {
        let words = rng
            .words(4)
            .into_iter()
            .map(|w| {
                let meaning = format!("{} {}", rng.pick(&["n.", "v.", "adj."]), rng.message());
                (w, meaning)
            })
            .collect();
        Dict { words }
    }

    fn text(&self) -> String {
        let mut text = String::from("# 评分用的单词本\n");
        for (i, (word, meaning)) in self.words.iter().enumerate() {
            let word = if i == 1 {
                word[..1].to_uppercase() + &word[1..]
            } else {
                word.clone()
            };
            let gap = if i % 2 == 0 { "\t" } else { "   " };
            text += &format!("{word}{gap}{meaning}\n");
        }
        text
    }

    /// `WORD: MEANING`, the answer for the n-th word.
    fn answer(&self, n: usize) -> String {
        format!("{}: {}", self.words[n].0, self.words[n].1)
    }
}

/// Starts the server with the grader's dictionary, a file in a fresh folder named `name`
/// (returned first, to be removed after the server is gone).
#[track_caller]
fn server(name: &str, dict: &Dict) -> (TempDir, Student, SocketAddr) {
    let dir = TempDir::new(name);
    let file = dir.join("words.txt");
    let text = dict.text();
    std::fs::write(&file, &text).unwrap();
    println!("评分程序的单词本（--dict）：{}", show(text.as_bytes()));
    let file = file.to_str().unwrap();
    let (student, addr) =
        Student::server(EXE, &["server", "--bind", "127.0.0.1:0", "--dict", file]);
    (dir, student, addr)
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
    let dict = Dict::new(&mut inputs());
    let (_dir, _server, addr) = server("grade-word_lookup-1", &dict);
    let me = UdpPeer::bind();
    for n in [0, 1, 3] {
        expect_answer(&me, addr, dict.words[n].0.as_bytes(), &dict.answer(n));
    }
}

#[test]
fn step2_unknown_and_empty_queries_get_clear_answers() {
    let mut rng = inputs();
    let dict = Dict::new(&mut rng);
    let unknown = rng.word(11, 14); // (the dictionary's words have 4 to 10 letters)
    let (_dir, _server, addr) = server("grade-word_lookup-2", &dict);
    let me = UdpPeer::bind();
    let answer = format!("{unknown}: not in the dictionary");
    expect_answer(&me, addr, unknown.as_bytes(), &answer);
    expect_answer(&me, addr, b"", "empty query: send one word");
    expect_answer(&me, addr, b" \n", "empty query: send one word");
    expect_answer(&me, addr, dict.words[2].0.as_bytes(), &dict.answer(2));
}

#[test]
fn step2_ignores_case_and_survives_odd_queries() {
    let dict = Dict::new(&mut inputs());
    let (_dir, _server, addr) = server("grade-word_lookup-3", &dict);
    let me = UdpPeer::bind();
    // The first word in mixed case (sOcKeT), with blanks around it.
    let mixed: String = (dict.words[0].0.chars().enumerate())
        .map(|(i, c)| {
            if i % 2 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    expect_answer(
        &me,
        addr,
        format!("  {mixed}\r\n").as_bytes(),
        &dict.answer(0),
    );

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
    expect_answer(&me, addr, dict.words[3].0.as_bytes(), &dict.answer(3));
}

#[test]
fn step3_the_client_prints_each_answer() {
    let dict = Dict::new(&mut inputs());
    let server = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!("评分程序在 {addr} 扮演服务器，按自己的单词本回答");
    let (one, two) = (dict.words[0].0.clone(), dict.words[1].0.clone());
    let answers = [dict.answer(0), dict.answer(1)];
    let asked = [one.clone(), two.clone()];
    let grader = thread::spawn(move || {
        for (word, answer) in asked.iter().zip(&answers) {
            let from = server.expect(word.as_bytes());
            server.send_to(answer.as_bytes(), from);
        }
    });
    let out = student_run(EXE, &["client", &addr, &one, &two], "");
    out.expect_code(0, "查完每个单词就正常结束");
    if grader.join().is_err() {
        out.fail(&format!(
            "评分程序没有按顺序收到两个查询 {one} 和 {two}（见上面的记录）"
        ));
    }
    out.expect_line(&dict.answer(0));
    out.expect_line(&dict.answer(1));
}

#[test]
fn step3_the_client_takes_only_the_servers_answer() {
    let dict = Dict::new(&mut inputs());
    let (word, answer) = (dict.words[0].0.clone(), dict.answer(0));
    let server = UdpPeer::bind();
    let stranger = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!(
        "评分程序在 {addr} 扮演服务器；回答之前，另一个地址 {} 先给客户端发一个数据报",
        stranger.local_addr()
    );
    let (w, a) = (word.clone(), answer.clone());
    let grader = thread::spawn(move || {
        let from = server.expect(w.as_bytes());
        stranger.send_to(format!("{w}: not from the server").as_bytes(), from);
        server.send_to(a.as_bytes(), from);
    });
    let out = student_run(EXE, &["client", &addr, &word], "");
    out.expect_code(0, "收到服务器的回答就正常结束");
    if grader.join().is_err() {
        out.fail(&format!("评分程序没有收到查询 {word}（见上面的记录）"));
    }
    if out.stdout.contains("not from the server") {
        out.fail(&format!(
            "客户端把别的地址发来的数据报当成了回答：只有来自服务器 {addr} 的数据报才是回答"
        ));
    }
    out.expect_line(&answer);
}

#[test]
fn step3_the_client_gives_up_when_no_answer_comes() {
    let word = inputs().word(4, 10);
    let server = UdpPeer::bind();
    let addr = server.local_addr().to_string();
    println!("评分程序在 {addr} 收下查询，但是不回答");
    let out = student_run(EXE, &["client", "--timeout", "0.2", &addr, &word], "");
    out.expect_code(1, "等不到回答是运行时的错误");
    out.expect_stderr_start("error: ");
    server.expect(word.as_bytes());
}
