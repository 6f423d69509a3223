//! The command line: `--help`'s usage, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and [`options`], which reads the command line into [`Options`].

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, tr, usage_error, Args, Encoding};

use crate::{DEFAULT_BIND, DEFAULT_IDLE, DEFAULT_MAX_TIME, DEFAULT_REPLY};

pub const USAGE_ZH: &str = "\
用法：tcp_server [--bind 0.0.0.0:8080] [--reply TEXT | --echo] [--once] [--encoding E]
                 [--idle-timeout S] [--max-time S]

一个接一个地服务客户端：收到的每一块数据都打印出来（`收到客户端的消息：TEXT`），
并回答 TEXT（默认是笔记 000 的 收到！），加 --echo 则把收到的字节原样发回。
  --once            只服务一个客户端，然后退出
  --encoding E      utf-8（默认）或 gbk
  --idle-timeout S  客户端 S 秒既不发也不读，就关闭它（默认 60）
  --max-time S      任何客户端最多服务 S 秒（默认 600）";

pub const USAGE_EN: &str = "\
usage: tcp_server [--bind 0.0.0.0:8080] [--reply TEXT | --echo] [--once] [--encoding E]
                  [--idle-timeout S] [--max-time S]

Serves clients one after another; prints `from IP:PORT: TEXT` for every chunk received and
answers it with TEXT (default 收到！, as in notes 000) or, with --echo, with the same bytes.
  --once            serve one client, then exit
  --encoding E      utf-8 (default) or gbk
  --idle-timeout S  close a client that sends or reads nothing for S seconds (default 60)
  --max-time S      close any client after S seconds in all (default 600)";

/// What the command line asks for.
pub struct Options {
    pub bind: String,
    pub echo: bool,
    pub once: bool,
    pub encoding: Encoding,
    /// The answer to every message, encoded (unless `echo`).
    pub reply: Vec<u8>,
    /// The longest one read or write waits, and the longest one client is served.
    pub idle: Duration,
    pub max_time: Duration,
}

pub fn options(mut args: Args) -> Result<Options> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let echo = args.flag("--echo");
    let once = args.flag("--once");
    let encoding = args.encoding()?;
    let reply = args.value("--reply")?;
    if echo && reply.is_some() {
        return usage_error(tr!(
            "--reply 和 --echo 不能一起用",
            "--reply and --echo cannot be used together"
        ));
    }
    let reply = encoding.encode(reply.as_deref().unwrap_or(DEFAULT_REPLY));
    let idle = args.seconds("--idle-timeout")?.unwrap_or(DEFAULT_IDLE);
    let max_time = args.seconds("--max-time")?.unwrap_or(DEFAULT_MAX_TIME);
    args.no_more()?;
    Ok(Options {
        bind,
        echo,
        once,
        encoding,
        reply,
        idle,
        max_time,
    })
}
