//! Lesson 07, exercise 4 (练习 4 的参考答案): the downloader with a length prefix.
//!
//! The notes' protocol has no length: the server closing is its only "end", so a file cut short
//! looks whole and an empty file looks like a refusal. Here the server first sends the file's
//! size, 8 bytes big-endian (Python: `struct.pack('!Q', size)`), then the bytes, then closes;
//! the client saves the file only if exactly that many bytes came before the close. A refusal
//! is still "close, 0 bytes": not even the size.
//!
//! ```text
//! terminal 1:  cargo run -p file_downloader --example answer_07_4 -- server --root docs/lessons/files
//! terminal 2:  cargo run -p file_downloader --example answer_07_4 -- client 127.0.0.1:7890 1.txt --out /tmp/1.txt
//! ```
//!
//! Kept small: one client at a time, no deadlines on the server side (file_downloader has both).

use std::fs::{self, File};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::lang::describe;
use netcommon::{announce_listening, check_addr, pick, say, tr, usage_error, Args, Opened, Root};

const USAGE_ZH: &str = "\
用法：answer_07_4 server [--bind 127.0.0.1:7890] [--root DIR] [--short]
      answer_07_4 client SERVER NAME --out PATH
服务器先发 8 字节（大端）的文件大小，再发文件；--short：服务器故意少发一个字节。";
const USAGE_EN: &str = "\
usage: answer_07_4 server [--bind 127.0.0.1:7890] [--root DIR] [--short]
       answer_07_4 client SERVER NAME --out PATH
The server sends the file's size (8 bytes, big-endian), then the file; --short: one byte fewer.";
/// A client gives up on a server silent this long.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), |mut args| {
        match args.subcommand().as_deref() {
            Some("server") => server(args),
            Some("client") => client(args),
            _ => usage_error(tr!("要 server 或 client", "server or client?")),
        }
    })
}

fn server(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", "127.0.0.1:7890")?)?;
    let root = args.value_or("--root", ".")?;
    let short = args.flag("--short"); // the bug the client must catch
    args.no_more()?;
    let root = Root::open(root.as_ref()).with_context(|| format!("--root {root}"))?;
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;
    for conn in listener.incoming() {
        let served = conn.map_err(anyhow::Error::from);
        if let Err(e) = served.and_then(|conn| serve(conn, &root, short)) {
            say!("{}", describe(&e));
        }
    }
    Ok(())
}

fn serve(mut conn: TcpStream, root: &Root, short: bool) -> Result<()> {
    let mut name = [0; 1024];
    let n = conn.read(&mut name)?;
    let name = String::from_utf8_lossy(&name[..n]).into_owned();
    // file_downloader's rules: plain names only, opened beneath the root.
    let parts: Vec<&str> = name.split('/').collect();
    let checked = parts
        .iter()
        .try_for_each(|p| netcommon::path::check_name(p));
    let Ok(Ok(Opened::File(mut file, meta))) = checked.map(|()| root.open_names(&parts)) else {
        let closed = pick("关闭，0 字节", "closed, 0 bytes");
        say!(
            "{}",
            tr!("拒绝 {name:?}（{closed}）", "refused {name:?} ({closed})")
        );
        return Ok(());
    };
    // NEW: the size first, struct.pack('!Q', size), as the open file says.
    let size = meta.len();
    conn.write_all(&size.to_be_bytes())?;
    let count = if short { size.saturating_sub(1) } else { size };
    let sent = io::copy(&mut (&mut file).take(count), &mut conn)?;
    say!(
        "{}",
        tr!(
            "{name:?}：先发大小 {size}，再发 {sent} 字节",
            "{name:?}: the size {size}, then {sent} bytes"
        )
    );
    Ok(()) // dropping conn closes it
}

fn client(mut args: Args) -> Result<()> {
    let out = args.value("--out")?;
    let words = args.finish()?;
    let ([server, name], Some(out)) = (words.as_slice(), out) else {
        return usage_error(tr!(
            "client 要 SERVER、NAME 和 --out PATH",
            "client needs SERVER, NAME and --out PATH"
        ));
    };
    let mut conn = TcpStream::connect(check_addr(server)?)
        .with_context(|| tr!("连接 {server}", "connecting to {server}"))?;
    conn.set_read_timeout(Some(READ_TIMEOUT))?;
    conn.write_all(name.as_bytes())?;
    // NEW: exactly 8 bytes of size (read_exact reads until it has them all).
    let mut size = [0; 8];
    match conn.read_exact(&mut size) {
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => bail!(tr!(
            "服务器没发文件大小就关闭了：它没有 {name:?}，或者不肯发送",
            "the server closed before the size: it has no {name:?}, or will not send it"
        )),
        read => read.context(tr!("接收文件大小", "receiving the size"))?,
    }
    let size = u64::from_be_bytes(size);
    // Into a temporary file, renamed only when exactly `size` bytes came, as file_downloader does.
    let part = format!("{out}.part");
    if let Err(e) = receive(&mut conn, &part, size) {
        let _ = fs::remove_file(&part);
        return Err(e);
    }
    fs::rename(&part, &out)?;
    say!(
        "{}",
        tr!(
            "收到 {size} 字节，正是服务器说的大小。文件写入完毕：{out}",
            "got {size} bytes, the size the server announced: saved as {out}"
        )
    );
    Ok(())
}

/// Exactly `size` bytes into `part`, then the server's close. Fewer or more is an error.
fn receive(conn: &mut TcpStream, part: &str, size: u64) -> Result<()> {
    let mut file = File::create(part).with_context(|| tr!("创建 {part}", "creating {part}"))?;
    let got = io::copy(&mut conn.take(size), &mut file)?;
    if got < size {
        bail!(tr!(
            "应该收到 {size} 字节，只收到 {got} 字节服务器就关闭了：文件不完整，没有保存",
            "expected {size} bytes, got {got} before the server closed: nothing saved"
        ));
    }
    // After the last byte the server must close: the next read returns 0 bytes.
    if conn.read(&mut [0; 1])? != 0 {
        bail!(tr!(
            "服务器发的比它说的 {size} 字节多：没有保存",
            "the server sent more than the {size} bytes it announced: nothing saved"
        ));
    }
    file.sync_all()?;
    Ok(())
}
