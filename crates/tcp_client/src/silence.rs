//! What happened while the student was typing: the server may have closed the connection
//! (stopped with Ctrl-C, or closing a silent client as tcp_server does after `--idle-timeout`),
//! and then the next line would meet a closed connection with no explanation. Before each line
//! is sent we look, without waiting, whether the server has said something or closed, and say
//! plainly that it closed and that the line was not sent. Why it closed only the server knows,
//! so we do not guess.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Instant;

use netcommon::{say, tr, Encoding};

/// `recv(1024)`: the most bytes one look takes.
const BUF_SIZE: usize = 1024;

/// While we waited for the keyboard, did the server close (or say something)? A look that does
/// not wait: a close while the student typed is told apart from one that answers what we sent,
/// and the student learns that the line did not go out.
pub fn closed_while_silent(stream: &mut TcpStream, since: Instant, encoding: Encoding) -> bool {
    let mut buf = [0; BUF_SIZE];
    let _ = stream.set_nonblocking(true);
    let closed = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => {
                let text = encoding.decode(&buf[..n]);
                say!("{}", tr!("服务器发来：{text}", "the server said: {text}"))
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break true,
            Err(_) => break false, // WouldBlock: nothing came, still connected
        }
    };
    let _ = stream.set_nonblocking(false);
    if closed {
        say!("{}", crate::exchange::closed());
        let secs = since.elapsed().as_secs_f64();
        say!(
            "{}",
            tr!(
                "服务器在你输入的时候关闭了连接（距离它上次回答 {secs:.1} 秒），这一行没有发出去。\
                 要继续：确认服务器在运行，再重新运行 tcp_client。",
                "It closed while you were typing ({secs:.1} s after its last reply), so this line \
                 was not sent. To go on: make sure the server is running, then start tcp_client \
                 again."
            )
        );
    }
    closed
}
