//! http_static 的评分测试（作业）：评分程序在 127.0.0.1 上扮演浏览器，发送原始的请求报文，检查
//! 响应的状态码、响应头和内容。只测一关：`cargo test step1`。

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use lesson_testing::{check, fail, inputs, show, Student, TempDir, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_http_static");

/// A site in a fresh folder, its names and texts drawn at random for each run: index.html,
/// a text file, a folder with its own index.html, and a secret beside the root.
struct Site {
    dir: TempDir,
    home: String,
    /// `<word>.txt` and its text.
    file: String,
    text: String,
    /// The folder's name and its index.html.
    sub: String,
    sub_home: String,
    /// `<word>.txt` beside the root.
    secret: String,
}

fn site(test: &str) -> Site {
    let mut rng = inputs();
    let dir = TempDir::new(&format!("http-grade-{test}"));
    let s = Site {
        home: format!("<h1>{}</h1>\n", rng.message()),
        file: format!("{}.txt", rng.word(3, 8)),
        text: format!("{}\n", rng.message()),
        sub: rng.word(3, 8),
        sub_home: format!("<h1>{}</h1>\n", rng.word(3, 8)),
        secret: format!("{}.txt", rng.word(3, 8)),
        dir,
    };
    fs::create_dir_all(s.dir.join("root").join(&s.sub)).unwrap();
    fs::write(s.dir.join("root/index.html"), &s.home).unwrap();
    fs::write(s.dir.join("root").join(&s.file), &s.text).unwrap();
    fs::write(
        s.dir.join("root").join(&s.sub).join("index.html"),
        &s.sub_home,
    )
    .unwrap();
    fs::write(s.dir.join(&s.secret), "SECRET\n").unwrap();
    s
}

fn start(dir: &std::path::Path) -> (Student, SocketAddr) {
    let root = dir.join("root");
    Student::server(
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

/// The status must be `status`; `what` names the request.
fn expect_status(a: &Answer, status: u16, what: &str) {
    check(
        a.status == status,
        &format!("{what}：期望状态码 {status}，实际是 {}", a.status),
    );
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s =
            TcpStream::connect(addr).unwrap_or_else(|e| fail(&format!("连接 {addr} 失败：{e}")));
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        println!("已连接 {addr}");
        Conn(BufReader::new(s))
    }

    fn send(&mut self, request: &str) {
        if let Err(e) = self.0.get_mut().write_all(request.as_bytes()) {
            fail(&format!("发送请求失败：{e}"));
        }
        println!("发送请求 {}", show(request.as_bytes()));
    }

    fn line(&mut self) -> String {
        let mut line = Vec::new();
        match self.0.read_until(b'\n', &mut line) {
            Ok(0) => fail(&format!(
                "期望 {} 秒内收到响应，但是服务器关闭了连接",
                TIMEOUT.as_secs()
            )),
            Ok(_) => String::from_utf8_lossy(&line).trim_end().to_string(),
            Err(e) => fail(&format!(
                "期望 {} 秒内收到响应，但是：{e}",
                TIMEOUT.as_secs()
            )),
        }
    }

    /// Reads one response: status line, headers, and a body of Content-Length bytes (none for
    /// a HEAD, a 304, or when `head_only`).
    fn answer(&mut self, head_only: bool) -> Answer {
        let status_line = self.line();
        println!("响应行 {}", show(status_line.as_bytes()));
        let status = status_line
            .strip_prefix("HTTP/1.")
            .and_then(|s| s.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                fail(&format!(
                    "响应行应该是 `HTTP/1.1 状态码 原因`，例如 `HTTP/1.1 200 OK`；实际是 {}",
                    show(status_line.as_bytes())
                ))
            });
        let mut headers = Vec::new();
        loop {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                fail(&format!(
                    "响应头应该是 `名字: 值`；实际是 {}",
                    show(line.as_bytes())
                ))
            };
            headers.push((name.to_string(), value.trim().to_string()));
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        let len: usize = match answer.header("Content-Length") {
            Some(len) => len
                .parse()
                .unwrap_or_else(|_| fail(&format!("Content-Length 不是数字：{len}"))),
            None => fail("响应缺少 Content-Length 头：浏览器不知道响应体有多长"),
        };
        if !head_only && status != 304 {
            answer.body = vec![0; len];
            if let Err(e) = self.0.read_exact(&mut answer.body) {
                fail(&format!(
                    "Content-Length 说有 {len} 字节，但没有收到这么多：{e}"
                ));
            }
        }
        println!(
            "  {} 个响应头，响应体 {} 字节",
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

fn expect_body(a: &Answer, body: &str, what: &str) {
    check(
        a.body == body.as_bytes(),
        &format!(
            "{what}：响应体不对\n  期望：{}\n  实际：{}",
            show(body.as_bytes()),
            show(&a.body)
        ),
    );
}

/// The answer's Content-Type starts with `ty` (`text/html`, then perhaps `; charset=utf-8`).
fn expect_type(a: &Answer, ty: &str, what: &str) {
    let got = a.header("Content-Type").unwrap_or("");
    check(
        got.starts_with(ty),
        &format!(
            "{what}：Content-Type 应该是 {ty}；实际是 {}",
            show(got.as_bytes())
        ),
    );
}

#[test]
fn step1_serves_the_home_page() {
    let s = site("step1");
    let (_server, addr) = start(&s.dir);
    // What a browser sends for the home page (004 §2.3), then the answer of 004 §2.5.
    let mut c = Conn::open(addr);
    c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: grader\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    let a = c.answer(false);
    expect_status(&a, 200, "GET /");
    expect_body(&a, &s.home, "GET /");
    expect_type(&a, "text/html", "GET /");
}

#[test]
fn step2_refuses_paths_outside_the_root() {
    let s = site("step2");
    let (_server, addr) = start(&s.dir);
    for target in [
        format!("/../{}", s.secret),
        format!("/%2e%2e/{}", s.secret),
        format!("/{}/..%2f..%2f{}", s.sub, s.secret),
        "/a%00b".to_string(),
        "/%zz".to_string(),
    ] {
        let a = get(addr, &target);
        check(
            matches!(a.status, 400 | 403),
            &format!("GET {target}：期望 403（或 400），实际是 {}", a.status),
        );
        check(
            !String::from_utf8_lossy(&a.body).contains("SECRET"),
            &format!("GET {target}：泄露了根目录以外的文件"),
        );
    }
}

#[test]
fn step3_serves_files_and_folders() {
    let s = site("step3");
    let (_server, addr) = start(&s.dir);
    let (file, sub) = (format!("/{}", s.file), format!("/{}", s.sub));
    let a = get(addr, &file);
    expect_status(&a, 200, &format!("GET {file}"));
    expect_body(&a, &s.text, &format!("GET {file}"));
    expect_type(&a, "text/plain", &format!("GET {file}"));
    let mut c = Conn::open(addr);
    c.send(&format!(
        "HEAD {file} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    ));
    let head = c.answer(true);
    expect_status(&head, 200, &format!("HEAD {file}"));
    let length = s.text.len().to_string();
    check(
        head.header("Content-Length") == Some(length.as_str()),
        &format!("HEAD {file}：Content-Length 应该和 GET 一样是 {length}"),
    );
    check(c.is_closed(), "HEAD 的响应没有响应体");
    let a = get(addr, &sub);
    expect_status(&a, 301, &format!("GET {sub}（文件夹，没有结尾的 /）"));
    let location = format!("{sub}/");
    check(
        a.header("Location") == Some(location.as_str()),
        &format!(
            "GET {sub}：Location 应该是 {location}；实际是 {:?}",
            a.header("Location")
        ),
    );
    let a = get(addr, &location);
    expect_status(&a, 200, &format!("GET {location}"));
    expect_body(
        &a,
        &s.sub_home,
        &format!("GET {location}（文件夹的 index.html）"),
    );
    let missing = format!("/{}.txt", inputs().word(11, 14));
    expect_status(&get(addr, &missing), 404, &format!("GET {missing}"));
}

#[test]
fn step4_bad_requests_and_keep_alive() {
    let s = site("step4");
    let (_server, addr) = start(&s.dir);
    for (request, status) in [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("DELETE /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    ] {
        let mut c = Conn::open(addr);
        c.send(request);
        let line = request.lines().next().unwrap_or("");
        expect_status(&c.answer(false), status, &format!("请求行 {line:?}"));
    }
    // HTTP/1.1 keeps the connection (长连接); two requests sent at once are answered in order.
    let mut c = Conn::open(addr);
    let file = &s.file;
    c.send(&format!(
        "GET /{file} HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    ));
    expect_body(&c.answer(false), &s.text, "同一个连接上的第一个请求");
    expect_body(&c.answer(false), &s.home, "同一个连接上的第二个请求");
    c.send(&format!(
        "GET /{file} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    ));
    expect_status(&c.answer(false), 200, "第三个请求");
    check(c.is_closed(), "Connection: close 之后服务器应该关闭连接");
}
