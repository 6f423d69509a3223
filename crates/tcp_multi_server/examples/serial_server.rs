//! Step 1 of the progression: the upper-casing server written like the notes' earlier servers,
//! serving one client at a time. Try it with two clients: while the first is connected (even
//! doing nothing), the second's messages get no answer. That is why notes 003 brings in
//! `socketserver.ThreadingTCPServer`.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_multi_server --example serial_server
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:9001        (type a line, then wait)
//! terminal 3:  cargo run -p tcp_client -- 127.0.0.1:9001 hello  (no reply until 2 quits)
//! ```

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{again, announce_listening, peer_tag, say, tr, Args};

const USAGE_ZH: &str = "用法：serial_server [ADDR]   （默认 127.0.0.1:9001）";
const USAGE_EN: &str = "usage: serial_server [ADDR]   (default 127.0.0.1:9001)";
/// Every read and write waits at most this long, so even this server is not held forever by a
/// client that says nothing (it still holds everyone else for up to a minute: the point here).
const TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), serial_server)
}

fn serial_server(args: Args) -> Result<()> {
    let address = args.address("127.0.0.1:9001")?;
    let sk =
        TcpListener::bind(&address).with_context(|| tr!("绑定 {address}", "binding {address}"))?;
    announce_listening(sk.local_addr()?)?;
    loop {
        // ANCHOR: accept_loop
        // while True: conn, addr = sk.accept() — the next client waits until this one is done.
        let (mut conn, addr) = sk
            .accept()
            .context(netcommon::pick("等待客户端接入", "accepting"))?;
        // ANCHOR_END: accept_loop
        let who = peer_tag(addr);
        say!("{}", tr!("有新的客户端接入：{addr}", "{who} connected"));
        conn.set_read_timeout(Some(TIMEOUT))?;
        conn.set_write_timeout(Some(TIMEOUT))?;
        let mut buf = [0; 1024];
        loop {
            let n = match again(|| conn.read(&mut buf)) {
                Ok(0) | Err(_) => break, // closed, reset or timed out: on to the next client
                Ok(n) => n,
            };
            buf[..n].make_ascii_uppercase();
            if conn.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        say!("{}", tr!("客户端已断开：{addr}", "{who} gone"));
    }
}
