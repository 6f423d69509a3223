//! The notes' step 发送数据 (send), then 接收数据 (recv): one message out, one reply in, with a
//! deadline on each.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

use anyhow::{bail, Context, Result};
use netcommon::{again, is_timeout, pick, say, tr, Encoding};

use crate::BUF_SIZE;

/// Sends one message and reads one reply. Returns false when the server has closed the
/// connection.
pub fn send_and_receive(stream: &mut TcpStream, message: &str, encoding: Encoding) -> Result<bool> {
    // ANCHOR: hw_send_and_receive
    if message.is_empty() {
        eprintln!(
            "{}",
            pick(
                "（空消息跳过了：发送 0 字节等于什么都没发，不会有回答）",
                "(empty message skipped: sending 0 bytes sends nothing, no reply would come)"
            )
        );
        return Ok(true);
    }
    // ANCHOR: send
    // 4. 发送数据 (send): send() may write only part of the bytes; write_all loops until all
    // are out (sendall).
    match stream.write_all(&encoding.encode(message)) {
        Ok(()) => {}
        // The server closed earlier and its system answered our bytes with a reset.
        Err(e) if matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset) => {
            say!("{}", closed());
            return Ok(false);
        }
        Err(e) if is_timeout(&e) => bail!(
            "{}",
            pick(
                "发送数据：服务器 10 秒内一点都没有收",
                "sending: the server took nothing for 10 s"
            )
        ),
        Err(e) => return Err(e).context(pick("发送数据", "sending")),
    }
    // ANCHOR_END: send

    // ANCHOR: recv
    // 接收数据 (recv): recvData = tcp_client_socket.recv(1024), one read. It returns what has
    // arrived so far, which is the whole reply only when it is short and came in one piece.
    let mut buf = [0; BUF_SIZE];
    let n = match again(|| stream.read(&mut buf)) {
        Ok(n) => n,
        Err(e) if is_timeout(&e) => {
            let waited = stream.read_timeout()?.unwrap_or_default().as_secs_f64();
            bail!(
                "{}",
                tr!(
                    "{waited} 秒内没有回答（要等更久：--timeout S）",
                    "no reply within {waited} s (--timeout)"
                )
            )
        }
        // A server that closes with our bytes still unread (the notes' one-shot server, when
        // our next message arrives before its close) makes its system send a reset, not a FIN.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {
            eprintln!(
                "{}",
                pick(
                    "警告：连接被重置：服务器没有读完我们发的数据就关闭了",
                    "warning: the connection was reset: the server closed without reading all we sent"
                )
            );
            say!("{}", closed());
            return Ok(false);
        }
        Err(e) => return Err(e).context(pick("接收回答", "reading the reply")),
    };
    // 0 bytes: the server closed its side (FIN). `if recv_data: ... else: 对方关闭了链接`
    if n == 0 {
        say!("{}", closed());
        return Ok(false);
    }
    // ANCHOR_END: recv
    // ANCHOR: show
    // 显示 (print): print('接收到的数据为:', recvData.decode('utf-8'))
    let text = encoding.decode(&buf[..n]);
    say!("{}", tr!("接收到的数据为: {text}", "reply: {text}"));
    // ANCHOR_END: show
    Ok(true)
    // ANCHOR_END: hw_send_and_receive
}

/// The line for a server that closed: the notes' own words in Chinese (002's
/// `print("对方关闭了链接")`), SPEC's `server closed the connection` in English.
pub fn closed() -> &'static str {
    pick("对方关闭了链接", "server closed the connection")
}
