//! 文件下载器的服务端: receive a file name, send the file's bytes, close.
//! Steps numbered as in notes 000 "案例:文件下载器（二）" (服务器).

// ANCHOR: import
// 1. 导入依赖: std::net has the sockets, std::fs the files; netcommon the command line, the log
// and the served folder.
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::lang::describe;
use netcommon::{
    again, announce_listening, check_addr, drain, is_timeout, no_thread, peer_tag, pick, say, tr,
    usage_error, AcceptErrors, Args, Client, Clients, Opened, Root, IDLE_GRACE,
};
// ANCHOR_END: import

/// `python3 xxx.py 7890`: the notes' port, on loopback unless --bind says otherwise.
const DEFAULT_BIND: &str = "127.0.0.1:7890";
/// `recv(1024)`: the longest name we accept.
const NAME_MAX: usize = 1024;
/// Read deadline for the name. A client that sends no name within this time is closed: it
/// cannot hold a thread forever. Long enough for a person typing the name at the notes'
/// `input()` after connecting (notes 001 connects first, then asks).
const NAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Write deadline: a client that reads nothing for this long is given up on.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// Bytes per read from the file and write to the socket. std's `io::copy` from a File to a
/// TcpStream copies through 8 KiB (current std does not use sendfile for sockets): 32 times the
/// system calls. Measured (docs/performance.md): on an idle machine both sizes are limited by
/// the kernel's copying; with the cores busy, 256 KiB needs about 30 % less of the server's CPU
/// per GiB and moves more. 1 MiB gains nothing more, and costs 4 times the memory per client.
const DEFAULT_BUFFER: usize = 256 * 1024;

/// What the command line asks for.
struct Options {
    bind: String,
    root: String,
    max_clients: usize,
    grace: Duration,
    buffer: usize,
}

fn options(mut args: Args, default_max_clients: usize) -> Result<Options> {
    let bind = args.value("--bind")?;
    let root = args.value_or("--root", ".")?;
    let max_clients = args.count("--max-clients")?.unwrap_or(default_max_clients);
    let grace = args.seconds("--idle-grace")?.unwrap_or(IDLE_GRACE);
    let buffer = args.count("--buffer-size")?.unwrap_or(DEFAULT_BUFFER);
    let [port] = args.up_to()?;
    // `python3 xxx.py 7890` (notes 001): the port alone, or --bind for the whole address.
    let bind = match (port, bind) {
        (Some(_), Some(_)) => {
            return usage_error(tr!(
                "PORT 和 --bind 只能给一个",
                "give either PORT or --bind, not both"
            ))
        }
        (Some(port), None) => match port.parse::<u16>() {
            Ok(port) => format!("127.0.0.1:{port}"),
            Err(_) => {
                return usage_error(tr!(
                    "PORT 必须是 0 到 65535 之间的整数，不是 {port:?}",
                    "PORT must be 0 to 65535, not {port:?}"
                ))
            }
        },
        (None, bind) => check_addr(bind.as_deref().unwrap_or(DEFAULT_BIND))?,
    };
    Ok(Options {
        bind,
        root,
        max_clients,
        grace,
        buffer,
    })
}

pub fn server(args: Args, default_max_clients: usize) -> Result<()> {
    let Options {
        bind,
        root,
        max_clients,
        grace,
        buffer,
    } = options(args, default_max_clients)?;
    // The root folder, opened once: every name asked for is opened beneath it, never outside.
    let root = Root::open(root.as_ref())
        .with_context(|| tr!("--root {root}（要给一个存在的文件夹）", "--root {root}"))?;
    let root = Arc::new(root);

    // ANCHOR: bind_listen
    // 2. 创建TCP socket, SO_REUSEADDR (set by std on Unix), 3. 绑定IP和端口号, 4. 开启监听
    let listener =
        TcpListener::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;
    // print("服务器已开启，等待客户端接入")
    let dir = root.path().display();
    say!(
        "{}",
        tr!(
            "服务器已开启，等待客户端接入（提供 {dir} 里的文件）",
            "serving {dir}"
        )
    );
    let clients = Clients::new(max_clients, grace, Some("--max-clients"));
    let mut accept_errors = AcceptErrors::new();

    loop {
        // ANCHOR: accept
        // 5. 等待客户端接入
        let Some((conn, addr)) = accept_errors.accepted(listener.accept()) else {
            continue; // e.g. out of file descriptors: said at most once a second
        };
        // ANCHOR_END: accept
        let who = peer_tag(addr); // [127.0.0.1:50312], or [::1]:50312

        // What this adds to the notes: at most --max-clients at once (see tcp_multi_server).
        // When full, a client that has sent nothing yet, else the longest-idle one (idle
        // --idle-grace or more), is closed to make room.
        let Some((client, made_room)) = clients.admit(conn.try_clone(), addr) else {
            continue; // refused (the log says why): dropping `conn` closes it
        };
        if let Some(old) = made_room {
            let _ = old.shutdown(Shutdown::Both); // that client's next read returns 0
        }
        // print("有新的客户端接入：", ip_port)
        say!("{}", tr!("有新的客户端接入：{addr}", "{who} connected"));
        let root = Arc::clone(&root);
        // ANCHOR: thread
        // Each client on its own thread, so one slow download does not hold up the others.
        let spawned = thread::Builder::new().spawn(move || {
            let result = serve(conn, addr, &client, &root, buffer);
            drop(client);
            if let Err(e) = result {
                say!("{} {}", peer_tag(addr), describe(&e));
            }
        });
        // ANCHOR_END: thread
        if let Err(e) = spawned {
            say!("{}", no_thread(addr, &e)); // this client is closed; the server goes on
        }
    }
    // 10. 关闭服务器 (tcp_server_socket.close()): never reached. This server serves until it
    // is stopped (Ctrl-C); then the system closes the listening socket with the process.
}

/// Steps 6 to 9 for one client.
fn serve(
    mut conn: TcpStream,
    addr: SocketAddr,
    client: &Client,
    root: &Root,
    buffer: usize,
) -> Result<()> {
    // ANCHOR: hw_serve
    // ANCHOR: recv_name
    // 6. 接收客户端传来的文件名: one read, as the notes do. The protocol has no terminator,
    // so the name must arrive in one piece (it does: one short write). With a timeout.
    conn.set_read_timeout(Some(NAME_TIMEOUT))?;
    conn.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut name = [0; NAME_MAX + 1];
    let n = match again(|| conn.read(&mut name)) {
        Ok(0) => bail!(tr!(
            "没发文件名就关闭了连接",
            "closed without sending a name"
        )),
        Ok(n) => {
            client.touch();
            n
        }
        Err(e) if is_timeout(&e) => bail!(tr!(
            "读超时：{NAME_TIMEOUT:?} 内没有收到文件名，关闭这个连接",
            "read deadline: no name within {NAME_TIMEOUT:?}, closing it"
        )),
        Err(e) => return Err(e).context(tr!("接收文件名", "reading the name")),
    };
    // ANCHOR_END: recv_name
    // ANCHOR: decode_name
    // filename = bytes_data.decode(): a name that is not UTF-8 is refused, not a crash.
    let (name, checked) = match std::str::from_utf8(&name[..n]) {
        _ if n > NAME_MAX => (
            String::new(),
            Err(tr!(
                "名字超过 {NAME_MAX} 字节",
                "name over {NAME_MAX} bytes"
            )),
        ),
        Ok(name) => (name.to_string(), open_under(root, name)),
        Err(_) => (
            String::from_utf8_lossy(&name[..n]).into(),
            Err(pick("不是 UTF-8", "not UTF-8").into()),
        ),
    };
    // ANCHOR_END: decode_name

    // ANCHOR: open
    // 7. 打开文件, but only a plain name under the root. Refused: close with zero bytes.
    let mut file = match checked {
        Ok(file) => file,
        Err(why) => {
            // print("文件不存在或打开失败: ", filename), and why
            let who = peer_tag(addr);
            say!(
                "{}",
                tr!(
                    "{who} 文件不存在或打开失败：{name:?}，原因：{why}",
                    "{who} refused {name:?}: {why}"
                )
            );
            return Ok(());
        }
    };
    // ANCHOR_END: open
    // print(filename); 001: print("对方请求下载的文件名为:%s" % file_name)
    let who = peer_tag(addr);
    say!(
        "{}",
        tr!(
            "{who} 请求下载的文件名为：{name:?}，开始发送",
            "{who} sending {name:?}"
        )
    );

    // ANCHOR: send_loop
    // 8. 循环读取文件内容，发送给客户端: through one reused buffer, never the whole file.
    let mut buf = vec![0; buffer];
    let mut sent: u64 = 0;
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| tr!("读取文件", "reading the file"))?;
        if n == 0 {
            break;
        }
        match conn.write_all(&buf[..n]) {
            Ok(()) => {
                client.touch();
                sent += n as u64;
            }
            Err(e) if is_timeout(&e) => bail!(tr!(
                "写超时：客户端 {WRITE_TIMEOUT:?} 内什么都没读（{name:?} 已发送 {sent} 字节），\
                 关闭这个连接",
                "write deadline: the client read nothing for {WRITE_TIMEOUT:?} \
                 (after {sent} bytes of {name:?}), closing it"
            )),
            Err(e) => {
                return Err(e).context(tr!(
                    "发送 {name:?}（已发送 {sent} 字节）",
                    "sending {name:?} (after {sent} bytes)"
                ))
            }
        }
    }
    // ANCHOR_END: send_loop
    // print("文件已读取发送完毕！", filename)
    say!(
        "{}",
        tr!(
            "{who} 文件已读取发送完毕！{name:?}（{sent} 字节）",
            "{who} sent {sent} bytes of {name:?}"
        )
    );

    // ANCHOR: close
    // 9. 关闭客户端: FIN after the last byte, then wait (briefly: a read deadline of 2 s) for
    // the client to close, so that bytes it sent after the name cannot turn our close into a
    // reset that loses data. Every byte has been sent: a client that has already gone (the
    // notes' 001 client reads 1024 bytes and closes) makes these calls fail, and that is fine.
    let _ = conn.shutdown(Shutdown::Write);
    drain(&conn, Duration::from_secs(2));
    // ANCHOR_END: close
    Ok(())
    // ANCHOR_END: hw_serve
}

/// Opens `name` for reading if it is a plain relative name of a regular file under `root`;
/// otherwise says why not.
fn open_under(root: &Root, name: &str) -> Result<File, String> {
    let relative = check_name(name)?;
    // ANCHOR: symlink
    // Opened first, beneath the root, then checked (netcommon's Root): a symlink that leads
    // out is refused at the open itself, so a folder swapped for one while we check cannot
    // lead out either, and a FIFO does not hold the thread (it opens at once, and is refused
    // as not a regular file).
    let names: Vec<_> = relative.iter().filter_map(|part| part.to_str()).collect();
    match root.open_names(&names) {
        Ok(Opened::File(file, _)) => Ok(file),
        Ok(Opened::Folder(..)) => Err(pick("是一个文件夹", "a folder").into()),
        Err(why) => Err(why.to_string()),
    }
    // ANCHOR_END: symlink
}

/// A name from the network is served only if it is plain: relative, and every part between
/// the `/` a plain name by Windows' rules too (netcommon's `path::check_name`): no `..`, `.`
/// or empty part (`a//b`), no NUL, backslash or `:` (drive letters, UNC paths, NTFS streams),
/// no trailing dot or space, no device name (`CON`, `nul.txt`). Not absolute.
// ANCHOR: check_name
pub fn check_name(name: &str) -> Result<PathBuf, String> {
    // ANCHOR: hw_check_name
    if name.is_empty() {
        return Err(pick("空的名字", "empty name").into());
    }
    if name.starts_with('/') {
        return Err(pick("绝对路径", "an absolute name").into());
    }
    for part in name.split('/') {
        netcommon::path::check_name(part)?;
    }
    let path = PathBuf::from(name);
    // Belt and braces: what the OS sees must be plain names only.
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(pick("不是普通的相对路径", "not a plain relative name").into());
    }
    Ok(path)
    // ANCHOR_END: hw_check_name
}
// ANCHOR_END: check_name

#[cfg(test)]
mod tests {
    use super::check_name;

    /// What this function adds to netcommon's check of one name (tested there): the `/`
    /// between parts, absolute paths, and every part checked.
    #[test]
    fn paths_of_plain_parts_pass_and_any_way_out_is_refused() {
        for name in [
            "a.txt",
            "sub/中文.txt",
            "a b/c-d_e.tar.gz",
            ".hidden",
            "x..y",
        ] {
            assert!(check_name(name).is_ok(), "{name}");
        }
        let refused = [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a/",
            "sub/..",
            "..",
            "./a",
            "a\0b",
        ];
        let windows = [
            "a\\..\\b",
            "C:x",
            "\\\\server\\share\\x",
            "sub/nul.txt",
            "sub/a.txt ",
        ];
        for name in refused.iter().chain(&windows) {
            assert!(check_name(name).is_err(), "{name:?}");
        }
    }
}
