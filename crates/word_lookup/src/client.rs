//! The client: notes 004 §1.2.2's loop (`input("Msg>>> ")`, `sendto`, `recvfrom`, print), one
//! word per datagram.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{input_or_eof, is_port_unreachable, is_timeout, kept_len, resolve, say};

/// `recvfrom(1024)`: the most bytes of an answer we keep.
const BUF_SIZE: usize = 1024;

pub fn run(server: &str, words: Vec<String>, timeout: Duration) -> Result<()> {
    // ADDR = ("127.0.0.1", 8888)
    let addr = resolve(server)?;
    // ANCHOR: socket
    // 1. 创建套接字: no bind, the system picks our port.
    let any = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let sockfd = UdpSocket::bind(any).context("creating the UDP socket")?;
    // ANCHOR_END: socket
    sockfd.set_read_timeout(Some(timeout))?;
    sockfd.set_write_timeout(Some(timeout))?;

    if !words.is_empty() {
        for word in &words {
            say!("{}", look_up(&sockfd, addr, word)?);
        }
        return Ok(());
    }
    // ANCHOR: input_loop
    // 2. 循环收发消息: msg = input("Msg>>> "); if not msg: break
    while let Some(msg) = input_or_eof("Msg>>> ")? {
        if msg.is_empty() {
            break;
        }
        say!("{}", look_up(&sockfd, addr, &msg)?);
    }
    // ANCHOR_END: input_loop
    // 3. 关闭套接字: the socket closes when `sockfd` goes out of scope.
    Ok(())
}

/// Sends one word, waits for its answer (the server's datagram, not anyone else's).
fn look_up(sockfd: &UdpSocket, server: SocketAddr, word: &str) -> Result<String> {
    // ANCHOR: hw_look_up
    // ANCHOR: sendto
    // sockfd.sendto(msg.encode(), ADDR)
    sockfd
        .send_to(word.as_bytes(), server)
        // ANCHOR_END: sendto
        .with_context(|| format!("sending to {server}"))?;
    // ANCHOR: recvfrom
    // data, addr = sockfd.recvfrom(1024), with a deadline: UDP may lose the query or the answer.
    let mut buf = [0; BUF_SIZE + 1];
    loop {
        let (n, from) = match sockfd.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if is_timeout(&e) => bail!(
                "no answer from {server} within {} s",
                sockfd.read_timeout()?.unwrap_or_default().as_secs_f64()
            ),
            Err(e) if is_port_unreachable(&e) => bail!("no program is listening at {server}"),
            Err(e) => return Err(e).context("waiting for the answer"),
        };
        if from == server {
            return Ok(String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, from)]).into_owned());
        } // else someone else's datagram: not our answer
    }
    // ANCHOR_END: recvfrom
    // ANCHOR_END: hw_look_up
}
