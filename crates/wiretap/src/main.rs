//! # wiretap: see what travels on the wire
//!
//! Beyond the notes: a relay that stands between a client and a server and prints every chunk
//! of bytes as it passes (time, direction, length, a hex dump, the text) and the TCP events
//! (connect, half-close, reset, close). It teaches what the lessons only say:
//!
//! - **What travels on the wire** is bytes, and only the bytes a program sends: no message
//!   boundaries, no types, nothing but what `send` was given.
//! - **TCP has no message boundaries** (黏包, notes 003). The wiretap forwards each `read` as
//!   one chunk, so what you see is how the bytes *arrived*, not how they were sent: a server's
//!   two `send`s that arrive together show as one chunk holding both.
//! - **FIN and RST**: a 0-byte read is the other side's FIN (it sends nothing more, and may
//!   still read); the wiretap says so and passes it on with `shutdown(Write)`. A reset (RST:
//!   a program that closed with unread data, or died) ends both directions.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server -- --bind 127.0.0.1:8080 --echo
//! terminal 2:  cargo run -p wiretap -- 127.0.0.1:9000 127.0.0.1:8080
//! terminal 3:  cargo run -p tcp_client -- 127.0.0.1:9000 你好      (the client talks to the wiretap)
//! ```
//!
//! With `--udp` it relays datagrams instead (each is one message: UDP keeps the boundaries).
//! `--mermaid FILE` keeps the exchange as a mermaid `sequenceDiagram` in FILE, rewritten after
//! each line, ready to paste into a page of the book. It works the same with the notes' Python
//! programs (point their client at the wiretap's port), and on Windows without administrator
//! rights: unlike tcpdump or Wireshark (which needs the Npcap driver), it is an ordinary
//! program with two ordinary sockets.
//!
//! What it cannot show: the handshake's SYN and ACK and the retransmissions, which the kernel
//! does below the sockets (for those, see the tcpdump page). And what the wiretap sees is what
//! *its* reads return: the client's chunks may be split or glued again on the way to the server.

mod relay;
mod show;

use std::net::{Shutdown, TcpListener, UdpSocket};
use std::process::ExitCode;
use std::thread;

use anyhow::{Context, Result};
use netcommon::{announce_listening, check_addr, pick, resolve, say, tr, usage_error};
use netcommon::{AcceptErrors, Args, Clients, IDLE_GRACE};

const USAGE_ZH: &str = "\
用法：wiretap [--udp] [--encoding E] [--mermaid FILE] LISTEN TARGET

在 LISTEN（主机:端口）上等客户端，把它的数据转发给 TARGET 的服务器，再把服务器的数据转发回来；
每一段数据都打印出来（时间、方向、长度、十六进制、文本），还有 TCP 的事件（连接、半关闭、重置、关闭）。
  --udp           转发 UDP 数据报，不是 TCP
  --encoding E    文本按 utf-8（默认）或 gbk 显示
  --mermaid FILE  把交互写成 mermaid 的 sequenceDiagram（每有一行就重写一次文件）";

const USAGE_EN: &str = "\
usage: wiretap [--udp] [--encoding E] [--mermaid FILE] LISTEN TARGET

Waits for clients on LISTEN (HOST:PORT), relays their bytes to the server at TARGET and the
server's bytes back, and prints every chunk (time, direction, length, hex, text) and the TCP
events (connect, half-close, reset, close).
  --udp           relay UDP datagrams instead of TCP
  --encoding E    show the text as utf-8 (default) or gbk
  --mermaid FILE  write the exchange as a mermaid sequenceDiagram (rewritten after each line)";

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), wiretap)
}

fn wiretap(mut args: Args) -> Result<()> {
    let udp = args.flag("--udp");
    let encoding = args.encoding()?;
    let mermaid = args.value("--mermaid")?;
    let [listen, target] = <[String; 2]>::try_from(args.finish()?).or_else(|_| {
        usage_error(tr!(
            "要两个地址：LISTEN 和 TARGET",
            "give two addresses: LISTEN and TARGET"
        ))
    })?;
    let listen = check_addr(&listen)?;
    let target = resolve(&check_addr(&target)?)?;
    show::millis(); // the clock starts now
    if let Some(file) = mermaid {
        show::mermaid_start(file.clone().into())
            .with_context(|| tr!("写 {file}", "writing {file}"))?;
    }
    let binding = || tr!("绑定 {listen}", "binding {listen}");

    if udp {
        let socket = UdpSocket::bind(&listen).with_context(binding)?;
        announce_listening(socket.local_addr()?)?;
        say!(
            "{}",
            tr!("把数据报转发给 {target}", "relaying datagrams to {target}")
        );
        relay::udp(socket, target, encoding);
    }

    // ANCHOR: accept
    let listener = TcpListener::bind(&listen).with_context(binding)?;
    announce_listening(listener.local_addr()?)?;
    say!("{}", tr!(
        "转发给 {target}；每次 read 读到的字节打印成一段：看到的是字节到达的样子，不是发送的样子",
        "relaying to {target}; each read is shown as one chunk: how the bytes arrived, not how they were sent"
    ));
    // Each client holds three descriptors (its socket, the registry's handle on it, and the
    // socket to the server): the limit from `ulimit -n`.
    let clients = Clients::new(netcommon::default_max_clients(3).0, IDLE_GRACE, None);
    let mut accept_errors = AcceptErrors::new();
    let mut id = 0;
    loop {
        let Some((client, peer)) = accept_errors.accepted(listener.accept()) else {
            continue; // said at most once a second
        };
        // As tcp_multi_server does: at most so many clients; when full, a silent or idle one
        // makes room (its second handle, kept by the registry, is shut down), or this one is
        // closed (dropping `client`).
        let Some((place, made_room)) = clients.admit(client.try_clone(), peer) else {
            continue; // refused (the log says why): dropping `client` closes it
        };
        if let Some(old) = made_room {
            let _ = old.shutdown(Shutdown::Both); // that relay's next read returns 0
        }
        id += 1;
        let n = id;
        let spawned = thread::Builder::new()
            .spawn(move || relay::tcp(client, peer, n, target, encoding, &place));
        if let Err(e) = spawned {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!(
                    "#{n} 无法启动线程：{why}",
                    "#{n} cannot start a thread: {why}"
                )
            );
        }
    }
    // ANCHOR_END: accept
}
