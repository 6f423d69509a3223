//! Playing the other side of a lesson's program: a TCP client, UDP datagrams, someone else on
//! the network, a full listen queue, many clients at once, and the graders' logged peers.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::grade::{expected_vs_got, fail, show};
use crate::program::{Program, TIMEOUT};

/// `socket.recv_from(buf)`, waiting again when the wait ends with EINTR: on Linux a wait with a
/// timeout (`set_read_timeout`) ends that way when the process is stopped and continued, or
/// frozen and thawed, which a busy test machine does now and then.
pub fn recv_from(
    socket: &std::net::UdpSocket,
    buf: &mut [u8],
) -> std::io::Result<(usize, SocketAddr)> {
    loop {
        match socket.recv_from(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A UDP socket on 127.0.0.1 (a port the system picks) whose reads wait at most [`TIMEOUT`].
pub fn udp() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    socket
}

/// Receives one datagram (at most 64 KiB) within the socket's read timeout (see [`udp`]); returns
/// its bytes and its sender.
#[track_caller]
pub fn receive(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = vec![0; 65536];
    match recv_from(socket, &mut buf) {
        Ok((n, from)) => (buf[..n].to_vec(), from),
        Err(e) => panic!("no datagram in time: {e}"),
    }
}

/// A server played by the test for one client: it listens on 127.0.0.1 (a port the system
/// picks), accepts one connection on a thread of its own (waiting at most [`TIMEOUT`]), and hands
/// it to `serve`, its reads waiting at most [`TIMEOUT`]. Returns its address, to give the client,
/// and the thread: join it to fail the test when a check in `serve` failed.
pub fn serve_one(serve: impl FnOnce(TcpStream) + Send + 'static) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let addr = listener.local_addr().unwrap().to_string();
    let handle = thread::spawn(move || serve(accept_one(&listener).0));
    (addr, handle)
}

/// A client run to its end against a server for one client ([`serve_one`]): `client` gets the
/// server's address and runs the program (with [`run`] and the like); then the
/// server's thread is joined, so that a check in `serve` that failed fails the test. Returns how
/// the client ended.
pub fn run_against(
    serve: impl FnOnce(TcpStream) + Send + 'static,
    client: impl FnOnce(&str) -> crate::Finished,
) -> crate::Finished {
    let (addr, srv) = serve_one(serve);
    let out = client(&addr);
    srv.join().unwrap();
    out
}

/// The first connection to `listener`, waiting at most [`TIMEOUT`]; its reads wait at most
/// [`TIMEOUT`] too.
fn accept_one(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match listener.accept() {
            Ok((stream, from)) => {
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(TIMEOUT)).unwrap();
                return (stream, from);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("no client connected within {TIMEOUT:?}: {e}"),
        }
    }
}

/// Connects to `addr`; every read on the connection waits at most [`TIMEOUT`].
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connecting {addr}: {e}"));
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s
}

/// Plays a client that sends and never reads: the server's replies fill both socket buffers,
/// its write blocks, and then ours block too. Sends 64 KiB at a time until a write fails or
/// waits 3 s (at most 256 MiB, far more than any buffer).
pub fn send_and_never_read(s: &mut TcpStream) {
    s.set_write_timeout(Some(Duration::from_secs(3))).unwrap();
    let chunk = [b'x'; 64 * 1024];
    for _ in 0..4096 {
        if s.write_all(&chunk).is_err() {
            return;
        }
    }
}

/// Sends `bytes`, reads exactly `expected.len()` bytes back and compares.
pub fn exchange(s: &mut TcpStream, bytes: &[u8], expected: &[u8]) {
    s.write_all(bytes).unwrap();
    let mut got = vec![0; expected.len()];
    s.read_exact(&mut got).expect("reply in time");
    assert_eq!(got, expected);
}

/// Sends `request` in one write on a new connection, then reads until the server closes (a
/// reset after the answer is fine too); returns the answer.
pub fn ask(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut s = connect(addr);
    s.write_all(request).unwrap();
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    got
}

/// A listener that never accepts, with as many clients connected as its queue of finished
/// handshakes holds (std listens with a backlog of 128): one more `connect` gets no answer.
/// Linux only: there a full queue drops new SYNs silently, so the next client's `connect` hangs
/// while its system retries; other systems may refuse it at once instead. Keep it alive while
/// the test runs.
#[cfg(target_os = "linux")]
pub struct FullQueue {
    /// Where it listens.
    pub addr: String,
    _listener: std::net::TcpListener,
    _queued: Vec<TcpStream>,
}

#[cfg(target_os = "linux")]
impl FullQueue {
    pub fn fill() -> FullQueue {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        for _ in 0..1000 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(s) => queued.push(s),
                Err(_) => {
                    return FullQueue {
                        addr: addr.to_string(),
                        _listener: listener,
                        _queued: queued,
                    }
                }
            }
        }
        panic!("the listen queue was not full after 1000 connections");
    }

    /// Checks that `program` with `args` (naming this queue's address and `--timeout 1`) gives
    /// up connecting in time, instead of the two minutes the system keeps retrying: exit 1,
    /// `error: connecting to ADDR: no answer within 1 s (is its queue of connections full?)`,
    /// within 5 s.
    pub fn check_client_gives_up(&self, program: &str, args: &[&str]) {
        let started = Instant::now();
        let out = crate::program::run(program, args, "");
        let took = started.elapsed();
        assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
        assert_eq!(
            out.stderr,
            format!(
                "error: connecting to {}: no answer within 1 s (is its queue of connections full?)\n",
                self.addr
            ),
            "{program} {args:?}"
        );
        assert!(took < Duration::from_secs(5), "{args:?}: {took:?}");
    }
}

/// Someone else on the network: sends `texts` in turn to `to`, every 50 ms, from a UDP socket of
/// its own, until dropped (or 20 s have passed). For clients that must not take a stranger's
/// datagram for their server's.
pub struct Stranger {
    stop: Arc<AtomicBool>,
}

impl Stranger {
    pub fn keep_sending(to: SocketAddr, texts: &'static [&'static [u8]]) -> Stranger {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&stop);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(20);
            for text in texts.iter().cycle() {
                if done.load(Ordering::Relaxed) || Instant::now() > until {
                    return;
                }
                let _ = socket.send_to(text, to);
                thread::sleep(Duration::from_millis(50));
            }
        });
        Stranger { stop }
    }

    /// Waits for the first datagram at `silent` (standing in for a server that never answers)
    /// and keeps sending `texts` to the client that sent it.
    #[track_caller]
    pub fn to_the_client_of(silent: &UdpSocket, texts: &'static [&'static [u8]]) -> Stranger {
        let (_, client) = receive(silent);
        Stranger::keep_sending(client, texts)
    }

    /// Waits for `client`, which asked a server that never answers while this stranger kept
    /// sending to it (texts holding `not from the server`), and checks it gave up in time all the
    /// same: its `--timeout 1` kept (within 4 s of `started`), exit 1 with `error` on stderr, and
    /// nothing of the stranger's printed.
    pub fn check_client_gave_up(self, client: Program, started: Instant, error: &str) {
        let out = client.finish();
        drop(self);
        let took = started.elapsed();
        assert_eq!(out.code, Some(1), "{out:?}");
        assert_eq!(out.stderr, error);
        assert!(!out.stdout.contains("not from the server"), "{out:?}");
        assert!(took < Duration::from_secs(4), "{took:?}");
    }
}

impl Drop for Stranger {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Runs `client` again and again on `clients` threads at once for `how_long`; returns how many
/// times it ran in all. A failed check in `client` fails the test.
pub fn clients_for(
    how_long: Duration,
    clients: usize,
    client: impl Fn() + Send + Sync + 'static,
) -> u32 {
    let until = Instant::now() + how_long;
    let client = Arc::new(client);
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let client = Arc::clone(&client);
            thread::spawn(move || {
                let mut n = 0;
                while Instant::now() < until {
                    client();
                    n += 1;
                }
                n
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).sum()
}

/// One side of a TCP conversation with the student's program, played by the grader: every step
/// is logged ("发送 5 字节：…"), and a failure says what was expected and what came instead.
pub struct Peer {
    stream: std::net::TcpStream,
}

/// What an I/O error means, in Chinese (the system's own words only when it is none of these,
/// on a line of their own).
fn io_why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        ConnectionReset => "连接被对方重置（reset）：对方的程序可能已经退出或 panic",
        ConnectionAborted => "连接被中止",
        ConnectionRefused => "连接被拒绝：那个端口没有程序在监听",
        BrokenPipe => "对方已经关闭了连接",
        WouldBlock | TimedOut => "等待超时",
        UnexpectedEof => "对方关闭了连接",
        _ => return format!("出错了，系统的说法是：\n    {e}\n"),
    };
    what.to_string()
}

impl Peer {
    /// Connects to the student's server.
    #[track_caller]
    pub fn connect(addr: impl std::fmt::Display) -> Peer {
        let addr = addr.to_string();
        let stream = match std::net::TcpStream::connect(&addr) {
            Ok(stream) => stream,
            Err(e) => fail(&format!("连接 {addr} 失败：{}", io_why(&e))),
        };
        println!("已连接 {addr}（本地地址 {}）", stream.local_addr().unwrap());
        Peer::from(stream)
    }

    /// The grader playing a server for one client: [`serve_one`], its steps logged, the
    /// accepted connection handed to `serve` as a [`Peer`]. Join the thread with
    /// [`Ended::after_server`](crate::Ended::after_server).
    pub fn serve_one(serve: impl FnOnce(Peer) + Send + 'static) -> (String, JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let addr = listener.local_addr().unwrap().to_string();
        println!("评分程序在 {addr} 监听");
        let handle = thread::spawn(move || {
            let (stream, from) = accept_one(&listener);
            println!("客户端从 {from} 连了上来");
            serve(Peer::from(stream));
        });
        (addr, handle)
    }

    /// Wraps a connection the grader accepted (the grader playing the server).
    pub fn from(stream: std::net::TcpStream) -> Peer {
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        Peer { stream }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.stream.local_addr().unwrap()
    }

    /// Sends bytes (all of them).
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        match self.stream.write_all(bytes) {
            Ok(()) => println!("发送 {} 字节：{}", bytes.len(), show(bytes)),
            Err(e) => fail(&format!("发送 {} 字节失败：{}", bytes.len(), io_why(&e))),
        }
    }

    /// Reads exactly `n` bytes, whatever they are.
    #[track_caller]
    pub fn receive(&mut self, n: usize) -> Vec<u8> {
        let mut got = vec![0; n];
        if let Err(e) = self.stream.read_exact(&mut got) {
            fail(&format!(
                "期望在 {} 秒内收到 {n} 字节，但是{}",
                TIMEOUT.as_secs(),
                io_why(&e)
            ));
        }
        println!("收到 {n} 字节：{}", show(&got));
        got
    }

    /// Waits until bytes have arrived, leaving them unread: closing then sends a reset (RST)
    /// instead of a normal close.
    #[track_caller]
    pub fn wait_unread(&mut self) {
        match self.stream.peek(&mut [0; 1]) {
            Ok(n) if n > 0 => println!("对方发来了数据（先不读）"),
            Ok(_) => fail("期望对方发来数据，但是对方关闭了连接"),
            Err(e) => fail(&format!(
                "期望在 {} 秒内收到数据，但是{}",
                TIMEOUT.as_secs(),
                io_why(&e)
            )),
        }
    }

    /// Reads exactly `expected.len()` bytes and compares them.
    #[track_caller]
    pub fn expect(&mut self, expected: &[u8]) {
        let mut got = vec![0; expected.len()];
        let mut n = 0;
        while n < got.len() {
            let why = match self.stream.read(&mut got[n..]) {
                Ok(0) => "对方关闭了连接".to_string(),
                Ok(k) => {
                    n += k;
                    continue;
                }
                // Stopped and continued (or frozen and thawed) during the wait: wait again.
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => io_why(&e),
            };
            fail(&format!(
                "期望在 {} 秒内收到 {} 字节：{}\n但是{why}；在那之前只收到 {n} 字节：{}",
                TIMEOUT.as_secs(),
                expected.len(),
                show(expected),
                show(&got[..n])
            ));
        }
        if got != expected {
            fail(&format!(
                "收到的 {} 字节和期望的不一样：\n{}",
                got.len(),
                expected_vs_got(expected, &got)
            ));
        }
        println!("收到 {} 字节，和期望的一样：{}", got.len(), show(&got));
    }

    /// Reads until the other side closes (or resets); returns everything that came.
    #[track_caller]
    pub fn read_to_close(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        match self.stream.read_to_end(&mut all) {
            Ok(_) => println!("对方关闭了连接，之前收到 {} 字节", all.len()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                println!("对方重置了连接，之前收到 {} 字节", all.len())
            }
            Err(e) => fail(&format!(
                "期望对方在 {} 秒内关闭连接，但是{}；已收到 {}",
                TIMEOUT.as_secs(),
                io_why(&e),
                show(&all)
            )),
        }
        all
    }

    /// Closes our side for writing (the other side reads 0 bytes); reading goes on.
    #[track_caller]
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        println!("关闭了我们这一端的发送方向（对方会读到 0 字节）");
    }
}

/// The grader's UDP socket on 127.0.0.1, for the UDP lessons.
pub struct UdpPeer {
    socket: std::net::UdpSocket,
}

impl UdpPeer {
    pub fn bind() -> UdpPeer {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        UdpPeer { socket }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.socket.local_addr().unwrap()
    }

    /// Sends one datagram.
    #[track_caller]
    pub fn send_to(&self, bytes: &[u8], to: SocketAddr) {
        match self.socket.send_to(bytes, to) {
            Ok(_) => println!(
                "向 {to} 发送一个 {} 字节的数据报：{}",
                bytes.len(),
                show(bytes)
            ),
            Err(e) => fail(&format!("向 {to} 发送数据报失败：{}", io_why(&e))),
        }
    }

    /// Receives one datagram (at most 64 KiB).
    #[track_caller]
    pub fn receive(&self) -> (Vec<u8>, SocketAddr) {
        let mut buf = vec![0; 65536];
        // A wait with a timeout can end early with EINTR (Linux, after the process was stopped
        // and continued): wait again.
        match recv_from(&self.socket, &mut buf) {
            Ok((n, from)) => {
                println!("收到来自 {from} 的 {n} 字节数据报：{}", show(&buf[..n]));
                (buf[..n].to_vec(), from)
            }
            Err(e) => fail(&format!(
                "期望在 {} 秒内收到一个数据报，但是{}",
                TIMEOUT.as_secs(),
                io_why(&e)
            )),
        }
    }

    /// Receives one datagram and compares it; returns who sent it.
    #[track_caller]
    pub fn expect(&self, expected: &[u8]) -> SocketAddr {
        let (got, from) = self.receive();
        if got != expected {
            fail(&format!(
                "收到的数据报和期望的不一样：\n{}",
                expected_vs_got(expected, &got)
            ));
        }
        from
    }
}
