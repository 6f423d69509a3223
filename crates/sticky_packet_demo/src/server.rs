//! The server: notes 003 "解决tcp协议中的粘包现象", 服务器端(server), step by step.
//!
//! Plain mode writes the messages back to back, one `write_all` each and no pause between
//! them: nothing on the wire says where one ends, so they reach the client glued together.
//! `--framed` writes each message's 4-byte length first.

use std::io::Write;
use std::net::{Shutdown, TcpListener};
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, drain, input, peer_tag, say, tr};

use crate::frame::{frame_header, Endian};
use crate::python_bytes::python_bytes;

/// How long the server waits for the client to close after the last message.
const LINGER: Duration = Duration::from_secs(2);
/// A write waits at most this long: a client that reads nothing cannot hold the server.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves the first client that connects, then returns (the program exits).
pub fn run(bind: &str, framed: bool, endian: Endian, messages: Vec<String>) -> Result<()> {
    // ANCHOR: bind_listen
    // 1. sk=socket.socket(); sk.bind(('127.0.0.1',9001)); sk.listen() 申请操作系统的资源:
    //    TcpListener::bind does all three.
    let listener = TcpListener::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;

    // ANCHOR: accept
    // 2. conn,addr=sk.accept(): the first client, and only that one.
    let (mut conn, addr) = listener
        .accept()
        .with_context(|| tr!("接受客户端的连接", "accepting a client"))?;
    // ANCHOR_END: accept
    let who = peer_tag(addr);
    say!("{}", tr!("{who} 已连接", "{who} connected"));
    conn.set_write_timeout(Some(WRITE_TIMEOUT))?;

    // ANCHOR: input
    // 3. msg1=input('>>>').encode(); msg2=input('>>>').encode(): asked only when the command
    //    line gave no MESSAGE.
    let messages = if messages.is_empty() {
        vec![input(">>>")?, input(">>>")?]
    } else {
        messages
    };
    // ANCHOR_END: input

    // ANCHOR: hw_send_messages
    // 4. blen=struct.pack('i',len(msg1)); conn.send(blen); conn.send(msg1); conn.send(msg2)
    for (i, message) in messages.iter().enumerate() {
        let n = i + 1;
        let body = message.as_bytes();
        let sending = || {
            tr!(
                "向 {addr} 发送第 {n} 条消息",
                "sending message #{n} to {addr}"
            )
        };
        let mut header = String::new();
        if framed {
            // ANCHOR: length
            // blen=struct.pack('i',len(msg)); print(blen); conn.send(blen): for every message,
            // not only msg1 as in the notes.
            let blen = frame_header(endian, body.len()).with_context(sending)?;
            conn.write_all(&blen).with_context(sending)?;
            // ANCHOR_END: length
            // print(blen): in Chinese, the way the notes' Python prints it, b'\x05\x00\x00\x00'.
            let shown = python_bytes(&blen);
            header = tr!("长度 {shown} + ", "length {blen:02x?} + ");
        }
        // ANCHOR: send_msgs
        // conn.send(msg) may send part of it; write_all sends every byte (sendall).
        conn.write_all(body).with_context(sending)?;
        // ANCHOR_END: send_msgs
        let len = body.len();
        say!(
            "{}",
            tr!(
                "{who} 发送第 {n} 条：{header}{len} 字节",
                "{who} sent #{n}: {header}{len} bytes"
            )
        );
    }

    // ANCHOR: close
    // 5. conn.close() 四次挥手; sk.close(). We close our side first (FIN: no more messages) and
    //    wait, at most LINGER, for the client to close its own: closing while bytes from the
    //    client lie unread would send a reset, which can destroy messages still on their way.
    let count = messages.len();
    say!(
        "{}",
        tr!(
            "{who} 发完了 {count} 条消息，关闭连接",
            "{who} sent {count} messages, closing"
        )
    );
    let _ = conn.shutdown(Shutdown::Write);
    // Ends at the client's close, a reset or LINGER.
    drain(&conn, LINGER);
    // ANCHOR_END: close
    Ok(())
    // ANCHOR_END: hw_send_messages
}
