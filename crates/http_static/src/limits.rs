//! Limits on what a client may send and how slowly. Why a real server needs them: the notes'
//! `recv(2048)` bounds a request by accident; a server that reads "until the empty line" must
//! say how long a line, how many headers and how much time it accepts, or one client can fill
//! its memory, or hold a thread for hours by sending one byte every few seconds ("slowloris").

use std::io::{self, Read};
use std::time::Duration;

use netcommon::Deadline;

/// A request line longer than this (with its CRLF) is refused with 414 (nginx uses 8 KiB too).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// All header lines together longer than this are refused with 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// More header lines than this are refused with 431.
pub const MAX_HEADERS: usize = 100;
/// A body longer than this is refused with 413 (nginx's `client_max_body_size` default).
pub const MAX_BODY: u64 = 1024 * 1024;
/// Empty lines tolerated before a request line (RFC 9112 §2.2: some clients send a stray CRLF).
pub const MAX_EMPTY_LINES: usize = 4;

/// The connection as the `BufReader` sees it: every read first checks a deadline, which starts
/// with the first bytes of a request. The socket's read timeout starts again at every byte, so
/// without this a client sending one byte every few seconds could hold its thread for hours.
pub struct WholeRequest<R> {
    pub inner: R,
    /// How long a request may take from its first byte.
    limit: Duration,
    deadline: Option<Deadline>,
}

impl<R> WholeRequest<R> {
    pub fn new(inner: R, limit: Duration) -> WholeRequest<R> {
        WholeRequest {
            inner,
            limit,
            deadline: None,
        }
    }

    /// Before each request: the clock starts again with its first bytes.
    pub fn restart(&mut self) {
        self.deadline = None;
    }
}

impl<R: Read> Read for WholeRequest<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self
            .deadline
            .is_some_and(|d| d.next_wait(self.limit).is_none())
        {
            return Err(io::ErrorKind::TimedOut.into());
        }
        let n = self.inner.read(buf)?;
        if self.deadline.is_none() && n > 0 {
            self.deadline = Some(Deadline::after(self.limit));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_starts_with_the_first_byte_and_stops_a_slow_reader() {
        let mut slow = WholeRequest::new(&b"xy"[..], Duration::ZERO);
        assert_eq!(slow.read(&mut [0; 1]).unwrap(), 1, "the clock starts now");
        assert!(netcommon::is_timeout(&slow.read(&mut [0; 1]).unwrap_err()));
        slow.restart();
        assert_eq!(slow.read(&mut [0; 1]).unwrap(), 1, "the next request");
    }
}
