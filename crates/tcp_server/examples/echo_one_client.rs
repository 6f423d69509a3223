//! The TCP echo server of notes 002 "TCP服务端": one client, every message sent straight back,
//! until that client closes; then the server ends too.
//!
//! The step between `oneshot_server` (one message) and `tcp_server` (client after client).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example echo_one_client -- 127.0.0.1:10050
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:10050
//! ```

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{again, announce_listening, peer_tag, read_failed, say, tr, Args};

const USAGE_ZH: &str = "用法：echo_one_client [ADDR]   （默认 0.0.0.0:10050，笔记的端口）";
const USAGE_EN: &str = "usage: echo_one_client [ADDR]   (default 0.0.0.0:10050, the notes' port)";
/// The notes' client asks its user for each line: wait this long for the next one.
/// Each write waits at most 10 s.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), echo_one_client)
}

fn echo_one_client(args: Args) -> Result<()> {
    let address = args.address("0.0.0.0:10050")?;

    // listen 变成被动套接字,只有被动套接字才能接受客服端消息
    let tcp_server =
        TcpListener::bind(&address).with_context(|| tr!("绑定 {address}", "binding {address}"))?;
    announce_listening(tcp_server.local_addr()?)?;

    // 返回值 客户socket---客户套接字, 客户端地址
    let (mut clie_socket, addrs) = tcp_server
        .accept()
        .with_context(|| tr!("等待客户端接入", "accepting"))?;
    let who = peer_tag(addrs);
    say!("{}", tr!("有新的客户端接入：{addrs}", "{who} connected"));
    clie_socket.set_read_timeout(Some(READ_TIMEOUT))?;
    clie_socket.set_write_timeout(Some(WRITE_TIMEOUT))?;

    let mut recv_data = [0; 1024];
    loop {
        // recv 是接收从客户端发过来的消息. 0 bytes: the client closed.
        let n = again(|| clie_socket.read(&mut recv_data))
            .map_err(|e| read_failed(&who, READ_TIMEOUT, e))?;
        if n == 0 {
            // print("客户端已关闭"): the notes' own words in Chinese, plain English in English.
            say!(
                "{}",
                netcommon::pick("客户端已关闭", "the client closed the connection")
            );
            return Ok(());
        }
        // ANCHOR: echo
        clie_socket
            .write_all(&recv_data[..n])
            .context(netcommon::pick("发送数据", "sending"))?;
        // ANCHOR_END: echo
        say!("{}", String::from_utf8_lossy(&recv_data[..n]));
    }
}
