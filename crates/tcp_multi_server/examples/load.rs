//! A load generator for the upper-casing servers (tcp_multi_server, the notes' socketserver):
//! CLIENTS connections at once, each doing ROUNDS round trips (send a line, read it back
//! upper-cased). Connections are made first, one at a time, each with one round trip that is not
//! counted; the clock runs from the moment all are ready until the last round trip, so a short
//! accept queue does not count, only serving does.
//! Used by `scripts/bench-transfer.sh`.
//!
//! ```text
//! cargo run --release -p tcp_multi_server --example load -- 127.0.0.1:9001 1000 100
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::lang::io_error;
use netcommon::{check_addr, pick, tr, usage_error, Args};

const USAGE_ZH: &str = "用法：load SERVER CLIENTS ROUNDS";
const USAGE_EN: &str = "usage: load SERVER CLIENTS ROUNDS";
/// Any single read or write taking longer than this counts as an error.
const TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), load)
}

fn load(args: Args) -> Result<()> {
    let words = args.finish()?;
    let [server, clients, rounds] = &words[..] else {
        return usage_error(tr!(
            "要三个参数：SERVER CLIENTS ROUNDS",
            "need SERVER CLIENTS ROUNDS"
        ));
    };
    let server = check_addr(server)?;
    let clients: usize = match clients.parse() {
        Ok(n) => n,
        Err(e) => bail!(
            "{}",
            tr!("CLIENTS 要是一个整数，不是 {clients:?}", "CLIENTS: {e}")
        ),
    };
    let rounds: u64 = match rounds.parse() {
        Ok(n) => n,
        Err(e) => bail!(
            "{}",
            tr!("ROUNDS 要是一个整数，不是 {rounds:?}", "ROUNDS: {e}")
        ),
    };
    let errors = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(Barrier::new(clients + 1));
    // Connect one client at a time, each with one round trip that is not counted: a server
    // with a short accept queue (socketserver's is 5) would otherwise drop connections while
    // a thousand arrive at once, and we would measure its accept queue, not its serving.
    let mut conns = Vec::with_capacity(clients);
    for _ in 0..clients {
        conns.push(TcpStream::connect(&server).and_then(|mut c| {
            c.set_read_timeout(Some(TIMEOUT))?;
            c.set_write_timeout(Some(TIMEOUT))?;
            c.set_nodelay(true)?;
            let mut back = [0; 4];
            c.write_all(b"warm")?;
            c.read_exact(&mut back)?;
            Ok(c)
        }));
    }
    let threads: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(i, conn)| {
            let (errors, done, ready) = (errors.clone(), done.clone(), ready.clone());
            thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || {
                    ready.wait(); // everyone connected (or failed): start together
                    let mut conn = match conn {
                        Ok(conn) => conn,
                        Err(e) => {
                            if errors.fetch_add(rounds, Ordering::Relaxed) == 0 {
                                let e = io_error(&e);
                                eprintln!(
                                    "{}",
                                    tr!(
                                        "第一个错误：连接或第一次往返：{e}",
                                        "first error: connecting or the first round trip: {e}"
                                    )
                                );
                            }
                            return;
                        }
                    };
                    for round in 0..rounds {
                        let msg = format!("client {i:04} round {round:03}");
                        let mut back = vec![0; msg.len()];
                        let ok = conn.write_all(msg.as_bytes()).is_ok()
                            && conn.read_exact(&mut back).is_ok()
                            && back == msg.to_uppercase().as_bytes();
                        if !ok {
                            if errors.fetch_add(rounds - round, Ordering::Relaxed) == 0 {
                                eprintln!(
                                    "{}",
                                    tr!(
                                        "第一个错误：客户端 {i} 的第 {round} 次往返",
                                        "first error: round trip {round} of client {i}"
                                    )
                                );
                            }
                            return;
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .context(pick("启动客户端线程", "starting a client thread"))
        })
        .collect::<Result<_>>()?;
    ready.wait();
    let started = Instant::now();
    for t in threads {
        let _ = t.join();
    }
    let secs = started.elapsed().as_secs_f64();
    let done = done.load(Ordering::Relaxed);
    netcommon::say!(
        "clients={clients} rounds={rounds} round_trips={done} errors={} seconds={secs:.2} rate={:.0}",
        errors.load(Ordering::Relaxed),
        done as f64 / secs
    );
    Ok(())
}
