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

use std::io;
use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{
    announce_listening, check_addr, is_port_unreachable, is_timeout, join_host_port, kept_len,
    pick, printable_text, resolve, say, tr, usage_error, Args, Encoding,
};

mod live;
use live::ask;

mod usage;
use usage::{USAGE_EN, USAGE_ZH};

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

fn udp_chat(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let live = args.flag("--live");
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let encoding = args.encoding()?;
    if let Some(extra) = args.finish()?.first() {
        return usage_error(tr!("多余的参数 {extra:?}", "unexpected argument {extra:?}"));
    }

    // ANCHOR: bind
    // 1. 创建套接字 and 2. 绑定本地信息
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
        // 3. 选择功能
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
        // 4. 根据选择调用相应的函数
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

/// The line for a bad choice: the notes' own words in Chinese (`print("输入有误，请重新输入...")`),
/// plain English in English.
fn wrong_input() -> &'static str {
    pick(
        "输入有误，请重新输入...",
        "wrong input, please try again...",
    )
}

/// 获取键盘数据，并将其发送给对方. Returns false at end of input.
fn send_msg(socket: &UdpSocket, encoding: Encoding) -> Result<bool> {
    // ANCHOR: hw_send_msg
    // ANCHOR: input_msg
    // 1. 从键盘输入数据
    let Some(msg) = ask(pick("\n请输入要发送的数据:", "\ndata to send: "))? else {
        return Ok(false);
    };
    // ANCHOR_END: input_msg
    // ANCHOR: input_ip
    // 2. 输入对方的ip地址
    let Some(dest_ip) = ask(pick("\n请输入对方的ip地址:", "\npeer ip: "))? else {
        return Ok(false);
    };
    // ANCHOR_END: input_ip
    // ANCHOR: input_port
    // 3. 输入对方的port: int(...) would crash on "abc"; we go back to the menu instead.
    let Some(dest_port) = ask(pick("\n请输入对方的port:", "\npeer port: "))? else {
        return Ok(false);
    };
    let Ok(dest_port) = dest_port.trim().parse::<u16>() else {
        let typed = dest_port.trim();
        let why = tr!(
            "端口必须是 0 到 65535 之间的整数，不是 {typed:?}。",
            "a port is a whole number from 0 to 65535, not {typed:?}."
        );
        say!("{why}\n{}", wrong_input());
        return Ok(true);
    };
    // ANCHOR_END: input_port
    // ANCHOR: sendto
    // 4. 发送数据: udp_socket.sendto(msg.encode("utf-8"), (dest_ip, dest_port)).
    // A typo in the address is reported, and the chat goes on.
    let dest = join_host_port(&dest_ip, dest_port);
    let sent = resolve(&dest).and_then(|addr| {
        let ours = socket.local_addr()?;
        if addr.is_ipv4() != ours.is_ipv4() {
            anyhow::bail!(tr!(
                "这个聊天器绑定在 {ours}，IP 版本不同：用 --bind 换成同一个版本的地址",
                "this chat is bound to {ours}, another IP version: use --bind to match"
            ))
        }
        socket.send_to(&encoding.encode(&msg), addr)?;
        Ok(addr)
    });
    // ANCHOR_END: sendto
    match sent {
        Ok(addr) => say!("{}", tr!("已发送到 {addr}", "sent to {addr}")),
        // describe: the cause in the chosen language, with what to do (a message over 65,507
        // bytes, an address that is not an IP...).
        Err(e) => {
            let why = netcommon::lang::describe(&e);
            say!(
                "{}",
                tr!(
                    "无法发送到 {dest}：{why}",
                    "could not send to {dest}: {why}"
                )
            )
        }
    }
    Ok(true)
    // ANCHOR_END: hw_send_msg
}

/// 接收数据并显示: waits for one datagram; returns the line to print.
fn recv_msg(socket: &UdpSocket, encoding: Encoding) -> io::Result<String> {
    // ANCHOR: hw_recv_msg
    // ANCHOR: recvfrom
    // 1. 接收数据: recv_msg = udp_socket.recvfrom(1024). We ask for one byte more than we keep:
    // if it arrives, the message was longer and was cut (kept_len warns).
    let mut buf = [0; BUF_SIZE + 1];
    let (n, recv_ip) = socket.recv_from(&mut buf)?;
    // ANCHOR_END: recvfrom
    let data = &buf[..kept_len(n, BUF_SIZE, recv_ip)];
    // ANCHOR: show
    // 2. 解码 and 3. 显示接收到的数据 (the caller prints it), control characters escaped: the
    // text comes from the network, and must not rewrite the terminal or forge a line.
    // In Chinese, what the notes print: print(">>>%s:%s" % (str(recv_ip), recv_msg)).
    let recv_msg = printable_text(&encoding.decode(data));
    Ok(tr!(">>>{recv_ip}:{recv_msg}", "from {recv_ip}: {recv_msg}"))
    // ANCHOR_END: show
    // ANCHOR_END: hw_recv_msg
}
