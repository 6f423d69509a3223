//! udp_chat 的评分测试（作业）：评分程序在菜单上打字，并用一个 UDP 套接字在 127.0.0.1 上扮演
//! 聊天的另一方。只测一关：`cargo test step1`。

use lesson_testing::{inputs, Student, UdpPeer};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");
const MENU_PROMPT: &str = "choose a function by its number: ";

fn start(extra: &[&str]) -> (Student, std::net::SocketAddr) {
    let (mut chat, addr) = Student::server_on_any_port(EXE, &[], extra);
    chat.expect(MENU_PROMPT);
    (chat, addr)
}

#[test]
fn step1_receives_with_choice_2() {
    let text = inputs().message();
    let (mut chat, addr) = start(&[]);
    let me = UdpPeer::bind();
    me.send_to(text.as_bytes(), addr);
    chat.type_line("2");
    chat.expect(&format!("from {}: {text}\n", me.local_addr()));
    chat.expect(MENU_PROMPT);
}

#[test]
fn step2_sends_with_choice_1() {
    let (mut chat, _) = start(&[]);
    let me = UdpPeer::bind();
    let my_port = me.local_addr().port().to_string();
    let text = inputs().message();
    for line in ["1", &text, "127.0.0.1", &my_port] {
        chat.type_line(line);
    }
    chat.expect(MENU_PROMPT); // the menu again: the message has been sent
    me.expect(text.as_bytes());
}

#[test]
fn step3_a_bad_port_brings_the_menu_back() {
    let (mut chat, addr) = start(&[]);
    for line in ["1", "x", "127.0.0.1", "not-a-port"] {
        chat.type_line(line);
    }
    chat.expect(MENU_PROMPT);
    let me = UdpPeer::bind();
    let text = inputs().message();
    me.send_to(text.as_bytes(), addr);
    chat.type_line("2");
    chat.expect(&format!(": {text}\n"));
}

#[test]
fn step4_live_mode_prints_as_messages_arrive() {
    let (mut chat, addr) = start(&["--live"]);
    let me = UdpPeer::bind();
    println!("菜单正在等键盘输入时，发来一个数据报：");
    let text = inputs().message();
    me.send_to(text.as_bytes(), addr);
    chat.expect(&format!("from {}: {text}\n", me.local_addr()));
}
