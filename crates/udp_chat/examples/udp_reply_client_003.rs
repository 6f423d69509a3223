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
//!   seconds (default 60, a person types the reply) and then say so.
//! - End of input at `>><` ends the client like `Q`; Python raises EOFError.

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{check_addr, input_or_eof, is_timeout, kept_len, resolve, say, usage_error, Args};

const USAGE: &str = "\
usage: udp_reply_client_003 [--timeout S] [SERVER]

Sends what you type at `>><` to SERVER and prints its reply; Q ends (notes 003 udp协议).
  SERVER       HOST:PORT (default 127.0.0.1:9001, the notes' address)
  --timeout S  how long to wait for each reply, in seconds (default 60)";

/// `serve = ('127.0.0.1', 9001)`
const DEFAULT_SERVER: &str = "127.0.0.1:9001";
/// `sk.recv(1024)`: the most bytes of one reply we keep.
const BUF_SIZE: usize = 1024;
/// A person types the reply at the server's `>>>`: give them time.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(USAGE, client)
}

fn client(mut args: Args) -> Result<()> {
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let words = args.finish()?;
    if words.len() > 1 {
        return usage_error(format!("unexpected argument {:?}", words[1]));
    }
    let serve = resolve(&check_addr(
        words.first().map_or(DEFAULT_SERVER, |s| s.as_str()),
    )?)?;

    // sk = socket.socket(type=socket.SOCK_DGRAM): no bind, the system picks our port.
    let any = if serve.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let sk = UdpSocket::bind(any).context("creating the UDP socket")?;
    sk.set_read_timeout(Some(timeout))?;
    sk.set_write_timeout(Some(timeout))?;

    loop {
        // mmmsg = input('>><'); if mmmsg.upper() == 'Q': break
        let Some(mmmsg) = input_or_eof(">><")? else {
            return Ok(());
        };
        if mmmsg.eq_ignore_ascii_case("q") {
            return Ok(());
        }
        // sk.sendto(mmmsg.encode('utf-8'), serve)
        sk.send_to(mmmsg.as_bytes(), serve)
            .with_context(|| format!("sending to {serve}"))?;

        // msg = sk.recv(1024).decode('utf-8'). recv_from, to keep only the server's datagrams.
        let mut buf = [0; BUF_SIZE + 1];
        let msg = loop {
            let (n, from) = match sk.recv_from(&mut buf) {
                Ok(got) => got,
                Err(e) if is_timeout(&e) => {
                    bail!("no reply from {serve} within {} s", timeout.as_secs_f64())
                }
                Err(e) => return Err(e).context("waiting for the reply"),
            };
            if from == serve {
                break String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, from)]).into_owned();
            } // else someone else's datagram: not the reply
        };
        // if msg.upper() == 'Q': break
        if msg.eq_ignore_ascii_case("q") {
            say!("the server said Q: goodbye");
            return Ok(());
        }
        // print(msg), here for every reply (the notes print only after the loop)
        say!("{msg}");
    }
}
