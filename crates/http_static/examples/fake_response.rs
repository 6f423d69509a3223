//! # fake_response: answer every request with the notes' forged response (伪造一个HTTP响应报文)
//!
//! Notes 000 "HTTP响应报文格式" writes a response by hand: response line, three headers, the
//! empty line, and `<h2>标题</h2>1111111` as an HTML page in GBK. This server sends exactly that
//! to every client, so a browser shows a heading "标题" and the digits: HTTP is only text on a
//! TCP connection, and anything that writes the right bytes is a web server.
//!
//! ```text
//! terminal 1:  cargo run -p http_static --example fake_response            (127.0.0.1:8080)
//! terminal 2:  curl -v http://127.0.0.1:8080/      (or open it in a browser)
//! ```
//!
//! Where this differs from the notes, and why:
//! - The notes count `Content-Length: 20` by hand. It is right only because the body is GBK,
//!   where 标题 takes 4 bytes; saved as UTF-8 (6 bytes) the body is 22 bytes and a client that
//!   trusts 20 cuts the last `11` off. Here the length is computed from the bytes sent.
//! - The request is read (up to its empty line) before answering, and the connection closed
//!   politely: closing on an unread request can reset the connection and destroy the response
//!   before the browser reads it.
//! - This server serves one client at a time, so the whole request head has one deadline
//!   (`HEAD_TIMEOUT`), and every read waits only for the time left. A deadline per read would
//!   start again at every byte: a client sending one byte every 0.8 s would hold the server for
//!   hours, and no one else would be served.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::lang::describe;

/// One deadline for the whole request (shared with the other example).
#[path = "common/within.rs"]
mod within;
use netcommon::{
    announce_listening, check_addr, drain, is_timeout, printable, say, tr, AcceptErrors, Args,
    Encoding,
};
use within::Within;

const USAGE_ZH: &str = "用法：fake_response [--bind 127.0.0.1:8080]
对每个 HTTP 请求都回答笔记 000 伪造的那个响应报文（GBK 的网页，Server: HMS）。";
const USAGE_EN: &str = "usage: fake_response [--bind 127.0.0.1:8080]
Answers every HTTP request with notes 000's forged response (GBK page, Server: HMS).";
/// The notes' TCP servers listen on 8080; on 127.0.0.1 only, as this is a demo.
const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// The notes' response body, as text; it goes out in GBK (`charset=gbk`).
const BODY: &str = "<h2>标题</h2>1111111";
/// A request head longer than this is not read further (we answer the same anyway).
const MAX_HEAD: u64 = 8 * 1024;
/// One client at a time: its whole request head must arrive within this, however it trickles
/// in, so that it cannot hold the others.
const HEAD_TIMEOUT: Duration = Duration::from_secs(2);
/// Sending the response waits at most this long.
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// The request line is logged up to this many characters.
const MAX_LOGGED: usize = 200;
/// After the response, what the client still sends is read and dropped for at most this long.
const LINGER: Duration = Duration::from_millis(500);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), fake_response)
}

fn fake_response(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    args.no_more()?;
    let response = forged_response();
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;
    let gbk_len = Encoding::Gbk.encode(BODY).len();
    let utf8_len = BODY.len();
    say!(
        "{}",
        tr!(
            "响应体用 GBK 是 {gbk_len} 字节，用 UTF-8 是 {utf8_len} 字节",
            "the body is {gbk_len} bytes in GBK, {utf8_len} in UTF-8"
        )
    );
    let mut accept_errors = AcceptErrors::new();
    loop {
        let Some((stream, peer)) = accept_errors.accepted(listener.accept()) else {
            continue; // e.g. out of file descriptors: said at most once a second
        };
        match answer(&stream, &response) {
            Ok(line) => say!("{peer} \"{line}\" 200 {gbk_len}"),
            Err(e) => say!("{peer} {}", describe(&e.into())),
        }
    }
}

/// The notes' response, byte for byte, except that `Content-Length` is counted by the program.
fn forged_response() -> Vec<u8> {
    let body = Encoding::Gbk.encode(BODY);
    let mut response = format!(
        "HTTP/1.1 200 OK\r\n\
         Content-Length: {}\r\n\
         Content-Type: text/html; charset=gbk\r\n\
         Server: HMS\r\n\
         \r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

/// Reads the request head (whatever it asks), sends the response, closes. Returns the request
/// line for the log (its control characters escaped: it comes from the network).
fn answer(stream: &TcpStream, response: &[u8]) -> io::Result<String> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut reader = BufReader::new(Within::new(stream, HEAD_TIMEOUT)).take(MAX_HEAD);
    let mut first = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        // Every line, however it arrives: one `recv` may hold half a request.
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break, // closed, or too long: answer what we have
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {
                let secs = HEAD_TIMEOUT.as_secs_f64();
                let msg = tr!(
                    "{secs} 秒内没有发来完整的请求头：已关闭连接",
                    "sent no whole request head within {secs} s: closed"
                );
                return Err(io::Error::new(io::ErrorKind::TimedOut, msg));
            }
            Err(e) => return Err(e),
        }
        if first.is_empty() {
            first = line.trim_ascii_end().to_vec();
        }
        if line == b"\r\n" || line == b"\n" {
            break; // the empty line: the head is complete
        }
    }
    (&mut { stream }).write_all(response)?;
    // Close politely: FIN first, then drop what the client may still send, for a moment. The
    // whole response has been sent: a client that has already gone makes this fail, harmlessly.
    let _ = stream.shutdown(Shutdown::Write);
    drain(stream, LINGER);
    Ok(printable(&first, MAX_LOGGED))
}
