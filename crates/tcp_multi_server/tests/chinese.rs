//! tcp_multi_server and its examples in Chinese (`NET_LESSONS_LANG=zh`), the default a student
//! meets: the log in Chinese, each chunk printed alone as the notes' `handle` prints it
//! (`print(content)`), `--help` in Chinese, and a port already taken said with what to do.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use netcommon::testing::{command, example, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

/// Starts `program` in Chinese; its stdout comes line by line through the receiver.
fn start(program: &str, args: &[&str]) -> (Child, Receiver<String>) {
    let mut child = command(program)
        .env("NET_LESSONS_LANG", "zh")
        .args(args)
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

/// Runs `program` in Chinese to its end, with no input.
fn run_zh(program: &str, args: &[&str]) -> Output {
    command(program)
        .env("NET_LESSONS_LANG", "zh")
        .args(args)
        .output()
        .expect("running the program")
}

#[test]
fn serves_with_a_chinese_log() {
    let (mut srv, lines) = start(EXE, &["--bind", "127.0.0.1:0"]);
    let first = next(&lines);
    let addr = first
        .strip_prefix("listening on ") // SPEC's line, the same in both languages
        .unwrap_or_else(|| panic!("{first:?}"));
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(TIMEOUT)).unwrap();
    let me = client.local_addr().unwrap();
    client.write_all("hello 你好".as_bytes()).unwrap();
    let mut back = vec![0; "HELLO 你好".len()];
    client.read_exact(&mut back).unwrap();
    assert_eq!(back, "HELLO 你好".as_bytes());
    assert_eq!(
        next(&lines),
        format!("有新的客户端接入：{me}（现在 1 个客户端）")
    );
    assert_eq!(next(&lines), "hello 你好"); // print(content)
    drop(client);
    assert_eq!(next(&lines), format!("客户端已断开：{me}"));
    srv.kill().unwrap(); // it serves forever, like serve_forever()
    let _ = srv.wait();
}

#[test]
fn help_in_chinese() {
    for program in [
        EXE.to_string(),
        example("serial_server"),
        example("threaded_server"),
        example("load"),
    ] {
        let out = run_zh(&program, &["--help"]);
        assert_eq!(out.status.code(), Some(0), "{program}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with("用法："), "{program}: {stdout}");
    }
    let out = run_zh(EXE, &["--help"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("打开文件数的上限"), "{stdout}");
}

#[test]
fn a_bad_command_line_in_chinese() {
    let out = run_zh(EXE, &["--max-clients", "0"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("错误：--max-clients 至少是 1\n\n用法：tcp_multi_server"),
        "{stderr}"
    );
}

/// A port another program holds: one line `错误：绑定 ADDR：端口已被占用...`, saying who to stop or
/// to `--bind` another port, exit 1.
#[test]
fn a_port_taken_says_what_to_do() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let runs: [(String, Vec<&str>); 3] = [
        (EXE.to_string(), vec!["--bind", &addr]),
        (example("serial_server"), vec![&addr]),
        (example("threaded_server"), vec![&addr]),
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
