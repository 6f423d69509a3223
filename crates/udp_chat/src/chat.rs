//! The notes' two functions, 发送消息 (`send_msg`) and 接收消息 (`recv_msg`), and their line for
//! a bad choice: what the menu in main.rs calls.

use std::io;
use std::net::UdpSocket;

use anyhow::Result;
use netcommon::{
    again, join_host_port, kept_len, pick, printable_text, resolve, say, tr, Encoding,
};

use crate::live::ask;
use crate::BUF_SIZE;

/// The line for a bad choice: the notes' own words in Chinese (`print("输入有误，请重新输入...")`),
/// plain English in English.
pub fn wrong_input() -> &'static str {
    pick(
        "输入有误，请重新输入...",
        "wrong input, please try again...",
    )
}

/// 获取键盘数据，并将其发送给对方. Returns false at end of input.
pub fn send_msg(socket: &UdpSocket, encoding: Encoding) -> Result<bool> {
    // ANCHOR: hw_send_msg
    // ANCHOR: input
    // 1. 从键盘输入数据 (input)
    let Some(msg) = ask(pick("\n请输入要发送的数据:", "\ndata to send: "))? else {
        return Ok(false);
    };
    // 2. 输入对方的ip地址 (input)
    let Some(dest_ip) = ask(pick("\n请输入对方的ip地址:", "\npeer ip: "))? else {
        return Ok(false);
    };
    // 3. 输入对方的port (int(input)): int(...) would crash on "abc"; we go back to the menu.
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
    // ANCHOR_END: input
    // ANCHOR: sendto
    // 4. 发送数据 (sendto): udp_socket.sendto(msg.encode("utf-8"), (dest_ip, dest_port)).
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
pub fn recv_msg(socket: &UdpSocket, encoding: Encoding) -> io::Result<String> {
    // ANCHOR: hw_recv_msg
    // 1. 接收数据 (recvfrom): recv_msg = udp_socket.recvfrom(1024). We ask for one byte more
    // than we keep: if it arrives, the message was longer and was cut (kept_len warns).
    let mut buf = [0; BUF_SIZE + 1];
    let (n, recv_ip) = again(|| socket.recv_from(&mut buf))?;
    let data = &buf[..kept_len(n, BUF_SIZE, recv_ip)];
    // 2. 解码 (decode), control characters escaped: the text comes from the network, and must
    // not rewrite the terminal or forge a line.
    let recv_msg = printable_text(&encoding.decode(data));
    // 3. 显示接收到的数据 (print): the caller prints the line. In Chinese, what the notes print:
    // print(">>>%s:%s" % (str(recv_ip), recv_msg)).
    Ok(tr!(">>>{recv_ip}:{recv_msg}", "from {recv_ip}: {recv_msg}"))
    // ANCHOR_END: hw_recv_msg
}
