//! Where a student's code is built and run when grading. The platform-specific part of grading
//! lives here and nowhere else.
//!
//! - Linux with bubblewrap (`bwrap`): the whole file system read-only except the folders the
//!   caller names and a fresh `/tmp`; a network namespace of its own (loopback only: the graded
//!   tests talk over 127.0.0.1); a PID namespace, so nothing the student started outlives it
//!   (not even a process in a session of its own); and the limits below.
//! - Other Unix, or Linux without a working bwrap: only the limits below (`ulimit` in `sh`), in
//!   a process group that is killed at the end. On Linux every sandboxed process also carries a
//!   mark in its environment, and [`sweep`] ends those that left the group (a process that
//!   clears its environment still survives); elsewhere they survive.
//! - Windows: no confinement at all.
//!
//! The limits: memory (data) per process, the size of a file it writes, the number of
//! processes. The caller also caps the output it reads (grade.rs) and the time.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// What a sandboxed command may do.
pub struct Rules<'a> {
    /// Folders it reads: visible as they are, also when they are under `/tmp` (which bwrap
    /// replaces with an empty one).
    pub readable: &'a [&'a Path],
    /// Folders it may write (besides a fresh, empty `/tmp` under bwrap).
    pub writable: &'a [&'a Path],
    /// Memory per process (its data: heap and stacks, not address space merely reserved), in MiB
    /// (`None`: no limit; the compiler needs a lot).
    pub memory_mib: Option<u64>,
    /// The largest file it may write, in MiB.
    pub file_mib: u64,
}

/// How student code is confined on this machine.
#[allow(dead_code)] // each system constructs only the variants it can have
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// bubblewrap: its own file system view, network and PID namespaces, plus the limits.
    Bubblewrap,
    /// Only resource limits and a process group; the reason bwrap is not used.
    Limits(String),
    /// Nothing (Windows).
    Unconfined,
}

/// The confinement available here, found once. `NET_LESSONS_NO_BWRAP=1` forces the fallback
/// (to test it on a machine that has bwrap).
pub fn kind() -> &'static Kind {
    static KIND: OnceLock<Kind> = OnceLock::new();
    KIND.get_or_init(detect)
}

#[cfg(target_os = "linux")]
fn detect() -> Kind {
    if std::env::var("NET_LESSONS_NO_BWRAP").is_ok_and(|v| !v.is_empty() && v != "0") {
        return Kind::Limits("设置了 NET_LESSONS_NO_BWRAP".into());
    }
    // Probe: the sandbox starts, and its loopback works (xtask itself, `probe-loopback`).
    let me = std::env::current_exe().unwrap_or_else(|_| std::path::PathBuf::from("xtask"));
    let probe = Command::new("bwrap")
        .args(BWRAP_BASE)
        .arg(me)
        .arg("probe-loopback")
        .output();
    match probe {
        Err(_) => Kind::Limits(
            "没有找到 bubblewrap（bwrap）；安装它：sudo apt-get install bubblewrap".into(),
        ),
        Ok(out) if out.stdout.starts_with(b"ok") => Kind::Bubblewrap,
        Ok(out) => Kind::Limits(format!(
            "bwrap 不能运行，或者它的回环网络不通：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// `xtask probe-loopback`, run inside the sandbox: a TCP connection over 127.0.0.1 works.
pub fn probe_loopback() -> Result<bool, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    println!("ok");
    Ok(true)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn detect() -> Kind {
    Kind::Limits("bubblewrap 只在 Linux 上有".into())
}

#[cfg(not(unix))]
fn detect() -> Kind {
    Kind::Unconfined
}

/// One line for the teacher: how the student's code runs here.
pub fn describe() -> String {
    match kind() {
        Kind::Bubblewrap => "学生的代码在 bubblewrap 沙箱里编译和运行：文件系统只读（编译目录和一个临时目录除外），只有回环网络，进程随评分结束，内存、文件大小、输出都有上限。".into(),
        Kind::Limits(why) => format!(
            "注意：学生的代码没有在沙箱里运行（{why}），只限制了内存、文件大小、进程数和输出，评分结束时结束它的进程组；它能读写你的文件、访问网络。"
        ),
        Kind::Unconfined => "注意：在这个系统上学生的代码不受限制地运行（只有时间和输出的上限）：它能读写你的文件、访问网络。要可靠的成绩，请在装了 bubblewrap 的 Linux 上评分。".into(),
    }
}

/// The environment variable that marks a sandboxed command and everything it starts.
const MARK: &str = "NET_LESSONS_GRADING";

/// The mark of a command made by [`command`] (empty for another command).
pub fn mark_of(cmd: &Command) -> String {
    cmd.get_envs()
        .find(|(k, _)| *k == MARK)
        .and_then(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// After a sandboxed command ended: without bubblewrap, on Linux, kills every process still
/// carrying its mark (one that left the process group, e.g. with `setsid`). Under bubblewrap
/// its PID namespace already ended them all.
pub fn sweep(mark: &str) {
    #[cfg(target_os = "linux")]
    if !mark.is_empty() && matches!(kind(), Kind::Limits(_)) {
        let needle = format!("{MARK}={mark}\0");
        for _ in 0..3 {
            let mut found = false;
            for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let environ = std::fs::read(e.path().join("environ")).unwrap_or_default();
                if pid != std::process::id()
                    && environ
                        .windows(needle.len())
                        .any(|w| w == needle.as_bytes())
                {
                    found = true;
                    let _ = Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .stderr(std::process::Stdio::null())
                        .status();
                }
            }
            if !found {
                break;
            }
        }
    }
    let _ = mark;
}

/// The namespaces and mounts every bwrap run starts with.
#[cfg(target_os = "linux")]
const BWRAP_BASE: &[&str] = &[
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--die-with-parent",
    "--new-session",
];

/// `program args` run in `cwd` under `rules`, confined as well as this machine allows.
pub fn command(program: &Path, args: &[OsString], cwd: &Path, rules: &Rules) -> Command {
    let mut cmd = confined(program, args, cwd, rules);
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    cmd.env(MARK, format!("{}-{n}", std::process::id()));
    cmd
}

fn confined(program: &Path, args: &[OsString], cwd: &Path, rules: &Rules) -> Command {
    let _ = (
        &rules.readable,
        &rules.writable,
        rules.memory_mib,
        rules.file_mib,
    );
    match kind() {
        #[cfg(target_os = "linux")]
        Kind::Bubblewrap => {
            let mut cmd = Command::new("bwrap");
            cmd.args(BWRAP_BASE);
            for dir in rules.readable {
                cmd.arg("--ro-bind").arg(dir).arg(dir);
            }
            for dir in rules.writable {
                cmd.arg("--bind").arg(dir).arg(dir);
            }
            cmd.arg("--chdir").arg(cwd).arg("--");
            with_limits(&mut cmd, program, args, rules);
            cmd.current_dir(cwd);
            cmd
        }
        #[cfg(unix)]
        Kind::Limits(_) => {
            let mut cmd = Command::new("sh");
            with_limits(&mut cmd, program, args, rules);
            cmd.current_dir(cwd);
            cmd
        }
        _ => {
            let mut cmd = Command::new(program);
            cmd.args(args).current_dir(cwd);
            cmd
        }
    }
}

/// Appends `sh -c 'ulimit ...; exec "$@"' sh program args` (`sh` itself when `cmd` is sh).
#[cfg(unix)]
fn with_limits(cmd: &mut Command, program: &Path, args: &[OsString], rules: &Rules) {
    let mut script = String::new();
    if let Some(mib) = rules.memory_mib {
        // `-d`, not `-v`: glibc reserves 64 MiB of address space per thread arena, so a server
        // with 50 threads passes any sensible address-space limit while using little memory.
        script += &format!("ulimit -d {} || exit 125; ", mib * 1024);
    }
    script += &format!("ulimit -f {} || exit 125; ", rules.file_mib * 2048);
    // Processes (and threads) of this user: a limit above what it runs already, so a fork bomb
    // stops there (the limit counts the user's every process; root is not limited).
    let procs = tasks_of_this_user() + 2000;
    script += &format!("ulimit -u {procs} 2>/dev/null || ulimit -p {procs} 2>/dev/null; ");
    script += "exec \"$@\"";
    if cmd.get_program() != "sh" {
        cmd.arg("sh");
    }
    cmd.arg("-c").arg(script).arg("sh").arg(program).args(args);
}

/// How many tasks (processes and threads) the current user runs, for the process limit.
#[cfg(unix)]
fn tasks_of_this_user() -> u64 {
    let me = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = |status: &str| {
        status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
    };
    let Some(mine) = uid(&me) else {
        return 1000; // no /proc (macOS): a generous guess
    };
    let mut tasks = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let dir = entry.path();
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        if uid(&status).as_deref() == Some(&mine) {
            let threads = status
                .lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse::<u64>().ok());
            tasks += threads.unwrap_or(1);
        }
    }
    tasks
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_limits_apply() {
        let rules = Rules {
            readable: &[],
            writable: &[],
            memory_mib: Some(512),
            file_mib: 1,
        };
        let out = command(
            Path::new("sh"),
            &["-c".into(), "ulimit -d; ulimit -f".into()],
            Path::new("."),
            &rules,
        )
        .output()
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text, "524288\n2048\n", "{out:?}");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn bubblewrap_keeps_the_file_system_read_only_and_the_network_local() {
        if *kind() != Kind::Bubblewrap {
            println!("skipped: {}", describe());
            return;
        }
        let dir = std::env::temp_dir().join(format!("xtask-sandbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        let rules = Rules {
            readable: &[],
            writable: &[&dir],
            memory_mib: None,
            file_mib: 1,
        };
        let outside = Path::new(env!("CARGO_MANIFEST_DIR")).join("outside");
        let script = format!(
            "touch {} && touch /tmp/x && ! touch {} 2>/dev/null && grep -o '^ *[a-z0-9]*:' /proc/net/dev",
            ok.display(),
            outside.display()
        );
        let out = command(Path::new("sh"), &["-c".into(), script.into()], &dir, &rules)
            .output()
            .unwrap();
        let wrote = ok.exists();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(out.status.success(), "{out:?}");
        assert!(wrote && !outside.exists());
        // The network namespace has only the loopback interface.
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "lo:");
    }
}
