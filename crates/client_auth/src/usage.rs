//! The command line: `--help`'s usage, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and [`options`], which reads the command line into [`Options`].

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, Args};

use crate::{choose_secret, DEFAULT_BIND, DEFAULT_TIMEOUT};

pub const USAGE_ZH: &str = "\
用法：client_auth server [--bind 127.0.0.1:9001] [--secret S] [--timeout SECS] [--max-clients N]
      client_auth client SERVER [--secret S] [--timeout SECS]

server：给每个客户端发 32 个随机字节，等它回 SHA-1(密钥 + 这些字节) 的十六进制；
        对了就记一行“是合法的客户端”并发送 hello，不对就记一行“不是合法的客户端”并关闭连接。
        每个客户端在自己的线程里验证。
client：回答 SERVER（HOST:PORT）的挑战；打印“服务器说：hello”，
        或者“服务器拒绝了我们”（退出码 1）。
  --secret S      两边共用的密钥（默认：$NET_LESSONS_SECRET，没有的话用笔记里的 hahaha）
  --timeout SECS  对方 SECS 秒内不回答就放弃（默认 10）
  --max-clients N （server）最多同时验证 N 个客户端；满了的时候，最早的、还没回答的
                  客户端让出位置。默认：MAX_CLIENTS";

pub const USAGE_EN: &str = "\
usage: client_auth server [--bind 127.0.0.1:9001] [--secret S] [--timeout SECS] [--max-clients N]
       client_auth client SERVER [--secret S] [--timeout SECS]

server: sends each client 32 random bytes and expects SHA-1(secret + those bytes) in hex;
        logs `accepted IP:PORT` and sends hello, or logs `rejected IP:PORT` and closes.
        Checks each client on a thread of its own.
client: answers the challenge of SERVER (HOST:PORT); prints `server says: hello`, or
        `rejected by server` (exit 1).
  --secret S      the shared secret (default: $NET_LESSONS_SECRET, else the notes' hahaha)
  --timeout SECS  give up on a peer that does not answer in SECS seconds (default 10)
  --max-clients N (server) check at most N clients at once; when full, the oldest client
                  that has not answered yet makes room. Default: MAX_CLIENTS";

/// What the command line asks for: the server or the client, and their settings.
pub enum Options {
    Server {
        bind: String,
        secret_key: Vec<u8>,
        timeout: Duration,
        max_clients: usize,
    },
    Client {
        server: String,
        secret_key: Vec<u8>,
        timeout: Duration,
    },
}

pub fn options(mut args: Args, default_max_clients: usize) -> Result<Options> {
    let command = args.subcommand_of(&["server", "client"])?;
    let secret = args.value("--secret")?;
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    Ok(match command {
        "server" => {
            let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
            let max_clients = args.count("--max-clients")?.unwrap_or(default_max_clients);
            args.no_more()?;
            let secret_key = choose_secret(secret)?;
            Options::Server {
                bind,
                secret_key,
                timeout,
                max_clients,
            }
        }
        _ => Options::Client {
            server: args.server()?,
            secret_key: choose_secret(secret)?,
            timeout,
        },
    })
}
