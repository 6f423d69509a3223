//! Graded tests for udp_chat (homework): the grader types at the menu and plays the peer over
//! 127.0.0.1 with a UDP socket. Run one stage with `cargo test step1`.

use std::net::UdpSocket;

use netcommon::testing::{Program, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");
const MENU_PROMPT: &str = "请输入要操作的功能序号:";

fn start(extra: &[&str]) -> (Program, u16) {
    let mut args = vec!["--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    println!("started udp_chat {}", args.join(" "));
    let (mut chat, addr) = Program::server(EXE, &args);
    chat.expect(MENU_PROMPT);
    (chat, addr.port())
}

fn peer() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    socket
}

fn type_line(chat: &mut Program, line: &str) {
    println!("typed {line:?}");
    chat.type_line(line);
}

#[test]
fn step1_receives_with_choice_2() {
    let (mut chat, port) = start(&[]);
    let me = peer();
    me.send_to("你好".as_bytes(), ("127.0.0.1", port)).unwrap();
    println!("sent a datagram \"你好\" to 127.0.0.1:{port}");
    type_line(&mut chat, "2");
    chat.expect(&format!("from {}: 你好\n", me.local_addr().unwrap()));
    chat.expect(MENU_PROMPT);
}

#[test]
fn step2_sends_with_choice_1() {
    let (mut chat, _) = start(&[]);
    let me = peer();
    let my_port = me.local_addr().unwrap().port().to_string();
    for line in ["1", "hello peer", "127.0.0.1", &my_port] {
        type_line(&mut chat, line);
    }
    chat.expect(MENU_PROMPT); // the menu again: the message has been sent
    let mut buf = [0; 64];
    match me.recv_from(&mut buf) {
        Ok((n, _)) => assert_eq!(&buf[..n], b"hello peer"),
        Err(e) => panic!("expected the datagram \"hello peer\" within {TIMEOUT:?}; got {e}"),
    }
}

#[test]
fn step3_a_bad_port_brings_the_menu_back() {
    let (mut chat, port) = start(&[]);
    for line in ["1", "x", "127.0.0.1", "not-a-port"] {
        type_line(&mut chat, line);
    }
    chat.expect(MENU_PROMPT);
    let me = peer();
    me.send_to(b"still alive?", ("127.0.0.1", port)).unwrap();
    type_line(&mut chat, "2");
    chat.expect(": still alive?\n");
}

#[test]
fn step4_live_mode_prints_as_messages_arrive() {
    let (mut chat, port) = start(&["--live"]);
    let me = peer();
    me.send_to(b"no need to choose 2", ("127.0.0.1", port))
        .unwrap();
    println!("sent a datagram while the menu waits for the keyboard");
    chat.expect(&format!(
        "from {}: no need to choose 2\n",
        me.local_addr().unwrap()
    ));
}
