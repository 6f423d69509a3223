//! The client: notes 003 part 3 "验证客户端的合法性", client端, step by step.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use netcommon::{connect_failed, is_timeout, resolve, tr};

use crate::protocol::{answer, read_within};
use crate::{HELLO, NONCE_LEN};

/// Answers the server's challenge and prints what it says.
pub fn run(server: &str, secret_key: &[u8], timeout: Duration) -> Result<()> {
    // ANCHOR: connect
    // 1. sk=socket.socket(); sk.connect(('127.0.0.1',9001)), within `timeout`: a server whose
    //    queue of waiting connections is full would hold `connect` about two minutes.
    let addr = resolve(server)?;
    let mut sk = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| connect_failed(server, timeout, e))?;
    // ANCHOR_END: connect
    let peer = sk.peer_addr()?;
    netcommon::say!("{}", tr!("已连接到 {peer}", "connected to {peer}"));

    // ANCHOR: hw_client
    // ANCHOR: recv_random
    // 2. rand=sk.recv(32) 接收随机字符串: exactly 32 bytes (one recv may return fewer), and
    //    not forever.
    let mut rand = [0; NONCE_LEN];
    read_within(&mut sk, &mut rand, timeout)
        .with_context(|| tr!("接收 32 字节的挑战", "receiving the 32-byte challenge"))?;
    // ANCHOR_END: recv_random

    // ANCHOR: digest
    // 3. sha=hashlib.sha1(secret_key); sha.update(rand); res=sha.hexdigest()
    let res = answer(secret_key, &rand);
    // ANCHOR_END: digest

    // ANCHOR: send_answer
    // 4. sk.send(res.encode('utf-8')) 摘要结果发送回server端: write_all (sendall).
    sk.set_write_timeout(Some(timeout))?;
    match sk.write_all(res.as_bytes()) {
        Ok(()) => {}
        // The server gave up on us already (it closed, and its system answered with a reset).
        Err(e) if matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset) => {
            return rejected();
        }
        Err(e) => return Err(e).context(tr!("发送回答", "sending the answer")),
    }
    // ANCHOR_END: send_answer

    // ANCHOR: talk
    // 5. msg=sk.recv(1024); print(msg): `hello` if we were accepted. A server that rejects us
    //    closes the connection (0 bytes), or resets it if our bytes were still unread.
    sk.set_read_timeout(Some(timeout))?;
    let mut msg = Vec::new();
    match (&mut sk).take(HELLO.len() as u64).read_to_end(&mut msg) {
        Ok(_) if msg.is_empty() => rejected(),
        Ok(_) => {
            // print(msg)
            let msg = String::from_utf8_lossy(&msg);
            netcommon::say!("{}", tr!("服务器说：{msg}", "server says: {msg}"));
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::ConnectionReset && msg.is_empty() => rejected(),
        Err(e) if is_timeout(&e) => bail!(tr!(
            "服务器 {timeout:?} 内没有回复",
            "no reply from the server within {timeout:?}"
        )),
        Err(e) => Err(e).context(tr!("读取回复", "reading the reply")),
    }
    // ANCHOR_END: talk
    // 6. sk.close(): dropping `sk` on return.
    // ANCHOR_END: hw_client
}

/// The server closed without a word: our digest was not the one it expected. SPEC's line
/// `rejected by server` on stdout, then the reason and what to do (not the same words again)
/// on stderr.
fn rejected() -> Result<()> {
    netcommon::say!(
        "{}",
        tr!(
            "服务器拒绝了我们：它认为这不是合法的客户端",
            "rejected by server"
        )
    );
    bail!(tr!(
        "我们的 --secret 和服务器的不一样（或者服务器等不及我们的回答）：\
         用和服务器相同的密钥，--secret S 或者 NET_LESSONS_SECRET",
        "our --secret differs from the server's (or the server gave up waiting for our \
         answer): use the server's secret, with --secret S or NET_LESSONS_SECRET"
    ))
}
