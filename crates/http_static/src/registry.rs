//! The open connections, at most `--threads`. Why a real server needs it: a thread per connection
//! costs memory and a descriptor, so their number is bounded; when all places are taken, the
//! connection that has waited longest for its client (idle between requests, or stuck in the
//! middle of a head) makes room for the new one, the way nginx reuses idle keep-alive
//! connections. Its small interface (`admit`, `make_room`, `waiting`, `busy`) is all the server
//! uses.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One open connection, shared by its thread and the table of connections.
pub struct Conn {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    /// Since when (milliseconds after `Conns::start`, plus one) it waits for the client: idle
    /// between requests, or with a head still arriving. 0 while a request is being answered.
    waiting_since: AtomicU64,
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

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for a new connection, or the stream back when all `max` are taken (to be
    /// refused: call [`Conns::make_room`] first).
    pub fn admit(
        self: &Arc<Self>,
        stream: TcpStream,
        peer: SocketAddr,
    ) -> Result<Place, TcpStream> {
        let mut open = self.lock();
        if open.len() >= self.max {
            return Err(stream);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            stream,
            peer,
            waiting_since: AtomicU64::new(0),
        });
        self.waiting(&conn);
        open.insert(id, Arc::clone(&conn));
        Ok(Place {
            conns: Arc::clone(self),
            id,
            conn,
        })
    }

    /// Whether all places are taken.
    pub fn full(&self) -> bool {
        self.lock().len() >= self.max
    }

    /// Takes out of the table the connection that has waited longest for its client, and how
    /// long it waited; the caller shuts it, so that its thread's read returns at once and the
    /// thread ends. `None` when every connection is busy answering a request.
    pub fn make_room(&self) -> Option<(Arc<Conn>, Duration)> {
        let mut open = self.lock();
        let (since, id) = open
            .iter()
            .map(|(id, c)| (c.waiting_since.load(Ordering::Relaxed), *id))
            .filter(|&(since, _)| since > 0)
            .min()?;
        let waited = self.now_ms().saturating_sub(since);
        open.remove(&id)
            .map(|conn| (conn, Duration::from_millis(waited)))
    }

    /// From now on `conn` waits for its client (and may be closed to make room).
    pub fn waiting(&self, conn: &Conn) {
        conn.waiting_since.store(self.now_ms(), Ordering::Relaxed);
    }

    /// A request has arrived on `conn` and is being answered: not to be closed now.
    pub fn busy(&self, conn: &Conn) {
        conn.waiting_since.store(0, Ordering::Relaxed);
    }

    /// Milliseconds since the table was made, plus one (0 means "busy").
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64 + 1
    }
}
