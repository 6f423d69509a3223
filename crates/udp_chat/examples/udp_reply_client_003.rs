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
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::{
    check_addr, input_or_eof, is_port_unreachable, is_timeout, kept_len, resolve, say, usage_error,
    Args,
};

const USAGE: &str = "\
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
    // Not in the notes: `connect` a UDP socket to the server. No packet is sent; the system only
    // notes the address, and from then on gives this socket only datagrams from the server
    // (anyone else's are dropped), and `send` needs no address.
    sk.connect(serve)
        .with_context(|| format!("connecting the UDP socket to {serve}"))?;
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
            .with_context(|| format!("sending to {serve}"))?;

        // msg = sk.recv(1024).decode('utf-8'). recv_from, to check that the server sent it,
        // within `timeout` in all: each wait is armed with the time left.
        let started = Instant::now();
        let mut buf = [0; BUF_SIZE + 1];
        let msg = loop {
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                bail!("no reply from {serve} within {} s", timeout.as_secs_f64())
            }
            sk.set_read_timeout(Some(left))?;
            let (n, from) = match sk.recv_from(&mut buf) {
                Ok(got) => got,
                Err(e) if is_timeout(&e) => continue, // the time is up: said just above
                // The server's system answered "port unreachable": Windows says "connection
                // reset", Linux (on a connected socket) "connection refused".
                Err(e) if is_port_unreachable(&e) || e.kind() == ErrorKind::ConnectionRefused => {
                    bail!("no program is listening at {serve}")
                }
                Err(e) => return Err(e).context("waiting for the reply"),
            };
            // Connected, the socket gets only the server's datagrams; one that arrived before
            // `connect` may still be waiting, so the sender is checked all the same.
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
