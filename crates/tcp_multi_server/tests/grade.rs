//! tcp_multi_server 的评分测试（作业）：评分程序在 127.0.0.1 上扮演很多个客户端，比较收发的字节。
//! 只测一关：`cargo test step1`。

use netcommon::again;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use lesson_testing::{check, fail, inputs, show, Peer, Student, TIMEOUT};

const EXE: &str = env!("CARGO_BIN_EXE_tcp_multi_server");

#[test]
fn step1_sends_each_chunk_back_upper_cased() {
    let mut rng = inputs();
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &[]);
    let mut c = Peer::connect(addr);
    let text = rng.message();
    c.send(text.as_bytes());
    c.expect(text.to_ascii_uppercase().as_bytes());
    c.send("héllo 你好 \u{ff}".as_bytes());
    c.expect("HéLLO 你好 \u{ff}".as_bytes()); // ASCII letters only
}

#[test]
fn step2_serves_clients_at_the_same_time() {
    let mut rng = inputs();
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &[]);
    let mut silent = Peer::connect(addr);
    println!("第一个客户端一直不说话；其他客户端也必须得到服务");
    let clients: Vec<_> = (0..50)
        .map(|i| {
            let word = rng.word(3, 8);
            thread::spawn(move || {
                let mut c = Peer::connect(addr);
                for round in 0..5 {
                    let msg = format!("{word} {i} round {round}");
                    c.send(msg.as_bytes());
                    c.expect(msg.to_uppercase().as_bytes());
                }
            })
        })
        .collect();
    for c in clients {
        if c.join().is_err() {
            fail("有一个客户端没有得到服务（原因见上面的记录）：每个客户端要在自己的线程里服务");
        }
    }
    silent.send(b"now me");
    silent.expect(b"NOW ME");
}

#[test]
fn step3_closes_clients_past_max_clients() {
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &["--max-clients", "2"]);
    let mut a = Peer::connect(addr);
    a.send(b"a");
    a.expect(b"A");
    let mut b = Peer::connect(addr);
    b.send(b"b");
    b.expect(b"B");
    let mut third = Peer::connect(addr);
    check(
        third.read_to_close().is_empty(),
        "--max-clients 2：第三个客户端应该马上被关闭",
    );
    drop(a);
    println!("第一个客户端关闭了连接：空出一个位置");
    // The server needs a moment to see that close: a new client may be refused until then.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut d = TcpStream::connect(addr).unwrap_or_else(|e| fail(&format!("连接失败：{e}")));
        d.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut got = [0; 1];
        let answer = d.write_all(b"d").and_then(|()| again(|| d.read(&mut got)));
        match answer {
            Ok(1) if got == *b"D" => {
                break println!("新的客户端发送「d」，收到「D」：空出的位置给了它")
            }
            Ok(1) => fail(&format!("期望收到「D」，实际收到 {}", show(&got))),
            _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
            _ => fail("第一个客户端关闭连接 5 秒后，新的客户端仍然被拒绝：客户端结束时要让出位置"),
        }
    }
}

#[test]
fn step4_a_reset_never_stops_it() {
    let (_server, addr) = Student::server_on_any_port(EXE, &[], &[]);
    let mut rude = Peer::connect(addr);
    rude.send(&[b'x'; 5000]);
    rude.expect(b"X");
    drop(rude);
    println!("带着没读的数据关闭连接：对方会收到重置（reset）");
    let mut next = Peer::connect(addr);
    let text = inputs().message();
    next.send(text.as_bytes());
    next.expect(text.to_ascii_uppercase().as_bytes());
}
