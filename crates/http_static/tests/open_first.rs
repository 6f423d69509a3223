//! http_static opens first, then checks what it opened: a folder swapped for a symlink to
//! elsewhere while clients fetch never leaks the outside file, two folders swapped never leave
//! a stale page in memory, and a FIFO in the served folder never holds a thread.
#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use lesson_testing::{clients_for, make_fifo, swap, Program, Swapping, TempDir};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");
/// How long each race runs: long enough for thousands of requests, short for the suite.
const RACE: Duration = Duration::from_millis(1500);

/// GET `path` on a new connection (HTTP/1.0: the server closes after it): status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: t\r\n\r\n").as_bytes())
        .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all)
        .expect("the whole response within 10 s");
    let at = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let status = String::from_utf8_lossy(&all[9..12]).parse().unwrap();
    (status, all[at + 4..].to_vec())
}

/// Writes `text` at `path` with a modification time a minute ago (old enough to be kept in
/// memory: the cache is part of what is tested).
fn settled(path: &Path, text: &str, time: SystemTime) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    let file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

fn start(root: &Path) -> (Program, SocketAddr) {
    let root = root.to_str().unwrap();
    Program::server(EXE, &["--bind", "127.0.0.1:0", "--root", root])
}

#[test]
fn a_folder_swapped_for_a_symlink_out_never_leaks_the_outside_file() {
    let base = TempDir::new("http-swap-out");
    let time = SystemTime::now() - Duration::from_secs(60);
    settled(&base.join("root/live/page.html"), "inside page", time);
    settled(&base.join("outside/page.html"), "OUTSIDE pag", time); // same length
    symlink(base.join("outside"), base.join("root/other")).unwrap();
    let (_server, addr) = start(&base.join("root"));

    let swapping = Swapping::start(&base.join("root/live"), &base.join("root/other"));
    let requests = clients_for(RACE, 2, move || {
        let (status, body) = get(addr, "/live/page.html");
        assert!(
            !String::from_utf8_lossy(&body).contains("OUTSIDE"),
            "{status}: the file outside the root was sent"
        );
        assert!(matches!(status, 200 | 403 | 404), "{status}");
    });
    let swaps = swapping.stop();
    assert!(
        requests > 50 && swaps > 50,
        "{requests} requests, {swaps} swaps"
    );

    // Everything back in place: the page, every time (nothing wrong was kept in memory).
    for _ in 0..20 {
        assert_eq!(get(addr, "/live/page.html"), (200, b"inside page".to_vec()));
    }
}

#[test]
fn two_folders_swapped_never_leave_a_stale_page_in_memory() {
    let base = TempDir::new("http-swap-two");
    let time = SystemTime::now() - Duration::from_secs(60);
    // The same length and time: only the file's identity tells them apart.
    settled(&base.join("root/live/page.html"), "page A", time);
    settled(&base.join("root/next/page.html"), "page B", time);
    let (_server, addr) = start(&base.join("root"));

    let (live, next) = (base.join("root/live"), base.join("root/next"));
    for round in 0..3 {
        let swapping = Swapping::start(&live, &next);
        clients_for(RACE / 3, 2, move || {
            let (status, body) = get(addr, "/live/page.html");
            assert!(
                (status == 200 && (body == b"page A" || body == b"page B")) || status == 404,
                "{status} {body:?}"
            );
        });
        swapping.stop();
        // An even number of swaps: back as it was. Then one more, by hand, on odd rounds.
        let expected: &[u8] = if round % 2 == 1 {
            swap(&live, &next);
            b"page B"
        } else {
            b"page A"
        };
        for _ in 0..10 {
            assert_eq!(
                get(addr, "/live/page.html"),
                (200, expected.to_vec()),
                "round {round}"
            );
        }
        if round % 2 == 1 {
            swap(&live, &next); // back for the next round
        }
    }
}

#[test]
fn a_fifo_is_refused_at_once_and_holds_no_thread() {
    let base = TempDir::new("http-fifo");
    settled(&base.join("root/hello.txt"), "hello", SystemTime::now());
    make_fifo(&base.join("root/pipe"));
    let root = base.join("root");
    let (_server, addr) = Program::server(
        EXE,
        &[
            "--bind",
            "127.0.0.1:0",
            "--root",
            root.to_str().unwrap(),
            "--threads",
            "4",
        ],
    );
    // Four times as many requests as threads: a FIFO that held its thread would leave none,
    // and every request after the fourth would get 503 for good. (A 503 for a moment is fair:
    // a thread is busy until the client's close reaches it.)
    let busy_at_most = |path: &str| {
        let start = Instant::now();
        loop {
            let reply = get(addr, path);
            if reply.0 != 503 || start.elapsed() > Duration::from_secs(3) {
                return reply;
            }
            thread::sleep(Duration::from_millis(50));
        }
    };
    let start = Instant::now();
    for _ in 0..16 {
        assert_eq!(busy_at_most("/pipe").0, 403);
    }
    assert_eq!(busy_at_most("/hello.txt"), (200, b"hello".to_vec()));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
