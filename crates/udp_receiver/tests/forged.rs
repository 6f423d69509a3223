//! Text from the network reaches the log escaped: a datagram cannot rewrite the terminal or
//! forge a line (a `listening on` line after a CR LF, say).

use std::net::UdpSocket;

use lesson_testing::Program;

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

#[test]
fn control_characters_in_a_datagram_are_printed_escaped() {
    let (server, addr) = Program::server(EXE, &["--bind", "127.0.0.1:0", "--count", "2"]);
    let me = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mine = me.local_addr().unwrap();
    me.send_to("你好 \\ ok".as_bytes(), addr).unwrap();
    me.send_to(b"x\r\nlistening on 1.2.3.4:5\x1b[2J", addr)
        .unwrap();
    let out = server.finish();
    out.expect_code(0).expect_stdout_end(&format!(
        "from {mine}: 你好 \\\\ ok\nfrom {mine}: x\\r\\nlistening on 1.2.3.4:5\\u{{1b}}[2J\n"
    ));
}
