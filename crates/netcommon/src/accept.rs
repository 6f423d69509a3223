//! What a server's accept loop does when `accept` fails.
//!
//! `accept` fails in floods: out of file descriptors (`ulimit -n`), it fails again at once,
//! thousands of times a second, until a connection closes. Logging each one would fill the
//! screen and take the CPU from the clients, so [`AcceptErrors`] says it at most once a second,
//! with how many failures the line stands for, and pauses the loop a little after each.

use std::fmt::Arguments;
use std::io;
use std::thread;
use std::time::{Duration, Instant};

/// At most one `accept failed` line this often.
const LINE_EVERY: Duration = Duration::from_secs(1);
/// After a failed `accept`, wait this long before the next: an error that repeats at once
/// (no file descriptor free) must not spin the CPU.
const PAUSE: Duration = Duration::from_millis(10);

/// Counts `accept` errors and logs them at most once a second:
///
/// ```no_run
/// # let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
/// let mut errors = netcommon::AcceptErrors::new();
/// loop {
///     let Some((conn, addr)) = errors.accepted(listener.accept()) else {
///         continue; // e.g. out of file descriptors: logged, after a short pause
///     };
///     // ... serve conn
/// }
/// ```
pub struct AcceptErrors {
    /// Failures not yet logged.
    count: u64,
    last_line: Option<Instant>,
    log: fn(Arguments),
}

impl Default for AcceptErrors {
    fn default() -> Self {
        AcceptErrors::new()
    }
}

impl AcceptErrors {
    /// Lines go to stdout through [`log`](crate::log).
    pub fn new() -> AcceptErrors {
        AcceptErrors::logging_with(crate::log::log)
    }

    /// Lines go through `log` (http_static's goes to its log thread).
    pub fn logging_with(log: fn(Arguments)) -> AcceptErrors {
        AcceptErrors {
            count: 0,
            last_line: None,
            log,
        }
    }

    /// What `accept` returned: the connection, or `None` after [`failed`](Self::failed) has
    /// logged the error (and paused). A success calls [`succeeded`](Self::succeeded).
    pub fn accepted<T>(&mut self, result: io::Result<T>) -> Option<T> {
        match result {
            Ok(accepted) => {
                self.succeeded();
                Some(accepted)
            }
            Err(e) => {
                self.failed(&e);
                None
            }
        }
    }

    /// After a failed `accept`: `accept failed: ERROR` (or `accept failed N times: ERROR`),
    /// if no such line was written in the last second; then a short pause.
    pub fn failed(&mut self, e: &io::Error) {
        self.count += 1;
        if self.line_due() {
            match self.count {
                1 => (self.log)(format_args!(
                    "{}",
                    crate::tr!(
                        "accept 失败：{}",
                        "accept failed: {}",
                        crate::lang::io_error(e)
                    )
                )),
                n => (self.log)(format_args!(
                    "{}",
                    crate::tr!(
                        "accept 失败 {n} 次：{}",
                        "accept failed {n} times: {}",
                        crate::lang::io_error(e)
                    )
                )),
            }
            (self.count, self.last_line) = (0, Some(Instant::now()));
        }
        thread::sleep(PAUSE);
    }

    /// After a successful `accept`: the failures not yet logged, when a line is due.
    pub fn succeeded(&mut self) {
        if self.count > 0 && self.line_due() {
            let n = self.count;
            let s = if n == 1 { "" } else { "s" };
            (self.log)(format_args!(
                "{}",
                crate::tr!("accept 又失败了 {n} 次", "accept failed {n} more time{s}")
            ));
            (self.count, self.last_line) = (0, Some(Instant::now()));
        }
    }

    fn line_due(&self) -> bool {
        self.last_line.is_none_or(|t| t.elapsed() >= LINE_EVERY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn keep(line: Arguments) {
        LINES.lock().unwrap().push(line.to_string());
    }

    #[test]
    fn a_flood_of_errors_is_one_line_a_second_with_its_count() {
        let mut errors = AcceptErrors::logging_with(keep);
        let e = io::Error::other("too many open files");
        for _ in 0..20 {
            errors.failed(&e); // 20 × 10 ms: well within the second
        }
        errors.succeeded(); // not due yet
        let lines = LINES.lock().unwrap().clone();
        assert_eq!(lines, ["accept failed: too many open files"]);

        errors.last_line = Some(Instant::now() - LINE_EVERY);
        errors.succeeded();
        assert_eq!(
            LINES.lock().unwrap().last().unwrap(),
            "accept failed 19 more times"
        );
        errors.failed(&e);
        errors.last_line = Some(Instant::now() - LINE_EVERY);
        errors.failed(&e);
        assert_eq!(
            LINES.lock().unwrap().last().unwrap(),
            "accept failed 2 times: too many open files"
        );
    }
}
