//! # word_lookup: look a word up on a UDP server
//!
//! Notes 004 §1.5 "案例：查找单词": 从客户端使用 input 输入一个单词，发送给服务端。服务端基于
//! 单词本找到该单词，将单词和单词解释发回给客户端，由客户端打印出来。The server is 004 §1.1's
//! UDP server (`recvfrom`, then `sendto` the sender) with a dictionary; the client is §1.2's
//! (`input("Msg>>> ")`, `sendto`, `recvfrom`, an empty line ends it).
//!
//! ```text
//! terminal 1:  cargo run -p word_lookup -- server                 (127.0.0.1:8888, words.txt)
//! terminal 2:  cargo run -p word_lookup -- client 127.0.0.1:8888 socket port
//!              (no WORD: it asks at `Msg>>> `, like the notes' client)
//! ```
//!
//! ## What travels on the wire
//!
//! One datagram asks, one datagram answers, both UTF-8 text and nothing else:
//! - query: the word (at most 1024 bytes are read; spaces around it and case do not matter);
//! - answer: `WORD: MEANING` when the dictionary has it (`socket: n. 套接字；插座`), else
//!   `WORD: not in the dictionary`; an empty query gets `empty query: send one word`, a query
//!   longer than 64 bytes `query too long: a word is at most 64 bytes`.
//!
//! The dictionary (`words.txt` in this crate, or `--dict FILE`) is read once at start, one
//! `WORD MEANING` per line; nothing from the network ever changes it.
//!
//! Where this differs from the notes, and why:
//! - The notes' `recvfrom(1024)` cuts a longer datagram silently: we ask for 1025 bytes and warn.
//! - The notes' client waits for an answer forever; a lost datagram (UDP does not resend) would
//!   hang it. Ours waits `--timeout` seconds (default 5) in all, then says so (exit 1).
//! - Ours `connect`s its UDP socket to the server, so the system hands it only the server's
//!   datagrams: anyone else's cannot pass for the answer, nor keep it waiting.
//! - The server ignores a datagram "from" its own address: forged that way, it would make the
//!   server answer itself for ever. Text from the network is escaped in its log.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{tr, Args};

mod client;
mod dict;
mod server;
mod usage;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `("127.0.0.1", 8888)`: notes 004's server address.
const DEFAULT_BIND: &str = "127.0.0.1:8888";
/// How long the client waits for each answer unless `--timeout` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The dictionary that ships with the crate.
const BUILT_IN: &str = include_str!("../words.txt");
/// A dictionary file bigger than this is refused (it is read into memory whole).
const MAX_DICT_BYTES: u64 = 4 << 20;

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), word_lookup)
}

fn word_lookup(args: Args) -> Result<()> {
    match options(args)? {
        // The server (server.rs): notes 004 §1.1.3's steps 1 to 4, answering from the
        // dictionary, which is read once, before step 1.
        Options::Server { bind, dict_file } => {
            let dictionary = match &dict_file {
                None => dict::parse(BUILT_IN).map_err(anyhow::Error::msg)?,
                Some(file) => load(file)?,
            };
            server::run(&bind, &dictionary)
        }
        // The client (client.rs): notes 004 §1.2.2's steps 1 to 3, one word per datagram.
        Options::Client {
            server,
            words,
            timeout,
        } => client::run(&server, words, timeout),
    }
}

/// Reads `--dict FILE` once, at start.
fn load(file: &str) -> Result<dict::Dictionary> {
    let size = std::fs::metadata(file)
        .with_context(|| tr!("读取 {file}", "reading {file}"))?
        .len();
    if size > MAX_DICT_BYTES {
        anyhow::bail!(tr!(
            "{file}：{size} 字节，单词本太大了（最多 {MAX_DICT_BYTES} 字节）",
            "{file}: {size} bytes is too big for a dictionary (at most {MAX_DICT_BYTES})"
        ));
    }
    let text =
        std::fs::read_to_string(file).with_context(|| tr!("读取 {file}", "reading {file}"))?;
    dict::parse(&text).map_err(|e| anyhow::anyhow!(tr!("{file}：{e}", "{file}: {e}")))
}
