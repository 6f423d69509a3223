//! The client: notes 004 §1.2.2's loop (`input("Msg>>> ")`, `sendto`, `recvfrom`, print), one
//! word per datagram.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{
    any_local, input_or_eof, is_port_unreachable, is_timeout, kept_len, resolve, say, tr, Deadline,
};

/// `recvfrom(1024)`: the most bytes of an answer we keep.
const BUF_SIZE: usize = 1024;

pub fn run(server: &str, words: Vec<String>, timeout: Duration) -> Result<()> {
    // ADDR = ("127.0.0.1", 8888)
    let addr = resolve(server)?;
    // ANCHOR: socket
    // 1. 创建套接字 (socket): no bind, the system picks our port (any_local: 0.0.0.0:0).
    let sockfd = UdpSocket::bind(any_local(addr))
        .with_context(|| tr!("创建 UDP 套接字", "creating the UDP socket"))?;
    // ANCHOR_END: socket
    // Not in the notes: `connect` a UDP socket to the server. No packet is sent; the system only
    // notes the address, and from then on gives this socket only datagrams from the server
    // (anyone else's are dropped), and `send` needs no address.
    sockfd.connect(addr).with_context(|| {
        tr!(
            "把 UDP 套接字连接到 {addr}",
            "connecting the UDP socket to {addr}"
        )
    })?;
    sockfd.set_write_timeout(Some(timeout))?;

    // ANCHOR: input_loop
    // 2. 循环收发消息 (while True): each WORD given, else msg = input("Msg>>> ") until an
    // empty line (if not msg: break). look_up sends the word and waits for the answer.
    if !words.is_empty() {
        for word in &words {
            say!("{}", response(&look_up(&sockfd, addr, word, timeout)?));
        }
    } else {
        while let Some(msg) = input_or_eof("Msg>>> ")? {
            if msg.is_empty() {
                break;
            }
            say!("{}", response(&look_up(&sockfd, addr, &msg, timeout)?));
        }
    }
    // ANCHOR_END: input_loop
    // ANCHOR: close
    // 3. 关闭套接字 (close): sockfd.close(). Leaving the function would close it too.
    drop(sockfd);
    // ANCHOR_END: close
    Ok(())
}

/// The line printed for an answer: in Chinese, what the notes' client prints,
/// `print("Response: ", data.decode())`; in English, the answer alone.
fn response(answer: &str) -> String {
    tr!("Response:  {answer}", "{answer}")
}

/// Sends one word, waits at most `timeout` in all for its answer (the server's datagram, not
/// anyone else's).
fn look_up(
    sockfd: &UdpSocket,
    server: SocketAddr,
    word: &str,
    timeout: Duration,
) -> Result<String> {
    // ANCHOR: hw_look_up
    // sockfd.sendto(msg.encode(), ADDR): `send`, as the socket is connected to ADDR (`send_to`
    // on a connected socket fails on macOS, EISCONN).
    sockfd
        .send(word.as_bytes())
        .with_context(|| tr!("发送到 {server}", "sending to {server}"))?;
    // data, addr = sockfd.recvfrom(1024), with a deadline: UDP may lose the query or the answer.
    // One deadline for the answer, each wait armed with the time left: a datagram that is not
    // the answer must not start the clock again.
    let deadline = Deadline::after(timeout);
    let mut buf = [0; BUF_SIZE + 1];
    loop {
        let Some(left) = deadline.next_wait(timeout) else {
            let s = timeout.as_secs_f64();
            bail!(tr!(
                "{s} 秒内没有收到 {server} 的回答：UDP 可能丢了数据报，再查一次，或者用 --timeout 多等一会儿",
                "no answer from {server} within {s} s"
            ));
        };
        sockfd.set_read_timeout(Some(left))?;
        let (n, from) = match sockfd.recv_from(&mut buf) {
            Ok(got) => got,
            // The time is up (said just above), or stopped and continued (Ctrl-Z, fg): again.
            Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => continue,
            // The server's system answered "port unreachable": Windows reports it as a
            // connection reset, Linux (on a connected socket) as a connection refused.
            Err(e) if is_port_unreachable(&e) || e.kind() == ErrorKind::ConnectionRefused => {
                bail!(tr!(
                    "{server} 上没有程序在监听：先启动服务器（word_lookup server），或者检查地址和端口",
                    "no program is listening at {server}"
                ))
            }
            Err(e) => return Err(e).with_context(|| tr!("等待回答", "waiting for the answer")),
        };
        // Connected, the socket gets only the server's datagrams; one that arrived before
        // `connect` may still be waiting, so the sender is checked all the same.
        if from == server {
            return Ok(String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, from)]).into_owned());
        } // else someone else's datagram: not our answer
    }
    // ANCHOR_END: hw_look_up
}
