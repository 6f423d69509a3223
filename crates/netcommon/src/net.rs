//! Small pieces of socket code that several lessons repeat.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};

use anyhow::Context;

use crate::cli::UsageError;

/// Prints SPEC's ready line, `listening on IP:PORT`, with the real port (also when bound to
/// port 0), and flushes it: a test or a grader waits for exactly this line before it connects.
pub fn announce_listening(addr: SocketAddr) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "listening on {addr}")?;
    out.flush()
}

/// Checks that `text` has the `HOST:PORT` shape (`127.0.0.1:8080`, `localhost:8080`,
/// `[::1]:8080`). Looking the host up is left to `bind`/`connect`, which report their own errors.
pub fn check_addr(text: &str) -> Result<String, UsageError> {
    let bad = || UsageError(format!("{text:?} is not HOST:PORT (like 127.0.0.1:8080)"));
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let bracketed = host.starts_with('[') && host.ends_with(']');
    if host.is_empty() || (host.contains(':') && !bracketed) || port.parse::<u16>().is_err() {
        return Err(bad());
    }
    Ok(text.to_string())
}

/// Joins an address typed on its own, like the notes' `input("...ip地址:")`, with a port:
/// `127.0.0.1` → `127.0.0.1:7890`, and an IPv6 address gets its brackets: `::1` → `[::1]:7890`.
pub fn join_host_port(host: &str, port: u16) -> String {
    let host = host.trim();
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Asks for an address the notes' way, IP then port (`int(input("请输入服务器port:"))`), and
/// returns `HOST:PORT`. A port that is not a number, or end of input, is a usage error (exit 2).
pub fn ask_addr(ip_question: &str, port_question: &str) -> anyhow::Result<String> {
    let ip = crate::input(ip_question)?;
    let port = crate::input(port_question)?;
    match port.trim().parse::<u16>() {
        Ok(port) => Ok(join_host_port(&ip, port)),
        Err(_) => crate::usage_error(format!(
            "port must be a number from 0 to 65535, not {port:?}"
        )),
    }
}

/// Looks up `HOST:PORT` (DNS, `/etc/hosts`) and picks one address, IPv4 first, like the
/// notes' `socket(AF_INET, ...)` would: `localhost` may list `::1` before `127.0.0.1`.
pub fn resolve(addr: &str) -> anyhow::Result<SocketAddr> {
    let all: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .with_context(|| format!("looking up {addr}"))?
        .collect();
    all.iter()
        .find(|a| a.is_ipv4())
        .or(all.first())
        .copied()
        .with_context(|| format!("looking up {addr}: no address"))
}

/// `udp_socket.recvfrom(max)`: one datagram, at most `max` bytes of it, and who sent it.
///
/// The trap: a datagram longer than the buffer is **truncated**. The kernel copies `max` bytes
/// and silently throws the rest away (Python's `recvfrom(1024)` does the same); the next call
/// returns the next datagram, not the rest of this one. std does not report the kernel's
/// MSG_TRUNC flag, so we ask for one byte more than we keep: if that byte arrives, the datagram
/// was longer, and we print a warning to stderr.
///
/// A "connection reset" from `recv_from` is skipped: Windows reports that an earlier datagram we
/// sent found no one listening (an ICMP "port unreachable") this way, which says nothing about
/// the datagram we are waiting for.
pub fn recv_datagram(socket: &UdpSocket, max: usize) -> io::Result<(Vec<u8>, SocketAddr)> {
    let mut buf = vec![0; max + 1];
    loop {
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                if n > max {
                    eprintln!(
                        "warning: datagram from {from} was longer than {max} bytes: \
                         kept the first {max}, the rest is lost"
                    );
                }
                buf.truncate(n.min(max));
                return Ok((buf, from));
            }
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Writes one line on stdout and flushes it, and never panics. `println!` panics when nobody
/// reads stdout any more (`tcp_server | head -1`, a closed terminal): a server must go on
/// serving, so a log line that cannot be written is dropped. Use it through [`say!`](crate::say).
pub fn log(line: std::fmt::Arguments) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `println!` that never panics: `say!("[{peer}] connected")`. When stdout is closed the line
/// is dropped (see [`log`](crate::log)).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::log(format_args!($($arg)*))
    };
}

/// Did a read with `set_read_timeout` run out of time? Unix reports that as `WouldBlock`,
/// Windows as `TimedOut`.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for good in [
            "127.0.0.1:8080",
            "localhost:0",
            "[::1]:7788",
            "0.0.0.0:65535",
        ] {
            assert!(check_addr(good).is_ok(), "{good}");
        }
        for bad in [
            "8080",
            "localhost",
            ":80",
            "127.0.0.1:",
            "h:65536",
            "::1:80",
            "h:x",
        ] {
            assert!(check_addr(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn joins() {
        assert_eq!(join_host_port(" 127.0.0.1 ", 80), "127.0.0.1:80");
        assert_eq!(join_host_port("::1", 80), "[::1]:80");
    }

    #[test]
    fn resolves_ipv4_first() {
        assert_eq!(resolve("127.0.0.1:80").unwrap().to_string(), "127.0.0.1:80");
        assert_eq!(resolve("[::1]:80").unwrap().to_string(), "[::1]:80");
        assert!(resolve("localhost:80").unwrap().ip().is_loopback());
    }

    #[test]
    fn long_datagram_is_cut_and_the_next_one_is_whole() {
        let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = rx.local_addr().unwrap();
        tx.send_to(&[b'a'; 3000], addr).unwrap();
        tx.send_to(b"next", addr).unwrap();
        let (first, from) = recv_datagram(&rx, 1024).unwrap();
        assert_eq!((first.len(), from), (1024, tx.local_addr().unwrap()));
        assert_eq!(recv_datagram(&rx, 1024).unwrap().0, b"next");
        tx.send_to(&[b'b'; 1024], addr).unwrap(); // exactly the buffer: not truncated
        assert_eq!(recv_datagram(&rx, 1024).unwrap().0.len(), 1024);
    }
}
