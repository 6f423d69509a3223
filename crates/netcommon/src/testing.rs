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
/// launcher `py` with the argument `-3`.
fn command(program: &str) -> Command {
    match program {
        "py -3" => {
            let mut py = Command::new("py");
            py.arg("-3");
            py
        }
        _ => Command::new(program),
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

/// A port on 127.0.0.1 that was free a moment ago, for a Python server that needs its port
/// on the command line.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// One side of a conversation with a program under test, for graders: every step is printed
/// ("sent 5 bytes to ...", "expected ... within 10 s; got ..."), and the test harness shows
/// those lines when a test fails.
pub struct Peer {
    stream: std::net::TcpStream,
}

impl Peer {
    /// Connects to a server under test.
    pub fn connect(addr: impl std::fmt::Display) -> Peer {
        let addr = addr.to_string();
        let stream = std::net::TcpStream::connect(&addr)
            .unwrap_or_else(|e| panic!("connecting to {addr}: {e}"));
        println!("connected to {addr} from {}", stream.local_addr().unwrap());
        Peer::from(stream)
    }

    /// Wraps a connection a test accepted (the grader playing the server).
    pub fn from(stream: std::net::TcpStream) -> Peer {
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        Peer { stream }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.stream.local_addr().unwrap()
    }

    /// Sends bytes (all of them).
    pub fn send(&mut self, bytes: &[u8]) {
        match self.stream.write_all(bytes) {
            Ok(()) => println!("sent {} bytes: {}", bytes.len(), show(bytes)),
            Err(e) => panic!("sending {} bytes failed: {e}", bytes.len()),
        }
    }

    /// Reads exactly `n` bytes, whatever they are.
    pub fn receive(&mut self, n: usize) -> Vec<u8> {
        let mut got = vec![0; n];
        if let Err(e) = self.stream.read_exact(&mut got) {
            panic!("expected {n} bytes within {TIMEOUT:?}; got {e}");
        }
        println!("received {n} bytes: {}", show(&got));
        got
    }

    /// Reads exactly `expected.len()` bytes and compares them.
    pub fn expect(&mut self, expected: &[u8]) {
        let mut got = vec![0; expected.len()];
        let mut n = 0;
        while n < got.len() {
            match self.stream.read(&mut got[n..]) {
                Ok(0) => panic!(
                    "expected {} within {TIMEOUT:?}; got the connection closed after {n} bytes: {}",
                    show(expected),
                    show(&got[..n])
                ),
                Ok(k) => n += k,
                Err(e) => panic!(
                    "expected {} within {TIMEOUT:?}; got {e} after {n} bytes: {}",
                    show(expected),
                    show(&got[..n])
                ),
            }
        }
        assert!(
            got == expected,
            "expected {}; got {}",
            show(expected),
            show(&got)
        );
        println!("received {} bytes as expected: {}", got.len(), show(&got));
    }

    /// Reads until the other side closes; returns everything that came.
    pub fn read_to_close(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        match self.stream.read_to_end(&mut all) {
            Ok(_) => println!("the other side closed after {} bytes", all.len()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                println!(
                    "the other side reset the connection after {} bytes",
                    all.len()
                )
            }
            Err(e) => panic!("expected the connection to close within {TIMEOUT:?}; got {e}"),
        }
        all
    }

    /// Closes our side for writing (the other side reads 0 bytes), keeps reading possible.
    pub fn shutdown_write(&mut self) {
        self.stream.shutdown(std::net::Shutdown::Write).unwrap();
        println!("closed our side for writing");
    }
}

/// Bytes for a log line: text when they are UTF-8, else escaped; long ones shortened.
pub fn show(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("{:?}", bytes.escape_ascii().to_string()),
    };
    if text.chars().count() > 80 {
        format!(
            "{}… ({} bytes)",
            text.chars().take(80).collect::<String>(),
            bytes.len()
        )
    } else {
        text
    }
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
