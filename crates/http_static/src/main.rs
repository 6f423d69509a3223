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
//! The pieces: this file binds, accepts and starts a thread per connection (steps 1 to 3);
//! `serve.rs` is one connection's loop (steps 4 to 7); `request.rs` reads and checks a request,
//! `path.rs` turns its path into a file under the root, `answer.rs` picks the response,
//! `response.rs` writes it, and `conn.rs` looks after the connections and the log.
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
mod conn;
mod path;
mod request;
mod response;
mod serve;

use std::net::TcpListener;
use std::time::Duration;
use std::{process::ExitCode, sync::Arc, thread};

use anyhow::{Context, Result};
use conn::{log, refuse, Conns};
use netcommon::lang::{describe, io_error};
use netcommon::{
    announce_listening, check_addr, out_of_files, tr, usage_error, AcceptErrors, Args, Root,
};

mod usage;
use usage::{USAGE_EN, USAGE_ZH};

/// `s.bind(("127.0.0.1", 8888))`: the notes' request viewer (004 2.3.4).
// ANCHOR: default_bind
const DEFAULT_BIND: &str = "127.0.0.1:8888";
// ANCHOR_END: default_bind
/// The sample site shipped with this lesson.
const DEFAULT_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/site");
/// An idle connection (no new request) is closed after this unless `--keep-alive` says
/// otherwise; also the limit of any one read.
const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// A whole request head (and body) must arrive within this of its first byte, else 408.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that stops reading our response is dropped after this.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Each connection thread's stack: our buffers live on the heap, so a small stack is plenty.
const STACK_SIZE: usize = 256 * 1024;

fn main() -> ExitCode {
    // Read once: the default goes into --help, and is used when --threads is not given.
    // A connection holds a descriptor for its socket and, while it sends, one for its file.
    let (default_threads, why) = netcommon::default_max_clients(2);
    let usage = netcommon::pick(USAGE_ZH, USAGE_EN).replace("THREADS", &why);
    netcommon::run(&usage, |args| http_static(args, default_threads))
}

fn http_static(mut args: Args, default_threads: usize) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let root = args.value_or("--root", DEFAULT_ROOT)?;
    let threads = args.parsed("--threads")?.unwrap_or(default_threads);
    let keep_alive = args.seconds("--keep-alive")?.unwrap_or(KEEP_ALIVE);
    let head_timeout = args.seconds("--head-timeout")?.unwrap_or(HEAD_TIMEOUT);
    let dump = args.flag("--dump");
    if threads == 0 {
        return usage_error(tr!("--threads 至少是 1", "--threads must be at least 1"));
    }
    if let Some(extra) = args.finish()?.first() {
        return usage_error(tr!("多余的参数 {extra:?}", "unexpected argument {extra:?}"));
    }
    // The root folder, opened once: every name asked for is opened beneath it, never outside.
    let root = Root::open(root.as_ref()).with_context(|| {
        tr!(
            "根目录 {root}（用 --root 给一个存在的文件夹）",
            "root folder {root}"
        )
    })?;
    let root = Arc::new(root);

    // ANCHOR: bind_listen
    // 1. socket + bind + listen (创建套接字, 绑定地址, 监听): TcpListener::bind does all three.
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;
    let conns = Arc::new(Conns::new(threads));
    let mut errors = AcceptErrors::logging_with(log);
    loop {
        // ANCHOR: accept
        // 2. accept 等待客户端 (a browser) 连接.
        let (stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                errors.failed(&e); // logged at most once a second, then a short pause
                if out_of_files(&e) {
                    conns.make_room();
                }
                continue;
            }
        };
        // ANCHOR_END: accept
        errors.succeeded();
        // ANCHOR: thread
        // 3. A thread per connection, so a slow or silent client only holds up itself.
        let place = match conns.admit(stream, peer) {
            Ok(place) => place,
            Err(stream) => {
                refuse(&stream, peer); // every connection busy answering: 503, never a wait
                continue;
            }
        };
        // ANCHOR_END: thread
        let (root, deadlines) = (Arc::clone(&root), (keep_alive, head_timeout));
        let spawned = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(move || {
                // The place is given back when this thread ends.
                if let Err(e) = serve::serve(&place.conn, &place.conns, &root, deadlines, dump) {
                    // this connection ends; the server goes on
                    log(format_args!("{peer} {}", describe(&e.into())));
                }
            });
        if let Err(e) = spawned {
            let e = io_error(&e);
            log(format_args!(
                "{}",
                tr!("{peer} 开不了新线程：{e}", "{peer} no thread for it: {e}")
            ));
        }
    }
}
