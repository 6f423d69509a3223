//! 练习 02-3 的参考答案: udp_receiver with `--dict FILE`, notes 004's 1.5 案例 "查找单词" in its
//! smallest form. FILE has one `单词 解释` per line; every datagram is a word, and the answer
//! (the 解释, or `not found`) goes back to whoever sent it. Lesson 11, word_lookup, is the full
//! version (case, empty and too long queries, a client with a deadline).
//!
//! ```text
//! terminal 1:  cargo run -p udp_receiver --example answer_02_3 -- --dict dict.txt --bind 127.0.0.1:7788
//! terminal 2:  cargo run -p udp_sender -- --wait-reply 127.0.0.1:7788 apple
//! ```

use std::collections::HashMap;
use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{
    announce_listening, check_addr, is_port_unreachable, kept_len, printable, say, tr, Args,
};

const USAGE_ZH: &str = "用法：answer_02_3 --dict FILE [--bind 0.0.0.0:7788]";
const USAGE_EN: &str = "usage: answer_02_3 --dict FILE [--bind 0.0.0.0:7788]";
/// recvfrom(1024), as in udp_receiver.
const BUF_SIZE: usize = 1024;

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), serve)
}

fn serve(mut args: Args) -> Result<()> {
    let bind = check_addr(&args.value_or("--bind", "0.0.0.0:7788")?)?;
    let Some(file) = args.value("--dict")? else {
        return netcommon::usage_error(tr!("缺少 --dict FILE", "--dict FILE is missing"));
    };
    args.no_more()?;

    // The 单词本, read once at start: {"apple": "苹果", ...}
    let text =
        std::fs::read_to_string(&file).with_context(|| tr!("读 {file}", "reading {file}"))?;
    let dict: HashMap<&str, &str> = text
        .lines()
        .filter_map(|line| line.trim().split_once(char::is_whitespace))
        .map(|(word, meaning)| (word, meaning.trim()))
        .collect();

    // sockfd = socket(AF_INET, SOCK_DGRAM); sockfd.bind(server_addr)
    let socket = UdpSocket::bind(&bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    socket.set_write_timeout(Some(Duration::from_secs(1)))?;
    announce_listening(socket.local_addr()?)?;
    say!("{}", tr!("单词本里有 {} 个单词", "{} words", dict.len()));

    loop {
        // data, addr = sockfd.recvfrom(1024)
        let mut buf = [0; BUF_SIZE + 1];
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if is_port_unreachable(&e) => continue, // Windows: an earlier reply
            Err(e) => return Err(e).context(tr!("接收", "receiving")),
        };
        // A datagram over 1024 bytes: kept_len warns, we look up what was kept, and go on.
        let data = &buf[..kept_len(n, BUF_SIZE, from)];
        let word = String::from_utf8_lossy(data);
        let answer = dict.get(word.trim()).copied().unwrap_or("not found");
        // Shown escaped and cut after 20 characters: the word comes from the network.
        let shown = printable(data, 20);
        say!(
            "{}",
            tr!(
                "{from} 查 \"{shown}\" -> {answer}",
                "{from} asks \"{shown}\" -> {answer}"
            )
        );
        // sockfd.sendto(answer, addr): one bad peer never stops the server
        if let Err(e) = socket.send_to(answer.as_bytes(), from) {
            let why = netcommon::lang::io_error(&e);
            say!(
                "{}",
                tr!("回复 {from} 失败：{why}", "reply to {from} failed: {why}")
            );
        }
    }
}
