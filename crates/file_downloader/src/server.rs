//! 文件下载器的服务端: receive a file name, send the file's bytes, close.
//! Steps numbered as in notes 000 "案例:文件下载器（二）" (服务器).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{announce_listening, check_addr, is_timeout, usage_error, Args, Client, Clients};

/// `python3 xxx.py 7890`: the notes' port, on loopback unless --bind says otherwise.
const DEFAULT_BIND: &str = "127.0.0.1:7890";
/// `recv(1024)`: the longest name we accept.
const NAME_MAX: usize = 1024;
/// A client that sends no name within this time is closed: it cannot hold a thread forever.
const NAME_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that stops reading for this long is given up on.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// At most this many clients (threads) at once unless --max-clients says otherwise.
const DEFAULT_MAX_CLIENTS: usize = 512;
/// Bytes per read from the file and write to the socket. std's `io::copy` from a File to a
/// TcpStream copies through 8 KiB (current std does not use sendfile for sockets): 32 times the
/// system calls. Measured (docs/performance.md): on an idle machine both sizes are limited by
/// the kernel's copying; with the cores busy, 256 KiB needs about 30 % less of the server's CPU
/// per GiB and moves more. 1 MiB gains nothing more, and costs 4 times the memory per client.
const DEFAULT_BUFFER: usize = 256 * 1024;

pub fn server(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let root = args.value_or("--root", ".")?;
    let max_clients = args.parsed("--max-clients")?.unwrap_or(DEFAULT_MAX_CLIENTS);
    let buffer = args.parsed("--buffer-size")?.unwrap_or(DEFAULT_BUFFER);
    if max_clients == 0 || buffer == 0 {
        return usage_error("--max-clients and --buffer-size must be at least 1");
    }
    if let Some(extra) = args.finish()?.first() {
        return usage_error(format!("unexpected argument {extra:?}"));
    }
    // The root, with every symlink resolved: served paths must stay under it.
    let root = fs::canonicalize(&root).with_context(|| format!("--root {root}"))?;
    if !root.is_dir() {
        bail!("--root {}: not a folder", root.display());
    }

    // 2. 创建TCP socket, SO_REUSEADDR (set by std on Unix), 3. 绑定IP和端口号, 4. 开启监听
    let listener = TcpListener::bind(&bind).with_context(|| format!("binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;
    println!("serving {}", root.display());
    let clients = Clients::new(max_clients);

    loop {
        // 5. 等待客户端接入
        let (conn, addr) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                println!("accept failed: {e}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        // When full, the longest-idle client (idle 1.5 s or more) is closed to make room.
        let client = match clients.admit(&conn, addr) {
            Ok(client) => client,
            Err(why) => {
                println!("[{addr}] refused: {why}");
                continue;
            }
        };
        if let Some(closed) = client.made_room_from {
            println!("closing [{closed}]: idle longest, making room");
        }
        println!("[{addr}] connected");
        let root = root.clone();
        // Each client on its own thread, so one slow download does not hold up the others.
        let spawned = thread::Builder::new().spawn(move || {
            let result = serve(conn, addr, &client, &root, buffer);
            drop(client);
            if let Err(e) = result {
                println!("[{addr}] {e:#}");
            }
        });
        if let Err(e) = spawned {
            println!("[{addr}] dropped: cannot start a thread: {e}");
        }
    }
}

/// Steps 6 to 9 for one client.
fn serve(
    mut conn: TcpStream,
    addr: SocketAddr,
    client: &Client,
    root: &Path,
    buffer: usize,
) -> Result<()> {
    // ANCHOR: hw_serve
    // 6. 接收客户端传来的文件名: one read, as the notes do. The protocol has no terminator,
    // so the name must arrive in one piece (it does: one short write). With a timeout.
    conn.set_read_timeout(Some(NAME_TIMEOUT))?;
    conn.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut name = [0; NAME_MAX + 1];
    let n = match conn.read(&mut name) {
        Ok(0) => bail!("closed without sending a name"),
        Ok(n) => {
            client.touch();
            n
        }
        Err(e) if is_timeout(&e) => bail!("sent no name within {NAME_TIMEOUT:?}: closing it"),
        Err(e) => return Err(e).context("reading the name"),
    };
    // filename = bytes_data.decode(): a name that is not UTF-8 is refused, not a crash.
    let (name, checked) = match std::str::from_utf8(&name[..n]) {
        _ if n > NAME_MAX => (String::new(), Err(format!("name over {NAME_MAX} bytes"))),
        Ok(name) => (name.to_string(), open_under(root, name)),
        Err(_) => (
            String::from_utf8_lossy(&name[..n]).into(),
            Err("not UTF-8".into()),
        ),
    };

    // 7. 打开文件, but only a plain name under the root. Refused: close with zero bytes.
    let mut file = match checked {
        Ok(file) => file,
        Err(why) => {
            println!("[{addr}] refused {name:?}: {why}");
            return Ok(());
        }
    };
    println!("[{addr}] sending {name:?}");

    // 8. 循环读取文件内容，发送给客户端: through one reused buffer, never the whole file.
    let mut buf = vec![0; buffer];
    let mut sent: u64 = 0;
    loop {
        let n = file.read(&mut buf).context("reading the file")?;
        if n == 0 {
            break;
        }
        conn.write_all(&buf[..n])
            .with_context(|| format!("sending {name:?} (after {sent} bytes)"))?;
        client.touch();
        sent += n as u64;
    }
    println!("[{addr}] sent {sent} bytes of {name:?}");

    // 9. 关闭客户端: FIN after the last byte, then wait (briefly) for the client to close, so
    // that bytes it sent after the name cannot turn our close into a reset that loses data.
    conn.shutdown(Shutdown::Write)?;
    conn.set_read_timeout(Some(Duration::from_secs(2)))?;
    let _ = io::copy(&mut conn.take(NAME_MAX as u64), &mut io::sink());
    Ok(())
    // ANCHOR_END: hw_serve
}

/// Opens `name` for reading if it is a plain relative name of a regular file under `root`;
/// otherwise says why not.
fn open_under(root: &Path, name: &str) -> Result<File, String> {
    let relative = check_name(name)?;
    // canonicalize resolves `..` and symlinks: a link inside the root pointing outside it is
    // caught here, after the plain-name check caught everything visible in the name itself.
    let path = fs::canonicalize(root.join(relative)).map_err(|e| short(&e))?;
    if !path.starts_with(root) {
        return Err("outside the root (a symlink leads out)".into());
    }
    let file = File::open(&path).map_err(|e| short(&e))?;
    match file.metadata() {
        Ok(m) if m.is_file() => Ok(file),
        Ok(m) if m.is_dir() => Err("a folder".into()),
        Ok(_) => Err("not a regular file".into()),
        Err(e) => Err(short(&e)),
    }
}

/// A name from the network is served only if it is plain: relative, and every part a normal
/// name. No `..`, no `.`, no empty part (`a//b`), no NUL, no backslash, no `:` (drive letters
/// and Windows streams), not absolute.
pub fn check_name(name: &str) -> Result<PathBuf, String> {
    // ANCHOR: hw_check_name
    if name.is_empty() {
        return Err("empty name".into());
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '\0' | '\\' | ':')) {
        return Err(format!("{c:?} in the name"));
    }
    if name.starts_with('/') {
        return Err("an absolute name".into());
    }
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(format!("{part:?} in the name"));
        }
    }
    let path = PathBuf::from(name);
    // Belt and braces: what the OS sees must be plain names only.
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err("not a plain relative name".into());
    }
    Ok(path)
    // ANCHOR_END: hw_check_name
}

/// The reason alone, without "(os error 2)": "No such file or directory".
fn short(e: &io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn plain_names_pass() {
        for name in [
            "a.txt",
            "sub/中文.txt",
            "a b/c-d_e.tar.gz",
            ".hidden",
            "x..y",
        ] {
            assert!(check_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn hostile_names_are_refused() {
        for name in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "..",
            ".",
            "./a",
            "a/./b",
            "a//b",
            "a/",
            "a\\..\\b",
            "C:x",
            "a\0b",
            "sub/..",
        ] {
            assert!(check_name(name).is_err(), "{name:?}");
        }
    }
}
