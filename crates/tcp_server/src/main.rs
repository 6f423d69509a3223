//! # tcp_server: a TCP server that serves clients one after another
//!
//! Notes 000 "tcp网络程序-服务器增强" (the seven steps, accepting client after client), notes 001
//! "TCP 网络程序 - 服务器" (socket, bind, listen, accept, recv/send), notes 002 "TCP服务端" (echo).
//! The earlier one-shot forms are in `examples/`: `oneshot_server.rs` (001) and
//! `echo_one_client.rs` (002).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server                 (replies 收到！ to every message)
//!              cargo run -p tcp_server -- --echo       (sends every chunk back)
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:8080 你好
//! ```
//!
//! One client at a time: while one is connected, the next waits in the listen queue (backlog)
//! until the first leaves. tcp_multi_server (notes 003) serves them all at once.
//!
//! What this adds to the notes, and why:
//! - `send` may send part of the bytes: `write_all` (Python's `sendall`).
//! - A client that resets or sends bytes that are not text would raise and stop the notes'
//!   server: we log it and go on to the next client; bad text is shown as �, and control
//!   characters escaped (`\r`, `\u{1b}`): a client must not rewrite the terminal or forge a
//!   line of the log.
//! - A client that connects and says nothing, or never reads our answers, holds the notes'
//!   server (and every client queued behind it) forever: each read and write waits at most
//!   `--idle-timeout` seconds, and one client is served at most `--max-time` seconds in all (a
//!   client sending one byte every 2 s would pass any per-read timeout).
//! - One `recv(1024)` is a chunk, not a message: TCP keeps no boundaries (黏包, notes 003).

// ANCHOR: import
// 1. 导入依赖库: std::net has the sockets, netcommon the command line and the log.
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::lang::describe;
use netcommon::{announce_listening, peer_tag, pick, say, tr, AcceptErrors};
// ANCHOR_END: import

mod client;
mod usage;
use client::serve;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `bind(("", 8080))`: every local address, the notes' port.
// ANCHOR: default_bind
const DEFAULT_BIND: &str = "0.0.0.0:8080";
// ANCHOR_END: default_bind
/// `tcp_client_socket.send("收到！".encode())`: the notes' answer.
const DEFAULT_REPLY: &str = "收到！";
/// `recv(1024)`: the most bytes one read takes.
const BUF_SIZE: usize = 1024;
/// A client silent this long is closed, so it cannot hold the (one-at-a-time) server forever.
const DEFAULT_IDLE: Duration = Duration::from_secs(60);
/// Any client is closed after this long in all, however it trickles its bytes.
const DEFAULT_MAX_TIME: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), |args| tcp_server(options(args)?))
}

fn tcp_server(opts: Options) -> Result<()> {
    let bind = &opts.bind;
    // ANCHOR: bind_listen
    // 2. 创建socket对象 TCP, 3. bind IP地址和端口号, 4. listen 变为被动模式: TcpListener::bind
    // does all three, with listen(128) like the notes. On Unix it also sets SO_REUSEADDR (the
    // notes' setsockopt line), so a restarted server can bind again while old connections sit
    // in TIME_WAIT (`strace -e setsockopt,listen` shows both).
    let listener = TcpListener::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    // ANCHOR: announce
    announce_listening(listener.local_addr()?)?;
    // print("服务器已开启，等待客户端的接入"): the notes' line, in Chinese only (in English the
    // listening line says it).
    if !netcommon::english() {
        say!("服务器已开启，等待客户端的接入");
    }
    // ANCHOR_END: announce
    let mut accept_errors = AcceptErrors::new();

    loop {
        // ANCHOR: accept
        // 5. accept 循环等待客户端的接入 (阻塞): a new socket for this client, and its address.
        let Some((client, ip_port)) = accept_errors.accepted(listener.accept()) else {
            continue; // e.g. out of file descriptors: said at most once a second
        };
        // ANCHOR_END: accept
        // [127.0.0.1:PORT], or [::1]:PORT for IPv6
        let who = peer_tag(ip_port);
        // ANCHOR: connected
        // print("有新的客户端接入：", ip_port)
        say!("{}", tr!("有新的客户端接入：{ip_port}", "{who} connected"));
        // ANCHOR_END: connected

        // ANCHOR: serve
        // 6. 接收/发送数据, until this client leaves; whatever happens, the server goes on.
        match serve(client, ip_port, &opts) {
            // print("客户端已断开：",ip_port)
            Ok(()) => say!(
                "{}",
                tr!("客户端已断开：{ip_port}", "{who} closed the connection")
            ),
            Err(e) => say!("{who} {}", describe(&e)),
        }
        // ANCHOR_END: serve
        if opts.once {
            break;
        }
    }
    // ANCHOR: close_server
    // 7. 关闭socket对象: dropping `listener` stops accepting new clients.
    // ANCHOR_END: close_server
    Ok(())
}
