//! udp_sender (and the 飞秋 example) in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::net::UdpSocket;

use lesson_testing::{
    check_chinese_help, example, in_chinese, receive, run, udp, Finished, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_udp_sender");

/// Runs `exe` in Chinese to its end, with no input.
fn run_zh(exe: &str, args: &[&str]) -> Finished {
    in_chinese(|| run(exe, args, ""))
}

#[test]
fn help_is_chinese() {
    for exe in [EXE, &example("feiq")] {
        check_chinese_help(exe, "用法：");
    }
}

#[test]
fn a_reply_is_printed_as_the_notes_print_a_datagram() {
    let socket = udp();
    let addr = socket.local_addr().unwrap().to_string();
    let sender = in_chinese(|| Program::start(EXE, &["--wait-reply", &addr, "你好"]));
    // The echo: one datagram in, "re:" and the same bytes back to its sender.
    let (got, from) = receive(&socket);
    socket.send_to(&[b"re:", &got[..]].concat(), from).unwrap();
    let out = sender.finish();
    out.expect_code(0);
    let stdout = out.stdout;
    assert!(
        stdout.contains(&format!("已发送 6 字节到 {addr}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("收到来自 {addr} 的数据:re:你好\n")),
        "{stdout}"
    );
}

#[test]
fn a_datagram_too_long_says_the_limit_and_what_to_do() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap(); // never receives anything
    let addr = socket.local_addr().unwrap().to_string();
    let message = "x".repeat(70_000);
    let out = run_zh(EXE, &[&addr, &message]);
    out.expect_code(1)
        .expect_stderr_start(&format!("错误：发送到 {addr}：数据报太长"))
        .expect_stderr_has("65,507 字节，一次少发一点");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
}

#[test]
fn binding_an_address_not_on_this_machine_says_what_to_use() {
    // 192.0.2.1 (TEST-NET-1) is never this machine's. Nothing is sent: binding fails first.
    let out = run_zh(EXE, &["--bind", "192.0.2.1:0", "127.0.0.1:9", "x"]);
    out.expect_code(1);
    let stderr = &out.stderr;
    assert!(
        stderr.starts_with("错误：绑定 192.0.2.1:0：这个 IP 地址不是本机的地址"),
        "{stderr}"
    );
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
}

/// Linux says EAFNOSUPPORT here, and Windows (WSAEAFNOSUPPORT) should too; macOS may call it
/// EINVAL, which says nothing this specific.
#[cfg(target_os = "linux")]
#[test]
fn an_ipv6_peer_from_an_ipv4_address_says_both_must_be_of_one_kind() {
    // Nothing is sent: an IPv4 socket cannot address an IPv6 peer.
    let out = run_zh(EXE, &["--bind", "127.0.0.1:0", "[::1]:9", "x"]);
    out.expect_code(1)
        .expect_stderr_start("错误：发送到 [::1]:9：地址类型不一致")
        .expect_stderr_has("都是 IPv4（比如 127.0.0.1）");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
}

#[test]
fn no_reply_says_what_to_check() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap(); // receives, never answers
    let addr = socket.local_addr().unwrap().to_string();
    let out = run_zh(EXE, &["--wait-reply", "--timeout", "0.2", &addr, "有人吗"]);
    out.expect_code(1)
        .expect_stderr_start(&format!("错误：0.2 秒内没有收到 {addr} 的回复"))
        .expect_stderr_has("--timeout");
}

#[test]
fn feiq_says_what_it_sent_in_chinese() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    let out = run_zh(&example("feiq"), &[&addr, "你好"]);
    out.expect_code(0);
    let stdout = out.stdout;
    assert!(stdout.starts_with("已发送 "), "{stdout}");
    assert!(
        stdout.contains(&format!("字节（GBK）到 {addr}：1:")),
        "{stdout}"
    );
}

#[test]
fn asks_with_the_notes_words() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let stdin = format!("127.0.0.1\nabc\n{port}\n你好\n");
    let out = in_chinese(|| run(EXE, &[], &stdin));
    out.expect_code(0);
    // input("请输入对方的port:"); a port that is not a number: the notes' 输入有误，请重新输入...
    out.expect_stdout_start(
        "请输入对方的ip地址:请输入对方的port:端口必须是 0 到 65535 之间的整数，不是 \"abc\"。\n\
             输入有误，请重新输入...\n请输入对方的port:请输入要发送的数据:",
    );
}
