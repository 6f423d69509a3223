//! # udp_sender: send UDP datagrams
//!
//! Notes 001 "UDP 网络程序 - 发送/接收数据" (发送数据, then 接收数据 for `--wait-reply`),
//! notes 004 §1.2 "UDP 客户端编程", notes 002 "UDP发送飞秋消息" (see `examples/feiq.rs`).
//!
//! UDP needs no connection: create a socket, `sendto` an address, done. Each MESSAGE is one
//! datagram holding the message's bytes and nothing else; the receiver gets it whole or not at all.
//!
//! ```text
//! terminal 1:  cargo run -p udp_receiver -- --bind 127.0.0.1:7788 --reply Thanks
//! terminal 2:  cargo run -p udp_sender -- --wait-reply 127.0.0.1:7788 你好 world
//!              (no arguments: it asks for the address and the message, like the notes)
//! ```
//!
//! What this adds to the notes, and why:
//! - `recvfrom(1024)` silently cuts a longer reply: we ask for 1025 bytes, so we can tell, and warn.
//! - The notes wait for a reply forever; a lost datagram (UDP does not resend) hangs them.
//!   We wait `--timeout` seconds, then fail with exit 1 and say so.
//! - `input()` for the port then `int(...)` crashes on "abc": we ask again (输入有误，请重新输入...).

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use netcommon::{
    again, input, is_port_unreachable, is_timeout, kept_len, pick, resolve, say, tr, Args,
};

mod usage;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// recvfrom(1024): the most bytes of a reply we keep (notes 001 and 004).
const BUF_SIZE: usize = 1024;
/// How long `--wait-reply` waits for each reply unless `--timeout` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), udp_sender)
}

fn udp_sender(args: Args) -> Result<()> {
    let Options {
        bind,
        dest,
        mut messages,
        wait_reply,
        timeout,
        encoding,
    } = options(args)?;
    // ANCHOR: hw_send
    // ANCHOR: socket
    // 1. 创建udp套接字 (socket). Not binding lets the system pick a port (001 "多变的端口号");
    // `UdpSocket::bind` is socket() + bind() in one call, so "any address, port 0" does that.
    let any = if dest.starts_with('[') {
        "[::]:0" // an IPv6 destination needs an IPv6 socket (AF_INET6)
    } else {
        "0.0.0.0:0"
    };
    let bind = bind.as_deref().unwrap_or(any);
    let socket = UdpSocket::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // Not in the notes: a deadline on each reply and each send (the notes wait forever).
    socket.set_read_timeout(Some(timeout))?;
    socket.set_write_timeout(Some(timeout))?;
    // ANCHOR_END: socket

    // ANCHOR: dest_addr
    // 2. 准备接收方的地址 (dest_addr): look the name up (`localhost` → 127.0.0.1).
    let dest = resolve(&dest)?;
    // ANCHOR_END: dest_addr

    // ANCHOR: input
    // 3. 从键盘获取数据 (input), when no MESSAGE was given.
    if messages.is_empty() {
        messages.push(input(pick("请输入要发送的数据:", "data to send: "))?);
    }
    // ANCHOR_END: input

    for message in &messages {
        // ANCHOR: sendto
        // 4. 发送数据到指定的电脑上的指定程序中 (sendto): one sendto, one datagram.
        let bytes = encoding.encode(message);
        socket
            .send_to(&bytes, dest)
            .map_err(|e| not_sent(e, dest, timeout))?;
        let n = bytes.len();
        say!(
            "{}",
            tr!("已发送 {n} 字节到 {dest}", "sent {n} bytes to {dest}")
        );
        // ANCHOR_END: sendto

        if wait_reply {
            // ANCHOR: recvfrom
            // 5. 等待接收对方发送的数据 (recvfrom): recv_data = udp_socket.recvfrom(1024).
            // We ask for one byte more than we keep: if it arrives, the reply was cut (kept_len).
            let mut buf = [0; BUF_SIZE + 1];
            let (n, from) =
                again(|| socket.recv_from(&mut buf)).map_err(|e| no_reply(e, dest, timeout))?;
            let data = &buf[..kept_len(n, BUF_SIZE, from)];
            // ANCHOR_END: recvfrom
            // ANCHOR: show_reply
            // 6. 显示对方发送的数据 (print): recv_data[0] is the data, recv_data[1] the sender;
            // in Chinese the way notes 002's chat prints them (收到来自%s的数据:%s).
            let text = encoding.decode(data);
            say!(
                "{}",
                tr!("收到来自 {from} 的数据:{text}", "reply from {from}: {text}")
            );
            // ANCHOR_END: show_reply
        }
    }
    // ANCHOR: close
    // 7. 关闭套接字 (close): udp_socket.close(). Leaving the function would close it too.
    drop(socket);
    // ANCHOR_END: close
    Ok(())
    // ANCHOR_END: hw_send
}

/// Step 4 failed: why, said for a person.
fn not_sent(e: io::Error, dest: SocketAddr, timeout: Duration) -> anyhow::Error {
    if is_timeout(&e) {
        let s = timeout.as_secs_f64();
        return anyhow!(tr!(
            "发送到 {dest}：{s} 秒内没有发出去（系统的发送缓冲区一直是满的）",
            "sending to {dest}: not sent within {s} s"
        ));
    }
    // A message over 65,507 bytes: describe() says the limit and what to do.
    anyhow::Error::new(e).context(tr!("发送到 {dest}", "sending to {dest}"))
}

/// Step 5 failed: why, said for a person.
fn no_reply(e: io::Error, dest: SocketAddr, timeout: Duration) -> anyhow::Error {
    if is_timeout(&e) {
        let s = timeout.as_secs_f64();
        return anyhow!(tr!(
            "{s} 秒内没有收到 {dest} 的回复：对方在运行吗？地址对吗？UDP 也可能丢了数据报，\
             可以再发一次，或者用 --timeout 多等一会儿",
            "no reply from {dest} within {s} s"
        ));
    }
    // Windows: our datagram found no one listening at DEST ("port unreachable").
    if is_port_unreachable(&e) {
        return anyhow!(tr!(
            "{dest} 上没有程序在监听：先启动接收方，或者检查地址和端口",
            "no program is listening at {dest}"
        ));
    }
    anyhow::Error::new(e).context(tr!("等待回复", "waiting for a reply"))
}
