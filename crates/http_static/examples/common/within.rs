//! What request_viewer and fake_response share: one deadline for a whole request. Each example
//! includes this file (`#[path = "common/within.rs"] mod within;`).

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A connection whose reads all share one deadline: each read waits only for the time left
/// until then (`set_read_timeout` on its own would start again at every byte).
pub struct Within<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl<'a> Within<'a> {
    pub fn new(stream: &'a TcpStream, limit: Duration) -> Within<'a> {
        // `limit` is at most a day (Args::seconds); `+` would panic if the clock overflowed,
        // so the sum is checked all the same, with a day as the fallback.
        let now = Instant::now();
        let until = now
            .checked_add(limit)
            .or_else(|| now.checked_add(Duration::from_secs(24 * 60 * 60)))
            .unwrap_or(now);
        Within { stream, until }
    }
}

impl Read for Within<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}
