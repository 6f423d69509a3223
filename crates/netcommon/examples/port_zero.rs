//! Port 0 means "any free port, you choose": the system picks one from its dynamic range
//! (动态端口). This is what happens when a client does not bind (notes 001 "多变的端口号"), and
//! how tests run servers without fighting over fixed ports. `local_addr()` tells which port.
//!
//! ```text
//! cargo run -q -p netcommon --example port_zero
//! ```

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::ExitCode;

use netcommon::{say, Args};

const USAGE: &str = "\
usage: port_zero

Binds UDP and TCP sockets to 127.0.0.1:0 and prints the ports the system picked.";

fn main() -> ExitCode {
    netcommon::run(USAGE, port_zero)
}

fn port_zero(args: Args) -> anyhow::Result<()> {
    args.no_more()?;
    // A UDP socket bound to port 0, twice: two different ports, chosen by the system.
    let a = UdpSocket::bind("127.0.0.1:0")?;
    let b = UdpSocket::bind("127.0.0.1:0")?;
    say!("UDP bind 127.0.0.1:0 -> {}", a.local_addr()?);
    say!("UDP bind 127.0.0.1:0 -> {}", b.local_addr()?);

    // A TCP server on port 0: it must tell its clients the real port (our `listening on` line).
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let server = listener.local_addr()?;
    say!("TCP listen on 127.0.0.1:0 -> {server}");

    // A TCP client never binds: connect() takes a free port for it (notes 001 注意 2).
    let client = TcpStream::connect(server)?;
    let (_conn, seen) = listener.accept()?;
    say!(
        "TCP client connected from {} (the server sees {seen})",
        client.local_addr()?
    );

    // The range the system picks from (Linux). Ports below 1024 are the well-known ones (知名端口).
    if let Ok(range) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range") {
        let range: Vec<&str> = range.split_whitespace().collect();
        say!("the system picks from {}", range.join("-"));
    }
    Ok(())
}
