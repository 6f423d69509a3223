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
//! The registry keeps a second handle on each socket (`try_clone`, made by the lesson): when it
//! picks a connection to close, it gives that handle back, and the lesson shuts it down, which
//! ends that client's thread (its next read returns 0).
//!
//! ```no_run
//! # use std::net::{Shutdown, TcpListener};
//! # use netcommon::{Clients, IDLE_GRACE};
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let clients = Clients::new(1000, IDLE_GRACE, Some("--max-clients"));
//! for conn in listener.incoming() {
//!     let conn = conn?;
//!     let peer = conn.peer_addr()?;
//!     let Some((client, made_room)) = clients.admit(conn.try_clone(), peer) else {
//!         continue; // refused, and logged: dropping `conn` closes it
//!     };
//!     if let Some(old) = made_room {
//!         let _ = old.shutdown(Shutdown::Both); // that client's next read returns 0
//!     }
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

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream};
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
    /// The option that sets `max` (`--max-clients`), said when a client is refused.
    option: Option<&'static str>,
    next_id: u64,
    /// The moment activity times are counted from (they are milliseconds since it).
    epoch: Instant,
    entries: HashMap<u64, Entry>,
}

/// One served connection, as the registry sees it.
struct Entry {
    peer: SocketAddr,
    /// A `try_clone` of the client's socket: shutting it down ends the client's thread.
    handle: TcpStream,
    /// Milliseconds after `epoch` of the last read or write, refreshed by [`Client::touch`];
    /// [`NEVER`] until the first.
    last: Arc<AtomicU64>,
    /// Milliseconds after `epoch` when it was admitted.
    admitted: u64,
}

/// `last` of a connection whose thread has not touched it yet: it has sent nothing.
const NEVER: u64 = u64::MAX;
/// `last` of a connection in the middle of answering a request ([`Client::busy`]): never
/// closed to make room.
const BUSY: u64 = u64::MAX - 1;

/// One client's place in [`Clients`]. Its thread calls [`touch`](Client::touch) after each read
/// and write; dropping it (when the thread ends, however it ends) gives the place back.
pub struct Client {
    id: u64,
    last: Arc<AtomicU64>,
    epoch: Instant,
    clients: Clients,
}

impl Clients {
    /// A registry for at most `max` connections at once; one that has spoken may be replaced
    /// once it has been idle `grace` ([`IDLE_GRACE`] for the servers; tests use a short one).
    /// `option` names the command-line option that sets `max`, for the refusal's log line.
    pub fn new(max: usize, grace: Duration, option: Option<&'static str>) -> Clients {
        Clients(Arc::new(Mutex::new(Registry {
            max,
            grace,
            option,
            next_id: 0,
            epoch: Instant::now(),
            entries: HashMap::new(),
        })))
    }

    /// Registers a connection from `peer`, with `handle`, a second handle on its socket
    /// (`conn.try_clone()`, made by the lesson). When the server is full, another connection
    /// leaves the registry to make room, and its handle comes back for the lesson to shut down
    /// (which ends that client's thread): the oldest that has sent nothing, else the one idle
    /// the longest if it was idle at least the grace period. `None`: the new client must be
    /// closed (the server is full and every client active, or `try_clone` failed).
    ///
    /// Logs what it decided: `[PEER] refused: WHY`, `closing [OTHER]: idle longest, making room`.
    pub fn admit(
        &self,
        handle: io::Result<TcpStream>,
        peer: SocketAddr,
    ) -> Option<(Client, Option<TcpStream>)> {
        let refused = |why: String| {
            let who = peer_tag(peer);
            crate::say!(
                "{}",
                crate::tr!("{who} 被拒绝：{why}", "{who} refused: {why}")
            );
        };
        let handle = match handle {
            Ok(handle) => handle,
            Err(e) => {
                let e = crate::lang::io_error(&e);
                refused(crate::tr!(
                    "无法登记这个连接：{e}",
                    "cannot register it: {e}"
                ));
                return None;
            }
        };
        match self.register(handle, peer) {
            Ok((client, made_room)) => {
                let old = made_room.map(|old| {
                    crate::say!("{old}");
                    old.handle
                });
                Some((client, old))
            }
            Err(full) => {
                refused(full.to_string());
                None
            }
        }
    }

    /// Takes a connection out to make room without admitting one (after `accept` failed for
    /// want of file descriptors), by the same rule as [`admit`](Clients::admit), and logs it.
    /// The handle comes back for the caller to shut down; `None` when none may go.
    pub fn make_room(&self) -> Option<TcpStream> {
        let mut reg = self.lock();
        let now = millis_since(reg.epoch);
        let old = reg.take_victim(now)?;
        drop(reg); // the log line is written without the lock
        crate::say!("{old}");
        Some(old.handle)
    }

    /// [`admit`](Clients::admit)'s decision, without the log.
    fn register(
        &self,
        handle: TcpStream,
        peer: SocketAddr,
    ) -> Result<(Client, Option<MadeRoom>), Full> {
        let mut reg = self.lock();
        let now = millis_since(reg.epoch);
        let mut made_room = None;
        if reg.entries.len() >= reg.max {
            let (max, grace, option) = (reg.max, reg.grace, reg.option);
            made_room = Some(reg.take_victim(now).ok_or(Full { max, grace, option })?);
        }
        let id = reg.next_id;
        reg.next_id += 1;
        let last = Arc::new(AtomicU64::new(NEVER));
        let epoch = reg.epoch;
        let entry = Entry {
            peer,
            handle,
            last: Arc::clone(&last),
            admitted: now,
        };
        reg.entries.insert(id, entry);
        let client = Client {
            id,
            last,
            epoch,
            clients: self.clone(),
        };
        Ok((client, made_room))
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

/// A connection taken out of the registry to make room for a new client.
struct MadeRoom {
    peer: SocketAddr,
    /// The second handle on its socket, given to [`Clients::admit`].
    handle: TcpStream,
    why: Replaced,
}

/// The log line: `closing [PEER]: idle longest, making room`.
impl fmt::Display for MadeRoom {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let peer = peer_tag(self.peer);
        let line = match self.why {
            Replaced::Silent => crate::tr!(
                "关闭 {peer}：连上以后什么都没发，给新客户端腾位置",
                "closing {peer}: sent nothing since it connected, making room"
            ),
            Replaced::Idle => crate::tr!(
                "关闭 {peer}：空闲最久，给新客户端腾位置",
                "closing {peer}: idle longest, making room"
            ),
        };
        f.write_str(&line)
    }
}

/// The server is full and every connection has spoken within the grace period: the new client
/// must be closed. Shown as the reason: `already serving 2 clients, all active in the last 1.5 s`.
#[derive(Debug)]
struct Full {
    max: usize,
    grace: Duration,
    option: Option<&'static str>,
}

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (max, grace) = (self.max, self.grace.as_secs_f64());
        let s = if max == 1 { "" } else { "s" };
        let why = if self.grace.is_zero() {
            crate::tr!(
                "已经在服务 {max} 个客户端，都在处理请求",
                "already serving {max} client{s}, all busy answering a request"
            )
        } else {
            crate::tr!(
                "已经在服务 {max} 个客户端，都在最近 {grace:.1} 秒内活动过",
                "already serving {max} client{s}, all active in the last {grace:.1} s"
            )
        };
        match self.option {
            Some(option) => write!(f, "{why}{}", crate::tr!("（{option}）", " ({option})")),
            None => f.write_str(&why),
        }
    }
}

/// Why a connection was closed to make room.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Replaced {
    /// It had sent nothing since it connected.
    Silent,
    /// It had been idle the longest, at least the grace period.
    Idle,
}

impl Registry {
    /// Takes out the connection to close for a newcomer at `now` (see [`victim`](Self::victim));
    /// `None`: none may be closed.
    fn take_victim(&mut self, now: u64) -> Option<MadeRoom> {
        let (id, why) = self.victim(now)?;
        let old = self.entries.remove(&id).expect("the id was just found");
        Some(MadeRoom {
            peer: old.peer,
            handle: old.handle,
            why,
        })
    }

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
            .filter(|&(_, last)| last != BUSY)
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

    /// The connection is busy (answering a request it has read): it is not closed to make
    /// room until the next [`touch`](Client::touch), which makes it idle again from then on.
    pub fn busy(&self) {
        self.last.store(BUSY, Ordering::Relaxed);
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

/// The log line when a client's thread cannot be started (`thread::Builder::spawn` failed: out
/// of memory, or the system's limit on threads): its connection is closed, the server goes on.
pub fn no_thread(peer: SocketAddr, e: &io::Error) -> String {
    let (who, e) = (peer_tag(peer), crate::lang::io_error(e));
    crate::tr!(
        "{who} 已断开：开不了新线程：{e}",
        "{who} dropped: cannot start a thread: {e}"
    )
}

fn millis_since(epoch: Instant) -> u64 {
    epoch.elapsed().as_millis() as u64
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

    type Admitted = (Client, Option<MadeRoom>);

    /// Registers `server`'s connection, shutting down (as the lessons do) the one it replaces.
    fn admit(clients: &Clients, server: &TcpStream, peer: SocketAddr) -> Result<Admitted, Full> {
        let admitted = clients.register(server.try_clone().unwrap(), peer)?;
        if let Some(old) = &admitted.1 {
            old.handle.shutdown(std::net::Shutdown::Both).unwrap();
        }
        Ok(admitted)
    }

    fn replaced(admitted: &Admitted) -> Option<(SocketAddr, Replaced)> {
        admitted.1.as_ref().map(|old| (old.peer, old.why))
    }

    #[test]
    fn full_and_all_active_refuses_the_new_one() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::new(2, Duration::from_secs(60), None);
        let (s1, _c1, p1) = pair(&l);
        let (s2, _c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let a = admit(&clients, &s1, p1).unwrap();
        let b = admit(&clients, &s2, p2).unwrap();
        a.0.touch(); // both have spoken
        b.0.touch();
        assert_eq!(replaced(&a), None);
        let why = admit(&clients, &s3, p3).err().expect("full").to_string();
        assert!(why.contains("already serving 2 clients"), "{why}");
        assert_eq!(clients.len(), 2);
        drop(a); // a place comes back
        assert_eq!(clients.len(), 1);
        assert!(admit(&clients, &s3, p3).is_ok());
    }

    #[test]
    fn full_replaces_the_longest_idle_and_closes_it() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::new(2, Duration::from_millis(50), None);
        let (s1, mut c1, p1) = pair(&l);
        let (s2, _c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let first = admit(&clients, &s1, p1).unwrap().0;
        first.touch();
        thread::sleep(Duration::from_millis(30));
        let second = admit(&clients, &s2, p2).unwrap().0;
        second.touch();
        thread::sleep(Duration::from_millis(100));
        second.touch(); // active: the first one is now the longest idle
        let third = admit(&clients, &s3, p3).unwrap();
        assert_eq!(replaced(&third), Some((p1, Replaced::Idle)));
        let line = third.1.as_ref().unwrap().to_string();
        assert_eq!(line, format!("closing [{p1}]: idle longest, making room"));
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
        let clients = Clients::new(2, Duration::from_secs(60), None);
        let (s1, _c1, p1) = pair(&l);
        let (s2, mut c2, p2) = pair(&l);
        let (s3, _c3, p3) = pair(&l);
        let (s4, _c4, p4) = pair(&l);
        let spoke = admit(&clients, &s1, p1).unwrap().0;
        spoke.touch();
        let silent = admit(&clients, &s2, p2).unwrap().0;
        // Full; the silent one goes, however young, and the one that spoke stays.
        let third = admit(&clients, &s3, p3).unwrap();
        assert_eq!(replaced(&third), Some((p2, Replaced::Silent)));
        assert!(silent.was_replaced() && !spoke.was_replaced());
        assert_eq!(c2.read(&mut [0; 1]).unwrap_or(0), 0);
        // The newcomer is silent too until it speaks: the next newcomer replaces it.
        let fourth = admit(&clients, &s4, p4).unwrap();
        assert_eq!(replaced(&fourth), Some((p3, Replaced::Silent)));
        fourth.0.touch();
        let (s5, _c5, p5) = pair(&l);
        assert!(
            admit(&clients, &s5, p5).is_err(),
            "all spoke, all within the grace"
        );
    }

    #[test]
    fn a_busy_connection_is_never_closed_to_make_room() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let clients = Clients::new(1, Duration::ZERO, None);
        let (s1, _c1, p1) = pair(&l);
        let (s2, _c2, p2) = pair(&l);
        let first = admit(&clients, &s1, p1).unwrap().0;
        first.busy();
        assert!(admit(&clients, &s2, p2).is_err(), "busy: kept");
        assert!(clients.make_room().is_none());
        first.touch(); // idle again, and the grace is zero
        let second = admit(&clients, &s2, p2).unwrap();
        assert_eq!(replaced(&second), Some((p1, Replaced::Idle)));
    }

    #[test]
    fn peers_in_brackets_once() {
        assert_eq!(peer_tag("127.0.0.1:5".parse().unwrap()), "[127.0.0.1:5]");
        assert_eq!(peer_tag("[::1]:5".parse().unwrap()), "[::1]:5");
    }
}
