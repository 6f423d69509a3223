//! The UDP client of notes 002 "UDP客户端:": bound to port 10086, it sends one line you type
//! to the server, then prints every datagram that comes back; an empty datagram means
//! "服务器已关闭". Its server is `udp_reply_server_002`.
//!
//! ```text
//! terminal 1:  cargo run -p udp_chat --example udp_reply_server_002
//! terminal 2:  cargo run -p udp_chat --example udp_reply_client_002 -- 127.0.0.1:8080
//! ```
//!
//! Where this differs from the notes, and why:
//! - The notes send to port **8081** while their server listens on **8080**: the message never
//!   arrives. The default here is 8080.
//! - UDP has no connection, so nothing tells the client that the server has closed: the notes'
//!   `else: print("服务器已关闭")` runs only when an *empty* datagram arrives. We keep that
//!   meaning, and also stop after `--timeout` seconds without a datagram (default 300).
//! - The notes take a datagram from anyone, so anyone's empty datagram ends the client. We
//!   `connect` the socket to the server, so the system hands it only the server's datagrams,
//!   and check the sender all the same: only the server's datagrams are printed, only its empty
//!   one ends the client, and no one else's restarts the `--timeout` clock.
//! - `recvfrom(1024)` silently cuts a longer datagram: we ask for 1025 bytes and warn.
//! - `input()` has no prompt in the notes: we print `>>> `.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{
    again, check_addr, input, is_port_unreachable, is_timeout, kept_len, resolve, say, tr, Args,
    Deadline,
};

const USAGE_ZH: &str = "\
用法：udp_reply_client_002 [--bind ADDR] [--timeout S] [SERVER]

把你输入的一行发给 SERVER，然后打印传回来的每个数据报（笔记 002）。
  SERVER       主机:端口（默认 127.0.0.1:8080，笔记里服务器监听的端口）
  --bind ADDR  本地地址（默认 0.0.0.0:10086，笔记里的端口）
  --timeout S  SERVER 连续 S 秒没有数据报就停止（默认 300）";

const USAGE_EN: &str = "\
usage: udp_reply_client_002 [--bind ADDR] [--timeout S] [SERVER]

Sends one line you type to SERVER, then prints every datagram that comes back (notes 002).
  SERVER       HOST:PORT (default 127.0.0.1:8080, the port the notes' server listens on)
  --bind ADDR  the local address (default 0.0.0.0:10086, the notes' port)
  --timeout S  stop after S seconds without a datagram from SERVER (default 300)";

/// `upd_socket.bind(("", 10086))`
const DEFAULT_BIND: &str = "0.0.0.0:10086";
/// The server's port is 8080 (the notes' `sendto(..., 8081)` misses it).
const DEFAULT_SERVER: &str = "127.0.0.1:8080";
/// `recvfrom(1024)`: the most bytes of one datagram we keep.
const BUF_SIZE: usize = 1024;
/// A person types each reply at the server: wait for them, but not forever.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), client)
}

fn client(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let server = resolve(&args.address(DEFAULT_SERVER)?)?;

    // upd_socket = socket.socket(AF_INET, SOCK_DGRAM); upd_socket.bind(("", 10086))
    let upd_socket =
        UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    upd_socket.set_write_timeout(Some(timeout))?;
    let me = upd_socket.local_addr()?;
    say!("{}", tr!("已绑定 {me}", "bound to {me}"));
    // Not in the notes: `connect` a UDP socket to the server. No packet is sent; the system only
    // notes the address, and from then on gives this socket only datagrams from the server
    // (anyone else's are dropped), and `send` needs no address.
    upd_socket.connect(server).with_context(|| {
        tr!(
            "把 UDP 套接字连接到 {server}",
            "connecting the UDP socket to {server}"
        )
    })?;

    // book = input(); upd_socket.sendto(book.encode(), ("192.168.113.85", 8081)): `send`, as the
    // socket is connected to the server (`send_to` on a connected socket fails on macOS).
    let book = input(">>> ")?;
    upd_socket
        .send(book.as_bytes())
        .with_context(|| tr!("发送到 {server}", "sending to {server}"))?;

    let mut deadline = Deadline::after(timeout); // from the server's last datagram
    loop {
        // data, adder = upd_socket.recvfrom(1024), within `timeout` of the server's last
        // datagram: each wait is armed with the time left.
        let Some(left) = deadline.next_wait(timeout) else {
            let s = timeout.as_secs_f64();
            bail!(tr!(
                "{s} 秒内没有收到 {server} 的数据报：服务器还在运行吗？要多等，用 --timeout",
                "no datagram from {server} within {s} s"
            ))
        };
        upd_socket.set_read_timeout(Some(left))?;
        let mut buf = [0; BUF_SIZE + 1];
        let (n, adder) = match again(|| upd_socket.recv_from(&mut buf)) {
            Ok(got) => got,
            Err(e) if is_timeout(&e) => continue, // the time is up: said just above
            // The server's system answered "port unreachable": Windows says "connection
            // reset", Linux (on a connected socket) "connection refused".
            Err(e) if is_port_unreachable(&e) || e.kind() == ErrorKind::ConnectionRefused => {
                bail!(tr!(
                    "{server} 上没有程序在监听：先启动服务器（udp_reply_server_002），或者检查地址和端口",
                    "no program is listening at {server}"
                ))
            }
            Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
        };
        // Connected, the socket gets only the server's datagrams; one that arrived before
        // `connect` may still be waiting, so the sender is checked all the same.
        if adder != server {
            continue; // someone else's datagram: not the server's
        }
        deadline = Deadline::after(timeout);
        let data = &buf[..kept_len(n, BUF_SIZE, adder)];
        if data.is_empty() {
            // else: print("服务器已关闭"); break
            say!("{}", netcommon::pick("服务器已关闭", "the server closed"));
            return Ok(());
        }
        // if data: print("%s" % str(adder)); print("%s" % data.decode())
        // In Chinese, the notes' two lines: the sender, then the data.
        let data = String::from_utf8_lossy(data);
        say!("{}", tr!("{adder}\n{data}", "from {adder}: {data}"));
    }
}
