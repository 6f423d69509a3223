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
//! This file is the whole server, in the notes' steps: 1. socket, bind, listen; 2. accept;
//! 3. a thread per connection; 4. recv the request; 5. answer it; 6. close. Beside it, the
//! notes' parts: `request.rs` reads and checks a request (请求报文), `path.rs` turns its path
//! into a file under the root, `answer.rs` picks the response and `response.rs` writes it
//! (响应报文). The extras a real server needs are modules named for what they add: `limits.rs`,
//! `registry.rs` (how many connections), `cache.rs`, `dates.rs`, `ranges.rs`, `mime.rs`,
//! `listing.rs`.
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
mod registry;
mod request;
mod response;
mod usage;

use std::io::{self, BufReader, Read};
use std::net::{Shutdown, TcpListener};
use std::time::{Duration, Instant};
use std::{process::ExitCode, sync::Arc, thread};

use anyhow::{Context, Result};
use netcommon::lang::{describe, io_error};
use netcommon::log::log;
use netcommon::{announce_listening, check_addr, out_of_files, tr, usage_error};
use netcommon::{AcceptErrors, Args, Root};

use limits::Deadline;
use registry::{Conn, Conns};
use request::Stop;
use response::Response;

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

/// The command line (`--help` shows it).
struct Options {
    bind: String,
    root: Root,
    threads: usize,
    keep_alive: Duration,
    head_timeout: Duration,
    dump: bool,
}

fn main() -> ExitCode {
    // Read once: the default goes into --help, and is used when --threads is not given.
    // A connection holds a descriptor for its socket and, while it sends, one for its file.
    let (default_threads, why) = netcommon::default_max_clients(2);
    let usage = netcommon::pick(usage::USAGE_ZH, usage::USAGE_EN).replace("THREADS", &why);
    netcommon::run(&usage, |args| http_static(options(args, default_threads)?))
}

fn options(mut args: Args, default_threads: usize) -> Result<Options> {
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
    Ok(Options {
        bind,
        root,
        threads,
        keep_alive,
        head_timeout,
        dump,
    })
}

fn http_static(options: Options) -> Result<()> {
    let bind = &options.bind;
    // ANCHOR: bind_listen
    // 1. socket + bind + listen (创建套接字, 绑定地址, 监听): TcpListener::bind does all three.
    let listener = TcpListener::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;
    let conns = Arc::new(Conns::new(options.threads));
    let options = Arc::new(options);
    let mut errors = AcceptErrors::logging_with(log);
    loop {
        // ANCHOR: accept
        // 2. accept 等待客户端 (a browser) 连接.
        let accepted = listener.accept();
        // ANCHOR_END: accept
        // What this adds to the notes: at most --threads connections. When all places are
        // taken (or the descriptors run out), the connection that has waited longest for its
        // client is shut, so its thread ends and the new one gets its place.
        let make_room = match &accepted {
            Ok(_) => conns.full(),
            Err(e) => out_of_files(e),
        };
        if make_room {
            if let Some((idle, waited)) = conns.make_room() {
                let _ = idle.stream.shutdown(Shutdown::Both); // its read returns 0 at once
                let (peer, secs) = (idle.peer, waited.as_secs_f64());
                log(format_args!(
                    "{}",
                    tr!(
                        "{peer} 已关闭，给新连接腾地方（它等客户端等了 {secs:.1} 秒）",
                        "{peer} closed to make room (waited {secs:.1} s for its client)"
                    )
                ));
            }
        }
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                errors.failed(&e); // logged at most once a second, then a short pause
                continue;
            }
        };
        errors.succeeded();
        // ANCHOR: thread
        // 3. A thread per connection, so a slow or silent client only holds up itself.
        let place = match conns.admit(stream, peer) {
            Ok(place) => place,
            Err(stream) => {
                // Every connection busy answering: 503 at once, never a wait (the new
                // socket's send buffer is empty, so this small write cannot block), and close.
                let page = Response::page(503).header("Retry-After", "1");
                if let Ok(sent) = page.send(&mut &stream, false, false, &mut Vec::new()) {
                    log(format_args!("{peer} \"-\" 503 {sent}"));
                }
                let _ = stream.shutdown(Shutdown::Write);
                continue;
            }
        };
        let options = Arc::clone(&options);
        let spawned = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(move || {
                // The place is given back when this thread ends.
                if let Err(e) = serve(&place.conn, &place.conns, &options) {
                    // this connection ends; the server goes on
                    log(format_args!("{peer} {}", describe(&e.into())));
                }
            });
        // ANCHOR_END: thread
        if let Err(e) = spawned {
            let e = io_error(&e);
            log(format_args!(
                "{}",
                tr!("{peer} 开不了新线程：{e}", "{peer} no thread for it: {e}")
            ));
        }
    }
}

/// One connection, request after request (长连接), until the client closes or goes quiet, or
/// one side asks to close (短连接).
fn serve(conn: &Conn, conns: &Conns, options: &Options) -> io::Result<()> {
    let (stream, peer) = (&conn.stream, conn.peer);
    // What this adds to the notes: a client that says nothing, or stops reading, is dropped.
    stream.set_read_timeout(Some(options.keep_alive))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_nodelay(true)?; // a pipelined response must not wait for the previous one's ACK
    let mut reader = BufReader::new(Deadline::new(stream, options.head_timeout));
    let (mut head, mut body, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        // ANCHOR: recv
        // 4. recv 接收请求报文: the head, however many reads it takes, then the body if any.
        conns.waiting(conn);
        let dump = options.dump.then_some(&mut body);
        let request = request::read(&mut reader, &mut head, dump);
        conns.busy(conn);
        if options.dump && !head.is_empty() {
            let dump = request::dump(&head, &body); // the notes' request viewer (004 2.3.4)
            log(format_args!(
                "{}",
                tr!("{peer} 发来的请求：\n{dump}", "{peer} sent:\n{dump}")
            ));
        }
        // ANCHOR_END: recv
        // ANCHOR: answer
        // 5. 组织响应报文, then send 发送 it: a file, a listing, a redirect, or an error (then
        // close). A HEAD request never gets a body, whatever the status (RFC 9110 9.3.2).
        let head_only = head.starts_with(b"HEAD ");
        let (response, keep_alive) = match request {
            Ok((req, body_read)) => (
                answer::answer(&req, &options.root),
                req.keep_alive && body_read,
            ),
            Err(Stop::Answer(status)) => (Response::page(status), false),
            Err(Stop::Quiet) => return Ok(()), // closed, reset or idle: nobody to answer
        };
        let status = response.status;
        let sent = response.send(&mut &*stream, head_only, keep_alive, &mut buf)?;
        log(format_args!(
            "{peer} \"{}\" {status} {sent}",
            request::log_line(&head)
        ));
        // ANCHOR_END: answer
        // ANCHOR: close
        // 6. close 关闭 (短连接), or wait for the next request on this connection (长连接).
        if !keep_alive {
            // What this adds: close politely. Shut our sending side (the client sees the end),
            // then read and drop what it may still send, for a moment: closing with unread
            // bytes sends a reset (RST), which can destroy our last response in flight.
            let _ = stream.shutdown(Shutdown::Write);
            let _ = stream.set_read_timeout(Some(LINGER));
            let (until, mut sink) = (Instant::now() + LINGER, [0; 4096]);
            while Instant::now() < until && matches!((&*stream).read(&mut sink), Ok(n) if n > 0) {}
            return Ok(());
        }
        // ANCHOR_END: close
        // Give the other connections' threads their turn before reading our next request: a
        // client that sends its next request at once would otherwise keep this thread running
        // for its whole time slice while hundreds of others wait (p99 at 500 connections: from
        // about 1 s to 30 ms).
        thread::yield_now();
    }
}
