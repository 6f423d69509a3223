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
//! Where the notes are sloppy, and what we do instead:
//! - `content.upper()` on decoded text crashes on bytes that are not UTF-8 (`decode` raises): we
//!   upper-case ASCII letters in the bytes and leave every other byte as it is.
//! - The handler stops only on `ConnectionResetError`; on a clean close `recv` returns `b''`
//!   forever and the thread spins. A 0-byte read ends our loop.
//! - `send` may send part of the bytes: `write_all` (Python's `sendall`).
//! - No limit on threads: a flood of connections starts threads until the machine gives up.
//!   Past `--max-clients` we close the new connection at once. A silent client is closed after
//!   `--idle-timeout`, so it cannot keep its place forever.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, check_addr, is_timeout, usage_error, Args, ClientCount};

const USAGE: &str = "\
usage: tcp_multi_server [--bind 127.0.0.1:9001] [--max-clients N] [--idle-timeout S]

Serves every client at the same time, a thread each; sends each chunk back upper-cased
(ASCII letters only) until the client closes.
  --bind ADDR       the address to listen on (default 127.0.0.1:9001, the notes' address)
  --max-clients N   serve at most N clients at once; close newer ones at once (default 1000)
  --idle-timeout S  close a client silent for S seconds (default 60)";

/// `ThreadingTCPServer(('127.0.0.1', 9001), Myserver)`: the notes' address.
const DEFAULT_BIND: &str = "127.0.0.1:9001";
/// At most this many clients (threads) at once unless `--max-clients` says otherwise.
const DEFAULT_MAX_CLIENTS: usize = 1000;
/// A client silent this long is closed, giving its place back.
const DEFAULT_IDLE: Duration = Duration::from_secs(60);
/// `conn.recv(1024)`: the most bytes one read takes.
const BUF_SIZE: usize = 1024;

fn main() -> ExitCode {
    netcommon::run(USAGE, tcp_multi_server)
}

fn tcp_multi_server(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let max_clients = args.parsed("--max-clients")?.unwrap_or(DEFAULT_MAX_CLIENTS);
    if max_clients == 0 {
        return usage_error("--max-clients must be at least 1");
    }
    let idle = args.seconds("--idle-timeout")?.unwrap_or(DEFAULT_IDLE);
    if let Some(extra) = args.finish()?.first() {
        return usage_error(format!("unexpected argument {extra:?}"));
    }

    // ANCHOR: hw_serve_forever
    // socketserver.ThreadingTCPServer(...): socket, bind and listen, as in every TCP server.
    let listener = TcpListener::bind(&bind).with_context(|| format!("binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;
    let clients = ClientCount::default();

    // server.serve_forever(): accept in a loop, and hand each client to a thread of its own.
    loop {
        let (conn, addr) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                println!("accept failed: {e}"); // e.g. out of file descriptors: wait, try again
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        // Past the limit: close at once (dropping `conn`), so a flood cannot exhaust the machine.
        let Some(place) = clients.try_take(max_clients) else {
            println!("[{addr}] refused: already serving {max_clients} clients (--max-clients)");
            continue;
        };
        println!("[{addr}] connected ({} clients)", clients.now());
        // One thread per client: the Myserver.handle of the notes. `Builder::spawn` reports a
        // failure to start a thread instead of panicking like `thread::spawn`.
        let spawned = thread::Builder::new().spawn(move || {
            let result = handle(conn, idle);
            drop(place); // this client's place is free again
            match result {
                Ok(()) => println!("[{addr}] closed the connection"),
                Err(e) => println!("[{addr}] {e:#}"),
            }
        });
        if let Err(e) = spawned {
            println!("[{addr}] dropped: cannot start a thread: {e}");
        }
    }
    // ANCHOR_END: hw_serve_forever
}

/// Myserver.handle: every chunk the client sends goes back upper-cased, until it closes.
fn handle(mut conn: TcpStream, idle: Duration) -> Result<()> {
    // ANCHOR: hw_handle
    conn.set_read_timeout(Some(idle))?;
    let mut buf = [0; BUF_SIZE];
    loop {
        // content = conn.recv(1024): what has arrived, up to 1024 bytes.
        let n = match conn.read(&mut buf) {
            Ok(0) => return Ok(()), // the client closed: the notes' loop would spin here
            Ok(n) => n,
            Err(e) if is_timeout(&e) => anyhow::bail!("silent for {idle:?}: closing it"),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                anyhow::bail!("reset the connection")
            }
            Err(e) => return Err(e).context("reading"),
        };
        // conn.send(content.upper().encode('utf-8')), on bytes: ASCII letters only.
        buf[..n].make_ascii_uppercase();
        conn.write_all(&buf[..n]).context("sending")?;
    }
    // ANCHOR_END: hw_handle
}
