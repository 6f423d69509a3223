//! udp_receiver in Chinese, the default: `NET_LESSONS_LANG=zh`.

use lesson_testing::{
    check_chinese_help, check_chinese_port_taken, in_chinese, receive, udp, Program,
};

const EXE: &str = env!("CARGO_BIN_EXE_udp_receiver");

#[test]
fn help_is_chinese() {
    check_chinese_help(EXE, "用法：udp_receiver");
}

#[test]
fn a_datagram_is_printed_as_the_notes_print_it() {
    let args = ["--bind", "127.0.0.1:0", "--count", "1", "--reply", "谢谢"];
    // the same listening line in both languages
    let (mut receiver, addr) = in_chinese(|| Program::server(EXE, &args));
    let peer = udp();
    peer.send_to("你好".as_bytes(), addr).unwrap();
    let from = peer.local_addr().unwrap();
    assert_eq!(receiver.next_line(), format!("收到来自 {from} 的数据:你好"));
    let (got, _) = receive(&peer);
    assert_eq!(got, "谢谢".as_bytes());
    assert_eq!(receiver.finish().code, Some(0));
}

#[test]
fn a_port_taken_says_what_to_do() {
    check_chinese_port_taken(EXE, &[], true);
}
