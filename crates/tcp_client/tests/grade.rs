//! tcp_client 的评分测试（作业）：评分程序在 127.0.0.1 上当服务器，检查收到的字节和客户端打印的
//! 内容。只测一关：`cargo test step1`。

use lesson_testing::{check, inputs, student_run, Peer};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

#[test]
fn step1_each_message_gets_one_reply() {
    let mut rng = inputs();
    let (one, two) = (rng.word(3, 8), rng.message());
    let (re_one, re_two) = (rng.message(), rng.message());
    let (a, b, c1, c2) = (one.clone(), two.clone(), re_one.clone(), re_two.clone());
    let (addr, srv) = Peer::serve_one(move |mut c| {
        c.expect(a.as_bytes());
        c.send(c1.as_bytes());
        c.expect(b.as_bytes());
        c.send(c2.as_bytes());
    });
    let out = student_run(EXE, &[&addr, &one, &two], "");
    out.after_server(srv);
    out.expect_line(&format!("reply: {re_one}"));
    out.expect_line(&format!("reply: {re_two}"));
    out.expect_code(0, "发完所有消息后正常结束");
}

#[test]
fn step2_interactive_lines_until_q() {
    let mut rng = inputs();
    let lines = [rng.message(), rng.message()];
    let replies = [rng.word(1, 5), rng.word(1, 5)];
    let (l, r) = (lines.clone(), replies.clone());
    let (addr, srv) = Peer::serve_one(move |mut c| {
        for (line, reply) in l.iter().zip(&r) {
            c.expect(line.as_bytes());
            c.send(reply.as_bytes());
        }
        check(
            c.read_to_close().is_empty(),
            "输入 q 之后不应该再发送任何东西",
        );
    });
    let typed = format!("{}\n{}\nq\n{}\n", lines[0], lines[1], rng.message());
    let out = student_run(EXE, &[&addr], &typed);
    out.after_server(srv);
    out.expect_line(&format!("reply: {}", replies[0]));
    out.expect_line(&format!("reply: {}", replies[1]));
    out.expect_code(0, "输入 q 后正常结束");
}

#[test]
fn step3_a_server_close_ends_it_normally() {
    let mut rng = inputs();
    let (first, second) = (rng.word(3, 8), rng.message());
    let expected = first.clone();
    let (addr, srv) = Peer::serve_one(move |mut c| {
        c.expect(expected.as_bytes());
        println!("评分程序不回复，直接关闭连接");
    });
    let out = student_run(EXE, &[&addr, &first, &second], "");
    out.after_server(srv);
    out.expect_line("server closed the connection");
    out.expect_code(0, "服务器关闭连接是正常的结束");
}
