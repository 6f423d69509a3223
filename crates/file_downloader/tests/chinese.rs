//! The real file_downloader in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! notes' own prints (服务器已开启，等待客户端接入, 有新的客户端接入：, 文件已读取发送完毕！,
//! 文件不存在或打开失败), `--help`, and errors that say what to do.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use netcommon::testing::{TempDir, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// The program in Chinese, whatever the test process has in its environment.
fn chinese(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = netcommon::testing::command(EXE);
    cmd.env("NET_LESSONS_LANG", "zh")
        .current_dir(dir)
        .args(args);
    cmd
}

/// Runs to the end with no input.
fn run(dir: &Path, args: &[&str]) -> Output {
    chinese(dir, args).stdin(Stdio::null()).output().unwrap()
}

/// A running server and the lines it prints; killed when dropped.
struct Server {
    child: Child,
    lines: Receiver<String>,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = chinese(dir, args)
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
fn the_notes_prints_in_chinese() {
    let dir = TempDir::new("fd-zh");
    fs::create_dir_all(dir.join("root")).unwrap();
    fs::create_dir_all(dir.join("out")).unwrap();
    fs::write(dir.join("root/1.txt"), "你好，文件\n").unwrap();
    let root = dir.join("root");
    let server = Server::start(
        &dir,
        &[
            "server",
            "--bind",
            "127.0.0.1:0",
            "--root",
            root.to_str().unwrap(),
        ],
    );
    let listening = server.line();
    let addr = listening
        .strip_prefix("listening on ")
        .expect("the same listening line in Chinese")
        .to_string();
    assert!(
        server.line().starts_with("服务器已开启，等待客户端接入"),
        "print(\"服务器已开启，等待客户端接入\")"
    );

    let out = run(&dir, &["client", &addr, "1.txt", "--out", "out/1.txt"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = text(&out.stdout);
    assert!(
        said.starts_with(
            "服务器在 16 字节后关闭了连接；笔记的协议分不出这是不是完整的文件。\
             文件写入完毕：out/1.txt（"
        ),
        "{said}"
    );
    assert!(server.line().starts_with("有新的客户端接入：127.0.0.1:"));
    assert!(server
        .line()
        .ends_with("请求下载的文件名为：\"1.txt\"，开始发送"));
    assert!(server
        .line()
        .ends_with("文件已读取发送完毕！\"1.txt\"（16 字节）"));

    // A name it will not serve: the notes' words on the server, what to do on the client.
    let out = run(&dir, &["client", &addr, "2.txt", "--out", "out/2.txt"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "错误：什么也没收到：服务器没有 \"2.txt\"，或者不肯发送（服务器的日志里写了原因）\n"
    );
    assert!(server.line().starts_with("有新的客户端接入："));
    assert!(server
        .line()
        .contains("文件不存在或打开失败：\"2.txt\"，原因：找不到"));

    // An existing file is not overwritten: say how to.
    let out = run(&dir, &["client", &addr, "1.txt", "--out", "out/1.txt"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "错误：out/1.txt 已经存在：要覆盖它，加 --force\n"
    );
}

#[test]
fn help_and_errors_in_chinese() {
    let dir = TempDir::new("fd-zh-help");
    let help = run(&dir, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).starts_with("用法：file_downloader server"));

    let bad = run(&dir, &["fetch"]);
    assert_eq!(bad.status.code(), Some(2));
    let said = text(&bad.stderr);
    assert!(said.starts_with("错误：没有子命令 \"fetch\"：用 server 或 client\n\n用法："));

    // The port taken: who to stop, or --bind another.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    let out = run(&dir, &["server", "--bind", &busy]);
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
    let out = run(&dir, &["client", &closed, "1.txt"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = text(&out.stderr);
    assert!(
        said.starts_with(&format!("错误：连接 {closed}：连接被拒绝")),
        "{said}"
    );
    assert!(said.contains("服务器启动了吗"), "{said}");
}

/// A server that stops after 1000 bytes and closes cleanly: the client cannot tell (the
/// protocol has no length), keeps the file and exits 0, but says only what it knows.
#[test]
fn a_download_cut_short_is_not_called_whole() {
    use std::io::{Read, Write};
    let dir = TempDir::new("fd-zh-cut");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let _ = s.read(&mut [0; 1024]); // the name
        s.write_all(&[b'x'; 1000]).unwrap();
        // dropped: a clean close (FIN), as a server whose file ended would do
    });
    let out = run(&dir, &["client", &addr, "big.bin"]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        text(&out.stdout).starts_with(
            "服务器在 1000 字节后关闭了连接；笔记的协议分不出这是不是完整的文件。\
             文件写入完毕：big.bin（用时 "
        ),
        "{out:?}"
    );
    assert_eq!(fs::read(dir.join("big.bin")).unwrap().len(), 1000);
}
