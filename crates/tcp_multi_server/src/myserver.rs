//! The notes' `class Myserver(socketserver.BaseRequestHandler)`: what one client's thread
//! does, from its first byte to its close.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{is_reset, is_timeout, pick, printable_text, say, timed_out, tr};
use netcommon::{Client, Deadline};

/// `conn.recv(1024)`: the most bytes one read takes.
const BUF_SIZE: usize = 1024;
/// The options that set the two limits, for the log line when one is reached.
const LIMITS: [&str; 2] = ["--idle-timeout", "--max-time"];

// ANCHOR: handle
/// Myserver.handle: every chunk the client sends goes back upper-cased, until it closes.
pub fn handle(
    mut conn: TcpStream,
    addr: SocketAddr,
    client: &Client,
    idle: Duration,
    deadline: Deadline,
) -> Result<()> {
    // ANCHOR: hw_handle
    let gave_up = |what| timed_out(what, idle, &deadline, LIMITS); // the log line's reason
    let silent = pick("没有发来任何数据", "sent nothing");
    let unread = pick("没有读我们的回答", "read none of our reply");
    let mut buf = [0; BUF_SIZE];
    loop {
        // ANCHOR: recv
        // 4. content = conn.recv(1024): what has arrived, up to 1024 bytes. What this adds:
        // each wait ends after --idle-timeout, or sooner when the client's --max-time is up.
        let Some(wait) = deadline.next_wait(idle) else {
            bail!("{}", gave_up(silent))
        };
        conn.set_read_timeout(Some(wait))?;
        let n = match conn.read(&mut buf) {
            Ok(0) => return Ok(()), // the client closed: the notes' loop would spin here
            Ok(n) => n,
            Err(e) if is_timeout(&e) => bail!("{}", gave_up(silent)),
            // except ConnectionResetError: break
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            // Stopped and continued (Ctrl-Z, fg): Python waits again (PEP 475); so do we.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context(pick("接收数据", "reading")),
        };
        // ANCHOR_END: recv
        client.touch();
        // 5. print(content): control characters escaped, so that what a client sends cannot
        // rewrite the terminal or forge a line of the log (a `listening on` after a CR LF).
        // In Chinese the content alone, as the notes' handle prints it.
        let content = String::from_utf8_lossy(&buf[..n]);
        let content = printable_text(content.trim_end());
        say!("{}", tr!("{content}", "from {addr}: {content}"));
        // ANCHOR: upper_send
        // 6. conn.send(content.upper().encode('utf-8')), on bytes: ASCII letters only.
        buf[..n].make_ascii_uppercase();
        let Some(wait) = deadline.next_wait(idle) else {
            bail!("{}", gave_up(unread))
        };
        conn.set_write_timeout(Some(wait))?;
        match conn.write_all(&buf[..n]) {
            Ok(()) => client.touch(),
            Err(e) if is_timeout(&e) => bail!("{}", gave_up(unread)),
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            Err(e) => return Err(e).context(pick("发送数据", "sending")),
        }
        // ANCHOR_END: upper_send
    }
    // ANCHOR_END: hw_handle
}
// ANCHOR_END: handle
