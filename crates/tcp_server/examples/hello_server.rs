//! The first TCP server of notes 003, "最简单的网络通信(基于tcp协议)" and "tcp协议", 服务端:
//! here the server speaks first. It accepts one client, sends `hello`, receives one message,
//! prints it, and closes.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example hello_server
//! terminal 2:  cargo run -p tcp_server --example hello_client     → b'hello', then bebebe here
//! ```
//!
//! Where this differs from the notes, and why:
//! - "最简单的网络通信" sends `b'hell'`, "tcp协议" `b'hello'`: we send `hello` (`--message hell`
//!   for the first).
//! - `conn.send` may send part of the bytes: `write_all` (`sendall`).
//! - A client that never sends holds the notes' server forever in `recv`: ours waits at most
//!   10 s, and says so.
//! - Control characters in the message are printed escaped (`\r`, `\u{1b}`): a client must not
//!   rewrite the terminal or forge a line of the log.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{
    again, announce_listening, check_addr, peer_tag, pick, printable_text, read_failed, say, tr,
    Args,
};

const USAGE_ZH: &str = "\
用法：hello_server [--bind 127.0.0.1:9001] [--message TEXT]

接受一个客户端，先发给它 TEXT（默认 hello），打印它发回的一条消息，然后退出。";

const USAGE_EN: &str = "\
usage: hello_server [--bind 127.0.0.1:9001] [--message TEXT]

Accepts one client, sends it TEXT (default hello) first, prints the one message it sends
back, and exits.";

/// `sk.bind(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_BIND: &str = "127.0.0.1:9001";
/// `conn.recv(1024)`: 最多接受1024个字节.
const BUF_SIZE: usize = 1024;
/// Each read and write waits at most this long.
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), hello_server)
}

fn hello_server(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let message = args.value_or("--message", "hello")?;
    args.no_more()?;

    // sk=socket.socket(); sk.bind(('127.0.0.1',9001)) 申请操作系统的资源; sk.listen() 代表
    // socket服务已经开启: TcpListener::bind does all three.
    let sk = TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(sk.local_addr()?)?;

    // conn,addr=sk.accept(): 等到有客户端来访问，和客户端建立联系
    let (mut conn, addr) = sk
        .accept()
        .with_context(|| tr!("等待客户端接入", "accepting"))?;
    let who = peer_tag(addr);
    say!("{}", tr!("有新的客户端接入：{addr}", "{who} connected"));
    conn.set_read_timeout(Some(TIMEOUT))?;
    conn.set_write_timeout(Some(TIMEOUT))?;

    // conn.send(b'hello'): send直接通过连接发送消息，不需要写地址
    conn.write_all(message.as_bytes())
        .context(pick("发送数据", "sending"))?;
    say!(
        "{}",
        tr!("向 {who} 发送了 {message}", "{who} sent {message}")
    );

    // msg=conn.recv(1024); print(msg)
    let mut msg = [0; BUF_SIZE];
    let n = again(|| conn.read(&mut msg)).map_err(|e| read_failed(&who, TIMEOUT, e))?;
    if n == 0 {
        say!(
            "{}",
            tr!(
                "{who} 没发消息就关闭了连接",
                "{who} closed the connection without a message"
            )
        );
    } else {
        // Control characters escaped: the text must not rewrite the terminal or forge a line.
        // In Chinese, print(msg) as the notes do: the message alone.
        let msg = printable_text(&String::from_utf8_lossy(&msg[..n]));
        say!("{}", tr!("{msg}", "from {addr}: {msg}"));
    }

    // conn.close() 四次挥手,断开连接; sk.close() 关闭服务: both dropped here.
    Ok(())
}
