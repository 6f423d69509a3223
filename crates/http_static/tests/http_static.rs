//! Runs the real http_static over loopback: raw sockets for the edge cases (every status code,
//! keep-alive, pipelining, HTTP/1.0, silent and slow clients, traversal attempts, malformed and
//! oversize requests), and curl for ordinary use.

use netcommon::again;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use lesson_testing::Muted;
use lesson_testing::{
    ask, check_busy_bind, check_command_line, example, python, python_on_free_port, run, show,
    Program, TempDir, NOTES_PY, OUR_PY, TIMEOUT,
};
use netcommon::Encoding;

const EXE: &str = env!("CARGO_BIN_EXE_http_static");
/// Set to make the curl tests fail instead of skipping when curl is missing (CI sets it).
const REQUIRE_CURL: &str = "NET_LESSONS_REQUIRE_CURL";

/// A throwaway folder (a [`TempDir`]) holding the served `root/` and, beside
/// it, a `secret.txt` that must never be served. Removed when dropped.
struct Site {
    base: TempDir,
}

impl Site {
    fn new(name: &str) -> Site {
        let base = TempDir::new(&format!("http-{name}"));
        fs::create_dir_all(base.join("root")).unwrap();
        fs::write(base.join("secret.txt"), "TOP SECRET").unwrap();
        let site = Site { base };
        site.file("index.html", b"<!DOCTYPE html><title>home</title>home page");
        site.file("hello.txt", "你好 hello\n".as_bytes());
        site
    }

    fn root(&self) -> PathBuf {
        self.base.join("root")
    }

    fn file(&self, name: &str, content: &[u8]) -> &Site {
        let path = self.root().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
        self
    }

    fn start(&self, extra: &[&str]) -> (Program, SocketAddr) {
        let root = self.root();
        let mut args = vec!["--bind", "127.0.0.1:0", "--root", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        Program::server(EXE, &args)
    }

    /// [`Site::start`], and a client connected to it.
    fn start_and_connect(&self, extra: &[&str]) -> (Program, SocketAddr, Client) {
        let (srv, addr) = self.start(extra);
        (srv, addr, Client::connect(addr))
    }
}

/// A response as a client reads it: head, then exactly `Content-Length` bytes of body.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Client {
    conn: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        Client {
            conn: BufReader::new(s),
        }
    }

    fn me(&self) -> SocketAddr {
        self.conn.get_ref().local_addr().unwrap()
    }

    fn send(&mut self, bytes: &[u8]) -> &mut Client {
        self.conn.get_mut().write_all(bytes).unwrap();
        self
    }

    /// Reads one response; `head_only` for the answer to a HEAD (no body follows).
    fn reply(&mut self, head_only: bool) -> Reply {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            let n = self.conn.read_line(&mut line).expect("a response in time");
            assert!(n > 0, "closed before a whole response; got {head:?}");
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let status = head[9..12].parse().unwrap();
        let mut reply = Reply {
            status,
            head,
            body: Vec::new(),
        };
        if !head_only && status != 304 {
            let len: usize = reply
                .header("Content-Length")
                .expect("Content-Length")
                .parse()
                .unwrap();
            reply.body = vec![0; len];
            self.conn
                .read_exact(&mut reply.body)
                .expect("the whole body in time");
        }
        reply
    }

    fn get(&mut self, path: &str) -> Reply {
        self.send(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").as_bytes())
            .reply(false)
    }

    /// The server has closed: end of stream (after whatever we already read).
    fn assert_closed(&mut self) {
        let mut rest = Vec::new();
        let got = self.conn.read_to_end(&mut rest);
        assert!(
            got.is_ok() && rest.is_empty(),
            "expected a close, got {got:?} {rest:?}"
        );
    }
}

/// One request on a fresh connection, and its response.
fn once(addr: SocketAddr, request: &str) -> Reply {
    Client::connect(addr)
        .send(request.as_bytes())
        .reply(request.starts_with("HEAD"))
}

#[test]
fn serves_files_with_length_type_dates_and_a_log_line() {
    let site = Site::new("files");
    let (mut srv, _, mut c) = site.start_and_connect(&[]);
    let r = c.get("/hello.txt");
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.text(), "你好 hello\n");
    assert_eq!(r.header("Content-Type"), Some("text/plain; charset=utf-8"));
    assert_eq!(r.header("Content-Length"), Some("13"));
    assert_eq!(r.header("Server"), Some("http_static"));
    assert!(
        r.header("Date")
            .is_some_and(|d| d.ends_with(" GMT") && d.len() == 29),
        "{r:?}"
    );
    assert!(
        r.header("Last-Modified")
            .is_some_and(|d| d.ends_with(" GMT")),
        "{r:?}"
    );
    assert!(r.head.starts_with("HTTP/1.1 200 OK\r\n"), "{r:?}");
    srv.expect(&format!("{} \"GET /hello.txt HTTP/1.1\" 200 13\n", c.me()));
    let r = c.get("/?query=ignored");
    assert_eq!(
        (r.status, r.text().contains("home page")),
        (200, true),
        "folder → index.html"
    );
    srv.expect("\"GET /?query=ignored HTTP/1.1\" 200 ");
}

#[test]
fn content_types_by_extension() {
    let site = Site::new("types");
    let types = [
        ("a.html", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.json", "application/json"),
        ("a.txt", "text/plain; charset=utf-8"),
        ("a.png", "image/png"),
        ("a.JPG", "image/jpeg"),
        ("a.gif", "image/gif"),
        ("a.svg", "image/svg+xml"),
        ("a.ico", "image/x-icon"),
        ("a.wasm", "application/wasm"),
        ("a.pdf", "application/pdf"),
        ("noextension", "application/octet-stream"),
    ];
    for (name, _) in types {
        site.file(name, b"x");
    }
    let (_srv, _, mut c) = site.start_and_connect(&[]);
    for (name, ty) in types {
        assert_eq!(
            c.get(&format!("/{name}")).header("Content-Type"),
            Some(ty),
            "{name}"
        );
    }
}

#[test]
fn head_sends_the_head_only() {
    let site = Site::new("head");
    let (mut srv, _, mut c) = site.start_and_connect(&[]);
    let r = c
        .send(b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .reply(true);
    assert_eq!((r.status, r.header("Content-Length")), (200, Some("13")));
    // If a body had followed, this next response would not parse.
    let r = c
        .send(b"HEAD /nope HTTP/1.1\r\nHost: t\r\n\r\n")
        .reply(true);
    assert_eq!(r.status, 404);
    assert_eq!(c.get("/hello.txt").text(), "你好 hello\n");
    srv.expect("\"HEAD /hello.txt HTTP/1.1\" 200 0\n");
}

#[test]
fn folders_redirect_index_and_escaped_listing() {
    let site = Site::new("folders");
    site.file("with index/index.html", b"inner index")
        .file("list/<img src=x onerror=alert(1)>&'\".txt", b"x")
        .file("list/sub/a.txt", b"a");
    let (_srv, _, mut c) = site.start_and_connect(&[]);
    let r = c.get("/with%20index");
    assert_eq!(
        (r.status, r.header("Location")),
        (301, Some("/with%20index/")),
        "{r:?}"
    );
    assert_eq!(c.get("/with%20index/").text(), "inner index");
    let r = c.get("/list/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    let page = r.text();
    assert!(!page.contains("<img"), "{page}");
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&#39;&quot;.txt</a>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%26%27%22.txt\""),
        "{page}"
    );
    assert!(page.contains("<a href=\"sub/\">sub/</a>"), "{page}");
    // The link in the listing leads to the file.
    let r = c.get("/list/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%26%27%22.txt");
    assert_eq!((r.status, r.text().as_str()), (200, "x"));
    assert_eq!(c.get("/hello.txt/").status, 404, "a file is not a folder");
    // Never a redirect to `//host` (open redirect, CPython CVE-2021-28861).
    for path in [
        "//evil.example",
        "//evil.example/%2e%2e",
        "/%2fevil.example",
        "/\\evil.example",
    ] {
        let r = c.get(path);
        assert_ne!(r.status, 301, "{path}: {r:?}");
    }
}

#[test]
fn not_modified_and_ranges() {
    let site = Site::new("ranges");
    site.file("digits.txt", b"0123456789abcdefghij");
    let (_srv, _, mut c) = site.start_and_connect(&[]);
    let whole = c.get("/digits.txt");
    let modified = whole.header("Last-Modified").unwrap().to_string();
    let ask = |c: &mut Client, extra: &str| {
        c.send(format!("GET /digits.txt HTTP/1.1\r\nHost: t\r\n{extra}\r\n").as_bytes())
            .reply(false)
    };
    let r = ask(&mut c, &format!("If-Modified-Since: {modified}\r\n"));
    assert_eq!(
        (r.status, r.header("Content-Length"), r.body.len()),
        (304, None, 0),
        "{r:?}"
    );
    let r = ask(
        &mut c,
        "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
    );
    assert_eq!(r.status, 200);
    let r = ask(&mut c, "If-Modified-Since: yesterday\r\n");
    assert_eq!(r.status, 200, "an invalid date is ignored");
    let r = ask(&mut c, "Range: bytes=2-5\r\n");
    assert_eq!((r.status, r.text().as_str()), (206, "2345"));
    assert_eq!(r.header("Content-Range"), Some("bytes 2-5/20"));
    let r = ask(&mut c, "Range: bytes=-3\r\n");
    assert_eq!((r.status, r.text().as_str()), (206, "hij"));
    let r = ask(&mut c, "Range: bytes=15-\r\n");
    assert_eq!((r.status, r.text().as_str()), (206, "fghij"));
    let r = ask(&mut c, "Range: bytes=20-\r\n");
    assert_eq!(
        (r.status, r.header("Content-Range")),
        (416, Some("bytes */20"))
    );
    let r = ask(&mut c, "Range: bytes=0-1,4-5\r\n");
    assert_eq!(
        (r.status, r.body.len()),
        (200, 20),
        "several ranges: the whole file"
    );
    let r = ask(
        &mut c,
        &format!("Range: bytes=0-1\r\nIf-Range: {modified}\r\n"),
    );
    assert_eq!(r.status, 206);
    let r = ask(
        &mut c,
        "Range: bytes=0-1\r\nIf-Range: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
    );
    assert_eq!(r.status, 200, "the client's copy is another version");
}

#[test]
fn a_big_file_is_streamed_whole_and_in_ranges() {
    let site = Site::new("big");
    let big: Vec<u8> = (0..5_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    site.file("big.bin", &big);
    let (_srv, _, mut c) = site.start_and_connect(&[]);
    let r = c.get("/big.bin");
    assert_eq!(r.status, 200);
    assert!(r.body == big, "the body differs");
    let r = c
        .send(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=1000000-3999999\r\n\r\n")
        .reply(false);
    assert_eq!(r.status, 206);
    assert!(r.body == big[1_000_000..4_000_000], "the range differs");
}

/// A small file last changed long ago is kept in memory after its first request: later
/// requests, ranges included, get the same bytes, and a change to the file is served at once.
#[test]
fn a_small_file_kept_in_memory_follows_every_change() {
    let site = Site::new("kept");
    site.file("page.txt", b"0123456789");
    let path = site.root().join("page.txt");
    let long_ago = SystemTime::now() - Duration::from_secs(3600);
    let set_time = |t| {
        let f = fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_modified(t).unwrap();
    };
    set_time(long_ago);
    let (_srv, _, mut c) = site.start_and_connect(&[]);
    for _ in 0..2 {
        assert_eq!(c.get("/page.txt").text(), "0123456789");
    }
    let r = c
        .send(b"GET /page.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=2-4\r\n\r\n")
        .reply(false);
    assert_eq!((r.status, r.text()), (206, "234".to_string()));

    // The same length, written: a change. On Unix even with its time put back (the
    // status-change time tells); elsewhere size and modification time are all there is.
    fs::write(&path, b"abcdefghij").unwrap();
    #[cfg(unix)]
    set_time(long_ago);
    assert_eq!(c.get("/page.txt").text(), "abcdefghij");
    fs::write(&path, b"longer than before").unwrap();
    assert_eq!(c.get("/page.txt").text(), "longer than before");
    // No longer readable (a server running as root reads it all the same): 403 at once.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::File::open(&path).is_err() {
            assert_eq!(c.get("/page.txt").status, 403);
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::remove_file(&path).unwrap();
    assert_eq!(c.get("/page.txt").status, 404);
}

#[test]
fn keep_alive_and_pipelining_answer_in_order() {
    let site = Site::new("pipeline");
    site.file("one.txt", b"one")
        .file("two.txt", b"two")
        .file("three.txt", b"three");
    let (_srv, addr, mut c) = site.start_and_connect(&[]);
    // Three requests in one write, the last one asking to close.
    c.send(
        b"GET /one.txt HTTP/1.1\r\nHost: t\r\n\r\nHEAD /two.txt HTTP/1.1\r\nHost: t\r\n\r\n\
          GET /three.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /one.txt HTTP/1.1\r\n",
    );
    assert_eq!(c.reply(false).text(), "one");
    let r = c.reply(true);
    assert_eq!((r.status, r.header("Content-Length")), (200, Some("3")));
    let r = c.reply(false);
    assert_eq!(
        (r.text().as_str(), r.header("Connection")),
        ("three", Some("close"))
    );
    c.assert_closed();
    // Requests arriving a byte at a time are the same requests.
    let mut c = Client::connect(addr);
    for b in b"GET /two.txt HTTP/1.1\r\nHost: t\r\n\r\n" {
        c.send(&[*b]);
    }
    assert_eq!(c.reply(false).text(), "two");
}

#[test]
fn http10_closes_unless_it_asks_for_keep_alive() {
    let site = Site::new("http10");
    let (_srv, addr, mut c) = site.start_and_connect(&[]);
    let r = c.send(b"GET /hello.txt HTTP/1.0\r\n\r\n").reply(false);
    assert_eq!((r.status, r.header("Connection")), (200, Some("close")));
    c.assert_closed();
    let mut c = Client::connect(addr);
    let r = c
        .send(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .reply(false);
    assert_eq!(
        (r.status, r.header("Connection")),
        (200, Some("keep-alive"))
    );
    let r = c.send(b"GET /index.html HTTP/1.0\r\n\r\n").reply(false);
    assert_eq!(r.status, 200);
    c.assert_closed();
}

#[test]
fn an_idle_connection_is_closed_after_keep_alive() {
    let site = Site::new("idle");
    let (_srv, _, mut c) = site.start_and_connect(&["--keep-alive", "0.5"]);
    assert_eq!(c.get("/hello.txt").status, 200);
    let started = Instant::now();
    c.assert_closed(); // within TIMEOUT (10 s), or the read fails
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400),
        "closed too early: {waited:?}"
    );
}

#[test]
fn silent_and_slow_clients_never_hold_up_a_new_one() {
    let site = Site::new("silent");
    let (_srv, addr) = site.start(&[]);
    let silent: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let mut slow: Vec<Client> = (0..20).map(|_| Client::connect(addr)).collect();
    for s in &mut slow {
        s.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n"); // one header line, then nothing
    }
    let started = Instant::now();
    assert_eq!(Client::connect(addr).get("/hello.txt").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}

#[test]
fn a_head_sent_too_slowly_gets_408() {
    let site = Site::new("slowloris");
    let (mut srv, _, mut c) = site.start_and_connect(&["--head-timeout", "0.5"]);
    c.conn
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    c.send(b"GET /hello.txt HTTP/1.1\r\n");
    let started = Instant::now();
    let mut got = Vec::new();
    // One byte of header every 0.15 s: each read is quick, but the whole head is not.
    while started.elapsed() < TIMEOUT && got.is_empty() {
        let _ = c.conn.get_mut().write_all(b"X");
        let mut buf = [0; 512];
        let until = Instant::now() + Duration::from_millis(150);
        while Instant::now() < until {
            if let Ok(n) = again(|| c.conn.get_mut().read(&mut buf)) {
                got.extend_from_slice(&buf[..n]);
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{text:?}"
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "{took:?}");
    srv.expect("\"GET /hello.txt HTTP/1.1\" 408 ");
}

#[test]
fn the_head_deadline_starts_with_its_first_byte() {
    let site = Site::new("deadline");
    let (_srv, _, mut c) = site.start_and_connect(&["--head-timeout", "0.6"]);
    assert_eq!(c.get("/hello.txt").status, 200);
    // Idle longer than the head deadline (but not the keep-alive wait), then a request in two
    // pieces: it is on time, as its clock started with its first byte.
    let idle = Instant::now() + Duration::from_millis(800);
    while Instant::now() < idle {
        std::thread::sleep(Duration::from_millis(50));
    }
    c.send(b"GET /hello.txt HTTP/1.1\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let r = c.send(b"Host: t\r\n\r\n").reply(false);
    assert_eq!(r.status, 200);
}

#[test]
fn traversal_attempts_never_leave_the_root() {
    let site = Site::new("traversal");
    site.file("sub/inner.txt", b"inner");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&site.base, site.root().join("out")).unwrap();
        std::os::unix::fs::symlink("/etc", site.root().join("etc")).unwrap();
        std::os::unix::fs::symlink(site.base.join("secret.txt"), site.root().join("link.txt"))
            .unwrap();
        // A relative link that stays beneath the root is followed; an absolute one is refused
        // even when it names a folder inside (the open resolves it beneath the root folder,
        // which has no absolute path of its own).
        std::os::unix::fs::symlink("sub", site.root().join("inside")).unwrap();
        std::os::unix::fs::symlink(site.root().join("sub"), site.root().join("absolute")).unwrap();
    }
    let (mut srv, addr) = site.start(&[]);
    let attempts = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/sub%5c..%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/sub/inner.txt%00",
        "/./../secret.txt",
        "//../secret.txt",
        "/C:/secret.txt",
        "/out/secret.txt",
        "/out/",
        "/etc/passwd",
        "/etc/",
        "/link.txt",
        "/absolute/inner.txt",
        "http://test/../secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%ff",
        "/%",
    ];
    let mut c = Client::connect(addr);
    for path in attempts {
        let r = once(addr, &format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n"));
        assert!(matches!(r.status, 400 | 403 | 404), "{path}: {r:?}");
        assert!(
            !r.text().contains("SECRET") && !r.text().contains("root:"),
            "{path}: {r:?}"
        );
    }
    assert_eq!(
        c.get("/inside/inner.txt").text(),
        "inner",
        "a symlink inside the root is fine"
    );
    srv.expect("\"GET /link.txt HTTP/1.1\" 403 ");
}

#[test]
fn curl_path_as_is_cannot_escape() {
    let Some(curl) = curl() else { return };
    let site = Site::new("curl_traversal");
    let (_srv, addr) = site.start(&[]);
    let out = Command::new(curl)
        .args([
            "-s",
            "--path-as-is",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
        ])
        .arg(format!("http://{addr}/../../../../etc/passwd"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("403") && !text.contains("root:"), "{text}");
}

#[test]
fn malformed_requests_get_400_and_a_close() {
    let site = Site::new("malformed");
    let (mut srv, addr) = site.start(&[]);
    let bad = [
        "GET /hello.txt\r\nHost: t\r\n\r\n",
        "GET  /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /hello.txt HTTP/1.1 extra\r\nHost: t\r\n\r\n",
        "get/hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /hello.txt http/1.1\r\nHost: t\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost : t\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  folded\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nno colon here\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
        "POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-A: a\0b\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\x7c\x03\x03\r\n\r\n", // TLS-ish bytes
    ];
    for request in bad {
        let mut c = Client::connect(addr);
        let r = c.send(request.as_bytes()).reply(false);
        assert_eq!(
            (r.status, r.header("Connection")),
            (400, Some("close")),
            "{request:?}"
        );
        c.assert_closed();
    }
    for version in ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3"] {
        let r = once(addr, &format!("GET / {version}\r\nHost: t\r\n\r\n"));
        assert_eq!(r.status, 505, "{version}");
    }
    // The log escapes what it prints: a request line cannot forge another log line.
    once(addr, "GET /a\"b\x1b[31m HTTP/1.1\r\nHost: t\r\n\r\n");
    srv.expect("\"GET /a\\\"b\\u{1b}[31m HTTP/1.1\" 400 ");
    assert_eq!(
        once(addr, "GET / HTTP/1.1\r\nHost: t\r\n\r\n").status,
        200,
        "still serving"
    );
}

#[test]
fn oversize_requests_414_431_413_411() {
    let site = Site::new("oversize");
    let (_srv, addr) = site.start(&[]);
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "a".repeat(100_000));
    let mut c = Client::connect(addr);
    assert_eq!(c.send(long_uri.as_bytes()).reply(false).status, 414);
    c.assert_closed();
    let big_headers = format!(
        "GET / HTTP/1.1\r\nHost: t\r\n{}\r\n",
        "X-Pad: 0123456789\r\n".repeat(2000)
    );
    let mut c = Client::connect(addr);
    assert_eq!(c.send(big_headers.as_bytes()).reply(false).status, 431);
    c.assert_closed();
    let many = format!(
        "GET / HTTP/1.1\r\nHost: t\r\n{}\r\n",
        "X: y\r\n".repeat(200)
    );
    assert_eq!(once(addr, &many).status, 431);
    let mut c = Client::connect(addr);
    c.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n\r\n");
    c.send(&vec![b'x'; 300_000]); // the start of the body is on its way
    assert_eq!(c.reply(false).status, 413);
    let r = once(
        addr,
        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    );
    assert_eq!((r.status, r.header("Connection")), (411, Some("close")));
}

#[test]
fn other_methods_get_405_and_bodies_never_become_requests() {
    let site = Site::new("methods");
    let (_srv, addr) = site.start(&[]);
    for method in [
        "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "BREW",
    ] {
        let r = once(
            addr,
            &format!("{method} /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"),
        );
        assert_eq!(
            (r.status, r.header("Allow")),
            (405, Some("GET, HEAD")),
            "{method}"
        );
    }
    // A body that looks like a request is read and dropped, and the connection goes on.
    let smuggled = "GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n";
    let mut c = Client::connect(addr);
    c.send(
        format!(
            "POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{smuggled}",
            smuggled.len()
        )
        .as_bytes(),
    );
    assert_eq!(c.reply(false).status, 405);
    c.send(
        format!(
            "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{smuggled}",
            smuggled.len()
        )
        .as_bytes(),
    );
    assert_eq!(c.reply(false).text(), "你好 hello\n");
    assert_eq!(
        c.get("/hello.txt").text(),
        "你好 hello\n",
        "the next request, not the body"
    );
    // Expect: 100-continue: a final answer at once, the body never read, the connection closed.
    let mut c = Client::connect(addr);
    let r = c
        .send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        .reply(false);
    assert_eq!((r.status, r.header("Connection")), (405, Some("close")));
}

#[test]
fn when_full_the_connection_idle_longest_makes_room() {
    let site = Site::new("full");
    let (mut srv, addr) = site.start(&["--threads", "3"]);
    // A moment between them, so that the order in which they began to wait is clear.
    let pause = || std::thread::sleep(Duration::from_millis(100));
    let mut idle = Client::connect(addr);
    assert_eq!(idle.get("/hello.txt").status, 200);
    pause();
    let mut stuck = Client::connect(addr);
    stuck.send(b"GET /hello.txt HTTP/1.1\r\n"); // a head that never ends
    pause();
    let mut recent = Client::connect(addr);
    assert_eq!(recent.get("/hello.txt").status, 200);
    pause();
    // All three places taken: a new client is served at once, the longest idle is closed.
    let started = Instant::now();
    let mut new = Client::connect(addr);
    assert_eq!(new.get("/hello.txt").status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    srv.expect(&format!(
        "closing [{}]: idle longest, making room",
        idle.me()
    ));
    closed_or_reset(&mut idle);
    // Next in line: the connection stuck in the middle of its head.
    assert_eq!(Client::connect(addr).get("/hello.txt").status, 200);
    srv.expect(&format!(
        "closing [{}]: idle longest, making room",
        stuck.me()
    ));
    closed_or_reset(&mut stuck);
    assert_eq!(recent.get("/hello.txt").status, 200, "still served");
}

#[test]
fn when_every_connection_is_busy_a_new_one_gets_503() {
    let site = Site::new("busy");
    site.file("big.bin", &vec![7; 48 << 20]);
    let (mut srv, addr) = site.start(&["--threads", "1"]);
    // A client that asks for a big file and does not read it: its thread is busy sending.
    let mut busy = Client::connect(addr);
    busy.send(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
    let mut first = [0; 12];
    busy.conn.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let r = once(addr, "GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!((r.status, r.header("Retry-After")), (503, Some("1")));
    srv.expect("\"-\" 503 ");
}

/// After the server closed a connection: end of stream, or a reset if it had unread bytes.
fn closed_or_reset(c: &mut Client) {
    let mut rest = Vec::new();
    match c.conn.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "{rest:?}"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
}

#[test]
fn head_never_gets_a_body_whatever_the_status() {
    let site = Site::new("head-errors");
    site.file("sub/a.txt", b"a");
    let (_srv, addr) = site.start(&[]);
    for (request, status) in [
        ("HEAD / HTTP/1.1\r\n\r\n", 400), // no Host
        ("HEAD / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        (
            "HEAD / HTTP/1.1\r\nHost: t\r\nContent-Length: 9999999\r\n\r\n",
            413,
        ),
        (
            "HEAD / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
            411,
        ),
        // A bad target leaves the connection usable (it would stay open for KEEP_ALIVE): ask
        // for the close, so that the close shows no body came first.
        (
            "HEAD /%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            400,
        ),
    ] {
        let mut c = Client::connect(addr);
        let r = c.send(request.as_bytes()).reply(true);
        assert_eq!(r.status, status, "{request:?}");
        assert!(r.header("Content-Length").is_some(), "{request:?}");
        closed_or_reset(&mut c); // and not one byte of body before the close
    }
    // On a kept connection: a 404 and a 301 to HEAD, then a GET that must parse.
    let mut c = Client::connect(addr);
    c.send(b"HEAD /nope HTTP/1.1\r\nHost: t\r\n\r\nHEAD /sub HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(c.reply(true).status, 404);
    assert_eq!(c.reply(true).status, 301);
    assert_eq!(c.get("/hello.txt").text(), "你好 hello\n");
}

#[test]
fn a_closed_stdout_never_stops_the_server() {
    let site = Site::new("stdout");
    let root = site.root();
    let server = Muted::start(
        EXE,
        &["--bind", "127.0.0.1:0", "--root", root.to_str().unwrap()],
    );
    for _ in 0..3 {
        assert_eq!(Client::connect(server.addr).get("/hello.txt").status, 200);
    }
    let mut c = Client::connect(server.addr);
    assert_eq!(c.get("/nope").status, 404);
    server.check_still_serving();
}

/// Out of file descriptors (a small `ulimit -n`): the server closes idle connections to make
/// room, serves a new client, and logs the failed `accept`s at most once a second.
///
/// Each client takes two descriptors (its socket and the registry's handle), so the last free
/// one goes either to an `accept` that then finds no room for `try_clone` (the client gets
/// 503), or, when none is free, `accept` fails: both must make room. The descriptors this test
/// inherits (a CI runner's, cargo's) are closed first, so that 48 leaves the same room anywhere.
#[cfg(target_os = "linux")]
#[test]
fn out_of_file_descriptors_makes_room_and_logs_once_a_second() {
    let site = Site::new("nofile");
    let root = site.root();
    let script = format!(
        "for fd in /proc/$$/fd/*; do n=${{fd##*/}}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done
         ulimit -n 48 && exec {EXE} --bind 127.0.0.1:0 --root {} --threads 500",
        root.display()
    );
    let (mut srv, addr) = Program::server("bash", &["-c", &script]);
    let started = Instant::now();
    let idle: Vec<TcpStream> = (0..60)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    // While every descriptor is taken, opening the file may fail too: 503, never a wrong 404.
    let status = Client::connect(addr).get("/hello.txt").status;
    assert!(status == 200 || status == 503, "{status}");
    // Room is made first, then the failure is logged ("accept failed: …" or "… refused: cannot
    // register it: …").
    srv.expect("making room");
    srv.expect("Too many open files");
    let took = started.elapsed();
    let log = srv.stdout_so_far();
    let lines = log.matches("accept failed").count() as u64;
    assert!(
        lines <= took.as_secs() + 2,
        "{lines} lines in {took:?}:\n{log}"
    );
    drop(idle);
    let deadline = Instant::now() + TIMEOUT;
    while Client::connect(addr).get("/hello.txt").status != 200 {
        assert!(Instant::now() < deadline, "never served again");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn dump_prints_each_request_head_and_body() {
    let site = Site::new("dump");
    let (mut srv, _, mut c) = site.start_and_connect(&["--dump"]);
    c.send(b"GET /hello.txt HTTP/1.1\r\nHost: dump.test\r\nUser-Agent: lesson\r\n\r\n")
        .reply(false);
    let text = srv.expect("\"GET /hello.txt HTTP/1.1\" 200 13");
    let me = c.me();
    assert!(
        text.contains(&format!(
            "{me} sent:\nGET /hello.txt HTTP/1.1\nHost: dump.test\nUser-Agent: lesson\n\n"
        )),
        "{text}"
    );
    let form = "name=张三";
    let post = format!(
        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    assert_eq!(c.send(post.as_bytes()).reply(false).status, 405);
    let text = srv.expect("\"POST / HTTP/1.1\" 405 ");
    assert!(
        text.contains(&format!(
            "{me} sent:\nPOST / HTTP/1.1\nHost: t\nContent-Length: 11\n\nname=张三\n"
        )),
        "{text}"
    );
}

#[test]
fn curl_gets_pages_heads_ranges_redirects_and_304() {
    let Some(curl) = curl() else { return };
    let site = Site::new("curl");
    site.file("dir/index.html", b"dir index");
    let (_srv, addr) = site.start(&[]);
    let curl_out = |args: &[&str]| {
        let out = Command::new(curl)
            .args(["-s", "--max-time", "10"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "curl {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let url = |p: &str| format!("http://{addr}{p}");
    assert_eq!(curl_out(&[&url("/hello.txt")]), "你好 hello\n");
    let head = curl_out(&["-I", &url("/index.html")]);
    assert!(
        head.starts_with("HTTP/1.1 200 OK\r\n") && head.contains("Content-Length: 43\r\n"),
        "{head}"
    );
    assert_eq!(curl_out(&["-r", "7-11", &url("/hello.txt")]), "hello");
    assert_eq!(curl_out(&["-L", &url("/dir")]), "dir index");
    assert_eq!(
        curl_out(&["-w", "%{http_code}", "-o", "/dev/null", &url("/missing")]),
        "404"
    );
    let later = "Fri, 01 Jan 2100 00:00:00 GMT";
    assert_eq!(
        curl_out(&[
            "-w",
            "%{http_code}",
            "-H",
            &format!("If-Modified-Since: {later}"),
            &url("/hello.txt")
        ]),
        "304"
    );
    // Several URLs on one connection: curl reuses it (keep-alive).
    let both = curl_out(&["-v", &url("/hello.txt"), &url("/hello.txt")]);
    assert_eq!(both, "你好 hello\n你好 hello\n");
}

#[test]
fn command_line_mistakes_exit_2_and_runtime_errors_exit_1() {
    let bad: [&[&str]; 7] = [
        &["--bogus"],
        &["--threads", "0"],
        &["--threads", "many"],
        &["--head-timeout", "0"],
        &["--keep-alive", "-1"],
        &["--bind", "8888"],
        &["extra"],
    ];
    check_command_line(EXE, "http_static", &bad);
    let help = run(EXE, &["--help"], "").stdout;
    #[cfg(target_os = "linux")]
    assert!(help.contains("(open-file limit "), "{help}");
    assert!(help.contains("--head-timeout S"), "{help}");
    assert!(help.contains("--keep-alive S"), "{help}");
    let out = run(
        EXE,
        &["--bind", "127.0.0.1:0", "--root", "/no/such/folder"],
        "",
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: root folder /no/such/folder: "),
        "{out:?}"
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    check_busy_bind(EXE, &[], taken.local_addr().unwrap());
}

#[test]
fn the_default_root_is_the_sample_site() {
    let (_srv, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0"]);
    let mut c = Client::connect(addr);
    let page = c.get("/").text();
    assert!(
        page.contains("<title>http_static 主页访问</title>"),
        "{page}"
    );
    assert_eq!(c.get("/style.css").status, 200);
    assert_eq!(
        c.get("/logo.svg").header("Content-Type"),
        Some("image/svg+xml")
    );
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("site/index.html");
    assert_eq!(page.len() as u64, fs::metadata(site).unwrap().len());
}

/// The curl to run, or `None` after printing "skipped: curl not found" (a failure instead when
/// NET_LESSONS_REQUIRE_CURL is set).
fn curl() -> Option<&'static str> {
    lesson_testing::tool("curl", REQUIRE_CURL)
}

/// Starts one of the notes' Python servers on a free port; it prints `listening on` when ready.
fn python_server(script: &str) -> (Program, SocketAddr) {
    python_on_free_port(script, "listening on")
}

#[cfg_attr(
    not(python),
    ignore = "needs Python 3 (python3, python or py -3) to run the notes' programs"
)]
#[test]
fn python_notes_004_request_viewer_and_its_twin_print_the_same_request() {
    let form = "name=张三";
    let request = format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let mut printed = Vec::new();
    for (viewer, addr) in [
        python_server(&format!("{NOTES_PY}004_request_viewer.py")),
        Program::server(&example("request_viewer"), &["--bind", "127.0.0.1:0"]),
    ] {
        ask(addr, request.as_bytes());
        let out = viewer.finish();
        assert_eq!(out.code, Some(0), "{out:?}");
        // After `Connect From ...`: the request exactly as it came, then print's newline.
        let (_, after) = out
            .stdout
            .split_once("Connect From ")
            .expect("Connect From");
        let (_, text) = after.split_once('\n').unwrap();
        printed.push(text.to_string());
    }
    assert_eq!(printed[0], format!("{request}\n"));
    assert_eq!(
        printed[1], printed[0],
        "the twin prints what the notes print"
    );
}

#[test]
fn the_request_viewer_waits_for_a_body_sent_in_pieces() {
    let (viewer, addr) = Program::server(&example("request_viewer"), &["--bind", "127.0.0.1:0"]);
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200)); // the body later, as browsers may send it
    s.write_all(b"hello").unwrap();
    let out = viewer.finish();
    assert!(
        out.stdout.ends_with("Content-Length: 5\r\n\r\nhello\n"),
        "{out:?}"
    );
}

#[cfg_attr(
    not(python),
    ignore = "needs Python 3 (python3, python or py -3) to run the notes' programs"
)]
#[test]
fn our_python_000_fake_response_and_its_twin_send_the_same_bytes() {
    let get = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let (_py_srv, py_addr) = python_server(&format!("{OUR_PY}000_fake_response.py"));
    let (mut twin, twin_addr) =
        Program::server(&example("fake_response"), &["--bind", "127.0.0.1:0"]);
    twin.expect("the body is 20 bytes in GBK, 22 in UTF-8");
    let notes = ask(py_addr, get);
    let ours = ask(twin_addr, get);
    assert_eq!(show(&ours), show(&notes));
    let (head, body) = ours.split_at(ours.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4);
    assert_eq!(
        String::from_utf8_lossy(head),
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\nContent-Type: text/html; charset=gbk\r\nServer: HMS\r\n\r\n"
    );
    assert_eq!(Encoding::Gbk.decode(body), "<h2>标题</h2>1111111");
    // Counted by hand, 20 holds only in GBK: in UTF-8 标题 takes 6 bytes, not 4.
    assert_eq!("<h2>标题</h2>1111111".len(), 22);
    twin.expect("\"GET / HTTP/1.1\" 200 20");
    // Asked twice, answered twice: it serves every request.
    assert_eq!(ask(twin_addr, get), ours);
}

#[cfg_attr(
    not(python),
    ignore = "needs Python 3 (python3, python or py -3) to run the notes' programs"
)]
#[test]
fn python_http_server_and_http_static_give_the_same_status_and_bytes() {
    let site = Site::new("vs-python");
    site.file("sub/a.txt", b"in a folder\n");
    site.file("style.css", b"body { color: red }\n");
    let blob: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    site.file("blob.bin", &blob);
    let root = site.root();
    let dir = root.to_str().unwrap();
    // python -m http.server 80 (notes 000 "HTTP请求报文格式"), on 127.0.0.1 and a free port.
    let start = |port: u16| {
        let port = port.to_string();
        let args = [
            "-m",
            "http.server",
            &port,
            "--bind",
            "127.0.0.1",
            "--directory",
            dir,
        ];
        Program::start(python(), &args)
    };
    let (_python, port) = lesson_testing::start_on_free_port(start, "Serving HTTP on");
    let py_addr = SocketAddr::from(([127, 0, 0, 1], port));
    let (_ours, addr) = site.start(&[]);
    for (request, path) in [
        ("GET", "/"),
        ("GET", "/index.html"),
        ("GET", "/hello.txt"),
        ("GET", "/style.css"),
        ("GET", "/sub/a.txt"),
        ("GET", "/blob.bin"),
        ("HEAD", "/blob.bin"),
        ("GET", "/sub"),
        ("GET", "/nope.txt"),
    ] {
        let ask = format!("{request} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        let (theirs, mine) = (once(py_addr, &ask), once(addr, &ask));
        assert_eq!(mine.status, theirs.status, "{request} {path}");
        if theirs.status == 200 {
            assert_eq!(mine.body, theirs.body, "{request} {path}");
            assert_eq!(
                mine.header("Content-Length"),
                theirs.header("Content-Length"),
                "{request} {path}"
            );
        }
        if theirs.status == 301 {
            assert_eq!(mine.header("Location"), theirs.header("Location"));
        }
    }
}

#[test]
fn the_examples_follow_the_command_line_rules() {
    for name in ["fake_response", "request_viewer"] {
        let bad: [&[&str]; 3] = [&["--bogus"], &["extra"], &["--bind", "8888"]];
        check_command_line(&example(name), name, &bad);
    }
}
