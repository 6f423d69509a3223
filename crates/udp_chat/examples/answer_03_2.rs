//! 练习 03-2 的参考答案: menu choice `4: 广播` of udp_chat, on its own. It sends MESSAGE to the
//! broadcast address 127.255.255.255 (every host of the loopback network 127.0.0.0/8) on PORT.
//! The system refuses a broadcast from a socket that has not said it means one: that is
//! `set_broadcast(true)`, Python's `setsockopt(SOL_SOCKET, SO_BROADCAST, 1)`. `--no-broadcast`
//! leaves it out, to see the refusal.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat -- --bind 0.0.0.0:7890          (choose 2)
//! terminal 2:  cargo run -p udp_chat --example answer_03_2 -- 7890 你好
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;

use anyhow::{Context, Result};
use netcommon::{check_addr, say, tr, usage_error, Args};

const USAGE_ZH: &str =
    "用法：answer_03_2 [--bind 0.0.0.0:0] [--to 127.255.255.255] [--no-broadcast] PORT MESSAGE";
const USAGE_EN: &str =
    "usage: answer_03_2 [--bind 0.0.0.0:0] [--to 127.255.255.255] [--no-broadcast] PORT MESSAGE";

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), broadcast)
}

fn broadcast(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", "0.0.0.0:0")?)?;
    let to = args.value_or("--to", "127.255.255.255")?;
    let allowed = !args.flag("--no-broadcast");
    let words = args.finish()?;
    let [port, msg] = words.as_slice() else {
        return usage_error(tr!("要 PORT 和 MESSAGE", "PORT and MESSAGE are needed"));
    };
    let Ok(port) = port.parse::<u16>() else {
        return usage_error(tr!(
            "端口 {port:?} 不是数字",
            "port {port:?} is not a number"
        ));
    };

    let socket = UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR: broadcast
    // udp_socket.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    socket.set_broadcast(allowed)?;
    let dest = format!("{to}:{port}");
    // udp_socket.sendto(msg.encode("utf-8"), ("127.255.255.255", port))
    match socket.send_to(msg.as_bytes(), &dest) {
        Ok(_) => say!("{}", tr!("已发送到 {dest}", "sent to {dest}")),
        Err(e) => {
            // What udp_chat's choice 1 prints, and in the chat it goes back to the menu.
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!(
                    "无法发送到 {dest}：{why}",
                    "could not send to {dest}: {why}"
                )
            );
        }
    }
    // ANCHOR_END: broadcast
    Ok(())
}
