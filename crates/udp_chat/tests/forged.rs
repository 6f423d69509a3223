//! Datagrams nobody asked for: strangers' datagrams neither pass for the server's nor keep the
//! reply clients waiting past `--timeout`, control characters in received text reach the
//! servers' output escaped, and a reply to a client that has gone does not stop a server.

use std::net::{SocketAddr, UdpSocket};
use std::time::Instant;

use lesson_testing::{example, receive, udp, Program, Stranger};

/// Receives one datagram; returns its text and sender.
fn receive_text(s: &UdpSocket) -> (String, SocketAddr) {
    let (got, from) = receive(s);
    (String::from_utf8_lossy(&got).into_owned(), from)
}

#[test]
fn strangers_do_not_keep_the_003_client_waiting() {
    let silent = udp(); // takes the message, never replies
    let addr = silent.local_addr().unwrap().to_string();
    let mut client = Program::start(&example("udp_reply_client_003"), &["--timeout", "1", &addr]);
    client.type_line("hello?");
    let started = Instant::now();
    let (text, client_addr) = receive_text(&silent);
    assert_eq!(text, "hello?");
    let stranger = Stranger::keep_sending(client_addr, &[b"Q", b"not from the server"]);
    let error = format!("error: no reply from {addr} within 1 s\n");
    stranger.check_client_gave_up(client, started, &error);
}

#[test]
fn strangers_do_not_keep_the_002_client_waiting() {
    let silent = udp();
    let addr = silent.local_addr().unwrap().to_string();
    let args = ["--bind", "127.0.0.1:0", "--timeout", "1", &addr];
    let mut client = Program::start(&example("udp_reply_client_002"), &args);
    client.expect("bound to");
    client.type_line("hello?");
    let started = Instant::now();
    let stranger = Stranger::to_the_client_of(&silent, &[b"not from the server"]);
    let error = format!("error: no datagram from {addr} within 1 s\n");
    stranger.check_client_gave_up(client, started, &error);
}

#[test]
fn only_the_servers_empty_datagram_ends_the_002_client() {
    let server = udp();
    let addr = server.local_addr().unwrap();
    let args = ["--bind", "127.0.0.1:0", &addr.to_string()];
    let mut client = Program::start(&example("udp_reply_client_002"), &args);
    client.expect("bound to");
    client.type_line("hello");
    let (_, client_addr) = receive_text(&server);
    // A stranger's empty datagram and text come first: neither is the server's.
    let other = udp();
    for text in [&b""[..], b"not from the server", b""] {
        other.send_to(text, client_addr).unwrap();
    }
    server.send_to("收到".as_bytes(), client_addr).unwrap();
    server.send_to(b"", client_addr).unwrap();
    let out = client.finish();
    out.expect_code(0)
        .expect_stdout_end(&format!("from {addr}: 收到\nthe server closed\n"));
    assert!(!out.stdout.contains("not from the server"), "{out:?}");
}

#[test]
fn the_reply_servers_print_received_text_escaped() {
    for (name, shown) in [
        ("udp_reply_server_003", ""),
        ("udp_reply_server_002", "from {me}: "),
    ] {
        let (mut server, addr) = Program::server(&example(name), &["127.0.0.1:0"]);
        let me = udp();
        me.send_to("你好 a\x1b[2J\rlistening on 1.2.3.4:5\\".as_bytes(), addr)
            .unwrap();
        let prefix = shown.replace("{me}", &me.local_addr().unwrap().to_string());
        server.expect(&format!(
            "{prefix}你好 a\\u{{1b}}[2J\\rlistening on 1.2.3.4:5\\\\\n"
        ));
        server.type_line("ok");
        assert_eq!(receive_text(&me).0, "ok", "{name}");
    }
}

/// On Windows a reply to a client that has gone makes the next `recv_from` fail with
/// "connection reset"; the servers must go on (elsewhere the reply is simply lost).
#[test]
fn a_reply_to_a_client_that_has_gone_does_not_stop_the_servers() {
    for name in ["udp_reply_server_003", "udp_reply_server_002"] {
        let (mut server, addr) = Program::server(&example(name), &["127.0.0.1:0"]);
        let gone = udp();
        gone.send_to(b"one", addr).unwrap();
        server.expect("one\n");
        drop(gone); // its port is closed before the reply comes
        server.type_line("lost");
        let me = udp();
        me.send_to(b"two", addr).unwrap();
        server.expect("two\n");
        server.type_line("kept");
        assert_eq!(receive_text(&me), ("kept".to_string(), addr), "{name}");
        assert!(server.is_running(), "{name}");
    }
}

#[test]
fn the_chat_shows_a_received_message_escaped() {
    let (mut chat, addr) =
        Program::server(env!("CARGO_BIN_EXE_udp_chat"), &["--bind", "127.0.0.1:0"]);
    chat.expect("choose a function by its number: ");
    let me = udp();
    me.send_to("你好\x1b[2J\r\nlistening on 1.2.3.4:5".as_bytes(), addr)
        .unwrap();
    chat.type_line("2");
    let mine = me.local_addr().unwrap();
    chat.expect(&format!(
        "from {mine}: 你好\\u{{1b}}[2J\\r\\nlistening on 1.2.3.4:5\n"
    ));
    chat.type_line("3");
    assert_eq!(chat.finish().code, Some(0));
}
