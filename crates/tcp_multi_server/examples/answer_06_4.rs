//! Lesson 06, exercise 4: a pool of a fixed number of threads instead of a thread per client.
//! The main thread accepts and sends each connection down an `mpsc` channel; the workers share
//! the receiving end and each serves one client at a time, so a client beyond the pool's size
//! waits (already connected) until a worker is free.
//!
//! ```text
//! terminal 1:  cargo run -p tcp_multi_server --example answer_06_4 -- --threads 2
//! terminal 2:  cargo run -p tcp_client -- 127.0.0.1:9001        (type a line, then wait)
//! ```

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{announce_listening, check_addr, pick, say, tr, usage_error, Args};

const USAGE_ZH: &str = "用法：answer_06_4 [--bind 127.0.0.1:9001] [--threads N]   （N 默认 8）";
const USAGE_EN: &str = "usage: answer_06_4 [--bind 127.0.0.1:9001] [--threads N]   (N: 8)";
/// Every read and write waits at most this long, as in threaded_server.
const TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), pool)
}

fn pool(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", "127.0.0.1:9001")?)?;
    let threads: usize = args.parsed("--threads")?.unwrap_or(8);
    if threads == 0 || !args.finish()?.is_empty() {
        return usage_error(tr!(
            "--threads 至少 1，没有别的参数",
            "--threads >= 1, no other words"
        ));
    }
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;

    // One sender (the accept loop), one receiver shared by the workers behind a Mutex.
    let (tx, rx) = mpsc::channel::<(TcpStream, SocketAddr)>();
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..threads {
        let rx = Arc::clone(&rx);
        thread::spawn(move || loop {
            // The lock is held only while taking the next client, not while serving it.
            let next = match rx.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok((conn, addr)) = next else { return };
            say!("{}", tr!("开始服务：{addr}", "serving {addr}"));
            handle(conn);
            say!("{}", tr!("客户端已断开：{addr}", "{addr} gone"));
        });
    }
    loop {
        let (conn, addr) = listener
            .accept()
            .context(pick("等待客户端接入", "accepting"))?;
        say!("{}", tr!("有新的客户端接入：{addr}", "{addr} connected"));
        // Queued: a free worker takes it at once, otherwise it waits for one.
        tx.send((conn, addr))
            .context(pick("所有工作线程都停了", "every worker has stopped"))?;
    }
}

/// Myserver.handle, as in threaded_server: echo upper-cased until the client closes or resets.
fn handle(mut conn: TcpStream) {
    if conn.set_read_timeout(Some(TIMEOUT)).is_err()
        || conn.set_write_timeout(Some(TIMEOUT)).is_err()
    {
        return;
    }
    let mut buf = [0; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            Ok(0) | Err(_) => return, // closed, reset or timed out
            Ok(n) => n,
        };
        buf[..n].make_ascii_uppercase();
        if conn.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}
