//! The UDP server of notes 003 "udp协议" (服务器端): receive a message, print it, type the
//! reply at the `>>>` prompt, send it back to whoever sent the message. Its client is
//! `udp_reply_client_003`.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat --example udp_reply_server_003            (127.0.0.1:9001)
//! terminal 2:  cargo run -p udp_chat --example udp_reply_client_003
//! ```
//!
//! UDP needs no `listen`/`accept` (the notes: 不需要listen监听): after `bind` the socket can
//! receive, and each `recvfrom` says who sent the datagram, so the reply goes back there.
//!
//! Where this differs from the notes, and why:
//! - `recvfrom(1024)` silently cuts a longer datagram: we ask for 1025 bytes and warn.
//! - `msg.decode('utf-8')` raises on bytes that are not UTF-8: we show � instead.
//! - End of input at `>>>` (Ctrl-D) ends the server normally; Python raises EOFError.
//! - Control characters in a message are printed escaped (`\r`, `\u{1b}`): a datagram must not
//!   rewrite the terminal or forge a line of the log.
//! - On Windows, `recvfrom` fails with "connection reset" after a reply found no one listening
//!   (the client had gone): the notes' server would stop; ours goes on.

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{
    announce_listening, input_or_eof, is_port_unreachable, kept_len, printable_text, say, tr, Args,
};

const USAGE_ZH: &str = "\
用法：udp_reply_server_003 [ADDR]

收到一条消息就打印出来，再把你在 `>>>` 后输入的内容发回去（笔记 003 udp协议）。
  ADDR    监听的地址（默认 127.0.0.1:9001，笔记里的地址）";

const USAGE_EN: &str = "\
usage: udp_reply_server_003 [ADDR]

Receives a message, prints it, and sends back what you type at `>>>` (notes 003 udp协议).
  ADDR    the address to listen on (default 127.0.0.1:9001, the notes' address)";

/// `sk.bind(('127.0.0.1', 9001))`
const DEFAULT_ADDR: &str = "127.0.0.1:9001";
/// `sk.recvfrom(1024)`: the most bytes of one message we keep.
const BUF_SIZE: usize = 1024;
/// The deadline for sending one reply.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), server)
}

fn server(args: Args) -> Result<()> {
    let addr = args.address(DEFAULT_ADDR)?;

    // sk = socket.socket(type=socket.SOCK_DGRAM); sk.bind(('127.0.0.1', 9001)): 申请操作系统的资源
    let sk = UdpSocket::bind(&addr).with_context(|| tr!("绑定 {addr}", "binding {addr}"))?;
    sk.set_write_timeout(Some(SEND_TIMEOUT))?;
    announce_listening(sk.local_addr()?)?;

    loop {
        // msg, addr = sk.recvfrom(1024): 接受消息和地址. Waiting for the next message has no
        // deadline: that is what a server does, and no client can hold it.
        let mut buf = [0; BUF_SIZE + 1];
        let (n, addr) = match sk.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier reply found no one listening. Not about this message.
            Err(e) if is_port_unreachable(&e) => continue,
            Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
        };
        let msg = &buf[..kept_len(n, BUF_SIZE, addr)];
        // print(msg.decode('utf-8')), control characters escaped: the text comes from the
        // network, and must not rewrite the terminal or forge a line.
        say!("{}", printable_text(&String::from_utf8_lossy(msg)));
        // mmsg = input('>>>')
        let Some(mmsg) = input_or_eof(">>>")? else {
            return Ok(());
        };
        // sk.sendto(mmsg.encode('utf-8'), addr): 需要写一个对方的地址
        if let Err(e) = sk.send_to(mmsg.as_bytes(), addr) {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!("回复 {addr} 失败：{why}", "reply to {addr} failed: {why}")
            );
        }
    }
    // sk.close(): the socket closes when `sk` goes out of scope (归还申请的操作系统资源).
}
