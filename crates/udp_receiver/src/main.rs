//! # udp_receiver: bind a UDP port and print every datagram that arrives
//!
//! Notes 001 "UDP 网络程序的端口绑定" (bind 7788, `recvfrom(1024)`, print) and notes 004 §1.1
//! "UDP 服务端编程" (the loop that answers every datagram with `b'Thanks'`, here `--reply`).
//!
//! A program that others must find binds a fixed port ("如果报警电话每天都在变，想必世界就会乱了");
//! `bind(("", 7788))` means every local address, written `0.0.0.0:7788` here.
//!
//! ```text
//! terminal 1:  cargo run -p udp_receiver -- --reply Thanks
//! terminal 2:  cargo run -p udp_sender -- --wait-reply 127.0.0.1:7788 你好
//! ```
//!
//! What this adds to the notes, and why:
//! - `recvfrom(1024)` cuts a longer datagram and drops the rest without a word: we ask for 1025
//!   bytes, so we can tell, and warn.
//! - `data.decode()` raises on bytes that are not UTF-8 and ends the server: we print
//!   replacement characters (�) and go on. Control characters are printed escaped (`\r`,
//!   `\u{1b}`): a datagram must not rewrite the terminal or forge a line of the log.
//! - On Windows, `recvfrom` fails with "connection reset" after a `sendto` whose datagram found
//!   no one listening, and the notes' loop dies there: we skip that error.
//! - Waiting for the next datagram has no deadline: that is a server's job, and no peer can hold
//!   it (one `recv_from` returns one whole datagram). A reply that the system cannot send within
//!   a second is given up and logged, so no peer can stall it either.

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, is_port_unreachable, kept_len, printable_text, say, tr, Args};

mod usage;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `bind(("", 7788))`: every local address, the notes' port.
const DEFAULT_BIND: &str = "0.0.0.0:7788";
/// `recvfrom(1024)`: the most bytes of one datagram we keep.
const BUF_SIZE: usize = 1024;
/// The deadline for sending one `--reply`.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), udp_receiver)
}

fn udp_receiver(args: Args) -> Result<()> {
    let Options {
        bind,
        count,
        reply,
        encoding,
    } = options(args)?;
    // ANCHOR: hw_receive
    // ANCHOR: bind
    // 1. 创建套接字 (socket) and
    // 2. 绑定本地的相关信息 (bind): `UdpSocket::bind` does socket() then bind().
    let socket = UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    socket.set_write_timeout(Some(SEND_TIMEOUT))?;
    // Not in the notes: say the real address (port 0 gets one from the system), once ready.
    announce_listening(socket.local_addr()?)?;
    // ANCHOR_END: bind

    // 004: 循环收发消息 (while True). With --count N we stop after N datagrams.
    let mut received = 0;
    while count.is_none_or(|n| received < n) {
        // ANCHOR: recvfrom
        // 3. 等待接收对方发送的数据 (recvfrom): recvfrom(1024).
        // A datagram is received whole or not at all, and one recv_from returns one datagram.
        // If it is longer than the buffer, the kernel keeps what fits and throws the rest away;
        // the next recv_from returns the *next* datagram. So we ask for one byte more than we
        // keep: if that byte arrives, the datagram was cut, and kept_len warns.
        let mut buf = [0; BUF_SIZE + 1];
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier reply found no one listening. Not about this datagram.
            Err(e) if is_port_unreachable(&e) => continue,
            Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
        };
        let data = &buf[..kept_len(n, BUF_SIZE, from)];
        // ANCHOR_END: recvfrom
        received += 1;

        // ANCHOR: show
        // 4. 显示接收到的数据 (print), with the sender's address (recv_data[1] in the notes),
        // control characters escaped: the text must not rewrite the terminal or forge a line.
        // In Chinese, the way notes 002's chat prints a datagram (收到来自%s的数据:%s), with
        // spaces around the address.
        let text = printable_text(&encoding.decode(data));
        say!(
            "{}",
            tr!("收到来自 {from} 的数据:{text}", "from {from}: {text}")
        );
        // ANCHOR_END: show

        // ANCHOR: reply
        // 004: sockfd.sendto(b'Thanks', addr): answer whoever sent this datagram.
        if let Some(reply) = &reply {
            if let Err(e) = socket.send_to(reply, from) {
                // One bad peer never stops the server.
                let why = netcommon::lang::io_error(&e);
                say!(
                    "{}",
                    tr!("回复 {from} 失败：{why}", "reply to {from} failed: {why}")
                );
            }
        }
        // ANCHOR_END: reply
    }
    // ANCHOR: close
    // 5. 关闭套接字 (close): udp_socket.close(). Leaving the function would close it too.
    drop(socket);
    // ANCHOR_END: close
    Ok(())
    // ANCHOR_END: hw_receive
}
