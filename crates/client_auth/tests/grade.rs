//! client_auth 的评分测试（作业）：评分程序在 127.0.0.1 上扮演客户端来测你的服务器，扮演服务器
//! 来测你的客户端。只测一关：`cargo test step1`。

use std::thread;

use lesson_testing::{check, inputs, student_run, Ended, Peer, Student};
use sha1::{Digest, Sha1};

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");

/// What a client that knows `secret` answers: hex SHA-1(secret ‖ nonce).
fn expected(secret: &[u8], nonce: &[u8]) -> String {
    let digest = Sha1::new()
        .chain_update(secret)
        .chain_update(nonce)
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret of this run: random, so no answer can be written down in advance.
fn secret() -> String {
    let secret = inputs().word(6, 16);
    println!("这次的密钥：{secret}");
    secret
}

fn server(secret: &str) -> (Student, std::net::SocketAddr) {
    let args = [
        "server",
        "--bind",
        "127.0.0.1:0",
        "--secret",
        secret,
        "--timeout",
        "2",
    ];
    Student::server(EXE, &args)
}

/// Connects and reads the 32-byte challenge.
fn challenge(addr: std::net::SocketAddr) -> (Peer, Vec<u8>) {
    let mut c = Peer::connect(addr);
    let nonce = c.receive(32);
    (c, nonce)
}

#[test]
fn step1_server_accepts_the_right_answer() {
    let secret = secret();
    let (mut srv, addr) = server(&secret);
    let (mut c, nonce) = challenge(addr);
    c.send(expected(secret.as_bytes(), &nonce).as_bytes());
    c.expect(b"hello");
    srv.expect(&format!("accepted {}\n", c.local_addr()));
}

#[test]
fn step2_server_rejects_wrong_answers_and_goes_on() {
    let secret = secret();
    let (mut srv, addr) = server(&secret);
    let (mut c, nonce) = challenge(addr);
    let wrong = format!("{secret}x");
    c.send(expected(wrong.as_bytes(), &nonce).as_bytes());
    check(
        c.read_to_close().is_empty(),
        "答案错误时服务器不应该发 hello，而应该关闭连接",
    );
    srv.expect(&format!("rejected {}\n", c.local_addr()));
    let (mut c, _) = challenge(addr);
    c.send(&[0xff; 40]); // garbage
    check(
        c.read_to_close().is_empty(),
        "乱七八糟的答案也不能得到 hello",
    );
    let (mut c, nonce) = challenge(addr);
    c.send(expected(secret.as_bytes(), &nonce).as_bytes());
    c.expect(b"hello");
}

/// A server run by the grader: sends a random challenge, checks the answer for `secret`, says
/// hello or not.
fn fake_server(secret: &str, say_hello: bool) -> (String, thread::JoinHandle<()>) {
    let nonce = inputs().bytes(32);
    let answer = expected(secret.as_bytes(), &nonce);
    Peer::serve_one(move |mut c| {
        c.send(&nonce);
        c.expect(answer.as_bytes());
        if say_hello {
            c.send(b"hello");
        }
        c.shutdown_write();
        c.read_to_close();
    })
}

/// The student's client, knowing `secret`, against [`fake_server`].
fn client_against_fake_server(say_hello: bool) -> Ended {
    let secret = secret();
    let (addr, srv) = fake_server(&secret, say_hello);
    let out = student_run(EXE, &["client", &addr, "--secret", &secret], "");
    out.after_server(srv);
    out
}

#[test]
fn step3_client_answers_the_challenge() {
    let out = client_against_fake_server(true);
    out.expect_line("server says: hello");
    out.expect_code(0, "通过验证");
}

#[test]
fn step4_client_reports_a_rejection() {
    let out = client_against_fake_server(false);
    out.expect_line("rejected by server");
    out.expect_code(1, "被服务器拒绝是一个错误");
}
