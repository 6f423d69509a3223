//! The client: notes 003 "解决tcp协议中的粘包现象", 客户端(client), step by step.
//!
//! Plain mode prints what every read returns, which is where 黏包 shows; `--framed` reads
//! whole messages.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{connect_failed, is_timeout, resolve, say, tr};

use crate::frame::{read_frame, Endian};

/// `sk.recv(1024)`: the most bytes one plain read takes. A longer message needs several reads.
const BUF_SIZE: usize = 1024;
/// Connecting waits at most this long (or `--timeout`, if shorter).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// 接受不及时: once the first byte has arrived, the plain client waits this long before its
/// first read, so everything the server sent is piled up in its buffer, and one read takes it
/// all, glued. Waiting for the first byte first makes this work however long the server's
/// user takes to type the messages at its `>>>` prompts.
// ANCHOR: late_read
const PLAIN_READ_DELAY: Duration = Duration::from_millis(200);
// ANCHOR_END: late_read

/// Connects to `server` and prints what arrives until the server closes. Each read waits at
/// most `timeout`: a server that stays silent is given up on, with a message saying so.
pub fn run(
    server: &str,
    framed: bool,
    endian: Endian,
    max: usize,
    timeout: Duration,
) -> Result<()> {
    // ANCHOR: connect
    // 1. sk=socket.socket(); sk.connect(('127.0.0.1',9001)), within 10 s (or `timeout`, if
    //    shorter): a server whose queue of waiting connections is full would hold `connect`
    //    about two minutes.
    let addr = resolve(server)?;
    let connect_timeout = timeout.min(CONNECT_TIMEOUT);
    let mut sk = TcpStream::connect_timeout(&addr, connect_timeout)
        .map_err(|e| connect_failed(server, connect_timeout, e))?;
    // ANCHOR_END: connect
    let peer = sk.peer_addr()?;
    say!("{}", tr!("已连接到 {peer}", "connected to {peer}"));
    sk.set_read_timeout(Some(timeout))?;

    let result = if framed {
        receive_messages(&mut sk, endian, max)
    } else {
        receive_reads(&mut sk)
    };
    if let Err(e) = &result {
        let timed_out = e
            .chain()
            .any(|c| c.downcast_ref::<io::Error>().is_some_and(is_timeout));
        if timed_out {
            let secs = timeout.as_secs_f64();
            bail!(tr!(
                "服务器 {secs} 秒什么都没发：不等了（要等久一点：--timeout S）",
                "the server sent nothing for {secs} s: giving up (to wait longer: --timeout S)"
            ));
        }
    }
    result?;
    // 4. sk.close(): dropping `sk` on return.
    say!(
        "{}",
        tr!("服务器关闭了连接", "server closed the connection")
    );
    Ok(())
}

/// Plain mode: one line per read, `recv #N: TEXT`, until the server closes (a 0-byte read).
fn receive_reads(sk: &mut TcpStream) -> Result<()> {
    // ANCHOR: hw_receive_reads
    // the first byte is here (or the close)
    sk.peek(&mut [0; 1])
        .with_context(|| tr!("接收", "reading"))?;
    thread::sleep(PLAIN_READ_DELAY);
    let mut buf = [0; BUF_SIZE];
    let mut n = 0;
    loop {
        // ANCHOR: unframed
        // msg=sk.recv(1024): whatever has arrived, up to 1024 bytes, message boundaries or not.
        let got = match sk.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(got) => got,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| tr!("接收", "reading")),
        };
        n += 1;
        // print(msg): one line per read, numbered, so that glued messages show.
        let text = String::from_utf8_lossy(&buf[..got]);
        say!("{}", tr!("第 {n} 次读到：{text}", "recv #{n}: {text}"));
        // ANCHOR_END: unframed
    }
    // ANCHOR_END: hw_receive_reads
}

/// Framed mode: one line per message, `message #N: TEXT`, until a clean close between frames.
fn receive_messages(sk: &mut TcpStream, endian: Endian, max: usize) -> Result<()> {
    // ANCHOR: hw_receive_messages
    for n in 1u64.. {
        // ANCHOR: framed_read
        // 2. length=sk.recv(4); length=struct.unpack('i',length)[0]; then 3. sk.recv(length):
        //    read_frame loops until it has all 4, checks the length, and read_exacts the body.
        let message = read_frame(sk, endian, max)
            .with_context(|| tr!("接收第 {n} 条消息", "reading message #{n}"))?;
        // ANCHOR_END: framed_read
        let Some(body) = message else {
            return Ok(()); // closed between two messages: the normal end
        };
        // print(msg1.decode('utf-8')): one line per message, numbered.
        let text = String::from_utf8_lossy(&body);
        say!("{}", tr!("第 {n} 条消息：{text}", "message #{n}: {text}"));
    }
    Ok(())
    // ANCHOR_END: hw_receive_messages
}
