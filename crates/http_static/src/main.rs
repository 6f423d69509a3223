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
//! `cache.rs`, `dates.rs`, `ranges.rs`, `mime.rs`, `listing.rs`; how many connections at once is
//! netcommon's registry (`Clients`), shared with tcp_multi_server.
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
mod usage;

use std::io::{self, BufReader};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;
use std::{process::ExitCode, sync::Arc, thread};

use anyhow::{Context, Result};
use netcommon::lang::describe;
use netcommon::log::log;
use netcommon::{announce_listening, check_addr, out_of_files, tr, usage_error};
use netcommon::{drain, no_thread, AcceptErrors, Args, Client, Clients, Root};

use limits::WholeRequest;
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
    // A connection holds two descriptors for its socket (its own and the registry's handle)
    // and, while it sends, one for its file.
    let (default_threads, why) = netcommon::default_max_clients(3);
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
            // Out of descriptors: a connection waiting for its client makes room, so that the
            // next accept (or open) can succeed.
            if let Some(old) = clients.make_room() {
                let _ = old.shutdown(Shutdown::Both); // its thread's read returns 0 at once
            }
        }
        let Some((stream, peer)) = errors.accepted(accepted) else {
            continue; // logged at most once a second, after a short pause
        };
        // ANCHOR: thread
        // 3. A thread per connection, so a slow or silent client only holds up itself. The
        // registry keeps a second handle (try_clone) to shut down if it must make room.
        let Some((client, made_room)) = clients.admit(stream.try_clone(), peer) else {
            // Every connection busy answering: 503 at once, never a wait (the new socket's
            // send buffer is empty, so this small write cannot block), and close.
            let page = Response::page(503).header("Retry-After", "1");
            if let Ok(sent) = page.send(&mut &stream, false, false, &mut Vec::new()) {
                log(format_args!("{peer} \"-\" 503 {sent}"));
            }
            let _ = stream.shutdown(Shutdown::Write);
            continue;
        };
        if let Some(old) = made_room {
            let _ = old.shutdown(Shutdown::Both); // its thread's read returns 0 at once
        }
        client.touch(); // waiting for its first request, like an idle keep-alive connection
        let options = Arc::clone(&options);
        let spawned = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(move || {
                // The place is given back when this thread ends (`client` is dropped).
                if let Err(e) = serve(&stream, peer, &client, &options) {
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

/// One connection, request after request (长连接), until the client closes or goes quiet, or
/// one side asks to close (短连接).
fn serve(
    stream: &TcpStream,
    peer: SocketAddr,
    client: &Client,
    options: &Options,
) -> io::Result<()> {
    // What this adds to the notes: a client that says nothing, or stops reading, is dropped.
    stream.set_read_timeout(Some(options.keep_alive))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_nodelay(true)?; // a pipelined response must not wait for the previous one's ACK
    let mut reader = BufReader::new(WholeRequest::new(stream, options.head_timeout));
    let (mut head, mut body, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        // ANCHOR: recv
        // 4. recv 接收请求报文: the head, however many reads it takes, then the body if any.
        client.touch(); // waiting for the client: it may be closed to make room
        let dump = options.dump.then_some(&mut body);
        let request = request::read(&mut reader, &mut head, dump);
        client.busy(); // answering: never closed to make room
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
            drain(stream, LINGER);
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
