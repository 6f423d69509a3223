//! 练习 02-4 的参考答案: a sender for counting lost datagrams. It sends `--count N` datagrams
//! (default 10000) to DEST as fast as it can, without waiting for replies; datagram k holds only
//! the number k (1 to N), so the receiver can count them and see whether they came in order.
//! `--pause S` rests S seconds after every 100 datagrams, to give the receiver time.
//!
//! ```text
//! terminal 1:  cargo run -p udp_receiver -- --bind 127.0.0.1:7788 > got.txt
//! terminal 2:  cargo run -p udp_receiver --example answer_02_4 -- 127.0.0.1:7788
//! then:        grep -c 的数据: got.txt
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{check_addr, resolve, say, tr, Args};

const USAGE_ZH: &str = "用法：answer_02_4 [--count N] [--pause S] DEST   （N 默认 10000）";
const USAGE_EN: &str = "usage: answer_02_4 [--count N] [--pause S] DEST   (N defaults to 10000)";

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), flood)
}

fn flood(mut args: Args) -> Result<()> {
    let count: u32 = args.parsed("--count")?.unwrap_or(10_000);
    let pause = args.seconds("--pause")?;
    let words = args.finish()?;
    let [dest] = words.as_slice() else {
        return netcommon::usage_error(tr!("要一个 DEST", "one DEST is needed"));
    };
    let dest = resolve(&check_addr(dest)?)?;

    let socket = UdpSocket::bind("0.0.0.0:0").context("bind")?;
    socket.set_write_timeout(Some(Duration::from_secs(1)))?;
    for k in 1..=count {
        // One sendto, one datagram: "1", "2", ... No reply is awaited, nothing is resent.
        socket
            .send_to(k.to_string().as_bytes(), dest)
            .with_context(|| tr!("发送第 {k} 个", "sending number {k}"))?;
        if let Some(pause) = pause.filter(|_| k % 100 == 0) {
            std::thread::sleep(pause);
        }
    }
    say!(
        "{}",
        tr!(
            "发送了 {count} 个数据报到 {dest}",
            "sent {count} datagrams to {dest}"
        )
    );
    Ok(())
}
