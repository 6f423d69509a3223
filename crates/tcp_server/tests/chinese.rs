//! tcp_server and its examples in Chinese (`NET_LESSONS_LANG=zh`), the default a student meets:
//! the notes' own prints (000 服务器增强: 服务器已开启..., 有新的客户端接入：..., 收到客户端的消息：...,
//! 客户端已断开：...), `--help` in Chinese, and a port already taken said in Chinese with what to do.

use lesson_testing::{
    check_chinese_help, check_chinese_port_taken_by, check_chinese_refusal, connect, example,
    exchange, in_chinese, port_in_use, run, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

#[test]
fn prints_what_the_notes_000_server_prints() {
    // SPEC's listening line, the same in both languages
    let (mut srv, addr) = in_chinese(|| Program::server(EXE, &["--bind", "127.0.0.1:0", "--once"]));
    assert_eq!(srv.next_line(), "服务器已开启，等待客户端的接入");

    let mut client = connect(addr);
    let me = client.local_addr().unwrap();
    exchange(&mut client, "你好".as_bytes(), "收到！".as_bytes());
    assert_eq!(srv.next_line(), format!("有新的客户端接入：{me}"));
    assert_eq!(srv.next_line(), "收到客户端的消息：你好");
    drop(client);
    assert_eq!(srv.next_line(), format!("客户端已断开：{me}"));
    assert_eq!(srv.finish().code, Some(0), "--once ends with exit 0");
}

#[test]
fn the_003_hello_pair_in_chinese() {
    let (mut srv, addr) =
        in_chinese(|| Program::server(&example("hello_server"), &["--bind", "127.0.0.1:0"]));
    let out = in_chinese(|| run(&example("hello_client"), &[&addr.to_string()], ""));
    out.expect_code(0);
    assert_eq!(out.stdout, "hello\n"); // print(msg)
    let who = srv.next_line();
    let me = who
        .strip_prefix("有新的客户端接入：")
        .unwrap_or_else(|| panic!("{who:?}"));
    assert_eq!(srv.next_line(), format!("向 [{me}] 发送了 hello"));
    assert_eq!(srv.next_line(), "bebebe"); // print(msg): the message alone, as the notes print it
    assert_eq!(srv.finish().code, Some(0));
}

#[test]
fn help_in_chinese() {
    let programs = [
        EXE.to_string(),
        example("oneshot_server"),
        example("echo_one_client"),
        example("hello_server"),
        example("hello_client"),
        example("chat_server"),
        example("chat_client"),
    ];
    for program in &programs {
        check_chinese_help(program, "用法：");
    }
}

#[test]
fn a_bad_command_line_in_chinese() {
    check_chinese_refusal(
        EXE,
        &["--reply", "x", "--echo"],
        "错误：--reply 和 --echo 不能一起用\n\n用法：tcp_server",
    );
}

/// A port another program holds: one line `错误：绑定 ADDR：端口已被占用...`, saying who to stop or
/// to choose another port (`--help` says how), exit 1. The servers that take ADDR as an
/// argument say the same.
#[test]
fn a_port_taken_says_what_to_do() {
    let (_busy, addr) = port_in_use();
    for name in ["hello_server", "chat_server"] {
        check_chinese_port_taken_by(&example(name), &["--bind", &addr], &addr);
    }
    for name in ["oneshot_server", "echo_one_client"] {
        check_chinese_port_taken_by(&example(name), &[&addr], &addr);
    }
    check_chinese_port_taken_by(EXE, &["--bind", &addr], &addr);
}
