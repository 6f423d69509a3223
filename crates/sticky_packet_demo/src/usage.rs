//! The command line: `--help`'s usage, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and [`options`], which reads the command line into [`Options`].

use std::time::Duration;

use anyhow::Result;
use netcommon::{check_addr, Args};

use crate::frame::Endian;
use crate::{DEFAULT_BIND, DEFAULT_MAX_FRAME, DEFAULT_TIMEOUT};

pub const USAGE_ZH: &str = "\
用法：sticky_packet_demo server [--bind 127.0.0.1:9001] [--framed] [--endian little|big] MESSAGE...
      sticky_packet_demo client SERVER [--framed] [--endian little|big] [--max-frame BYTES]
                               [--timeout S]

server：把它的 MESSAGE 一条接一条地发给第一个连上来的客户端，然后退出。没有 MESSAGE 时，
        客户端连上以后问两条，像笔记的 input('>>>')。
client：连接 SERVER（HOST:PORT），每次读到的都打印成“第 N 次读到：TEXT”，消息粘在一起或者
        被拆开都看得见；加 --framed 时，每条消息打印成“第 N 条消息：TEXT”。
  --framed           每条消息前面加 4 字节的长度（解决黏包的办法）
  --endian E         这个长度的字节序：little（默认，PC 上的 struct.pack('i')）
                     或 big（struct.pack('!i')，网络字节序）
  --max-frame BYTES  拒绝比这更长的消息（默认 16777216，16 MiB）
  --timeout S        client：服务器 S 秒什么都不发就放弃（默认 60）";

pub const USAGE_EN: &str = "\
usage: sticky_packet_demo server [--bind 127.0.0.1:9001] [--framed] [--endian little|big] MESSAGE...
       sticky_packet_demo client SERVER [--framed] [--endian little|big] [--max-frame BYTES]
                                [--timeout S]

server: sends its MESSAGEs back to back to the first client, then exits. With no MESSAGE it
        asks for two after the client connects, like the notes' input('>>>').
client: connects to SERVER (HOST:PORT) and prints every read as `recv #N: TEXT`, which shows
        messages glued together or split; with --framed, every message as `message #N: TEXT`.
  --framed           put a 4-byte length before each message (the fix)
  --endian E         byte order of that length: little (default, struct.pack('i') on a PC)
                     or big (struct.pack('!i'), network order)
  --max-frame BYTES  refuse a message longer than this (default 16777216, 16 MiB)
  --timeout S        client: give up when the server sends nothing for S seconds (default 60)";

/// What the command line asks for: the server or the client, and their settings.
pub enum Options {
    Server {
        bind: String,
        framed: bool,
        endian: Endian,
        messages: Vec<String>,
    },
    Client {
        server: String,
        framed: bool,
        endian: Endian,
        max: usize,
        timeout: Duration,
    },
}

pub fn options(mut args: Args) -> Result<Options> {
    let command = args.subcommand_of(&["server", "client"])?;
    let framed = args.flag("--framed");
    let endian = args.parsed::<Endian>("--endian")?.unwrap_or(Endian::Little);
    Ok(match command {
        "server" => Options::Server {
            bind: check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?,
            framed,
            endian,
            messages: args.finish()?,
        },
        _ => {
            let max = args
                .parsed::<u64>("--max-frame")?
                .unwrap_or(DEFAULT_MAX_FRAME);
            let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
            Options::Client {
                server: args.server()?,
                framed,
                endian,
                max: usize::try_from(max).unwrap_or(usize::MAX),
                timeout,
            }
        }
    })
}
