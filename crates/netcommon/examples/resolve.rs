//! Resolves HOST:PORT the way every lesson does before it connects or sends: `ToSocketAddrs`,
//! which asks the system resolver (the hosts file first, `/etc/hosts` or
//! `C:\Windows\System32\drivers\etc\hosts`, then DNS). Prints every address it gets, in order.
//!
//! ```text
//! cargo run -q -p netcommon --example resolve -- localhost:8080 127.0.0.1:80
//! ```

use std::net::ToSocketAddrs;
use std::process::ExitCode;

use netcommon::{say, usage_error, Args};

const USAGE: &str = "\
usage: resolve HOST:PORT...

Prints every address the system resolver gives for each HOST:PORT (like localhost:8080).";

fn main() -> ExitCode {
    netcommon::run(USAGE, resolve)
}

fn resolve(args: Args) -> anyhow::Result<()> {
    let names = args.finish()?;
    if names.is_empty() {
        return usage_error("give at least one HOST:PORT");
    }
    let mut failed = 0;
    for name in &names {
        // "localhost:8080".to_socket_addrs() is getaddrinfo("localhost", "8080"): zero, one or
        // several addresses. A literal address (127.0.0.1:80) comes back as it is, no look-up.
        match name.to_socket_addrs() {
            Ok(addrs) => {
                let addrs: Vec<String> = addrs.map(|a| a.to_string()).collect();
                say!("{name} -> {}", addrs.join(", "));
            }
            Err(e) => {
                say!("{name} -> error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} names did not resolve", names.len());
    }
    Ok(())
}
