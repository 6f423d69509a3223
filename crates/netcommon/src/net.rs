//! Small pieces of socket code that several lessons repeat.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};

use anyhow::Context;

use crate::cli::UsageError;

/// Prints SPEC's ready line, `listening on IP:PORT`, with the real port (also when bound to
/// port 0), and flushes it: a test or a grader waits for exactly this line before it connects.
/// After it, [`say!`](crate::say) never waits on stdout (see [`log`](crate::log)).
pub fn announce_listening(addr: SocketAddr) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "listening on {addr}")?;
    out.flush()?;
    drop(out);
    // From now on a log line never waits on stdout: see the log module.
    crate::log::start_writer();
    Ok(())
}

/// Checks that `text` has the `HOST:PORT` shape (`127.0.0.1:8080`, `localhost:8080`,
/// `[::1]:8080`). Looking the host up is left to `bind`/`connect`, which report their own errors.
/// A port past 65535 (`127.0.0.1:80800`) is reported as out of range, not as a bad shape.
pub fn check_addr(text: &str) -> Result<String, UsageError> {
    if let Some(why) = full_width(text) {
        return Err(UsageError(why));
    }
    let bad = || {
        UsageError(crate::tr!(
            "{text:?} 不是 主机:端口 的形式（比如 127.0.0.1:8080）",
            "{text:?} is not HOST:PORT (like 127.0.0.1:8080)"
        ))
    };
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let bracketed = host.starts_with('[') && host.ends_with(']');
    if host.is_empty() || (host.contains(':') && !bracketed) {
        return Err(bad());
    }
    match parse_port(port) {
        Ok(_) => Ok(text.to_string()),
        Err(PortError::OutOfRange) => Err(UsageError(crate::tr!(
            "{text:?}：端口 {port} 超出范围（端口是 0 到 65535）",
            "{text:?}: port {port} is out of range (a port is 0 to 65535)"
        ))),
        Err(PortError::NotANumber) => Err(bad()),
    }
}

/// A full-width `：`, `。` or `．` typed with a Chinese input method where an address needs the
/// ASCII `:` or `.`: which one, and where (`127.0.0.1：8080` → character 10).
pub fn full_width(text: &str) -> Option<String> {
    let (at, c) = text
        .chars()
        .enumerate()
        .find(|(_, c)| matches!(c, '：' | '。' | '．' | '［' | '］'))?;
    let ascii = match c {
        '：' => ':',
        '［' => '[',
        '］' => ']',
        _ => '.',
    };
    let at = at + 1;
    Some(crate::tr!(
        "{text:?} 里第 {at} 个字符 {c:?} 是全角的：换成半角的 {ascii:?}（切换到英文输入法再输入）",
        "{text:?} has a full-width {c:?} at character {at}: type the ASCII {ascii:?} instead \
         (switch the input method to English)"
    ))
}

/// Why a port did not parse.
#[derive(Debug, PartialEq)]
enum PortError {
    NotANumber,
    OutOfRange,
}

/// A port number, 0 to 65535: digits only, so `+80` and ` 80` are not ports.
fn parse_port(text: &str) -> Result<u16, PortError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PortError::NotANumber);
    }
    text.parse().map_err(|_| PortError::OutOfRange)
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

/// The address `given` on the command line (checked), or else asked the notes' way, IP then
/// port (`int(input("请输入服务器port:"))`): `HOST:PORT`. A port that is not a number from 0 to
/// 65535 is asked again, with the notes' own words for a bad choice (`输入有误，请重新输入...`);
/// end of input is a usage error (exit 2).
pub fn ask_addr(
    given: Option<String>,
    ip_question: &str,
    port_question: &str,
) -> anyhow::Result<String> {
    if let Some(given) = given {
        return Ok(check_addr(&given)?);
    }
    let ip = crate::input(ip_question)?;
    loop {
        let port = crate::input(port_question)?;
        match parse_port(port.trim()) {
            Ok(port) => return Ok(join_host_port(&ip, port)),
            Err(PortError::NotANumber) => {
                crate::say!(
                    "{}",
                    crate::tr!(
                        "端口必须是 0 到 65535 之间的整数，不是 {:?}。",
                        "a port is a whole number from 0 to 65535, not {:?}.",
                        port.trim()
                    )
                )
            }
            Err(PortError::OutOfRange) => crate::say!(
                "{}",
                crate::tr!(
                    "端口 {} 超出范围：端口是 0 到 65535 之间的整数。",
                    "port {} is out of range: a port is a whole number from 0 to 65535.",
                    port.trim()
                )
            ),
        }
        // The notes' own words for a bad choice (in English with NET_LESSONS_LANG=en).
        crate::say!(
            "{}",
            crate::pick(
                "输入有误，请重新输入...",
                "wrong input, please try again..."
            )
        );
    }
}

/// Looks up `HOST:PORT` (DNS, `/etc/hosts`) and picks one address, IPv4 first, like the
/// notes' `socket(AF_INET, ...)` would: `localhost` may list `::1` before `127.0.0.1`.
pub fn resolve(addr: &str) -> anyhow::Result<SocketAddr> {
    if let Some(why) = full_width(addr) {
        anyhow::bail!(why);
    }
    let all: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .with_context(|| crate::tr!("查找地址 {addr}", "looking up {addr}"))?
        .collect();
    all.iter()
        .find(|a| a.is_ipv4())
        .or(all.first())
        .copied()
        .with_context(|| crate::tr!("查找地址 {addr}：没有地址", "looking up {addr}: no address"))
}

/// What a client's UDP socket binds to reach `peer`: any local address of `peer`'s family, port
/// 0, so the system picks the port, as for the notes' socket that is never bound.
/// `UdpSocket::bind` is socket() and bind() in one call, and the family must match: an IPv6
/// peer needs an IPv6 socket (`AF_INET6`).
pub fn any_local(peer: SocketAddr) -> SocketAddr {
    if peer.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    }
}

/// Why `TcpStream::connect_timeout(addr, within)` to `server` failed, said for a person: no
/// answer in time (a server whose queue of waiting connections is full never answers), or the
/// system's reason (refused: is the server running?). The clients call it in their own
/// `connect` step: `TcpStream::connect_timeout(&addr, t).map_err(|e| connect_failed(server, t, e))?`.
pub fn connect_failed(server: &str, within: std::time::Duration, e: io::Error) -> anyhow::Error {
    if is_timeout(&e) {
        let secs = within.as_secs_f64();
        return anyhow::anyhow!(crate::tr!(
            "连接 {server}：{secs} 秒内没有应答（它等待连接的队列满了吗？）",
            "connecting to {server}: no answer within {secs} s (is its queue of connections full?)"
        ));
    }
    // In Chinese, lang::io_error already asks whether the server runs (connection refused).
    anyhow::Error::new(e).context(crate::tr!(
        "连接 {server}",
        "connecting to {server} (is the server running?)"
    ))
}

/// Calls `wait` (a `read`, `recv_from`, ...) again when a signal interrupted it. A wait with a
/// timeout (`set_read_timeout`) ends with `Interrupted` (EINTR) when the program is stopped and
/// continued (Ctrl-Z, then `fg`); Python calls it again by itself (PEP 475), std does not.
pub fn again<T>(mut wait: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match wait() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            done => return done,
        }
    }
}

/// Why a read from `who` that waited at most `waited` failed, said for a person: `[PEER] sent
/// nothing for 5 s` after the timeout, `[PEER] reset the connection`, else the system's reason.
/// The examples call it in their `recv` step:
/// `conn.read(&mut buf).map_err(|e| read_failed(&who, TIMEOUT, e))?`.
pub fn read_failed(who: &str, waited: std::time::Duration, e: io::Error) -> anyhow::Error {
    let secs = waited.as_secs_f64();
    if is_timeout(&e) {
        return anyhow::anyhow!(crate::tr!(
            "{who}在 {secs} 秒内什么都没发",
            "{who} sent nothing for {secs} s"
        ));
    }
    if crate::is_reset(&e) {
        return anyhow::anyhow!(crate::tr!("{who}重置了连接", "{who} reset the connection"));
    }
    anyhow::Error::new(e).context(crate::pick("接收数据", "receiving"))
}

/// After `recv_from` into a buffer of `max + 1` bytes: how many of the `n` received bytes to
/// keep, with a warning on stderr when the datagram did not fit in `max`.
///
/// The trap it catches: a datagram longer than the buffer is **truncated**. The kernel copies
/// what fits and silently throws the rest away (Python's `recvfrom(1024)` does the same); the
/// next call returns the next datagram, not the rest of this one. std does not report the
/// kernel's MSG_TRUNC flag, so the lesson asks for one byte more than it keeps: if that byte
/// arrived, the datagram was longer than `max`.
// ANCHOR: truncated
pub fn kept_len(n: usize, max: usize, from: SocketAddr) -> usize {
    if n > max {
        let warning = crate::tr!(
            "警告：来自 {from} 的数据报超过 {max} 字节：只留下前 {max} 字节，其余的丢了",
            "warning: datagram from {from} was longer than {max} bytes: \
             kept the first {max}, the rest is lost"
        );
        warn(&warning);
    }
    n.min(max)
}
// ANCHOR_END: truncated

/// A warning on stderr that never panics (a closed stderr drops it); in unit tests, through
/// the test harness, which shows it only when the test fails.
fn warn(line: &str) {
    #[cfg(test)]
    eprintln!("{line}");
    #[cfg(not(test))]
    let _ = writeln!(io::stderr(), "{line}");
}

/// Is this `recv_from` error Windows saying that an earlier datagram we sent found no one
/// listening (an ICMP "port unreachable", reported as "connection reset")? It says nothing
/// about the datagram we are waiting for, so a receive loop goes on.
pub fn is_port_unreachable(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::ConnectionReset
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
    fn a_failed_read_says_who_was_silent_or_reset() {
        let who = "[127.0.0.1:5]";
        let waited = std::time::Duration::from_millis(500);
        let silent = read_failed(who, waited, io::ErrorKind::WouldBlock.into());
        assert_eq!(silent.to_string(), "[127.0.0.1:5] sent nothing for 0.5 s");
        let reset = read_failed(who, waited, io::ErrorKind::ConnectionReset.into());
        assert_eq!(reset.to_string(), "[127.0.0.1:5] reset the connection");
        let other = read_failed(who, waited, io::ErrorKind::Other.into());
        assert_eq!(other.to_string(), "receiving");
    }
    use std::net::UdpSocket;

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
    fn a_client_socket_binds_any_address_of_the_peers_family() {
        let v4 = resolve("127.0.0.1:7788").unwrap();
        let v6 = resolve("[::1]:7788").unwrap();
        assert_eq!(any_local(v4).to_string(), "0.0.0.0:0");
        assert_eq!(any_local(v6).to_string(), "[::]:0");
    }

    #[test]
    fn long_datagram_is_cut_and_the_next_one_is_whole() {
        let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = rx.local_addr().unwrap();
        tx.send_to(&[b'a'; 3000], addr).unwrap();
        tx.send_to(b"next", addr).unwrap();
        let mut buf = [0; 1025];
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        assert_eq!(
            (kept_len(n, 1024, from), from),
            (1024, tx.local_addr().unwrap())
        );
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..kept_len(n, 1024, from)], b"next");
        tx.send_to(&[b'b'; 1024], addr).unwrap(); // exactly the buffer: not truncated
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        assert_eq!((n, kept_len(n, 1024, from)), (1024, 1024));
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port("8080"), Ok(8080));
        assert_eq!(parse_port("65536"), Err(PortError::OutOfRange));
        assert_eq!(
            parse_port("99999999999999999999"),
            Err(PortError::OutOfRange)
        );
        for bad in ["", "abc", "+80", "-1", " 80", "8o"] {
            assert_eq!(parse_port(bad), Err(PortError::NotANumber), "{bad}");
        }
        let e = check_addr("127.0.0.1:80800").unwrap_err().to_string();
        assert_eq!(
            e,
            "\"127.0.0.1:80800\": port 80800 is out of range (a port is 0 to 65535)"
        );
        let e = check_addr("127.0.0.1:http").unwrap_err().to_string();
        assert!(e.contains("is not HOST:PORT"), "{e}");
    }
}
