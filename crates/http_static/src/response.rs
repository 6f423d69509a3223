//! 响应报文 (notes 000 "HTTP响应报文格式", 004 §2.4): the status line (响应行), the header lines
//! (响应头), the empty line and the body (响应体), written out in as few writes as possible, with
//! a `Content-Length` computed from the body, never counted by hand.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Write};
use std::ops;
use std::sync::Arc;

use crate::dates::with_date_now;

/// Files go out in pieces of this size, through one buffer reused for the whole connection.
const CHUNK: usize = 64 * 1024;

/// A response before it is written: `Content-Length` is computed from the body when it is sent,
/// so it cannot disagree with it. Without one, only closing the connection tells the client
/// where the body ends, and a kept-alive connection (长连接) could not carry the next response.
pub struct Response {
    pub status: u16,
    /// Most values are fixed texts (`text/html; charset=utf-8`): borrowed, not copied.
    pub headers: Vec<(&'static str, Cow<'static, str>)>,
    pub body: Body,
}

pub enum Body {
    /// No body and no `Content-Length`: 304 Not Modified only.
    None,
    Bytes(Vec<u8>),
    /// Part of a small file kept in memory (all of it, or a Range): see cache.rs.
    Shared(Arc<[u8]>, ops::Range<usize>),
    /// This many bytes of an open file, from where it stands (after a seek for a Range).
    File(File, u64),
}

impl Response {
    pub fn new(status: u16, body: Body) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// A short HTML page that says the status: `404 Not Found` (or where a 301 leads).
    pub fn page(status: u16) -> Response {
        let title = format!("{status} {}", reason(status));
        let page = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
             <body><h1>{title}</h1></body></html>\n"
        );
        Response::new(status, Body::Bytes(page.into_bytes()))
            .header("Content-Type", "text/html; charset=utf-8")
    }

    /// Writes the response to `out` and returns how many body bytes went out (for the log).
    /// The head and a small body leave in ONE write: as two small writes, the second would wait
    /// for the client's delayed ACK (Nagle's algorithm), 40 ms per response.
    pub fn send(
        self,
        out: &mut impl Write,
        head_only: bool,
        keep_alive: bool,
        buf: &mut Vec<u8>,
    ) -> io::Result<u64> {
        // The head is written straight into the connection's buffer: no String of its own.
        buf.clear();
        // ANCHOR: status_line
        let _ = write!(
            buf,
            "HTTP/1.1 {} {}\r\nServer: http_static\r\n",
            self.status,
            reason(self.status)
        );
        with_date_now(|date| {
            let _ = write!(buf, "Date: {date}\r\n");
        });
        for (name, value) in &self.headers {
            let _ = write!(buf, "{name}: {value}\r\n");
        }
        let length = match &self.body {
            Body::None => None,
            Body::Bytes(bytes) => Some(bytes.len() as u64),
            Body::Shared(_, part) => Some(part.len() as u64),
            Body::File(_, len) => Some(*len),
        };
        if let Some(length) = length {
            let _ = write!(buf, "Content-Length: {length}\r\n");
        }
        // ANCHOR_END: status_line
        let connection = if keep_alive { "keep-alive" } else { "close" };
        let _ = write!(buf, "Connection: {connection}\r\n\r\n");
        match self.body {
            _ if head_only => out.write_all(buf).map(|()| 0),
            Body::None => out.write_all(buf).map(|()| 0),
            Body::Bytes(bytes) => {
                buf.extend_from_slice(&bytes);
                out.write_all(buf).map(|()| bytes.len() as u64)
            }
            Body::Shared(bytes, part) => {
                buf.extend_from_slice(&bytes[part.clone()]); // head and body in one write
                out.write_all(buf).map(|()| part.len() as u64)
            }
            Body::File(file, len) => send_file(out, file, len, buf).map(|()| len),
        }
    }
}

/// Streams `len` bytes of `file` after the head already in `buf`, never holding the whole file:
/// fill the buffer, write it, again.
fn send_file(out: &mut impl Write, mut file: File, len: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut left = len;
    while left > 0 {
        let start = buf.len();
        let want = left.min((CHUNK - start.min(CHUNK / 2)) as u64) as usize;
        buf.resize(start + want, 0);
        let n = file.read(&mut buf[start..])?;
        buf.truncate(start + n);
        if n == 0 {
            // The file shrank after we sent its length: the client will see a short body.
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                netcommon::pick("发送期间文件变短了", "file shrank while being sent"),
            ));
        }
        left -= n as u64;
        if left == 0 || buf.len() >= CHUNK / 2 {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    out.write_all(buf) // the head alone, for an empty file
}

/// The reason phrase of a status code. Notes 004 §2.4.3 has older names for some: RFC 9110
/// calls 413 "Content Too Large", 414 "URI Too Long", 416 "Range Not Satisfiable".
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_write_for_a_small_response() {
        struct Writes(Vec<Vec<u8>>);
        impl Write for Writes {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.push(b.to_vec());
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Writes(Vec::new());
        let sent = Response::page(404)
            .send(&mut out, false, true, &mut Vec::new())
            .unwrap();
        assert_eq!(out.0.len(), 1);
        let text = String::from_utf8(out.0.remove(0)).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\nServer: http_static\r\nDate: "));
        assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())));
        assert!(head.ends_with("\r\nConnection: keep-alive"));
        assert_eq!(sent, body.len() as u64);
        let mut out = Writes(Vec::new());
        assert_eq!(
            Response::page(405)
                .send(&mut out, true, false, &mut Vec::new())
                .unwrap(),
            0
        );
        assert!(
            out.0.concat().ends_with(b"Connection: close\r\n\r\n"),
            "HEAD: no body"
        );
    }
}
