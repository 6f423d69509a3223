//! The real sticky_packet_demo in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets):
//! the notes' `print(blen)` as Python prints it, one line per read (黏包 shows) or per
//! message, `--help`, and errors that say what to do.

use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};

use netcommon::testing::{example, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

/// A program of this crate in Chinese, whatever the test process has in its environment.
fn chinese(exe: &str, args: &[&str]) -> Command {
    let mut cmd = netcommon::testing::command(exe);
    cmd.env("NET_LESSONS_LANG", "zh").args(args);
    cmd
}

/// Runs to the end with no input.
fn run(args: &[&str]) -> Output {
    chinese(EXE, args).stdin(Stdio::null()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The server on a free port, given by the test (the server serves one client and exits, so
/// its whole output is read at the end).
fn server(args: &[&str]) -> (Child, String) {
    let port = netcommon::testing::free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut all = vec!["server", "--bind", &bind];
    all.extend_from_slice(args);
    let child = chinese(EXE, &all)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (child, bind)
}

/// Runs the client, retrying while the server is not listening yet.
fn client(addr: &str, args: &[&str]) -> Output {
    let started = std::time::Instant::now();
    let mut all = vec!["client", addr];
    all.extend_from_slice(args);
    loop {
        let out = run(&all);
        let refused = text(&out.stderr).contains("连接被拒绝");
        if !refused || started.elapsed() > TIMEOUT {
            return out;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn glued_reads_and_framed_messages_in_chinese() {
    let (srv, addr) = server(&["hello", "world", "你好"]);
    let out = client(&addr, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        format!("已连接到 {addr}\n第 1 次读到：helloworld你好\n服务器关闭了连接\n")
    );
    let srv = srv.wait_with_output().unwrap();
    let said = text(&srv.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines[0], format!("listening on {addr}"), "{said}");
    assert!(lines[1].ends_with(" 已连接"), "{said}");
    assert!(lines[2].ends_with(" 发送第 1 条：5 字节"), "{said}");
    assert!(lines[4].ends_with(" 发送第 3 条：6 字节"), "{said}");
    assert!(lines[5].ends_with(" 发完了 3 条消息，关闭连接"), "{said}");

    // print(blen): the length as the notes' Python prints it; 123 is the byte `{`.
    let long = "x".repeat(123);
    let (srv, addr) = server(&["--framed", "hello", &long]);
    let out = client(&addr, &["--framed"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        format!("已连接到 {addr}\n第 1 条消息：hello\n第 2 条消息：{long}\n服务器关闭了连接\n")
    );
    let said = text(&srv.wait_with_output().unwrap().stdout);
    assert!(
        said.contains(" 发送第 1 条：长度 b'\\x05\\x00\\x00\\x00' + 5 字节\n"),
        "{said}"
    );
    assert!(
        said.contains(" 发送第 2 条：长度 b'{\\x00\\x00\\x00' + 123 字节\n"),
        "{said}"
    );
}

#[test]
fn help_and_errors_in_chinese() {
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).starts_with("用法：sticky_packet_demo server"));

    let bad = run(&["client"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr)
        .starts_with("错误：client 要一个 SERVER（HOST:PORT），别的不要\n\n用法："));

    // The port taken: who to stop, or --bind another.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    let out = run(&["server", "--bind", &busy, "hello"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = text(&out.stderr);
    assert!(
        said.starts_with(&format!("错误：绑定 {busy}：端口已被占用")),
        "{said}"
    );
    assert!(said.contains("--bind"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");

    // Nobody listening: is the server running?
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let out = run(&["client", &closed]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = text(&out.stderr);
    assert!(
        said.starts_with(&format!("错误：连接 {closed}：连接被拒绝")),
        "{said}"
    );
    assert!(said.contains("服务器启动了吗"), "{said}");
}

#[test]
fn struct_demo_in_chinese() {
    let out = chinese(&example("struct_demo"), &["5"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        "b'\\x05\\x00\\x00\\x00'\n(5,)\n网络字节序，struct.pack('!i', n)：\n\
         b'\\x00\\x00\\x00\\x05'  ->  (5,)\n"
    );
    let help = chinese(&example("struct_demo"), &["--help"])
        .output()
        .unwrap();
    assert!(text(&help.stdout).starts_with("用法：struct_demo"));
    let bad = chinese(&example("struct_demo"), &["2147483648"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).starts_with("错误：2147483648 放不进 4 个字节（'i'）\n"));
}
