//! Text from the network reaches the log escaped: a client cannot rewrite the terminal (ESC)
//! or forge a line of the log (a `listening on` after a CR LF). A line end at the end of what
//! it sent is left out of the log line, as before.

use lesson_testing::{connect, exchange, Program};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

#[test]
fn received_text_is_logged_escaped() {
    let (mut server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0"]);
    let mut c = connect(addr);
    let forged = "你好 \\ x\r\nlistening on 1.2.3.4:5\x1b[2J\r\n";
    exchange(&mut c, forged.as_bytes(), forged.to_uppercase().as_bytes());
    let me = c.local_addr().unwrap();
    server.expect(&format!(
        "from {me}: 你好 \\\\ x\\r\\nlistening on 1.2.3.4:5\\u{{1b}}[2J\n"
    ));
}
