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
use std::io::ErrorKind;
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::lang::io_error;
use netcommon::{ask_addr, check_addr, input_or_eof, is_timeout, pick, resolve, say, tr, Args};
// ANCHOR_END: import

mod exchange;
mod usage;
use exchange::send_and_receive;
use usage::{USAGE_EN, USAGE_ZH};

mod silence;

/// `recv(1024)`: the most bytes one read takes.
// ANCHOR: buf_size
const BUF_SIZE: usize = 1024;
// ANCHOR_END: buf_size
/// How long we wait for the server to answer `connect`, and for it to take what we send.
const CONNECT_AND_SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long we wait for each reply unless `--timeout` says otherwise.
const DEFAULT_REPLY_TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), tcp_client)
}

fn tcp_client(mut args: Args) -> Result<()> {
    let encoding = args.encoding()?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_REPLY_TIMEOUT);
    let mut words = args.finish()?.into_iter();

    // ANCHOR: server_addr
    // 目的信息: server_ip = input("请输入服务器ip:"), server_port = int(input("请输入服务器port:"))
    let server = match words.next() {
        Some(server) => check_addr(&server)?,
        None => ask_addr(
            pick("请输入服务器ip:", "server ip: "),
            pick("请输入服务器port:", "server port: "),
        )?,
    };
    // ANCHOR_END: server_addr
    let messages: Vec<String> = words.collect();

    // ANCHOR: connect
    // 2. 创建socket对象TCP and 3. 连接tcp服务器 connect: `TcpStream::connect_timeout` does both.
    let addr = resolve(&server)?;
    let mut stream = match TcpStream::connect_timeout(&addr, CONNECT_AND_SEND_TIMEOUT) {
        Ok(stream) => stream,
        Err(e) if is_timeout(&e) => bail!(
            "{}",
            tr!(
                "连接 {server}：10 秒内没有回应",
                "connecting to {server}: no answer within 10 s"
            )
        ),
        // In Chinese, io_error says it: 连接被拒绝：...（服务器启动了吗？端口对吗？）
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => bail!(
            "{}",
            tr!(
                "连接 {server}：{}",
                "connecting to {server}: {}; is the server running on that port?",
                io_error(&e)
            )
        ),
        Err(e) => return Err(e).with_context(|| tr!("连接 {server}", "connecting to {server}")),
    };
    // ANCHOR_END: connect
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(CONNECT_AND_SEND_TIMEOUT))?;
    say!(
        "{}",
        tr!("已连接到 {}", "connected to {}", stream.peer_addr()?)
    );

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
    // 5. 关闭socket对象: dropping `stream` closes it; the server's recv then returns 0 bytes.
    // ANCHOR_END: close
    Ok(())
}
