//! Helpers for the lessons' integration tests: start a real program (a lesson's binary or one of
//! the notes' Python programs), wait for what it prints, feed its stdin, and never hang. Every
//! wait has a deadline, so a bug fails fast with what the program printed so far.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long any single wait in a test may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that makes the Python interop tests mandatory (CI sets it).
pub const REQUIRE_PYTHON: &str = "NET_LESSONS_REQUIRE_PYTHON";

/// Text a child prints, gathered by a reader thread.
#[derive(Default)]
struct Captured {
    text: Mutex<(String, bool)>, // (everything so far, stream closed)
    changed: Condvar,
}

impl Captured {
    fn gather(stream: impl Read + Send + 'static) -> Arc<Captured> {
        let captured = Arc::new(Captured::default());
        let shared = Arc::clone(&captured);
        thread::spawn(move || {
            let mut stream = stream;
            let mut buf = [0; 4096];
            let mut pending = Vec::new(); // a UTF-8 character may be split between reads
            loop {
                let n = stream.read(&mut buf).unwrap_or(0);
                pending.extend_from_slice(&buf[..n]);
                let valid = match std::str::from_utf8(&pending) {
                    Ok(s) => s.len(),
                    Err(e) if e.error_len().is_none() && n > 0 => e.valid_up_to(),
                    Err(_) => pending.len(),
                };
                let text = String::from_utf8_lossy(&pending[..valid]).into_owned();
                pending.drain(..valid);
                let mut guard = shared.text.lock().unwrap();
                guard.0.push_str(&text);
                guard.1 = n == 0;
                shared.changed.notify_all();
                if n == 0 {
                    return;
                }
            }
        });
        captured
    }

    fn snapshot(&self) -> String {
        self.text.lock().unwrap().0.clone()
    }

    /// Waits until the text from `from` on contains `needle`; returns the end of the line
    /// holding it (or the end of the text when that line is not finished).
    /// With `panics` (the program's stderr), gives up as soon as the program reports a panic
    /// (a `todo!()` in a homework template, say): a failing test fails fast, not by timeout.
    fn wait_for(
        &self,
        from: usize,
        needle: &str,
        panics: Option<&Captured>,
    ) -> Result<usize, String> {
        let deadline = Instant::now() + TIMEOUT;
        let mut guard = self.text.lock().unwrap();
        loop {
            if let Some(at) = guard.0[from..].find(needle) {
                let start = from + at + needle.len();
                if needle.ends_with('\n') {
                    return Ok(start);
                }
                let end = guard.0[start..]
                    .find('\n')
                    .map_or(guard.0.len(), |i| start + i + 1);
                return Ok(end);
            }
            let now = Instant::now();
            if guard.1 {
                return Err("the stream closed".into());
            }
            if now >= deadline {
                return Err(format!("nothing after {TIMEOUT:?}"));
            }
            if panics.is_some_and(|e| e.text.lock().unwrap().0.contains("panicked at")) {
                return Err("the program panicked (see stderr)".into());
            }
            let wait = (deadline - now).min(Duration::from_millis(50));
            guard = self.changed.wait_timeout(guard, wait).unwrap().0;
        }
    }

    fn wait_closed(&self, deadline: Instant) -> bool {
        let mut guard = self.text.lock().unwrap();
        while !guard.1 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            guard = self.changed.wait_timeout(guard, deadline - now).unwrap().0;
        }
        true
    }
}

/// A running program. Killed when dropped, so a failing test leaves nothing behind.
pub struct Program {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Arc<Captured>,
    stderr: Arc<Captured>,
    /// How much of stdout the test has already looked at.
    seen: usize,
}

/// How a program ended and everything it printed.
#[derive(Debug)]
pub struct Finished {
    /// The exit code; `None` if it was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Program {
    /// Starts `program` (a path, or one of [`PYTHONS`]) with `args`, stdin, stdout and stderr
    /// all piped.
    pub fn start(program: &str, args: &[&str]) -> Program {
        Program::start_in(".", program, args)
    }

    /// Starts `program` in the folder `dir` (a Python server that serves its current folder).
    pub fn start_in(dir: impl AsRef<std::path::Path>, program: &str, args: &[&str]) -> Program {
        let mut child = command(program)
            .current_dir(dir)
            .args(args)
            .env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let stdout = Captured::gather(child.stdout.take().unwrap());
        let stderr = Captured::gather(child.stderr.take().unwrap());
        let name = std::path::Path::new(program)
            .file_name()
            .map_or(program.to_string(), |n| n.to_string_lossy().into_owned());
        let name = format!("{name} {}", args.join(" "));
        Program {
            name,
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
            seen: 0,
        }
    }

    /// Starts a server and waits for its `listening on IP:PORT` line; returns the address.
    pub fn server(program: &str, args: &[&str]) -> (Program, SocketAddr) {
        let mut p = Program::start(program, args);
        let line = p.expect("listening on ");
        assert!(
            line.starts_with("listening on "),
            "{}: the first line must be the listening line, got {line:?}",
            p.name
        );
        let addr = line["listening on ".len()..]
            .trim()
            .parse()
            .unwrap_or_else(|e| {
                panic!("{}: bad listening line {line:?}: {e}", p.name);
            });
        (p, addr)
    }

    /// Waits until stdout (after what was already looked at) contains `needle`, and returns
    /// that stretch of output, up to the end of the line holding `needle`.
    pub fn expect(&mut self, needle: &str) -> String {
        match self.stdout.wait_for(self.seen, needle, Some(&self.stderr)) {
            Ok(end) => {
                let text = self.stdout.snapshot()[self.seen..end].to_string();
                self.seen = end;
                text
            }
            Err(why) => self.fail(&format!("waiting for {needle:?} on stdout: {why}")),
        }
    }

    /// Waits until stderr contains `needle` (anywhere).
    pub fn expect_stderr(&mut self, needle: &str) {
        if let Err(why) = self.stderr.wait_for(0, needle, None) {
            self.fail(&format!("waiting for {needle:?} on stderr: {why}"));
        }
    }

    /// Everything on stdout so far, looked at or not.
    pub fn stdout_so_far(&self) -> String {
        self.stdout.snapshot()
    }

    /// Types a line on the program's stdin.
    pub fn type_line(&mut self, line: &str) {
        self.type_bytes(format!("{line}\n").as_bytes());
    }

    /// Writes raw bytes to the program's stdin.
    pub fn type_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin already closed");
        if let Err(e) = stdin.write_all(bytes).and_then(|()| stdin.flush()) {
            self.fail(&format!("writing to stdin: {e}"));
        }
    }

    /// Closes stdin: the program sees end of input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The process id (to read its memory use from `/proc/PID/status`, say).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Is it still running?
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes stdin, waits for the program to exit on its own (killing it after [`TIMEOUT`]
    /// fails the test), and returns how it ended.
    pub fn finish(mut self) -> Finished {
        self.close_stdin();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    // The pipes close when the program (and anything it started) is gone.
                    self.stdout.wait_closed(deadline);
                    self.stderr.wait_closed(deadline);
                    return Finished {
                        code: status.code(),
                        stdout: self.stdout.snapshot(),
                        stderr: self.stderr.snapshot(),
                    };
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                _ => self.fail("did not exit in time"),
            }
        }
    }

    /// Fails the test, showing what the program printed.
    pub fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        panic!(
            "{}: {why}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.name,
            self.stdout.snapshot(),
            self.stderr.snapshot()
        );
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a program to the end with `stdin` as its input.
pub fn run(program: &str, args: &[&str], stdin: &str) -> Finished {
    run_in(".", program, args, stdin)
}

/// Runs a program to the end in the folder `dir`, with `stdin` as its input.
pub fn run_in(
    dir: impl AsRef<std::path::Path>,
    program: &str,
    args: &[&str],
    stdin: &str,
) -> Finished {
    let mut p = Program::start_in(dir, program, args);
    p.type_bytes(stdin.as_bytes());
    p.finish()
}

/// Checks SPEC's command-line conventions for `program` (whose usage starts `usage: NAME`):
/// `--help` prints the usage on stdout with exit 0, and every command line in `bad` is refused
/// with `error: ...` and the usage on stderr, exit 2.
pub fn check_command_line(program: &str, name: &str, bad: &[&[&str]]) {
    let usage = format!("usage: {name}");
    let help = run(program, &["--help"], "");
    assert_eq!(help.code, Some(0), "--help: {help:?}");
    assert!(help.stdout.starts_with(&usage), "--help: {help:?}");
    for args in bad {
        let out = run(program, args, "");
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert!(out.stderr.starts_with("error: "), "{args:?}: {out:?}");
        assert!(out.stderr.contains(&usage), "{args:?}: {out:?}");
    }
}

/// Checks that every example of the crate at `manifest_dir` (pass `env!("CARGO_MANIFEST_DIR")`)
/// answers `--help` as SPEC says: its usage on stdout, starting `usage: `, exit 0. The examples
/// are found in the crate's `examples/` folder, none listed by hand; `cargo test` has built them.
pub fn check_examples_answer_help(manifest_dir: &str) {
    let folder = std::path::Path::new(manifest_dir).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no example in {}", folder.display());
    for name in names {
        let help = run(&example(&name), &["--help"], "");
        assert_eq!(help.code, Some(0), "{name} --help: {help:?}");
        assert!(
            help.stdout.starts_with("usage: "),
            "{name} --help: {help:?}"
        );
    }
}

/// Checks that `program` with `args` and `--bind busy` (an address the test holds) fails at run
/// time as SPEC says: one line `error: binding ADDR: ...` on stderr, exit 1.
pub fn check_busy_bind(program: &str, args: &[&str], busy: SocketAddr) {
    let busy = busy.to_string();
    let mut args = args.to_vec();
    args.extend_from_slice(&["--bind", &busy]);
    let out = run(program, &args, "");
    assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
    assert!(
        out.stderr.starts_with(&format!("error: binding {busy}: ")),
        "{out:?}"
    );
}

// ---- Platform differences. Each one the tests meet is handled here, once, so that a reader
// ---- of a test on Windows, macOS or Linux finds it in one place.

/// How Python 3 is started, tried in this order: `python3` (Linux, macOS, Windows through the
/// Microsoft Store), `python` (python.org's Windows installer, which has no `python3`), `py -3`
/// (the Windows launcher that python.org installs too).
pub const PYTHONS: [&str; 3] = ["python3", "python", "py -3"];

/// The Python 3 to run the notes' programs with (one of [`PYTHONS`], to pass to [`run`] or
/// [`Program::start`] as the program), or `None` after printing "skipped: python3 not found".
/// With `NET_LESSONS_REQUIRE_PYTHON` set, a missing Python fails the test instead.
pub fn python3() -> Option<&'static str> {
    for python in PYTHONS {
        // `python` is Python 2 on some old Unix systems; Windows has a `python` that only opens
        // the Store and exits non-zero. Both are passed over.
        let is_3 = command(python)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success() && version_3(&o.stdout, &o.stderr));
        if is_3 {
            return Some(python);
        }
    }
    let tried = format!("python3 not found (tried {})", PYTHONS.join(", "));
    missing(&tried, REQUIRE_PYTHON);
    None
}

/// `python --version` prints `Python 3.x.y` (on stderr before Python 3.4).
fn version_3(stdout: &[u8], stderr: &[u8]) -> bool {
    [stdout, stderr].iter().any(|out| {
        String::from_utf8_lossy(out)
            .trim_start()
            .starts_with("Python 3")
    })
}

/// The command that starts `program`: a program's path or name, or `py -3`, which is the
/// launcher `py` with the argument `-3`. Our programs speak English to the tests
/// (`NET_LESSONS_LANG=en`, SPEC), unless the test set the variable itself, or runs inside
/// [`in_chinese`].
pub fn command(program: &str) -> Command {
    let mut cmd = match program {
        "py -3" => {
            let mut py = Command::new("py");
            py.arg("-3");
            py
        }
        _ => Command::new(program),
    };
    if CHINESE.get() {
        cmd.env("NET_LESSONS_LANG", "zh");
    } else if std::env::var_os("NET_LESSONS_LANG").is_none() {
        cmd.env("NET_LESSONS_LANG", "en");
    }
    cmd
}

thread_local! {
    /// Set inside [`in_chinese`]: the programs this test thread starts speak Chinese.
    static CHINESE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every program it starts (through [`Program`], [`run`], [`command`]...)
/// speaking Chinese (`NET_LESSONS_LANG=zh`), the default a student meets:
/// `let out = in_chinese(|| run(EXE, &["--help"], ""));`.
pub fn in_chinese<T>(f: impl FnOnce() -> T) -> T {
    struct Back(bool);
    impl Drop for Back {
        fn drop(&mut self) {
            CHINESE.set(self.0);
        }
    }
    let _back = Back(CHINESE.replace(true));
    f()
}

/// `socket.recv_from(buf)`, waiting again when the wait ends with EINTR: on Linux a wait with a
/// timeout (`set_read_timeout`) ends that way when the process is stopped and continued, or
/// frozen and thawed, which a busy test machine does now and then.
pub fn recv_from(
    socket: &std::net::UdpSocket,
    buf: &mut [u8],
) -> std::io::Result<(usize, SocketAddr)> {
    loop {
        match socket.recv_from(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Checks, in Chinese, what every program does the same way (SPEC): `--help` prints the
/// Chinese usage (`用法：...`) with exit 0, and the command line `bad` is refused with one line
/// `错误：...` and the usage, exit 2.
pub fn check_chinese_command_line(program: &str, bad: &[&str]) {
    in_chinese(|| {
        let help = run(program, &["--help"], "");
        assert_eq!(help.code, Some(0), "--help: {help:?}");
        assert!(help.stdout.starts_with("用法："), "--help: {help:?}");
        let out = run(program, bad, "");
        assert_eq!(out.code, Some(2), "{bad:?}: {out:?}");
        assert!(out.stderr.starts_with("错误："), "{bad:?}: {out:?}");
        assert!(out.stderr.contains("用法："), "{bad:?}: {out:?}");
    })
}

/// Checks, in Chinese, that `program` with `args` and `--bind ADDR`, an address the test holds,
/// fails with one line that says the port is taken and what to do: `错误：绑定 ADDR：端口已被
/// 占用：……--bind……`, exit 1.
pub fn check_chinese_port_taken(program: &str, args: &[&str], udp: bool) {
    let (_tcp, _udp, busy) = if udp {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        (None, Some(socket), addr)
    } else {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        (Some(listener), None, addr)
    };
    let busy = busy.to_string();
    let mut args = args.to_vec();
    args.extend_from_slice(&["--bind", &busy]);
    let out = in_chinese(|| run(program, &args, ""));
    assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
    let line = out.stderr.trim_end();
    assert!(
        line.starts_with(&format!("错误：绑定 {busy}：端口已被占用")) && line.contains("--bind"),
        "{args:?}: {out:?}"
    );
    assert_eq!(line.lines().count(), 1, "one line: {out:?}");
}

// ---- What several lessons' tests do the same way: read a server's log line by line, check a
// ---- port held or refused in Chinese, talk to a server, start the notes' Python servers, fill
// ---- a listen queue, send stray datagrams, race a server's path checks, stop a program with a
// ---- signal.

use std::net::{TcpStream, UdpSocket};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

impl Program {
    /// The next line on stdout (after what was already looked at), without its line end.
    pub fn next_line(&mut self) -> String {
        let line = self.expect("\n");
        let line = line.strip_suffix('\n').unwrap_or(&line);
        line.strip_suffix('\r').unwrap_or(line).to_string()
    }

    /// Sends the signal `name` (`TERM`, `HUP`, `INT`) to the program, as `kill -NAME PID` does.
    #[cfg(unix)]
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "kill -{name} {}", self.pid());
    }
}

/// [`check_chinese_port_taken`] for programs that take the address some other way than a
/// trailing `--bind ADDR` (an example's `ADDR` argument): `args` names `busy`, an address the
/// test holds. One line `错误：绑定 BUSY：端口已被占用：`, saying to stop the other program
/// (`先停掉它`) or to `--bind` another port, exit 1.
pub fn check_chinese_port_taken_by(program: &str, args: &[&str], busy: &str) {
    let out = in_chinese(|| run(program, args, ""));
    assert_eq!(out.code, Some(1), "{program} {args:?}: {out:?}");
    let line = &out.stderr;
    assert!(
        line.starts_with(&format!("错误：绑定 {busy}：端口已被占用：")),
        "{program}: {line}"
    );
    assert!(line.contains("先停掉它"), "{program}: {line}");
    assert!(line.contains("--bind"), "{program}: {line}");
    assert_eq!(line.lines().count(), 1, "{program}: {line}");
}

/// Checks, in Chinese, that a client told to connect where nobody listens says so and what to
/// check: it runs `program BEFORE ADDR AFTER`, ADDR a port on 127.0.0.1 that was just closed,
/// and expects `错误：连接 ADDR：连接被拒绝……服务器启动了吗……`, exit 1. Returns the run and ADDR,
/// for checks of the program's own.
pub fn check_chinese_connection_refused(
    program: &str,
    before: &[&str],
    after: &[&str],
) -> (Finished, String) {
    let closed = format!("127.0.0.1:{}", free_port()); // nothing listens there now
    let mut args = before.to_vec();
    args.push(&closed);
    args.extend_from_slice(after);
    let out = in_chinese(|| run(program, &args, ""));
    assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
    assert!(
        out.stderr
            .starts_with(&format!("错误：连接 {closed}：连接被拒绝")),
        "{args:?}: {out:?}"
    );
    assert!(out.stderr.contains("服务器启动了吗"), "{args:?}: {out:?}");
    (out, closed)
}

/// Connects to `addr`; every read on the connection waits at most [`TIMEOUT`].
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connecting {addr}: {e}"));
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s
}

/// Sends `bytes`, reads exactly `expected.len()` bytes back and compares.
pub fn exchange(s: &mut TcpStream, bytes: &[u8], expected: &[u8]) {
    s.write_all(bytes).unwrap();
    let mut got = vec![0; expected.len()];
    s.read_exact(&mut got).expect("reply in time");
    assert_eq!(got, expected);
}

/// Sends `request` in one write on a new connection, then reads until the server closes (a
/// reset after the answer is fine too); returns the answer.
pub fn ask(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut s = connect(addr);
    s.write_all(request).unwrap();
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    got
}

/// Starts the notes' Python program `script` (a path) with `py`, its port on its command line,
/// on a free port (see [`start_on_free_port`]); `ready` is what it prints once its socket is
/// bound. Returns it and its address, 127.0.0.1:PORT.
pub fn python_on_free_port(py: &str, script: &str, ready: &str) -> (Program, SocketAddr) {
    let start = |port: u16| Program::start(py, &[script, &port.to_string()]);
    let (p, port) = start_on_free_port(start, ready);
    (p, SocketAddr::from(([127, 0, 0, 1], port)))
}

/// A listener that never accepts, with as many clients connected as its queue of finished
/// handshakes holds (std listens with a backlog of 128): one more `connect` gets no answer.
/// Linux only: there a full queue drops new SYNs silently, so the next client's `connect` hangs
/// while its system retries; other systems may refuse it at once instead. Keep it alive while
/// the test runs.
#[cfg(target_os = "linux")]
pub struct FullQueue {
    /// Where it listens.
    pub addr: String,
    _listener: std::net::TcpListener,
    _queued: Vec<TcpStream>,
}

#[cfg(target_os = "linux")]
impl FullQueue {
    pub fn fill() -> FullQueue {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        for _ in 0..1000 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(s) => queued.push(s),
                Err(_) => {
                    return FullQueue {
                        addr: addr.to_string(),
                        _listener: listener,
                        _queued: queued,
                    }
                }
            }
        }
        panic!("the listen queue was not full after 1000 connections");
    }

    /// Checks that `program` with `args` (naming this queue's address and `--timeout 1`) gives
    /// up connecting in time, instead of the two minutes the system keeps retrying: exit 1,
    /// `error: connecting to ADDR: no answer within 1 s (is its queue of connections full?)`,
    /// within 5 s.
    pub fn check_client_gives_up(&self, program: &str, args: &[&str]) {
        let started = Instant::now();
        let out = run(program, args, "");
        let took = started.elapsed();
        assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
        assert_eq!(
            out.stderr,
            format!(
                "error: connecting to {}: no answer within 1 s (is its queue of connections full?)\n",
                self.addr
            ),
            "{program} {args:?}"
        );
        assert!(took < Duration::from_secs(5), "{args:?}: {took:?}");
    }
}

/// Someone else on the network: sends `texts` in turn to `to`, every 50 ms, from a UDP socket of
/// its own, until dropped (or 20 s have passed). For clients that must not take a stranger's
/// datagram for their server's.
pub struct Stranger {
    stop: Arc<AtomicBool>,
}

impl Stranger {
    pub fn keep_sending(to: SocketAddr, texts: &'static [&'static [u8]]) -> Stranger {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&stop);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(20);
            for text in texts.iter().cycle() {
                if done.load(Ordering::Relaxed) || Instant::now() > until {
                    return;
                }
                let _ = socket.send_to(text, to);
                thread::sleep(Duration::from_millis(50));
            }
        });
        Stranger { stop }
    }

    /// Waits for `client`, which asked a server that never answers while this stranger kept
    /// sending to it (texts holding `not from the server`), and checks it gave up in time all the
    /// same: its `--timeout 1` kept (within 4 s of `started`), exit 1 with `error` on stderr, and
    /// nothing of the stranger's printed.
    pub fn check_client_gave_up(self, client: Program, started: Instant, error: &str) {
        let out = client.finish();
        drop(self);
        let took = started.elapsed();
        assert_eq!(out.code, Some(1), "{out:?}");
        assert_eq!(out.stderr, error);
        assert!(!out.stdout.contains("not from the server"), "{out:?}");
        assert!(took < Duration::from_secs(4), "{took:?}");
    }
}

impl Drop for Stranger {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Swaps the folders (or symlinks) `a` and `b` once, with three renames (through `a.swap`).
pub fn swap(a: &Path, b: &Path) {
    let tmp = a.with_extension("swap");
    std::fs::rename(a, &tmp).unwrap();
    std::fs::rename(b, a).unwrap();
    std::fs::rename(&tmp, b).unwrap();
}

/// [`swap`] again and again on a thread, to race a server that checks paths: `stop` ends it with
/// everything back in place (an even number of swaps) and returns how many swaps it made.
pub struct Swapping {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<u32>,
}

impl Swapping {
    pub fn start(a: &Path, b: &Path) -> Swapping {
        let (a, b) = (a.to_path_buf(), b.to_path_buf());
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut swaps = 0;
            while swaps % 2 == 1 || !done.load(Ordering::Relaxed) {
                swap(&a, &b);
                swaps += 1;
            }
            swaps
        });
        Swapping { stop, thread }
    }

    pub fn stop(self) -> u32 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the swapping thread")
    }
}

/// Runs `client` again and again on `clients` threads at once for `how_long`; returns how many
/// times it ran in all. A failed check in `client` fails the test.
pub fn clients_for(
    how_long: Duration,
    clients: usize,
    client: impl Fn() + Send + Sync + 'static,
) -> u32 {
    let until = Instant::now() + how_long;
    let client = Arc::new(client);
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let client = Arc::clone(&client);
            thread::spawn(move || {
                let mut n = 0;
                while Instant::now() < until {
                    client();
                    n += 1;
                }
                n
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).sum()
}

/// Makes a FIFO (a named pipe) at `path`: opening it for reading waits for a writer.
#[cfg(unix)]
pub fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// Waits until `done()` holds, checking every 20 ms; fails the test with `what` after
/// [`TIMEOUT`].
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {TIMEOUT:?}");
        thread::sleep(Duration::from_millis(20));
    }
}

/// The path of the example `name` that `cargo test` built beside the test binaries
/// (`target/debug/examples/NAME`, with `.exe` on Windows).
pub fn example(name: &str) -> String {
    let mut exe = std::env::current_exe().expect("the test binary's path");
    exe.pop(); // target/debug/deps
    exe.pop(); // target/debug
    exe.push("examples");
    exe.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    exe.to_string_lossy().into_owned()
}

/// A server started the way `server | head -1` runs it: its stdout is closed right after the
/// `listening on IP:PORT` line, so every later log line fails to be written. A server must go on
/// serving (`println!` would panic, exit 101). Killed when dropped.
pub struct Muted {
    child: Child,
    /// Where it listens, from its first line.
    pub addr: SocketAddr,
}

impl Muted {
    /// Starts `program`, reads its first line (within [`TIMEOUT`]), then closes its stdout.
    pub fn start(program: &str, args: &[&str]) -> Muted {
        let mut child = command(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {program}: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = tx.send(line); // the pipe's reading end is dropped here: stdout is closed
        });
        let line = rx.recv_timeout(TIMEOUT).unwrap_or_default();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok());
        match addr {
            Some(addr) => Muted { child, addr },
            None => panic!("{program}: first line {line:?} is not `listening on IP:PORT`"),
        }
    }

    /// Types `text` on its stdin (for a server whose replies are typed, like the notes' `>>>`).
    pub fn type_text(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin is open");
        stdin
            .write_all(text.as_bytes())
            .expect("writing to its stdin");
    }

    /// Closes its stdin (end of input).
    pub fn close_stdin(&mut self) {
        drop(self.child.stdin.take());
    }

    /// After the test's clients were served: it is still running and never panicked.
    #[track_caller]
    pub fn check_still_serving(mut self) {
        let running = self.child.try_wait().expect("try_wait").is_none();
        let _ = self.child.kill();
        let stderr = self.stderr();
        assert!(running, "it stopped after its stdout was closed: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    /// It ends by itself within [`TIMEOUT`] (a server given `--count`, or at the end of its
    /// input), with exit 0 and no panic.
    #[track_caller]
    pub fn check_exits_cleanly(mut self) {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("it did not end within {TIMEOUT:?}: {}", self.stderr());
            }
            thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr();
        assert_eq!(status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    /// What it printed on stderr (read once it has ended or was killed).
    fn stderr(&mut self) -> String {
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Muted {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A program a test needs (`curl`), or `None` after printing "skipped: NAME not found". With
/// the environment variable `required_by` set (CI sets it), a missing program fails the test
/// instead of skipping it.
pub fn tool(name: &'static str, required_by: &str) -> Option<&'static str> {
    let found = command(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Some(name);
    }
    missing(&format!("{name} not found"), required_by);
    None
}

/// Prints "skipped: WHY", or fails the test when the environment variable `required_by` is set.
fn missing(why: &str, required_by: &str) {
    let required = std::env::var(required_by).is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "{why}, and {required_by} is set");
    eprintln!("skipped: {why}");
}

/// Starts a program that must be given its port (the notes' Python programs take it on their
/// command line): `start(PORT)` starts it, `ready` is what it prints once its socket is bound.
/// [`free_port`] only finds a port that was free a moment ago, and another socket on the
/// machine may take it first: then the program says "address already in use", and this tries
/// again with another port (at most 5 times). Returns the program and its port.
pub fn start_on_free_port(start: impl Fn(u16) -> Program, ready: &str) -> (Program, u16) {
    for _ in 0..5 {
        let port = free_port();
        let mut p = start(port);
        match p.stdout.wait_for(p.seen, ready, Some(&p.stderr)) {
            Ok(end) => {
                p.seen = end;
                return (p, port);
            }
            Err(_) if p.port_was_taken() => continue,
            Err(why) => p.fail(&format!("waiting for {ready:?} on stdout: {why}")),
        }
    }
    panic!("5 free ports in a row were taken before the program could bind one");
}

impl Program {
    /// Did the program end because its port was taken? Python says `Address already in use`
    /// (Linux, macOS) or `WinError 10048` (Windows); our programs print the system's message.
    fn port_was_taken(&mut self) -> bool {
        // Its stdout closed: it has ended, or is ending (it never does while still running).
        if !self.stderr.wait_closed(Instant::now() + TIMEOUT) {
            return false;
        }
        let err = self.stderr.snapshot();
        ["Address already in use", "address already in use", "10048"]
            .iter()
            .any(|m| err.contains(m))
    }
}

/// A port on 127.0.0.1 that was free a moment ago, for a Python server that needs its port
/// on the command line (start it with [`start_on_free_port`]).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// A fresh folder for one test, `<temp>/net-lessons-<pid>-<name>`, removed with everything in it
/// when dropped (also when the test fails).
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("net-lessons-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// 评分测试（homework graders）用的帮手。它们的日志和失败信息都是中文：学生读的就是这些。
// 每一步都打印一行（"发送 5 字节：…"），测试失败时 cargo test 会把这些行和失败原因一起显示。
// 学生的程序退出或 panic 时，失败信息附上它 stderr 的最后几行（`todo!()` 说明该写哪个函数）。
// ---------------------------------------------------------------------------------------------

/// How many of the last lines of a student's stderr and stdout a failure shows.
const TAIL_LINES: usize = 8;

/// The programs the current test started through [`Student`] (tests run on threads of their own,
/// so a thread-local list is this test's list).
struct Started {
    name: String,
    stdout: Arc<Captured>,
    stderr: Arc<Captured>,
}

thread_local! {
    static STARTED: std::cell::RefCell<Vec<Started>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The last `n` lines of `text`, indented, or "（没有输出）". Empty lines and Rust's hint about
/// `RUST_BACKTRACE` are left out.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .collect();
    if lines.is_empty() {
        return "    （没有输出）".into();
    }
    let skipped = lines.len().saturating_sub(n);
    let mut out = String::new();
    if skipped > 0 {
        out.push_str(&format!("    ……（前面还有 {skipped} 行）\n"));
    }
    let shown: Vec<String> = lines[skipped..]
        .iter()
        .map(|l| format!("    {l}"))
        .collect();
    out + &shown.join("\n")
}

/// What the student's programs of this test did: for each, whether it is still running, and
/// the last lines of its stderr and stdout. Waits up to a second for a dying program's last
/// words (a panic message arrives a moment after its socket closed).
fn students_report() -> String {
    STARTED.with(|started| {
        let mut out = String::new();
        for s in started.borrow().iter() {
            let deadline = Instant::now() + Duration::from_secs(1);
            while Instant::now() < deadline
                && !s.stderr.text.lock().unwrap().1
                && !s.stderr.snapshot().contains("panicked at")
            {
                thread::sleep(Duration::from_millis(20));
            }
            let closed = s.stderr.text.lock().unwrap().1;
            let err = s.stderr.snapshot();
            let state = if err.contains("panicked at") {
                "panic 了（见下面 stderr 里的 panicked at 那几行）"
            } else if closed {
                "已经退出"
            } else {
                "还在运行"
            };
            out += &format!(
                "\n学生程序 {}：{state}。\n  它的 stderr 最后几行：\n{}\n  它的 stdout 最后几行：\n{}\n",
                s.name,
                tail(&err, TAIL_LINES),
                tail(&s.stdout.snapshot(), TAIL_LINES)
            );
        }
        out
    })
}

/// Fails the graded test with `why` (Chinese), followed by what the student's programs of this
/// test printed last.
#[track_caller]
pub fn fail(why: &str) -> ! {
    panic!("{why}\n{}", students_report());
}

/// Checks a condition of a graded test; `why` says, in Chinese, what was expected.
#[track_caller]
pub fn check(ok: bool, why: &str) {
    if !ok {
        fail(why);
    }
}

/// Bytes for a log line or a failure: the text itself when they are UTF-8 (in 「」, with `\n`
/// and other control characters made visible), else hex (`e4 bd a0 ff`); long ones shortened.
pub fn show(bytes: &[u8]) -> String {
    const MAX: usize = 120;
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut out: String = text
                .chars()
                .take(MAX)
                .map(|c| match c {
                    '\n' => "\\n".to_string(),
                    '\r' => "\\r".to_string(),
                    '\t' => "\\t".to_string(),
                    c if c.is_control() => format!("\\x{:02x}", c as u32),
                    c => c.to_string(),
                })
                .collect();
            if text.chars().count() > MAX {
                out += &format!("……（共 {} 字节）", bytes.len());
            }
            format!("「{out}」")
        }
        Err(_) => {
            let hex: Vec<String> = bytes
                .iter()
                .take(MAX / 3)
                .map(|b| format!("{b:02x}"))
                .collect();
            let more = if bytes.len() > MAX / 3 { " ……" } else { "" };
            format!("（不是 UTF-8 文本，十六进制）{}{more}", hex.join(" "))
        }
    }
}

/// "期望 … 实际 …" for two byte strings: as text lines when both are text, else as hex.
pub fn expected_vs_got(expected: &[u8], got: &[u8]) -> String {
    match (std::str::from_utf8(expected), std::str::from_utf8(got)) {
        (Ok(e), Ok(g)) if !e.contains(['\n', '\r']) && !g.contains(['\n', '\r']) => {
            format!("  期望：{e}\n  实际：{g}")
        }
        (Ok(e), Ok(g)) => format!(
            "  期望（{} 行）：\n{}\n  实际（{} 行）：\n{}",
            e.lines().count(),
            tail(e, 40),
            g.lines().count(),
            tail(g, 40)
        ),
        _ => format!("  期望：{}\n  实际：{}", show(expected), show(got)),
    }
}

/// The student's program, started by a graded test. Every wait has a deadline ([`TIMEOUT`]);
/// a failure says, in Chinese, what was expected and what the program printed last.
pub struct Student {
    program: Program,
    name: String,
}

/// How the student's program ended (see [`Student::finish`] and [`student_run`]).
pub struct Ended {
    pub name: String,
    /// The exit code; `None` if it was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Student {
    /// Starts the student's program `exe` with `args`; prints the command line.
    #[track_caller]
    pub fn start(exe: &str, args: &[&str]) -> Student {
        let program = Program::start(exe, args);
        let short = std::path::Path::new(exe)
            .file_stem()
            .map_or(exe.to_string(), |n| n.to_string_lossy().into_owned());
        let name = format!("{short} {}", args.join(" "));
        println!("启动：{name}");
        STARTED.with(|s| {
            s.borrow_mut().push(Started {
                name: name.clone(),
                stdout: Arc::clone(&program.stdout),
                stderr: Arc::clone(&program.stderr),
            })
        });
        Student { program, name }
    }

    /// Starts a server and waits for its first line, `listening on IP:PORT` (SPEC); returns the
    /// address.
    #[track_caller]
    pub fn server(exe: &str, args: &[&str]) -> (Student, SocketAddr) {
        let mut s = Student::start(exe, args);
        let line = s.wait_for("listening on ");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok());
        match addr {
            Some(addr) => {
                println!("它在 {addr} 监听");
                (s, addr)
            }
            None => fail(&format!(
                "服务器的第一行必须是 `listening on IP:PORT`（真实的地址和端口）；实际是：{}",
                show(line.as_bytes())
            )),
        }
    }

    /// Waits until the program prints `needle` on stdout (after what was already looked at);
    /// returns that output up to the end of the line holding it.
    #[track_caller]
    pub fn expect(&mut self, needle: &str) -> String {
        let text = self.wait_for(needle);
        println!("它打印了 {}", show(needle.trim_end().as_bytes()));
        text
    }

    /// [`Student::expect`] without the log line.
    #[track_caller]
    fn wait_for(&mut self, needle: &str) -> String {
        let p = &mut self.program;
        match p.stdout.wait_for(p.seen, needle, Some(&p.stderr)) {
            Ok(end) => {
                let text = p.stdout.snapshot()[p.seen..end].to_string();
                p.seen = end;
                text
            }
            Err(why) => {
                let why = match why.as_str() {
                    "the stream closed" => "但是程序已经结束了".to_string(),
                    w if w.starts_with("nothing after") => {
                        format!("但是 {} 秒内没有等到", TIMEOUT.as_secs())
                    }
                    _ => "但是程序 panic 了".to_string(),
                };
                let seen = &p.stdout.snapshot()[p.seen..];
                fail(&format!(
                    "期望 {} 在 stdout 打印：\n    {}\n{why}。在那之后它打印的是：\n{}",
                    self.name,
                    needle.trim_end(),
                    tail(seen, TAIL_LINES)
                ))
            }
        }
    }

    /// Waits until the program prints `needle` on stderr.
    #[track_caller]
    pub fn expect_stderr(&mut self, needle: &str) {
        if self.program.stderr.wait_for(0, needle, None).is_err() {
            fail(&format!(
                "期望 {} 在 stderr 打印 {}，但是没有等到",
                self.name,
                show(needle.as_bytes())
            ));
        }
        println!("它在 stderr 打印了 {}", show(needle.as_bytes()));
    }

    /// Types a line on the program's stdin (the keyboard).
    #[track_caller]
    pub fn type_line(&mut self, line: &str) {
        println!("键盘输入：{}", show(line.as_bytes()));
        let stdin = self.program.stdin.as_mut().expect("stdin already closed");
        if stdin
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .is_err()
        {
            fail(&format!("往 {} 的键盘输入时它已经结束了", self.name));
        }
    }

    /// Closes stdin, waits for the program to exit (at most [`TIMEOUT`]) and returns how it ended.
    #[track_caller]
    pub fn finish(mut self) -> Ended {
        self.program.close_stdin();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.program.child.try_wait() {
                Ok(Some(status)) => {
                    self.program.stdout.wait_closed(deadline);
                    self.program.stderr.wait_closed(deadline);
                    return Ended {
                        name: self.name.clone(),
                        code: status.code(),
                        stdout: self.program.stdout.snapshot(),
                        stderr: self.program.stderr.snapshot(),
                    };
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                _ => fail(&format!(
                    "期望 {} 在 {} 秒内自己结束，但它还在运行",
                    self.name,
                    TIMEOUT.as_secs()
                )),
            }
        }
    }
}

/// Runs the student's program to its end with `stdin` as its keyboard input.
#[track_caller]
pub fn student_run(exe: &str, args: &[&str], stdin: &str) -> Ended {
    let mut s = Student::start(exe, args);
    if !stdin.is_empty() {
        println!("键盘输入：{}", show(stdin.as_bytes()));
        if let Some(input) = s.program.stdin.as_mut() {
            let _ = input.write_all(stdin.as_bytes()); // it may exit without reading it all
        }
    }
    let ended = s.finish();
    match ended.code {
        Some(code) => println!("它结束了，退出码 {code}"),
        None => println!("它被信号终止了"),
    }
    ended
}

impl Ended {
    /// Fails with `why`, then the end of what the program printed.
    #[track_caller]
    pub fn fail(&self, why: &str) -> ! {
        panic!(
            "{why}\n\n学生程序 {}：退出码 {}。\n  它的 stderr 最后几行：\n{}\n  它的 stdout 最后几行：\n{}\n",
            self.name,
            self.code.map_or("无（被信号终止）".to_string(), |c| c.to_string()),
            tail(&self.stderr, TAIL_LINES),
            tail(&self.stdout, TAIL_LINES)
        );
    }

    /// The program must have exited with `code` (SPEC: 0 done, 1 run-time error, 2 bad command
    /// line); `why` says why that code.
    #[track_caller]
    pub fn expect_code(&self, code: i32, why: &str) {
        if self.code != Some(code) {
            let got = self
                .code
                .map_or("被信号终止".into(), |c| format!("退出码 {c}"));
            self.fail(&format!("期望退出码 {code}（{why}），实际：{got}"));
        }
    }

    /// stdout must hold this line (`line` without its `\n`; a prompt may come before it on the
    /// same line, as after `input()`).
    #[track_caller]
    pub fn expect_line(&self, line: &str) {
        if !self.stdout.lines().any(|l| l.ends_with(line)) {
            self.fail(&format!("期望 stdout 里有这一行：\n    {line}\n但是没有"));
        }
    }

    /// stdout must start with `prefix` (a prompt, say).
    #[track_caller]
    pub fn expect_stdout_start(&self, prefix: &str) {
        if !self.stdout.starts_with(prefix) {
            self.fail(&format!(
                "期望 stdout 以这段文字开头：\n    {prefix}\n但是没有"
            ));
        }
    }

    /// stderr must start with `prefix` (`error: ` and the reason, say).
    #[track_caller]
    pub fn expect_stderr_start(&self, prefix: &str) {
        if !self.stderr.starts_with(prefix) {
            self.fail(&format!(
                "期望 stderr 以这段文字开头：\n    {prefix}\n但是没有"
            ));
        }
    }
}

/// One side of a TCP conversation with the student's program, played by the grader: every step
/// is logged ("发送 5 字节：…"), and a failure says what was expected and what came instead.
pub struct Peer {
    stream: std::net::TcpStream,
}

/// What an I/O error means, in Chinese (the system's own words only when it is none of these,
/// on a line of their own).
fn io_why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        ConnectionReset => "连接被对方重置（reset）：对方的程序可能已经退出或 panic",
        ConnectionAborted => "连接被中止",
        ConnectionRefused => "连接被拒绝：那个端口没有程序在监听",
        BrokenPipe => "对方已经关闭了连接",
        WouldBlock | TimedOut => "等待超时",
        UnexpectedEof => "对方关闭了连接",
        _ => return format!("出错了，系统的说法是：\n    {e}\n"),
    };
    what.to_string()
}

impl Peer {
    /// Connects to the student's server.
    #[track_caller]
    pub fn connect(addr: impl std::fmt::Display) -> Peer {
        let addr = addr.to_string();
        let stream = match std::net::TcpStream::connect(&addr) {
            Ok(stream) => stream,
            Err(e) => fail(&format!("连接 {addr} 失败：{}", io_why(&e))),
        };
        println!("已连接 {addr}（本地地址 {}）", stream.local_addr().unwrap());
        Peer::from(stream)
    }

    /// Wraps a connection the grader accepted (the grader playing the server).
    pub fn from(stream: std::net::TcpStream) -> Peer {
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        Peer { stream }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.stream.local_addr().unwrap()
    }

    /// Sends bytes (all of them).
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        match self.stream.write_all(bytes) {
            Ok(()) => println!("发送 {} 字节：{}", bytes.len(), show(bytes)),
            Err(e) => fail(&format!("发送 {} 字节失败：{}", bytes.len(), io_why(&e))),
        }
    }

    /// Reads exactly `n` bytes, whatever they are.
    #[track_caller]
    pub fn receive(&mut self, n: usize) -> Vec<u8> {
        let mut got = vec![0; n];
        if let Err(e) = self.stream.read_exact(&mut got) {
            fail(&format!(
                "期望在 {} 秒内收到 {n} 字节，但是{}",
                TIMEOUT.as_secs(),
                io_why(&e)
            ));
        }
        println!("收到 {n} 字节：{}", show(&got));
        got
    }

    /// Reads exactly `expected.len()` bytes and compares them.
    #[track_caller]
    pub fn expect(&mut self, expected: &[u8]) {
        let mut got = vec![0; expected.len()];
        let mut n = 0;
        while n < got.len() {
            let why = match self.stream.read(&mut got[n..]) {
                Ok(0) => "对方关闭了连接".to_string(),
                Ok(k) => {
                    n += k;
                    continue;
                }
                Err(e) => io_why(&e),
            };
            fail(&format!(
                "期望在 {} 秒内收到 {} 字节：{}\n但是{why}；在那之前只收到 {n} 字节：{}",
                TIMEOUT.as_secs(),
                expected.len(),
                show(expected),
                show(&got[..n])
            ));
        }
        if got != expected {
            fail(&format!(
                "收到的 {} 字节和期望的不一样：\n{}",
                got.len(),
                expected_vs_got(expected, &got)
            ));
        }
        println!("收到 {} 字节，和期望的一样：{}", got.len(), show(&got));
    }

    /// Reads until the other side closes (or resets); returns everything that came.
    #[track_caller]
    pub fn read_to_close(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        match self.stream.read_to_end(&mut all) {
            Ok(_) => println!("对方关闭了连接，之前收到 {} 字节", all.len()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                println!("对方重置了连接，之前收到 {} 字节", all.len())
            }
            Err(e) => fail(&format!(
                "期望对方在 {} 秒内关闭连接，但是{}；已收到 {}",
                TIMEOUT.as_secs(),
                io_why(&e),
                show(&all)
            )),
        }
        all
    }

    /// Closes our side for writing (the other side reads 0 bytes); reading goes on.
    #[track_caller]
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        println!("关闭了我们这一端的发送方向（对方会读到 0 字节）");
    }
}

/// The grader's UDP socket on 127.0.0.1, for the UDP lessons.
pub struct UdpPeer {
    socket: std::net::UdpSocket,
}

impl UdpPeer {
    pub fn bind() -> UdpPeer {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        UdpPeer { socket }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.socket.local_addr().unwrap()
    }

    /// Sends one datagram.
    #[track_caller]
    pub fn send_to(&self, bytes: &[u8], to: SocketAddr) {
        match self.socket.send_to(bytes, to) {
            Ok(_) => println!(
                "向 {to} 发送一个 {} 字节的数据报：{}",
                bytes.len(),
                show(bytes)
            ),
            Err(e) => fail(&format!("向 {to} 发送数据报失败：{}", io_why(&e))),
        }
    }

    /// Receives one datagram (at most 64 KiB).
    #[track_caller]
    pub fn receive(&self) -> (Vec<u8>, SocketAddr) {
        let mut buf = vec![0; 65536];
        // A wait with a timeout can end early with EINTR (Linux, after the process was stopped
        // and continued): wait again.
        match recv_from(&self.socket, &mut buf) {
            Ok((n, from)) => {
                println!("收到来自 {from} 的 {n} 字节数据报：{}", show(&buf[..n]));
                (buf[..n].to_vec(), from)
            }
            Err(e) => fail(&format!(
                "期望在 {} 秒内收到一个数据报，但是{}",
                TIMEOUT.as_secs(),
                io_why(&e)
            )),
        }
    }

    /// Receives one datagram and compares it; returns who sent it.
    #[track_caller]
    pub fn expect(&self, expected: &[u8]) -> SocketAddr {
        let (got, from) = self.receive();
        if got != expected {
            fail(&format!(
                "收到的数据报和期望的不一样：\n{}",
                expected_vs_got(expected, &got)
            ));
        }
        from
    }
}

// Graded inputs
// ---------------------------------------------------------------------------------------------
// 评分测试的输入（消息、单词、文件名、密码、单词本）每次运行随机生成，学生不能照着例子把答案写死。
// 种子打印在测试日志的开头；`NET_LESSONS_SEED=种子 cargo test 测试名` 重现同一次运行。
// ---------------------------------------------------------------------------------------------

/// The environment variable that fixes the graded tests' random inputs.
pub const SEED_VAR: &str = "NET_LESSONS_SEED";

/// A small seeded generator (splitmix64) for a graded test's inputs. Not for secrets: for
/// inputs that differ from run to run and can be replayed.
pub struct Inputs {
    state: u64,
}

/// The current test's generator: its seed from `NET_LESSONS_SEED` (the grader sets it), else
/// from the clock, mixed with the test's name (so two tests differ); the seed is printed.
pub fn inputs() -> Inputs {
    let seed = std::env::var(SEED_VAR)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos() as u64 ^ d.as_secs());
            nanos % 1_000_000_000
        });
    let test = std::thread::current().name().unwrap_or("").to_string();
    println!("随机种子 {seed}（重现这次运行：{SEED_VAR}={seed} cargo test {test}）");
    // FNV-1a of the test's name, so each test draws its own inputs from the same seed.
    let name = test.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    Inputs { state: seed ^ name }
}

impl Inputs {
    /// The next 64 random bits (splitmix64).
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + (self.next_u64() % (high - low + 1) as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.between(0, items.len() - 1)]
    }

    /// A lowercase ASCII word of `low..=high` letters.
    pub fn word(&mut self, low: usize, high: usize) -> String {
        let len = self.between(low, high);
        (0..len)
            .map(|_| (b'a' + self.between(0, 25) as u8) as char)
            .collect()
    }

    /// `n` different words of 4 to 10 letters.
    pub fn words(&mut self, n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let w = self.word(4, 10);
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// A short message of Chinese and ASCII words separated by spaces (no newline, never
    /// starting with `-`, never just `q`): `网络 kqzt 你好`.
    pub fn message(&mut self) -> String {
        const CHINESE: [&str; 10] = [
            "你好",
            "收到",
            "网络",
            "套接字",
            "端口",
            "消息",
            "测试",
            "世界",
            "再见",
            "数据",
        ];
        let n = self.between(2, 4);
        let parts: Vec<String> = (0..n)
            .map(|_| {
                if self.between(0, 1) == 0 {
                    self.pick(&CHINESE).to_string()
                } else {
                    self.word(3, 8)
                }
            })
            .collect();
        parts.join(" ")
    }

    /// `n` bytes of any value.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

#[cfg(test)]
mod graded_inputs_tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_inputs_and_messages_are_safe_arguments() {
        let mut a = Inputs { state: 42 };
        let mut b = Inputs { state: 42 };
        assert_eq!(a.words(5), b.words(5));
        for _ in 0..200 {
            let m = a.message();
            assert!(
                !m.starts_with('-') && !m.contains('\n') && m != "q",
                "{m:?}"
            );
            assert!((1..=4).contains(&m.split(' ').count()), "{m:?}");
        }
        let n = a.between(3, 5);
        assert!((3..=5).contains(&n));
        assert_ne!(
            Inputs { state: 1 }.next_u64(),
            Inputs { state: 2 }.next_u64()
        );
    }
}
