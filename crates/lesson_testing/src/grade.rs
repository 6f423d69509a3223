//! The homework graders' pieces: the student's program ([`Student`], [`Ended`]), failures and
//! log lines in Chinese ([`fail`], [`check`], [`show`], [`expected_vs_got`]), and the seeded
//! random inputs ([`Inputs`]) that keep a student from hard-coding the answers.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::program::{any_port_args, Captured, Program, TIMEOUT};

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

    /// [`Student::server`] on a port the system picks: `exe BEFORE --bind 127.0.0.1:0 AFTER`.
    #[track_caller]
    pub fn server_on_any_port(exe: &str, before: &[&str], after: &[&str]) -> (Student, SocketAddr) {
        Student::server(exe, &any_port_args(before, after))
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

    /// Joins the thread of a server the grader played ([`Peer::serve_one`](crate::Peer::serve_one))
    /// once the student's client has ended: a check that failed on that side fails the test,
    /// with what the client printed.
    #[track_caller]
    pub fn after_server(&self, server: thread::JoinHandle<()>) {
        if server.join().is_err() {
            self.fail("评分程序扮演的服务器没有收到期望的内容，或者连接出了问题（见上面的记录）");
        }
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
