//! Who a threaded server is serving, and the deadlines each connection lives by.
//!
//! A server that starts a thread per client must bound them, or a flood of connections starts
//! threads until the machine gives up. Turning the newest client away is what most simple
//! servers do, but then 1,000 idle connections lock every real client out. [`Clients`] does what
//! nginx does with idle keep-alive connections: when the server is full, a new client takes the
//! place of another:
//!
//! 1. a connection that has sent nothing since it connected (its thread never called
//!    [`Client::touch`]), the oldest first, however young: a flood of silent connections, 500
//!    a second, must not lock real clients out for the grace period;
//! 2. else the connection idle the longest, if it has been idle at least [`IDLE_GRACE`].
//!
//! Only when every connection has spoken and was active within the grace period is the new
//! client closed at once.
//!
//! ```no_run
//! # use std::net::TcpListener;
//! # use netcommon::Clients;
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let clients = Clients::new(1000);
//! for conn in listener.incoming() {
//!     let conn = conn?;
//!     let peer = conn.peer_addr()?;
//!     // Logs `[PEER] refused: WHY` or `closing [OTHER]: idle longest, making room`.
//!     let Some(client) = clients.welcome(&conn, peer, None) else {
//!         continue; // refused: dropping `conn` closes it
//!     };
//!     // ... hand `conn` and `client` to a thread; call `client.touch()` after each read and
//!     // write; the place is given back when `client` is dropped.
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Memory: one entry is about 100 bytes (the peer's address, a second handle on the socket, the
//! last-activity time), so 5,000 entries take about half a megabyte. What costs more is each
//! client's thread: its stack is reserved (2 MiB of address space by default in Rust), but only
//! the pages it touches are real memory. Measured with tcp_multi_server (debug build, Linux):
//! 5,000 connections served at once (`--max-clients 6000`) take 72 MB resident, about 14 KiB
//! each; with the default limit of 1,000, a flood of 5,000 leaves 1,000 threads and 17 MB. The
//! kernel's socket buffers come on top, as for any server.
//!
//! [`Deadlines`] gives each connection two limits: the idle one (no byte for S seconds) and a
//! total one (the whole connection, or one message). A per-read timeout alone does not stop a
//! client that trickles one byte every two seconds: every read succeeds in time, forever.

use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A connection must have been idle at least this long before a new client may take its place:
/// a client in the middle of an exchange is never cut off for a newcomer, only one that has
/// been silent (and not reading what we send) for a moment. 1.5 s keeps a client that sends a
/// byte every 2 s (a slow-loris) replaceable, and an ordinary request/reply safe.
pub const IDLE_GRACE: Duration = Duration::from_millis(1500);

/// The connections a threaded server is serving, at most `max` of them. Clone it freely: the
/// clones share one registry (the accept loop admits, the client threads touch and leave).
#[derive(Clone)]
pub struct Clients(Arc<Mutex<Registry>>);

struct Registry {
    max: usize,
    grace: Duration,
    next_id: u64,
    /// The moment activity times are counted from (they are milliseconds since it).
    epoch: Instant,
    entries: HashMap<u64, Entry>,
}

/// One served connection, as the registry sees it.
struct Entry {
    peer: SocketAddr,
    /// A `try_clone` of the client's socket: shutting it down ends the client's thread.
    stream: TcpStream,
    /// Milliseconds after `epoch` of the last read or write, refreshed by [`Client::touch`];
    /// [`NEVER`] until the first.
    last: Arc<AtomicU64>,
    /// Milliseconds after `epoch` when it was admitted.
    admitted: u64,
}

/// `last` of a connection whose thread has not touched it yet: it has sent nothing.
const NEVER: u64 = u64::MAX;

/// One client's place in [`Clients`]. Its thread calls [`touch`](Client::touch) after each read
/// and write; dropping it (when the thread ends, however it ends) gives the place back.
pub struct Client {
    /// Set when this client took the place of another one: that one's address and why it was
    /// chosen, for the log (`closing [PEER]: idle longest, making room`).
    pub made_room_from: Option<(SocketAddr, Replaced)>,
    id: u64,
    last: Arc<AtomicU64>,
    epoch: Instant,
    clients: Clients,
}

impl Clients {
    /// A registry for at most `max` connections at once, replacing those idle [`IDLE_GRACE`].
    pub fn new(max: usize) -> Clients {
        Clients::with_grace(max, IDLE_GRACE)
    }

    /// Like [`new`](Clients::new), with another grace period (tests use a short one).
    pub fn with_grace(max: usize, grace: Duration) -> Clients {
        Clients(Arc::new(Mutex::new(Registry {
            max,
            grace,
            next_id: 0,
            epoch: Instant::now(),
            entries: HashMap::new(),
        })))
    }

    /// Registers the connection `conn` from `peer`. When the server is full, another
    /// connection is shut down (both ways: its thread's next read returns 0 and the thread ends)
    /// and the new one takes its place: the oldest that has sent nothing, else the one idle the
    /// longest if it was idle at least the grace period. Otherwise `Err` says why the new
    /// client must be closed.
    pub fn admit(&self, conn: &TcpStream, peer: SocketAddr) -> Result<Client, String> {
        let stream = conn.try_clone().map_err(|e| {
            crate::tr!(
                "无法登记这个连接：{}",
                "cannot register the connection: {}",
                crate::lang::io_error(&e)
            )
        })?;
        let mut reg = self.lock();
        let now = millis_since(reg.epoch);
        let mut made_room_from = None;
        if reg.entries.len() >= reg.max {
            let (id, why) = reg.victim(now).ok_or_else(|| {
                let (max, grace) = (reg.max, reg.grace.as_secs_f64());
                let s = if max == 1 { "" } else { "s" };
                crate::tr!(
                    "已经在服务 {max} 个客户端，都在最近 {grace:.1} 秒内活动过",
                    "already serving {max} client{s}, all active in the last {grace:.1} s"
                )
            })?;
            let victim = reg.entries.remove(&id).expect("the id was just found");
            let _ = victim.stream.shutdown(Shutdown::Both); // already closed: fine
            made_room_from = Some((victim.peer, why));
        }
        let id = reg.next_id;
        reg.next_id += 1;
        let last = Arc::new(AtomicU64::new(NEVER));
        let epoch = reg.epoch;
        let entry = Entry {
            peer,
            stream,
            last: Arc::clone(&last),
            admitted: now,
        };
        reg.entries.insert(id, entry);
        Ok(Client {
            made_room_from,
            id,
            last,
            epoch,
            clients: self.clone(),
        })
    }

    /// [`admit`](Clients::admit), and the log line a server writes about it: `[PEER] refused:
    /// WHY` (with `(OPTION)` after it when `option` names the one that sets the limit) when the
    /// new client must be closed, `closing [OTHER]: idle longest, making room` when it took
    /// another's place. `None`: close `conn` (dropping it does).
    pub fn welcome(
        &self,
        conn: &TcpStream,
        peer: SocketAddr,
        option: Option<&str>,
    ) -> Option<Client> {
        match self.admit(conn, peer) {
            Ok(client) => {
                match client.made_room_from {
                    Some((closed, Replaced::Silent)) => crate::say!(
                        "{}",
                        crate::tr!(
                            "关闭 {}：连上以后什么都没发，给新客户端腾位置",
                            "closing {}: sent nothing since it connected, making room",
                            peer_tag(closed)
                        )
                    ),
                    Some((closed, Replaced::Idle)) => crate::say!(
                        "{}",
                        crate::tr!(
                            "关闭 {}：空闲最久，给新客户端腾位置",
                            "closing {}: idle longest, making room",
                            peer_tag(closed)
                        )
                    ),
                    None => {}
                }
                Some(client)
            }
            Err(why) => {
                let who = peer_tag(peer);
                match option {
                    Some(option) => crate::say!(
                        "{}",
                        crate::tr!(
                            "{who} 被拒绝：{why}（{option}）",
                            "{who} refused: {why} ({option})"
                        )
                    ),
                    None => crate::say!(
                        "{}",
                        crate::tr!("{who} 被拒绝：{why}", "{who} refused: {why}")
                    ),
                }
                None
            }
        }
    }

    /// How many connections are registered now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// No connection registered?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A panic in one client's thread must not stop the others: a poisoned lock is still used
    /// (the registry holds no half-done change: every update is one insert or remove).
    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Why a connection was closed to make room.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Replaced {
    /// It had sent nothing since it connected.
    Silent,
    /// It had been idle the longest, at least the grace period.
    Idle,
}

impl Registry {
    /// The connection to close for a newcomer at `now`, and why; `None`: none may be closed.
    fn victim(&self, now: u64) -> Option<(u64, Replaced)> {
        let silent = self
            .entries
            .iter()
            .filter(|(_, e)| e.last.load(Ordering::Relaxed) == NEVER)
            .min_by_key(|(_, e)| e.admitted);
        if let Some((id, _)) = silent {
            return Some((*id, Replaced::Silent));
        }
        let (id, last) = self
            .entries
            .iter()
            .map(|(id, e)| (*id, e.last.load(Ordering::Relaxed)))
            .min_by_key(|&(_, last)| last)?;
        let grace = self.grace.as_millis() as u64;
        (now.saturating_sub(last) >= grace).then_some((id, Replaced::Idle))
    }
}

impl Client {
    /// Records activity now: call it after each read and write that moved bytes. Until the
    /// first call the connection counts as silent, the first to make room when the server is
    /// full: call it first after a read (a write may only have filled a buffer).
    pub fn touch(&self) {
        self.last.store(millis_since(self.epoch), Ordering::Relaxed);
    }

    /// Was this connection shut down to make room for a newer client? Its thread checks this
    /// when a read returns 0, so as not to log "the client closed" for what we closed.
    pub fn was_replaced(&self) -> bool {
        !self.clients.lock().entries.contains_key(&self.id)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.clients.lock().entries.remove(&self.id);
    }
}

/// A peer as the servers' logs show it: `[127.0.0.1:50312]`, and `[::1]:50312` for IPv6,
/// whose address already has its brackets (`[{addr}]` would print `[[::1]:50312]`).
pub fn peer_tag(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(_) => format!("[{addr}]"),
        SocketAddr::V6(_) => addr.to_string(),
    }
}

fn millis_since(epoch: Instant) -> u64 {
    epoch.elapsed().as_millis() as u64
}

/// The two deadlines of a connection (or of one message): `idle`, the longest wait for any one
/// read or write, and `total`, counted from [`Deadlines::start`], for everything together.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    /// The longest one read or write may wait.
    pub idle: Duration,
    /// The longest the whole connection (or message) may take.
    pub total: Duration,
    start: Instant,
}

impl Deadlines {
    /// Starts the clock now.
    pub fn start(idle: Duration, total: Duration) -> Deadlines {
        Deadlines {
            idle,
            total,
            start: Instant::now(),
        }
    }

    /// Sets `conn`'s read and write timeouts for the next call: the idle timeout, or less when
    /// the total deadline is nearer. Fails with `TimedOut` when the total time is already up.
    pub fn arm(&self, conn: &TcpStream) -> io::Result<()> {
        let left = self.total.saturating_sub(self.start.elapsed());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "total time is up"));
        }
        // A zero timeout is refused by std: at least one millisecond.
        let next = self.idle.min(left).max(Duration::from_millis(1));
        conn.set_read_timeout(Some(next))?;
        conn.set_write_timeout(Some(next))
    }

    /// After a read or write timed out (see [`is_timeout`](crate::is_timeout)): was it the
    /// total deadline (else it was the idle one)? The log should say which, and the option
    /// that changes it.
    pub fn total_is_up(&self) -> bool {
        // A timer may fire a hair early: a few milliseconds short of the total still count.
        self.start.elapsed() + Duration::from_millis(5) >= self.total
    }

    /// The log line's reason after a timeout, naming the deadline that expired and the option
    /// that changes it (`--idle-timeout S` or `--max-time S`, as the servers call them):
    /// `what` says what the client did not do (`"sent nothing"`).
    pub fn expired(&self, what: &str) -> String {
        if self.total_is_up() {
            let total = self.total.as_secs_f64();
            crate::tr!(
                "已连接 {total} 秒：关闭连接（上限是 --max-time S）",
                "connected for {total} s: closing it (the limit is --max-time S)"
            )
        } else {
            let idle = self.idle.as_secs_f64();
            crate::tr!(
                "{idle} 秒内{what}：关闭连接（要等更久：--idle-timeout S）",
                "{what} for {idle} s: closing it (to wait longer: --idle-timeout S)"
            )
        }
    }
}

/// Did the peer go away while we read or wrote? A client that closes while our answer is on
/// its way makes the next read or write fail with a reset, an abort or a broken pipe,
/// depending on timing and the system: all three mean the same, the client has gone.
pub fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;
    use std::thread;

    /// A connected pair: (our server side, the client side).
    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream, SocketAddr) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, peer) = listener.accept().unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        (server, client, peer)
    }

    #[test]
    fn full_and_all_active_refuses_the_new_one() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::with_grace(2, Duration::from_secs(60));
        let (s1, _c1, p1) = pair(&l);
        let (s2, _c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let a = clients.admit(&s1, p1).unwrap();
        let b = clients.admit(&s2, p2).unwrap();
        a.touch(); // both have spoken
        b.touch();
        assert_eq!(a.made_room_from, None);
        let why = clients.admit(&s3, p3).err().expect("full");
        assert!(why.contains("already serving 2 clients"), "{why}");
        assert_eq!(clients.len(), 2);
        drop(a); // a place comes back
        assert_eq!(clients.len(), 1);
        assert!(clients.admit(&s3, p3).is_ok());
    }

    #[test]
    fn full_replaces_the_longest_idle_and_closes_it() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::with_grace(2, Duration::from_millis(50));
        let (s1, mut c1, p1) = pair(&l);
        let (s2, _c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let first = clients.admit(&s1, p1).unwrap();
        first.touch();
        thread::sleep(Duration::from_millis(30));
        let second = clients.admit(&s2, p2).unwrap();
        second.touch();
        thread::sleep(Duration::from_millis(100));
        second.touch(); // active: the first one is now the longest idle
        let third = clients.admit(&s3, p3).unwrap();
        assert_eq!(third.made_room_from, Some((p1, Replaced::Idle)));
        assert!(first.was_replaced() && !second.was_replaced());
        assert_eq!(clients.len(), 2);
        // The replaced client sees its connection closed.
        let mut buf = [0; 1];
        assert_eq!(c1.read(&mut buf).unwrap_or(0), 0);
        drop(first); // its thread ends: nothing else is removed
        assert_eq!(clients.len(), 2);
    }

    #[test]
    fn a_silent_connection_makes_room_even_inside_the_grace() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::with_grace(2, Duration::from_secs(60));
        let (s1, _c1, p1) = pair(&l);
        let (s2, mut c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let (s4, _c4, p4) = pair(&l);
        let spoke = clients.admit(&s1, p1).unwrap();
        spoke.touch();
        let silent = clients.admit(&s2, p2).unwrap();
        // Full; the silent one goes, however young, and the one that spoke stays.
        let third = clients.admit(&s3, p3).unwrap();
        assert_eq!(third.made_room_from, Some((p2, Replaced::Silent)));
        assert!(silent.was_replaced() && !spoke.was_replaced());
        assert_eq!(c2.read(&mut [0; 1]).unwrap_or(0), 0);
        // The newcomer is silent too until it speaks: the next newcomer replaces it.
        let fourth = clients.admit(&s4, p4).unwrap();
        assert_eq!(fourth.made_room_from, Some((p3, Replaced::Silent)));
        fourth.touch();
        let (s5, _c5, p5) = pair(&l);
        assert!(
            clients.admit(&s5, p5).is_err(),
            "all spoke, all within the grace"
        );
    }

    #[test]
    fn peers_in_brackets_once() {
        assert_eq!(peer_tag("127.0.0.1:5".parse().unwrap()), "[127.0.0.1:5]");
        assert_eq!(peer_tag("[::1]:5".parse().unwrap()), "[::1]:5");
    }

    #[test]
    fn deadlines_say_which_one_expired() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let (mut s, _c, _) = pair(&l);
        let d = Deadlines::start(Duration::from_millis(50), Duration::from_secs(60));
        d.arm(&s).unwrap();
        let e = s.read(&mut [0; 1]).unwrap_err();
        assert!(crate::is_timeout(&e), "{e}");
        assert!(!d.total_is_up());
        let why = d.expired("sent nothing");
        assert_eq!(
            why,
            "sent nothing for 0.05 s: closing it (to wait longer: --idle-timeout S)"
        );

        let d = Deadlines::start(Duration::from_secs(60), Duration::from_millis(80));
        d.arm(&s).unwrap();
        let e = s.read(&mut [0; 1]).unwrap_err();
        assert!(crate::is_timeout(&e), "{e}");
        assert!(d.total_is_up());
        let why = d.expired("sent nothing");
        assert_eq!(
            why,
            "connected for 0.08 s: closing it (the limit is --max-time S)"
        );
        assert_eq!(d.arm(&s).unwrap_err().kind(), io::ErrorKind::TimedOut);
    }
}
