//! The command line: `--help`'s usage, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and [`options`], which reads the command line into [`Options`].

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, Args, IDLE_GRACE};

use crate::{DEFAULT_BIND, DEFAULT_IDLE, DEFAULT_MAX_TIME};

pub const USAGE_ZH: &str = "\
用法：tcp_multi_server [--bind 127.0.0.1:9001] [--max-clients N] [--idle-grace S]
                       [--idle-timeout S] [--max-time S]

同时服务所有客户端，每个客户端一个线程；把收到的每一块数据转成大写（只转 ASCII 字母）发回，
直到客户端关闭连接。
  --bind ADDR       监听的地址（默认 127.0.0.1:9001，笔记的地址）
  --max-clients N   同时最多服务 N 个客户端；满了时，新客户端顶替一个连上后什么都没发的，
                    否则顶替空闲最久的那个（要空闲 1.5 秒以上）。默认：MAX_CLIENTS
  --idle-grace S    上面的 1.5 秒（测试用更短的，跑得快）
  --idle-timeout S  客户端 S 秒既不发也不读，就关闭它（默认 60）
  --max-time S      任何客户端最多服务 S 秒（默认 600）";

pub const USAGE_EN: &str = "\
usage: tcp_multi_server [--bind 127.0.0.1:9001] [--max-clients N] [--idle-grace S]
                        [--idle-timeout S] [--max-time S]

Serves every client at the same time, a thread each; sends each chunk back upper-cased
(ASCII letters only) until the client closes.
  --bind ADDR       the address to listen on (default 127.0.0.1:9001, the notes' address)
  --max-clients N   serve at most N clients at once; when full, a new client takes the
                    place of one that has sent nothing yet, else of the one idle the
                    longest, if idle 1.5 s or more. Default: MAX_CLIENTS
  --idle-grace S    that 1.5 s (the tests use less to run quicker)
  --idle-timeout S  close a client that sends or reads nothing for S seconds (default 60)
  --max-time S      close any client after S seconds in all (default 600)";

/// What the command line asks for.
pub struct Options {
    pub bind: String,
    pub max_clients: usize,
    pub grace: Duration,
    /// The longest one read or write waits, and the longest one client is served.
    pub idle: Duration,
    pub max_time: Duration,
}

pub fn options(mut args: Args, default_max_clients: usize) -> Result<Options> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let max_clients = args.count("--max-clients")?.unwrap_or(default_max_clients);
    let grace = args.seconds("--idle-grace")?.unwrap_or(IDLE_GRACE);
    let idle = args.seconds("--idle-timeout")?.unwrap_or(DEFAULT_IDLE);
    let max_time = args.seconds("--max-time")?.unwrap_or(DEFAULT_MAX_TIME);
    args.no_more()?;
    Ok(Options {
        bind,
        max_clients,
        grace,
        idle,
        max_time,
    })
}
