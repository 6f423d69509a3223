//! The first TCP client of notes 003, "最简单的网络通信(基于tcp协议)" and "tcp协议", 客户端:
//! it receives first (the server speaks first), prints what came, sends `bebebe` and closes.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example hello_server
//! terminal 2:  cargo run -p tcp_server --example hello_client
//! ```
//!
//! Where this differs from the notes, and why:
//! - `print(msg)` shows Python's bytes (`b'hello'`); we print the text.
//! - A server that never speaks holds the notes' client forever in `recv`, and a server whose
//!   queue of waiting connections (backlog) is full holds it about two minutes in `connect`
//!   (the system keeps retrying): ours waits at most `--timeout` seconds (default 10) for each,
//!   and says so.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{check_addr, is_timeout, resolve, say, Args};

const USAGE: &str = "\
usage: hello_client [SERVER] [--message TEXT] [--timeout S]

Connects to SERVER (default 127.0.0.1:9001), prints the server's first message, sends TEXT
(default bebebe) and exits.
  --timeout S  wait at most S seconds to connect, and for each read and write (default 10)";

/// `sk.connect(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_SERVER: &str = "127.0.0.1:9001";
/// `sk.recv(1024)`: 最多接受1024个.
const BUF_SIZE: usize = 1024;
/// Connecting, and each read and write, wait at most this long unless `--timeout` says.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(USAGE, hello_client)
}

fn hello_client(mut args: Args) -> Result<()> {
    let message = args.value_or("--message", "bebebe")?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let words = args.finish()?;
    let server = check_addr(words.first().map_or(DEFAULT_SERVER, |s| s.as_str()))?;

    // sk=socket.socket(); sk.connect(('127.0.0.1',9001)): 客户端/tcp协议的方法，和serve端建立连接.
    // With a deadline: connect_timeout takes one address, so the name is looked up first.
    let addr = resolve(&server)?;
    let mut sk = match TcpStream::connect_timeout(&addr, timeout) {
        Ok(sk) => sk,
        Err(e) if is_timeout(&e) => bail!(
            "connecting to {server}: no answer within {} s (is its queue of connections full?)",
            timeout.as_secs_f64()
        ),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("connecting to {server} (is the server running?)"))
        }
    };
    sk.set_read_timeout(Some(timeout))?;
    sk.set_write_timeout(Some(timeout))?;

    // msg=sk.recv(1024) 只接受消息; print(msg)
    let mut msg = [0; BUF_SIZE];
    let n = match sk.read(&mut msg) {
        Ok(n) => n,
        Err(e) if is_timeout(&e) => bail!("the server sent nothing for {timeout:?}"),
        Err(e) => return Err(e).context("receiving"),
    };
    if n == 0 {
        bail!("the server closed the connection without a message");
    }
    say!("{}", String::from_utf8_lossy(&msg[..n]));

    // sk.send(b'bebebe')
    sk.write_all(message.as_bytes()).context("sending")?;

    // sk.close(): dropping `sk`.
    Ok(())
}
