//! Runs the real udp_chat: two chats talking, the menu's edge cases, the live mode, and the
//! notes' own Python chat in both directions.

use std::net::UdpSocket;

use netcommon::testing::{check_command_line, free_port, python3, run, Program, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");
const PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/py/");
const MENU_PROMPT: &str = "请输入要操作的功能序号:";

fn chat(extra: &[&str]) -> (Program, u16) {
    let mut args = vec!["--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let (mut p, addr) = Program::server(EXE, &args);
    p.expect(MENU_PROMPT);
    (p, addr.port())
}

/// Menu choice 1 and its three questions, in the notes' order: message, ip, port.
fn send(p: &mut Program, message: &str, port: u16) {
    p.type_line("1");
    p.expect("请输入要发送的数据:");
    p.type_line(message);
    p.expect("请输入对方的ip地址:");
    p.type_line("127.0.0.1");
    p.expect("请输入对方的port:");
    p.type_line(&port.to_string());
    p.expect(MENU_PROMPT);
}

#[test]
fn two_chats_send_and_receive_through_the_menu() {
    let (mut a, a_port) = chat(&[]);
    let (mut b, b_port) = chat(&[]);
    send(&mut a, "你好, B", b_port);
    b.type_line("2");
    b.expect(&format!("from 127.0.0.1:{a_port}: 你好, B\n"));
    send(&mut b, "hi A", a_port);
    a.type_line("2");
    a.expect(&format!("from 127.0.0.1:{b_port}: hi A\n"));

    a.type_line("3");
    assert_eq!(a.finish().code, Some(0));
    assert_eq!(b.finish().code, Some(0), "end of input quits too");
}

#[test]
fn the_menu_survives_bad_choices_bad_ports_and_bad_bytes() {
    let (mut a, a_port) = chat(&[]);
    a.type_line("9");
    a.expect("输入有误，请重新输入...");
    a.type_line("1");
    a.type_line("msg");
    a.type_line("127.0.0.1");
    a.type_line("not-a-port");
    a.expect("端口必须是 0-65535 的整数");
    a.type_line("1");
    a.type_line("msg");
    a.type_line("no.such.host.invalid");
    a.type_line("9");
    a.expect("发送失败");

    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to(b"\xff\xfebad", ("127.0.0.1", a_port)).unwrap();
    peer.send_to(&[b'z'; 1500], ("127.0.0.1", a_port)).unwrap();
    a.type_line("2");
    a.expect(": \u{fffd}\u{fffd}bad\n");
    a.type_line("2");
    let line = a.expect("zzz");
    assert_eq!(line.matches('z').count(), 1024, "{line}");
    a.expect_stderr("longer than 1024 bytes");

    a.type_line("3");
    assert_eq!(a.finish().code, Some(0));
}

#[test]
fn end_of_input_in_the_middle_of_a_send_quits_cleanly() {
    let out = run(EXE, &["--bind", "127.0.0.1:0"], "1\nhalf a message\n");
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn live_mode_prints_messages_as_they_arrive() {
    let (mut live, live_port) = chat(&["--live"]);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(TIMEOUT)).unwrap();
    let peer_addr = peer.local_addr().unwrap();
    // Nobody chose 2: the receive thread prints it while the menu waits for the keyboard.
    peer.send_to("不用选2".as_bytes(), ("127.0.0.1", live_port))
        .unwrap();
    live.expect(&format!("from {peer_addr}: 不用选2\n"));
    // And sending still works meanwhile.
    send(&mut live, "back", peer_addr.port());
    let mut buf = [0; 64];
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"back");
    live.type_line("3");
    assert_eq!(live.finish().code, Some(0));
}

#[test]
fn command_line_mistakes_exit_2() {
    let bad: [&[&str]; 4] = [&["--bogus"], &["extra"], &["--bind"], &["--bind", "7890"]];
    check_command_line(EXE, "udp_chat", &bad);
}

#[test]
fn python_notes_chat_in_both_directions() {
    let Some(py) = python3() else { return };
    let py_port = free_port();
    let mut python = Program::start(py, &[&format!("{PY}udp_chat_001.py"), &py_port.to_string()]);
    python.expect(MENU_PROMPT);
    let (mut rust, rust_port) = chat(&[]);

    // Rust → Python: the notes print ">>>('IP', PORT):TEXT".
    send(&mut rust, "你好 Python", py_port);
    python.type_line("2");
    python.expect(&format!(">>>('127.0.0.1', {rust_port}):你好 Python\n"));

    // Python → Rust, through the notes' own menu and questions.
    python.expect(MENU_PROMPT);
    python.type_line("1");
    python.type_line("你好 Rust");
    python.type_line("127.0.0.1");
    python.type_line(&rust_port.to_string());
    python.expect(MENU_PROMPT);
    rust.type_line("2");
    rust.expect(&format!("from 127.0.0.1:{py_port}: 你好 Rust\n"));
}
