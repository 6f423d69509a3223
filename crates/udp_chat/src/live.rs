//! Live mode's keyboard and screen: a message that arrives while a question waits for the
//! keyboard goes on a line of its own, and the question is printed again below it, so a
//! message never lands in the middle of what you are typing.

use std::io;
use std::net::UdpSocket;
use std::sync::Mutex;
use std::thread;

use netcommon::{input_or_eof, is_port_unreachable, say, tr};

/// The question the keyboard is waiting on ("" when none).
static PENDING: Mutex<String> = Mutex::new(String::new());

/// Python's `input(question)`, remembering the question while the keyboard is awaited.
pub fn ask(question: &str) -> io::Result<Option<String>> {
    {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        netcommon::log::prompt(question); // a closed stdout is no reason to stop
        *pending = question.trim_start_matches('\n').to_string();
    }
    let answer = input_or_eof("");
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).clear();
    answer
}

/// Live mode: a message never lands in the middle of a question. It goes on a line of its own,
/// and the question that was waiting is printed again below it.
fn print_above_question(line: &str) {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    if pending.is_empty() {
        say!("{line}");
    } else {
        say!("\n{line}");
        netcommon::log::prompt(&pending);
    }
}

/// Starts the thread that receives and prints every message as it arrives. It waits without a
/// deadline: waiting for the next message is its whole job.
pub fn receive_in_background(
    socket: UdpSocket,
    recv_msg: impl Fn(&UdpSocket) -> io::Result<String> + Send + 'static,
) {
    thread::spawn(move || loop {
        match recv_msg(&socket) {
            Ok(line) => print_above_question(&line),
            Err(e) if is_port_unreachable(&e) => {} // Windows: an earlier send found no one
            Err(e) => {
                let why = netcommon::lang::io_error(&e);
                return say!("{}", tr!("错误：接收：{why}", "error: receiving: {why}"));
            }
        }
    });
}
