//! Chinese or English: every line a person reads is Chinese by default, like the notes, and
//! English when the environment has `NET_LESSONS_LANG=en` (the tests and graders set it). One
//! language per line: a Chinese line never carries an English system message.
//!
//! ```
//! use netcommon::tr;
//! let who = "[127.0.0.1:50312]";
//! let line = tr!("{who} 已连接", "{who} connected");
//! # assert!(line == "[127.0.0.1:50312] 已连接" || line == "[127.0.0.1:50312] connected");
//! ```
//!
//! Errors from the system (`Address already in use (os error 98)`) come in the system's
//! language; [`io_error`] says them in the chosen one, with what to do where there is something
//! to do (a port taken: stop the program that holds it, or choose another port).

use std::io::{self, ErrorKind};
use std::sync::OnceLock;

/// Is English asked for? `NET_LESSONS_LANG=en` (or `en_US`, `EN`...); anything else is Chinese.
/// Read once. (netcommon's own unit tests read the English lines, like every other test, unless
/// they are run with `NET_LESSONS_LANG=zh`.)
pub fn english() -> bool {
    static ENGLISH: OnceLock<bool> = OnceLock::new();
    *ENGLISH.get_or_init(|| match std::env::var("NET_LESSONS_LANG") {
        Ok(v) => v.to_ascii_lowercase().starts_with("en"),
        Err(_) => cfg!(test),
    })
}

/// `zh` or `en`, as [`english`] says.
pub fn pick<'a>(zh: &'a str, en: &'a str) -> &'a str {
    if english() {
        en
    } else {
        zh
    }
}

/// `format!` in the chosen language: `tr!("{who} 已连接", "{who} connected")`, with the same
/// arguments after both texts when they are not named in them:
/// `tr!("收到 {} 字节", "got {} bytes", n)`.
#[macro_export]
macro_rules! tr {
    ($zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        if $crate::lang::english() {
            format!($en $(, $arg)*)
        } else {
            format!($zh $(, $arg)*)
        }
    };
}

/// A system error in the chosen language. In English: the system's own text
/// (`Connection refused (os error 111)`). In Chinese: what it means and, where the reader can
/// do something about it, what to do.
pub fn io_error(e: &io::Error) -> String {
    if english() {
        return match e.kind() {
            ErrorKind::AddrInUse => format!(
                "{e}: another program (or another copy of this one) already listens on this \
                 port; stop it, or choose another port (see --help)"
            ),
            ErrorKind::AddrNotAvailable => format!(
                "{e}: this IP address is not one of this computer's; use 127.0.0.1 or \
                 0.0.0.0, or an address that `ip addr` (Windows: `ipconfig`) lists"
            ),
            _ if is_too_long(e) => {
                format!("{e}: a UDP datagram holds at most 65,507 bytes; send less in one message")
            }
            _ if is_wrong_family(e) => format!(
                "{e}: the local address and the peer's must be of one kind: both IPv4 (like \
                 127.0.0.1) or both IPv6 (like [::1])"
            ),
            _ => e.to_string(),
        };
    }
    let code = match e.raw_os_error() {
        Some(n) => format!("（系统错误码 {n}）"),
        None => String::new(),
    };
    let text = match e.kind() {
        ErrorKind::NotFound => "找不到（没有这个文件或地址）",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::ConnectionRefused => {
            "连接被拒绝：那个地址和端口上没有程序在监听（服务器启动了吗？端口对吗？）"
        }
        ErrorKind::ConnectionReset => "连接被对方重置",
        ErrorKind::ConnectionAborted => "连接被中止",
        ErrorKind::NotConnected => "还没有连接",
        ErrorKind::AddrInUse => {
            "端口已被占用：另一个程序（或者这个程序的另一个窗口）已经在这个端口上监听。\
             先停掉它（Linux/macOS：`lsof -i :端口` 查是谁；Windows：`netstat -ano | findstr 端口`），\
             或者换一个端口，怎么换见 --help"
        }
        ErrorKind::AddrNotAvailable => {
            "这个 IP 地址不是本机的地址：用 127.0.0.1（只给本机）或 0.0.0.0（所有网卡），\
             或者 `ip addr`（Windows：`ipconfig`）列出的地址"
        }
        ErrorKind::BrokenPipe => "对方已经关闭了连接",
        ErrorKind::AlreadyExists => "已经存在",
        ErrorKind::WouldBlock | ErrorKind::TimedOut => "超时：在期限内没有等到",
        ErrorKind::InvalidInput => "参数无效",
        ErrorKind::InvalidData => "数据无效",
        ErrorKind::UnexpectedEof => "对方提前关闭了连接",
        ErrorKind::Interrupted => "被中断",
        ErrorKind::Unsupported => "这个系统不支持",
        ErrorKind::OutOfMemory => "内存不够",
        ErrorKind::HostUnreachable => "主机不可达",
        ErrorKind::NetworkUnreachable => "网络不可达",
        ErrorKind::NotADirectory => "不是文件夹",
        ErrorKind::IsADirectory => "是一个文件夹",
        _ if is_too_long(e) => {
            "数据报太长：一个 UDP 数据报最多 65,507 字节，一次少发一点"
        }
        _ if is_wrong_family(e) => {
            "地址类型不一致：本机的地址和对方的地址要么都是 IPv4（比如 127.0.0.1），\
             要么都是 IPv6（比如 [::1]）"
        }
        _ if crate::out_of_files(e) => "打开的文件太多（文件描述符用完了，见 `ulimit -n`）",
        _ => "系统错误",
    };
    format!("{text}{code}")
}

/// EMSGSIZE: a datagram longer than UDP allows.
fn is_too_long(e: &io::Error) -> bool {
    is_os_error(e, 90, 40, 10040)
}

/// EAFNOSUPPORT: an IPv4 socket asked to reach an IPv6 address, or the other way round.
fn is_wrong_family(e: &io::Error) -> bool {
    is_os_error(e, 97, 47, 10047)
}

/// Whether `e` is the error numbered `linux` on Linux, `other_unix` on macOS and the BSDs, and
/// `windows` (Winsock's WSAE... number) on Windows: std has no `ErrorKind` for these.
fn is_os_error(e: &io::Error, linux: i32, other_unix: i32, windows: i32) -> bool {
    let code = if cfg!(target_os = "linux") {
        linux
    } else if cfg!(unix) {
        other_unix
    } else if cfg!(windows) {
        windows
    } else {
        return false;
    };
    e.raw_os_error() == Some(code)
}

/// An error and its causes on one line, in the chosen language: `binding 0.0.0.0:8080: ...`.
/// The system's errors in the chain are said by [`io_error`].
pub fn describe(e: &anyhow::Error) -> String {
    let separator = pick("：", ": ");
    let mut parts = Vec::new();
    for cause in e.chain() {
        match cause.downcast_ref::<io::Error>() {
            Some(io) if io.get_ref().is_none() || io.raw_os_error().is_some() => {
                parts.push(io_error(io))
            }
            _ => parts.push(cause.to_string()),
        }
    }
    parts.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_in_one_language() {
        let e = io::Error::from(ErrorKind::AddrInUse);
        let text = io_error(&e);
        if english() {
            assert!(text.contains("choose another port (see --help)"), "{text}");
        } else {
            assert!(text.starts_with("端口已被占用"), "{text}");
            assert!(text.contains("换一个端口，怎么换见 --help"), "{text}");
        }
        let chained = anyhow::Error::new(io::Error::from_raw_os_error(111)).context("x");
        let line = describe(&chained);
        assert!(line.starts_with('x'), "{line}");
        let who = "a";
        assert_eq!(
            tr!("{who} 已连接", "{who} connected"),
            pick("a 已连接", "a connected")
        );
        assert_eq!(tr!("{} 个", "{} of them", 3), pick("3 个", "3 of them"));
    }

    #[test]
    fn the_numbers_that_differ_by_system() {
        let (emsgsize, eafnosupport) = if cfg!(target_os = "linux") {
            (90, 97)
        } else if cfg!(windows) {
            (10040, 10047)
        } else {
            (40, 47)
        };
        let too_long = io::Error::from_raw_os_error(emsgsize);
        let wrong_family = io::Error::from_raw_os_error(eafnosupport);
        assert!(is_too_long(&too_long) && !is_wrong_family(&too_long));
        assert!(is_wrong_family(&wrong_family) && !is_too_long(&wrong_family));
        let text = io_error(&wrong_family);
        assert!(text.contains(pick("都是 IPv4", "both IPv4")), "{text}");
    }
}
