//! The relay itself: for TCP, two sockets and two directions per client; for UDP, one socket
//! towards the server per client address.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use netcommon::lang::io_error;
use netcommon::{is_port_unreachable, is_reset, is_timeout, say, tr, Client, Encoding};

use crate::show::{self, chunk, event, mermaid_note, Dir};

/// The most one read takes: 64 KiB, so a big transfer passes in big chunks.
const BUF_SIZE: usize = 64 * 1024;
/// How long connecting to the server may take before the client is told no.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection with no byte either way for this long is closed (both sides).
const IDLE: Duration = Duration::from_secs(300);
/// A UDP client silent (and unanswered) this long is forgotten, its socket closed.
const UDP_IDLE: Duration = Duration::from_secs(60);
/// How often a UDP client's thread looks whether it has been forgotten.
const UDP_TICK: Duration = Duration::from_secs(1);
/// At most this many UDP clients at once; a datagram from one more is dropped (and said).
const MAX_UDP_CLIENTS: usize = 256;

/// What the two directions of one TCP connection share.
struct Connection<'a> {
    id: u64,
    client: TcpStream,
    server: TcpStream,
    encoding: Encoding,
    /// Set by the first direction that ends the whole connection (a reset, a timeout, a
    /// failed write): the other one then ends without a word.
    ended: AtomicBool,
    /// The last byte either way, in milliseconds of [`show::millis`]: a client that only
    /// downloads is not idle while the server sends.
    last: AtomicU64,
    place: &'a Client,
}

/// One client, from connect to close: connect to the server, then relay both ways at once,
/// a thread for each direction, until both are done.
// ANCHOR: connection
pub fn tcp(
    client: TcpStream,
    peer: SocketAddr,
    id: u64,
    target: SocketAddr,
    encoding: Encoding,
    place: &Client,
) {
    let server = match TcpStream::connect_timeout(&target, CONNECT_TIMEOUT) {
        Ok(server) => server,
        Err(e) => {
            let why = io_error(&e);
            event(id, &tr!(
                "客户端 {peer} 已连接，但是连不上服务器 {target}：{why}；关闭这个客户端",
                "client {peer} connected, but the server {target} cannot be reached: {why}; closing the client"
            ));
            mermaid_note(id, &tr!("连不上服务器", "the server cannot be reached"));
            return; // dropping `client` closes it
        }
    };
    event(
        id,
        &tr!(
            "客户端 {peer} 已连接；已连上服务器 {target}",
            "client {peer} connected; connected to the server {target}"
        ),
    );
    mermaid_note(id, &tr!("已连接", "connected"));
    for s in [&client, &server] {
        let _ = s.set_read_timeout(Some(IDLE));
        let _ = s.set_write_timeout(Some(IDLE));
    }
    let conn = Connection {
        id,
        client,
        server,
        encoding,
        ended: AtomicBool::new(false),
        last: AtomicU64::new(show::millis()),
        place,
    };
    let (up, down) = thread::scope(|s| {
        let conn = &conn;
        match thread::Builder::new().spawn_scoped(s, move || conn.pump(Dir::ToClient)) {
            Ok(back) => (conn.pump(Dir::ToServer), back.join().unwrap_or(0)),
            Err(e) => {
                event(
                    id,
                    &tr!(
                        "无法启动线程：{}",
                        "cannot start a thread: {}",
                        io_error(&e)
                    ),
                );
                (0, 0)
            }
        }
    });
    event(id, &tr!(
        "连接结束（两个方向都关闭了）：客户端 → 服务器 共 {up} 字节，服务器 → 客户端 共 {down} 字节",
        "closed (both directions done): client → server {up} bytes, server → client {down} bytes"
    ));
}
// ANCHOR_END: connection

impl Connection<'_> {
    /// One direction: read a chunk, show it, write it on; until a 0-byte read (passed on as a
    /// half-close) or an error (which ends both directions). Returns how many bytes passed.
    // ANCHOR: pump
    fn pump(&self, dir: Dir) -> u64 {
        let (mut from, mut to) = match dir {
            Dir::ToServer => (&self.client, &self.server),
            Dir::ToClient => (&self.server, &self.client),
        };
        let id = self.id;
        let mut buf = vec![0; BUF_SIZE];
        let mut total = 0;
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) => {
                    // A 0-byte read: the sender sent FIN, it will send nothing more (it may
                    // still read). Pass it on, so the receiver's read returns 0 too.
                    if !self.ended.load(Ordering::Relaxed) {
                        let who = dir.sender();
                        event(id, &tr!(
                            "{}：{who}关闭了发送方向（FIN，read 返回 0 字节）；转告对方（shutdown(Write)）",
                            "{}: {who} closed its sending side (FIN: a 0-byte read); passing it on (shutdown(Write))",
                            dir.label()
                        ));
                        mermaid_note(id, &tr!("{who}发来 FIN", "FIN from {who}"));
                    }
                    let _ = to.shutdown(Shutdown::Write);
                    return total;
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(&e) && !self.idle() => continue, // the other way is busy
                Err(e) => return self.end(dir, &e, true, total),
            };
            self.place.touch();
            self.last.store(show::millis(), Ordering::Relaxed);
            chunk(id, dir, &buf[..n], self.encoding, false);
            if let Err(e) = to.write_all(&buf[..n]) {
                return self.end(dir, &e, false, total);
            }
            total += n as u64;
        }
    }
    // ANCHOR_END: pump

    /// Has the connection been silent both ways for [`IDLE`]?
    fn idle(&self) -> bool {
        show::millis().saturating_sub(self.last.load(Ordering::Relaxed)) >= IDLE.as_millis() as u64
    }

    /// A reset, a timeout or another error on `dir`'s reading side (`reading`) or writing side:
    /// said once, and both sockets shut down both ways, which ends the other direction too.
    fn end(&self, dir: Dir, e: &io::Error, reading: bool, total: u64) -> u64 {
        if !self.ended.swap(true, Ordering::Relaxed) {
            let (who, label) = match (dir, reading) {
                (Dir::ToServer, true) | (Dir::ToClient, false) => {
                    (Dir::ToServer.sender(), dir.label())
                }
                _ => (Dir::ToClient.sender(), dir.label()),
            };
            let line = if is_reset(e) {
                mermaid_note(self.id, &tr!("{who}发来 RST", "RST from {who}"));
                tr!(
                    "{label}：{who}重置了连接（RST）；关闭两边",
                    "{label}: {who} reset the connection (RST); closing both sides"
                )
            } else if is_timeout(e) {
                let secs = IDLE.as_secs();
                tr!(
                    "{label}：{secs} 秒没有任何数据；关闭两边",
                    "{label}: nothing either way for {secs} s; closing both sides"
                )
            } else {
                let why = io_error(e);
                tr!(
                    "{label}：{why}；关闭两边",
                    "{label}: {why}; closing both sides"
                )
            };
            event(self.id, &line);
        }
        let _ = self.client.shutdown(Shutdown::Both);
        let _ = self.server.shutdown(Shutdown::Both);
        total
    }
}

/// One UDP client, as the wiretap knows it.
struct UdpClient {
    id: u64,
    /// Connected to the server: the server's answers come back on it, and only its.
    upstream: Arc<UdpSocket>,
    last: Arc<AtomicU64>,
}

/// UDP: every datagram from a client goes to the server from a socket of that client's own
/// (made at its first datagram), so the server's answers can be told apart and sent back to
/// the right client.
// ANCHOR: udp
pub fn udp(socket: UdpSocket, target: SocketAddr, encoding: Encoding) -> ! {
    let socket = Arc::new(socket);
    let clients: Arc<Mutex<HashMap<SocketAddr, UdpClient>>> = Arc::default();
    let mut buf = vec![0; 65536]; // a UDP datagram holds at most 65,507 bytes: all of it fits
    let mut next_id = 0;
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            // Windows: an earlier datagram we sent found no one listening. Not fatal.
            Err(e) if is_port_unreachable(&e) || e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                say!(
                    "{}",
                    tr!("recvfrom 失败：{}", "recvfrom failed: {}", io_error(&e))
                );
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let mut map = clients.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(&from) {
            if map.len() >= MAX_UDP_CLIENTS {
                say!(
                    "{}",
                    tr!(
                        "{from}：已经有 {MAX_UDP_CLIENTS} 个客户端，丢掉这个数据报",
                        "{from}: already {MAX_UDP_CLIENTS} clients, datagram dropped"
                    )
                );
                continue;
            }
            next_id += 1;
            match new_udp_client(next_id, from, target, &socket, &clients, encoding) {
                Ok(client) => map.insert(from, client),
                Err(e) => {
                    event(next_id, &tr!("{from}：{}", "{from}: {}", io_error(&e)));
                    continue;
                }
            };
        }
        let client = &map[&from];
        client.last.store(show::millis(), Ordering::Relaxed);
        chunk(client.id, Dir::ToServer, &buf[..n], encoding, true);
        if let Err(e) = client.upstream.send(&buf[..n]) {
            event(
                client.id,
                &tr!(
                    "发给服务器失败：{}",
                    "sending to the server failed: {}",
                    io_error(&e)
                ),
            );
        }
    }
}
// ANCHOR_END: udp

/// A socket connected to the server for the client at `from`, and the thread that sends the
/// server's answers back to it until it has been silent for [`UDP_IDLE`].
fn new_udp_client(
    id: u64,
    from: SocketAddr,
    target: SocketAddr,
    socket: &Arc<UdpSocket>,
    clients: &Arc<Mutex<HashMap<SocketAddr, UdpClient>>>,
    encoding: Encoding,
) -> io::Result<UdpClient> {
    let upstream = UdpSocket::bind(netcommon::any_local(target))?;
    upstream.connect(target)?;
    upstream.set_read_timeout(Some(UDP_TICK))?;
    let local = upstream.local_addr()?;
    event(
        id,
        &tr!(
            "新客户端 {from}；从 {local} 转发给服务器 {target}",
            "new client {from}; relayed to the server {target} from {local}"
        ),
    );
    let upstream = Arc::new(upstream);
    let last = Arc::new(AtomicU64::new(show::millis()));
    let (back, socket, clients, last2) = (
        Arc::clone(&upstream),
        Arc::clone(socket),
        Arc::clone(clients),
        Arc::clone(&last),
    );
    thread::Builder::new().spawn(move || {
        let mut buf = vec![0; 65536];
        loop {
            match back.recv(&mut buf) {
                Ok(n) => {
                    last2.store(show::millis(), Ordering::Relaxed);
                    chunk(id, Dir::ToClient, &buf[..n], encoding, true);
                    if let Err(e) = socket.send_to(&buf[..n], from) {
                        event(
                            id,
                            &tr!(
                                "发给客户端失败：{}",
                                "sending to the client failed: {}",
                                io_error(&e)
                            ),
                        );
                    }
                }
                Err(e)
                    if e.kind() == io::ErrorKind::ConnectionRefused || is_port_unreachable(&e) =>
                {
                    event(
                        id,
                        &tr!(
                        "服务器 {target} 的端口上没有程序在监听（ICMP port unreachable）",
                        "no program listens on the server's port {target} (ICMP port unreachable)"
                    ),
                    );
                }
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {
                    let idle = show::millis().saturating_sub(last2.load(Ordering::Relaxed));
                    if idle >= UDP_IDLE.as_millis() as u64 {
                        clients
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&from);
                        let secs = UDP_IDLE.as_secs();
                        event(
                            id,
                            &tr!(
                                "{from} {secs} 秒没有数据：忘掉它",
                                "{from} silent for {secs} s: forgotten"
                            ),
                        );
                        return;
                    }
                }
                Err(e) => {
                    event(id, &tr!("recv 失败：{}", "recv failed: {}", io_error(&e)));
                    thread::sleep(UDP_TICK);
                }
            }
        }
    })?;
    Ok(UdpClient { id, upstream, last })
}
