//! Runs the real udp_chat: two chats talking, the menu's edge cases, the live mode, and the
//! notes' own Python chat in both directions.

use std::net::UdpSocket;

use lesson_testing::{
    check_command_line, python, python_on_free_port, receive, run, start_on_free_port, udp,
    Program, NOTES_PY,
};

const EXE: &str = env!("CARGO_BIN_EXE_udp_chat");
const MENU_PROMPT: &str = "choose a function by its number: ";
/// The notes' own menu question (python/notes/001_udp_chat.py), which our chat asks in Chinese.
const NOTES_MENU_PROMPT: &str = "请输入要操作的功能序号:";

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
    p.expect("data to send: ");
    p.type_line(message);
    p.expect("peer ip: ");
    p.type_line("127.0.0.1");
    p.expect("peer port: ");
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
    a.expect("wrong input, please try again...");
    a.type_line("1");
    a.type_line("msg");
    a.type_line("127.0.0.1");
    a.type_line("not-a-port");
    let line = a.expect("a port is a whole number from 0 to 65535");
    assert!(line.ends_with(", not \"not-a-port\".\n"), "{line:?}");
    a.expect("wrong input, please try again...\n");
    a.type_line("1");
    a.type_line("msg");
    a.type_line("no.such.host.invalid");
    a.type_line("9");
    a.expect("could not send to no.such.host.invalid:9: ");
    // An IPv6 peer from an IPv4 chat: the reason, and what to do.
    a.type_line("1");
    a.type_line("msg");
    a.type_line("::1");
    a.type_line("9");
    let line = a.expect("could not send to [::1]:9: ");
    assert!(
        line.contains("another IP version: use --bind to match"),
        "{line}"
    );

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
    out.expect_code(0);
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn live_mode_prints_messages_as_they_arrive() {
    let (mut live, live_port) = chat(&["--live"]);
    let peer = udp();
    let peer_addr = peer.local_addr().unwrap();
    // Nobody chose 2: the receive thread prints it while the menu waits for the keyboard.
    peer.send_to("不用选2".as_bytes(), ("127.0.0.1", live_port))
        .unwrap();
    live.expect(&format!("from {peer_addr}: 不用选2\n"));
    // And sending still works meanwhile.
    send(&mut live, "back", peer_addr.port());
    let (got, _) = receive(&peer);
    assert_eq!(got, b"back");
    live.type_line("3");
    assert_eq!(live.finish().code, Some(0));
}

#[test]
fn live_mode_never_writes_into_the_prompt_line() {
    let (mut live, live_port) = chat(&["--live"]);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let peer_addr = peer.local_addr().unwrap();
    // The menu's question waits for the keyboard; a message arrives.
    peer.send_to(b"mid-prompt?", ("127.0.0.1", live_port))
        .unwrap();
    // It goes on its own line, and the question is asked again below it.
    live.expect(&format!("\nfrom {peer_addr}: mid-prompt?\n{MENU_PROMPT}"));
    // Also in the middle of choice 1's questions.
    live.type_line("1");
    live.expect("data to send: ");
    peer.send_to(b"again", ("127.0.0.1", live_port)).unwrap();
    live.expect(&format!("\nfrom {peer_addr}: again\ndata to send: "));
    let out = live.finish().stdout;
    for line in out.lines().filter(|l| l.contains("from 127.0.0.1")) {
        assert!(
            line.starts_with("from "),
            "a message inside a line: {line:?}"
        );
    }
}

#[test]
fn choice_2_gives_up_after_the_timeout_and_the_menu_comes_back() {
    let (mut a, _) = chat(&["--timeout", "0.2"]);
    a.type_line("2");
    a.expect("no message within 0.2 s: back to the menu\n");
    a.expect(MENU_PROMPT);
    a.type_line("3");
    assert_eq!(a.finish().code, Some(0));
}

#[test]
fn command_line_mistakes_exit_2() {
    let bad: [&[&str]; 6] = [
        &["--bogus"],
        &["extra"],
        &["--bind"],
        &["--bind", "7890"],
        &["--bind", "127.0.0.1:78900"],
        &["--timeout", "0"],
    ];
    check_command_line(EXE, "udp_chat", &bad);
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_chat_in_both_directions() {
    let script = format!("{NOTES_PY}001_udp_chat.py");
    let (mut python, py_addr) = python_on_free_port(&script, NOTES_MENU_PROMPT);
    let py_port = py_addr.port();
    let (mut rust, rust_port) = chat(&[]);

    // Rust → Python: the notes print ">>>('IP', PORT):TEXT".
    send(&mut rust, "你好 Python", py_port);
    python.type_line("2");
    python.expect(&format!(">>>('127.0.0.1', {rust_port}):你好 Python\n"));

    // Python → Rust, through the notes' own menu and questions.
    python.expect(NOTES_MENU_PROMPT);
    python.type_line("1");
    python.type_line("你好 Rust");
    python.type_line("127.0.0.1");
    python.type_line(&rust_port.to_string());
    python.expect(NOTES_MENU_PROMPT);
    rust.type_line("2");
    rust.expect(&format!("from 127.0.0.1:{py_port}: 你好 Rust\n"));
}

#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn python_notes_002_chat_menu_1_2_3() {
    const PY_MENU: &str = "请选择额:";
    let script = format!("{NOTES_PY}002_udp_chat.py"); // the notes bind 6666; here a free port
    let start = |port: u16| Program::start(python(), &[&script, &port.to_string()]);
    let (mut python, py_port) =
        start_on_free_port(start, "请选择功能:1.发送信息 2.接受信息 3.退出");
    python.expect(PY_MENU);
    let (mut rust, rust_port) = chat(&[]);

    // Rust → Python; the notes' 接收 (2) prints it and sends the same bytes back.
    send(&mut rust, "你好 002", py_port);
    python.type_line("2");
    python.expect(&format!(
        "收到来自('127.0.0.1', {rust_port})的数据:你好 002\n"
    ));
    rust.type_line("2");
    rust.expect(&format!("from 127.0.0.1:{py_port}: 你好 002\n"));

    // Python → Rust: 发送 (1) asks IP, port, then the text (another order than 001's).
    python.expect(PY_MENU);
    python.type_line("1");
    python.expect("IP地址:");
    python.type_line("127.0.0.1");
    python.expect("端口:");
    python.type_line(&rust_port.to_string());
    python.expect("输入内容");
    python.type_line("来自 002");
    python.expect(PY_MENU);
    rust.expect(MENU_PROMPT);
    rust.type_line("2");
    rust.expect(&format!("from 127.0.0.1:{py_port}: 来自 002\n"));

    // 3 退出, on both sides.
    python.type_line("3");
    assert_eq!(python.finish().code, Some(0));
    rust.type_line("3");
    assert_eq!(rust.finish().code, Some(0));
}
