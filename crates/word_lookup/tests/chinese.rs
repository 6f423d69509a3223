//! word_lookup in Chinese, the default: `NET_LESSONS_LANG=zh`.

use std::net::UdpSocket;

use lesson_testing::{check_chinese_help, check_chinese_port_taken, in_chinese, run, Program};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");

#[test]
fn help_is_chinese() {
    check_chinese_help(EXE, "用法：word_lookup");
}

#[test]
fn the_client_prints_response_as_the_notes_client_does() {
    let (mut server, addr) =
        in_chinese(|| Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]));
    let line = server.next_line();
    assert!(
        line.starts_with("单词本里有 ") && line.ends_with(" 个单词"),
        "{line:?}"
    );

    // At the notes' prompt Msg>>>, one word, then an empty line ends the client.
    let out = in_chinese(|| run(EXE, &["client", &addr.to_string()], "socket\n\n"));
    // print("Response: ", data.decode())
    assert_eq!(
        out.stdout, "Msg>>> Response:  socket: n. 套接字；插座\nMsg>>> ",
        "{out:?}"
    );
    out.expect_code(0);

    let line = server.next_line();
    assert!(
        line.starts_with("来自 127.0.0.1:")
            && line.ends_with("的查询：\"socket\" -> socket: n. 套接字；插座"),
        "{line:?}"
    );
}

#[test]
fn errors_say_what_to_do() {
    // The server's port taken.
    check_chinese_port_taken(EXE, &["server"], true);

    // No server at all: the client says so, and what to start.
    let nobody = UdpSocket::bind("127.0.0.1:0").unwrap();
    let server = nobody.local_addr().unwrap().to_string();
    drop(nobody);
    let out = in_chinese(|| run(EXE, &["client", "--timeout", "2", &server, "socket"], ""));
    out.expect_code(1);
    let stderr = &out.stderr;
    assert!(stderr.starts_with("错误："), "{stderr}");
    assert!(
        stderr.contains("word_lookup server") || stderr.contains("秒内没有收到"),
        "{stderr}"
    );
}
