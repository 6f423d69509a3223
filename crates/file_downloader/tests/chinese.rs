//! The real file_downloader in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets): the
//! notes' own prints (服务器已开启，等待客户端接入, 有新的客户端接入：, 文件已读取发送完毕！,
//! 文件不存在或打开失败), `--help`, and errors that say what to do.

use netcommon::again;
use std::fs;

use lesson_testing::{
    check_chinese_connection_refused, check_chinese_help, check_chinese_port_taken,
    check_chinese_refusal, in_chinese, run_in, serve_one, Finished, Program, TempDir,
};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// Runs the program in Chinese in `dir` to the end, with no input.
fn run_zh(dir: &TempDir, args: &[&str]) -> Finished {
    in_chinese(|| run_in(dir, EXE, args, ""))
}

#[test]
fn the_notes_prints_in_chinese() {
    let dir = TempDir::new("fd-zh");
    dir.folder("out");
    dir.file("root/1.txt", "你好，文件\n");
    let root = dir.join("root");
    let root = ["--root", root.to_str().unwrap()];
    let (mut server, addr) = in_chinese(|| Program::server_on_any_port(EXE, &["server"], &root));
    let addr = addr.to_string();
    assert!(
        server
            .next_line()
            .starts_with("服务器已开启，等待客户端接入"),
        "print(\"服务器已开启，等待客户端接入\")"
    );

    let out = run_zh(&dir, &["client", &addr, "1.txt", "--out", "out/1.txt"]);
    out.expect_code(0);
    let said = &out.stdout;
    assert!(
        said.starts_with(
            "服务器在 16 字节后关闭了连接；笔记的协议分不出这是不是完整的文件。\
             文件写入完毕：out/1.txt（"
        ),
        "{said}"
    );
    assert!(server
        .next_line()
        .starts_with("有新的客户端接入：127.0.0.1:"));
    assert!(server
        .next_line()
        .ends_with("请求下载的文件名为：\"1.txt\"，开始发送"));
    assert!(server
        .next_line()
        .ends_with("文件已读取发送完毕！\"1.txt\"（16 字节）"));

    // A name it will not serve: the notes' words on the server, what to do on the client.
    let out = run_zh(&dir, &["client", &addr, "2.txt", "--out", "out/2.txt"]);
    out.expect_code(1).expect_stderr(
        "错误：什么也没收到：服务器没有 \"2.txt\"，或者不肯发送（服务器的日志里写了原因）\n",
    );
    assert!(server.next_line().starts_with("有新的客户端接入："));
    assert!(server
        .next_line()
        .contains("文件不存在或打开失败：\"2.txt\"，原因：找不到"));

    // An existing file is not overwritten: say how to.
    let out = run_zh(&dir, &["client", &addr, "1.txt", "--out", "out/1.txt"]);
    out.expect_code(1)
        .expect_stderr("错误：out/1.txt 已经存在：要覆盖它，加 --force\n");

    // Nothing on the command line: asked with the notes' own questions.
    let port = addr.rsplit_once(':').unwrap().1;
    let stdin = format!("127.0.0.1\n{port}\n1.txt\n");
    let out = in_chinese(|| run_in(&dir, EXE, &["client", "--out", "out/3.txt"], &stdin));
    out.expect_code(0)
        .expect_stdout_start("请输入服务器ip:请输入服务器port:请输入要下载的文件名：");
}

#[test]
fn help_and_errors_in_chinese() {
    check_chinese_help(EXE, "用法：file_downloader server");
    let unknown = "错误：没有子命令 \"fetch\"：用 server 或 client\n\n用法：";
    check_chinese_refusal(EXE, &["fetch"], unknown);

    // The port taken: who to stop, or --bind another.
    check_chinese_port_taken(EXE, &["server"], false);
    // Nobody listening: is the server running?
    check_chinese_connection_refused(EXE, &["client"], &["1.txt"]);
}

/// A server that stops after 1000 bytes and closes cleanly: the client cannot tell (the
/// protocol has no length), keeps the file and exits 0, but says only what it knows.
#[test]
fn a_download_cut_short_is_not_called_whole() {
    use std::io::{Read, Write};
    let dir = TempDir::new("fd-zh-cut");
    let (addr, server) = serve_one(|mut s| {
        let _ = again(|| s.read(&mut [0; 1024])); // the name
        s.write_all(&[b'x'; 1000]).unwrap();
        // dropped: a clean close (FIN), as a server whose file ended would do
    });
    let out = run_zh(&dir, &["client", &addr, "big.bin"]);
    server.join().unwrap();
    out.expect_code(0);
    out.expect_stdout_start(
        "服务器在 1000 字节后关闭了连接；笔记的协议分不出这是不是完整的文件。\
             文件写入完毕：big.bin（用时 ",
    );
    assert_eq!(fs::read(dir.join("big.bin")).unwrap().len(), 1000);
}
