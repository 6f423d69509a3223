//! 组织响应 (notes 004 §2.5 主页访问): what a GET or HEAD gets back. A file; for a folder its
//! `index.html`, or a listing; a folder asked without its `/` is redirected to it; otherwise an
//! error page with the right status.

use std::fs::{File, Metadata};
use std::io::{self, Seek, SeekFrom};
use std::time::UNIX_EPOCH;

use netcommon::{Opened, Refused, Root};

use crate::cache::{self, Content};
use crate::path::{self as url, UrlPath};
use crate::ranges::{self, Range};
use crate::request::Request;
use crate::response::{Body, Response};
use crate::{dates, listing, mime};

/// The response to a request whose head (and body) were read and checked.
pub fn answer(req: &Request, root: &Root) -> Response {
    // 请求类别 (004 §2.3.2): a static server only reads. OPTIONS, POST, PUT, DELETE... get 405
    // and the list of what it does accept.
    if req.method != "GET" && req.method != "HEAD" {
        return Response::page(405).header("Allow", "GET, HEAD");
    }
    // 主页访问 (004 §2.5), the notes' case: `/` is the home page.
    if req.target == "/" {
        return home(req, root);
    }
    let path = match url::parse_target(&req.target) {
        Ok(path) => path,
        Err(status) => return Response::page(status),
    };
    // ANCHOR: hw_answer
    // Opened first, beneath the root, then checked: what is sent is what was checked.
    let folder = match root.open_names(&path.names) {
        Ok(Opened::File(file, meta)) if !path.folder => {
            return send_file(req, &path.names.join("/"), file, &meta)
        }
        Ok(Opened::File(..)) => return Response::page(404), // `/index.html/`: not a folder
        Ok(Opened::Folder(folder, _)) => folder,
        Err(why) => return Response::page(refused_status(&why)),
    };
    if !path.folder {
        // `/files` → `/files/`, so the page's relative links (`hello.txt`) point inside it.
        return Response::page(301).header("Location", path.folder_url());
    }
    // ANCHOR: index_html
    match folder.open_names(&["index.html"]) {
        Ok(Opened::File(file, meta)) => {
            let name = format!("{}/index.html", path.names.join("/"));
            send_file(req, &name, file, &meta)
        }
        _ => listing(&folder, &path),
    }
    // ANCHOR_END: index_html
    // ANCHOR_END: hw_answer
}

/// The home page: the root's `index.html`, or a listing of the root when it has none.
fn home(req: &Request, root: &Root) -> Response {
    // ANCHOR: hw_home
    match root.open_names(&["index.html"]) {
        Ok(Opened::File(file, meta)) => send_file(req, "index.html", file, &meta),
        _ => listing(
            root,
            &UrlPath {
                names: Vec::new(),
                folder: true,
            },
        ),
    }
    // ANCHOR_END: hw_home
}

/// 200 with the file; what this adds to the notes: 304 when the browser's copy is still good
/// (dates.rs), 206 for a `Range` and 416 for one past the end (ranges.rs). `name` is the file's
/// path under the root (`sub/a.html`), for the cache and the content type (mime.rs).
fn send_file(req: &Request, name: &str, file: File, meta: &Metadata) -> Response {
    // A small file comes from memory once it has been read (cache.rs); a large one is streamed.
    let content = match cache::content(name, file, meta) {
        Ok(content) => content,
        Err(e) => return Response::page(refused_status(&Refused::Io(e))),
    };
    let len = meta.len();
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let last_modified = dates::http_date(modified);
    if dates::not_modified(req.if_modified_since.as_deref(), modified) {
        return Response::new(304, Body::None).header("Last-Modified", last_modified);
    }
    let range = ranges::wanted(
        req.range.as_deref(),
        req.if_range.as_deref(),
        &last_modified,
        len,
    );
    let (status, first, last, content_range) = match range {
        Range::Whole => (200, 0, len, None),
        Range::Part(first, last) => (
            206,
            first,
            last + 1,
            Some(format!("bytes {first}-{last}/{len}")),
        ),
        Range::Unsatisfiable => {
            return Response::page(416).header("Content-Range", format!("bytes */{len}"));
        }
    };
    let body = match content {
        Content::Memory(bytes) => Body::Shared(bytes, first as usize..last as usize),
        Content::File(mut file) => {
            if first > 0 && file.seek(SeekFrom::Start(first)).is_err() {
                return Response::page(500);
            }
            Body::File(file, last - first)
        }
    };
    let mut response = Response::new(status, body)
        .header("Content-Type", mime::content_type(name))
        .header("Last-Modified", last_modified)
        .header("Accept-Ranges", "bytes");
    if let Some(content_range) = content_range {
        response = response.header("Content-Range", content_range);
    }
    response
}

/// A folder's listing, sorted by name (the page itself: listing.rs). Names that could never be
/// asked for (not UTF-8, or not plain, like `a:b`) are left out.
fn listing(folder: &Root, path: &UrlPath) -> Response {
    let Ok(names) = folder.list() else {
        return Response::page(403);
    };
    let mut entries: Vec<(String, bool)> = names
        .into_iter()
        .filter(|(name, _)| url::is_plain_name(name))
        .collect();
    entries.sort();
    let title: String = path.names.iter().map(|n| format!("{n}/")).collect();
    let page = listing::page(&format!("/{title}"), &entries);
    Response::new(200, Body::Bytes(page.into_bytes()))
        .header("Content-Type", "text/html; charset=utf-8")
}

/// Why a name was not opened, as a status: 403 for a way out of the root, a FIFO or a device,
/// or what we may not read; 503 when the server is out of file descriptors (EMFILE, ENFILE: try
/// again later); 404 for anything else (missing, a file where a folder was expected, a symlink
/// loop).
fn refused_status(why: &Refused) -> u16 {
    match why {
        Refused::Outside | Refused::NotAFile => 403,
        Refused::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => 403,
        Refused::Io(e) if netcommon::out_of_files(e) => 503,
        Refused::Io(_) => 404,
    }
}
