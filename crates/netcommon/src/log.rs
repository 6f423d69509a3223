//! Log lines, and text from the network made safe to put in them.
//!
//! A server must never wait on its own output. `println!` waits when nobody reads stdout (a pipe
//! into a reader that stopped, a terminal paused with Ctrl-S, a Windows console in QuickEdit
//! selection) and panics when stdout is closed: either stops the server. So once a server has
//! printed its `listening on` line ([`announce_listening`](crate::announce_listening) calls
//! [`start_writer`]), [`say!`](crate::say) only hands the line to a writer thread of its own. When
//! that thread cannot keep up because the output is not being read, new lines are dropped and
//! counted, and the writer says how many once it can write again:
//!
//! ```text
//! (120 log lines dropped: the output was not being read)
//! ```
//!
//! A client (which has nothing to serve while its output waits) writes its lines at once, the
//! way Python's `print` does.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Lines waiting for the writer thread; past this they are dropped and counted.
const QUEUE: usize = 16 * 1024;
/// The writer writes what has gathered in one write of up to about this many bytes.
const BATCH: usize = 64 * 1024;
/// After a write the writer pauses this long, so that under load lines gather into batches
/// and a thread's hand-over rarely has to wake it (500 threads would otherwise take turns on
/// the stdout lock).
const PAUSE: Duration = Duration::from_millis(5);

struct Writer {
    lines: SyncSender<String>,
    /// Lines dropped since the writer last wrote.
    dropped: AtomicU64,
    /// Lines handed over and not written yet, for [`flush`]: an atomic, so that handing a line
    /// over takes no lock (500 threads log at once); the writer says it wrote through `written`.
    pending: AtomicU64,
    written: (Mutex<()>, Condvar),
}

static WRITER: OnceLock<Writer> = OnceLock::new();

/// From now on, [`log`] hands lines to a writer thread and never waits (see the module's doc).
/// Calling it again does nothing. If the thread cannot be started, lines are written at once.
pub fn start_writer() {
    if WRITER.get().is_some() {
        return;
    }
    let (lines, rx) = mpsc::sync_channel(QUEUE);
    let writer = Writer {
        lines,
        dropped: AtomicU64::new(0),
        pending: AtomicU64::new(0),
        written: (Mutex::new(()), Condvar::new()),
    };
    if WRITER.set(writer).is_ok() {
        let _ = std::thread::Builder::new()
            .name("log".into())
            .spawn(move || write_lines(rx));
    }
}

/// The writer thread: waits for a line, takes every other line already waiting, writes them
/// all at once (after a note of how many were dropped, if any were), pauses. A closed stdout
/// drops the lines; the server goes on.
fn write_lines(rx: Receiver<String>) {
    let Some(writer) = WRITER.get() else { return };
    let mut batch = String::new();
    loop {
        let mut taken = 0;
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                batch.push_str(&line);
                taken += 1;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(line) => {
                    batch.push_str(&line);
                    taken += 1;
                }
                Err(_) => break,
            }
        }
        let dropped = writer.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let note = dropped_note(dropped);
            batch.insert_str(0, &format!("{note}\n"));
        }
        if !batch.is_empty() {
            let mut out = io::stdout().lock();
            let _ = out.write_all(batch.as_bytes()).and_then(|()| out.flush());
            drop(out);
            batch.clear();
        }
        if taken > 0 {
            let guard = lock(&writer.written.0);
            writer.pending.fetch_sub(taken, Ordering::Relaxed);
            writer.written.1.notify_all();
            drop(guard);
            std::thread::sleep(PAUSE);
        }
    }
}

fn dropped_note(n: u64) -> String {
    let s = if n == 1 { "" } else { "s" };
    crate::tr!(
        "（{n} 行日志被丢掉了：输出没有人读）",
        "({n} log line{s} dropped: the output was not being read)"
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes one line on stdout, and never panics: before [`start_writer`] (and in a client) at
/// once, and flushed; after it, through the writer thread, dropped and counted when the output
/// is not being read. Use it through [`say!`](crate::say).
pub fn log(line: std::fmt::Arguments) {
    match WRITER.get() {
        Some(writer) => {
            let mut text = String::with_capacity(80);
            let _ = writeln!(text, "{line}");
            writer.pending.fetch_add(1, Ordering::Relaxed);
            if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
                writer.lines.try_send(text)
            {
                writer.dropped.fetch_add(1, Ordering::Relaxed);
                writer.pending.fetch_sub(1, Ordering::Relaxed);
            }
        }
        None => {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    }
}

/// Waits until the lines handed to the writer thread are written, at most `limit`: before a
/// prompt, and before the program exits, so that no line is lost or printed out of order.
pub fn flush(limit: Duration) {
    let Some(writer) = WRITER.get() else { return };
    let until = Instant::now() + limit;
    let mut guard = lock(&writer.written.0);
    while writer.pending.load(Ordering::Relaxed) > 0 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        guard = writer
            .written
            .1
            .wait_timeout(guard, left)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0;
    }
}

/// Writes `text` with no line end after it (a question for the keyboard), after the log lines
/// handed over before it, and never panics.
pub fn prompt(text: &str) {
    flush(Duration::from_secs(1));
    let mut out = io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}

/// `println!` that never panics and never waits on a server's stdout: `say!("[{peer}]
/// connected")`. See [`log`](crate::log::log()).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::log::log(format_args!($($arg)*))
    };
}

/// Bytes from the network made safe to print on one line: lossy UTF-8, with control characters
/// (a CR LF could forge a log line, an ESC could rewrite the terminal), `"` and `\` escaped,
/// and cut after `max` characters (`...` marks the cut).
pub fn printable(bytes: &[u8], max: usize) -> String {
    // Most of it is plain ASCII with nothing to escape (an access log's request line): copied
    // as it is, without decoding it character by character (a line for every request).
    let plain = |&b: &u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    if bytes.len() <= max && bytes.iter().all(plain) {
        return String::from_utf8_lossy(bytes).into_owned(); // ASCII: valid UTF-8
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// [`printable`] for text already decoded (with `--encoding`, say): control characters
/// escaped, the rest as it is, whole.
pub fn printable_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_text_cannot_forge_a_line() {
        assert_eq!(
            printable(b"GET /\r\nlistening on 1.2.3.4:5\x1b[2J", 100),
            "GET /\\r\\nlistening on 1.2.3.4:5\\u{1b}[2J"
        );
        assert_eq!(printable("你好\"x\\".as_bytes(), 100), "你好\\\"x\\\\");
        assert_eq!(printable(b"abcdef", 3), "abc...");
        assert_eq!(printable(b"\xff", 5), "\u{fffd}");
        // Plain ASCII, copied as it is (the quick way), and cut like the rest.
        assert_eq!(printable(b"GET /a.txt HTTP/1.1", 19), "GET /a.txt HTTP/1.1");
        assert_eq!(printable(b"GET /a.txt HTTP/1.1", 3), "GET...");
        assert_eq!(printable(b"a\x7fb", 9), "a\\u{7f}b");
        assert_eq!(printable_text("a\nb\tc 你好 \"q\""), "a\\nb\\tc 你好 \"q\"");
    }

    #[test]
    fn the_note_counts() {
        assert_eq!(
            dropped_note(1),
            "(1 log line dropped: the output was not being read)"
        );
        assert_eq!(
            dropped_note(7),
            "(7 log lines dropped: the output was not being read)"
        );
    }
}
