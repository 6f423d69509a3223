//! The command line: the usage `--help` prints, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and `options()`, which reads it.

use std::time::Duration;

use anyhow::Result;
use netcommon::{ask_addr, pick, Args, Encoding};

use crate::DEFAULT_REPLY_TIMEOUT;

pub const USAGE_ZH: &str = "\
用法：tcp_client [--encoding E] [--timeout S] SERVER [MESSAGE...]

连接 SERVER（主机:端口）；每条 MESSAGE 发出去，打印回答（`接收到的数据为: TEXT`）。
没有 MESSAGE 时从标准输入一行一行地读，直到输入结束或一行 `q`（或 `Q`）。
  --encoding E    utf-8（默认）或 gbk
  --timeout S     回答超过 S 秒还没来就放弃（默认 30）";

pub const USAGE_EN: &str = "\
usage: tcp_client [--encoding E] [--timeout S] SERVER [MESSAGE...]

Connects to SERVER (HOST:PORT); for each MESSAGE sends it and prints `reply: TEXT`.
With no MESSAGE, reads lines from stdin until end of input or a line `q` (or `Q`).
  --encoding E    utf-8 (default) or gbk
  --timeout S     give up when a reply takes longer than S seconds (default 30)";

/// What the command line asks for.
pub struct Options {
    /// SERVER, given or asked for.
    pub server: String,
    /// The MESSAGEs (none: lines are read from stdin).
    pub messages: Vec<String>,
    /// `--timeout S`: how long to wait for each reply.
    pub timeout: Duration,
    pub encoding: Encoding,
}

pub fn options(mut args: Args) -> Result<Options> {
    let encoding = args.encoding()?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_REPLY_TIMEOUT);
    let mut words = args.finish()?.into_iter();
    // ANCHOR: server_addr
    // 目的信息: server_ip = input("请输入服务器ip:"), server_port = int(input("请输入服务器port:"))
    let server = ask_addr(
        words.next(),
        pick("请输入服务器ip:", "server ip: "),
        pick("请输入服务器port:", "server port: "),
    )?;
    // ANCHOR_END: server_addr
    Ok(Options {
        server,
        messages: words.collect(),
        timeout,
        encoding,
    })
}
