//! The client stopped by a signal in the middle of a download (Unix): SIGTERM (`kill PID`, a
//! service manager) and SIGHUP (its terminal closed) delete the temporary `.NAME.partPID`, as
//! Ctrl-C does, and the exit is not a success.

#![cfg(unix)]

use netcommon::again;
use std::fs;
use std::io::{Read, Write};
use std::thread;

use lesson_testing::{serve_one, wait_until, Program, TempDir};

const EXE: &str = env!("CARGO_BIN_EXE_file_downloader");
/// What the stalling server sends before it stops sending.
const FIRST: usize = 100_000;

/// A server that reads the name, sends FIRST bytes, then stays silent with the connection open
/// until the client goes away (at most TIMEOUT). Returns its address.
fn stalling_server() -> (String, thread::JoinHandle<()>) {
    serve_one(|mut s| {
        let _ = again(|| s.read(&mut [0; 1024])); // the name
        if s.write_all(&vec![b'x'; FIRST]).is_ok() {
            let _ = again(|| s.read(&mut [0; 1])); // returns when the client is gone
        }
    })
}

#[test]
fn sigterm_and_sighup_mid_download_leave_nothing() {
    for signal in ["TERM", "HUP"] {
        let dir = TempDir::new(&format!("fd-signal-{signal}"));
        let out_dir = dir.join("out");
        fs::create_dir_all(&out_dir).unwrap();
        let (addr, server) = stalling_server();
        let client = Program::start_in(&out_dir, EXE, &["client", &addr, "stalled.bin"]);
        // Wait until the first bytes are in the temporary file.
        let part = out_dir.join(format!(".stalled.bin.part{}", client.pid()));
        wait_until(&format!("a partial file {}", part.display()), || {
            fs::metadata(&part).map_or(0, |m| m.len()) >= FIRST as u64
        });
        client.signal(signal);
        let out = client.finish();
        server.join().unwrap();
        assert_eq!(out.code, Some(1), "SIG{signal}: {out:?}");
        assert!(
            out.stderr
                .contains("terminated (SIGTERM, SIGHUP): the partial download was deleted"),
            "SIG{signal}: {out:?}"
        );
        let left: Vec<_> = fs::read_dir(&out_dir).unwrap().collect();
        assert!(left.is_empty(), "SIG{signal} left behind: {left:?}");
    }
}
