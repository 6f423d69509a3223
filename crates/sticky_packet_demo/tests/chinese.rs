//! The real sticky_packet_demo in Chinese (`NET_LESSONS_LANG=zh`, the default a student gets):
//! the notes' `print(blen)` as Python prints it, one line per read (黏包 shows) or per
//! message, `--help`, and errors that say what to do.

use lesson_testing::{
    check_chinese_connection_refused, check_chinese_help, check_chinese_port_taken,
    check_chinese_refusal, example, in_chinese, run, Finished, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

/// The server in Chinese (it serves one client and exits, so its whole output is read at the
/// end), and its address.
fn server(args: &[&str]) -> (Program, String) {
    let all = [&["server", "--bind", "127.0.0.1:0"][..], args].concat();
    let (server, addr) = in_chinese(|| Program::server(EXE, &all));
    (server, addr.to_string())
}

/// Runs the client in Chinese to its end.
fn client(addr: &str, args: &[&str]) -> Finished {
    in_chinese(|| run(EXE, &[&["client", addr][..], args].concat(), ""))
}

#[test]
fn glued_reads_and_framed_messages_in_chinese() {
    let (srv, addr) = server(&["hello", "world", "你好"]);
    let out = client(&addr, &[]);
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        format!("已连接到 {addr}\n第 1 次读到：helloworld你好\n服务器关闭了连接\n")
    );
    let said = srv.finish().stdout;
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines[0], format!("listening on {addr}"), "{said}");
    assert!(lines[1].ends_with(" 已连接"), "{said}");
    assert!(lines[2].ends_with(" 发送第 1 条：5 字节"), "{said}");
    assert!(lines[4].ends_with(" 发送第 3 条：6 字节"), "{said}");
    assert!(lines[5].ends_with(" 发完了 3 条消息，关闭连接"), "{said}");

    // print(blen): the length as the notes' Python prints it; 123 is the byte `{`.
    let long = "x".repeat(123);
    let (srv, addr) = server(&["--framed", "hello", &long]);
    let out = client(&addr, &["--framed"]);
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        format!("已连接到 {addr}\n第 1 条消息：hello\n第 2 条消息：{long}\n服务器关闭了连接\n")
    );
    let said = srv.finish().stdout;
    assert!(
        said.contains(" 发送第 1 条：长度 b'\\x05\\x00\\x00\\x00' + 5 字节\n"),
        "{said}"
    );
    assert!(
        said.contains(" 发送第 2 条：长度 b'{\\x00\\x00\\x00' + 123 字节\n"),
        "{said}"
    );
}

#[test]
fn help_and_errors_in_chinese() {
    check_chinese_help(EXE, "用法：sticky_packet_demo server");
    let missing = "错误：client 要一个 SERVER（HOST:PORT），别的不要\n\n用法：";
    check_chinese_refusal(EXE, &["client"], missing);

    // The port taken: who to stop, or --bind another.
    check_chinese_port_taken(EXE, &["server", "hello"], false);
    // Nobody listening: is the server running?
    check_chinese_connection_refused(EXE, &["client"], &[]);
}

#[test]
fn struct_demo_in_chinese() {
    let struct_demo = example("struct_demo");
    let out = in_chinese(|| run(&struct_demo, &["5"], ""));
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        "b'\\x05\\x00\\x00\\x00'\n(5,)\n网络字节序，struct.pack('!i', n)：\n\
         b'\\x00\\x00\\x00\\x05'  ->  (5,)\n"
    );
    let help = in_chinese(|| run(&struct_demo, &["--help"], ""));
    assert!(help.stdout.starts_with("用法：struct_demo"));
    let bad = in_chinese(|| run(&struct_demo, &["2147483648"], ""));
    assert_eq!(bad.code, Some(2));
    assert!(bad
        .stderr
        .starts_with("错误：2147483648 放不进 4 个字节（'i'）\n"));
}
