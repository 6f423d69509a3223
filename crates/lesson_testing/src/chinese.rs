//! What a student meets by default: the programs speaking Chinese (`NET_LESSONS_LANG=zh`), and
//! the checks of SPEC's Chinese messages (usage, a port taken, a connection refused).

use crate::program::{free_port, run, Finished};

thread_local! {
    /// Set inside [`in_chinese`]: the programs this test thread starts speak Chinese.
    pub(crate) static CHINESE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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

/// [`run`] in Chinese: runs `program` to its end, speaking Chinese, with `stdin` as its input.
pub fn run_in_chinese(program: &str, args: &[&str], stdin: &str) -> Finished {
    in_chinese(|| run(program, args, stdin))
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
