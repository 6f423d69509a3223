//! The chat client of notes 003 "利用tcp协议和多个客户端进行通信", 客户端(client): it waits
//! for the server's message, prints it, then its user answers at `>>>`; `Q` (or `q`) from
//! either side ends the conversation.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example chat_server
//! terminal 2:  cargo run -p tcp_server --example chat_client
//! ```
//!
//! Where this differs from the notes, and why:
//! - An empty line would send nothing and leave both sides waiting: we ask again.
//! - A server that closes (0 bytes) would make the notes' `recv` return `b''` forever and
//!   print empty lines: we say the server closed and stop.
//! - Waiting for the server's message takes at most `--timeout` seconds (its user is typing),
//!   each send at most 10 s; when one runs out we say which.
//! - `connect` waits at most 10 s (or `--timeout`, if shorter): against a server whose queue of
//!   waiting connections (backlog) is full, the system would keep retrying for about two minutes.
//! - End of input at `>>>` (Ctrl-D) ends the conversation as `Q` would.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{
    again, connect_failed, input_or_eof, is_reset, is_timeout, pick, resolve, say, tr, Args,
};

const USAGE_ZH: &str = "\
用法：chat_client [SERVER] [--timeout S]

和 SERVER（默认 127.0.0.1:9001）上的 chat_server 聊天，轮流说话：先收服务器的消息，再在
>>> 提示符后输入你的。Q 或 q 结束对话。
  --timeout S  最多等服务器的消息 S 秒（默认 300）";

const USAGE_EN: &str = "\
usage: chat_client [SERVER] [--timeout S]

Chats with the chat_server at SERVER (default 127.0.0.1:9001), taking turns: the server's
message first, then yours at the >>> prompt. Q or q ends the conversation.
  --timeout S  wait at most S seconds for the server's message (default 300)";

/// `sk.connect(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_SERVER: &str = "127.0.0.1:9001";
/// `sk.recv(1024)`: the most bytes one message takes.
const BUF_SIZE: usize = 1024;
/// How long the client waits for the server's user to type a message.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// A send waits at most this long.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connecting waits at most this long (or `--timeout`, if shorter).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), chat_client)
}

fn chat_client(mut args: Args) -> Result<()> {
    let timeout = args.seconds("--timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let server = args.address(DEFAULT_SERVER)?;

    // sk=socket.socket(); sk.connect(('127.0.0.1',9001)), with a deadline: connect_timeout
    // takes one address, so the name is looked up first.
    let addr = resolve(&server)?;
    let connect_timeout = timeout.min(CONNECT_TIMEOUT);
    let mut sk = TcpStream::connect_timeout(&addr, connect_timeout)
        .map_err(|e| connect_failed(&server, connect_timeout, e))?;
    sk.set_read_timeout(Some(timeout))?;
    sk.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut buf = [0; BUF_SIZE];
    // while True: 和服务器端使劲聊
    loop {
        // msg=sk.recv(1024).decode('utf-8')
        let n = match again(|| sk.read(&mut buf)) {
            Ok(0) => {
                // Without a Q: the server stopped, or gave up waiting for our answer.
                say!(
                    "{}",
                    pick("服务器关闭了连接", "server closed the connection")
                );
                break;
            }
            Ok(n) => n,
            Err(e) if is_timeout(&e) => bail!(
                "{}",
                tr!(
                    "服务器 {} 秒什么都没发：不等了（要等更久：--timeout S）",
                    "the server sent nothing for {} s: giving up (to wait longer: --timeout S)",
                    timeout.as_secs_f64()
                )
            ),
            Err(e) if is_reset(&e) => bail!(
                "{}",
                pick("服务器重置了连接", "the server reset the connection")
            ),
            Err(e) => return Err(e).context(pick("接收数据", "reading")),
        };
        let msg = String::from_utf8_lossy(&buf[..n]);
        // if msg.upper()=='Q': break 关闭和该服务器通信
        if msg.eq_ignore_ascii_case("q") {
            say!(
                "{}",
                pick("服务器结束了对话", "the server ended the conversation")
            );
            break;
        }
        // print(msg)
        say!("{msg}");
        // send_msg=input('>>>'): never empty; end of input is Q.
        let send_msg = loop {
            match input_or_eof(">>>")? {
                None => break "Q".to_string(),
                Some(line) if line.is_empty() => continue,
                Some(line) => break line,
            }
        };
        // sk.send(send_msg.encode('utf-8'))
        sk.write_all(send_msg.as_bytes())
            .context(pick("发送数据", "sending"))?;
        // if send_msg.upper()=='Q': break
        if send_msg.eq_ignore_ascii_case("q") {
            break;
        }
    }
    // sk.close(): dropping `sk`.
    Ok(())
}
