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

use anyhow::{Context, Result};
use netcommon::{announce_listening, check_addr, Args};

const USAGE: &str = "usage: echo_one_client [ADDR]   (default 0.0.0.0:10050, the notes' port)";

fn main() -> ExitCode {
    netcommon::run(USAGE, echo_one_client)
}

fn echo_one_client(args: Args) -> Result<()> {
    let words = args.finish()?;
    let address = check_addr(words.first().map_or("0.0.0.0:10050", |s| s.as_str()))?;

    // listen 变成被动套接字,只有被动套接字才能接受客服端消息
    let tcp_server = TcpListener::bind(&address).with_context(|| format!("binding {address}"))?;
    announce_listening(tcp_server.local_addr()?)?;

    // 返回值 客户socket---客户套接字, 客户端地址
    let (mut clie_socket, addrs) = tcp_server.accept().context("accepting")?;
    println!("[{addrs}] connected");

    let mut recv_data = [0; 1024];
    loop {
        // recv 是接收从客户端发过来的消息. 0 bytes: the client closed.
        let n = clie_socket.read(&mut recv_data).context("receiving")?;
        if n == 0 {
            println!("客户端已关闭");
            return Ok(());
        }
        clie_socket.write_all(&recv_data[..n]).context("sending")?;
        println!("{}", String::from_utf8_lossy(&recv_data[..n]));
    }
}
