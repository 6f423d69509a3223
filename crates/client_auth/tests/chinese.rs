//! The real client_auth in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! notes' own print (是合法的客户端) and its opposite, `--help`, the warning about the notes'
//! secret, and errors that say what to do.

use std::process::Stdio;

use lesson_testing::{
    check_chinese_connection_refused, check_chinese_help, check_chinese_port_taken,
    check_chinese_refusal, command, in_chinese, run, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");

#[test]
fn accepted_and_rejected_in_chinese() {
    let (mut server, addr) = in_chinese(|| {
        Program::server(
            EXE,
            &["server", "--bind", "127.0.0.1:0", "--secret", "s3cret"],
        )
    });
    let addr = addr.to_string();

    let out = in_chinese(|| run(EXE, &["client", &addr, "--secret", "s3cret"], ""));
    out.expect_code(0);
    assert_eq!(out.stdout, format!("已连接到 {addr}\n服务器说：hello\n"));
    assert!(server.next_line().ends_with(" 已连接"));
    // print('是合法的客户端')
    assert!(server.next_line().starts_with("是合法的客户端：127.0.0.1:"));

    // No secret at all, not even from the environment: the notes' hahaha, with a warning that
    // says what to do; rejected.
    let out = in_chinese(|| command(EXE))
        .env_remove("NET_LESSONS_SECRET")
        .args(["client", &addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.ends_with("服务器拒绝了我们：它认为这不是合法的客户端\n"));
    let said = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 2, "{said}");
    assert!(
        lines[0].starts_with("警告：没有 --secret，也没有 NET_LESSONS_SECRET：使用笔记里的密钥"),
        "{said}"
    );
    assert!(lines[0].contains("给两边同一个 --secret S"), "{said}");
    assert_eq!(
        lines[1],
        "错误：我们的 --secret 和服务器的不一样（或者服务器等不及我们的回答）：\
         用和服务器相同的密钥，--secret S 或者 NET_LESSONS_SECRET"
    );
    assert!(server.next_line().ends_with(" 已连接"));
    assert!(server.next_line().ends_with(" 回答的摘要不对"));
    assert!(server
        .next_line()
        .starts_with("不是合法的客户端：127.0.0.1:"));
}

#[test]
fn help_and_errors_in_chinese() {
    check_chinese_help(EXE, "用法：client_auth server");
    let missing = "错误：client 要一个 SERVER（HOST:PORT），别的不要\n\n用法：";
    check_chinese_refusal(EXE, &["client"], missing);

    // The port taken: who to stop, or --bind another.
    check_chinese_port_taken(EXE, &["server", "--secret", "k"], false);
    // Nobody listening: is the server running?
    check_chinese_connection_refused(EXE, &["client"], &["--secret", "k"]);
}
