//! What a student meets by default: the programs speaking Chinese (`NET_LESSONS_LANG=zh`), and
//! the checks of SPEC's Chinese messages (usage, a port taken, a connection refused).

use crate::program::{closed_port, hold_a_port, run, Finished};

thread_local! {
    /// Set inside [`in_chinese`]: the programs this test thread starts speak Chinese.
    pub(crate) static CHINESE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every program it starts (through [`Program`](crate::Program), [`run`], [`command`](crate::command)...)
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

/// [`run`] in Chinese: runs `program` to its end, speaking Chinese, with `stdin` as its input.
pub fn run_in_chinese(program: &str, args: &[&str], stdin: &str) -> Finished {
    in_chinese(|| run(program, args, stdin))
}

/// `program --help` in Chinese prints a usage that starts with `start` (`用法：NAME ...`), exit 0.
#[track_caller]
pub fn check_chinese_help(program: &str, start: &str) {
    let out = run_in_chinese(program, &["--help"], "");
    assert_eq!(out.code, Some(0), "{program} --help: {out:?}");
    assert!(out.stdout.starts_with(start), "{program} --help: {out:?}");
}

/// `program BAD...` in Chinese is refused with an error that starts with `start` (`错误：...`),
/// exit 2.
#[track_caller]
pub fn check_chinese_refusal(program: &str, bad: &[&str], start: &str) {
    let out = run_in_chinese(program, bad, "");
    assert_eq!(out.code, Some(2), "{program} {bad:?}: {out:?}");
    assert!(out.stderr.starts_with(start), "{program} {bad:?}: {out:?}");
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
/// 占用：……换一个端口，怎么换见 --help`, exit 1.
pub fn check_chinese_port_taken(program: &str, args: &[&str], udp: bool) {
    let (_tcp, _udp, busy) = hold_a_port(udp);
    let busy = busy.to_string();
    let mut args = args.to_vec();
    args.extend_from_slice(&["--bind", &busy]);
    let out = in_chinese(|| run(program, &args, ""));
    assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
    let line = out.stderr.trim_end();
    assert!(
        line.starts_with(&format!("错误：绑定 {busy}：端口已被占用"))
            && line.contains("换一个端口，怎么换见 --help"),
        "{args:?}: {out:?}"
    );
    assert_eq!(line.lines().count(), 1, "one line: {out:?}");
}

/// [`check_chinese_port_taken`] for programs that take the address some other way than a
/// trailing `--bind ADDR` (an example's `ADDR` argument): `args` names `busy`, an address the
/// test holds. One line `错误：绑定 BUSY：端口已被占用：`, saying to stop the other program
/// (`先停掉它`) or to choose another port (`--help` says how), exit 1.
pub fn check_chinese_port_taken_by(program: &str, args: &[&str], busy: &str) {
    let out = in_chinese(|| run(program, args, ""));
    assert_eq!(out.code, Some(1), "{program} {args:?}: {out:?}");
    let line = &out.stderr;
    assert!(
        line.starts_with(&format!("错误：绑定 {busy}：端口已被占用：")),
        "{program}: {line}"
    );
    assert!(line.contains("先停掉它"), "{program}: {line}");
    assert!(
        line.contains("换一个端口，怎么换见 --help"),
        "{program}: {line}"
    );
    assert_eq!(line.lines().count(), 1, "{program}: {line}");
}

/// A TCP port on 127.0.0.1 held by the test (keep the listener while a program tries to bind
/// it), and its address, for [`check_chinese_port_taken_by`].
pub fn port_in_use() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
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
    let closed = format!("127.0.0.1:{}", closed_port()); // nothing listens there
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
