//! Graded tests for file_downloader (homework): the grader plays the client against your
//! server and the server against your client, over 127.0.0.1, and compares the bytes.
//! Run one stage with `cargo test step1`.

use std::fs;
use std::net::TcpListener;
use std::thread;

use netcommon::testing::{run, Peer, Program, TempDir};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// A fresh folder: root/ with files to serve, out/ to save into, and a secret beside root/.
fn scratch(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("fd-grade-{test}"));
    fs::create_dir_all(dir.join("root/sub")).unwrap();
    fs::create_dir_all(dir.join("out")).unwrap();
    fs::write(dir.join("root/sub/中文.txt"), "你好，文件\n").unwrap();
    fs::write(dir.join("secret.txt"), "outside the root\n").unwrap();
    dir
}

fn server(dir: &std::path::Path) -> (Program, std::net::SocketAddr) {
    let root = dir.join("root");
    println!("started file_downloader server --root {}", root.display());
    Program::server(
        EXE,
        &[
            "server",
            "--bind",
            "127.0.0.1:0",
            "--root",
            root.to_str().unwrap(),
        ],
    )
}

#[test]
fn step1_serves_a_file() {
    let dir = scratch("step1");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    fs::write(dir.join("root/big.bin"), &big).unwrap();
    let (_server, addr) = server(&dir);
    let mut c = Peer::connect(addr);
    c.send("sub/中文.txt".as_bytes());
    assert_eq!(c.read_to_close(), "你好，文件\n".as_bytes());
    let mut c = Peer::connect(addr);
    c.send(b"big.bin");
    assert!(c.read_to_close() == big, "big.bin arrived different");
}

#[test]
fn step2_refuses_names_outside_the_root() {
    let dir = scratch("step2");
    let (mut server, addr) = server(&dir);
    for name in [
        "../secret.txt",
        "/etc/passwd",
        "sub/../../secret.txt",
        "sub",
    ] {
        let mut c = Peer::connect(addr);
        c.send(name.as_bytes());
        let got = c.read_to_close();
        assert!(
            got.is_empty(),
            "{name:?} must get zero bytes, got {} bytes",
            got.len()
        );
        server.expect("refused");
    }
}

#[test]
fn step3_the_client_saves_what_arrives() {
    let dir = scratch("step3");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let srv = thread::spawn(move || {
        let mut c = Peer::from(listener.accept().unwrap().0);
        c.expect("sub/中文.txt".as_bytes());
        c.send(&[7; 100_000]);
        c.shutdown_write();
        c.read_to_close();
    });
    let out_file = dir.join("out/got.bin");
    let out = run(
        EXE,
        &[
            "client",
            &addr,
            "sub/中文.txt",
            "--out",
            out_file.to_str().unwrap(),
        ],
        "",
    );
    srv.join()
        .expect("the grader's server saw something else (its log is above)");
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        fs::read(&out_file).unwrap() == [7; 100_000],
        "the saved file differs"
    );
}

#[test]
fn step4_the_client_leaves_nothing_after_a_cut() {
    let dir = scratch("step4");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let srv = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.peek(&mut [0; 1]).unwrap(); // the name has arrived; we leave it unread
        let mut c = Peer::from(stream);
        c.send(&[1; 50_000]); // part of a file, then a reset: the name is left unread
        println!("closing with the name unread: a reset");
    });
    let out_file = dir.join("out/cut.bin");
    let out = run(
        EXE,
        &[
            "client",
            &addr,
            "x.bin",
            "--out",
            out_file.to_str().unwrap(),
        ],
        "",
    );
    srv.join().unwrap();
    assert_eq!(out.code, Some(1), "a cut download is an error: {out:?}");
    let left: Vec<_> = fs::read_dir(dir.join("out")).unwrap().collect();
    assert!(left.is_empty(), "nothing may be left behind: {left:?}");
}
