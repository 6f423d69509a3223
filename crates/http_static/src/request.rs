//! 请求报文 (notes 000 "HTTP请求报文格式", 004 §2.3): read one request from the connection, the
//! request line (请求行), the header lines (请求头) and the empty line (空行), with limits, and
//! check it the way RFC 9112 asks. Then the body (请求体), which a static server never needs: it
//! is read and dropped, or refused, so it can never be taken for the next request.
//!
//! The notes read a request with one `recv(2048)`. A request may arrive in pieces, or two may
//! arrive in one piece (pipelining, or 黏包 again), so we read lines from a `BufReader` until the
//! empty line, and whatever the reader holds beyond it stays there for the next request.

use std::io::{self, BufRead, BufReader, Read};

use netcommon::printable;

use crate::limits::MAX_REQUEST_LINE;
use crate::limits::{WholeRequest, MAX_BODY, MAX_EMPTY_LINES, MAX_HEADERS, MAX_HEADER_BYTES};

/// At most this many characters of a request line in the access log.
const LOG_LINE_MAX: usize = 300;

/// Why no request can be answered normally.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// The client closed, reset, or stayed silent before sending anything: close without a word.
    Quiet,
    /// Answer with this status, then close: what follows on the connection cannot be trusted.
    Answer(u16),
}

/// The parts of a request head a static file server uses.
#[derive(Debug, Default, PartialEq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub http11: bool,
    /// HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0 closes it unless
    /// `Connection: keep-alive` (notes 000 长连接和短连接).
    pub keep_alive: bool,
    pub content_length: u64,
    pub transfer_encoding: bool,
    pub expect_continue: bool,
    pub if_modified_since: Option<String>,
    pub range: Option<String>,
    pub if_range: Option<String>,
}

/// Reads one request from the connection: the head, however many reads it takes, checked;
/// then the body, dropped, or kept in `body` for `--dump`. The `bool` says whether the body was
/// read: when it was not (the client waits for `100 Continue`), the connection must close.
pub fn read<R: Read>(
    conn: &mut BufReader<WholeRequest<R>>,
    head: &mut Vec<u8>,
    mut body: Option<&mut Vec<u8>>,
) -> Result<(Request, bool), Stop> {
    conn.get_mut().restart(); // the head's clock starts with its first byte
    if let Some(body) = body.as_deref_mut() {
        body.clear();
    }
    read_head(conn, head)?;
    let req = parse(head).map_err(Stop::Answer)?;
    let body_read = skip_body(conn, &req, body)?;
    Ok((req, body_read))
}

/// Reads one request head (request line to empty line, line endings included) into `head`.
// ANCHOR: read_head
pub fn read_head(conn: &mut impl BufRead, head: &mut Vec<u8>) -> Result<(), Stop> {
    head.clear();
    for _ in 0..=MAX_EMPTY_LINES {
        read_line(conn, head, MAX_REQUEST_LINE, 414)?;
        if !is_empty_line(head) {
            break;
        }
        head.clear();
    }
    if head.is_empty() {
        return Err(Stop::Answer(400)); // nothing but empty lines
    }
    let headers_start = head.len();
    for _ in 0..=MAX_HEADERS {
        let start = head.len();
        let room = MAX_HEADER_BYTES.saturating_sub(start - headers_start);
        read_line(conn, head, room, 431)?;
        if is_empty_line(&head[start..]) {
            return Ok(());
        }
    }
    Err(Stop::Answer(431))
}
// ANCHOR_END: read_head

/// Appends one line (up to and including `\n`) of at most `limit` bytes; a longer one is
/// answered with `too_long`.
fn read_line(
    conn: &mut impl BufRead,
    head: &mut Vec<u8>,
    limit: usize,
    too_long: u16,
) -> Result<(), Stop> {
    let before = head.len();
    let result = conn.by_ref().take(limit as u64).read_until(b'\n', head);
    let got = head.len() - before;
    match result {
        Ok(_) if head.last() == Some(&b'\n') && got > 0 => Ok(()),
        Ok(_) if got == limit => Err(Stop::Answer(too_long)),
        // The client closed in the middle of a request (or between two): nobody to answer.
        Ok(_) => Err(Stop::Quiet),
        // Silent too long: quietly if nothing of this request came yet (an idle keep-alive
        // connection), else 408 Request Timeout.
        Err(e) if netcommon::is_timeout(&e) && !head.is_empty() => Err(Stop::Answer(408)),
        Err(_) => Err(Stop::Quiet),
    }
}

fn is_empty_line(line: &[u8]) -> bool {
    line == b"\r\n" || line == b"\n"
}

/// The request line for the access log, also when it is malformed: without its line ending,
/// escaped by [`printable`], cut after `LOG_LINE_MAX` characters.
pub fn log_line(head: &[u8]) -> String {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    printable(line.strip_suffix(b"\r").unwrap_or(line), LOG_LINE_MAX)
}

/// The request as the notes' request viewer prints it (004 2.3.4 `print(data.decode())`): the
/// head line by line, the empty line included, then the body if there is one; control
/// characters escaped.
pub fn dump(head: &[u8], body: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| printable(l.as_bytes(), usize::MAX))
        .collect();
    if !body.is_empty() {
        lines.extend(
            String::from_utf8_lossy(body)
                .lines()
                .map(|l| printable(l.as_bytes(), usize::MAX)),
        );
    }
    lines.join("\n") // without a body, ends with the empty line's "\n"; the log adds the last one
}

/// Checks a head read by [`read_head`] and picks out what we need; the error is the status
/// to answer with (400 or 505).
pub fn parse(head: &[u8]) -> Result<Request, u16> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let (method, target, http11) = request_line(lines.next().unwrap_or_default())?;
    let mut req = Request {
        method,
        target,
        http11,
        ..Request::default()
    };
    // 请求头: `Name: value` lines until the empty line.
    let (mut hosts, mut length, mut close, mut keep) = (0, None, false, false);
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = parse_header(line)?;
        let text = || String::from_utf8_lossy(value).into_owned();
        match name.to_ascii_lowercase().as_slice() {
            b"host" => hosts += 1,
            b"content-length" if length.is_some() => return Err(400),
            b"content-length" => length = Some(parse_length(value)?),
            b"transfer-encoding" => req.transfer_encoding = true,
            b"connection" => {
                for token in value.split(|&b| b == b',').map(trim) {
                    close |= token.eq_ignore_ascii_case(b"close");
                    keep |= token.eq_ignore_ascii_case(b"keep-alive");
                }
            }
            b"expect" => req.expect_continue = value.eq_ignore_ascii_case(b"100-continue"),
            b"if-modified-since" => req.if_modified_since = Some(text()),
            b"range" => req.range = Some(text()),
            b"if-range" => req.if_range = Some(text()),
            _ => {}
        }
    }
    // HTTP/1.1 needs exactly one Host (RFC 9112 §3.2); a body framed two ways could be read
    // one way here and another way by a proxy in front of us (request smuggling).
    if (http11 && hosts != 1) || hosts > 1 || (req.transfer_encoding && length.is_some()) {
        return Err(400);
    }
    req.content_length = length.unwrap_or(0);
    // ANCHOR: keep_alive
    req.keep_alive = !close && (http11 || keep);
    // ANCHOR_END: keep_alive
    Ok(req)
}

/// 请求行 (004 §2.3.2): `METHOD TARGET VERSION`, like `GET /index.html HTTP/1.1`. Returns the
/// method, the target, and whether the version is HTTP/1.1; the error is the status to answer.
fn request_line(line: &[u8]) -> Result<(String, String, bool), u16> {
    // ANCHOR: hw_request_line
    // Three parts, single spaces, nothing else.
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(400);
    };
    if !is_token(method) || target.is_empty() || !target.iter().all(|b| b.is_ascii_graphic()) {
        return Err(400);
    }
    let http11 = match version {
        b"HTTP/1.1" => true,
        b"HTTP/1.0" => false,
        v if v.starts_with(b"HTTP/")
            && v.len() > 5
            && v[5..].iter().all(|b| b.is_ascii_digit() || *b == b'.') =>
        {
            return Err(505)
        }
        _ => return Err(400),
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Ok((text(method), text(target), http11))
    // ANCHOR_END: hw_request_line
}

/// `Name: value`. No space before the colon, no folded line (one starting with a space),
/// no control characters in the value; spaces around the value are dropped.
fn parse_header(line: &[u8]) -> Result<(&[u8], &[u8]), u16> {
    let colon = line.iter().position(|&b| b == b':').ok_or(400u16)?;
    let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
    let bad_byte = |b: &u8| b.is_ascii_control() && *b != b'\t';
    if !is_token(name) || value.iter().any(bad_byte) {
        return Err(400);
    }
    Ok((name, value))
}

/// Content-Length: digits only (no sign, no spaces, no list like "5, 5").
fn parse_length(value: &[u8]) -> Result<u64, u16> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(400);
    }
    std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or(400)
}

/// A method or header name: RFC 9110's `token`, letters, digits and ``!#$%&'*+-.^_`|~``.
fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn trim(s: &[u8]) -> &[u8] {
    let is_space = |b: &u8| *b == b' ' || *b == b'\t';
    let start = s.iter().position(|b| !is_space(b)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &s[start..end]
}

/// Reads the body (within the head's deadline) and drops it, or keeps it in `keep` for
/// `--dump`, so the next request starts where it should. `Ok(false)`: the body was left unread
/// (the client waits for `100 Continue`), so the connection must close.
pub fn skip_body(
    conn: &mut impl BufRead,
    req: &Request,
    keep: Option<&mut Vec<u8>>,
) -> Result<bool, Stop> {
    if req.transfer_encoding {
        return Err(Stop::Answer(411)); // chunked: we do not decode it, we ask for a length
    }
    if req.content_length > MAX_BODY {
        return Err(Stop::Answer(413));
    }
    if req.content_length == 0 {
        return Ok(true);
    }
    if req.expect_continue {
        return Ok(false); // answer at once with the final status (RFC 9110 §10.1.1), then close
    }
    let mut body = conn.take(req.content_length);
    let copied = match keep {
        Some(keep) => io::copy(&mut body, keep),
        None => io::copy(&mut body, &mut io::sink()),
    };
    match copied {
        Ok(n) if n == req.content_length => Ok(true),
        Err(e) if netcommon::is_timeout(&e) => Err(Stop::Answer(408)),
        _ => Err(Stop::Quiet),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn head(bytes: &[u8]) -> Result<Vec<u8>, Stop> {
        let mut conn = BufReader::new(bytes);
        let mut out = Vec::new();
        read_head(&mut conn, &mut out).map(|()| out)
    }

    fn req(text: &str) -> Result<Request, u16> {
        parse(text.as_bytes())
    }

    #[test]
    fn reads_a_head_and_leaves_the_next_request() {
        let two = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        let mut conn = BufReader::new(&two[..]);
        let mut out = Vec::new();
        read_head(&mut conn, &mut out).unwrap();
        assert_eq!(out, b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        read_head(&mut conn, &mut out).unwrap();
        assert_eq!(log_line(&out), "GET /b HTTP/1.1");
        assert_eq!(read_head(&mut conn, &mut out), Err(Stop::Quiet)); // closed between requests
    }

    #[test]
    fn head_limits_and_endings() {
        assert!(head(b"\r\nGET / HTTP/1.0\n\n").is_ok()); // a stray CRLF first; bare LF endings
        assert_eq!(head(b"\r\n\r\n\r\n\r\n\r\n\r\n"), Err(Stop::Answer(400)));
        assert_eq!(head(b"GET / HTTP/1.1\r\nHost: x\r\n"), Err(Stop::Quiet)); // cut short
        assert_eq!(head(b""), Err(Stop::Quiet));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(head(long.as_bytes()), Err(Stop::Answer(414)));
        let ok = format!(
            "GET /{} HTTP/1.1\r\n\r\n",
            "a".repeat(MAX_REQUEST_LINE - 17)
        );
        assert!(head(ok.as_bytes()).is_ok(), "exactly the limit");
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEADER_BYTES)
        );
        assert_eq!(head(big.as_bytes()), Err(Stop::Answer(431)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(many.as_bytes()), Err(Stop::Answer(431)));
        let enough = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(MAX_HEADERS));
        assert!(head(enough.as_bytes()).is_ok());
    }

    #[test]
    fn a_good_request() {
        let r = req(
            "GET /index.html?x=1 HTTP/1.1\r\nHost: a\r\nRange:  bytes=0-9 \r\nIf-Range: x\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (r.method.as_str(), r.target.as_str(), r.http11, r.keep_alive),
            ("GET", "/index.html?x=1", true, true)
        );
        assert_eq!(
            (r.range.as_deref(), r.if_range.as_deref()),
            (Some("bytes=0-9"), Some("x"))
        );
        let r = req("HEAD / HTTP/1.0\r\n\r\n").unwrap(); // HTTP/1.0 needs no Host
        assert!(!r.http11 && !r.keep_alive);
    }

    #[test]
    fn keep_alive_rules() {
        assert!(
            !req("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        assert!(
            !req("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        assert!(
            req("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        assert!(
            !req("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n")
                .unwrap()
                .keep_alive
        );
    }

    #[test]
    fn bad_request_lines() {
        for bad in [
            "GET  / HTTP/1.1",
            "GET / HTTP/1.1 ",
            "GET /",
            "GET / HTTP/1.1 x",
            "G(T / HTTP/1.1",
            "GET /a\x01b HTTP/1.1",
            "GET /\u{e9} HTTP/1.1",
            "GET / http/1.1",
            "GET / HTTP/",
            "GET\t/ HTTP/1.1",
            "",
        ] {
            assert_eq!(
                req(&format!("{bad}\r\nHost: a\r\n\r\n")),
                Err(400),
                "{bad:?}"
            );
        }
        for version in ["HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3"] {
            assert_eq!(
                req(&format!("GET / {version}\r\nHost: a\r\n\r\n")),
                Err(505),
                "{version}"
            );
        }
    }

    #[test]
    fn bad_headers() {
        for bad in [
            "Host : a",           // space before the colon
            "Host: a\r\n folded", // a folded line
            "Host: a\r\n\tfolded",
            "no colon",
            ": empty name",
            "Host: a\r\nHost: b",     // two Hosts
            "X-A: a\x00b\r\nHost: a", // NUL in a value
            "X-A: a\rb\r\nHost: a",   // a bare CR
            "Host: a\r\nContent-Length: 5\r\nContent-Length: 5",
            "Host: a\r\nContent-Length: -1",
            "Host: a\r\nContent-Length: 1 2",
            "Host: a\r\nContent-Length: 0x10",
            "Host: a\r\nContent-Length:",
            "Host: a\r\nContent-Length: 99999999999999999999999",
            "Host: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked",
            "", // HTTP/1.1 without Host
        ] {
            assert_eq!(
                req(&format!("GET / HTTP/1.1\r\n{bad}\r\n\r\n")),
                Err(400),
                "{bad:?}"
            );
        }
        let r = req("GET / HTTP/1.1\r\nhOsT: a\r\nContent-Length: 007\r\n\r\n").unwrap();
        assert_eq!(r.content_length, 7);
    }

    #[test]
    fn bodies_are_skipped_or_refused() {
        let wire = b"abcdeGET";
        let mut conn = BufReader::new(WholeRequest::new(&wire[..], Duration::from_secs(5)));
        let mut r = Request {
            content_length: 5,
            ..Request::default()
        };
        assert_eq!(skip_body(&mut conn, &r, None), Ok(true));
        let mut rest = String::new();
        conn.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "GET", "the next request is untouched");
        let mut kept = Vec::new();
        let mut conn = BufReader::new(&b"name=\xe5\xbc\xa0GET"[..]);
        r.content_length = 8;
        assert_eq!(skip_body(&mut conn, &r, Some(&mut kept)), Ok(true));
        assert_eq!(kept, "name=张".as_bytes(), "kept for --dump");
        let mut conn = BufReader::new(&b"ab"[..]);
        assert_eq!(
            skip_body(&mut conn, &r, None),
            Err(Stop::Quiet),
            "cut short"
        );
        r.expect_continue = true;
        assert_eq!(skip_body(&mut conn, &r, None), Ok(false));
        r.content_length = MAX_BODY + 1;
        assert_eq!(skip_body(&mut conn, &r, None), Err(Stop::Answer(413)));
        r.transfer_encoding = true;
        assert_eq!(skip_body(&mut conn, &r, None), Err(Stop::Answer(411)));
    }

    #[test]
    fn printable_log_text() {
        assert_eq!(printable(b"GET / HTTP/1.1", 100), "GET / HTTP/1.1");
        assert_eq!(
            printable(b"a\r\nb\"c\\\x00\x1b\xff", 100),
            "a\\r\\nb\\\"c\\\\\\u{0}\\u{1b}\u{fffd}"
        );
        assert_eq!(printable("你好世界".as_bytes(), 2), "你好...");
    }

    #[test]
    fn dump_shows_the_head_line_by_line() {
        let head = b"GET / HTTP/1.1\r\nHost: a\x1b\r\n\r\n";
        assert_eq!(dump(head, b""), "GET / HTTP/1.1\nHost: a\\u{1b}\n");
        let post = b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n";
        assert_eq!(
            dump(post, "a=1\nb=张".as_bytes()),
            "POST / HTTP/1.1\nContent-Length: 9\n\na=1\nb=张"
        );
    }
}
