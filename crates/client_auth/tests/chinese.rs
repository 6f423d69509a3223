//! The real client_auth in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! notes' own print (是合法的客户端) and its opposite, `--help`, the warning about the notes'
//! secret, and errors that say what to do.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use netcommon::testing::TIMEOUT;

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");

/// The program in Chinese, whatever the test process has in its environment, and with no
/// secret from the environment.
fn chinese(args: &[&str]) -> Command {
    let mut cmd = netcommon::testing::command(EXE);
    cmd.env("NET_LESSONS_LANG", "zh")
        .env_remove("NET_LESSONS_SECRET")
        .args(args);
    cmd
}

/// Runs to the end with no input.
fn run(args: &[&str]) -> Output {
    chinese(args).stdin(Stdio::null()).output().unwrap()
}

/// A running server and the lines it prints; killed when dropped.
struct Server {
    child: Child,
    lines: Receiver<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = chinese(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Server { child, lines }
    }

    /// The next line it prints.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(TIMEOUT)
            .expect("a line from the server")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn accepted_and_rejected_in_chinese() {
    let server = Server::start(&["server", "--bind", "127.0.0.1:0", "--secret", "s3cret"]);
    let addr = server
        .line()
        .strip_prefix("listening on ")
        .expect("the same listening line in Chinese")
        .to_string();

    let out = run(&["client", &addr, "--secret", "s3cret"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        format!("已连接到 {addr}\n服务器说：hello\n")
    );
    assert!(server.line().ends_with(" 已连接"));
    // print('是合法的客户端')
    assert!(server.line().starts_with("是合法的客户端：127.0.0.1:"));

    // No secret at all: the notes' hahaha, with a warning that says what to do; rejected.
    let out = run(&["client", &addr]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(text(&out.stdout).ends_with("服务器拒绝了我们：它认为这不是合法的客户端\n"));
    let said = text(&out.stderr);
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
    assert!(server.line().ends_with(" 已连接"));
    assert!(server.line().ends_with(" 回答的摘要不对"));
    assert!(server.line().starts_with("不是合法的客户端：127.0.0.1:"));
}

#[test]
fn help_and_errors_in_chinese() {
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).starts_with("用法：client_auth server"));

    let bad = run(&["client"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr)
        .starts_with("错误：client 要一个 SERVER（HOST:PORT），别的不要\n\n用法："));

    // The port taken: who to stop, or --bind another.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    let out = run(&["server", "--bind", &busy, "--secret", "k"]);
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
    let out = run(&["client", &closed, "--secret", "k"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = text(&out.stderr);
    assert!(
        said.starts_with(&format!("错误：连接 {closed}：连接被拒绝")),
        "{said}"
    );
    assert!(said.contains("服务器启动了吗"), "{said}");
}
