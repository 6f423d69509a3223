//! A folder without `index.html` gets a page listing its files, like `python -m http.server`.
//! Why a real server needs care here: a file name is text from the disk put into HTML, so every
//! name is escaped (a file named `<script>` stays a name) and every link percent-encoded.

use std::fmt::Write as _;

use crate::path as url;

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
pub fn page(title: &str, entries: &[(String, bool)]) -> String {
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
        let text = page("/a<b>/", &entries);
        assert!(
            text.contains("<title>Index of /a&lt;b&gt;/</title>"),
            "{text}"
        );
        assert!(!text.contains("<script>"), "{text}");
        assert!(
            text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;.txt</a>"),
            "{text}"
        );
        assert!(
            text.contains("<a href=\"%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%26%22.txt\">"),
            "{text}"
        );
        assert!(
            text.contains("<a href=\"sub%20dir/\">sub dir/</a>"),
            "{text}"
        );
        assert!(text.contains("href=\"../\""));
        assert!(!page("/", &[]).contains("../"));
    }
}
