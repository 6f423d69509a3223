//! The server: notes 004 §1.1.3's loop (`recvfrom`, `sendto` the sender), answering from the
//! dictionary instead of `b'Thanks'`.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, is_port_unreachable, kept_len, printable_text, say, tr};

use crate::dict::Dictionary;

/// `recvfrom(1024)`: the most bytes of a query we keep.
const BUF_SIZE: usize = 1024;
/// The deadline for sending one answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

pub fn run(bind: &str, dictionary: &Dictionary) -> Result<()> {
    // ANCHOR: bind
    // 1. 创建套接字 (socket) and
    // 2. 绑定地址 (bind): `UdpSocket::bind` does socket() then bind().
    let sockfd = UdpSocket::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind
    sockfd.set_write_timeout(Some(SEND_TIMEOUT))?;
    // ANCHOR: hw_serve
    let me = sockfd.local_addr()?;
    announce_listening(me)?;
    let n = dictionary.len();
    let s = if n == 1 { "" } else { "s" };
    say!(
        "{}",
        tr!("单词本里有 {n} 个单词", "{n} word{s} in the dictionary")
    );

    // 3. 循环收发消息 (while True): one query in, one answer out, for ever.
    loop {
        // ANCHOR: recvfrom
        // data, addr = sockfd.recvfrom(1024). One byte more than we keep: if it arrives, the
        // datagram was cut (kept_len warns). Waiting for the next query has no deadline: that is
        // a server's job, and no client can hold it.
        let mut buf = [0; BUF_SIZE + 1];
        let (n, addr) = match sockfd.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier answer found no one listening. Not about this query.
            Err(e) if is_port_unreachable(&e) => continue,
            Err(e) => return Err(e).with_context(|| tr!("接收", "receiving")),
        };
        // A datagram "from" our own address (its sender forged it) would make us answer
        // ourselves, and answer that answer, for ever: it is not a query.
        if is_own_address(addr, me) {
            say!(
                "{}",
                tr!(
                    "来自 {addr}：忽略（那是我们自己的地址）",
                    "from {addr}: ignored (that is our own address)"
                )
            );
            continue;
        }
        let query = String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, addr)]).into_owned();
        // ANCHOR_END: recvfrom

        // ANCHOR: reply
        // 基于单词本找到该单词, and log what was asked and what we answer.
        let answer = dictionary.answer(&query);
        // Both hold text from the network: `{:?}` escapes the query, printable_text the answer
        // (which repeats the word), so that no control character reaches the log raw.
        let (query, shown) = (query.trim(), printable_text(&answer));
        say!(
            "{}",
            tr!(
                "来自 {addr} 的查询：{query:?} -> {shown}",
                "from {addr}: {query:?} -> {shown}"
            )
        );

        // sockfd.sendto(answer, addr): back to whoever asked. One bad peer never stops us.
        if let Err(e) = sockfd.send_to(answer.as_bytes(), addr) {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!("回答 {addr} 失败：{why}", "answer to {addr} failed: {why}")
            );
        }
        // ANCHOR_END: reply
    }
    // 4. 关闭套接字 (close): the loop never ends; returning on an error drops `sockfd`, which
    // closes it.
    // ANCHOR_END: hw_serve
}

/// Is `from` this server's own address `me`? Bound to 0.0.0.0 (every address of the machine),
/// the port alone tells: a datagram from any address with our port may be from ourselves.
fn is_own_address(from: SocketAddr, me: SocketAddr) -> bool {
    from.port() == me.port() && (from.ip() == me.ip() || me.ip().is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::is_own_address;

    #[test]
    fn own_address() {
        let me = "127.0.0.1:8888".parse().unwrap();
        assert!(is_own_address(me, me));
        assert!(!is_own_address("127.0.0.1:8889".parse().unwrap(), me));
        assert!(!is_own_address("127.0.0.2:8888".parse().unwrap(), me));
        let any = "0.0.0.0:8888".parse().unwrap();
        assert!(is_own_address("192.168.1.5:8888".parse().unwrap(), any));
        assert!(!is_own_address("192.168.1.5:40000".parse().unwrap(), any));
    }
}
