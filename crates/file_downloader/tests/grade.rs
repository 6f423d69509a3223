//! file_downloader 的评分测试（作业）：评分程序在 127.0.0.1 上扮演客户端来测你的服务器，扮演
//! 服务器来测你的客户端，比较收发的字节。只测一关：`cargo test step1`。

use std::fs;

use lesson_testing::{check, inputs, student_run, Ended, Peer, Student, TempDir};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// A fresh folder: root/ with files to serve, out/ to save into, and a secret beside root/.
/// The names and the text are drawn at random for each run.
struct Scratch {
    dir: TempDir,
    /// `sub/<word>中文.txt`, under root/.
    name: String,
    /// Its text.
    text: String,
    /// `<word>.txt`, beside root/ (never to be served).
    secret: String,
}

fn scratch(test: &str) -> Scratch {
    let mut rng = inputs();
    let dir = TempDir::new(&format!("fd-grade-{test}"));
    let sub = rng.word(3, 8);
    fs::create_dir_all(dir.join("root").join(&sub)).unwrap();
    dir.folder("out");
    let name = format!("{sub}/{}中文.txt", rng.word(3, 8));
    let text = format!("{}\n", rng.message());
    fs::write(dir.join("root").join(&name), &text).unwrap();
    let secret = format!("{}.txt", rng.word(4, 8));
    dir.file(&secret, "outside the root\n");
    Scratch {
        dir,
        name,
        text,
        secret,
    }
}

fn server(dir: &std::path::Path) -> (Student, std::net::SocketAddr) {
    let root = dir.join("root");
    Student::server_on_any_port(EXE, &["server"], &["--root", root.to_str().unwrap()])
}

/// The student's client downloads `name` from `addr` into `out_file`.
fn download(addr: &str, name: &str, out_file: &std::path::Path) -> Ended {
    let out_file = out_file.to_str().unwrap();
    student_run(EXE, &["client", addr, name, "--out", out_file], "")
}

#[test]
fn step1_serves_a_file() {
    let s = scratch("step1");
    let mut rng = inputs();
    let size = rng.between(200_000, 400_000);
    let big = rng.bytes(size);
    let big_name = format!("{}.bin", rng.word(3, 8));
    fs::write(s.dir.join("root").join(&big_name), &big).unwrap();
    let (_server, addr) = server(&s.dir);
    let mut c = Peer::connect(addr);
    c.send(s.name.as_bytes());
    let got = c.read_to_close();
    check(
        got == s.text.as_bytes(),
        &format!("{} 的内容不对：收到 {}", s.name, lesson_testing::show(&got)),
    );
    let mut c = Peer::connect(addr);
    c.send(big_name.as_bytes());
    let got = c.read_to_close();
    check(
        got == big,
        &format!(
            "{big_name} 有 {} 字节，收到的 {} 字节和它不一样",
            big.len(),
            got.len()
        ),
    );
}

#[test]
fn step2_refuses_names_outside_the_root() {
    let s = scratch("step2");
    let (_server, addr) = server(&s.dir);
    let sub = s.name.split('/').next().unwrap_or("");
    for name in [
        format!("../{}", s.secret),
        "/etc/passwd".to_string(),
        format!("{sub}/../../{}", s.secret),
        sub.to_string(),
    ] {
        let mut c = Peer::connect(addr);
        c.send(name.as_bytes());
        let got = c.read_to_close();
        check(
            got.is_empty(),
            &format!(
                "{name:?} 必须被拒绝（一个字节也不发就关闭），实际收到 {} 字节",
                got.len()
            ),
        );
    }
    // Refusing means a close with zero bytes, not a crash: a good name is still served.
    let mut c = Peer::connect(addr);
    c.send(s.name.as_bytes());
    let got = c.read_to_close();
    check(
        got == s.text.as_bytes(),
        &format!(
            "拒绝之后服务器还要照常服务：{} 的内容不对，收到 {}",
            s.name,
            lesson_testing::show(&got)
        ),
    );
}

#[test]
fn step3_the_client_saves_what_arrives() {
    let s = scratch("step3");
    let mut rng = inputs();
    let size = rng.between(50_000, 150_000);
    let content = rng.bytes(size);
    let sent = content.clone();
    let name = s.name.clone();
    let (addr, srv) = Peer::serve_one(move |mut c| {
        c.expect(name.as_bytes());
        c.send(&sent);
        c.shutdown_write();
        c.read_to_close();
    });
    let out_file = s.dir.join(format!("out/{}.bin", rng.word(3, 8)));
    let out = download(&addr, &s.name, &out_file);
    out.after_server(srv);
    out.expect_code(0, "文件完整收到");
    let saved = fs::read(&out_file).unwrap_or_default();
    if saved != content {
        out.fail(&format!(
            "存下的文件应该是评分程序发来的 {} 字节，实际是 {} 字节，内容不同",
            content.len(),
            saved.len()
        ));
    }
}

#[test]
fn step4_the_client_leaves_nothing_after_a_cut() {
    let s = scratch("step4");
    let dir = &s.dir;
    let (addr, srv) = Peer::serve_one(|mut c| {
        c.wait_unread(); // the name has arrived; we leave it unread
        c.send(&[1; 50_000]); // part of a file, then a reset: the name is left unread
        println!("带着没读的文件名关闭连接：客户端会收到重置（reset）");
    });
    let out_file = dir.join("out/cut.bin");
    let out = download(&addr, &s.name, &out_file);
    out.after_server(srv);
    out.expect_code(1, "下载中断是一个错误");
    let left: Vec<_> = fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    if !left.is_empty() {
        out.fail(&format!("下载中断后不能留下任何文件，实际留下了 {left:?}"));
    }
}
