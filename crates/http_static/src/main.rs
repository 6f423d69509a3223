//! # http_static: a small HTTP/1.1 static file server (主页访问)
//!
//! Notes 000 "HTTP协议概述" to "长连接和短连接" (request and response format, `python -m
//! http.server 80`, the forged response) and notes 004 §2 "HTTP 协议": 2.3 请求 (2.3.4, the
//! request viewer, is `--dump`), 2.4 响应 and 响应码, 2.5 案例：主页访问. Underneath are the TCP
//! server's steps (socket, bind, listen, accept, recv, send, close); HTTP says what travels.
//!
//! ```text
//! terminal 1:  cargo run -p http_static                      (serves crates/http_static/site/)
//!              cargo run -p http_static -- --root . --dump   (any folder; print every request)
//! terminal 2:  curl -v http://127.0.0.1:8888/                (or open it in a browser)
//!              curl -I http://127.0.0.1:8888/style.css       (HEAD: the response head only)
//! ```
//!
//! The notes' steps: this file has 1. socket, bind, listen; 2. accept; 3. a thread per
//! connection; `serve.rs` has one connection's 4. recv the request; 5. answer it; 6. close.
//! `usage.rs` reads the command line (`options()`). Beside them, the notes' parts:
//! `request.rs` reads and checks a request (请求报文), `path.rs` turns its path into a file
//! under the root, `answer.rs` picks the response and `response.rs` writes it (响应报文). The
//! extras a real server needs are modules named for what they add: `limits.rs`, `cache.rs`,
//! `dates.rs`, `ranges.rs`, `mime.rs`, `listing.rs`; how many connections at once is netcommon's
//! registry (`Clients`), shared with tcp_multi_server.
//!
//! What this adds to the notes (and to `python -m http.server`), and why:
//! - One `recv(2048)` is not one request: it may hold half of one, or two. We read lines up to
//!   the empty line, with limits (414, 431), and keep what follows for the next request.
//! - "无连接：每次连接只处理一个请求" (004 §2.2) is HTTP/1.0, which python's server still speaks.
//!   HTTP/1.1 keeps the connection (长连接) unless `Connection: close`, and requests sent back to
//!   back (pipelined) are answered in order.
//! - The forged response's `Content-Length: 20` is counted by hand (and right only in GBK). Here
//!   it is computed from the body, and every response has one.
//! - A client that says nothing holds the notes' server forever: here each connection has its own
//!   thread, an idle one is closed after `--keep-alive` seconds, a slow head after `--head-timeout`, and
//!   when all places are taken the connection idle the longest makes room for a new one.
//! - `python -m http.server 80` shows your folder to the whole network (0.0.0.0), follows
//!   symlinks out of it and, before CVE-2021-28861 was fixed, redirected `//evil.example/` there.
//!   Here: 127.0.0.1 by default, and paths stay inside the root, symlinks included.
//! - 004 §2.4.3's 103 is "Early Hints" and 308 "Permanent Redirect" (RFC 8297, RFC 9110).

mod answer;
mod cache;
mod dates;
mod limits;
mod listing;
mod mime;
mod path;
mod ranges;
mod request;
mod response;
mod serve;
mod usage;

use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;
use std::{process::ExitCode, sync::Arc, thread};

use anyhow::{Context, Result};
use netcommon::lang::describe;
use netcommon::log::log;
use netcommon::{announce_listening, out_of_files, tr};
use netcommon::{no_thread, AcceptErrors, Clients};

use response::Response;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `s.bind(("127.0.0.1", 8888))`: the notes' request viewer (004 2.3.4).
const DEFAULT_BIND: &str = "127.0.0.1:8888";
/// The sample site shipped with this lesson.
const DEFAULT_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/site");
/// An idle connection (no new request) is closed after this unless `--keep-alive` says
/// otherwise; also the limit of any one read.
const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// A whole request head (and body) must arrive within this of its first byte, else 408.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that stops reading our response is dropped after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Before closing, what the client still sends is read and dropped for at most this long.
const LINGER: Duration = Duration::from_secs(2);
/// Each connection thread's stack: our buffers live on the heap, so a small stack is plenty.
const STACK_SIZE: usize = 256 * 1024;

fn main() -> ExitCode {
    // Read once: the default goes into --help, and is used when --threads is not given.
    // A connection holds two descriptors for its socket (its own and the registry's handle)
    // and, while it sends, one for its file.
    let (default_threads, why) = netcommon::default_max_clients(3);
    let usage = netcommon::pick(USAGE_ZH, USAGE_EN).replace("THREADS", &why);
    netcommon::run(&usage, |args| http_static(options(args, default_threads)?))
}

fn http_static(options: Options) -> Result<()> {
    let bind = &options.bind;
    // ANCHOR: bind_listen
    // 1. socket + bind + listen (创建套接字, 绑定地址, 监听): TcpListener::bind does all three.
    let listener = TcpListener::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;
    // What this adds to the notes: at most --threads connections (netcommon's registry, as in
    // tcp_multi_server). When all are taken, the one that has waited longest for its client
    // (idle between requests) makes room; one answering a request is never cut off.
    let clients = Clients::new(options.threads, Duration::ZERO, Some("--threads"));
    let options = Arc::new(options);
    let mut errors = AcceptErrors::logging_with(log);
    loop {
        // ANCHOR: accept
        // 2. accept 等待客户端 (a browser) 连接.
        let accepted = listener.accept();
        // ANCHOR_END: accept
        if accepted.as_ref().is_err_and(out_of_files) {
            close_to_make_room(clients.make_room()); // out of descriptors: an idle one goes
        }
        let Some((stream, peer)) = errors.accepted(accepted) else {
            continue; // logged at most once a second, after a short pause
        };
        // ANCHOR: thread
        // 3. A thread per connection, so a slow or silent client only holds up itself. The
        // registry keeps a second handle (try_clone) to shut down if it must make room.
        let handle = stream.try_clone();
        if handle.as_ref().is_err_and(out_of_files) {
            close_to_make_room(clients.make_room()); // this one gets 503, the next a place
        }
        let Some((client, made_room)) = clients.admit(handle, peer) else {
            // Every connection busy answering, or no descriptor for try_clone: 503 at once,
            // never a wait (the new socket's send buffer is empty, so it cannot block), close.
            let page = Response::page(503).header("Retry-After", "1");
            if let Ok(sent) = page.send(&mut &stream, false, false, &mut Vec::new()) {
                log(format_args!("{peer} \"-\" 503 {sent}"));
            }
            let _ = stream.shutdown(Shutdown::Write);
            continue;
        };
        close_to_make_room(made_room);
        client.touch(); // waiting for its first request, like an idle keep-alive connection
        let options = Arc::clone(&options);
        let spawned = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(move || {
                // The place is given back when this thread ends (`client` is dropped).
                if let Err(e) = serve::serve(&stream, peer, &client, &options) {
                    // this connection ends; the server goes on
                    log(format_args!("{peer} {}", describe(&e.into())));
                }
            });
        // ANCHOR_END: thread
        if let Err(e) = spawned {
            log(format_args!("{}", no_thread(peer, &e))); // closed; the server goes on
        }
    }
}

/// Shuts down the connection that left the registry to make room (when every place is taken,
/// or `accept` or `try_clone` ran out of file descriptors): its thread's read returns 0 at once.
fn close_to_make_room(old: Option<TcpStream>) {
    if let Some(old) = old {
        let _ = old.shutdown(Shutdown::Both);
    }
}
