//! A tiny `nc`: connects to HOST:PORT, sends everything from stdin, half-closes (FIN: "that is
//! all"), and prints everything the server sends back until it closes. For looking at a protocol
//! byte by byte, such as an HTTP request typed by hand:
//!
//! ```text
//! printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | cargo run -q -p netcommon --example raw -- 127.0.0.1:8888
//! ```

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use netcommon::{check_addr, is_timeout, resolve, usage_error, Args};

const USAGE: &str = "\
usage: raw HOST:PORT

Sends stdin to HOST:PORT, closes the sending side, and prints the reply until the server closes.";

/// Each deadline: connecting, sending, and waiting for the next bytes of the reply.
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(USAGE, raw)
}

fn raw(args: Args) -> anyhow::Result<()> {
    let words = args.finish()?;
    let [addr] = words.as_slice() else {
        return usage_error("give exactly one HOST:PORT");
    };
    let addr = resolve(&check_addr(addr)?)?;
    let mut request = Vec::new();
    io::stdin()
        .read_to_end(&mut request)
        .context("reading stdin")?;

    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| {
        let why = if is_timeout(&e) {
            "no answer within 10 s".to_string()
        } else {
            e.to_string()
        };
        anyhow::anyhow!("connecting to {addr}: {why}")
    })?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    match stream.write_all(&request) {
        Err(e) if is_timeout(&e) => bail!("sending to {addr}: not taken within 10 s"),
        other => other.with_context(|| format!("sending to {addr}"))?,
    }
    stream.shutdown(Shutdown::Write)?;
    let mut reply = Vec::new();
    match stream.read_to_end(&mut reply) {
        Err(e) if is_timeout(&e) => bail!("reading from {addr}: silent for 10 s"),
        other => other.with_context(|| format!("reading from {addr}"))?,
    };
    // Raw bytes, not a line: a closed stdout is not worth a panic either.
    let mut out = io::stdout().lock();
    let _ = out.write_all(&reply).and_then(|()| out.flush());
    Ok(())
}
