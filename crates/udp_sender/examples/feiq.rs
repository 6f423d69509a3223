//! Send a 飞秋 (FeiQ / IP Messenger) chat message, as notes 002 "UDP发送飞秋消息" does.
//!
//! 飞秋 listens on UDP port 2425 and reads one datagram per message, GBK-encoded, in the IPMSG
//! format `version:packet-id:user:host:command:text`; command 32 (0x20, IPMSG_SENDMSG) is
//! "send a message". The notes loop over a subnet's addresses; this sends to one address.
//!
//! ```text
//! cargo run -p udp_sender --example feiq -- 127.0.0.1:2425 你好
//! cargo run -p udp_sender --example feiq            (asks for the text, like the notes)
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use netcommon::{any_local, check_addr, input, resolve, say, tr, Args, Encoding};

const USAGE_ZH: &str = "用法：feiq [DEST] [TEXT...]   （DEST 默认是 127.0.0.1:2425）";
const USAGE_EN: &str = "usage: feiq [DEST] [TEXT...]   (DEST defaults to 127.0.0.1:2425)";
/// 飞秋's well-known UDP port.
const FEIQ_PORT: u16 = 2425;
/// IPMSG_SENDMSG: "this datagram is a chat message".
const IPMSG_SENDMSG: u32 = 32;
/// The deadline for sending the datagram.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), feiq)
}

fn feiq(args: Args) -> Result<()> {
    let mut words = args.finish()?.into_iter();
    let dest = match words.next() {
        Some(dest) => check_addr(&dest)?,
        None => format!("127.0.0.1:{FEIQ_PORT}"),
    };
    let dest = resolve(&dest)?;
    // udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM): no bind, any port
    let socket = UdpSocket::bind(any_local(dest))
        .with_context(|| tr!("创建 UDP 套接字", "creating the UDP socket"))?;
    socket.set_write_timeout(Some(SEND_TIMEOUT))?;
    // str1 = input("请输入内容:")
    let text: Vec<String> = words.collect();
    let text = if text.is_empty() {
        input(netcommon::pick("请输入内容:", "message: "))?
    } else {
        text.join(" ")
    };
    // str2 = "1:324244:小道士:ubuntu:32:" + str1. The packet id should differ per message:
    // the notes' fixed 324244 makes 飞秋 drop repeats as duplicates, so we use the clock.
    let packet_id = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let message = format!("1:{packet_id}:小道士:ubuntu:{IPMSG_SENDMSG}:{text}");
    // udp_socket.sendto((str2).encode("gbk"), (ip_num, 2425))
    let bytes = Encoding::Gbk.encode(&message);
    socket
        .send_to(&bytes, dest)
        .with_context(|| tr!("发送到 {dest}", "sending to {dest}"))?;
    let n = bytes.len();
    say!(
        "{}",
        tr!(
            "已发送 {n} 字节（GBK）到 {dest}：{message}",
            "sent {n} bytes (GBK) to {dest}: {message}"
        )
    );
    Ok(())
}
