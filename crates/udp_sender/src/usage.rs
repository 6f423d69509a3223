//! The command line: the usage `--help` prints, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and `options()`, which reads it.

use std::time::Duration;

use anyhow::Result;
use netcommon::{ask_addr, check_addr, pick, Args, Encoding};

use crate::DEFAULT_TIMEOUT;

pub const USAGE_ZH: &str = "\
用法：udp_sender [--bind ADDR] [--wait-reply] [--timeout S] [--encoding E] DEST MESSAGE...

把每个 MESSAGE 作为一个 UDP 数据报发送到 DEST（主机:端口）。缺少的会询问。
  --bind ADDR     从这个本地地址发送（默认：任意地址，端口由系统挑选）
  --wait-reply    每发一条消息，等待一个回复并打印 `收到来自 IP:端口 的数据:内容`
  --timeout S     每个回复（以及每次发送）最多等多少秒（默认 5）
  --encoding E    utf-8（默认）或 gbk";

pub const USAGE_EN: &str = "\
usage: udp_sender [--bind ADDR] [--wait-reply] [--timeout S] [--encoding E] DEST MESSAGE...

Sends each MESSAGE as one UDP datagram to DEST (HOST:PORT). Asks for what is missing.
  --bind ADDR     send from this local address (default: any, a port the system picks)
  --wait-reply    after each message wait for one reply and print `reply from IP:PORT: TEXT`
  --timeout S     how long to wait for each reply (and for each send), in seconds (default 5)
  --encoding E    utf-8 (default) or gbk";

/// What the command line asks for.
pub struct Options {
    /// `--bind ADDR`, else any address and a port the system picks.
    pub bind: Option<String>,
    pub dest: String,
    /// The MESSAGEs (none: step 3 asks for one).
    pub messages: Vec<String>,
    pub wait_reply: bool,
    pub timeout: Duration,
    pub encoding: Encoding,
}

pub fn options(mut args: Args) -> Result<Options> {
    let bind = args.value("--bind")?.map(|a| check_addr(&a)).transpose()?;
    let wait_reply = args.flag("--wait-reply");
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let encoding = args.encoding()?;
    let mut words = args.finish()?.into_iter();
    // DEST from the command line, or asked the way the 聊天器 asks (ip, then port).
    let dest = ask_addr(
        words.next(),
        pick("请输入对方的ip地址:", "peer ip: "),
        pick("请输入对方的port:", "peer port: "),
    )?;
    let messages = words.collect();
    Ok(Options {
        bind,
        dest,
        messages,
        wait_reply,
        timeout,
        encoding,
    })
}
