//! tcp_client in Chinese (`NET_LESSONS_LANG=zh`), the default a student meets: the notes' own
//! prints (001 接收到的数据为:, 002 对方关闭了链接), a server that closed while the student typed
//! said plainly (no guess about why), `--help` in Chinese, and a refused connection with what to do.

use netcommon::again;
use std::io::{Read, Write};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use lesson_testing::{
    check_chinese_connection_refused, check_chinese_help, in_chinese, run_in_chinese, serve_one,
    Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_client");

/// A one-client server on loopback: answers the first chunk with "re:" + the chunk, then closes.
fn answer_once_then_close() -> (String, JoinHandle<()>) {
    serve_one(|mut s| {
        let mut buf = [0; 1024];
        let n = again(|| s.read(&mut buf)).unwrap();
        s.write_all(&[b"re:", &buf[..n]].concat()).unwrap();
        // dropping `s` closes the connection
    })
}

#[test]
fn prints_what_the_notes_print() {
    let (addr, srv) = answer_once_then_close();
    let out = run_in_chinese(EXE, &[&addr, "你好", "再见"], "");
    srv.join().unwrap();
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        format!("已连接到 {addr}\n接收到的数据为: re:你好\n对方关闭了链接\n")
    );
}

#[test]
fn asks_like_the_notes() {
    let (addr, srv) = answer_once_then_close();
    let port = addr.rsplit_once(':').unwrap().1;
    let out = run_in_chinese(EXE, &[], &format!("127.0.0.1\n{port}\nhi\n"));
    srv.join().unwrap();
    out.expect_code(0);
    let stdout = &out.stdout;
    assert!(
        stdout.starts_with(&format!(
            "请输入服务器ip:请输入服务器port:已连接到 {addr}\n请输入要发送的数据：接收到的数据为: re:hi\n"
        )),
        "{stdout}"
    );
}

/// The server closes while the student types: said plainly, with what to do, and no guess
/// about why it closed.
#[test]
fn a_server_that_closed_while_we_typed_is_said_plainly() {
    let (addr, srv) = answer_once_then_close();
    let mut client = in_chinese(|| Program::start(EXE, &[&addr]));
    client.type_line("first");
    srv.join().unwrap(); // answered, then closed
    thread::sleep(Duration::from_millis(300)); // the close (FIN) reaches the client
    client.type_line("second");
    let out = client.finish();
    out.expect_code(0);
    let stdout = &out.stdout;
    assert!(stdout.contains("接收到的数据为: re:first\n"), "{stdout}");
    assert!(
        stdout.contains("对方关闭了链接\n服务器在你输入的时候关闭了连接（距离它上次回答 "),
        "{stdout}"
    );
    assert!(
        stdout.contains("这一行没有发出去。要继续：确认服务器在运行，再重新运行 tcp_client。\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("idle-timeout"), "no guess: {stdout}");
}

#[test]
fn a_refused_connection_says_what_to_do() {
    let (out, _) = check_chinese_connection_refused(EXE, &[], &["x"]);
    let stderr = &out.stderr;
    assert!(stderr.contains("：连接被拒绝："), "{stderr}");
    assert!(stderr.contains("服务器启动了吗？端口对吗？"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn help_in_chinese() {
    check_chinese_help(EXE, "用法：tcp_client");
}
