//! udp_chat and its reply examples in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::net::UdpSocket;

use lesson_testing::{
    check_chinese_help, check_chinese_port_taken, example, in_chinese, run, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");

#[test]
fn help_is_chinese() {
    for exe in [
        EXE.to_string(),
        example("udp_reply_client_002"),
        example("udp_reply_server_002"),
        example("udp_reply_client_003"),
        example("udp_reply_server_003"),
    ] {
        check_chinese_help(&exe, "用法：");
    }
}

#[test]
fn choice_2_prints_the_message_as_the_notes_do() {
    // the same listening line in both languages
    let (mut chat, addr) = in_chinese(|| Program::server(EXE, &["--bind", "127.0.0.1:0"]));
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to("你好".as_bytes(), addr).unwrap();
    // The datagram waits in the socket's buffer until choice 2.
    chat.type_bytes(b"2\n3\n");
    let out = chat.finish();
    out.expect_code(0);
    let from = peer.local_addr().unwrap();
    // print(">>>%s:%s" % (str(recv_ip), recv_msg)), after the prompt (no newline typed here)
    let line = format!("请输入要操作的功能序号:>>>{from}:你好");
    assert!(out.stdout.lines().any(|l| l == line), "{out:?}");
}

#[test]
fn a_message_too_long_says_the_limit_and_the_chat_goes_on() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap(); // never reads
    let port = peer.local_addr().unwrap().port();
    let message = "x".repeat(70_000);
    let stdin = format!("1\n{message}\n127.0.0.1\n{port}\n3\n");
    let out = in_chinese(|| run(EXE, &["--bind", "127.0.0.1:0"], &stdin));
    out.expect_code(0);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("无法发送到"))
        .unwrap_or_else(|| panic!("{out:?}"));
    assert!(
        line.ends_with(&format!(
            "无法发送到 127.0.0.1:{port}：数据报太长：一个 UDP 数据报最多 65,507 字节，\
             一次少发一点（系统错误码 90）"
        )) || !cfg!(target_os = "linux"),
        "{line}"
    );
    assert!(line.contains("65,507"), "{line}");
}

#[test]
fn a_port_taken_or_an_address_not_ours_says_what_to_do() {
    check_chinese_port_taken(EXE, &[], true);

    // 192.0.2.1 (TEST-NET-1) is never this machine's: binding fails, nothing is sent.
    let out = in_chinese(|| run(EXE, &["--bind", "192.0.2.1:0"], ""));
    out.expect_code(1)
        .expect_stderr_start("错误：绑定 192.0.2.1:0：这个 IP 地址不是本机的地址：用 127.0.0.1");
}

#[test]
fn the_002_server_prints_the_sender_then_the_data() {
    let (mut server, addr) =
        in_chinese(|| Program::server(&example("udp_reply_server_002"), &["127.0.0.1:0"]));
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to("你好".as_bytes(), addr).unwrap();
    // print("%s" % str(adder)); print("%s" % data.decode())
    assert_eq!(server.next_line(), peer.local_addr().unwrap().to_string());
    assert_eq!(server.next_line(), "你好");
    // end of input ends the server
    assert_eq!(server.finish().code, Some(0));
}

#[test]
fn the_003_client_with_no_server_says_what_to_do() {
    // A port nobody listens on: the system answers "port unreachable".
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("127.0.0.1:{port}");
    let client = example("udp_reply_client_003");
    let out = in_chinese(|| run(&client, &["--timeout", "2", &server], "hi\n"));
    out.expect_code(1);
    let stderr = &out.stderr;
    assert!(stderr.starts_with("错误："), "{stderr}");
    assert!(
        stderr.contains(&format!("{server} 上没有程序在监听：先启动服务器"))
            || stderr.contains("秒内没有收到"),
        "{stderr}"
    );
}
