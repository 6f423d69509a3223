//! Runs the real file_downloader server and client over loopback: UTF-8 names, large files,
//! hostile names, failed downloads, many clients at once, the server's memory; and the notes'
//! own Python client and server in both directions.

use netcommon::again;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use lesson_testing::Muted;
use lesson_testing::{
    any_port_args, check_command_line, python, run, run_in, serve_one, start_on_free_port,
    Finished, Program, TempDir, NOTES_PY, TIMEOUT,
};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");

/// A fresh folder for one test, removed when the test ends: `root/` (served) and `out/`
/// (where clients save), with a secret beside the root.
fn scratch(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("fd-{test}"));
    dir.folder("out");
    dir.file("root/sub/中文.txt", "你好，文件\n");
    dir.file("root/hello.txt", "hello file\n");
    dir.file("secret.txt", "outside the root\n");
    dir
}

/// Bytes that differ everywhere, so a shifted or repeated chunk is caught.
fn pattern(len: usize) -> Vec<u8> {
    (0..len as u64)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect()
}

fn server(dir: &Path) -> (Program, String) {
    server_with(dir, &[])
}

/// `file_downloader server --bind 127.0.0.1:0 --root DIR/root EXTRA...`, once it listens.
fn server_with(dir: &Path, extra: &[&str]) -> (Program, String) {
    let root = dir.join("root");
    let after = [&["--root", root.to_str().unwrap()][..], extra].concat();
    let (p, addr) = Program::server_on_any_port(EXE, &["server"], &after);
    (p, addr.to_string())
}

fn download(addr: &str, name: &str, out: &Path, extra: &[&str]) -> Finished {
    let mut args = vec!["client", addr, name, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(EXE, &args, "")
}

/// Nothing at all in `out/`: no file, no temporary `.part` left behind.
fn assert_nothing_left(dir: &Path) {
    let left: Vec<_> = fs::read_dir(dir.join("out")).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn downloads_a_utf8_name_into_the_current_folder() {
    let dir = scratch("utf8");
    let (mut srv, addr) = server(&dir);
    let out = run_in(dir.join("out"), EXE, &["client", &addr, "sub/中文.txt"], "");
    out.expect_code(0);
    // The protocol has no length: the client says what it knows, not "saved" alone.
    out.expect_stdout_start(
        "the server closed after 16 bytes; the notes' protocol cannot tell whether that \
             is the whole file; saved as 中文.txt (",
    );
    assert_eq!(
        fs::read_to_string(dir.join("out/中文.txt")).unwrap(),
        "你好，文件\n"
    );
    srv.expect("sent 16 bytes of \"sub/中文.txt\"");
}

#[test]
fn a_large_file_arrives_byte_for_byte() {
    let dir = scratch("large");
    let data = pattern(24 * 1024 * 1024 + 7);
    dir.file("root/big.bin", &data);
    let (_srv, addr) = server(&dir);
    let out = download(&addr, "big.bin", &dir.join("out/big.bin"), &[]);
    out.expect_code(0);
    assert!(
        fs::read(dir.join("out/big.bin")).unwrap() == data,
        "the bytes differ"
    );
}

#[test]
fn hostile_names_get_zero_bytes_and_leave_nothing() {
    let dir = scratch("hostile");
    let (mut srv, addr) = server(&dir);
    // The system's own words for a missing file differ ("The system cannot find ..." on Windows).
    let missing = if cfg!(unix) {
        "No such file or directory"
    } else {
        ""
    };
    let mut refused = vec![
        ("/etc/passwd", "an absolute name"),
        ("../secret.txt", "\"..\" in the name"),
        ("sub/../../secret.txt", "\"..\" in the name"),
        ("sub", "a folder"),
        ("missing.txt", missing),
        ("sub\\..\\..\\secret.txt", "'\\\\' in the name"),
        ("C:secret.txt", "a drive letter"),
        ("sub/con.txt", "a Windows device name"),
        ("hello.txt::$DATA", "':' in the name"),
        ("hello.txt.", "a name ending in '.'"),
        ("./hello.txt", "\".\" in the name"),
        ("sub//中文.txt", "an empty name"),
    ];
    // Symlinks inside the root that lead out of it.
    if file_link(&dir.join("secret.txt"), &dir.join("root/link.txt")) {
        refused.push(("link.txt", "outside the root"));
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc", dir.join("root/etc")).unwrap();
        refused.push(("etc/passwd", "outside the root"));
    }
    for (name, why) in refused {
        let out = download(&addr, name, &dir.join("out/x"), &[]);
        assert_eq!(out.code, Some(1), "{name}: {out:?}");
        assert!(
            out.stderr.starts_with("error: nothing arrived"),
            "{name}: {out:?}"
        );
        srv.expect(&format!("refused {name:?}: {why}"));
        assert_nothing_left(&dir);
    }
    // Raw bytes the client program would never send: NUL, not UTF-8, far too long.
    for (bytes, why) in [
        (b"hello.txt\0".to_vec(), "'\\0' in the name"),
        (b"\xff\xfe".to_vec(), "not UTF-8"),
        (vec![b'a'; 3000], "name over 1024 bytes"),
    ] {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.write_all(&bytes).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got); // a reset is fine too: what matters is no bytes
        assert!(got.is_empty(), "{why}: got {} bytes", got.len());
        srv.expect(why);
    }
    // And the server still serves.
    assert_eq!(
        download(&addr, "hello.txt", &dir.join("out/h"), &[]).code,
        Some(0)
    );
}

/// Makes `link`, a symlink to the file `target`. On Windows that needs a privilege most
/// accounts lack (Developer Mode or an administrator): then it says so and returns false.
#[cfg(unix)]
fn file_link(target: &Path, link: &Path) -> bool {
    std::os::unix::fs::symlink(target, link).unwrap();
    true
}

#[cfg(windows)]
fn file_link(target: &Path, link: &Path) -> bool {
    match std::os::windows::fs::symlink_file(target, link) {
        Ok(()) => true,
        Err(e) => {
            eprintln!(
                "skipped the symlink check: this account may not create links ({e}); \
                 turn on Developer Mode or run as administrator to include it"
            );
            false
        }
    }
}

#[test]
fn never_overwrites_without_force() {
    let dir = scratch("force");
    let (_srv, addr) = server(&dir);
    let target = dir.join("out/hello.txt");
    fs::write(&target, "mine").unwrap();
    let out = download(&addr, "hello.txt", &target, &[]);
    out.expect_code(1).expect_stderr_has("use --force");
    assert_eq!(fs::read_to_string(&target).unwrap(), "mine");
    let out = download(&addr, "hello.txt", &target, &["--force"]);
    out.expect_code(0);
    assert_eq!(fs::read_to_string(&target).unwrap(), "hello file\n");
}

#[test]
fn a_download_cut_by_a_reset_leaves_nothing() {
    let dir = scratch("reset");
    let (addr, fake) = serve_one(|mut s| {
        s.peek(&mut [0; 1]).unwrap(); // the name has arrived; it stays unread

        // Send part of a "file", then close without reading the name: the system sends RST.
        s.write_all(&pattern(200_000)).unwrap();
    });
    let out = download(&addr, "hello.txt", &dir.join("out/hello.txt"), &[]);
    fake.join().unwrap();
    out.expect_code(1)
        .expect_stderr_start("error: receiving (after ");
    assert_nothing_left(&dir);
}

#[test]
fn many_clients_at_once_and_a_silent_one_holds_nobody() {
    let dir = scratch("many");
    let data = pattern(64 * 1024);
    dir.file("root/data.bin", &data);
    let (_srv, addr) = server(&dir);
    let _silent = TcpStream::connect(&addr).unwrap(); // connects, never sends a name
    let addr: SocketAddr = addr.parse().unwrap();
    let clients: Vec<_> = (0..300)
        .map(|_| {
            let data = data.clone();
            thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.set_read_timeout(Some(TIMEOUT)).unwrap();
                s.write_all(b"data.bin").unwrap();
                let mut got = Vec::new();
                s.read_to_end(&mut got).unwrap();
                assert!(got == data, "a client got {} bytes", got.len());
            })
        })
        .collect();
    for c in clients {
        c.join().expect("a client failed");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_server_streams_instead_of_holding_the_file() {
    let dir = scratch("memory");
    let data = pattern(24 * 1024 * 1024);
    dir.file("root/large.bin", &data);
    drop(data);
    let (srv, addr) = server(&dir);
    let out = download(&addr, "large.bin", &dir.join("out/large.bin"), &[]);
    out.expect_code(0);
    let status = fs::read_to_string(format!("/proc/{}/status", srv.pid())).unwrap();
    let peak_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(
        peak_kib < 16 * 1024,
        "server peak RSS {peak_kib} KiB for a 24 MiB file"
    );
}

#[test]
fn asks_like_the_notes_and_command_line_mistakes() {
    let dir = scratch("ask");
    let (_srv, addr) = server(&dir);
    let port = addr.rsplit_once(':').unwrap().1;
    let out = run_in(
        dir.join("out"),
        EXE,
        &["client"],
        &format!("127.0.0.1\n{port}\nhello.txt\n"),
    );
    out.expect_code(0)
        .expect_stdout_start("server ip: server port: file to download: ");
    assert!(dir.join("out/hello.txt").exists());
    assert_eq!(
        run(EXE, &["client", &addr], "").code,
        Some(2),
        "end of input at a prompt"
    );

    let bad: [&[&str]; 11] = [
        &[],
        &["serve"],
        &["server", "--bogus"],
        &["server", "--max-clients", "0"],
        &["server", "--idle-grace", "0"],
        &["server", "70000"],
        &["server", "7890", "--bind", "127.0.0.1:7890"],
        &["server", "7890", "7891"],
        &["client", "localhost"],
        &["client", "127.0.0.1:1", "a", "b"],
        &["client", "127.0.0.1:1", "a", "--max-bytes", "lots"],
    ];
    check_command_line(EXE, "file_downloader", &bad);
    let out = run(EXE, &["server", "--root", "/no/such/folder"], "");
    out.expect_code(1);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_000_client_downloads_from_the_rust_server() {
    let dir = scratch("py-client-000");
    dir.folder("out/sub");
    let (_srv, addr) = server(&dir);
    let port = addr.rsplit_once(':').unwrap().1;
    let out_dir = format!("{}/", dir.join("out").display()); // "C:/Users/Poplar/Desktop/"
    let args = [&format!("{NOTES_PY}000_file_client.py"), port, &out_dir];
    let out = run(python(), &args, "sub/中文.txt\n");
    out.expect_code(0);
    assert_eq!(
        fs::read_to_string(dir.join("out/sub/中文.txt")).unwrap(),
        "你好，文件\n"
    );
}

/// Runs the notes' Python client `script` in `dir/out` (where it saves), typing 127.0.0.1, `port`
/// and `name` at its three questions.
fn notes_client_asks(dir: &Path, script: &str, port: &str, name: &str) -> Finished {
    let stdin = format!("127.0.0.1\n{port}\n{name}\n");
    run_in(
        dir.join("out"),
        python(),
        &[&format!("{NOTES_PY}{script}")],
        &stdin,
    )
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_001_client_downloads_from_the_rust_server() {
    let dir = scratch("py-client-001");
    let (_srv, addr) = server(&dir);
    let port = addr.rsplit_once(':').unwrap().1;
    let out = notes_client_asks(&dir, "001_file_client.py", port, "hello.txt");
    out.expect_code(0);
    assert_eq!(
        fs::read_to_string(dir.join("out/[接收]hello.txt")).unwrap(),
        "hello file\n"
    );
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_002_client_downloads_from_the_rust_server() {
    let dir = scratch("py-client-002");
    let (mut srv, addr) = server(&dir);
    let port = addr.rsplit_once(':').unwrap().1;
    let out = notes_client_asks(&dir, "002_file_client.py", port, "hello.txt");
    out.expect_code(0).expect_stdout_has("文件传输完毕");
    assert_eq!(
        fs::read_to_string(dir.join("out/hello.txt")).unwrap(),
        "hello file\n"
    );
    // Refused: zero bytes, and the notes' client deletes the empty file it made.
    let out = notes_client_asks(&dir, "002_file_client.py", port, "missing.txt");
    out.expect_code(0).expect_stdout_has("没有下载文件");
    assert!(!dir.join("out/missing.txt").exists());
    srv.expect("refused \"missing.txt\"");
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn rust_client_downloads_from_the_python_notes_servers() {
    let dir = scratch("py-servers");
    let data = pattern(3 * 1024 * 1024 + 5);
    dir.file("root/big.bin", &data);
    for (script, ready) in [
        ("000_file_server.py", "服务器已开启"),
        ("001_file_server.py", "listening on"),
        ("002_file_server.py", "listening on"),
    ] {
        let script = format!("{NOTES_PY}{script}");
        let start = |port: u16| {
            Program::start_in(dir.join("root"), python(), &[&script, &port.to_string()])
        };
        let (_python, port) = start_on_free_port(start, ready);
        let addr = format!("127.0.0.1:{port}");
        let target = dir.join("out/中文.txt");
        let out = download(&addr, "sub/中文.txt", &target, &["--force"]);
        assert_eq!(out.code, Some(0), "{script}: {out:?}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "你好，文件\n");
        let target = dir.join("out/big.bin");
        let out = download(&addr, "big.bin", &target, &["--force"]);
        assert_eq!(out.code, Some(0), "{script}: {out:?}");
        assert!(
            fs::read(&target).unwrap() == data,
            "{script}: the bytes differ"
        );
        // A missing file: the Python server closes with nothing, the client leaves nothing.
        let out = download(&addr, "missing.txt", &dir.join("out/missing.txt"), &[]);
        assert_eq!(out.code, Some(1), "{script}: {out:?}");
        assert!(!dir.join("out/missing.txt").exists());
    }
}

#[test]
fn the_server_takes_its_port_like_notes_001() {
    let dir = scratch("port");
    let root = dir.join("root").to_str().unwrap().to_string();
    let start = |port: u16| Program::start(EXE, &["server", &port.to_string(), "--root", &root]);
    let (srv, port) = start_on_free_port(start, "listening on 127.0.0.1:");
    let addr = format!("127.0.0.1:{port}");
    // The whole line: the port is what the notes' `python3 xxx.py 7890` asked for.
    let deadline = Instant::now() + TIMEOUT;
    while !srv.stdout_so_far().contains('\n') && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    let log = srv.stdout_so_far();
    assert!(
        log.starts_with(&format!("listening on {addr}\n")),
        "{log:?}"
    );
    let out = download(&addr, "hello.txt", &dir.join("out/h"), &[]);
    out.expect_code(0);
}

/// `file_downloader server | head -1`: once the reader of stdout is gone, every log line fails
/// to write. The server must drop those lines and go on serving, not panic.
#[test]
fn a_closed_stdout_does_not_stop_the_server() {
    let dir = scratch("stdout");
    let root = dir.join("root");
    let args = any_port_args(&["server"], &["--root", root.to_str().unwrap()]);
    let server = Muted::start(EXE, &args);
    let addr = server.addr.to_string();
    for i in 0..3 {
        let out = download(&addr, "hello.txt", &dir.join(format!("out/h{i}")), &[]);
        assert_eq!(
            out.code,
            Some(0),
            "download {i} after stdout closed: {out:?}"
        );
    }
    server.check_still_serving();
}

/// A fake server that reads the name, sends `first` bytes, then stays silent (connection open)
/// until the client goes away; or, with `endless`, sends without end until the client closes.
fn fake_server(first: usize, endless: bool) -> (String, thread::JoinHandle<()>) {
    serve_one(move |mut s| {
        s.set_write_timeout(Some(TIMEOUT)).unwrap();
        let _ = again(|| s.read(&mut [0; 1024])); // the name
        let chunk = pattern(first);
        if s.write_all(&chunk).is_err() {
            return;
        }
        if endless {
            // Bounded anyway: at most 4 GiB, a test that goes wrong still ends.
            for _ in 0..(4u64 << 30) / first as u64 {
                if s.write_all(&chunk).is_err() {
                    return; // the client stopped and closed: what we expect
                }
            }
        } else {
            let _ = again(|| s.read(&mut [0; 1])); // returns when the client is gone (or after TIMEOUT)
        }
    })
}

#[test]
fn max_bytes_stops_a_server_that_sends_without_end() {
    let dir = scratch("max-bytes");
    let (addr, fake) = fake_server(64 * 1024, true);
    let target = dir.join("out/endless.bin");
    let out = download(&addr, "endless.bin", &target, &["--max-bytes", "1000000"]);
    fake.join().unwrap();
    out.expect_code(1)
        .expect_stderr_start("error: more than 1000000 bytes arrived (--max-bytes 1000000)");
    assert_nothing_left(&dir);
    // Exactly the limit is fine.
    let (_srv, addr) = server(&dir);
    let out = download(&addr, "hello.txt", &target, &["--max-bytes", "11"]);
    out.expect_code(0);
}

/// Ctrl-C in the middle of a download: the real client gets SIGINT (what a terminal sends),
/// and neither the target nor its temporary `.NAME.partPID` file is left behind.
#[cfg(unix)]
#[test]
fn ctrl_c_mid_download_leaves_nothing() {
    let dir = scratch("ctrl-c");
    let (addr, fake) = fake_server(100_000, false);
    let client = Program::start_in(dir.join("out"), EXE, &["client", &addr, "stalled.bin"]);
    // Wait until the first 100,000 bytes are in the temporary file.
    let part = dir.join(format!("out/.stalled.bin.part{}", client.pid()));
    lesson_testing::wait_until(&format!("a partial file {}", part.display()), || {
        fs::metadata(&part).map_or(0, |m| m.len()) >= 100_000
    });
    client.signal("INT");
    let out = client.finish();
    fake.join().unwrap();
    out.expect_code(1).expect_stderr_has("interrupted (Ctrl-C)");
    assert_nothing_left(&dir);
}

/// At its limit, the server closes the connection idle the longest to make room, instead of
/// turning the new client away (once that one has been idle for a moment: 1.5 s).
#[test]
fn a_full_server_makes_room_by_closing_a_silent_connection() {
    let dir = scratch("full");
    let (mut srv, addr) = server_with(&dir, &["--max-clients", "2", "--idle-grace", "0.3"]);
    let idle: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    srv.expect("connected");
    srv.expect("connected");
    // Both have sent nothing since they connected: a newcomer takes the place of the older
    // one at once, without waiting out the grace period.
    let out = download(&addr, "hello.txt", &dir.join("out/hello.txt"), &["--force"]);
    out.expect_code(0);
    srv.expect("sent nothing since it connected, making room");
    // The one closed to make room reads the close (or a reset), within a moment even on a busy
    // machine; the other is still open.
    let is_closed = |mut s: &TcpStream, wait: u64| {
        s.set_read_timeout(Some(Duration::from_millis(wait)))
            .unwrap();
        match again(|| s.read(&mut [0; 1])) {
            Ok(n) => n == 0,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }
    };
    let closed: Vec<bool> = idle.iter().map(|s| is_closed(s, 2000)).collect();
    assert_eq!(
        closed.iter().filter(|c| **c).count(),
        1,
        "one silent connection must have been closed (closed: {closed:?})"
    );
}
