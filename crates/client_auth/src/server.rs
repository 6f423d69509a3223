//! The server: notes 003 part 3 "验证客户端的合法性", serve端, step by step; then the next
//! client (the notes' server serves one and exits).

use std::io::{ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::lang::{describe, io_error};
use netcommon::{announce_listening, drain, no_thread, peer_tag, say, tr};
use netcommon::{AcceptErrors, Clients, IDLE_GRACE};
use rand::rngs::OsRng;
use rand::RngCore;

use crate::protocol::{answer, read_within, same_bytes};
use crate::{ANSWER_LEN, HELLO, NONCE_LEN};

/// How long the server waits, at most, for an accepted client to close after hello.
const LINGER: Duration = Duration::from_secs(2);

/// Checks clients, each on a thread of its own, forever: a silent or slow client waits alone
/// and never delays the next one (the notes' server serves one client and exits).
///
/// At most `max_clients` are checked at once, a thread each. When full, the oldest client that
/// has not answered yet is closed to make room (the exchange is one short round trip: a client
/// still in it after many newer ones arrived is most likely one of a flood of silent ones).
pub fn run(bind: &str, secret_key: &[u8], timeout: Duration, max_clients: usize) -> Result<()> {
    // ANCHOR: bind_listen
    // 1. sk=socket.socket(); sk.bind(('127.0.0.1',9001)); sk.listen(): TcpListener::bind.
    let listener = TcpListener::bind(bind).with_context(|| tr!("绑定 {bind}", "binding {bind}"))?;
    // ANCHOR_END: bind_listen
    announce_listening(listener.local_addr()?)?;
    let secret_key: Arc<[u8]> = secret_key.into();
    let mut accept_errors = AcceptErrors::new();
    let clients = Clients::new(max_clients, IDLE_GRACE, Some("--max-clients"));

    loop {
        // ANCHOR: accept
        // 2. conn,addr=sk.accept()
        let Some((conn, addr)) = accept_errors.accepted(listener.accept()) else {
            continue; // e.g. out of file descriptors: said at most once a second
        };
        // ANCHOR_END: accept
        let who = peer_tag(addr);
        // What this adds to the notes: at most --max-clients at once (as in tcp_multi_server).
        let Some((client, made_room)) = clients.admit(conn.try_clone(), addr) else {
            continue; // refused (the log says why): dropping `conn` closes it
        };
        if let Some(old) = made_room {
            let _ = old.shutdown(Shutdown::Both); // that client's next read returns 0
        }
        say!("{}", tr!("{who} 已连接", "{who} connected"));
        let secret_key = Arc::clone(&secret_key);
        let spawned = thread::Builder::new().spawn(move || {
            serve(conn, addr, &secret_key, timeout);
            drop(client); // its place is free again
        });
        if let Err(e) = spawned {
            say!("{}", no_thread(addr, &e)); // this client is closed; the server goes on
        }
    }
}

/// Steps 3 to 9 for one client, on its own thread.
fn serve(mut conn: TcpStream, addr: SocketAddr, secret_key: &[u8], timeout: Duration) {
    let who = peer_tag(addr);
    // ANCHOR: random
    // 3. rand=os.urandom(32) 创建一个随机的字符串: from the OS generator, fresh for every
    //    client. If the OS cannot give random bytes, we refuse rather than use weaker ones.
    let mut rand = [0; NONCE_LEN];
    if let Err(e) = OsRng.try_fill_bytes(&mut rand) {
        say!(
            "{}",
            tr!(
                "{who} 关闭连接：读不了操作系统的随机数发生器：{e}",
                "{who} closing: cannot read the OS random generator: {e}"
            )
        );
        return;
    }
    // ANCHOR_END: random

    // 4.–7. send it, compute the digest, read the answer, compare (做对比).
    match check(&mut conn, &rand, secret_key, timeout) {
        Ok(()) => {
            // ANCHOR: hello
            // 8. print('是合法的客户端'); conn.send(b'hello')
            say!("{}", tr!("是合法的客户端：{addr}", "accepted {addr}"));
            if let Err(e) = conn.write_all(HELLO) {
                let e = io_error(&e);
                say!(
                    "{}",
                    tr!("{who} 发送 hello：{e}", "{who} sending hello: {e}")
                );
            }
            // ANCHOR_END: hello
            // Close our side first and give the client a moment to close its own: closing
            // with its bytes unread (a newline after the answer, say) would send a reset,
            // which can destroy the hello before the client reads it.
            let _ = conn.shutdown(Shutdown::Write);
            drain(&conn, LINGER.min(timeout));
        }
        Err(why) => {
            // ANCHOR: reject
            // 9. else: conn.close() 如果不一致，这关闭连接
            say!("{who} {}", describe(&why));
            say!("{}", tr!("不是合法的客户端：{addr}", "rejected {addr}"));
            // ANCHOR_END: reject
        }
    }
    // Dropping `conn` here closes the connection, whichever way it went.
}

/// Steps 4 to 7 for one client: Ok if it proved it knows the secret, else why not.
fn check(conn: &mut TcpStream, rand: &[u8], secret_key: &[u8], timeout: Duration) -> Result<()> {
    // ANCHOR: hw_check
    // ANCHOR: send_random
    // 4. conn.send(rand) 发送随机字符串: write_all (sendall), and not forever.
    conn.set_write_timeout(Some(timeout))?;
    conn.write_all(rand)
        .with_context(|| tr!("发送挑战（32 个随机字节）", "sending the challenge"))?;
    // ANCHOR_END: send_random

    // ANCHOR: digest
    // 5. sha=hashlib.sha1(secret_key); sha.update(rand); res=sha.hexdigest()
    let res = answer(secret_key, rand);
    // ANCHOR_END: digest

    // ANCHOR: recv_answer
    // 6. res_client=conn.recv(1024) 等待接受客户端的摘要结果: exactly 40 bytes, within the
    //    timeout. One recv may return fewer; a silent client must not hold the server.
    let mut res_client = [0; ANSWER_LEN];
    if let Err(e) = read_within(conn, &mut res_client, timeout) {
        return Err(match e.kind() {
            ErrorKind::ConnectionReset => {
                anyhow::anyhow!(tr!("重置了连接", "reset the connection"))
            }
            _ => anyhow::Error::new(e)
                .context(tr!("读取 40 字节的回答", "reading the 40-byte answer")),
        });
    }
    // ANCHOR_END: recv_answer

    // ANCHOR: compare
    // 7. if res_client==res: in constant time, on the raw bytes (garbage is just a wrong answer,
    //    where the notes' decode('utf-8') would raise).
    anyhow::ensure!(
        same_bytes(&res_client, res.as_bytes()),
        tr!("回答的摘要不对", "wrong answer")
    );
    // ANCHOR_END: compare
    Ok(())
    // ANCHOR_END: hw_check
}
