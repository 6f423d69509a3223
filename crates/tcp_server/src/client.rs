//! 6. 接收/发送数据 for one client: the notes' inner `while True:` loop, with deadlines.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};

use anyhow::{bail, Context, Result};
use netcommon::{is_reset, is_timeout, pick, printable_text, say, timed_out, tr, Deadline};

use crate::{Options, BUF_SIZE};

/// The options that set the two limits, for the log line when one is reached.
const LIMITS: [&str; 2] = ["--idle-timeout", "--max-time"];

/// Talks to one client: every chunk it sends gets the reply (or itself, with --echo).
// ANCHOR: close_client
/// Returns Ok when the client closes, an error saying what went wrong otherwise. Either way
/// `client` is dropped on return, which closes its socket (tcp_client_socket.close()).
// ANCHOR_END: close_client
pub fn serve(mut client: TcpStream, ip_port: SocketAddr, opts: &Options) -> Result<()> {
    let Options {
        echo,
        ref reply,
        encoding,
        idle,
        max_time,
        ..
    } = *opts;
    // ANCHOR: hw_serve
    // The whole client gets --max-time; each read and write waits at most --idle-timeout.
    let deadline = Deadline::after(max_time);
    let gave_up = |what| timed_out(what, idle, &deadline, LIMITS); // the log line's reason
    let (silent, unread) = (
        pick("没有发来任何数据", "sent nothing"),
        pick("没有读我们的回答", "read none of our answers"),
    );
    let mut buf = [0; BUF_SIZE];
    loop {
        // ANCHOR: recv
        // recv_data = tcp_client_socket.recv(1024): up to 1024 bytes of what has arrived,
        // waiting no longer than the deadlines allow (the notes' recv waits forever).
        let Some(wait) = deadline.next_wait(idle) else {
            bail!("{}", gave_up(silent))
        };
        client.set_read_timeout(Some(wait))?;
        let n = match client.read(&mut buf) {
            Ok(n) => n,
            Err(e) if is_timeout(&e) => {
                bail!("{}", gave_up(silent))
            }
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            // Stopped and continued (Ctrl-Z, fg): Python waits again (PEP 475); so do we.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context(pick("接收数据", "reading")),
        };
        // ANCHOR_END: recv
        // ANCHOR: closed
        // if recv_data: ... else: 客户端已断开. 0 bytes means the client closed its side.
        if n == 0 {
            return Ok(());
        }
        // ANCHOR_END: closed
        // ANCHOR: show
        // Control characters escaped: the text must not rewrite the terminal or forge a line.
        let text = encoding.decode(&buf[..n]);
        // print("收到客户端的消息：",recv_data.decode("GBK"))
        say!(
            "{}",
            tr!(
                "收到客户端的消息：{}",
                "from {ip_port}: {}",
                printable_text(&text)
            )
        );
        // ANCHOR_END: show

        // ANCHOR: send
        // 发送消息: write_all, Python's sendall. send() may write only part of it.
        let answer = if echo { &buf[..n] } else { reply };
        let Some(wait) = deadline.next_wait(idle) else {
            bail!("{}", gave_up(unread))
        };
        client.set_write_timeout(Some(wait))?;
        match client.write_all(answer) {
            Ok(()) => {}
            Err(e) if is_timeout(&e) => bail!("{}", gave_up(unread)),
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            Err(e) => return Err(e).context(pick("发送数据", "sending")),
        }
        // ANCHOR_END: send
    }
    // ANCHOR_END: hw_serve
}
