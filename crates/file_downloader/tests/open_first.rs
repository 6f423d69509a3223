//! The file_downloader server opens first, then checks what it opened: a folder swapped for a
//! symlink to elsewhere while clients download never leaks the outside file, and a FIFO in the
//! served folder is refused at once instead of holding a thread for ever.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

use lesson_testing::{clients_for, make_fifo, Program, Swapping, TempDir};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// The notes' client in a few lines: send the name, read until the server closes.
fn fetch(addr: SocketAddr, name: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(name.as_bytes()).unwrap();
    let mut all = Vec::new();
    match s.read_to_end(&mut all) {
        Ok(_) => all,
        // A refused name: the server closes without reading all we sent; a reset is fine.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => all,
        Err(e) => panic!("reading {name:?}: {e}"),
    }
}

fn start(root: &Path, extra: &[&str]) -> (Program, SocketAddr) {
    let root = ["--root", root.to_str().unwrap()];
    Program::server_on_any_port(EXE, &["server"], &[&root[..], extra].concat())
}

#[test]
fn a_folder_swapped_for_a_symlink_out_never_leaks_the_outside_file() {
    let base = TempDir::new("fd-swap-out");
    base.file("root/live/data.txt", "inside data");
    base.file("outside/data.txt", "OUTSIDE dat");
    symlink(base.join("outside"), base.join("root/other")).unwrap();
    let (_server, addr) = start(&base.join("root"), &[]);

    let swapping = Swapping::start(&base.join("root/live"), &base.join("root/other"));
    let requests = clients_for(Duration::from_millis(1500), 2, move || {
        let got = fetch(addr, "live/data.txt");
        assert!(
            got.is_empty() || got == b"inside data",
            "sent {:?}",
            String::from_utf8_lossy(&got)
        );
    });
    let swaps = swapping.stop();
    assert!(
        requests > 50 && swaps > 50,
        "{requests} requests, {swaps} swaps"
    );
    assert_eq!(fetch(addr, "live/data.txt"), b"inside data");
}

#[test]
fn a_fifo_is_refused_at_once_and_holds_no_thread() {
    let base = TempDir::new("fd-fifo");
    base.file("root/hello.txt", "hello");
    make_fifo(&base.join("root/pipe"));
    let (mut server, addr) = start(&base.join("root"), &["--max-clients", "4"]);
    // Far more requests than places: a FIFO that held its thread would fill them all.
    let start = Instant::now();
    for _ in 0..40 {
        assert_eq!(fetch(addr, "pipe"), b"");
    }
    assert_eq!(fetch(addr, "hello.txt"), b"hello");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    server.expect("refused \"pipe\": not a regular file");
}
