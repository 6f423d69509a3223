//! 练习 01-4 的参考答案: udp_sender with `--repeat N`. Each MESSAGE is sent N times; with
//! `--wait-reply` each send waits for one reply, at most `--timeout` seconds, and a reply that
//! does not come is counted as missing instead of ending the program. At the end one line
//! counts them; a missing reply makes the exit code 1.
//!
//! ```text
//! terminal 1:  cargo run -p udp_receiver -- --bind 127.0.0.1:7788 --reply ok
//! terminal 2:  cargo run -p udp_sender --example answer_01_4 -- --repeat 5 --wait-reply 127.0.0.1:7788 hi
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{check_addr, is_port_unreachable, is_timeout, kept_len, resolve, say, tr, Args};

const USAGE_ZH: &str =
    "用法：answer_01_4 [--repeat N] [--wait-reply] [--timeout S] DEST MESSAGE...";
const USAGE_EN: &str =
    "usage: answer_01_4 [--repeat N] [--wait-reply] [--timeout S] DEST MESSAGE...";
/// recvfrom(1024), as in udp_sender.
const BUF_SIZE: usize = 1024;

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), repeat)
}

fn repeat(mut args: Args) -> Result<()> {
    let times: u32 = args.parsed("--repeat")?.unwrap_or(1);
    let wait_reply = args.flag("--wait-reply");
    let timeout = args.seconds("--timeout")?.unwrap_or(Duration::from_secs(5));
    let words = args.finish()?;
    let Some((dest, messages)) = words.split_first() else {
        return netcommon::usage_error(tr!("缺少 DEST", "DEST is missing"));
    };
    let dest = resolve(&check_addr(dest)?)?;

    // udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    let socket = UdpSocket::bind("0.0.0.0:0").context("bind")?;
    socket.set_read_timeout(Some(timeout))?; // every recv_from waits at most this long

    let (mut sent, mut replies) = (0, 0);
    for message in messages {
        for _ in 0..times {
            // udp_socket.sendto(send_data.encode('utf-8'), dest_addr)
            socket
                .send_to(message.as_bytes(), dest)
                .with_context(|| tr!("发送到 {dest}", "sending to {dest}"))?;
            sent += 1;
            if !wait_reply {
                continue;
            }
            // recv_data = udp_socket.recvfrom(1024), but never forever
            let mut buf = [0; BUF_SIZE + 1];
            match socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    replies += 1;
                    let text = String::from_utf8_lossy(&buf[..kept_len(n, BUF_SIZE, from)]);
                    say!(
                        "{}",
                        tr!("收到来自 {from} 的数据:{text}", "reply from {from}: {text}")
                    );
                }
                // No reply in time (or, on Windows, "port unreachable"): count it, go on.
                Err(e) if is_timeout(&e) || is_port_unreachable(&e) => {
                    let s = timeout.as_secs_f64();
                    say!("{}", tr!("{s} 秒内没有回复", "no reply within {s} s"));
                }
                Err(e) => return Err(e).context(tr!("等待回复", "waiting for a reply")),
            }
        }
    }
    if !wait_reply {
        say!("{}", tr!("发送了 {sent} 次", "{sent} sent"));
        return Ok(());
    }
    say!(
        "{}",
        tr!(
            "发送了 {sent} 次，收到 {replies} 个回复",
            "{sent} sent, {replies} replies"
        )
    );
    if replies < sent {
        bail!(tr!("少了 {} 个回复", "{} replies missing", sent - replies));
    }
    Ok(())
}
