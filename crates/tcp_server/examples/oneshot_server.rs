//! The first TCP server of notes 001 "TCP 网络程序 - 服务器": one client, one `recv`, one answer.
//!
//! It accepts a single client, reads once, answers `thank you !` and exits. Compare it with
//! `tcp_server` (the notes' 000 "服务器增强"), which loops over clients and over messages.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example oneshot_server -- 127.0.0.1:7788
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:7788 hello
//! ```

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{again, announce_listening, peer_tag, read_failed, say, tr, Args};

const USAGE_ZH: &str = "用法：oneshot_server [ADDR]   （默认 0.0.0.0:7788，笔记的端口）";
const USAGE_EN: &str = "usage: oneshot_server [ADDR]   (default 0.0.0.0:7788, the notes' port)";
/// The notes' client connects, then asks its user for the message: wait this long for it.
/// Each write waits at most 10 s.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), oneshot)
}

fn oneshot(args: Args) -> Result<()> {
    let address = args.address("0.0.0.0:7788")?;

    // 创建socket, 绑定, listen: TcpListener::bind does socket(), bind() and listen() together.
    let tcp_server_socket =
        TcpListener::bind(&address).with_context(|| tr!("绑定 {address}", "binding {address}"))?;
    announce_listening(tcp_server_socket.local_addr()?)?;

    // ANCHOR: accept
    // client_socket用来为这个客户端服务
    let (mut client_socket, client_addr) = tcp_server_socket
        .accept()
        .with_context(|| tr!("等待客户端接入", "accepting"))?;
    // ANCHOR_END: accept
    let who = peer_tag(client_addr);
    say!(
        "{}",
        tr!("有新的客户端接入：{client_addr}", "{who} connected")
    );
    client_socket.set_read_timeout(Some(READ_TIMEOUT))?;
    client_socket.set_write_timeout(Some(WRITE_TIMEOUT))?;

    // 接收对方发送过来的数据: recv(1024) returns what has arrived, maybe not all that was sent.
    let mut recv_data = [0; 1024];
    let n = again(|| client_socket.read(&mut recv_data))
        .map_err(|e| read_failed(&who, READ_TIMEOUT, e))?;
    // print('接收到的数据为:', ...): the notes' own words in Chinese, plain English in English.
    let text = String::from_utf8_lossy(&recv_data[..n]);
    say!("{}", tr!("接收到的数据为: {text}", "received: {text}"));

    // 发送一些数据到客户端 (write_all: all of it, unlike a bare send)
    client_socket
        .write_all(b"thank you !")
        .with_context(|| tr!("发送数据", "sending"))?;

    // 关闭为这个客户端服务的套接字: happens when client_socket is dropped here.
    Ok(())
}
