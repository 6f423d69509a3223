//! A tiny `nc`: connects to HOST:PORT, sends everything from stdin, half-closes (FIN: "that is
//! all"), and prints everything the server sends back until it closes. For looking at a protocol
//! byte by byte, such as an HTTP request typed by hand:
//!
//! ```text
//! printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | cargo run -q -p netcommon --example raw -- 127.0.0.1:8888
//! ```

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

/// A server silent this long is given up on.
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr] = args.as_slice() else {
        eprintln!("usage: raw HOST:PORT   (sends stdin, prints the reply)");
        return ExitCode::from(2);
    };
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str) -> io::Result<()> {
    let mut request = Vec::new();
    io::stdin().read_to_end(&mut request)?;
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.write_all(&request)?;
    stream.shutdown(Shutdown::Write)?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?;
    io::stdout().write_all(&reply)?;
    io::stdout().flush()
}
