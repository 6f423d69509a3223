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
//! - Every read has a deadline: a client that connects and says nothing cannot hold it forever.
//! - `data.decode()` raises an exception on bytes that are not UTF-8; we show them as �.
//! - The browser gets no response (as in the notes): it shows an error page. `http_static
//!   --dump` prints each request the same way and answers it.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, check_addr, say, usage_error, Args};

const USAGE: &str = "usage: request_viewer [--bind 127.0.0.1:8888]
Accepts one connection, prints the HTTP request it carries (head and body), and ends.";
/// `s.bind(("127.0.0.1", 8888))`.
const DEFAULT_BIND: &str = "127.0.0.1:8888";
/// The head (request line and headers) is read up to this many bytes.
const MAX_HEAD: u64 = 64 * 1024;
/// At most this many bytes of body are read and shown.
const MAX_BODY: u64 = 64 * 1024;
/// A client silent this long is given up on.
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(USAGE, request_viewer)
}

fn request_viewer(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    if let Some(extra) = args.finish()?.first() {
        return usage_error(format!("unexpected argument {extra:?}"));
    }
    // s = socket(); s.bind(("127.0.0.1", 8888)); s.listen(3): all three in one call (std's
    // queue is 128 connections long, not 3).
    let s = TcpListener::bind(&bind).with_context(|| format!("binding {bind}"))?;
    announce_listening(s.local_addr()?)?;
    // c, addr = s.accept()
    let (c, addr) = s.accept().context("accepting a connection")?;
    say!("Connect From {addr}");
    c.set_read_timeout(Some(TIMEOUT))?;
    // data = c.recv(2048), but the whole request: head up to the empty line, then the body.
    let mut reader = BufReader::new(&c);
    let mut data = Vec::new();
    let mut line = Vec::new();
    let mut body_len = 0;
    loop {
        line.clear();
        let n = (&mut reader).take(MAX_HEAD).read_until(b'\n', &mut line);
        let n = n.with_context(|| format!("reading the request from {addr}"))?;
        data.extend_from_slice(&line);
        if n == 0 || line == b"\r\n" || line == b"\n" || data.len() as u64 >= MAX_HEAD {
            break; // closed early, the empty line, or enough
        }
        body_len = content_length(&line).unwrap_or(body_len);
    }
    (&mut reader)
        .take(body_len.min(MAX_BODY))
        .read_to_end(&mut data)
        .with_context(|| format!("reading the request body from {addr}"))?;
    // print(data.decode())
    say!("{}", String::from_utf8_lossy(&data));
    // c.close(); s.close(): both sockets close when they go out of scope.
    Ok(())
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
