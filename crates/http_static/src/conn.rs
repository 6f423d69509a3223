//! Looking after connections: how many are open (`--threads`), turning one away when there are
//! too many, closing one without losing the last response, and the log line.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
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

/// Past `--threads` connections: 503 at once from the accepting thread (the new socket's send
/// buffer is empty, so this small write cannot block), and close.
pub fn refuse(stream: &TcpStream, peer: SocketAddr) {
    let response = Response::page(503).header("Retry-After", "1");
    if let Ok(sent) = response.send(&mut { stream }, false, false, &mut Vec::new()) {
        log(format_args!("{peer} \"-\" 503 {sent}"));
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// One of the `--threads` places: counted when taken, given back when dropped.
pub struct Place(Arc<AtomicUsize>);

impl Place {
    /// A place, unless `max` are taken already.
    pub fn take(active: &Arc<AtomicUsize>, max: usize) -> Option<Place> {
        let place = Place(Arc::clone(active));
        (active.fetch_add(1, Ordering::SeqCst) < max).then_some(place)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One line on stdout. `println!` would panic if stdout were closed (`http_static | head -1`);
/// a server should go on.
pub fn log(line: std::fmt::Arguments) {
    let _ = writeln!(io::stdout().lock(), "{line}");
}
