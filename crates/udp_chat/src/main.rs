//! # udp_chat: the notes' UDP 聊天器, and a live mode
//!
//! Notes 001 "案例：UDP 聊天器" (the menu, `send_msg` and `recv_msg`) and notes 002
//! "UDP简单聊天案例" (which adds 3 退出). One socket, bound to port 7890, both sends and receives.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat -- --bind 127.0.0.1:7890
//! terminal 2:  cargo run -p udp_chat -- --bind 127.0.0.1:7891
//!              choose 1, type a message, 127.0.0.1, 7890; in terminal 1 choose 2 to read it
//! ```
//!
//! **Menu mode** (the notes): `2` calls `recvfrom`, which *blocks* until a datagram arrives;
//! meanwhile you cannot send. Datagrams wait in the socket's receive buffer until then.
//! **Live mode** (`--live`, a step beyond the notes): a second thread (see `live.rs`) receives
//! and prints each message as it arrives, on the same socket (`try_clone`), while you type.
//!
//! What this adds to the notes, and why:
//! - `int(input(...))` crashes on a port that is not a number: we say so and show the menu again.
//! - `recvfrom(1024)` silently cuts a longer message: we ask for 1025 bytes and warn. Bad UTF-8
//!   becomes �, not a crash. Choice 2 waits at most `--timeout` seconds, not forever.
//! - A received message is shown with its control characters escaped (`\r`, `\u{1b}`): it
//!   must not rewrite the terminal or forge a line.
//! - The notes' loop never ends (001) or ends only on 3 (002): we also stop at end of input.

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, is_port_unreachable, is_timeout, pick, say, tr, Args};

mod live;
use live::ask;

mod chat;
mod usage;
use chat::{recv_msg, send_msg, wrong_input};
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `udp_socket.bind(("", 7890))`: the notes' port.
const DEFAULT_BIND: &str = "0.0.0.0:7890";
/// `recvfrom(1024)`: the most bytes of one message we keep.
const BUF_SIZE: usize = 1024;
/// How long choice 2 waits for a message unless `--timeout` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The deadline for sending one message.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), udp_chat)
}

fn udp_chat(args: Args) -> Result<()> {
    let Options {
        bind,
        live,
        timeout,
        encoding,
    } = options(args)?;
    // ANCHOR: bind
    // 1. 创建套接字 (socket) and
    // 2. 绑定本地信息 (bind): `UdpSocket::bind` does both.
    let socket = UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind
    socket.set_write_timeout(Some(SEND_TIMEOUT))?;
    announce_listening(socket.local_addr()?)?;

    if live {
        // ANCHOR: live
        let receiver = socket
            .try_clone()
            .with_context(|| tr!("复制套接字", "cloning the socket"))?;
        live::receive_in_background(receiver, move |s| recv_msg(s, encoding));
        // ANCHOR_END: live
    } else {
        socket.set_read_timeout(Some(timeout))?;
    }

    loop {
        // ANCHOR: menu
        // 3. 选择功能 (print the menu, input the choice)
        let line = "=".repeat(30);
        let menu = pick(
            "1:发送消息\n2:接收消息\n3:退出",
            "1:send a message\n2:receive a message\n3:quit",
        );
        say!("{line}\n{menu}\n{line}");
        let question = pick(
            "请输入要操作的功能序号:",
            "choose a function by its number: ",
        );
        let Some(op_num) = ask(question)? else {
            return Ok(()); // end of input: quit, like 3
        };
        // ANCHOR_END: menu

        // ANCHOR: dispatch
        // 4. 根据选择调用相应的函数 (send_msg, recv_msg)
        match op_num.trim() {
            "1" => {
                if !send_msg(&socket, encoding)? {
                    return Ok(());
                }
            }
            "2" if live => say!(
                "{}",
                tr!(
                    "（实时模式：消息一到就会打印出来）",
                    "(live mode: messages are printed as they arrive)"
                )
            ),
            "2" => match recv_msg(&socket, encoding) {
                Ok(line) => say!("{line}"),
                Err(e) if is_timeout(&e) || is_port_unreachable(&e) => {
                    let s = timeout.as_secs_f64();
                    say!(
                        "{}",
                        tr!(
                            "{s} 秒内没有收到消息：回到菜单（要多等，用 --timeout）",
                            "no message within {s} s: back to the menu"
                        )
                    )
                }
                Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
            },
            "3" => return Ok(()),
            _ => say!("{}", wrong_input()),
        }
        // ANCHOR_END: dispatch
    }
}
