//! udp_sender 的评分测试（作业）：评分程序在 127.0.0.1 上当接收方，比较收到的数据报。
//! 只测一关：`cargo test step1`。

use std::thread;

use lesson_testing::{inputs, student_run, UdpPeer};

const EXE: &str = env!("CARGO_BIN_EXE_udp_sender");

fn receiver() -> (UdpPeer, String) {
    let peer = UdpPeer::bind();
    let addr = peer.local_addr().to_string();
    println!("评分程序在 {addr} 接收");
    (peer, addr)
}

#[test]
fn step1_sends_each_message_as_one_datagram() {
    let mut rng = inputs();
    let (one, two) = (rng.word(3, 8), rng.message());
    let (peer, addr) = receiver();
    let out = student_run(EXE, &[&addr, &one, &two], "");
    out.expect_code(0, "发完就正常结束");
    peer.expect(one.as_bytes());
    peer.expect(two.as_bytes());
}

#[test]
fn step2_asks_for_the_message() {
    let typed = inputs().message();
    let (peer, addr) = receiver();
    let out = student_run(EXE, &[&addr], &format!("{typed}\n"));
    out.expect_code(0, "发完就正常结束");
    out.expect_stdout_start("data to send: "); // pick("请输入要发送的数据:", "data to send: ")
    peer.expect(typed.as_bytes());
}

#[test]
fn step3_prints_each_reply() {
    let mut rng = inputs();
    let (one, two, prefix) = (rng.word(3, 8), rng.word(3, 8), rng.word(2, 4));
    let (peer, addr) = receiver();
    let re = format!("{prefix}:");
    let answer = thread::spawn(move || {
        for _ in 0..2 {
            let (data, from) = peer.receive();
            peer.send_to(&[re.as_bytes(), &data[..]].concat(), from);
        }
    });
    let out = student_run(EXE, &["--wait-reply", &addr, &one, &two], "");
    out.expect_code(0, "收到每个回复后正常结束");
    if answer.join().is_err() {
        out.fail("评分程序没有收到两个数据报（见上面的记录）");
    }
    out.expect_line(&format!("reply from {addr}: {prefix}:{one}"));
    out.expect_line(&format!("reply from {addr}: {prefix}:{two}"));
}

#[test]
fn step4_fails_when_no_reply_comes() {
    let text = inputs().word(3, 8);
    let (peer, addr) = receiver();
    let out = student_run(EXE, &["--wait-reply", "--timeout", "0.2", &addr, &text], "");
    out.expect_code(1, "等不到回复是运行时的错误");
    out.expect_stderr_start("error: ");
    peer.expect(text.as_bytes());
}
