//! What request_viewer and fake_response share: one deadline for a whole request. Each example
//! includes this file (`#[path = "common/within.rs"] mod within;`).

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::Duration;

use netcommon::Deadline;

/// A connection whose reads all share one deadline: each read waits only for the time left
/// until then (`set_read_timeout` on its own would start again at every byte).
pub struct Within<'a> {
    stream: &'a TcpStream,
    limit: Duration,
    deadline: Deadline,
}

impl<'a> Within<'a> {
    pub fn new(stream: &'a TcpStream, limit: Duration) -> Within<'a> {
        let deadline = Deadline::after(limit);
        Within {
            stream,
            limit,
            deadline,
        }
    }
}

impl Read for Within<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(left) = self.deadline.next_wait(self.limit) else {
            return Err(io::ErrorKind::TimedOut.into());
        };
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}
