//! The command line, the way every lesson handles it (SPEC "Conventions for every binary"):
//!
//! - `--help` (or `-h`) prints the usage to stdout and exits 0;
//! - a bad command line prints the reason and the usage to stderr and exits 2;
//! - an error at run time prints one line `error: ...` with its causes to stderr and exits 1.
//!
//! A dozen lines of std instead of a framework, so a reader sees everything that happens.
//! Options may stand anywhere (`SERVER --force` or `--force SERVER`), take their value as
//! `--bind ADDR` or `--bind=ADDR`, and `--` ends them (`udp_sender HOST:PORT -- --not-a-flag`).

use std::ffi::OsString;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

/// A mistake on the command line or at a prompt: reported with the usage, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Returns a usage error (exit 2) with this reason.
pub fn usage_error<T>(reason: impl Into<String>) -> anyhow::Result<T> {
    Err(UsageError(reason.into()).into())
}

/// Runs a lesson's real `main` and turns its result into SPEC's exit codes.
///
/// ```no_run
/// const USAGE: &str = "usage: demo [--bind ADDR]";
/// fn main() -> std::process::ExitCode {
///     netcommon::run(USAGE, serve)
/// }
/// fn serve(mut args: netcommon::Args) -> anyhow::Result<()> {
///     let bind = args.value_or("--bind", "127.0.0.1:0")?;
///     args.finish()?;
///     println!("would bind {bind}");
///     Ok(())
/// }
/// ```
pub fn run(usage: &str, main: impl FnOnce(Args) -> anyhow::Result<()>) -> ExitCode {
    let args = match Args::from_os(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(e) => return report(usage, &e.into()),
    };
    if args.wants_help() {
        crate::say!("{usage}");
        return ExitCode::SUCCESS;
    }
    let code = match main(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(usage, &e),
    };
    crate::log::flush(Duration::from_secs(1)); // the last log lines, before the process ends
    code
}

fn report(usage: &str, e: &anyhow::Error) -> ExitCode {
    crate::log::flush(Duration::from_secs(1)); // the log before the error, in order
    let _ = io::stdout().flush();
    // Like `eprintln!`, but a closed stderr is no panic either.
    let mut err = io::stderr().lock();
    // SPEC: one line `错误：...` (`error: ...` in English).
    let prefix = crate::lang::pick("错误：", "error: ");
    if let Some(reason) = e.downcast_ref::<UsageError>() {
        let _ = writeln!(err, "{prefix}{reason}\n\n{usage}");
        ExitCode::from(2)
    } else {
        // The whole chain on one line: "connecting to 127.0.0.1:1: Connection refused", the
        // system's part in the chosen language.
        let _ = writeln!(err, "{prefix}{}", crate::lang::describe(e));
        ExitCode::from(1)
    }
}

/// The longest duration a command line may give (`--timeout`, `--idle-timeout`, ...): a day.
/// Longer would mean "never"; far longer (`1e19`) would overflow the clock's arithmetic.
pub const MAX_SECONDS: Duration = Duration::from_secs(24 * 60 * 60);

/// The words of the command line, taken out one option at a time.
#[derive(Debug)]
pub struct Args {
    words: Vec<String>,
    /// Words after `--`: always positional.
    rest: Vec<String>,
}

impl Args {
    /// Builds from the words after the program name (tests pass their own).
    pub fn from_os(words: impl IntoIterator<Item = OsString>) -> Result<Args, UsageError> {
        let mut args = Args {
            words: Vec::new(),
            rest: Vec::new(),
        };
        let mut after_dashes = false;
        for word in words {
            let word = word.into_string().map_err(|w| {
                UsageError(crate::tr!(
                    "参数不是有效的 UTF-8：{w:?}",
                    "argument is not valid UTF-8: {w:?}"
                ))
            })?;
            if after_dashes {
                args.rest.push(word);
            } else if word == "--" {
                after_dashes = true;
            } else {
                args.words.push(word);
            }
        }
        Ok(args)
    }

    fn wants_help(&self) -> bool {
        self.words.iter().any(|w| w == "--help" || w == "-h")
    }

    /// Takes the subcommand, the first word when it is not an option:
    /// `file_downloader server --bind ...` → `Some("server")`.
    pub fn subcommand(&mut self) -> Option<String> {
        match self.words.first() {
            Some(w) if !w.starts_with('-') => Some(self.words.remove(0)),
            _ => None,
        }
    }

    /// Takes the subcommand, which must be one of `names`: `client_auth server ...` →
    /// `"server"`. A missing or unknown one is a usage error that lists them.
    pub fn subcommand_of(&mut self, names: &[&'static str]) -> Result<&'static str, UsageError> {
        let list = names.join(crate::pick(" 或 ", " or "));
        match self.subcommand() {
            Some(word) => names.iter().find(|n| **n == word).copied().ok_or_else(|| {
                UsageError(crate::tr!(
                    "没有子命令 {word:?}：用 {list}",
                    "unknown subcommand {word:?}: use {list}"
                ))
            }),
            None => Err(UsageError(crate::tr!(
                "缺少子命令：{list}",
                "missing subcommand: {list}"
            ))),
        }
    }

    /// Takes a flag without a value, like `--once`.
    pub fn flag(&mut self, name: &str) -> bool {
        let before = self.words.len();
        self.words.retain(|w| w != name);
        self.words.len() != before
    }

    /// Takes an option with a value, like `--bind ADDR` or `--bind=ADDR`, if it is there.
    pub fn value(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        let prefix = format!("{name}=");
        let mut found = None;
        let mut i = 0;
        while i < self.words.len() {
            if self.words[i] == name {
                if i + 1 >= self.words.len() {
                    return Err(UsageError(crate::tr!(
                        "{name} 后面要跟一个值",
                        "{name} needs a value"
                    )));
                }
                found = Some(self.words.remove(i + 1));
                self.words.remove(i);
            } else if let Some(v) = self.words[i].strip_prefix(&prefix) {
                found = Some(v.to_string());
                self.words.remove(i);
            } else {
                i += 1;
            }
        }
        Ok(found) // given twice: the last one wins, as in most tools
    }

    /// Takes an option with a value, or the default.
    pub fn value_or(&mut self, name: &str, default: &str) -> Result<String, UsageError> {
        Ok(self.value(name)?.unwrap_or_else(|| default.to_string()))
    }

    /// Takes an option and parses its value (`--count 5`, `--timeout 2.5`).
    pub fn parsed<T: FromStr>(&mut self, name: &str) -> Result<Option<T>, UsageError> {
        match self.value(name)? {
            None => Ok(None),
            Some(v) => match v.parse() {
                Ok(t) => Ok(Some(t)),
                Err(_) => Err(UsageError(crate::tr!(
                    "{name}：无效的值 {v:?}",
                    "{name}: invalid value {v:?}"
                ))),
            },
        }
    }

    /// Takes a count that must be at least 1, like `--max-clients 100`.
    pub fn count(&mut self, name: &str) -> Result<Option<usize>, UsageError> {
        match self.parsed::<usize>(name)? {
            Some(0) => Err(UsageError(crate::tr!(
                "{name} 至少是 1",
                "{name} must be at least 1"
            ))),
            n => Ok(n),
        }
    }

    /// Takes a number of seconds, like `--timeout 2.5`: more than 0, at most a day
    /// (`MAX_SECONDS`), so that adding it to the clock can never overflow.
    pub fn seconds(&mut self, name: &str) -> Result<Option<Duration>, UsageError> {
        match self.parsed::<f64>(name)? {
            None => Ok(None),
            Some(s) => match Duration::try_from_secs_f64(s) {
                Ok(d) if !d.is_zero() && d <= MAX_SECONDS => Ok(Some(d)),
                _ => Err(UsageError(crate::tr!(
                    "{name} 必须是大于 0、最多 {} 的秒数（一天）",
                    "{name} must be a number of seconds above 0 and at most {} (a day)",
                    MAX_SECONDS.as_secs()
                ))),
            },
        }
    }

    /// Takes `--encoding E` (default UTF-8): how text is turned into bytes on the wire.
    pub fn encoding(&mut self) -> Result<crate::Encoding, UsageError> {
        match self.value("--encoding")? {
            None => Ok(crate::Encoding::Utf8),
            Some(v) => v.parse().map_err(UsageError),
        }
    }

    /// Ends option parsing: what is left are the positional arguments.
    /// A word that still looks like an option is a mistake.
    pub fn finish(self) -> Result<Vec<String>, UsageError> {
        if let Some(unknown) = self
            .words
            .iter()
            .find(|w| w.starts_with("--") || is_short_option(w))
        {
            return Err(UsageError(crate::tr!(
                "不认识的选项 {unknown}",
                "unknown option {unknown}"
            )));
        }
        let mut positional = self.words;
        positional.extend(self.rest);
        Ok(positional)
    }
}

impl Args {
    /// Ends option parsing for a command whose one positional argument is an address
    /// (`HOST:PORT`, checked), `default` when it is not given; anything more is a usage error.
    pub fn address(self, default: &str) -> Result<String, UsageError> {
        let [addr] = self.up_to()?;
        crate::check_addr(addr.as_deref().unwrap_or(default))
    }

    /// Ends option parsing for a client whose one positional argument is its `SERVER`
    /// (`HOST:PORT`, checked); none, or more than one, is a usage error.
    pub fn server(self) -> Result<String, UsageError> {
        match self.finish()?.as_slice() {
            [server] => crate::check_addr(server),
            _ => Err(UsageError(crate::tr!(
                "client 要一个 SERVER（HOST:PORT），别的不要",
                "client needs one SERVER (HOST:PORT), and nothing else"
            ))),
        }
    }

    /// Ends option parsing for a command that takes no positional argument: any word left is
    /// a usage error.
    pub fn no_more(self) -> Result<(), UsageError> {
        let [] = self.up_to()?;
        Ok(())
    }

    /// Ends option parsing for a command that takes up to `N` positional arguments, each of
    /// them optional: `let [server, name] = args.up_to()?;`. A word more is a usage error.
    pub fn up_to<const N: usize>(self) -> Result<[Option<String>; N], UsageError> {
        let mut words = self.finish()?.into_iter();
        let given = std::array::from_fn(|_| words.next());
        match words.next() {
            Some(extra) => Err(UsageError(crate::tr!(
                "多余的参数 {extra:?}",
                "unexpected argument {extra:?}"
            ))),
            None => Ok(given),
        }
    }
}

/// `-x`, but not a negative number like `-5`.
fn is_short_option(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 2 && b[0] == b'-' && b[1].is_ascii_alphabetic()
}

/// Python's `input(question)`: prints the question, reads one line, strips the line ending.
/// At end of input it is a usage error (exit 2), as SPEC says for a missing argument.
pub fn input(question: &str) -> anyhow::Result<String> {
    match input_or_eof(question)? {
        Some(line) => Ok(line),
        None => usage_error(crate::tr!(
            "问 {:?} 时输入结束了",
            "end of input while asking {:?}",
            question.trim()
        )),
    }
}

/// Like [`input`], but end of input is `None`: for loops that stop there ("until end of input").
/// Bytes that are not UTF-8 are shown with replacement characters instead of failing.
/// The question is written like every log line: a closed stdout drops it, never panics.
pub fn input_or_eof(question: &str) -> io::Result<Option<String>> {
    crate::log::prompt(question); // after the log lines before it, in order
    let mut line = Vec::new();
    if io::stdin().lock().read_until(b'\n', &mut line)? == 0 {
        crate::say!(""); // end the prompt's line, so what follows starts on its own
        return Ok(None);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(typed_text(&line)))
}

/// What was typed, as text. A terminal sends what it types in its own encoding: UTF-8 almost
/// everywhere, but GBK in a Windows console on code page 936. Bytes that are not UTF-8 and read
/// as GBK are taken as GBK, with a note on stderr (once) saying so and what to do; anything else
/// is shown with replacement characters, never a failure.
fn typed_text(line: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(line) {
        return text.to_string();
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(line);
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let note = if had_errors {
            crate::tr!(
                "注意：输入的字节不是 UTF-8，也不是 GBK：看不懂的字节显示成 �。",
                "note: the bytes typed are neither UTF-8 nor GBK: those that do not decode \
                 are shown as �."
            )
        } else {
            crate::tr!(
                "注意：输入的字节不是 UTF-8，按 GBK 读了（终端是 GBK 吗？Windows 上 `chcp 65001` \
                 把终端切换到 UTF-8）。要和 GBK 的程序（网络调试助手、飞秋）通信，再加 --encoding gbk。",
                "note: the bytes typed are not UTF-8; read as GBK (is the terminal GBK? On \
                 Windows `chcp 65001` switches it to UTF-8). To talk to a GBK program (网络调试助手, \
                 飞秋), add --encoding gbk."
            )
        };
        #[cfg(test)]
        eprintln!("{note}"); // through the test harness: shown only when a test fails
        #[cfg(not(test))]
        let _ = writeln!(io::stderr(), "{note}");
    });
    if had_errors {
        String::from_utf8_lossy(line).into_owned()
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Args {
        Args::from_os(words.iter().map(OsString::from)).unwrap()
    }

    #[test]
    fn typed_gbk_is_read_as_gbk() {
        assert_eq!(typed_text("你好".as_bytes()), "你好");
        assert_eq!(typed_text(&[0xc4, 0xe3, 0xba, 0xc3]), "你好"); // GBK
        assert_eq!(typed_text(&[0xff, 0xff]), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn options_anywhere_and_both_spellings() {
        let mut a = args(&[
            "host:1",
            "--bind",
            "0.0.0.0:7",
            "--once",
            "--count=3",
            "msg",
        ]);
        assert!(a.flag("--once"));
        assert!(!a.flag("--echo"));
        assert_eq!(a.value("--bind").unwrap().as_deref(), Some("0.0.0.0:7"));
        assert_eq!(a.parsed::<u64>("--count").unwrap(), Some(3));
        assert_eq!(a.finish().unwrap(), ["host:1", "msg"]);
    }

    #[test]
    fn mistakes_are_usage_errors() {
        assert!(args(&["--bind"]).value("--bind").is_err());
        assert!(args(&["--count", "x"]).parsed::<u64>("--count").is_err());
        assert!(args(&["--bogus"]).finish().is_err());
        assert!(args(&["-x"]).finish().is_err());
        assert!(args(&["--encoding", "latin9"]).encoding().is_err());
    }

    #[test]
    fn seconds_above_zero() {
        let secs = |w: &[&str]| args(w).seconds("--timeout");
        assert_eq!(
            secs(&["--timeout", "2.5"]).unwrap(),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(secs(&[]).unwrap(), None);
        assert_eq!(secs(&["--timeout", "86400"]).unwrap(), Some(MAX_SECONDS));
        for bad in ["0", "-1", "soon", "inf", "NaN", "86400.5", "1e19"] {
            assert!(secs(&["--timeout", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn double_dash_keeps_words_positional() {
        let a = args(&["h:1", "--", "--once", "-5"]);
        assert_eq!(a.finish().unwrap(), ["h:1", "--once", "-5"]);
        assert!(args(&["--", "--help"]).words.is_empty());
        assert!(args(&["x", "-h"]).wants_help());
    }

    #[test]
    fn subcommand_comes_first() {
        let mut a = args(&["server", "--bind", "x:1"]);
        assert_eq!(a.subcommand().as_deref(), Some("server"));
        assert_eq!(a.value("--bind").unwrap().as_deref(), Some("x:1"));
        assert_eq!(args(&["--bind", "x:1", "server"]).subcommand(), None);
        assert_eq!(args(&[]).subcommand(), None);
    }

    #[test]
    fn negative_numbers_are_not_options() {
        assert_eq!(args(&["-5"]).finish().unwrap(), ["-5"]);
    }

    #[test]
    fn up_to_n_positional_words_and_not_one_more() {
        let [a, b] = args(&["x:1"]).up_to().unwrap();
        assert_eq!((a.as_deref(), b), (Some("x:1"), None));
        let [a, b] = args(&["x:1", "--", "-f"]).up_to().unwrap();
        assert_eq!((a.as_deref(), b.as_deref()), (Some("x:1"), Some("-f")));
        let extra = args(&["a", "b", "c"]).up_to::<2>().unwrap_err();
        assert!(extra.0.contains("\"c\""), "{}", extra.0);
        assert!(args(&["a"]).no_more().is_err());
        assert!(args(&[]).no_more().is_ok());
        assert_eq!(args(&[]).address("127.0.0.1:9").unwrap(), "127.0.0.1:9");
        assert!(args(&["a:1", "b:2"]).address("127.0.0.1:9").is_err());
    }
}
