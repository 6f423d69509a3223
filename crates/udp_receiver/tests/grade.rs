//! udp_receiver 的评分测试（作业）：评分程序在 127.0.0.1 上发送数据报，检查程序打印了什么、
//! 发回了什么。只测一关：`cargo test step1`。

use lesson_testing::{check, inputs, Student, UdpPeer};

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

#[test]
fn step1_prints_each_datagram_with_its_sender() {
    let mut rng = inputs();
    let (one, two) = (rng.message(), rng.message());
    let (mut receiver, addr) = Student::server_on_any_port(EXE, &[], &[]);
    let me = UdpPeer::bind();
    me.send_to(one.as_bytes(), addr);
    receiver.expect(&format!("from {}: {one}\n", me.local_addr()));
    me.send_to(two.as_bytes(), addr);
    receiver.expect(&format!(": {two}\n"));
}

#[test]
fn step2_replies_to_the_sender() {
    let mut rng = inputs();
    let reply = rng.message();
    let (_receiver, addr) = Student::server_on_any_port(EXE, &[], &["--reply", &reply]);
    let me = UdpPeer::bind();
    me.send_to(rng.message().as_bytes(), addr);
    let from = me.expect(reply.as_bytes());
    check(
        from == addr,
        &format!("回复应该来自程序绑定的 {addr}，实际来自 {from}"),
    );
}

#[test]
fn step3_stops_after_count() {
    let mut rng = inputs();
    let count = rng.between(1, 4);
    let (receiver, addr) = Student::server_on_any_port(EXE, &[], &["--count", &count.to_string()]);
    let me = UdpPeer::bind();
    let sent: Vec<String> = (0..count).map(|_| rng.message()).collect();
    for text in &sent {
        me.send_to(text.as_bytes(), addr);
    }
    let end = receiver.finish();
    end.expect_code(
        0,
        &format!("--count {count}：收到 {count} 个数据报后正常结束"),
    );
    let from = me.local_addr();
    for text in &sent {
        end.expect_line(&format!("from {from}: {text}"));
    }
}

#[test]
fn step4_survives_bad_bytes_and_long_datagrams() {
    let (mut receiver, addr) = Student::server_on_any_port(EXE, &[], &[]);
    let me = UdpPeer::bind();
    me.send_to(b"ok\xff", addr);
    receiver.expect(": ok\u{fffd}\n");
    me.send_to(&[b'a'; 3000], addr);
    let line = receiver.expect("aaa");
    check(
        line.matches('a').count() == 1024,
        &format!(
            "recvfrom(1024) 只保留 1024 字节；打印出来的是 {} 个 a",
            line.matches('a').count()
        ),
    );
    let after = inputs().message();
    me.send_to(after.as_bytes(), addr);
    receiver.expect(&format!(": {after}\n"));
}
