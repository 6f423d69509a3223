//! A server never waits on its own log: with its stdout a pipe that nobody reads (a reader that
//! stopped, a terminal paused with Ctrl-S), it goes on serving; the lines that did not fit are
//! dropped and counted, and the count is said once the output is read again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");
/// More log lines than the writer's queue (16,384) and a pipe's buffer hold together.
const ECHOES: usize = 24_000;

#[test]
fn a_stdout_nobody_reads_never_stops_the_server() {
    let mut server = lesson_testing::command(EXE)
        .args(["--bind", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let addr = first
        .strip_prefix("listening on ")
        .expect("the listening line")
        .trim()
        .to_string();

    // Nobody reads stdout from here on, while 4 clients echo 24,000 lines in all.
    let start = Instant::now();
    let clients: Vec<_> = (0..4)
        .map(|k| {
            let addr = addr.clone();
            thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut reply = [0; 16];
                for i in 0..ECHOES / 4 {
                    let msg = format!("m{k}-{i:06}");
                    s.write_all(msg.as_bytes()).unwrap();
                    s.read_exact(&mut reply[..msg.len()])
                        .unwrap_or_else(|e| panic!("echo {i} of client {k}: {e}"));
                    assert_eq!(&reply[..msg.len()], msg.to_uppercase().as_bytes());
                }
            })
        })
        .collect();
    for c in clients {
        c.join()
            .expect("every echo answered while stdout was not read");
    }
    let took = start.elapsed();

    // Read again: the lines that did not fit were dropped, and the writer says how many.
    let (lines, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in out.lines() {
            if lines.send(line.unwrap_or_default()).is_err() {
                return;
            }
        }
    });
    let until = Instant::now() + Duration::from_secs(10);
    let note = loop {
        let left = until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("log lines dropped") => break line,
            Ok(_) => {}
            Err(_) => panic!("no note of dropped lines within 10 s"),
        }
    };
    assert!(
        note.starts_with('(') && note.ends_with("dropped: the output was not being read)"),
        "{note}"
    );
    let _ = server.kill();
    let _ = server.wait();
    println!("{ECHOES} echoes in {took:?} with stdout not read; then: {note}");
}
