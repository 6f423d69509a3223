//! The chat server of notes 003 "利用tcp协议和多个客户端进行通信", 服务器端(server): the server
//! and one client take turns typing at `>>>`, the server first; `Q` (or `q`) from either side
//! ends the conversation, and the server goes on to the next client (one after another).
//!
//! ```text
//! terminal 1:  cargo run -p tcp_server --example chat_server
//! terminal 2:  cargo run -p tcp_server --example chat_client
//! ```
//!
//! Where this differs from the notes, and why:
//! - An empty line would be `conn.send(b'')`, which sends nothing: the client would wait
//!   forever for a message that never comes. We ask again instead.
//! - One `recv(1024)` is taken as one message, as in the notes: it works here because the two
//!   sides take turns (nobody sends twice in a row), but TCP keeps no boundaries (黏包).
//! - `decode('utf-8')` raises on bytes that are not UTF-8; we show them as �, and control
//!   characters escaped (`\r`, `\u{1b}`): a client must not rewrite the terminal or forge a
//!   line of the log.
//! - A client that closes (0 bytes) or resets ends its conversation, not the server. A client
//!   that does not answer for `--idle-timeout` seconds is closed, and the log says so and how to
//!   wait longer. End of input at `>>>` (Ctrl-D) ends the conversation as `Q` would, then the
//!   server.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::lang::describe;
use netcommon::{
    again, announce_listening, check_addr, input_or_eof, is_reset, is_timeout, peer_tag, pick,
    printable_text, say, tr, Args,
};

const USAGE_ZH: &str = "\
用法：chat_server [--bind 127.0.0.1:9001] [--idle-timeout S]

和一个又一个客户端聊天，在 >>> 提示符后轮流打字（服务器先说）；Q 或 q 结束和这个客户端的
对话。输入结束（Ctrl-D）时服务器退出。
  --idle-timeout S  最多等客户端的回答 S 秒（默认 300）";

const USAGE_EN: &str = "\
usage: chat_server [--bind 127.0.0.1:9001] [--idle-timeout S]

Chats with one client after another, taking turns at the >>> prompt (the server first);
Q or q ends the conversation with that client. End of input ends the server.
  --idle-timeout S  wait at most S seconds for the client's answer (default 300)";

/// `sk.bind(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_BIND: &str = "127.0.0.1:9001";
/// `conn.recv(1024)`: the most bytes one message takes.
const BUF_SIZE: usize = 1024;
/// How long the server waits for the client's user to type an answer.
const DEFAULT_IDLE: Duration = Duration::from_secs(300);
/// A write waits at most this long: a client that reads nothing cannot hold the server.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), chat_server)
}

fn chat_server(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let idle = args.seconds("--idle-timeout")?.unwrap_or(DEFAULT_IDLE);
    args.no_more()?;

    // sk=socket.socket(); sk.bind(('127.0.0.1',9001)); sk.listen() 申请操作系统的资源
    let sk = TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(sk.local_addr()?)?;

    // while True: 为了和多个客户端进行握手
    loop {
        // conn,addr=sk.accept() 能够和多个客户端握手了
        let (conn, addr) = sk
            .accept()
            .with_context(|| tr!("等待客户端接入", "accepting"))?;
        let who = peer_tag(addr);
        say!("{}", tr!("有新的客户端接入：{addr}", "{who} connected"));
        let more = chat(conn, addr, idle).unwrap_or_else(|e| {
            say!("{who} {}", describe(&e));
            true
        });
        // conn.close() 挥手,断开连接: `conn` was dropped when chat returned.
        if !more {
            return Ok(()); // end of input: sk.close() 关闭服务 when `sk` is dropped
        }
    }
}

/// One conversation. Ok(false) when the server's input ended (no more conversations).
fn chat(mut conn: TcpStream, addr: SocketAddr, idle: Duration) -> Result<bool> {
    let who = peer_tag(addr);
    conn.set_read_timeout(Some(idle))?;
    conn.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut buf = [0; BUF_SIZE];
    // while True: 和一个客户使劲聊天
    loop {
        // send_msg=input('>>>'): never empty (that would send nothing); end of input is Q.
        let (send_msg, more) = match input_or_eof(">>>")? {
            None => ("Q".to_string(), false),
            Some(line) if line.is_empty() => continue,
            Some(line) => (line, true),
        };
        // conn.send(send_msg.encode('utf-8')): write_all sends every byte.
        conn.write_all(send_msg.as_bytes())
            .context(pick("发送数据", "sending"))?;
        // if send_msg.upper()=='Q': break 关闭和该用户通信
        if send_msg.eq_ignore_ascii_case("q") {
            say!("{}", tr!("{who} 对话结束了", "{who} conversation ended"));
            return Ok(more);
        }
        // msg=conn.recv(1024).decode('utf-8')
        let n = match again(|| conn.read(&mut buf)) {
            Ok(0) => bail!("{}", pick("关闭了连接", "closed the connection")),
            Ok(n) => n,
            Err(e) if is_timeout(&e) => bail!(
                "{}",
                tr!(
                    "{} 秒没有回答：关闭连接（要等更久：--idle-timeout S）",
                    "no answer for {} s: closing it (to wait longer: --idle-timeout S)",
                    idle.as_secs_f64()
                )
            ),
            Err(e) if is_reset(&e) => bail!("{}", pick("重置了连接", "reset the connection")),
            Err(e) => return Err(e).context(pick("接收数据", "reading")),
        };
        let msg = String::from_utf8_lossy(&buf[..n]);
        // if msg.upper()=='Q': break
        if msg.eq_ignore_ascii_case("q") {
            say!(
                "{}",
                tr!("{who} 结束了对话", "{who} ended the conversation")
            );
            return Ok(true);
        }
        // print(msg), control characters escaped: the client's text must not rewrite the
        // terminal or forge a line of the log.
        say!("{}", printable_text(&msg));
    }
}
