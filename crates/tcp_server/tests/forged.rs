//! Text from the network reaches the servers' output escaped: a client cannot rewrite the
//! terminal (ESC) or forge a line of the log (a `listening on` after a CR LF).

use std::io::{Read, Write};

use lesson_testing::{connect, example, Program};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_server");
const FORGED: &[u8] = "你好 \\ x\r\nlistening on 1.2.3.4:5\x1b[2J".as_bytes();
const SHOWN: &str = "你好 \\\\ x\\r\\nlistening on 1.2.3.4:5\\u{1b}[2J\n";

#[test]
fn tcp_server_logs_received_text_escaped() {
    let (mut server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0"]);
    let mut c = connect(addr);
    c.write_all(FORGED).unwrap();
    let me = c.local_addr().unwrap();
    server.expect(&format!("from {me}: {SHOWN}"));
}

#[test]
fn hello_server_prints_the_message_escaped() {
    let (server, addr) = Program::server(&example("hello_server"), &["--bind", "127.0.0.1:0"]);
    let mut c = connect(addr);
    let mut hello = [0; 5];
    c.read_exact(&mut hello).unwrap();
    c.write_all(FORGED).unwrap();
    let me = c.local_addr().unwrap();
    let out = server.finish();
    out.expect_code(0)
        .expect_stdout_end(&format!("from {me}: {SHOWN}"));
}

#[test]
fn chat_server_prints_the_answer_escaped() {
    let (mut server, addr) = Program::server(&example("chat_server"), &["--bind", "127.0.0.1:0"]);
    let mut c = connect(addr);
    server.expect("connected");
    server.type_line("你好");
    let mut got = [0; 6];
    c.read_exact(&mut got).unwrap();
    c.write_all(FORGED).unwrap();
    server.expect(SHOWN);
    server.type_line("Q");
    server.expect("conversation ended");
}
