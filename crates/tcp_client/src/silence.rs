//! What happened while the student was typing: a server may close a client that stays silent
//! (tcp_server's `--idle-timeout`), and then the next line would meet a closed connection with
//! no explanation. Before each line is sent we look, without waiting, whether the server has
//! said something or closed, and say why it may have closed.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Instant;

use netcommon::{say, Encoding};

/// `recv(1024)`: the most bytes one look takes.
const BUF_SIZE: usize = 1024;

/// While we waited for the keyboard, did the server close (or say something)? A look that does
/// not wait: a server that closes silent clients (tcp_server's `--idle-timeout`) is told apart
/// from one that closes because of what we sent, and the student learns why.
pub fn closed_while_silent(stream: &mut TcpStream, since: Instant, encoding: Encoding) -> bool {
    let mut buf = [0; BUF_SIZE];
    let _ = stream.set_nonblocking(true);
    let closed = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => say!("the server said: {}", encoding.decode(&buf[..n])),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break true,
            Err(_) => break false, // WouldBlock: nothing came, still connected
        }
    };
    let _ = stream.set_nonblocking(false);
    if closed {
        say!("server closed the connection");
        say!(
            "It closed while you were typing ({:.1} s after its last reply). A server may close a \
             silent client: tcp_server does after --idle-timeout seconds (60 by default).",
            since.elapsed().as_secs_f64()
        );
    }
    closed
}
