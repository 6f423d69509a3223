//! Graded tests for http_static (homework): the grader plays the browser over 127.0.0.1 with
//! raw requests, and checks the status, the headers and the bytes. Run one stage with
//! `cargo test step1`.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use netcommon::testing::{show, Program, TempDir, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");

/// A site in a fresh folder: hello.txt, sub/index.html, and a secret beside the root.
fn site(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("http-grade-{test}"));
    fs::create_dir_all(dir.join("root/sub")).unwrap();
    fs::write(dir.join("root/hello.txt"), "hello http\n").unwrap();
    fs::write(dir.join("root/sub/index.html"), "<h1>sub</h1>\n").unwrap();
    fs::write(dir.join("secret.txt"), "SECRET\n").unwrap();
    dir
}

fn start(dir: &std::path::Path) -> (Program, SocketAddr) {
    let root = dir.join("root");
    println!("started http_static --root {}", root.display());
    Program::server(
        EXE,
        &["--bind", "127.0.0.1:0", "--root", root.to_str().unwrap()],
    )
}

struct Conn(BufReader<TcpStream>);

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connecting to {addr}: {e}"));
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        println!("connected to {addr}");
        Conn(BufReader::new(s))
    }

    fn send(&mut self, request: &str) {
        self.0.get_mut().write_all(request.as_bytes()).unwrap();
        println!("sent {}", show(request.as_bytes()));
    }

    fn line(&mut self) -> String {
        let mut line = Vec::new();
        match self.0.read_until(b'\n', &mut line) {
            Ok(0) => panic!("expected a response within {TIMEOUT:?}; got the connection closed"),
            Ok(_) => String::from_utf8_lossy(&line).trim_end().to_string(),
            Err(e) => panic!("expected a response within {TIMEOUT:?}; got {e}"),
        }
    }

    /// Reads one response: status line, headers, and a body of Content-Length bytes (none for
    /// a HEAD, a 304, or when `head_only`).
    fn answer(&mut self, head_only: bool) -> Answer {
        let status_line = self.line();
        println!("got {status_line:?}");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP status line: {status_line:?}"));
        let mut headers = Vec::new();
        loop {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("a header has a colon");
            headers.push((name.to_string(), value.trim().to_string()));
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        let len: usize = match answer.header("Content-Length") {
            Some(len) => len.parse().expect("Content-Length is a number"),
            None => 0,
        };
        if !head_only && status != 304 {
            answer.body = vec![0; len];
            self.0.read_exact(&mut answer.body).expect("the whole body");
        }
        println!(
            "  with {} headers and a body of {} bytes",
            answer.headers.len(),
            answer.body.len()
        );
        answer
    }

    fn is_closed(&mut self) -> bool {
        let mut rest = Vec::new();
        matches!(self.0.read_to_end(&mut rest), Ok(0))
    }
}

fn get(addr: SocketAddr, target: &str) -> Answer {
    let mut c = Conn::open(addr);
    c.send(&format!(
        "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    ));
    c.answer(false)
}

#[test]
fn step1_serves_a_file_with_its_headers() {
    let dir = site("step1");
    let (_server, addr) = start(&dir);
    let a = get(addr, "/hello.txt");
    assert_eq!(a.status, 200);
    assert_eq!(a.body, b"hello http\n");
    assert_eq!(a.header("Content-Length"), Some("11"));
    assert_eq!(a.header("Content-Type"), Some("text/plain; charset=utf-8"));
    let mut c = Conn::open(addr);
    c.send("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let head = c.answer(true);
    assert_eq!(
        (head.status, head.header("Content-Length")),
        (200, Some("11"))
    );
    assert!(c.is_closed(), "HEAD sends no body");
}

#[test]
fn step2_folders_get_their_index_or_a_redirect() {
    let dir = site("step2");
    let (_server, addr) = start(&dir);
    let a = get(addr, "/sub");
    assert_eq!((a.status, a.header("Location")), (301, Some("/sub/")));
    let a = get(addr, "/sub/");
    assert_eq!((a.status, a.body.as_slice()), (200, &b"<h1>sub</h1>\n"[..]));
    assert_eq!(get(addr, "/missing.txt").status, 404);
}

#[test]
fn step3_keep_alive_and_pipelined_requests() {
    let dir = site("step3");
    let (_server, addr) = start(&dir);
    let mut c = Conn::open(addr);
    c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(c.answer(false).body, b"hello http\n", "first answer first");
    assert_eq!(c.answer(false).body, b"<h1>sub</h1>\n", "then the second");
    c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(c.answer(false).status, 200);
    assert!(c.is_closed(), "Connection: close is honoured");
}

#[test]
fn step4_refuses_paths_outside_the_root() {
    let dir = site("step4");
    let (_server, addr) = start(&dir);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/a%00b",
    ] {
        let a = get(addr, target);
        assert!(
            matches!(a.status, 400 | 403 | 404),
            "{target}: status {}",
            a.status
        );
        assert!(
            !String::from_utf8_lossy(&a.body).contains("SECRET"),
            "{target} leaked"
        );
    }
}

#[test]
fn step5_bad_requests_get_an_error_status() {
    let dir = site("step5");
    let (_server, addr) = start(&dir);
    for (request, status) in [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("DELETE /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    ] {
        let mut c = Conn::open(addr);
        c.send(request);
        assert_eq!(c.answer(false).status, status, "{request:?}");
    }
    assert_eq!(
        get(addr, "/hello.txt").status,
        200,
        "and the server lives on"
    );
}
