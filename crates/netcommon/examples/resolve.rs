//! Resolves HOST:PORT the way every lesson does before it connects or sends: `ToSocketAddrs`,
//! which asks the system resolver (the hosts file first, `/etc/hosts` or
//! `C:\Windows\System32\drivers\etc\hosts`, then DNS). Prints every address it gets, in order.
//!
//! ```text
//! cargo run -q -p netcommon --example resolve -- localhost:8080 127.0.0.1:80
//! ```

use std::net::ToSocketAddrs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() || names.iter().any(|n| n == "--help" || n == "-h") {
        println!("usage: resolve HOST:PORT...   (like localhost:8080)");
        return if names.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let mut status = ExitCode::SUCCESS;
    for name in &names {
        // "localhost:8080".to_socket_addrs() is getaddrinfo("localhost", "8080"): zero, one or
        // several addresses. A literal address (127.0.0.1:80) comes back as it is, no look-up.
        match name.to_socket_addrs() {
            Ok(addrs) => {
                let addrs: Vec<String> = addrs.map(|a| a.to_string()).collect();
                println!("{name} -> {}", addrs.join(", "));
            }
            Err(e) => {
                println!("{name} -> error: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
