//! 组织响应 (notes 004 §2.5 主页访问): what a GET or HEAD gets back. A file; for a folder its
//! `index.html`, or a listing; a folder asked without its `/` is redirected to it; otherwise an
//! error page with the right status.

use std::fs::{self, Metadata};
use std::io::{self, Seek, SeekFrom};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cache::{self, Content};
use crate::path::{self as url, UrlPath};
use crate::request::Request;
use crate::response::{self, Body, Range, Response};

/// The response to a request whose head (and body) were read and checked.
pub fn answer(req: &Request, root: &Path) -> Response {
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
    let (found, meta) = match url::resolve(root, &path.names) {
        Ok(Some(found)) => found,
        Ok(None) => return Response::page(403), // a symlink leading out of the root
        Err(e) => return Response::page(io_status(&e)),
    };
    if meta.is_dir() {
        if !path.folder {
            // `/files` → `/files/`, so the page's relative links (`hello.txt`) point inside it.
            return Response::page(301).header("Location", path.folder_url());
        }
        let mut index = path.names.clone();
        // ANCHOR: index_html
        index.push("index.html".into());
        // ANCHOR_END: index_html
        return match url::resolve(root, &index) {
            Ok(Some((file, meta))) if meta.is_file() => send_file(req, &file, &meta),
            _ => listing(&found, &path),
        };
    }
    if path.folder {
        return Response::page(404); // `/index.html/`: a file is not a folder
    }
    if !meta.is_file() {
        return Response::page(403); // a FIFO or a device: opening it could block forever
    }
    send_file(req, &found, &meta)
    // ANCHOR_END: hw_answer
}

/// The home page: the root's `index.html`, or a listing of the root when it has none.
fn home(req: &Request, root: &Path) -> Response {
    // ANCHOR: hw_home
    let index = ["index.html".to_string()];
    match url::resolve(root, &index) {
        Ok(Some((file, meta))) if meta.is_file() => send_file(req, &file, &meta),
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

/// 200 with the file, 304 when the browser's copy is still good, 206 for a `Range`, 416 for a
/// range past the end.
fn send_file(req: &Request, path: &Path, meta: &Metadata) -> Response {
    // A small file comes from memory once it has been read (cache.rs); a large one is streamed.
    let content = match cache::open(path, meta) {
        Ok(content) => content,
        Err(e) => return Response::page(io_status(&e)),
    };
    let len = meta.len();
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let last_modified = response::http_date(modified);
    let since = req
        .if_modified_since
        .as_deref()
        .and_then(response::parse_http_date);
    if since.is_some_and(|since| seconds(modified) <= seconds(since)) {
        return Response::new(304, Body::None).header("Last-Modified", last_modified);
    }
    // `If-Range`: the range is only valid for the version the client has.
    let range = match (&req.range, &req.if_range) {
        (Some(range), None) => response::parse_range(range, len),
        (Some(range), Some(version)) if *version == last_modified => {
            response::parse_range(range, len)
        }
        _ => Range::Whole,
    };
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
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut response = Response::new(status, body)
        .header("Content-Type", response::content_type(&name))
        .header("Last-Modified", last_modified)
        .header("Accept-Ranges", "bytes");
    if let Some(content_range) = content_range {
        response = response.header("Content-Range", content_range);
    }
    response
}

/// A folder's listing, sorted by name. Names that could never be asked for (not UTF-8, or not
/// plain, like `a:b`) are left out.
fn listing(folder: &Path, path: &UrlPath) -> Response {
    let Ok(read) = fs::read_dir(folder) else {
        return Response::page(403);
    };
    let mut entries: Vec<(String, bool)> = read
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let is_folder = entry.path().is_dir();
            url::is_plain_name(&name).then_some((name, is_folder))
        })
        .collect();
    entries.sort();
    let title: String = path.names.iter().map(|n| format!("{n}/")).collect();
    let page = response::listing(&format!("/{title}"), &entries);
    Response::new(200, Body::Bytes(page.into_bytes()))
        .header("Content-Type", "text/html; charset=utf-8")
}

/// A file-system error as a status: 403 when we may not read it, 503 when the server is out of
/// file descriptors (EMFILE, ENFILE: try again later), 404 for anything else (missing, a file
/// where a folder was expected, a symlink loop).
fn io_status(e: &io::Error) -> u16 {
    if e.kind() == io::ErrorKind::PermissionDenied {
        403
    } else if crate::conn::out_of_files(e) {
        503
    } else {
        404
    }
}

/// HTTP dates have whole seconds; file times have nanoseconds.
fn seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
