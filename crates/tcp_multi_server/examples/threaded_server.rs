//! Step 2 of the progression: the same server with a thread per client, as
//! `socketserver.ThreadingTCPServer` does. Now a slow client blocks only itself. What it still
//! lacks (see `src/main.rs`): a limit on threads, so a flood of connections cannot exhaust the
//! machine, and a total deadline for clients that trickle a byte now and then (here each read
//! and write waits at most a minute).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_multi_server --example threaded_server
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:9001        (type a line, then wait)
//! terminal 3:  cargo run -p tcp_client -- 127.0.0.1:9001 hello  (answered at once)
//! ```

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{again, announce_listening, peer_tag, say, tr, Args};

const USAGE_ZH: &str = "用法：threaded_server [ADDR]   （默认 127.0.0.1:9001）";
const USAGE_EN: &str = "usage: threaded_server [ADDR]   (default 127.0.0.1:9001)";
/// Every read and write waits at most this long.
const TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), threaded_server)
}

fn threaded_server(args: Args) -> Result<()> {
    let address = args.address("127.0.0.1:9001")?;
    let sk =
        TcpListener::bind(&address).with_context(|| tr!("绑定 {address}", "binding {address}"))?;
    announce_listening(sk.local_addr()?)?;
    loop {
        let (conn, addr) = sk
            .accept()
            .context(netcommon::pick("等待客户端接入", "accepting"))?;
        let who = peer_tag(addr);
        say!("{}", tr!("有新的客户端接入：{addr}", "{who} connected"));
        // ANCHOR: thread
        // The only change from serial_server: the conversation moves to its own thread, and
        // the main thread goes straight back to accept().
        thread::spawn(move || {
            handle(conn);
            say!("{}", tr!("客户端已断开：{addr}", "{who} gone"));
        });
        // ANCHOR_END: thread
    }
}

/// Myserver.handle: echo upper-cased until the client closes or resets.
fn handle(mut conn: TcpStream) {
    if conn.set_read_timeout(Some(TIMEOUT)).is_err()
        || conn.set_write_timeout(Some(TIMEOUT)).is_err()
    {
        return;
    }
    let mut buf = [0; 1024];
    loop {
        let n = match again(|| conn.read(&mut buf)) {
            Ok(0) | Err(_) => return, // closed, reset or timed out
            Ok(n) => n,
        };
        buf[..n].make_ascii_uppercase();
        if conn.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}
