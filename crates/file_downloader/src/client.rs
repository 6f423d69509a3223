//! 文件下载器的客户端: send a file name, save what arrives until the server closes.
//! Steps numbered as in notes 000 "案例:文件下载器（二）" (客户端).

use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use netcommon::{ask_addr, check_addr, input, is_timeout, usage_error, Args};

/// `recv(4096)`, larger: bytes per read from the socket and write to the file.
const BUF_SIZE: usize = 256 * 1024;
/// A server silent this long in the middle of a download is given up on.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the progress line on a terminal is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

pub fn client(mut args: Args) -> Result<()> {
    let out = args.value("--out")?;
    let force = args.flag("--force");
    let mut words = args.finish()?.into_iter();
    // 3. 连接TCP服务器: the server's ip and port, asked as in notes 001 when missing.
    let server = match words.next() {
        Some(server) => check_addr(&server)?,
        None => ask_addr("请输入服务器ip:", "请输入服务器port:")?,
    };
    // 4. 接收用户输入的文件名
    let name = match words.next() {
        Some(name) => name,
        None => input("请输入要下载的文件名：")?,
    };
    if let Some(extra) = words.next() {
        return usage_error(format!("unexpected argument {extra:?}"));
    }
    if name.is_empty() {
        return usage_error("the file name is empty");
    }
    // Where to save it: --out, or the name's last part in the current folder (never the
    // name as given: "../x" or "/etc/x" would write outside it).
    let target = match (out, Path::new(&name).file_name()) {
        (Some(out), _) => PathBuf::from(out),
        (None, Some(last)) => PathBuf::from(last),
        (None, None) => {
            return usage_error(format!("cannot name a file after {name:?}: use --out"))
        }
    };
    if target.exists() && !force {
        bail!("{} exists: use --force to overwrite it", target.display());
    }

    // 2. 创建TCP socket and connect.
    let mut conn =
        TcpStream::connect(&server).with_context(|| format!("connecting to {server}"))?;
    conn.set_read_timeout(Some(READ_TIMEOUT))?;
    // 5. 将文件名发送给服务器: in one write, as the server reads it with one recv.
    conn.write_all(name.as_bytes())
        .context("sending the name")?;

    // 6. 在本地创建文件: a temporary file beside the target, renamed when everything arrived,
    // so a failed or empty download leaves nothing behind (the notes leave a broken file).
    let part = target.with_file_name(format!(
        ".{}.part{}",
        target
            .file_name()
            .map_or("download".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&part)
        .with_context(|| format!("creating {}", part.display()))?;
    let started = Instant::now();
    let received = receive(&mut conn, &mut file).and_then(|n| {
        file.sync_all()?;
        Ok(n)
    });
    drop(file);
    // 8. 关闭TCP socket
    drop(conn);
    let bytes = match received {
        Ok(0) => Err(anyhow::anyhow!(
            "nothing arrived: the server has no {name:?} or will not send it (its log says why)"
        )),
        Ok(_) if target.exists() && !force => Err(anyhow::anyhow!(
            "{} appeared meanwhile: use --force to overwrite it",
            target.display()
        )),
        Ok(bytes) => fs::rename(&part, &target)
            .map(|()| bytes)
            .with_context(|| format!("renaming {} to {}", part.display(), target.display())),
        Err(e) => Err(e),
    };
    let bytes = bytes.inspect_err(|_| {
        let _ = fs::remove_file(&part); // nothing half-done is left behind
    })?;

    // 文件写入完毕: a summary. The protocol has no length, so "all" means "until the close".
    let secs = started.elapsed().as_secs_f64();
    println!(
        "saved {} ({bytes} bytes in {secs:.2} s, {:.1} MiB/s)",
        target.display(),
        bytes as f64 / MIB / secs.max(1e-9)
    );
    Ok(())
}

const MIB: f64 = 1024.0 * 1024.0;

/// 7. 循环接收并写入文件数据: until the server closes (a 0-byte read). Returns the byte count.
fn receive(conn: &mut TcpStream, file: &mut File) -> Result<u64> {
    // ANCHOR: hw_receive
    let mut buf = vec![0; BUF_SIZE];
    let mut total: u64 = 0;
    let show_progress = io::stderr().is_terminal();
    let started = Instant::now();
    let mut shown = started;
    loop {
        let n = match conn.read(&mut buf) {
            Ok(n) => n,
            Err(e) if is_timeout(&e) => bail!("the server went silent for {READ_TIMEOUT:?}"),
            Err(e) => return Err(e).context(format!("receiving (after {total} bytes)")),
        };
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n]).context("writing the file")?;
        total += n as u64;
        if show_progress && shown.elapsed() >= PROGRESS_EVERY {
            shown = Instant::now();
            let rate = total as f64 / MIB / started.elapsed().as_secs_f64();
            eprint!("\r{total:>14} bytes  {rate:8.1} MiB/s");
        }
    }
    if show_progress {
        eprint!("\r{:40}\r", ""); // clear the progress line
    }
    Ok(total)
    // ANCHOR_END: hw_receive
}
