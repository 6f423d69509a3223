//! The listen queue (backlog): the system finishes the 3-way handshake for clients the program
//! has not `accept`ed yet and keeps them in a queue; `accept` only takes the next one out
//! (notes 002 "三次握手": 完成握手队列, "accept 取出一个"). std's `TcpListener::bind` calls
//! `listen(fd, 128)`, the notes' `listen(128)`.
//!
//! ```text
//! cargo run -q -p netcommon --example backlog
//! ```

use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

use netcommon::{say, Args};

const USAGE: &str = "\
usage: backlog

Connects 3 clients to a server on 127.0.0.1 before it accepts any, then accepts them:
the system keeps finished handshakes in the listen queue until accept() takes them out.";

/// How many clients connect before the server accepts any.
const CLIENTS: usize = 3;

fn main() -> ExitCode {
    netcommon::run(USAGE, backlog)
}

fn backlog(args: Args) -> anyhow::Result<()> {
    args.no_more()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    say!(
        "listening on {} (std: listen(fd, 128))",
        listener.local_addr()?
    );

    // connect() returns as soon as the handshake is done, and the system does that on its own:
    // no accept() has run yet.
    let mut clients = Vec::new();
    for n in 1..=CLIENTS {
        let client = TcpStream::connect(listener.local_addr()?)?;
        say!(
            "client {n} connected from {}, before any accept()",
            client.local_addr()?
        );
        clients.push(client);
    }

    // accept() takes them out of the queue, oldest first.
    for _ in 1..=CLIENTS {
        let (_conn, addr) = listener.accept()?;
        let n = clients
            .iter()
            .position(|c| c.local_addr().ok() == Some(addr));
        say!("accept() -> {addr} (client {})", n.map_or(0, |i| i + 1));
    }
    Ok(())
}
