//! Looking after connections: the open ones (at most `--threads`), making room for a new one by
//! closing the one idle the longest, closing one without losing the last response, counting
//! `accept` errors, and the access log.

use std::collections::HashMap;
use std::io::Read;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::response::Response;

/// Before closing, what the client still sends is read and dropped for at most this long.
const LINGER: Duration = Duration::from_secs(2);

/// Closes politely: shut our sending side (the client sees the end), then read and drop what
/// the client may still be sending, for a moment. Closing with unread bytes would send a reset
/// (RST), which can destroy our last response before the client has read it.
pub fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER));
    let (until, mut reader, mut sink) = (Instant::now() + LINGER, stream, [0; 4096]);
    while Instant::now() < until && matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
}

/// Every connection is busy (none idle to close): 503 at once from the accepting thread (the
/// new socket's send buffer is empty, so this small write cannot block), and close.
pub fn refuse(stream: &TcpStream, peer: SocketAddr) {
    let response = Response::page(503).header("Retry-After", "1");
    if let Ok(sent) = response.send(&mut { stream }, false, false, &mut Vec::new()) {
        log(format_args!("{peer} \"-\" 503 {sent}"));
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// One open connection, shared by its thread and the table of connections.
pub struct Conn {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    /// Since when (milliseconds after `Conns::start`, plus one) it waits for the client: idle
    /// between requests, or with a head still arriving. 0 while a request is being answered.
    waiting_since: AtomicU64,
}

impl Conn {
    /// From now on the connection waits for the client (and may be closed to make room).
    pub fn waiting(&self, conns: &Conns) {
        let ms = conns.start.elapsed().as_millis() as u64 + 1;
        self.waiting_since.store(ms, Ordering::Relaxed);
    }

    /// A request has arrived and is being answered: not to be closed now.
    pub fn busy(&self) {
        self.waiting_since.store(0, Ordering::Relaxed);
    }
}

/// The open connections, at most `max`. Each request only touches its own connection's
/// `waiting_since`; the lock is taken when a connection opens or closes.
pub struct Conns {
    open: Mutex<HashMap<u64, Arc<Conn>>>,
    next_id: AtomicU64,
    max: usize,
    start: Instant,
}

/// A connection's place in [`Conns`], given back when its thread ends (dropped).
pub struct Place {
    pub conns: Arc<Conns>,
    id: u64,
    pub conn: Arc<Conn>,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.conns.lock().remove(&self.id);
    }
}

impl Conns {
    pub fn new(max: usize) -> Conns {
        Conns {
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            max,
            start: Instant::now(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for a new connection. When all `max` are taken, the connection that has waited
    /// the longest for its client (idle, or stuck in the middle of a head) is closed to make
    /// room, the way nginx reuses idle keep-alive connections; `None` only when all are busy
    /// answering a request. The stream comes back then, to be refused.
    pub fn admit(
        self: &Arc<Self>,
        stream: TcpStream,
        peer: SocketAddr,
    ) -> Result<Place, TcpStream> {
        let mut open = self.lock();
        if open.len() >= self.max && !close_longest_waiting(&mut open, &self.start) {
            return Err(stream);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            stream,
            peer,
            waiting_since: AtomicU64::new(0),
        });
        conn.waiting(self);
        open.insert(id, Arc::clone(&conn));
        Ok(Place {
            conns: Arc::clone(self),
            id,
            conn,
        })
    }

    /// Out of file descriptors: close the longest-waiting connection, so that the next
    /// `accept` (or `open`) can succeed.
    pub fn make_room(&self) {
        close_longest_waiting(&mut self.lock(), &self.start);
    }
}

/// Shuts the connection that has waited longest: its thread's read returns at once (0 bytes)
/// and the thread ends. Whether there was one.
fn close_longest_waiting(open: &mut HashMap<u64, Arc<Conn>>, start: &Instant) -> bool {
    let longest = open
        .iter()
        .map(|(id, c)| (c.waiting_since.load(Ordering::Relaxed), *id))
        .filter(|&(since, _)| since > 0)
        .min();
    let Some((since, id)) = longest else {
        return false;
    };
    if let Some(conn) = open.remove(&id) {
        let _ = conn.stream.shutdown(Shutdown::Both);
        let waited = start.elapsed().as_millis() as u64 + 1 - since;
        let (peer, secs) = (conn.peer, waited as f64 / 1000.0);
        log(format_args!(
            "{}",
            netcommon::tr!(
                "{peer} 已关闭，给新连接腾地方（它等客户端等了 {secs:.1} 秒）",
                "{peer} closed to make room (waited {secs:.1} s for its client)"
            )
        ));
    }
    true
}

/// One line of the access log, through netcommon's writer thread: a request thread never
/// waits on stdout (500 threads would otherwise take turns on its lock, or all stop when
/// nobody reads the output).
pub fn log(line: std::fmt::Arguments) {
    netcommon::log::log(line)
}
