//! The real http_static in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! access-log line as SPEC fixes it, `--dump` (notes 004 2.3.4), the request viewer's
//! `Connect From` (the notes' own words, in both languages), `--help`, and errors that say what
//! to do.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use netcommon::testing::{example, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");

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

/// A running server and the lines it prints; killed when dropped.
struct Server {
    child: Child,
    lines: Receiver<String>,
    addr: String,
}

impl Server {
    fn start(exe: &str, args: &[&str]) -> Server {
        let mut all = vec!["--bind", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = chinese(exe, &all)
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
        let mut server = Server {
            child,
            lines,
            addr: String::new(),
        };
        let first = server.line();
        server.addr = first
            .strip_prefix("listening on ")
            .expect("the same listening line in Chinese")
            .to_string();
        server
    }

    /// The next line it prints.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(TIMEOUT)
            .expect("a line from the server")
    }

    /// Sends `request` on a new connection and reads the answer to the end.
    fn ask(&self, request: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        (s.local_addr().unwrap().to_string(), answer)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn dump_and_access_log_in_chinese() {
    let server = Server::start(EXE, &["--dump"]);
    let request = "GET /files/hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    let (me, answer) = server.ask(request);
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(server.line(), format!("{me} 发来的请求："));
    assert_eq!(server.line(), "GET /files/hello.txt HTTP/1.1");
    assert_eq!(server.line(), "Host: t");
    assert_eq!(server.line(), "Connection: close");
    assert_eq!(server.line(), "");
    // SPEC's access-log line, the same in both languages.
    assert_eq!(
        server.line(),
        format!("{me} \"GET /files/hello.txt HTTP/1.1\" 200 140")
    );
    // The browser's error page stays HTTP's (its reason phrases are protocol).
    let (_, answer) = server.ask("GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert!(text(&answer).contains("<h1>404 Not Found</h1>"));
}

#[test]
fn the_notes_request_viewer_and_fake_response_in_chinese() {
    // print("Connect From", addr): the notes' own words, kept in Chinese too.
    let viewer = Server::start(&example("request_viewer"), &[]);
    let (me, _) = viewer.ask("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(viewer.line(), format!("Connect From {me}"));
    assert_eq!(viewer.line(), "GET / HTTP/1.1");

    let fake = Server::start(&example("fake_response"), &[]);
    assert_eq!(fake.line(), "响应体用 GBK 是 20 字节，用 UTF-8 是 22 字节");
    let (me, answer) = fake.ask("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n"));
    assert_eq!(fake.line(), format!("{me} \"GET / HTTP/1.1\" 200 20"));
}

#[test]
fn help_and_errors_in_chinese() {
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).starts_with("用法：http_static [--bind 127.0.0.1:8888]"));
    for name in ["request_viewer", "fake_response"] {
        let help = chinese(&example(name), &["--help"]).output().unwrap();
        assert!(text(&help.stdout).starts_with(&format!("用法：{name}")));
    }

    let bad = run(&["--threads", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).starts_with("错误：--threads 至少是 1\n\n用法："));

    // The port taken: who to stop, or --bind another.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    let out = run(&["--bind", &busy]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = text(&out.stderr);
    assert!(
        said.starts_with(&format!("错误：绑定 {busy}：端口已被占用")),
        "{said}"
    );
    assert!(said.contains("--bind"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");

    // A root folder that is not there: say which option to fix.
    let out = run(&["--root", "/no/such/folder", "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(text(&out.stderr)
        .starts_with("错误：根目录 /no/such/folder（用 --root 给一个存在的文件夹）：找不到"));
}
