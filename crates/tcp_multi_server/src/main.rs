//! # tcp_multi_server: every client served at once, a thread each
//!
//! Notes 003 "socketserver模块--针对并发编程": `socketserver.ThreadingTCPServer` with a handler
//! that sends every message back upper-cased. The notes' servers before it (000, 001, 002, and
//! `tcp_server` here) serve one client at a time: while one is connected, the next waits. Here
//! the main thread only accepts, and each client gets a thread of its own.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_multi_server
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:9001 hello     → reply: HELLO
//! terminal 3:  cargo run -p tcp_client -- 127.0.0.1:9001           (both are served at once)
//! ```
//!
//! The progression, as programs you can run side by side (`examples/`):
//! `serial_server` (one slow client blocks everyone) → `threaded_server` (a thread per client)
//! → this one (a limit on clients, timeouts, logs).
//!
//! What this adds to the notes, and why:
//! - `content.upper()` on decoded text crashes on bytes that are not UTF-8 (`decode` raises): we
//!   upper-case ASCII letters in the bytes and leave every other byte as it is.
//! - The handler stops only on `ConnectionResetError`; on a clean close `recv` returns `b''`
//!   forever and the thread spins. A 0-byte read ends our loop.
//! - `send` may send part of the bytes: `write_all` (Python's `sendall`).
//! - No limit on threads: a flood of connections starts threads until the machine gives up.
//!   We serve at most `--max-clients` at once. When full, a new client takes the place of the
//!   client idle the longest (if idle for 1.5 s or more, netcommon's `IDLE_GRACE`), the way
//!   nginx reuses idle connections; otherwise the new client is closed at once.
//! - No deadlines: a silent client, or one that never reads our replies, holds its thread
//!   forever. Every read and write here waits at most `--idle-timeout`, and a client is closed
//!   after `--max-time` in all (a client sending one byte every 2 s passes any per-read timeout).

mod myserver;

use std::net::{Shutdown, TcpListener};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::lang::describe;
use netcommon::{announce_listening, no_thread, peer_tag, say, tr};
use netcommon::{AcceptErrors, Clients, Deadline};

mod usage;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `ThreadingTCPServer(('127.0.0.1', 9001), Myserver)`: the notes' address.
// ANCHOR: default_addr
const DEFAULT_BIND: &str = "127.0.0.1:9001";
// ANCHOR_END: default_addr
/// A client that sends nothing (or reads nothing we send) this long is closed.
const DEFAULT_IDLE: Duration = Duration::from_secs(60);
/// Any client is closed after this long in all, however it trickles its bytes.
const DEFAULT_MAX_TIME: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    // A client holds two file descriptors, its socket and the registry's handle on it
    // (try_clone): the default limit comes from `ulimit -n`.
    let (max_clients, why) = netcommon::default_max_clients(2);
    let usage = netcommon::pick(USAGE_ZH, USAGE_EN).replace("MAX_CLIENTS", &why);
    netcommon::run(&usage, |args| tcp_multi_server(options(args, max_clients)?))
}

fn tcp_multi_server(opts: Options) -> Result<()> {
    let Options { bind, idle, .. } = opts;
    // ANCHOR: hw_serve_forever
    // ANCHOR: server
    // 1. server = socketserver.ThreadingTCPServer(...): socket, bind and listen, as in every
    // TCP server.
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: server
    announce_listening(listener.local_addr()?)?;
    let mut accept_errors = AcceptErrors::new();
    let clients = Clients::new(opts.max_clients, opts.grace, Some("--max-clients"));

    loop {
        // ANCHOR: serve_forever
        // 2. server.serve_forever(): accept in a loop, and hand each client to a thread.
        let Some((conn, addr)) = accept_errors.accepted(listener.accept()) else {
            continue; // e.g. out of file descriptors: said at most once a second
        };
        // ANCHOR_END: serve_forever
        let who = peer_tag(addr);
        // ANCHOR: client_limit
        // What this adds to the notes: at most --max-clients at once. The registry keeps a
        // second handle on each socket (try_clone). When full, it hands back the handle of a
        // client that sent nothing or idled longest, and shutting that down ends its thread;
        // if every client is busy, the new one is refused.
        let Some((client, made_room)) = clients.admit(conn.try_clone(), addr) else {
            continue; // refused (the log says why): dropping `conn` closes it
        };
        if let Some(old) = made_room {
            let _ = old.shutdown(Shutdown::Both); // that client's next read returns 0
        }
        // ANCHOR_END: client_limit
        let n = clients.len();
        let s = if n == 1 { "" } else { "s" };
        say!(
            "{}",
            tr!(
                "有新的客户端接入：{addr}（现在 {n} 个客户端）",
                "{who} connected ({n} client{s})"
            )
        );
        // ANCHOR: thread
        // 3. One thread per client runs the notes' Myserver.handle. `Builder::spawn` reports a
        // failure to start a thread instead of panicking like `thread::spawn`.
        let deadline = Deadline::after(opts.max_time);
        let spawned = thread::Builder::new().spawn(move || {
            let result = myserver::handle(conn, addr, &client, idle, deadline);
            let replaced = client.was_replaced();
            drop(client); // its place is free again
            match result {
                _ if replaced => {} // we closed it to make room, and said so
                Ok(()) => say!(
                    "{}",
                    tr!("客户端已断开：{addr}", "{who} closed the connection")
                ),
                Err(e) => say!("{who} {}", describe(&e)),
            }
        });
        // ANCHOR_END: thread
        if let Err(e) = spawned {
            say!("{}", no_thread(addr, &e)); // this client is closed; the server goes on
        }
    }
    // ANCHOR_END: hw_serve_forever
}
