//! tcp_client 的评分测试（作业）：评分程序在 127.0.0.1 上当服务器，检查收到的字节和客户端打印的
//! 内容。只测一关：`cargo test step1`。

use std::net::TcpListener;
use std::thread::{self, JoinHandle};

use netcommon::testing::{check, student_run, Ended, Peer};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

/// A one-client server run by the grader: `serve` gets the accepted connection.
fn server(serve: fn(Peer)) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    println!("评分程序在 {addr} 监听");
    let handle = thread::spawn(move || {
        let (stream, from) = listener.accept().unwrap();
        println!("客户端从 {from} 连了上来");
        serve(Peer::from(stream));
    });
    (addr, handle)
}

fn joined(srv: JoinHandle<()>, out: &Ended) {
    if srv.join().is_err() {
        out.fail("评分程序扮演的服务器没有收到期望的内容（见上面的记录）");
    }
}

#[test]
fn step1_each_message_gets_one_reply() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"hello");
        c.send(b"re:hello");
        c.expect("你好".as_bytes());
        c.send("re:你好".as_bytes());
    });
    let out = student_run(EXE, &[&addr, "hello", "你好"], "");
    joined(srv, &out);
    out.expect_line("reply: re:hello");
    out.expect_line("reply: re:你好");
    out.expect_code(0, "发完所有消息后正常结束");
}

#[test]
fn step2_interactive_lines_until_q() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"one");
        c.send(b"1");
        c.expect(b"two");
        c.send(b"2");
        check(
            c.read_to_close().is_empty(),
            "输入 q 之后不应该再发送任何东西",
        );
    });
    let out = student_run(EXE, &[&addr], "one\ntwo\nq\nthree\n");
    joined(srv, &out);
    out.expect_line("reply: 1");
    out.expect_line("reply: 2");
    out.expect_code(0, "输入 q 后正常结束");
}

#[test]
fn step3_a_server_close_ends_it_normally() {
    let (addr, srv) = server(|mut c| {
        c.expect(b"hello");
        println!("评分程序不回复，直接关闭连接");
    });
    let out = student_run(EXE, &[&addr, "hello", "anyone?"], "");
    joined(srv, &out);
    out.expect_line("server closed the connection");
    out.expect_code(0, "服务器关闭连接是正常的结束");
}
