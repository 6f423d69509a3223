//! 文件下载器的客户端: send a file name, save what arrives until the server closes.
//! Steps numbered as in notes 000 "案例:文件下载器（二）" (客户端).

// 1. 导入依赖: std::net has the sockets.
use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::{ask_addr, input, is_timeout, pick, resolve, say, tr, usage_error, Args};

/// `recv(4096)`, larger: bytes per read from the socket and write to the file.
const BUF_SIZE: usize = 256 * 1024;
/// Connecting gives up after this long (a server that does not answer at all).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Read deadline: a server silent this long in the middle of a download is given up on.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Write deadline for sending the name.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the progress line on a terminal is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// The temporary file being written, if any: Ctrl-C (or SIGTERM, SIGHUP) deletes it before the
/// program exits.
type Partial = Arc<Mutex<Option<PathBuf>>>;

/// What the command line asks for.
struct Options {
    /// HOST:PORT, from the command line or asked.
    server: String,
    /// The file to ask for, unless it is asked after connecting.
    name: Option<String>,
    out: Option<String>,
    force: bool,
    max_bytes: Option<u64>,
}

fn options(mut args: Args) -> Result<Options> {
    let out = args.value("--out")?;
    let force = args.flag("--force");
    let max_bytes: Option<u64> = args.parsed("--max-bytes")?;
    let [server, name] = args.up_to()?;
    // The server's ip and port, asked as in notes 001 when missing.
    let server = ask_addr(
        server,
        pick("请输入服务器ip:", "server ip: "),
        pick("请输入服务器port:", "server port: "),
    )?;
    Ok(Options {
        server,
        name,
        out,
        force,
        max_bytes,
    })
}

pub fn client(args: Args) -> Result<()> {
    let Options {
        server,
        name,
        out,
        force,
        max_bytes,
    } = options(args)?;
    // Ctrl-C, `kill` or a closed terminal must not leave a half-written file: the handler
    // deletes it, then exits.
    let partial = Partial::default();
    catch_interruptions(Arc::clone(&partial))?;

    // ANCHOR: connect
    // 2. 创建TCP socket, 3. 连接TCP服务器: with a deadline, and a read and a write deadline.
    let addr = resolve(&server)?;
    let mut conn = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT)
        .with_context(|| tr!("连接 {server}", "connecting to {server}"))?;
    conn.set_read_timeout(Some(READ_TIMEOUT))?;
    conn.set_write_timeout(Some(WRITE_TIMEOUT))?;
    // ANCHOR_END: connect

    // ANCHOR: input_name
    // 4. 接收用户输入的文件名 (after connecting, like the notes; or from the command line)
    let name = match name {
        Some(name) => name,
        None => input(pick("请输入要下载的文件名：", "file to download: "))?,
    };
    // ANCHOR_END: input_name
    if name.is_empty() {
        return usage_error(tr!("文件名是空的", "the file name is empty"));
    }
    // Where to save it: --out, or the name's last part in the current folder (never the
    // name as given: "../x" or "/etc/x" would write outside it).
    let target = match (out, Path::new(&name).file_name()) {
        (Some(out), _) => PathBuf::from(out),
        (None, Some(last)) => PathBuf::from(last),
        (None, None) => {
            return usage_error(tr!(
                "没法用 {name:?} 给文件起名：用 --out 指定保存到哪里",
                "cannot name a file after {name:?}: use --out"
            ))
        }
    };
    if target.exists() && !force {
        let target = target.display();
        bail!(tr!(
            "{target} 已经存在：要覆盖它，加 --force",
            "{target} exists: use --force to overwrite it"
        ));
    }

    // ANCHOR: send_name
    // 5. 将文件名发送给服务器: in one write, as the server reads it with one recv.
    match conn.write_all(name.as_bytes()) {
        Err(e) if is_timeout(&e) => bail!(tr!(
            "写超时：{WRITE_TIMEOUT:?} 内没能把文件名发出去",
            "write deadline: could not send the name in {WRITE_TIMEOUT:?}"
        )),
        sent => sent.context(tr!("发送文件名", "sending the name"))?,
    }
    // ANCHOR_END: send_name

    // ANCHOR: create_file
    // 6. 在本地创建文件: a temporary file beside the target, renamed when everything arrived,
    // so a failed or empty download leaves nothing behind (the notes leave a broken file).
    let part = target.with_file_name(format!(
        ".{}.part{}",
        target
            .file_name()
            .map_or("download".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let mut file = {
        let mut pending = partial.lock().unwrap_or_else(PoisonError::into_inner);
        *pending = Some(part.clone()); // before it exists: an interruption now deletes it
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
            .with_context(|| tr!("创建 {}", "creating {}", part.display()))?
    };
    // ANCHOR_END: create_file
    // 7. 循环接收并写入文件数据: receive(), below.
    let started = Instant::now();
    let received = receive(&mut conn, &mut file, max_bytes).and_then(|n| {
        file.sync_all()?;
        Ok(n)
    });
    drop(file);
    // ANCHOR: close
    // 8. 关闭TCP socket
    drop(conn);
    // ANCHOR_END: close
    let mut pending = partial.lock().unwrap_or_else(PoisonError::into_inner);
    // ANCHOR: rename
    let bytes = match received {
        Ok(0) => Err(anyhow::anyhow!(tr!(
            "什么也没收到：服务器没有 {name:?}，或者不肯发送（服务器的日志里写了原因）",
            "nothing arrived: the server has no {name:?} or will not send it (its log says why)"
        ))),
        Ok(_) if target.exists() && !force => Err(anyhow::anyhow!(tr!(
            "{} 在下载期间出现了：要覆盖它，加 --force",
            "{} appeared meanwhile: use --force to overwrite it",
            target.display()
        ))),
        Ok(bytes) => fs::rename(&part, &target).map(|()| bytes).with_context(|| {
            let (part, target) = (part.display(), target.display());
            tr!("把 {part} 改名为 {target}", "renaming {part} to {target}")
        }),
        Err(e) => Err(e),
    };
    *pending = None; // renamed, or deleted just below
    drop(pending);
    let bytes = bytes.inspect_err(|_| {
        let _ = fs::remove_file(&part); // nothing half-done is left behind
    })?;
    // ANCHOR_END: rename

    // ANCHOR: done
    // print("文件写入完毕:", filepath), and a summary. The protocol has no length, so "all"
    // means "until the close": a server that stopped half-way looks the same, and we say so.
    let secs = started.elapsed().as_secs_f64();
    let rate = bytes as f64 / MIB / secs.max(1e-9);
    let target = target.display();
    say!(
        "{}",
        tr!(
            "服务器在 {bytes} 字节后关闭了连接；笔记的协议分不出这是不是完整的文件。\
             文件写入完毕：{target}（用时 {secs:.2} s，{rate:.1} MiB/s）",
            "the server closed after {bytes} bytes; the notes' protocol cannot tell whether \
             that is the whole file; saved as {target} ({secs:.2} s, {rate:.1} MiB/s)"
        )
    );
    // ANCHOR_END: done
    Ok(())
}

const MIB: f64 = 1024.0 * 1024.0;

/// On Ctrl-C, SIGTERM or SIGHUP, deletes the temporary file (if one is being written) and
/// exits with 1. std has no portable way to catch them without unsafe code; the `ctrlc` crate
/// (with its `termination` feature) does it on Unix (SIGINT, SIGTERM from `kill PID`, SIGHUP
/// when the terminal closes) and Windows (the console's Ctrl-C event). The lock makes the
/// handler wait while the file is being created or renamed, so it never misses one.
fn catch_interruptions(partial: Partial) -> Result<()> {
    ctrlc::set_handler(move || {
        let mut pending = partial.lock().unwrap_or_else(PoisonError::into_inner);
        match pending.take() {
            Some(part) => {
                let _ = fs::remove_file(&part);
                eprintln!(
                    "{}",
                    tr!(
                        "错误：被中断（Ctrl-C）或被终止（SIGTERM、SIGHUP）：下载了一半的文件已删除",
                        "error: interrupted (Ctrl-C) or terminated (SIGTERM, SIGHUP): \
                         the partial download was deleted"
                    )
                );
            }
            None => eprintln!(
                "{}",
                tr!(
                    "错误：被中断（Ctrl-C）或被终止（SIGTERM、SIGHUP）",
                    "error: interrupted (Ctrl-C) or terminated (SIGTERM, SIGHUP)"
                )
            ),
        }
        std::process::exit(1);
    })
    .context(tr!(
        "设置 Ctrl-C 和终止信号的处理函数",
        "setting up the handler for Ctrl-C and termination signals"
    ))
}

// ANCHOR: recv_loop
/// Step 7 (循环接收并写入文件数据): until the server closes (a 0-byte read), or past
/// `max_bytes`. Returns the byte count.
fn receive(conn: &mut TcpStream, file: &mut File, max_bytes: Option<u64>) -> Result<u64> {
    // ANCHOR: hw_receive
    let mut buf = vec![0; BUF_SIZE];
    let mut total: u64 = 0;
    let show_progress = io::stderr().is_terminal();
    let started = Instant::now();
    let mut shown = started;
    loop {
        let n = match conn.read(&mut buf) {
            Ok(n) => n,
            // A signal (Ctrl-C, SIGTERM, SIGHUP) woke the read up: its handler is running; read
            // on meanwhile.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => bail!(tr!(
                "读超时：服务器 {READ_TIMEOUT:?} 内什么都没发（已收到 {total} 字节）",
                "read deadline: the server sent nothing for {READ_TIMEOUT:?} (after {total} bytes)"
            )),
            Err(e) => {
                return Err(e).context(tr!(
                    "接收（已收到 {total} 字节）",
                    "receiving (after {total} bytes)"
                ))
            }
        };
        if n == 0 {
            break;
        }
        total += n as u64;
        // A server that sends without end would fill the disk: --max-bytes stops it.
        if let Some(max) = max_bytes.filter(|&max| total > max) {
            bail!(tr!(
                "收到的超过了 {max} 字节（--max-bytes {max}）：已停下，什么也没保存",
                "more than {max} bytes arrived (--max-bytes {max}): stopped, nothing saved"
            ));
        }
        file.write_all(&buf[..n])
            .with_context(|| tr!("写入文件", "writing the file"))?;
        if show_progress && shown.elapsed() >= PROGRESS_EVERY {
            shown = Instant::now();
            let rate = total as f64 / MIB / started.elapsed().as_secs_f64();
            eprint!(
                "{}",
                tr!(
                    "\r{total:>14} 字节  {rate:8.1} MiB/s",
                    "\r{total:>14} bytes  {rate:8.1} MiB/s"
                )
            );
        }
    }
    if show_progress {
        eprint!("\r{:40}\r", ""); // clear the progress line
    }
    Ok(total)
    // ANCHOR_END: hw_receive
}
// ANCHOR_END: recv_loop
