//! sticky_packet_demo 的评分测试（作业）：评分程序在 127.0.0.1 上扮演客户端来测你的服务器，
//! 扮演服务器来测你的客户端。只测一关：`cargo test step1`。

use std::thread;

use lesson_testing::{check, expected_vs_got, inputs, student_run, Peer, Student};

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

#[test]
fn step1_plain_server_sends_the_bytes_back_to_back() {
    let mut rng = inputs();
    let messages = [rng.word(3, 8), rng.word(3, 8), rng.message()];
    let mut args = vec!["server", "--bind", "127.0.0.1:0"];
    args.extend(messages.iter().map(String::as_str));
    let (_server, addr) = Student::server(EXE, &args);
    let mut c = Peer::connect(addr);
    let got = c.read_to_close();
    let want = messages.concat().into_bytes();
    let want = &want[..];
    check(
        got == want,
        &format!(
            "普通模式：消息一条接一条发送，不加任何东西\n{}",
            expected_vs_got(want, &got)
        ),
    );
}

#[test]
fn step2_framed_server_puts_a_length_before_each_message() {
    let mut rng = inputs();
    for endian in ["little", "big"] {
        let message = rng.message();
        let len = message.len() as i32;
        let header = match endian {
            "little" => len.to_le_bytes(),
            _ => len.to_be_bytes(),
        };
        let args = [
            "server",
            "--bind",
            "127.0.0.1:0",
            "--framed",
            "--endian",
            endian,
            &message,
            "",
        ];
        let (_server, addr) = Student::server(EXE, &args);
        let mut c = Peer::connect(addr);
        c.expect(&header);
        c.expect(message.as_bytes());
        c.expect(&[0; 4]); // the empty message: a length of 0, no body
        check(
            c.read_to_close().is_empty(),
            "最后一条消息之后不应该再有任何字节",
        );
    }
}

/// A server run by the grader that sends `bytes`, then closes.
fn fake_server(bytes: Vec<u8>) -> (String, thread::JoinHandle<()>) {
    Peer::serve_one(move |mut c| {
        c.send(&bytes);
        c.shutdown_write();
        c.read_to_close();
    })
}

#[test]
fn step3_framed_client_prints_each_message() {
    let mut rng = inputs();
    let messages = [rng.word(3, 8), String::new(), rng.message()];
    let mut bytes = Vec::new();
    for m in &messages {
        bytes.extend_from_slice(&(m.len() as i32).to_le_bytes());
        bytes.extend_from_slice(m.as_bytes());
    }
    let (addr, srv) = fake_server(bytes);
    let out = student_run(EXE, &["client", &addr, "--framed"], "");
    out.after_server(srv);
    for (n, m) in messages.iter().enumerate() {
        out.expect_line(&format!("message #{}: {m}", n + 1));
    }
    out.expect_code(0, "在两条消息之间关闭连接是正常的结束");
}

#[test]
fn step4_framed_client_refuses_hostile_lengths() {
    for (what, bytes) in [
        ("负数长度", (-1i32).to_le_bytes().to_vec()),
        (
            "超过 --max-frame 的长度",
            2_000_000_000i32.to_le_bytes().to_vec(),
        ),
        (
            "消息中途关闭连接",
            [&10i32.to_le_bytes()[..], b"abc"].concat(),
        ),
    ] {
        println!("评分程序扮演的服务器发送：{what}");
        let (addr, srv) = fake_server(bytes);
        let out = student_run(EXE, &["client", &addr, "--framed"], "");
        out.after_server(srv);
        out.expect_code(1, &format!("{what}：报错退出，不是崩溃"));
        out.expect_stderr_start("error: ");
    }
}
