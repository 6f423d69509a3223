//! The UDP server of notes 002 "UDP服务端:": bound to port 8080, it prints who sent each
//! datagram and what, then sends back a line you type. Its client is `udp_reply_client_002`.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat --example udp_reply_server_002        (0.0.0.0:8080)
//! terminal 2:  cargo run -p udp_chat --example udp_reply_client_002        (bound to 10086)
//! ```
//!
//! Where this differs from the notes, and why:
//! - `def main()` lacks its colon, so the notes' file does not even start (SyntaxError).
//! - The notes send every reply to a fixed `("192.168.113.119", 10086)`, which reaches only that
//!   machine's client; we answer `adder`, the address the datagram came from, as notes 003 and
//!   004 do. Against the notes' client (bound to 10086) the two are the same.
//! - `recvfrom(1024)` silently cuts a longer datagram: we ask for 1025 bytes and warn; bytes
//!   that are not UTF-8 show as � instead of raising.
//! - `input()` has no prompt in the notes, so the program seems to hang: we print `>>> `.
//!   End of input ends the server normally.
//! - Control characters in a datagram are printed escaped (`\r`, `\u{1b}`): a datagram must not
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
用法：udp_reply_server_002 [ADDR]

每收到一个数据报，打印发送方和内容，再把你输入的一行发回去（笔记 002）。
  ADDR    监听的地址（默认 0.0.0.0:8080，笔记里的端口）";

const USAGE_EN: &str = "\
usage: udp_reply_server_002 [ADDR]

Prints `from IP:PORT: TEXT` for each datagram and sends back the line you type (notes 002).
  ADDR    the address to listen on (default 0.0.0.0:8080, the notes' port)";

/// `upd_socket.bind(("", 8080))`
const DEFAULT_ADDR: &str = "0.0.0.0:8080";
/// `recvfrom(1024)`: the most bytes of one datagram we keep.
const BUF_SIZE: usize = 1024;
/// The deadline for sending one reply.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), server)
}

fn server(args: Args) -> Result<()> {
    let addr = args.address(DEFAULT_ADDR)?;

    // upd_socket = socket.socket(AF_INET, SOCK_DGRAM); upd_socket.bind(("", 8080))
    let upd_socket =
        UdpSocket::bind(&addr).with_context(|| tr!("绑定 {addr}", "binding {addr}"))?;
    upd_socket.set_write_timeout(Some(SEND_TIMEOUT))?;
    announce_listening(upd_socket.local_addr()?)?;

    loop {
        // data, adder = upd_socket.recvfrom(1024). No deadline: waiting is a server's job.
        let mut buf = [0; BUF_SIZE + 1];
        let (n, adder) = match upd_socket.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier reply found no one listening. Not about this datagram.
            Err(e) if is_port_unreachable(&e) => continue,
            Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
        };
        let data = &buf[..kept_len(n, BUF_SIZE, adder)];
        // print("%s" % str(adder)); print("%s" % data.decode()), control characters escaped:
        // the text comes from the network, and must not rewrite the terminal or forge a line.
        // In Chinese, the notes' two lines: the sender, then the data.
        let data = printable_text(&String::from_utf8_lossy(data));
        say!("{}", tr!("{adder}\n{data}", "from {adder}: {data}"));
        // nook = input()
        let Some(nook) = input_or_eof(">>> ")? else {
            return Ok(());
        };
        // upd_socket.sendto(nook.encode(), ("192.168.113.119", 10086)): here, back to the sender
        if let Err(e) = upd_socket.send_to(nook.as_bytes(), adder) {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!("回复 {adder} 失败：{why}", "reply to {adder} failed: {why}")
            );
        }
    }
}
