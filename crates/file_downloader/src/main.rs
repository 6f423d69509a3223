//! # file_downloader: the notes' 文件下载器, streamed and safe
//!
//! Notes 000 "案例:文件下载器（二）", notes 001 "案例：文件下载器", notes 002 "TCP下载文件案例".
//! The protocol is the notes', byte for byte: the client connects and sends the file name (UTF-8,
//! one write, no terminator); the server sends the file's bytes and closes. Nothing else: no
//! length, no status. A name the server will not serve gets a close with zero bytes.
//!
//! ```text
//! terminal 1:  cargo run -p file_downloader -- server --root .
//! terminal 2:  cargo run -p file_downloader -- client 127.0.0.1:7890 Cargo.toml --out /tmp/x.toml
//!              (no NAME: it asks 请输入要下载的文件名：, like the notes)
//! ```
//!
//! The server is in `server.rs`, the client in `client.rs`, each numbered like the notes.
//!
//! What this adds to the notes, and why:
//! - `open(filename)` with a name from the network serves any file on the machine
//!   (`../../etc/passwd`, `/etc/passwd`): we serve only plain names under `--root`, checked
//!   again after symlinks are resolved.
//! - 001's server reads the whole file into memory and `send`s it once (which may send only
//!   part): we stream it through one reused buffer with `write_all`.
//! - The client creates the file before anything arrives, and a failed download leaves a
//!   truncated or empty file (001 keeps only the first 1024 bytes): we write to a temporary
//!   file beside the target and rename it only when the server has closed cleanly.
//! - One client at a time, and a silent client blocks the server: a thread per client (with
//!   a limit: when full, the connection idle the longest makes room for the new one) and a
//!   deadline on every read and write.
//! - The client cannot tell a truncated file from a whole one: the server closing is the only
//!   "end" this protocol has. The 黏包 lesson's length prefix would fix it: send the size first,
//!   and the client knows whether everything arrived (see docs/choices.md).

mod client;
mod server;

use std::process::ExitCode;

use anyhow::Result;
use netcommon::Args;

const USAGE_ZH: &str = "\
用法：file_downloader server [PORT] [--bind 127.0.0.1:7890] [--root DIR] [--max-clients N]
                             [--idle-grace S] [--buffer-size BYTES]
      file_downloader client [SERVER] [NAME] [--out PATH] [--force] [--max-bytes N]

server：提供 DIR（默认：当前文件夹）下的文件，每个客户端一个线程。
  PORT                 在 127.0.0.1:PORT 上监听（像笔记的 `python3 xxx.py 7890`）
  --bind ADDR          监听的地址（默认 127.0.0.1:7890）
  --max-clients N      最多同时服务 N 个客户端；满了的时候，关掉一个还什么都没发的连接，
                       否则关掉空闲最久的那个（1.5 秒或更久），给新的腾地方。
                       默认：MAX_CLIENTS
  --idle-grace S       上面的 1.5 秒（测试用更短的时间，跑得快些）
  --buffer-size BYTES  每次从文件读出、再写给 socket 的字节数（默认 262144）
client：从 SERVER（HOST:PORT）下载 NAME；缺了什么就问什么。
  --out PATH           保存到哪里（默认：NAME 的最后一段，放在当前文件夹）
  --force              PATH 已经存在时覆盖它
  --max-bytes N        收到超过 N 字节就停下，什么都不保存（退出码 1）";

const USAGE_EN: &str = "\
usage: file_downloader server [PORT] [--bind 127.0.0.1:7890] [--root DIR] [--max-clients N]
                              [--idle-grace S] [--buffer-size BYTES]
       file_downloader client [SERVER] [NAME] [--out PATH] [--force] [--max-bytes N]

server: serves the files under DIR (default: the current folder), a thread per client.
  PORT                 listen on 127.0.0.1:PORT (like the notes' `python3 xxx.py 7890`)
  --bind ADDR          the address to listen on (default 127.0.0.1:7890)
  --max-clients N      serve at most N clients at once; when full, a connection that has
                       sent nothing yet, else the one idle the longest (1.5 s or more), is
                       closed to make room. Default: MAX_CLIENTS
  --idle-grace S       that 1.5 s (the tests use less to run quicker)
  --buffer-size BYTES  bytes read from the file per write to the socket (default 262144)
client: downloads NAME from SERVER (HOST:PORT); asks for what is missing.
  --out PATH           where to save it (default: NAME's last part, in the current folder)
  --force              overwrite PATH if it exists
  --max-bytes N        stop, and save nothing, if more than N bytes arrive (exit 1)";

fn main() -> ExitCode {
    // A client holds three file descriptors while it downloads: its socket, the registry's
    // handle on it (try_clone) and the file.
    let (max_clients, why) = netcommon::default_max_clients(3);
    let usage = netcommon::pick(USAGE_ZH, USAGE_EN).replace("MAX_CLIENTS", &why);
    netcommon::run(&usage, |args| file_downloader(args, max_clients))
}

fn file_downloader(mut args: Args, default_max_clients: usize) -> Result<()> {
    match args.subcommand_of(&["server", "client"])? {
        "server" => server::server(args, default_max_clients),
        _ => client::client(args),
    }
}
