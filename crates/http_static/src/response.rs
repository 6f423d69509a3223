//! 响应报文 (notes 000 "HTTP响应报文格式", 004 §2.4): the status line (响应行), the header lines
//! (响应头), the empty line and the body (响应体), written out in as few writes as possible; and
//! the small pure pieces a response needs: reason phrases, MIME types, dates, `Range`, and a
//! folder listing with every name escaped.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read, Write};
use std::ops;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

/// `Content-Type` from the file's extension (case does not matter). Text gets `charset=utf-8`,
/// so Chinese text shows right (the notes' forged response says `charset=gbk`).
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" | "text" | "log" | "rs" | "py" | "toml" | "c" | "h" | "sh" => {
            "text/plain; charset=utf-8"
        }
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An HTTP date, RFC 9110's IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[month as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Calls `f` with the current time as an HTTP date. The text changes once a second: each thread
/// keeps it and formats it again only when the second has changed.
fn with_date_now(f: impl FnOnce(&str)) {
    thread_local! {
        static DATE: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DATE.with_borrow_mut(|(second, text)| {
        if *second != secs {
            (*second, *text) = (secs, http_date(now));
        }
        f(text);
    });
}

/// Reads an IMF-fixdate back. Anything else, including the two obsolete formats RFC 9110 also
/// lists, is `None`: the condition is then ignored and the whole file sent, which is always safe.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 29
        || !DAYS.contains(&text.get(..3)?)
        || &b[3..5] != b", "
        || !text.ends_with(" GMT")
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let s = text.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let month = MONTHS.iter().position(|m| text.get(8..11) == Some(*m))? as u32 + 1;
    let (day, year) = (num(5..7)?, num(12..16)?);
    let (h, m, s) = (num(17..19)?, num(20..22)?, num(23..25)?);
    let seps = [(7, b' '), (11, b' '), (16, b' '), (19, b':'), (22, b':')];
    if seps.iter().any(|&(i, c)| b[i] != c)
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(year as i64, month, day as u32);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's `civil_from_days`: count in
/// 400-year eras of 146 097 days, with years starting in March so Feb 29 falls at the end.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1, 0..=365
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The inverse: (year, month, day) → days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12); // March is 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq)]
pub enum Range {
    /// No usable range (none, malformed, or several): send the whole file with 200.
    Whole,
    /// Bytes `first..=last`: 206 Partial Content.
    Part(u64, u64),
    /// A range that starts past the end: 416.
    Unsatisfiable,
}

/// One `bytes=first-last`, `bytes=first-` or `bytes=-suffix`. Several ranges would need a
/// multipart body: we send the whole file instead, which RFC 9110 allows.
pub fn parse_range(value: &str, len: u64) -> Range {
    let Some(spec) = value
        .get(..6)
        .filter(|u| u.eq_ignore_ascii_case("bytes="))
        .map(|_| value[6..].trim())
    else {
        return Range::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Range::Whole;
    };
    // Digits only; a number too big for u64 means "past any end".
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().unwrap_or(u64::MAX))
    };
    match (number(first), number(last)) {
        (None, Some(suffix)) if first.is_empty() => match suffix.min(len) {
            0 => Range::Unsatisfiable, // `-0`, or any suffix of an empty file
            n => Range::Part(len - n, len - 1),
        },
        (Some(first), None) if last.is_empty() && first < len => Range::Part(first, len - 1),
        (Some(first), Some(last)) if first <= last && first < len => {
            Range::Part(first, last.min(len - 1))
        }
        (Some(_), None) if last.is_empty() => Range::Unsatisfiable,
        (Some(first), Some(last)) if first <= last => Range::Unsatisfiable,
        _ => Range::Whole,
    }
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities, so a file named `<script>` stays a name.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page for a folder without `index.html`: `title` is its path, `entries` its (name, is a
/// folder) pairs. Each link is percent-encoded, then HTML-escaped; each name HTML-escaped.
pub fn listing(title: &str, entries: &[(String, bool)]) -> String {
    let title = html_escape(title);
    let mut page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of {title}</title></head>\n\
         <body><h1>Index of {title}</h1>\n<ul>\n"
    );
    if title != "/" {
        page.push_str("<li><a href=\"../\">../</a></li>\n");
    }
    for (name, folder) in entries {
        let slash = if *folder { "/" } else { "" };
        let href = html_escape(&crate::path::encode(name));
        let _ = writeln!(
            page,
            "<li><a href=\"{href}{slash}\">{}{slash}</a></li>",
            html_escape(name)
        );
    }
    page.push_str("</ul></body></html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_both_ways() {
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        let rfc_example = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(rfc_example), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(rfc_example)
        );
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(http_date(leap), "Tue, 29 Feb 2000 00:00:00 GMT");
        // Every day for 150 years, and a second before midnight: format, parse, same instant.
        for day in (0..55_000u64).step_by(7) {
            let t = UNIX_EPOCH + Duration::from_secs(day * 86_400 + 86_399);
            assert_eq!(parse_http_date(&http_date(t)), Some(t), "{}", http_date(t));
        }
    }

    #[test]
    fn bad_dates_are_ignored() {
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850, obsolete
            "Sun Nov  6 08:49:37 1994",       // asctime, obsolete
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT ",
            "Sun, 06 Xyz 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:+7 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sun, 06 Nov 19９4 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ranges() {
        use Range::*;
        assert_eq!(parse_range("bytes=0-9", 100), Part(0, 9));
        assert_eq!(parse_range("Bytes= 90-200 ", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=10-", 100), Part(10, 99));
        assert_eq!(parse_range("bytes=-10", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-1000", 100), Part(0, 99));
        assert_eq!(parse_range("bytes=99-99", 100), Part(99, 99));
        assert_eq!(
            parse_range("bytes=0-99999999999999999999999", 100),
            Part(0, 99)
        );
        for unsatisfiable in [
            "bytes=100-",
            "bytes=100-200",
            "bytes=-0",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(
                parse_range(unsatisfiable, 100),
                Unsatisfiable,
                "{unsatisfiable}"
            );
        }
        assert_eq!(parse_range("bytes=-5", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
        for ignored in [
            "",
            "bytes=",
            "bytes=-",
            "bytes=+1-0",
            "bytes=5-1",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes=1--2",
            "bytes=- 5",
        ] {
            assert_eq!(parse_range(ignored, 100), Whole, "{ignored}");
        }
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("index.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.b.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("app.wasm"), "application/wasm");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert_eq!(content_type(".bashrc"), "application/octet-stream");
    }

    #[test]
    fn listing_escapes_every_name() {
        let entries = [
            ("<script>alert('x')</script>&\".txt".to_string(), false),
            ("sub dir".to_string(), true),
        ];
        let page = listing("/a<b>/", &entries);
        assert!(
            page.contains("<title>Index of /a&lt;b&gt;/</title>"),
            "{page}"
        );
        assert!(!page.contains("<script>"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;.txt</a>"),
            "{page}"
        );
        assert!(
            page.contains("<a href=\"%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%26%22.txt\">"),
            "{page}"
        );
        assert!(
            page.contains("<a href=\"sub%20dir/\">sub dir/</a>"),
            "{page}"
        );
        assert!(page.contains("href=\"../\""));
        assert!(!listing("/", &[]).contains("../"));
    }

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
