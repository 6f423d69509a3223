//! A folder without `index.html` gets a page listing its files, like `python -m http.server`.
//! Why a real server needs care here: a file name is text from the disk put into HTML, so every
//! name is escaped (a file named `<script>` stays a name) and every link percent-encoded.

use std::fmt::Write as _;

use netcommon::Root;

use crate::path::{self as url, UrlPath};
use crate::response::{Body, Response};

/// A folder's listing, sorted by name. Names that could never be asked for (not UTF-8, or not
/// plain, like `a:b`) are left out.
pub fn response(folder: &Root, path: &UrlPath) -> Response {
    let Ok(names) = folder.list() else {
        return Response::page(403);
    };
    let mut entries: Vec<(String, bool)> = names
        .into_iter()
        .filter(|(name, _)| url::is_plain_name(name))
        .collect();
    entries.sort();
    let title: String = path.names.iter().map(|n| format!("{n}/")).collect();
    let page = listing(&format!("/{title}"), &entries);
    Response::new(200, Body::Bytes(page.into_bytes()))
        .header("Content-Type", "text/html; charset=utf-8")
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
        let href = html_escape(&url::encode(name));
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
}
