//! tcp_server 的评分测试（作业）：评分程序在 127.0.0.1 上扮演客户端，比较收发的字节。
//! 只测一关：`cargo test step1`。

use lesson_testing::{check, inputs, Peer, Student};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

#[test]
fn step1_replies_to_each_chunk() {
    let mut rng = inputs();
    let reply = rng.message();
    let (mut server, addr) = Student::server_on_any_port(EXE, &[], &["--reply", &reply]);
    let mut client = Peer::connect(addr);
    let first = rng.message();
    client.send(first.as_bytes());
    client.expect(reply.as_bytes());
    server.expect(&format!("from {}: {first}\n", client.local_addr()));
    client.send(rng.message().as_bytes());
    client.expect(reply.as_bytes());
}

#[test]
fn step2_echo_sends_back_the_same_bytes() {
    let mut rng = inputs();
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &["--echo"]);
    let mut client = Peer::connect(addr);
    let text = rng.message();
    client.send(text.as_bytes());
    client.expect(text.as_bytes());
    let bytes = [&b"\x00\xff"[..], &rng.bytes(20)].concat();
    client.send(&bytes);
    client.expect(&bytes);
}

#[test]
fn step3_serves_the_next_client_after_a_close() {
    let mut rng = inputs();
    let reply = rng.word(2, 6);
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &["--reply", &reply]);
    let mut first = Peer::connect(addr);
    first.send(rng.message().as_bytes());
    first.expect(reply.as_bytes());
    first.shutdown_write();
    check(
        first.read_to_close().is_empty(),
        "我们关闭连接后，服务器不应该再发送任何东西，而应该关闭它这一端",
    );
    let mut second = Peer::connect(addr);
    second.send(rng.message().as_bytes());
    second.expect(reply.as_bytes());
}

#[test]
fn step4_survives_a_reset_and_a_silent_client() {
    let (_server, addr) =
        Student::server_on_any_port(EXE, &[], &["--echo", "--idle-timeout", "0.3"]);
    let mut rude = Peer::connect(addr);
    rude.send(&[b'x'; 4000]);
    rude.expect(b"x");
    drop(rude); // closing with the echo unread makes our system send a reset
    println!("带着没读的数据关闭连接：对方会收到重置（reset）");
    let mut silent = Peer::connect(addr);
    check(
        silent.read_to_close().is_empty(),
        "一直不说话的客户端应该在 --idle-timeout 之后被关闭",
    );
    let mut after = Peer::connect(addr);
    let text = inputs().message();
    after.send(text.as_bytes());
    after.expect(text.as_bytes());
}
