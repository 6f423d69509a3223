//! The notes' `class Myserver(socketserver.BaseRequestHandler)`: what one client's thread
//! does, from its first byte to its close.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use anyhow::{bail, Context, Result};
use netcommon::{is_reset, is_timeout, pick, printable_text, say, tr, Client, Deadlines};

/// `conn.recv(1024)`: the most bytes one read takes.
const BUF_SIZE: usize = 1024;

// ANCHOR: handle
/// Myserver.handle: every chunk the client sends goes back upper-cased, until it closes.
pub fn handle(
    mut conn: TcpStream,
    addr: SocketAddr,
    client: &Client,
    limits: Deadlines,
) -> Result<()> {
    // ANCHOR: hw_handle
    let mut buf = [0; BUF_SIZE];
    loop {
        // ANCHOR: recv
        // content = conn.recv(1024): what has arrived, up to 1024 bytes, within the deadlines.
        let n = match limits.arm(&conn).and_then(|()| conn.read(&mut buf)) {
            // ANCHOR: closed
            Ok(0) => return Ok(()), // the client closed: the notes' loop would spin here
            // ANCHOR_END: closed
            Ok(n) => n,
            Err(e) if is_timeout(&e) => {
                bail!(
                    "{}",
                    limits.expired(pick("没有发来任何数据", "sent nothing"))
                )
            }
            // ANCHOR: reset
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            // ANCHOR_END: reset
            Err(e) => return Err(e).context(pick("接收数据", "reading")),
        };
        // ANCHOR_END: recv
        client.touch();
        // print(content): control characters escaped, so that what a client sends cannot
        // rewrite the terminal or forge a line of the log (a `listening on` after a CR LF).
        // In Chinese the content alone, as the notes' handle prints it.
        let content = String::from_utf8_lossy(&buf[..n]);
        let content = printable_text(content.trim_end());
        say!("{}", tr!("{content}", "from {addr}: {content}"));
        // ANCHOR: upper_send
        // conn.send(content.upper().encode('utf-8')), on bytes: ASCII letters only.
        buf[..n].make_ascii_uppercase();
        match limits.arm(&conn).and_then(|()| conn.write_all(&buf[..n])) {
            Ok(()) => client.touch(),
            Err(e) if is_timeout(&e) => bail!(
                "{}",
                limits.expired(pick("没有读我们的回答", "read none of our reply"))
            ),
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            Err(e) => return Err(e).context(pick("发送数据", "sending")),
        }
        // ANCHOR_END: upper_send
    }
    // ANCHOR_END: hw_handle
}
// ANCHOR_END: handle
