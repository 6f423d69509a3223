//! The UDP client of notes 003 "udp协议" (客户端, 由客户端发起对话): type a message at the
//! `>><` prompt, send it, print the server's reply; `Q` (or `q`) from either side ends it.
//! Its server is `udp_reply_server_003`.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat --example udp_reply_server_003
//! terminal 2:  cargo run -p udp_chat --example udp_reply_client_003 -- 127.0.0.1:9001
//! ```
//!
//! Where this differs from the notes, and why:
//! - The notes' `print(msg)` stands after the loop, so no reply is shown until the end (and
//!   typing `Q` first raises NameError): we print each reply as it comes.
//! - `sk.recv(1024)` waits forever for a reply that UDP may have lost: we wait `--timeout`
//!   seconds in all (default 60, a person types the reply) and then say so.
//! - `sk.recv` takes a datagram from anyone as the reply. We `connect` the socket to the server,
//!   so the system hands it only the server's datagrams, and check the sender all the same.
//! - End of input at `>><` ends the client like `Q`; Python raises EOFError.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{
    again, any_local, input_or_eof, is_port_unreachable, is_timeout, kept_len, resolve, say, tr,
    Args, Deadline,
};

const USAGE_ZH: &str = "\
用法：udp_reply_client_003 [--timeout S] [SERVER]

把你在 `>><` 后输入的内容发给 SERVER，并打印它的回复；Q 结束（笔记 003 udp协议）。
  SERVER       主机:端口（默认 127.0.0.1:9001，笔记里的地址）
  --timeout S  每个回复一共最多等多少秒（默认 60）";

const USAGE_EN: &str = "\
usage: udp_reply_client_003 [--timeout S] [SERVER]

Sends what you type at `>><` to SERVER and prints its reply; Q ends (notes 003 udp协议).
  SERVER       HOST:PORT (default 127.0.0.1:9001, the notes' address)
  --timeout S  how long to wait for each reply in all, in seconds (default 60)";

/// `serve = ('127.0.0.1', 9001)`
const DEFAULT_SERVER: &str = "127.0.0.1:9001";
/// `sk.recv(1024)`: the most bytes of one reply we keep.
const BUF_SIZE: usize = 1024;
/// A person types the reply at the server's `>>>`: give them time.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), client)
}

fn client(mut args: Args) -> Result<()> {
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let serve = resolve(&args.address(DEFAULT_SERVER)?)?;

    // sk = socket.socket(type=socket.SOCK_DGRAM): no bind, the system picks our port.
    let sk = UdpSocket::bind(any_local(serve))
        .with_context(|| tr!("创建 UDP 套接字", "creating the UDP socket"))?;
    // Not in the notes: `connect` a UDP socket to the server. No packet is sent; the system only
    // notes the address, and from then on gives this socket only datagrams from the server
    // (anyone else's are dropped), and `send` needs no address.
    sk.connect(serve).with_context(|| {
        tr!(
            "把 UDP 套接字连接到 {serve}",
            "connecting the UDP socket to {serve}"
        )
    })?;
    sk.set_write_timeout(Some(timeout))?;

    loop {
        // mmmsg = input('>><'); if mmmsg.upper() == 'Q': break
        let Some(mmmsg) = input_or_eof(">><")? else {
            return Ok(());
        };
        if mmmsg.eq_ignore_ascii_case("q") {
            return Ok(());
        }
        // sk.sendto(mmmsg.encode('utf-8'), serve): `send`, as the socket is connected to serve
        // (`send_to` on a connected socket fails on macOS, EISCONN).
        sk.send(mmmsg.as_bytes())
            .with_context(|| tr!("发送到 {serve}", "sending to {serve}"))?;

        // msg = sk.recv(1024).decode('utf-8'). recv_from, to check that the server sent it,
        // within `timeout` in all: each wait is armed with the time left.
        let deadline = Deadline::after(timeout);
        let mut buf = [0; BUF_SIZE + 1];
        let msg = loop {
            let Some(left) = deadline.next_wait(timeout) else {
                let s = timeout.as_secs_f64();
                bail!(tr!(
                    "{s} 秒内没有收到 {serve} 的回复：服务器那边有人输入回复吗？要多等，用 --timeout",
                    "no reply from {serve} within {s} s"
                ))
            };
            sk.set_read_timeout(Some(left))?;
            let (n, from) = match again(|| sk.recv_from(&mut buf)) {
                Ok(got) => got,
                Err(e) if is_timeout(&e) => continue, // the time is up: said just above
                // The server's system answered "port unreachable": Windows says "connection
                // reset", Linux (on a connected socket) "connection refused".
                Err(e) if is_port_unreachable(&e) || e.kind() == ErrorKind::ConnectionRefused => {
                    bail!(tr!(
                        "{serve} 上没有程序在监听：先启动服务器（udp_reply_server_003），或者检查地址和端口",
                        "no program is listening at {serve}"
                    ))
                }
                Err(e) => return Err(e).with_context(|| tr!("等待回复", "waiting for the reply")),
            };
            // Connected, the socket gets only the server's datagrams; one that arrived before
            // `connect` may still be waiting, so the sender is checked all the same.
            if from == serve {
                break String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, from)]).into_owned();
            } // else someone else's datagram: not the reply
        };
        // if msg.upper() == 'Q': break
        if msg.eq_ignore_ascii_case("q") {
            say!(
                "{}",
                tr!("服务器说了 Q：再见", "the server said Q: goodbye")
            );
            return Ok(());
        }
        // print(msg), here for every reply (the notes print only after the loop)
        say!("{msg}");
    }
}
