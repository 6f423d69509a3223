//! The command line: the usage `--help` prints, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and `options()`, which reads it.

use anyhow::Result;
use netcommon::{check_addr, Args, Encoding};

use crate::DEFAULT_BIND;

pub const USAGE_ZH: &str = "\
用法：udp_receiver [--bind 0.0.0.0:7788] [--count N] [--reply TEXT] [--encoding E]

每收到一个数据报，就打印 `收到来自 IP:端口 的数据:内容`。
  --bind ADDR     监听的地址（默认 0.0.0.0:7788，笔记里的端口）
  --count N       收到 N 个数据报后退出（默认：一直收）
  --reply TEXT    给每个数据报的发送方回复 TEXT
  --encoding E    utf-8（默认）或 gbk";

pub const USAGE_EN: &str = "\
usage: udp_receiver [--bind 0.0.0.0:7788] [--count N] [--reply TEXT] [--encoding E]

Prints `from IP:PORT: TEXT` for every datagram that arrives.
  --bind ADDR     the address to listen on (default 0.0.0.0:7788, the notes' port)
  --count N       exit after N datagrams (default: never)
  --reply TEXT    send TEXT back to the sender of each datagram
  --encoding E    utf-8 (default) or gbk";

/// What the command line asks for.
pub struct Options {
    /// `--bind ADDR`: where to listen.
    pub bind: String,
    /// `--count N`: stop after N datagrams (none: never).
    pub count: Option<u64>,
    /// `--reply TEXT`, encoded: what to send back to each sender.
    pub reply: Option<Vec<u8>>,
    pub encoding: Encoding,
}

pub fn options(mut args: Args) -> Result<Options> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let count: Option<u64> = args.parsed("--count")?;
    let encoding = args.encoding()?;
    let reply = args.value("--reply")?.map(|text| encoding.encode(&text));
    args.no_more()?;
    Ok(Options {
        bind,
        count,
        reply,
        encoding,
    })
}
