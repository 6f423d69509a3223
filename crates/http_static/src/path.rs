//! From the request target (请求内容, `/files/hello.txt?x=1`) to a file under the root, without
//! ever leaving the root.
//!
//! Two steps. [`parse_target`] is pure: it drops the query, percent-decodes once, and accepts
//! only plain names between the slashes, so `..`, `%2e%2e`, `..%2f`, `\`, `C:` and NUL never get
//! near the file system. Then netcommon's [`Root`](netcommon::Root) opens the names beneath
//! the root folder and follows a symlink only while it stays beneath it, at the moment of the
//! open: a link `etc -> /etc` placed in the folder does not serve `/etc/passwd` (python
//! http.server, darkhttpd and nginx all would), not even if it is swapped in while a request is
//! on its way.

/// A cleaned request path: plain names, and whether it ended with `/` (asks for a folder).
#[derive(Debug, PartialEq)]
pub struct UrlPath {
    pub names: Vec<String>,
    pub folder: bool,
}

impl UrlPath {
    /// The path as a folder's URL, rebuilt from the cleaned names, percent-encoded, ending in
    /// `/`: always one `/` then a plain name, so a redirect to it can never be `//evil.example`
    /// (an open redirect, CPython CVE-2021-28861).
    pub fn folder_url(&self) -> String {
        let mut url = String::from("/");
        for name in &self.names {
            url.push_str(&encode(name));
            url.push('/');
        }
        url
    }
}

/// Cleans a request target. The error is the status to answer: 400 for what is not a path at all
/// (bad `%` escapes, bytes that are not UTF-8), 403 for a name that is not plain (`..`, `\`, ...).
// ANCHOR: parse_target
pub fn parse_target(target: &str) -> Result<UrlPath, u16> {
    // ANCHOR: hw_parse_target
    // Absolute form (`GET http://host/a HTTP/1.1`, what proxies get): keep only the path.
    let mut path = target;
    for scheme in ["http://", "https://"] {
        if path
            .get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
        {
            let rest = &path[scheme.len()..];
            path = rest.find('/').map_or("/", |i| &rest[i..]);
        }
    }
    let path = path.split(['?', '#']).next().unwrap_or_default(); // the query is ignored
    if !path.starts_with('/') {
        return Err(400);
    }
    // Decode once: `%252e` becomes the name `%2e`, never `.`.
    let decoded = percent_decode(path.as_bytes()).ok_or(400u16)?;
    let decoded = String::from_utf8(decoded).map_err(|_| 400u16)?;
    let rest = &decoded[1..];
    if rest.is_empty() {
        return Ok(UrlPath {
            names: Vec::new(),
            folder: true,
        });
    }
    let (body, folder) = match rest.strip_suffix('/') {
        Some(body) => (body, true),
        None => (rest, false),
    };
    let names: Vec<String> = body.split('/').map(String::from).collect();
    if !names.iter().all(|n| is_plain_name(n)) {
        return Err(403);
    }
    Ok(UrlPath { names, folder })
    // ANCHOR_END: hw_parse_target
}
// ANCHOR_END: parse_target

/// A name that means itself on every system, checked per decoded segment by netcommon's
/// [`check_name`](netcommon::path::check_name) with Windows' rules: not empty, `.` or `..`;
/// no `/`, `\` (so no `%5c`), `:` (`C:`, NTFS streams) or control characters (NUL, CR, LF);
/// no trailing `.` or space; no device name (`CON`, `nul.txt`, `COM1`).
pub fn is_plain_name(name: &str) -> bool {
    netcommon::path::check_name(name).is_ok()
}

/// `%41` → `A`. `None` for a `%` not followed by two hex digits.
fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None; // from_str_radix alone would take "+1"
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Percent-encodes a name for a URL: everything but letters, digits and `-._~`.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(target: &str) -> Result<Vec<String>, u16> {
        parse_target(target).map(|p| p.names)
    }

    #[test]
    fn plain_paths() {
        assert_eq!(
            parse_target("/"),
            Ok(UrlPath {
                names: vec![],
                folder: true
            })
        );
        assert_eq!(
            names("/a/b.txt?x=../..#frag"),
            Ok(vec!["a".into(), "b.txt".into()])
        );
        let p = parse_target("/files/").unwrap();
        assert_eq!((p.names.len(), p.folder), (1, true));
        assert_eq!(
            names("/%E4%BD%A0%E5%A5%BD.txt"),
            Ok(vec!["你好.txt".into()])
        );
        assert_eq!(names("/a%20b"), Ok(vec!["a b".into()]));
        assert_eq!(
            names("/..."),
            Err(403),
            "Windows drops trailing dots: ... is ."
        );
        assert_eq!(names("http://example.com/a?q"), Ok(vec!["a".into()]));
        assert_eq!(names("HTTP://example.com"), Ok(vec![]));
    }

    #[test]
    fn decoded_once_only() {
        assert_eq!(
            names("/%252e%252e/x"),
            Ok(vec!["%2e%2e".into(), "x".into()])
        );
        assert_eq!(names("/%25"), Ok(vec!["%".into()]));
    }

    #[test]
    fn hostile_paths_are_refused() {
        for bad in [
            "/..",
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/..%2fetc",
            "/a%2f..%2f..%2fb",
            "/.",
            "/a/./b",
            "//etc/passwd",
            "/a//b",
            "//",
            "/%2f",
            "/a%5c..%5cb",
            "/..\\..\\etc",
            "/C:/Windows",
            "/c%3a",
            "/a%00.html",
            "/a%0d%0aSet-Cookie:x",
            "/a%0a",
            "/x/%2e",
            "/%2e%2e%5c",
            "/%5c%5cserver%5cshare",
            "/%5c%5c%3f%5cC:%5cx",
            "/a.txt::$DATA",
            "/a.txt%3a%3a$DATA",
            "/CON",
            "/nul.txt",
            "/sub/com1.log",
            "/LPT1",
            "/a.txt.",
            "/a.txt%20",
        ] {
            assert_eq!(names(bad), Err(403), "{bad}");
        }
        for bad in [
            "", "*", "a/b", "/%", "/%4", "/%zz", "/%+1", "/%ff", "/%c0%af", "/%e4%bd", "http:/x",
        ] {
            assert_eq!(names(bad), Err(400), "{bad}");
        }
    }

    #[test]
    fn urls_are_rebuilt_clean() {
        let p = parse_target("/a%20b/%E4%BD%A0").unwrap();
        assert_eq!(p.folder_url(), "/a%20b/%E4%BD%A0/");
        assert_eq!(parse_target("/").unwrap().folder_url(), "/");
        assert_eq!(
            encode("<a href='x'>&\"?#"),
            "%3Ca%20href%3D%27x%27%3E%26%22%3F%23"
        );
    }
}
