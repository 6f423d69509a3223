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
use netcommon::{again, connect_failed, pick, read_failed, resolve, say, Args};

const USAGE_ZH: &str = "\
用法：hello_client [SERVER] [--message TEXT] [--timeout S]

连接 SERVER（默认 127.0.0.1:9001），打印服务器发来的第一条消息，发送 TEXT（默认 bebebe），
然后退出。
  --timeout S  连接、每次读和写最多等 S 秒（默认 10）";

const USAGE_EN: &str = "\
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
    netcommon::run(pick(USAGE_ZH, USAGE_EN), hello_client)
}

fn hello_client(mut args: Args) -> Result<()> {
    let message = args.value_or("--message", "bebebe")?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let server = args.address(DEFAULT_SERVER)?;

    // sk=socket.socket(); sk.connect(('127.0.0.1',9001)): 客户端/tcp协议的方法，和serve端建立连接.
    // With a deadline: connect_timeout takes one address, so the name is looked up first.
    let addr = resolve(&server)?;
    let mut sk = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| connect_failed(&server, timeout, e))?;
    sk.set_read_timeout(Some(timeout))?;
    sk.set_write_timeout(Some(timeout))?;

    // msg=sk.recv(1024) 只接受消息; print(msg)
    let mut msg = [0; BUF_SIZE];
    let n = again(|| sk.read(&mut msg))
        .map_err(|e| read_failed(pick("服务器", "the server"), timeout, e))?;
    if n == 0 {
        bail!(
            "{}",
            pick(
                "服务器没发消息就关闭了连接",
                "the server closed the connection without a message"
            )
        );
    }
    say!("{}", String::from_utf8_lossy(&msg[..n]));

    // sk.send(b'bebebe')
    sk.write_all(message.as_bytes())
        .context(pick("发送数据", "sending"))?;

    // sk.close(): dropping `sk`.
    Ok(())
}
