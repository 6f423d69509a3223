//! # tcp_client: connect, send, read one reply per message
//!
//! Notes 000 "tcp网络程序-客户端" (the five steps), notes 001 "TCP 网络程序 - 客户端" (asks for
//! the server's ip and port, sends, `recv(1024)`), notes 002 "TCP客户端" (the loop that keeps
//! sending until the server closes).
//!
//! TCP needs a connection first: `connect` does the 3-way handshake (三次握手), then both sides
//! read and write a *byte stream*, and closing sends a FIN (四次挥手).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server -- --bind 127.0.0.1:8080
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:8080 你好 再见
//!              (no MESSAGE: type lines, `q` or end of input to stop)
//! ```
//!
//! What this adds to the notes, and why:
//! - `send` may send only part of the bytes; we use `write_all` (Python's `sendall`).
//! - "One `recv` is one reply" holds only if the reply arrived in one piece: TCP keeps no
//!   message boundaries (the 黏包 lesson, sticky_packet_demo). We read once, as the notes do,
//!   and say so; a protocol that needs whole messages must frame them.
//! - A 0-byte read means the server closed (notes 001 注意 9): we print that and exit 0. So does
//!   a reset, which a server that closes with unread bytes sends instead (Python would raise).
//! - The notes wait forever in `connect`, `send` and `recv`; we give each a deadline and say
//!   which one ran out.
//! - An empty line would send nothing and then wait for a reply that never comes: we skip it.

// ANCHOR: import
// 1. 导入依赖库 (import socket): the sockets are in std::net; netcommon holds what every lesson
// shares (the command line, the messages in two languages).
use std::io::{self, ErrorKind};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use netcommon::lang::io_error;
use netcommon::{input_or_eof, is_timeout, pick, resolve, say, tr, Args};
// ANCHOR_END: import

mod exchange;
mod usage;
use exchange::send_and_receive;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

mod silence;

/// `recv(1024)`: the most bytes one read takes.
const BUF_SIZE: usize = 1024;
/// How long we wait for the server to answer `connect`, and for it to take what we send.
const CONNECT_AND_SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long we wait for each reply unless `--timeout` says otherwise.
const DEFAULT_REPLY_TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), tcp_client)
}

fn tcp_client(args: Args) -> Result<()> {
    let Options {
        server,
        messages,
        timeout,
        encoding,
    } = options(args)?;
    // ANCHOR: connect
    // 2. 创建socket对象TCP (socket) and
    // 3. 连接tcp服务器 (connect): `TcpStream::connect_timeout` does both.
    let addr = resolve(&server)?;
    let mut stream = TcpStream::connect_timeout(&addr, CONNECT_AND_SEND_TIMEOUT)
        .map_err(|e| not_connected(&server, e))?;
    // ANCHOR_END: connect
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(CONNECT_AND_SEND_TIMEOUT))?;
    say!(
        "{}",
        tr!("已连接到 {}", "connected to {}", stream.peer_addr()?)
    );

    // Each message is sent, and its reply read, by send_and_receive (exchange.rs).
    if !messages.is_empty() {
        for message in &messages {
            if !send_and_receive(&mut stream, message, encoding)? {
                break;
            }
        }
    } else {
        // ANCHOR: input_loop
        // 002: while True: data = input(...) ... until the server closes, `q`, or end of input.
        let mut since = Instant::now(); // when we last heard from the server
        while let Some(line) = input_or_eof(pick("请输入要发送的数据：", "data to send: "))?
        {
            if line.eq_ignore_ascii_case("q")
                || silence::closed_while_silent(&mut stream, since, encoding)
            {
                break;
            }
            if !send_and_receive(&mut stream, &line, encoding)? {
                break;
            }
            since = Instant::now();
        }
        // ANCHOR_END: input_loop
    }
    // ANCHOR: close
    // 5. 关闭socket对象 (close): the server's recv then returns 0 bytes. Leaving the function
    // would close it too.
    drop(stream);
    // ANCHOR_END: close
    Ok(())
}

/// Steps 2 and 3 failed: why, said for a person.
fn not_connected(server: &str, e: io::Error) -> anyhow::Error {
    if is_timeout(&e) {
        return anyhow!(tr!(
            "连接 {server}：10 秒内没有回应",
            "connecting to {server}: no answer within 10 s"
        ));
    }
    // In Chinese, io_error says it: 连接被拒绝：...（服务器启动了吗？端口对吗？）
    if e.kind() == ErrorKind::ConnectionRefused {
        return anyhow!(tr!(
            "连接 {server}：{}",
            "connecting to {server}: {}; is the server running on that port?",
            io_error(&e)
        ));
    }
    anyhow::Error::new(e).context(tr!("连接 {server}", "connecting to {server}"))
}
