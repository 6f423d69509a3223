//! Starting and watching programs: a lesson's binary, an example, or one of the notes' Python
//! programs. Stdin, stdout and stderr are piped; what the program prints is gathered on threads
//! and waited for with a deadline. Also Python discovery and SPEC's command-line checks.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::chinese::CHINESE;

/// How long any single wait in a test may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that makes the Python interop tests mandatory (CI sets it).
pub const REQUIRE_PYTHON: &str = "NET_LESSONS_REQUIRE_PYTHON";
/// Text a child prints, gathered by a reader thread.
#[derive(Default)]
pub(crate) struct Captured {
    pub(crate) text: Mutex<(String, bool)>, // (everything so far, stream closed)
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

    pub(crate) fn snapshot(&self) -> String {
        self.text.lock().unwrap().0.clone()
    }

    /// Waits until the text from `from` on contains `needle`; returns the end of the line
    /// holding it (or the end of the text when that line is not finished).
    /// With `panics` (the program's stderr), gives up as soon as the program reports a panic
    /// (a `todo!()` in a homework template, say): a failing test fails fast, not by timeout.
    pub(crate) fn wait_for(
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

    pub(crate) fn wait_closed(&self, deadline: Instant) -> bool {
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
    pub(crate) child: Child,
    pub(crate) stdin: Option<ChildStdin>,
    pub(crate) stdout: Arc<Captured>,
    pub(crate) stderr: Arc<Captured>,
    /// How much of stdout the test has already looked at.
    pub(crate) seen: usize,
}

/// How a program ended and everything it printed.
#[derive(Debug)]
pub struct Finished {
    /// The exit code; `None` if it was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Checks of how a program ended, each failing the test with everything it printed. They return
/// the same [`Finished`], so that they chain:
/// `run(EXE, &["--count", "x"], "").expect_code(2).expect_stderr_start("error: ");`.
impl Finished {
    /// It exited with `code` (SPEC: 0 done, 1 an error at run time, 2 a bad command line).
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Finished {
        assert_eq!(self.code, Some(code), "{self:?}");
        self
    }

    /// Its stdout starts with `prefix`.
    #[track_caller]
    pub fn expect_stdout_start(&self, prefix: &str) -> &Finished {
        assert!(self.stdout.starts_with(prefix), "{prefix:?}: {self:?}");
        self
    }

    /// Its stdout ends with `suffix`.
    #[track_caller]
    pub fn expect_stdout_end(&self, suffix: &str) -> &Finished {
        assert!(self.stdout.ends_with(suffix), "{suffix:?}: {self:?}");
        self
    }

    /// Its stdout holds `text` somewhere.
    #[track_caller]
    pub fn expect_stdout_has(&self, text: &str) -> &Finished {
        assert!(self.stdout.contains(text), "{text:?}: {self:?}");
        self
    }

    /// Its stderr starts with `prefix`.
    #[track_caller]
    pub fn expect_stderr_start(&self, prefix: &str) -> &Finished {
        assert!(self.stderr.starts_with(prefix), "{prefix:?}: {self:?}");
        self
    }

    /// Its stderr is `whole`, to the letter.
    #[track_caller]
    pub fn expect_stderr(&self, whole: &str) -> &Finished {
        assert_eq!(self.stderr, whole, "{self:?}");
        self
    }

    /// Its stderr holds `text` somewhere.
    #[track_caller]
    pub fn expect_stderr_has(&self, text: &str) -> &Finished {
        assert!(self.stderr.contains(text), "{text:?}: {self:?}");
        self
    }
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

    /// [`Program::server`] on a port the system picks: runs `program BEFORE --bind 127.0.0.1:0
    /// AFTER` (`before` a subcommand such as `server`, or nothing).
    pub fn server_on_any_port(
        program: &str,
        before: &[&str],
        after: &[&str],
    ) -> (Program, SocketAddr) {
        Program::server(program, &any_port_args(before, after))
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

/// `BEFORE --bind 127.0.0.1:0 AFTER`: a server's command line on a port the system picks.
pub fn any_port_args<'a>(before: &[&'a str], after: &[&'a str]) -> Vec<&'a str> {
    [before, &["--bind", "127.0.0.1:0"], after].concat()
}

/// Runs a program to the end with `stdin` as its input.
pub fn run(program: &str, args: &[&str], stdin: &str) -> Finished {
    run_in(".", program, args, stdin)
}

/// Runs `program client ADDR EXTRA...` to its end with no input: the lessons whose one program is
/// both the server and the client.
pub fn run_client(program: &str, addr: impl std::fmt::Display, extra: &[&str]) -> Finished {
    let addr = addr.to_string();
    run(
        program,
        &[&["client", addr.as_str()][..], extra].concat(),
        "",
    )
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
/// answers `--help` as SPEC says: its usage on stdout, starting `usage: `, exit 0; and refuses
/// an option it does not know: `error: ...` and its usage on stderr, exit 2. The examples are
/// found in the crate's `examples/` folder, none listed by hand; `cargo test` has built them.
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
        let usage = help.stdout.lines().next().unwrap_or_default();
        let wrong = run(&example(&name), &["--no-such-option"], "");
        assert_eq!(wrong.code, Some(2), "{name} --no-such-option: {wrong:?}");
        assert!(
            wrong.stderr.starts_with("error: ") && wrong.stderr.contains(usage),
            "{name} --no-such-option: {wrong:?}"
        );
    }
}

/// Checks that `program` refuses one positional word more than it takes (`args`, ending in
/// that word) with `error: ...`, exit 2, and names the word.
pub fn check_extra_word_refused(program: &str, args: &[&str]) {
    let out = run(program, args, "");
    let extra = args.last().copied().unwrap_or_default();
    assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
    assert!(
        out.stderr.starts_with("error: ") && out.stderr.contains(&format!("{extra:?}")),
        "{args:?}: {out:?}"
    );
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

/// [`check_busy_bind`] on an address it holds itself for the test: a TCP port, or with `udp` a
/// UDP one.
pub fn check_port_taken(program: &str, args: &[&str], udp: bool) {
    let (_tcp, _udp, busy) = hold_a_port(udp);
    check_busy_bind(program, args, busy);
}

/// A port on 127.0.0.1 held by a socket of the test's own (TCP, or with `udp` UDP), for a
/// program told to bind it: keep both sockets alive while it tries.
pub(crate) fn hold_a_port(
    udp: bool,
) -> (
    Option<std::net::TcpListener>,
    Option<std::net::UdpSocket>,
    SocketAddr,
) {
    if udp {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        (None, Some(socket), addr)
    } else {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        (Some(listener), None, addr)
    }
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
    let found = *PYTHON.get_or_init(find_python3);
    if found.is_none() {
        let tried = format!("python3 not found (tried {})", PYTHONS.join(", "));
        missing(&tried, REQUIRE_PYTHON);
    }
    found
}

/// The Python 3 that the interop tests run, for [`run`] or [`Program::start`]. These tests are
/// marked `#[cfg_attr(not(python), ignore = …)]`: the build found no Python 3 where they are
/// ignored, so a test that runs and finds none fails here instead of passing without a check.
pub fn python() -> &'static str {
    let found = *PYTHON.get_or_init(find_python3);
    found.unwrap_or_else(|| {
        let tried = PYTHONS.join(", ");
        panic!("python3 not found (tried {tried}), though the build found one: is PATH the same?")
    })
}

/// [`python3`]'s answer, looked up once for all the tests of a test binary.
static PYTHON: OnceLock<Option<&'static str>> = OnceLock::new();

fn find_python3() -> Option<&'static str> {
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
/// [`in_chinese`](crate::in_chinese).
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

/// Starts the notes' Python program `script` (a path) with [`python`], its port on its command
/// line, on a free port (see [`start_on_free_port`]); `ready` is what it prints once its socket
/// is bound. Returns it and its address, 127.0.0.1:PORT.
pub fn python_on_free_port(script: &str, ready: &str) -> (Program, SocketAddr) {
    let start = |port: u16| Program::start(python(), &[script, &port.to_string()]);
    let (p, port) = start_on_free_port(start, ready);
    (p, SocketAddr::from(([127, 0, 0, 1], port)))
}

/// Where the notes' Python programs are: `python/notes/` of the workspace, ending in `/`.
pub const NOTES_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../python/notes/");

/// Where our own Python programs are: `python/ours/` of the workspace, ending in `/`.
pub const OUR_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../python/ours/");

/// Runs the Python program `script` (a path, e.g. `format!("{NOTES_PY}003_tcp_client.py")`) with
/// [`python`] to its end, the port of `addr` as its one argument and `stdin` as its input: how
/// the notes' clients are told where the server is.
pub fn run_python_on_port(script: &str, addr: SocketAddr, stdin: &str) -> Finished {
    run(python(), &[script, &addr.port().to_string()], stdin)
}

/// Starts the Python program `script` (a path) with [`python`], the port of `addr` as its one
/// argument: [`run_python_on_port`] for a client the test talks to while it runs.
pub fn start_python_on_port(script: &str, addr: SocketAddr) -> Program {
    Program::start(python(), &[script, &addr.port().to_string()])
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
pub(crate) fn missing(why: &str, required_by: &str) {
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

/// A port on 127.0.0.1 where nothing listens, for a test of a refused connection: port 1
/// (tcpmux, long unused). A port that was free a moment ago ([`free_port`]) may be given to a
/// server another test starts meanwhile; port 1 never is (port 0 gives ports from 1024 up).
pub fn closed_port() -> u16 {
    1
}

/// A port on 127.0.0.1 that was free a moment ago, for a Python server that needs its port
/// on the command line (start it with [`start_on_free_port`]).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

#[cfg(test)]
mod finished_checks_tests {
    use super::Finished;

    fn ended(code: i32, stdout: &str, stderr: &str) -> Finished {
        Finished {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn checks_that_hold_chain() {
        ended(1, "reply: hi\n", "error: no reply\n")
            .expect_code(1)
            .expect_stdout_start("reply")
            .expect_stdout_end("hi\n")
            .expect_stdout_has(": h")
            .expect_stderr_start("error: ")
            .expect_stderr_has("no reply");
    }

    #[test]
    #[should_panic(expected = "left: Some(0)")]
    fn another_exit_code_fails() {
        ended(0, "", "").expect_code(2);
    }

    #[test]
    #[should_panic(expected = "\"error: \"")]
    fn a_missing_prefix_fails() {
        ended(2, "error: on stdout", "").expect_stderr_start("error: ");
    }

    #[test]
    #[should_panic(expected = "\"bye\"")]
    fn missing_text_fails() {
        ended(0, "hello", "").expect_stdout_has("bye");
    }
}
