//! Grades a lesson's homework the way GitHub Classroom's command grader does: the graded tests
//! are built once, then each runs alone with a time limit, and its points count only when it
//! passes.
//!
//! Only what the student writes is graded: a fresh template is generated from this repository
//! into a work folder outside the student's folder, and only the student's `<lesson>/src/` is
//! copied into it ([`prepare`]). Everything else the student changed is listed, never used. The
//! build and each test run in the sandbox (sandbox.rs); the test executable stays read-only.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::homework::Homework;
use crate::sandbox::{self, Rules};

/// The most output kept from one stream of a build or a test: past it the program is stopped
/// (a flood of output must not fill the grader's memory).
pub const OUTPUT_CAP: usize = 1 << 20;
/// Memory per process of a graded test (the test and the student's programs).
const TEST_MEMORY_MIB: u64 = 1024;
/// The largest file a graded test or the student's program may write.
const TEST_FILE_MIB: u64 = 64;
/// The largest file the compiler may write (a test executable with its debug info).
const BUILD_FILE_MIB: u64 = 2048;
/// The environment variable that holds the graded tests' random seed (lesson_testing's grade.rs).
pub const SEED_VAR: &str = "NET_LESSONS_SEED";

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
    /// Stopped because it printed more than [`OUTPUT_CAP`].
    pub flooded: bool,
    pub secs: f64,
    /// What the test printed when it failed (its log and the reason).
    pub log: String,
}

pub struct Graded {
    pub build: Build,
    pub outcomes: Vec<Outcome>,
    /// The random seed the graded tests drew their inputs from.
    pub seed: u64,
    /// Build and tests, in seconds.
    pub secs: f64,
}

impl Graded {
    pub fn points(&self) -> u32 {
        self.outcomes.iter().map(|o| o.points).sum()
    }

    pub fn timed_out(&self) -> bool {
        matches!(self.build, Build::TimedOut) || self.outcomes.iter().any(|o| o.timed_out)
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

/// The seed for this grading: `NET_LESSONS_SEED` when set (to replay a grade), else new.
pub fn seed() -> u64 {
    if let Some(seed) = std::env::var(SEED_VAR)
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return seed;
    }
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // Two graders started in the same nanosecond still differ by their process id.
    (nanos ^ (u64::from(std::process::id()) << 32)) % 1_000_000_000
}

/// The lesson a student's folder holds: the first lesson (in `lessons`) with a folder there.
pub fn lesson_in(dir: &Path, lessons: &[String]) -> Option<String> {
    lessons
        .iter()
        .find(|l| dir.join(l).join("Cargo.toml").is_file() || dir.join(l).join("src").is_dir())
        .cloned()
}

/// Files under `dir` (relative, with `/`), without `.git/` and `target/`, skipping symbolic
/// links (never followed: a link could point at any file of the teacher's).
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let Ok(meta) = fs::symlink_metadata(&p) else {
                continue;
            };
            let Ok(rel) = p.strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == ".git" || rel == "target" {
                continue;
            }
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Makes the files under `to` (but `target/`) the same as under `from`: writes only what
/// differs (an unchanged file keeps its time, and cargo its build) and removes what `from`
/// does not have.
fn sync(from: &Path, to: &Path) -> Result<(), String> {
    let wanted = files_under(from);
    for rel in files_under(to) {
        if !wanted.contains(&rel) {
            fs::remove_file(to.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        }
    }
    for rel in &wanted {
        let bytes = fs::read(from.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
        let dst = to.join(rel);
        if fs::read(&dst).ok().as_deref() != Some(&bytes[..]) {
            if let Some(parent) = dst.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            // (A read-only file left by an earlier grade is replaced, not written through.)
            let _ = fs::remove_file(&dst);
            fs::write(&dst, &bytes).map_err(|e| format!("{}: {e}", dst.display()))?;
        }
    }
    Ok(())
}

/// Files a student has no reason to change: a change to one of these is an attempt on the
/// grade (or a mistake), and makes the status 改动了评分文件. The others (the READMEs, the
/// workflow, git's settings) are listed but do not.
pub fn is_graded_file(rel: &str) -> bool {
    !(rel.starts_with("README")
        || rel.starts_with(".github/")
        || rel == ".gitignore"
        || rel == ".gitattributes")
}

/// Sets up `work` for grading the student's folder `student`: the fresh template `fresh` with
/// the student's `<lesson>/src/` in it, and nothing else of the student's. Returns the files the
/// student changed outside `src/` (compared with `fresh`), which are not used.
pub fn prepare(
    fresh: &Path,
    student: &Path,
    work: &Path,
    lesson: &str,
) -> Result<Vec<String>, String> {
    let src = format!("{lesson}/src/");
    let theirs: Vec<String> = files_under(student)
        .into_iter()
        .filter(|f| !f.starts_with(&src))
        .collect();
    let template: Vec<String> = files_under(fresh)
        .into_iter()
        .filter(|f| !f.starts_with(&src))
        .collect();
    let mut changed = Vec::new();
    for rel in &theirs {
        if fs::read(student.join(rel)).ok() != fs::read(fresh.join(rel)).ok() {
            changed.push(rel.clone());
        }
    }
    for rel in template.iter().filter(|f| !theirs.contains(f)) {
        changed.push(format!("{rel}（删除了）"));
    }
    changed.sort();
    fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    sync(fresh, work)?;
    let student_src = student.join(lesson).join("src");
    let work_src = work.join(lesson).join("src");
    if student_src.is_dir() {
        sync(&student_src, &work_src)?;
    }
    Ok(changed)
}

fn cargo() -> PathBuf {
    PathBuf::from(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// A child's end: its status (`None`: stopped at the time limit or for its output), stdout and
/// stderr (at most [`OUTPUT_CAP`] bytes each).
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub secs: f64,
    /// Stopped because it printed more than [`OUTPUT_CAP`] on one stream.
    pub flooded: bool,
}

/// Runs `cmd` with its output captured, stopping it (and everything it started) after `limit`,
/// or as soon as it prints more than [`OUTPUT_CAP`] bytes on stdout or stderr.
pub fn run_limited(mut cmd: Command, limit: Duration) -> Result<Ran, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("running {cmd:?}: {e}"))?;
    let flooded = Arc::new(AtomicBool::new(false));
    let out = gather(child.stdout.take(), Arc::clone(&flooded));
    let err = gather(child.stderr.take(), Arc::clone(&flooded));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < limit && !flooded.load(Ordering::Relaxed) => {
                thread::sleep(Duration::from_millis(20))
            }
            _ => break None,
        }
    };
    // Also after a normal end: a student's server left behind by a crashed test dies here.
    kill_tree(&mut child);
    let _ = child.wait();
    // (A flooding program may end by itself when the reading stops: it still was stopped.)
    let flooded = flooded.load(Ordering::Relaxed);
    let status = if flooded { None } else { status };
    Ok(Ran {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        secs: started.elapsed().as_secs_f64(),
        flooded,
    })
}

/// Reads a stream to its end through a fixed buffer, keeping at most [`OUTPUT_CAP`] bytes; past
/// that it raises `flooded` and stops reading (the caller then stops the program).
fn gather(
    stream: Option<impl Read + Send + 'static>,
    flooded: Arc<AtomicBool>,
) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0; 8192];
        if let Some(mut s) = stream {
            loop {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) if kept.len() + n > OUTPUT_CAP => {
                        kept.extend_from_slice(&buf[..OUTPUT_CAP - kept.len()]);
                        flooded.store(true, Ordering::Relaxed);
                        break;
                    }
                    Ok(n) => kept.extend_from_slice(&buf[..n]),
                }
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}

/// Stops `child` and every process it started (its process group on Unix, its tree on Windows;
/// under bubblewrap, ending bwrap ends its whole PID namespace).
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

/// Makes `file` writable by its owner again, or read-only for everyone.
fn set_writable(file: &Path, writable: bool) {
    let Ok(meta) = fs::metadata(file) else {
        return;
    };
    let mut perms = meta.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = perms.mode();
        perms.set_mode(if writable {
            mode | 0o200
        } else {
            mode & !0o222
        });
    }
    #[cfg(not(unix))]
    #[allow(clippy::permissions_set_readonly_false)] // (Windows: only the owner's flag)
    perms.set_readonly(!writable);
    let _ = fs::set_permissions(file, perms);
}

/// The test executable's size and time after the build: a change means something replaced it.
fn stamp(exe: &Path) -> Option<(u64, SystemTime)> {
    let meta = fs::metadata(exe).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Builds the graded tests of the workspace at `root` in `target` (default: `CARGO_TARGET_DIR`,
/// else `root/target`), inside the sandbox, then runs `tests` one at a time, each in a sandbox
/// of its own with the random `seed`. With `echo`, says what it does as it goes.
pub fn run(
    root: &Path,
    hw: &Homework,
    tests: &[&str],
    target: Option<&Path>,
    limits: &Limits,
    seed: u64,
    echo: bool,
) -> Result<Graded, String> {
    let started = Instant::now();
    let target = match target {
        Some(t) => t.to_path_buf(),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target")),
    };
    fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    // The dependencies, fetched outside the sandbox (which has no network). The manifests and
    // the lock are the template's, never the student's: nothing of the student's runs here.
    let mut fetch = Command::new(cargo());
    fetch
        .args(["fetch", "--locked", "-q", "--manifest-path"])
        .arg(root.join("Cargo.toml"));
    let fetched = run_limited(fetch, limits.build)?;
    if !fetched.status.is_some_and(|s| s.success()) {
        return Err(format!(
            "下载依赖失败（cargo fetch）：{}",
            fetched.stderr.trim()
        ));
    }
    let args: Vec<OsString> = [
        "test",
        "--no-run",
        "--offline",
        "--locked",
        "--message-format=json-render-diagnostics",
        "-p",
        &hw.lesson,
        "--test",
        "grade",
        "--manifest-path",
    ]
    .iter()
    .map(OsString::from)
    .chain([root.join("Cargo.toml").into_os_string()])
    .collect();
    let rules = Rules {
        readable: &[root],
        writable: &[&target],
        memory_mib: None,
        file_mib: BUILD_FILE_MIB,
    };
    // The graded tests left read-only by an earlier grading: the compiler may replace them.
    for dir in ["debug/deps", "debug"] {
        for e in fs::read_dir(target.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            if e.file_name().to_string_lossy().starts_with("grade-") {
                set_writable(&e.path(), true);
            }
        }
    }
    let mut build = sandbox::command(&cargo(), &args, root, &rules);
    build.env("CARGO_TARGET_DIR", &target);
    if echo {
        println!("编译评分测试……");
    }
    let mark = sandbox::mark_of(&build);
    let built = run_limited(build, limits.build)?;
    sandbox::sweep(&mark);
    let failed = |build| Graded {
        build,
        outcomes: tests
            .iter()
            .map(|t| Outcome {
                test: t.to_string(),
                points: 0,
                passed: false,
                timed_out: false,
                flooded: false,
                secs: 0.0,
                log: String::new(),
            })
            .collect(),
        seed,
        secs: started.elapsed().as_secs_f64(),
    };
    let exe = match (&built.status, grade_executable(&built.stdout)) {
        (None, _) if built.flooded => {
            return Ok(failed(Build::Failed(
                "编译器的输出超过 1 MiB，已停止".into(),
            )))
        }
        (None, _) => return Ok(failed(Build::TimedOut)),
        (Some(s), Some(exe)) if s.success() => exe,
        _ => return Ok(failed(Build::Failed(first_error(&built.stderr)))),
    };
    // Read-only for the tests: under bubblewrap the whole build is; without it, at least the
    // executable, and its size and time are checked before every test.
    set_writable(&exe, false);
    let built_stamp = stamp(&exe);
    let mut outcomes = Vec::new();
    let tests_started = Instant::now();
    for test in tests {
        let left = limits.tests.saturating_sub(tests_started.elapsed());
        if left.is_zero() {
            outcomes.push(Outcome {
                test: test.to_string(),
                points: 0,
                passed: false,
                timed_out: true,
                flooded: false,
                secs: 0.0,
                log: format!(
                    "{test}：没有运行，这份作业的测试一共只有 {} 秒，已经用完了。",
                    limits.tests.as_secs()
                ),
            });
            continue;
        }
        if stamp(&exe) != built_stamp {
            outcomes.push(Outcome {
                test: test.to_string(),
                points: 0,
                passed: false,
                timed_out: false,
                flooded: false,
                secs: 0.0,
                log: format!("{test}：没有运行，评分用的测试程序在评分中途被改动或替换了。"),
            });
            continue;
        }
        let points = hw
            .tests
            .iter()
            .find(|t| t.name == *test)
            .map_or(0, |t| t.points);
        let rules = Rules {
            readable: &[root, &target],
            writable: &[],
            memory_mib: Some(TEST_MEMORY_MIB),
            file_mib: TEST_FILE_MIB,
        };
        let args: Vec<OsString> = ["--exact", test, "--test-threads=1"]
            .iter()
            .map(OsString::from)
            .collect();
        let mut cmd = sandbox::command(&exe, &args, &package_dir(root, &hw.lesson), &rules);
        // No backtraces: the tail of the student's stderr must show the panic's own line.
        cmd.env("RUST_BACKTRACE", "0")
            .env("RUST_LIB_BACKTRACE", "0")
            .env(SEED_VAR, seed.to_string());
        let mark = sandbox::mark_of(&cmd);
        let ran = run_limited(cmd, limits.test.min(left))?;
        sandbox::sweep(&mark);
        let passed = ran.status.is_some_and(|s| s.success());
        let timed_out = ran.status.is_none() && !ran.flooded;
        let log = if passed {
            String::new()
        } else if ran.flooded {
            format!(
                "{test}：输出超过 {} MiB，已被停止（程序可能在一个循环里不停地打印）。\n{}",
                OUTPUT_CAP >> 20,
                tail(&ran.stdout, 20)
            )
        } else if timed_out {
            format!(
                "{test}：{} 秒内没有结束，已被停止（程序可能卡在等待上：没有关闭连接、没有回复，或者在等键盘输入）。",
                limits.test.min(left).as_secs()
            )
        } else {
            let mut log = failure_log(test, &ran.stdout);
            // The test process itself crashed (no failure report of its own): say how.
            if !ran.stdout.contains(&format!("---- {test} stdout ----")) {
                let stderr: Vec<String> = tail(&ran.stderr, 6)
                    .lines()
                    .map(|l| l.chars().take(300).collect())
                    .collect();
                log += &format!(
                    "\n评分测试自己没有正常结束（{}）。它的 stderr 最后几行：\n{}",
                    how_it_ended(ran.status),
                    stderr.join("\n")
                );
                if ran.stderr.contains("memory allocation") {
                    log += &format!(
                        "\n内存超过了每个进程 {TEST_MEMORY_MIB} MiB 的上限：学生的程序可能打印了太多东西，或者占用了太多内存。"
                    );
                }
            }
            log
        };
        if echo {
            println!(
                "{test}：{}（{:.1} 秒）",
                verdict(passed, timed_out, ran.flooded),
                ran.secs
            );
            if !log.is_empty() {
                println!("{log}\n");
            }
        }
        outcomes.push(Outcome {
            test: test.to_string(),
            points: if passed { points } else { 0 },
            passed,
            timed_out,
            flooded: ran.flooded,
            secs: ran.secs,
            log,
        });
    }
    Ok(Graded {
        build: Build::Ok,
        outcomes,
        seed,
        secs: started.elapsed().as_secs_f64(),
    })
}

/// `退出码 1` or `被信号 6 结束`.
fn how_it_ended(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "被停止".into();
    };
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("被信号 {signal} 结束");
    }
    match status.code() {
        Some(code) => format!("退出码 {code}"),
        None => "被结束".into(),
    }
}

fn verdict(passed: bool, timed_out: bool, flooded: bool) -> &'static str {
    match (passed, timed_out, flooded) {
        (true, _, _) => "通过",
        (false, _, true) => "输出过多",
        (false, true, _) => "超时",
        _ => "失败",
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
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
        pad("结果", 8)
    );
    for o in &graded.outcomes {
        let max = hw
            .tests
            .iter()
            .find(|t| t.name == o.test)
            .map_or(0, |t| t.points);
        let result = match &graded.build {
            Build::Ok => verdict(o.passed, o.timed_out, o.flooded),
            _ => "未运行",
        };
        println!(
            "{}  {}  {}  {:.1} 秒",
            pad(&o.test, width),
            pad(&format!("{:>3}/{max}", o.points), 7),
            pad(result, 8),
            o.secs
        );
    }
    println!(
        "随机种子 {seed}（重现这次评分：{SEED_VAR}={seed} cargo xtask grade ...）；共用时 {:.1} 秒",
        graded.secs,
        seed = graded.seed
    );
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
    #[cfg(unix)]
    fn a_flood_of_output_is_cut() {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("while :; do echo flooding flooding flooding; done");
        let ran = run_limited(cmd, Duration::from_secs(30)).unwrap();
        assert!(ran.flooded && ran.status.is_none());
        assert!(ran.secs < 10.0, "{}", ran.secs);
        assert_eq!(ran.stdout.len(), OUTPUT_CAP);
    }

    #[test]
    fn only_the_students_src_is_copied_and_the_rest_is_listed() {
        let base = std::env::temp_dir().join(format!("xtask-prepare-{}", std::process::id()));
        let (fresh, student, work) = (base.join("fresh"), base.join("student"), base.join("work"));
        let put = |dir: &Path, rel: &str, text: &str| {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        for dir in [&fresh, &student] {
            put(dir, "Cargo.toml", "[workspace]");
            put(dir, "demo/src/main.rs", "todo");
            put(dir, "demo/tests/grade.rs", "real tests");
            put(dir, "README.md", "read me");
        }
        put(&student, "demo/src/main.rs", "solved");
        put(&student, "demo/src/extra.rs", "mod");
        put(&student, "demo/tests/grade.rs", "fake tests");
        put(&student, "demo/build.rs", "cheat");
        put(&student, "target/debug/x", "ignored");
        fs::remove_file(student.join("README.md")).unwrap();
        put(&work, "demo/src/old.rs", "from the student before");
        let changed = prepare(&fresh, &student, &work, "demo").unwrap();
        let read = |rel: &str| fs::read_to_string(work.join(rel)).ok();
        assert_eq!(
            changed,
            [
                "README.md（删除了）",
                "demo/build.rs",
                "demo/tests/grade.rs"
            ]
        );
        assert_eq!(read("demo/src/main.rs").as_deref(), Some("solved"));
        assert_eq!(read("demo/src/extra.rs").as_deref(), Some("mod"));
        assert_eq!(read("demo/src/old.rs"), None);
        assert_eq!(read("demo/tests/grade.rs").as_deref(), Some("real tests"));
        assert_eq!(read("demo/build.rs"), None);
        assert_eq!(read("README.md").as_deref(), Some("read me"));
        assert!(!is_graded_file("README.md") && is_graded_file("demo/build.rs"));
        let _ = fs::remove_dir_all(&base);
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
