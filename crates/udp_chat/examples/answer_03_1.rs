//! 练习 03-1 的参考答案: a 回声端 like notes 002's `jieshou`: every datagram that arrives is
//! printed and sent back, unchanged, to whoever sent it. With DEST and MESSAGE it first sends
//! MESSAGE to DEST itself: two echo ends started that way bounce one message between them
//! forever, which is why `--count N` (stop after N datagrams) is there.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat --example answer_03_1 -- --bind 127.0.0.1:6666
//! terminal 2:  cargo run -p udp_chat -- --bind 127.0.0.1:7891 --live   (1, 你好, 127.0.0.1, 6666)
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{
    announce_listening, check_addr, is_port_unreachable, kept_len, printable_text, resolve, say,
    tr, Args,
};

const USAGE_ZH: &str = "用法：answer_03_1 [--bind 0.0.0.0:6666] [--count N] [DEST MESSAGE]";
const USAGE_EN: &str = "usage: answer_03_1 [--bind 0.0.0.0:6666] [--count N] [DEST MESSAGE]";

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), echo)
}

fn echo(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", "0.0.0.0:6666")?)?;
    let count: Option<u64> = args.parsed("--count")?;
    let first = args.finish()?;

    // udp_socket = socket(AF_INET, SOCK_DGRAM); udp_socket.bind(("", 6666))
    let socket = UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    socket.set_write_timeout(Some(Duration::from_secs(1)))?;
    announce_listening(socket.local_addr()?)?;
    if let [dest, message] = first.as_slice() {
        // The first message, to start the game: udp_socket.sendto(msg.encode(), (ip, port))
        socket.send_to(message.as_bytes(), resolve(&check_addr(dest)?)?)?;
    }

    let mut received = 0;
    while count.is_none_or(|n| received < n) {
        // recv_data = udp_socket.recvfrom(1024)
        let mut buf = [0; 1025];
        let (n, addr) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if is_port_unreachable(&e) => continue, // Windows: the peer is gone
            Err(e) => return Err(e).context(tr!("接收", "receiving")),
        };
        received += 1;
        let data = &buf[..kept_len(n, 1024, addr)];
        let text = printable_text(&String::from_utf8_lossy(data));
        say!(
            "{}",
            tr!(
                "收到来自 {addr} 的数据:{text}，原样发回",
                "from {addr}: {text}, sent back"
            )
        );
        // udp_socket.sendto(recv_data[0], recv_data[1]): the same bytes, back to the sender
        if let Err(e) = socket.send_to(data, addr) {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!(
                    "发回 {addr} 失败：{why}",
                    "sending back to {addr} failed: {why}"
                )
            );
        }
    }
    Ok(())
}
