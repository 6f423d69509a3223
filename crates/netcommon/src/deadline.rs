//! Deadlines, and the end of a polite close: what every server here adds around the notes'
//! `recv` and `send`.
//!
//! A per-read timeout alone does not stop a client that trickles one byte every two seconds:
//! every read succeeds in time, forever. A [`Deadline`] bounds the whole (a connection, a
//! message): each wait is the idle timeout, or less when the deadline is nearer. The lessons
//! set that wait on the socket themselves (`set_read_timeout`, `set_write_timeout`), where the
//! reader sees it.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A point in time by which something must be done, counted from [`Deadline::after`].
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    start: Instant,
    total: Duration,
}

impl Deadline {
    /// A deadline `total` from now.
    pub fn after(total: Duration) -> Deadline {
        Deadline {
            start: Instant::now(),
            total,
        }
    }

    /// How long the next read or write may wait: `idle`, or less when the deadline is nearer
    /// (at least a millisecond: std refuses a zero timeout). `None` once it has passed.
    pub fn next_wait(&self, idle: Duration) -> Option<Duration> {
        let left = self.total.checked_sub(self.start.elapsed())?;
        (!left.is_zero()).then(|| idle.min(left).max(Duration::from_millis(1)))
    }

    /// Has it passed? After a timeout, this tells the total deadline from the idle one. A
    /// timer may fire a hair early: a few milliseconds short still count.
    pub fn has_passed(&self) -> bool {
        self.start.elapsed() + Duration::from_millis(5) >= self.total
    }
}

/// The log line's reason when a wait timed out or `deadline` passed: `what` says what the
/// client did not do (`"sent nothing"`), `options` are the lesson's names for the two limits
/// (`["--idle-timeout", "--max-time"]`), so the reader learns which one to change.
pub fn timed_out(what: &str, idle: Duration, deadline: &Deadline, options: [&str; 2]) -> String {
    let [idle_option, total_option] = options;
    if deadline.has_passed() {
        let total = deadline.total.as_secs_f64();
        crate::tr!(
            "已连接 {total} 秒：关闭连接（上限是 {total_option} S）",
            "connected for {total} s: closing it (the limit is {total_option} S)"
        )
    } else {
        let idle = idle.as_secs_f64();
        crate::tr!(
            "{idle} 秒内{what}：关闭连接（要等更久：{idle_option} S）",
            "{what} for {idle} s: closing it (to wait longer: {idle_option} S)"
        )
    }
}

/// The second half of a polite close, after `conn.shutdown(Shutdown::Write)`: read and drop
/// what the peer still sends until it closes its side, for at most `within` in all and 64 KiB.
/// Closing with bytes unread would send a reset (RST), which can destroy our last bytes before
/// the peer has read them. Errors end it quietly: the peer has gone, which is what we wait for.
pub fn drain(mut conn: &TcpStream, within: Duration) {
    let deadline = Deadline::after(within);
    let (mut sink, mut budget) = ([0; 4096], 64 * 1024);
    while let Some(wait) = deadline.next_wait(within) {
        if conn.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match conn.read(&mut sink) {
            Ok(0) => return,
            Ok(n) if n >= budget => return,
            Ok(n) => budget -= n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::{Shutdown, TcpListener};

    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        (l.accept().unwrap().0, client)
    }

    #[test]
    fn each_wait_is_the_idle_timeout_or_what_is_left() {
        let d = Deadline::after(Duration::from_secs(60));
        assert_eq!(
            d.next_wait(Duration::from_secs(5)),
            Some(Duration::from_secs(5))
        );
        let short = Deadline::after(Duration::from_millis(200));
        let wait = short.next_wait(Duration::from_secs(5)).unwrap();
        assert!(wait <= Duration::from_millis(200), "{wait:?}");
        std::thread::sleep(Duration::from_millis(210));
        assert_eq!(short.next_wait(Duration::from_secs(5)), None);
        assert!(short.has_passed() && !d.has_passed());
    }

    #[test]
    fn the_reason_names_the_lessons_option_for_the_limit_that_was_reached() {
        let options = ["--idle-timeout", "--max-time"];
        let idle = Duration::from_millis(50);
        let open = Deadline::after(Duration::from_secs(60));
        assert_eq!(
            timed_out("sent nothing", idle, &open, options),
            "sent nothing for 0.05 s: closing it (to wait longer: --idle-timeout S)"
        );
        let over = Deadline::after(Duration::from_millis(80));
        std::thread::sleep(Duration::from_millis(90));
        assert_eq!(
            timed_out("sent nothing", idle, &over, ["--idle", "--total"]),
            "connected for 0.08 s: closing it (the limit is --total S)"
        );
    }

    #[test]
    fn drain_ends_at_the_peers_close_or_the_deadline() {
        let (server, mut client) = pair();
        client.write_all(b"left over").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let started = Instant::now();
        drain(&server, Duration::from_secs(10));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "ended at the close"
        );

        let (server, client) = pair(); // a peer that never closes
        let started = Instant::now();
        drain(&server, Duration::from_millis(100));
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(95), "{took:?}");
        assert!(took < Duration::from_secs(5), "{took:?}");
        drop(client);
    }
}
