//! The server: notes 004 §1.1.3's loop (`recvfrom`, `sendto` the sender), answering from the
//! dictionary instead of `b'Thanks'`.

use std::net::UdpSocket;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, is_port_unreachable, kept_len, say};

use crate::dict::Dictionary;

/// `recvfrom(1024)`: the most bytes of a query we keep.
const BUF_SIZE: usize = 1024;
/// The deadline for sending one answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);

pub fn run(bind: &str, dictionary: &Dictionary) -> Result<()> {
    // ANCHOR: bind
    // 1. 创建套接字 and 2. 绑定地址: `UdpSocket::bind` does socket() then bind().
    let sockfd = UdpSocket::bind(bind).with_context(|| format!("binding {bind}"))?;
    // ANCHOR_END: bind
    sockfd.set_write_timeout(Some(SEND_TIMEOUT))?;
    // ANCHOR: hw_serve
    announce_listening(sockfd.local_addr()?)?;
    let n = dictionary.len();
    say!(
        "{n} {} in the dictionary",
        if n == 1 { "word" } else { "words" }
    );

    // ANCHOR: recvfrom
    // 3. 循环收发消息: one query in, one answer out, for ever.
    loop {
        // data, addr = sockfd.recvfrom(1024). One byte more than we keep: if it arrives, the
        // datagram was cut (kept_len warns). Waiting for the next query has no deadline: that is
        // a server's job, and no client can hold it.
        let mut buf = [0; BUF_SIZE + 1];
        let (n, addr) = match sockfd.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier answer found no one listening. Not about this query.
            Err(e) if is_port_unreachable(&e) => continue,
            Err(e) => return Err(e).context("receiving"),
        };
        let query = String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, addr)]).into_owned();

        // ANCHOR: lookup
        // 基于单词本找到该单词, and log what was asked and what we answer.
        let answer = dictionary.answer(&query);
        // ANCHOR_END: lookup
        say!("from {addr}: {:?} -> {answer}", query.trim());

        // ANCHOR: reply
        // sockfd.sendto(answer, addr): back to whoever asked. One bad peer never stops us.
        if let Err(e) = sockfd.send_to(answer.as_bytes(), addr) {
            say!("answer to {addr} failed: {e}");
        }
        // ANCHOR_END: reply
    }
    // ANCHOR_END: recvfrom
    // 4. 关闭套接字: the socket closes when `sockfd` goes out of scope.
    // ANCHOR_END: hw_serve
}
