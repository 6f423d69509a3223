//! Lesson 04, exercise 4: read the whole echo. tcp_client's `send_and_receive` reads once
//! (`recv(1024)`); against `tcp_server --echo` the reply is exactly as long as the message, so
//! here we read again and again until that many bytes have come back (or the time is up).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server -- --bind 127.0.0.1:8080 --echo
//! terminal 2:  cargo run -p tcp_client --example answer_04_4 -- 127.0.0.1:8080 你好
//! ```

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::{check_addr, is_timeout, pick, resolve, say, tr, usage_error, Args};

const USAGE_ZH: &str = "用法：answer_04_4 [--timeout S] SERVER MESSAGE...   （对 --echo 的服务器）";
const USAGE_EN: &str =
    "usage: answer_04_4 [--timeout S] SERVER MESSAGE...   (for a server with --echo)";
/// `recv(1024)`: the most bytes one read takes, as in tcp_client.
const BUF_SIZE: usize = 1024;

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), client)
}

fn client(mut args: Args) -> Result<()> {
    let timeout = args
        .seconds("--timeout")?
        .unwrap_or(Duration::from_secs(30));
    let words = args.finish()?;
    let Some((server, messages)) = words.split_first() else {
        return usage_error(tr!("要给出 SERVER", "need SERVER"));
    };
    let addr = resolve(&check_addr(server)?)?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .with_context(|| tr!("连接 {server}", "connecting to {server}"))?;
    say!("{}", tr!("已连接到 {addr}", "connected to {addr}"));
    for message in messages {
        // tcp_socket.send(...): write_all, as in tcp_client
        stream
            .write_all(message.as_bytes())
            .context(pick("发送数据", "sending"))?;
        let reply = read_reply(&mut stream, message.len(), timeout)?;
        // Decoded only once all bytes are here: a character cut between two reads stays whole.
        let text = String::from_utf8_lossy(&reply);
        say!("{}", tr!("接收到的数据为: {text}", "reply: {text}"));
    }
    Ok(())
}

/// The change to `send_and_receive`: `read` in a loop until `want` bytes have come, with one
/// deadline for the whole reply (a server trickling a byte at a time cannot keep us forever).
fn read_reply(stream: &mut TcpStream, want: usize, timeout: Duration) -> Result<Vec<u8>> {
    let deadline = Instant::now() + timeout;
    let mut reply = Vec::with_capacity(want);
    let mut buf = [0; BUF_SIZE];
    while reply.len() < want {
        let got = reply.len();
        let left = deadline.saturating_duration_since(Instant::now());
        let read = if left.is_zero() {
            Err(ErrorKind::TimedOut.into()) // the time is up (a zero timeout is not allowed)
        } else {
            stream.set_read_timeout(Some(left))?;
            // Never more than is still missing: the bytes after it belong to the next reply.
            stream.read(&mut buf[..(want - got).min(BUF_SIZE)])
        };
        match read {
            Ok(0) => bail!(
                "{}",
                tr!(
                    "对方关闭了链接：只收到 {got}/{want} 字节",
                    "server closed the connection after {got}/{want} bytes"
                )
            ),
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(e) if is_timeout(&e) => {
                let secs = timeout.as_secs_f64();
                bail!(
                    "{}",
                    tr!(
                        "{secs} 秒内只收到 {got}/{want} 字节",
                        "{got}/{want} bytes in {secs} s"
                    )
                )
            }
            Err(e) => return Err(e).context(pick("接收回答", "reading the reply")),
        }
    }
    Ok(reply)
}
