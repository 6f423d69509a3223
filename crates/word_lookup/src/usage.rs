//! The command line: the usage `--help` prints, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and `options()`, which reads it.

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, tr, usage_error, Args};

use crate::{DEFAULT_BIND, DEFAULT_TIMEOUT};

pub const USAGE_ZH: &str = "\
用法：word_lookup server [--bind 127.0.0.1:8888] [--dict FILE]
      word_lookup client [--timeout S] SERVER [WORD...]

server  每个装着一个单词的数据报，回答 `WORD: MEANING`（查不到回答 `WORD: not in the dictionary`）
  --bind ADDR    监听的地址（默认 127.0.0.1:8888，笔记里的地址）
  --dict FILE    单词本，每行一个 `单词 解释`（默认：内置的 words.txt）
client  把每个 WORD 发给 SERVER（主机:端口）并打印回答；没有 WORD 时在 `Msg>>> ` 后询问，
        直到输入空行或输入结束
  --timeout S    每个回答一共最多等多少秒（默认 5）";

pub const USAGE_EN: &str = "\
usage: word_lookup server [--bind 127.0.0.1:8888] [--dict FILE]
       word_lookup client [--timeout S] SERVER [WORD...]

server  answers each datagram holding a word with `WORD: MEANING` (or `WORD: not in the dictionary`)
  --bind ADDR    the address to listen on (default 127.0.0.1:8888, the notes' address)
  --dict FILE    the dictionary, one `WORD MEANING` per line (default: words.txt, built in)
client  sends each WORD to SERVER (HOST:PORT) and prints the answer; with no WORD it asks at
        `Msg>>> ` until an empty line or end of input
  --timeout S    how long to wait for each answer in all, in seconds (default 5)";

/// What the command line asks for: a server or a client.
pub enum Options {
    Server {
        /// `--bind ADDR`: where to listen.
        bind: String,
        /// `--dict FILE` (none: the built-in words.txt).
        dict_file: Option<String>,
    },
    Client {
        /// SERVER: where to send the words.
        server: String,
        /// The WORDs (none: asked at `Msg>>> `).
        words: Vec<String>,
        /// `--timeout S`: how long to wait for each answer in all.
        timeout: Duration,
    },
}

pub fn options(mut args: Args) -> Result<Options> {
    match args.subcommand_of(&["server", "client"])? {
        "server" => {
            let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
            let dict_file = args.value("--dict")?;
            args.no_more()?;
            Ok(Options::Server { bind, dict_file })
        }
        _ => {
            let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
            let mut words = args.finish()?.into_iter();
            let Some(server) = words.next() else {
                return usage_error(tr!(
                    "client 需要 SERVER 的地址（主机:端口）",
                    "client needs the SERVER address (HOST:PORT)"
                ));
            };
            Ok(Options::Client {
                server: check_addr(&server)?,
                words: words.collect(),
                timeout,
            })
        }
    }
}
