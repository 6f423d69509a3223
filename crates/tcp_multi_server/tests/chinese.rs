//! tcp_multi_server and its examples in Chinese (`NET_LESSONS_LANG=zh`), the default a student
//! meets: the log in Chinese, each chunk printed alone as the notes' `handle` prints it
//! (`print(content)`), `--help` in Chinese, and a port already taken said with what to do.

use lesson_testing::{
    check_chinese_help, check_chinese_port_taken_by, check_chinese_refusal, connect, example,
    exchange, in_chinese, port_in_use, run, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

#[test]
fn serves_with_a_chinese_log() {
    // SPEC's listening line, the same in both languages
    let (mut srv, addr) = in_chinese(|| Program::server(EXE, &["--bind", "127.0.0.1:0"]));
    let mut client = connect(addr);
    let me = client.local_addr().unwrap();
    exchange(
        &mut client,
        "hello 你好".as_bytes(),
        "HELLO 你好".as_bytes(),
    );
    assert_eq!(
        srv.next_line(),
        format!("有新的客户端接入：{me}（现在 1 个客户端）")
    );
    assert_eq!(srv.next_line(), "hello 你好"); // print(content)
    drop(client);
    assert_eq!(srv.next_line(), format!("客户端已断开：{me}"));
    assert!(srv.is_running(), "it serves forever, like serve_forever()"); // killed when dropped
}

#[test]
fn help_in_chinese() {
    for program in [
        EXE.to_string(),
        example("serial_server"),
        example("threaded_server"),
        example("load"),
    ] {
        check_chinese_help(&program, "用法：");
    }
    let out = in_chinese(|| run(EXE, &["--help"], ""));
    out.expect_stdout_has("打开文件数的上限");
}

#[test]
fn a_bad_command_line_in_chinese() {
    check_chinese_refusal(
        EXE,
        &["--max-clients", "0"],
        "错误：--max-clients 至少是 1\n\n用法：tcp_multi_server",
    );
}

/// A port another program holds: one line `错误：绑定 ADDR：端口已被占用...`, saying who to stop or
/// to choose another port (`--help` says how), exit 1.
#[test]
fn a_port_taken_says_what_to_do() {
    let (_busy, addr) = port_in_use();
    check_chinese_port_taken_by(EXE, &["--bind", &addr], &addr);
    check_chinese_port_taken_by(&example("serial_server"), &[&addr], &addr);
    check_chinese_port_taken_by(&example("threaded_server"), &[&addr], &addr);
}
