//! The command line: the usage `--help` prints, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and `options()`, which reads it.

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, Args, Encoding};

use crate::{DEFAULT_BIND, DEFAULT_TIMEOUT};

pub const USAGE_ZH: &str = "\
用法：udp_chat [--bind 0.0.0.0:7890] [--live] [--timeout S] [--encoding E]

笔记里的聊天菜单（从标准输入读）：1 发送，2 接收（打印 `>>>IP:端口:内容`），3 退出。
  --bind ADDR     发送和接收用的本地地址（默认 0.0.0.0:7890）
  --live          一边输入，一边打印收到的消息（用一个接收线程）
  --timeout S     选 2 时最多等多少秒（默认 60）
  --encoding E    utf-8（默认）或 gbk";

pub const USAGE_EN: &str = "\
usage: udp_chat [--bind 0.0.0.0:7890] [--live] [--timeout S] [--encoding E]

The notes' chat menu on stdin: 1 send, 2 receive (prints `from IP:PORT: TEXT`), 3 quit.
  --bind ADDR     the local address to send from and receive on (default 0.0.0.0:7890)
  --live          print messages as they arrive, while you type (a receive thread)
  --timeout S     how long choice 2 waits for a message, in seconds (default 60)
  --encoding E    utf-8 (default) or gbk";

/// What the command line asks for.
pub struct Options {
    /// `--bind ADDR`: the chat's one address, to send from and receive on.
    pub bind: String,
    /// `--live`: a thread prints messages as they arrive.
    pub live: bool,
    /// `--timeout S`: how long choice 2 waits for a message.
    pub timeout: Duration,
    pub encoding: Encoding,
}

pub fn options(mut args: Args) -> Result<Options> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let live = args.flag("--live");
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let encoding = args.encoding()?;
    args.no_more()?;
    Ok(Options {
        bind,
        live,
        timeout,
        encoding,
    })
}
