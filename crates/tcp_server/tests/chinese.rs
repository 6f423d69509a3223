//! tcp_server and its examples in Chinese (`NET_LESSONS_LANG=zh`), the default a student meets:
//! the notes' own prints (000 服务器增强: 服务器已开启..., 有新的客户端接入：..., 收到客户端的消息：...,
//! 客户端已断开：...), `--help` in Chinese, and a port already taken said in Chinese with what to do.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use netcommon::testing::{command, example, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");

/// Starts `program` in Chinese; its stdout comes line by line through the receiver.
fn start(program: &str, args: &[&str]) -> (Child, Receiver<String>) {
    let mut child = command(program)
        .env("NET_LESSONS_LANG", "zh")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting the program");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The next line the program prints, within the tests' timeout.
fn next(rx: &Receiver<String>) -> String {
    rx.recv_timeout(TIMEOUT).expect("a line within the timeout")
}

/// The address in `listening on IP:PORT`.
fn listening(rx: &Receiver<String>) -> String {
    let line = next(rx);
    line.strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("not the listening line: {line:?}"))
        .to_string()
}

/// Runs `program` in Chinese to its end, with no input.
fn run_zh(program: &str, args: &[&str]) -> Output {
    command(program)
        .env("NET_LESSONS_LANG", "zh")
        .args(args)
        .output()
        .expect("running the program")
}

#[test]
fn prints_what_the_notes_000_server_prints() {
    let (mut srv, lines) = start(EXE, &["--bind", "127.0.0.1:0", "--once"]);
    let addr = listening(&lines); // SPEC's line, the same in both languages
    assert_eq!(next(&lines), "服务器已开启，等待客户端的接入");

    let mut client = TcpStream::connect(&addr).unwrap();
    client.set_read_timeout(Some(TIMEOUT)).unwrap();
    let me = client.local_addr().unwrap();
    client.write_all("你好".as_bytes()).unwrap();
    let mut reply = vec![0; "收到！".len()];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(reply, "收到！".as_bytes());
    assert_eq!(next(&lines), format!("有新的客户端接入：{me}"));
    assert_eq!(next(&lines), "收到客户端的消息：你好");
    drop(client);
    assert_eq!(next(&lines), format!("客户端已断开：{me}"));
    assert!(srv.wait().unwrap().success(), "--once ends with exit 0");
}

#[test]
fn the_003_hello_pair_in_chinese() {
    let (mut srv, lines) = start(&example("hello_server"), &["--bind", "127.0.0.1:0"]);
    let addr = listening(&lines);
    let out = run_zh(&example("hello_client"), &[&addr]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello\n"); // print(msg)
    let who = next(&lines);
    let me = who
        .strip_prefix("有新的客户端接入：")
        .unwrap_or_else(|| panic!("{who:?}"));
    assert_eq!(next(&lines), format!("向 [{me}] 发送了 hello"));
    assert_eq!(next(&lines), "bebebe"); // print(msg): the message alone, as the notes print it
    assert!(srv.wait().unwrap().success());
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
        let out = run_zh(program, &["--help"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{program}: {out:?}");
        assert!(stdout.starts_with("用法："), "{program}: {stdout}");
    }
}

#[test]
fn a_bad_command_line_in_chinese() {
    let out = run_zh(EXE, &["--reply", "x", "--echo"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("错误：--reply 和 --echo 不能一起用\n\n用法：tcp_server"),
        "{stderr}"
    );
}

/// A port another program holds: one line `错误：绑定 ADDR：端口已被占用...`, saying who to stop or
/// to `--bind` another port, exit 1. The servers that take ADDR as an argument say the same.
#[test]
fn a_port_taken_says_what_to_do() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let runs: [(String, Vec<&str>); 5] = [
        (EXE.to_string(), vec!["--bind", &addr]),
        (example("hello_server"), vec!["--bind", &addr]),
        (example("chat_server"), vec!["--bind", &addr]),
        (example("oneshot_server"), vec![&addr]),
        (example("echo_one_client"), vec![&addr]),
    ];
    for (program, args) in &runs {
        let out = run_zh(program, args);
        assert_eq!(out.status.code(), Some(1), "{program}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("错误：绑定 {addr}：端口已被占用：")),
            "{program}: {stderr}"
        );
        assert!(stderr.contains("先停掉它"), "{program}: {stderr}");
        assert!(stderr.contains("--bind"), "{program}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{program}: {stderr}");
    }
}
