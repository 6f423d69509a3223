//! Grades a lesson's homework the way GitHub Classroom's command grader does: the graded tests
//! are built once, then each runs alone with a time limit, and its points count only when it
//! passes. Before that, the reference tests of this repository are put back in the student's
//! folder, so editing the tests there changes nothing.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::homework::{self, Homework};

/// How the graded tests were built.
pub enum Build {
    Ok,
    /// The compiler's first error.
    Failed(String),
    TimedOut,
}

pub struct Outcome {
    pub test: String,
    pub points: u32,
    pub passed: bool,
    pub timed_out: bool,
    pub secs: f64,
    /// What the test printed when it failed (its log and the reason).
    pub log: String,
}

pub struct Graded {
    pub build: Build,
    pub outcomes: Vec<Outcome>,
}

impl Graded {
    pub fn points(&self) -> u32 {
        self.outcomes.iter().map(|o| o.points).sum()
    }
}

/// How to grade.
pub struct Limits {
    /// For building the graded tests.
    pub build: Duration,
    /// For each graded test.
    pub test: Duration,
    /// For all the graded tests of one student together: past it, the tests not run yet score 0.
    pub tests: Duration,
}

/// The package folder of `lesson` in the workspace at `root`: `crates/<lesson>` in this
/// repository, `<lesson>` in a template.
pub fn package_dir(root: &Path, lesson: &str) -> PathBuf {
    let in_repo = root.join("crates").join(lesson);
    if in_repo.is_dir() {
        in_repo
    } else {
        root.join(lesson)
    }
}

/// Puts this repository's graded tests (`tests/grade.rs`, `tests/py/`) and the graders' helpers
/// (`netcommon/src/testing.rs`) into the student's folder `dir`. Returns the files that were
/// different there.
pub fn restore(repo: &Path, hw: &Homework, dir: &Path) -> Result<Vec<String>, String> {
    let lesson = homework::lesson_dir(repo, &hw.lesson);
    let mut pairs = vec![(
        repo.join("crates/netcommon/src/testing.rs"),
        "netcommon/src/testing.rs".to_string(),
    )];
    let mut stack = vec![lesson.join("tests")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .flatten()
        {
            let p = e.path();
            let rel = p.strip_prefix(&lesson).map_err(|e| e.to_string())?;
            if p.is_dir() {
                stack.push(p.clone());
            } else if rel.starts_with("tests/grade.rs") || rel.starts_with("tests/py") {
                let rel = rel.to_string_lossy().replace('\\', "/");
                pairs.push((p.clone(), format!("{}/{rel}", hw.lesson)));
            }
        }
    }
    let mut changed = Vec::new();
    for (from, rel) in pairs {
        let to = dir.join(&rel);
        let reference = fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        if fs::read(&to).ok().as_deref() != Some(&reference[..]) {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&to, &reference).map_err(|e| format!("{}: {e}", to.display()))?;
            changed.push(rel);
        }
    }
    changed.sort();
    Ok(changed)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// A child's end: its status (`None`: stopped at the time limit), stdout and stderr.
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub secs: f64,
}

/// Runs `cmd` with its output captured, stopping it (and everything it started) after `limit`.
pub fn run_limited(mut cmd: Command, limit: Duration) -> Result<Ran, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("running {cmd:?}: {e}"))?;
    let out = gather(child.stdout.take());
    let err = gather(child.stderr.take());
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(20)),
            _ => break None,
        }
    };
    // Also after a normal end: a student's server left behind by a crashed test dies here.
    kill_tree(&mut child);
    let _ = child.wait();
    Ok(Ran {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        secs: started.elapsed().as_secs_f64(),
    })
}

fn gather(stream: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Stops `child` and every process it started (its process group on Unix, its tree on Windows).
fn kill_tree(child: &mut Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    #[cfg(windows)]
    let _ = Command::new("taskkill")
        .args(["/F", "/T", "/PID", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
}

/// The compiler's first error in cargo's output: from its `error` line to the next empty line.
pub fn first_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("error")) else {
        return stderr.lines().rev().take(10).collect::<Vec<_>>().join("\n");
    };
    let end = lines[start..]
        .iter()
        .position(|l| l.trim().is_empty())
        .map_or(lines.len(), |n| start + n);
    lines[start..end.min(start + 30)].join("\n")
}

/// The path of the test executable named `grade` in cargo's JSON messages.
fn grade_executable(json: &str) -> Option<PathBuf> {
    let line = json.lines().find(|l| {
        l.contains("\"reason\":\"compiler-artifact\"")
            && l.contains("\"name\":\"grade\"")
            && l.contains("\"kind\":[\"test\"]")
    })?;
    let start = line.find("\"executable\":\"")? + "\"executable\":\"".len();
    let mut path = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(PathBuf::from(path)),
            '\\' => path.push(chars.next()?),
            c => path.push(c),
        }
    }
    None
}

/// Builds the graded tests of the workspace at `root` (in `target`, or cargo's default), then
/// runs `tests` one at a time. With `echo`, says what it does as it goes.
pub fn run(
    root: &Path,
    hw: &Homework,
    tests: &[&str],
    target: Option<&Path>,
    limits: &Limits,
    echo: bool,
) -> Result<Graded, String> {
    let mut build = cargo();
    build
        .args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["-p", &hw.lesson, "--test", "grade"]);
    if let Some(target) = target {
        build.env("CARGO_TARGET_DIR", target);
    }
    if echo {
        println!("编译评分测试……");
    }
    let built = run_limited(build, limits.build)?;
    let failed = |build| Graded {
        build,
        outcomes: tests
            .iter()
            .map(|t| Outcome {
                test: t.to_string(),
                points: 0,
                passed: false,
                timed_out: false,
                secs: 0.0,
                log: String::new(),
            })
            .collect(),
    };
    let exe = match (&built.status, grade_executable(&built.stdout)) {
        (None, _) => return Ok(failed(Build::TimedOut)),
        (Some(s), Some(exe)) if s.success() => exe,
        _ => return Ok(failed(Build::Failed(first_error(&built.stderr)))),
    };
    let mut outcomes = Vec::new();
    let started = Instant::now();
    for test in tests {
        let left = limits.tests.saturating_sub(started.elapsed());
        if left.is_zero() {
            outcomes.push(Outcome {
                test: test.to_string(),
                points: 0,
                passed: false,
                timed_out: true,
                secs: 0.0,
                log: format!(
                    "{test}：没有运行，这份作业的测试一共只有 {} 秒，已经用完了。",
                    limits.tests.as_secs()
                ),
            });
            continue;
        }
        let points = hw
            .tests
            .iter()
            .find(|t| t.name == *test)
            .map_or(0, |t| t.points);
        let mut cmd = Command::new(&exe);
        cmd.args(["--exact", test, "--test-threads=1"])
            .env("RUST_BACKTRACE", "0")
            .current_dir(package_dir(root, &hw.lesson));
        let ran = run_limited(cmd, limits.test.min(left))?;
        let passed = ran.status.is_some_and(|s| s.success());
        let timed_out = ran.status.is_none();
        let log = if passed {
            String::new()
        } else if timed_out {
            format!(
                "{test}：{} 秒内没有结束，已被停止（程序可能卡在等待上：没有关闭连接、没有回复，或者在等键盘输入）。",
                limits.test.as_secs()
            )
        } else {
            failure_log(test, &ran.stdout)
        };
        if echo {
            let verdict = if passed {
                "通过"
            } else if timed_out {
                "超时"
            } else {
                "失败"
            };
            println!("{test}：{verdict}（{:.1} 秒）", ran.secs);
            if !log.is_empty() {
                println!("{log}\n");
            }
        }
        outcomes.push(Outcome {
            test: test.to_string(),
            points: if passed { points } else { 0 },
            passed,
            timed_out,
            secs: ran.secs,
            log,
        });
    }
    Ok(Graded {
        build: Build::Ok,
        outcomes,
    })
}

/// From the test harness's output, the failing test's own part: its log and the reason.
fn failure_log(test: &str, stdout: &str) -> String {
    let start = stdout.find(&format!("---- {test} stdout ----"));
    let part = match start {
        Some(at) => {
            let rest = &stdout[at..];
            let end = rest.find("\nfailures:\n").unwrap_or(rest.len());
            &rest[..end]
        }
        None => stdout,
    };
    part.trim_end()
        .lines()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many terminal columns `text` takes (a Chinese character takes two).
pub fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| if c >= '\u{1100}' { 2 } else { 1 })
        .sum()
}

/// `text` padded with spaces to `width` terminal columns.
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// The table, then `Points X/Y` last. Returns true when every test passed.
pub fn report(hw: &Homework, graded: &Graded) -> bool {
    let total = hw.total();
    match &graded.build {
        Build::Ok => {}
        Build::Failed(error) => {
            println!("\n编译失败，所以每个测试都是 0 分。编译器报告的第一个错误：\n\n{error}\n");
        }
        Build::TimedOut => println!("\n编译超时，所以每个测试都是 0 分。"),
    }
    let width = graded
        .outcomes
        .iter()
        .map(|o| o.test.len())
        .max()
        .unwrap_or(4);
    println!(
        "\n{}  {}  {}  用时",
        pad("测试", width),
        pad("得分", 7),
        pad("结果", 6)
    );
    for o in &graded.outcomes {
        let max = hw
            .tests
            .iter()
            .find(|t| t.name == o.test)
            .map_or(0, |t| t.points);
        let result = match (&graded.build, o.passed, o.timed_out) {
            (Build::Ok, true, _) => "通过",
            (Build::Ok, false, true) => "超时",
            (Build::Ok, false, false) => "失败",
            _ => "未运行",
        };
        println!(
            "{}  {}  {}  {:.1} 秒",
            pad(&o.test, width),
            pad(&format!("{:>3}/{max}", o.points), 7),
            pad(result, 6),
            o.secs
        );
    }
    println!("Points {}/{total}", graded.points());
    matches!(graded.build, Build::Ok) && graded.outcomes.iter().all(|o| o.passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)] // the command is a POSIX shell's
    fn a_hanging_command_is_stopped_with_what_it_started() {
        let mut cmd = Command::new("sh");
        // A child in the background (its PID printed first), and a long wait.
        cmd.arg("-c").arg("sleep 30 & echo $!; sleep 30");
        let ran = run_limited(cmd, Duration::from_millis(500)).unwrap();
        assert!(ran.status.is_none(), "stopped at the limit");
        assert!(ran.secs < 10.0, "{}", ran.secs);
        let pid = ran.stdout.trim();
        assert!(pid.parse::<u32>().is_ok(), "{:?}", ran.stdout);
        // The background child was stopped too: `ps` finds no such process (or a zombie,
        // dead but not yet reaped by whoever adopted it).
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let ps = Command::new("ps")
                .args(["-o", "stat=", "-p", pid])
                .output()
                .unwrap();
            let state = String::from_utf8_lossy(&ps.stdout);
            if state.trim().is_empty() || state.trim().starts_with('Z') {
                break;
            }
            assert!(Instant::now() < deadline, "{pid} still running: {state}");
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn finds_the_first_compiler_error() {
        let out = "   Compiling x v0.1.0\nwarning: unused\n\nerror[E0425]: cannot find value `y`\n --> src/main.rs:3:5\n  |\n3 |     y\n\nerror: aborting\n";
        assert_eq!(
            first_error(out),
            "error[E0425]: cannot find value `y`\n --> src/main.rs:3:5\n  |\n3 |     y"
        );
    }

    #[test]
    fn finds_the_test_executable() {
        let json = "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],\"name\":\"x\"},\"executable\":\"/t/x\"}\n{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"test\"],\"crate_types\":[\"bin\"],\"name\":\"grade\"},\"executable\":\"C:\\\\t\\\\grade-1.exe\",\"fresh\":true}\n";
        assert_eq!(
            grade_executable(json),
            Some(PathBuf::from("C:\\t\\grade-1.exe"))
        );
    }
}
