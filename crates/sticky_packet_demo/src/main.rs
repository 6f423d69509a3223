//! # sticky_packet_demo: 黏包, and the length prefix that fixes it
//!
//! Notes 003 part 2: "黏包现象只发生在tcp协议中", "struct模块", "解决tcp协议中的粘包现象" and the
//! "udp协议" remark (不会粘包); notes 004 §1.6 "TCP 和 UDP 编程对比".
//!
//! ```text
//! terminal 1:  cargo run -p sticky_packet_demo -- server hello world 你好
//! terminal 2:  cargo run -p sticky_packet_demo -- client 127.0.0.1:9001
//!              → recv #1: helloworld你好              three messages, one read: 黏包
//! terminal 1:  cargo run -p sticky_packet_demo -- server --framed hello world 你好
//! terminal 2:  cargo run -p sticky_packet_demo -- client 127.0.0.1:9001 --framed
//!              → message #1: hello, message #2: world, message #3: 你好
//! ```
//!
//! Why it happens (粘包现象发生的本质): TCP carries a stream of bytes, with no boundaries
//! between messages. The sender's system may merge small writes into one segment (Nagle's
//! algorithm: 发送数据小，间隔短), and the receiver's buffer piles up whatever arrives before
//! the program reads (接受不及时). One `read` returns what is there: two messages glued, or
//! part of a big one, whose rest comes with the next reads. It can even cut a UTF-8 character
//! in half (shown as �).
//!
//! UDP has no 黏包: every `sendto` is one datagram with its own boundary, and every `recvfrom`
//! returns exactly one datagram, never two and never a part (one too long for the buffer is
//! cut and the rest lost, not continued in the next read).
//!
//! The fix (解决粘包的本质：设置边界): send each message's length first, as 4 bytes
//! (`struct.pack('i', len(msg))`), then read 4 bytes and exactly that many more: `frame.rs`,
//! the heart of this lesson (`frame_header` in the server, `read_frame` in the client).
//!
//! What this adds to the notes, and why:
//! - `sk.recv(4)` then `sk.recv(length)`: each `recv` returns *up to* that many bytes, fewer
//!   when the rest has not arrived yet (a big message, a slow network). The missing part is
//!   then read as the next header. We loop for the header and `read_exact` the body.
//! - The length from the network is trusted: `recv(length)` with 2 GB allocates 2 GB. We refuse
//!   a negative length, or one over `--max-frame`, before allocating anything.
//! - `'i'` is the machine's own byte order: little-endian on a PC. Both ends must agree, so we
//!   say which (`--endian little|big`; big is `'!i'`, "network order").
//! - The notes' server frames msg1 only and sends msg2 raw; ours frames every message, and a
//!   clean close between frames is the normal end (a close inside a frame is an error).
//! - `send` may send only part of the bytes: `write_all` (Python's `sendall`).
//! - A silent peer holds the notes' programs forever: our client waits at most `--timeout`
//!   seconds for each read, our server at most 10 s for each write.

mod client;
mod frame;
mod python_bytes;
mod server;
mod usage;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `sk.bind(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_BIND: &str = "127.0.0.1:9001";
/// The longest message the framed client accepts: a length over it is an error, not a buffer.
const DEFAULT_MAX_FRAME: u64 = 16 * 1024 * 1024;
/// The client gives up on a server silent this long (its user may be typing at `>>>`).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), |args| {
        sticky_packet_demo(options(args)?)
    })
}

fn sticky_packet_demo(options: Options) -> Result<()> {
    match options {
        // The server (server.rs): notes 003's steps 1 to 5, for the first client.
        Options::Server {
            bind,
            framed,
            endian,
            messages,
        } => server::run(&bind, framed, endian, messages),
        // The client (client.rs): notes 003's steps 1 to 4.
        Options::Client {
            server,
            framed,
            endian,
            max,
            timeout,
        } => client::run(&server, framed, endian, max, timeout),
    }
}
