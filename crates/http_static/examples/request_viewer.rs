//! # request_viewer: print one HTTP request as it arrives (查看 http 请求内容)
//!
//! The twin of notes 004 §2.3.4 "请求体": a TCP server that accepts one connection, prints what
//! the browser sent (request line 请求行, headers 请求头, the empty line 空行, and the body 请求体,
//! empty for a GET), closes and ends. Point a browser at it to see what it really sends.
//!
//! ```text
//! terminal 1:  cargo run -p http_static --example request_viewer        (127.0.0.1:8888)
//! terminal 2:  curl -d 'name=张三' http://127.0.0.1:8888/     (or open it in a browser)
//! ```
//!
//! Where this differs from the notes, and why:
//! - The notes print what one `c.recv(2048)` returned. A request may arrive in pieces (a
//!   browser often sends the head and a POST body in two), so we read up to the empty line, then
//!   as many body bytes as `Content-Length` says (at most `MAX_BODY`).
//! - The whole request has one deadline (`--timeout`), and each read waits only for the time
//!   left: a client that says nothing, or trickles a byte at a time, cannot hold it for ever.
//!   A body shorter than its `Content-Length` (the client stopped, or closed) is printed as it
//!   came, and the viewer says how many bytes were missing.
//! - Text from the network is printed as it came, line by line, except control characters
//!   (an ESC, a lone CR, ...) and `\`, which are escaped: a request must not be able to rewrite
//!   the terminal or the lines before it.
//! - `data.decode()` raises an exception on bytes that are not UTF-8; we show them as �.
//! - The browser gets no response (as in the notes): it shows an error page. `http_static
//!   --dump` prints each request the same way and answers it.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// One deadline for the whole request (shared with the other example).
#[path = "common/within.rs"]
mod within;
use netcommon::{announce_listening, check_addr, is_timeout, printable_text, say, tr, Args};
use within::Within;

const USAGE_ZH: &str = "用法：request_viewer [--bind 127.0.0.1:8888] [--timeout S]
接受一个连接，打印它带来的 HTTP 请求（请求头和请求体），然后结束。
  --timeout S  整个请求必须在 S 秒内收完（默认 10）";
const USAGE_EN: &str = "usage: request_viewer [--bind 127.0.0.1:8888] [--timeout S]
Accepts one connection, prints the HTTP request it carries (head and body), and ends.
  --timeout S  the whole request must arrive within S seconds (default 10)";
/// `s.bind(("127.0.0.1", 8888))`.
const DEFAULT_BIND: &str = "127.0.0.1:8888";
/// The head (request line and headers) is read up to this many bytes.
const MAX_HEAD: u64 = 64 * 1024;
/// At most this many bytes of body are read and shown.
const MAX_BODY: u64 = 64 * 1024;
/// The whole request (head and body) must arrive within this long, unless `--timeout` says.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), request_viewer)
}

fn request_viewer(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    args.no_more()?;
    // s = socket(); s.bind(("127.0.0.1", 8888)); s.listen(3): all three in one call (std's
    // queue is 128 connections long, not 3).
    let s = TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(s.local_addr()?)?;
    // c, addr = s.accept()
    let (c, addr) = s
        .accept()
        .with_context(|| tr!("接受连接", "accepting a connection"))?;
    // print("Connect From", addr): the notes' own words, in both languages.
    say!("Connect From {addr}");
    // data = c.recv(2048), but the whole request: head up to the empty line, then the body,
    // all within `timeout`.
    let mut reader = BufReader::new(Within::new(&c, timeout));
    let mut data = Vec::new();
    let mut line = Vec::new();
    let mut body_len = 0;
    let mut head_done = false;
    while !head_done {
        line.clear();
        let read = (&mut reader).take(MAX_HEAD).read_until(b'\n', &mut line);
        data.extend_from_slice(&line); // what arrived, also when the read failed
        match read {
            Err(e) if is_timeout(&e) => {
                show(&data);
                let secs = timeout.as_secs_f64();
                bail!(tr!(
                    "{secs} 秒后请求头还没有收完",
                    "the request head was not complete after {secs} s"
                ))
            }
            Err(e) => {
                show(&data);
                return Err(e).with_context(|| {
                    tr!("接收来自 {addr} 的请求", "reading the request from {addr}")
                });
            }
            Ok(0) => break, // closed before the empty line
            Ok(_) => {}
        }
        head_done = line == b"\r\n" || line == b"\n" || data.len() as u64 >= MAX_HEAD;
        body_len = content_length(&line).unwrap_or(body_len);
    }
    let want = body_len.min(MAX_BODY);
    let mut body = Vec::new();
    let read = (&mut reader).take(want).read_to_end(&mut body);
    data.extend_from_slice(&body); // what arrived, also when the read failed

    // print(data.decode())
    show(&data);
    let got = body.len();
    match read {
        Ok(_) if got as u64 == want => Ok(()),
        Ok(_) => bail!(tr!(
            "请求体不完整：客户端只发了 {body_len} 字节中的 {got} 字节，就关闭了连接",
            "the body was short: the client sent {got} of {body_len} bytes, then closed"
        )),
        Err(e) if is_timeout(&e) => {
            let secs = timeout.as_secs_f64();
            bail!(tr!(
                "请求体不完整：客户端 {secs} 秒内只发了 {body_len} 字节中的 {got} 字节",
                "the body was short: the client sent {got} of {body_len} bytes within {secs} s"
            ))
        }
        Err(e) => Err(e).with_context(|| {
            tr!(
                "接收来自 {addr} 的请求体",
                "reading the request body from {addr}"
            )
        }),
    }
    // c.close(); s.close(): both sockets close when they go out of scope.
}

/// Prints the request as it came, line by line; within each line control characters and `\`
/// are escaped (see the top of this file). Bytes that are not UTF-8 show as �.
fn show(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut shown = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (content, end) = if let Some(content) = line.strip_suffix("\r\n") {
            (content, "\r\n")
        } else if let Some(content) = line.strip_suffix('\n') {
            (content, "\n")
        } else {
            (line, "")
        };
        shown.push_str(&printable_text(content));
        shown.push_str(end);
    }
    say!("{shown}");
}

/// The value of a `Content-Length: N` header line, if this is one.
fn content_length(line: &[u8]) -> Option<u64> {
    let line = std::str::from_utf8(line).ok()?;
    let (name, value) = line.split_once(':')?;
    if !name.eq_ignore_ascii_case("content-length") {
        return None;
    }
    value.trim().parse().ok()
}
