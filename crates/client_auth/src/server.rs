//! The server: notes 003 part 3 "验证客户端的合法性", serve端, step by step; then the next
//! client (the notes' server serves one and exits).

use std::io::{self, ErrorKind, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::announce_listening;
use rand::rngs::OsRng;
use rand::RngCore;

use crate::protocol::{answer, read_within, same_bytes};
use crate::{ANSWER_LEN, HELLO, NONCE_LEN};

/// How long the server waits, at most, for an accepted client to close after hello.
const LINGER: Duration = Duration::from_secs(2);

/// Checks clients one after another, forever.
pub fn run(bind: &str, secret_key: &[u8], timeout: Duration) -> Result<()> {
    // 1. sk=socket.socket(); sk.bind(('127.0.0.1',9001)); sk.listen(): TcpListener::bind.
    let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    announce_listening(listener.local_addr()?)?;

    loop {
        // 2. conn,addr=sk.accept()
        let (mut conn, addr) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                println!("accept failed: {e}"); // e.g. too many open files: wait, try again
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        println!("[{addr}] connected");

        // 3. rand=os.urandom(32) 创建一个随机的字符串: from the OS generator, fresh for every
        //    client. If the OS cannot give random bytes, we stop rather than use weaker ones.
        let mut rand = [0; NONCE_LEN];
        OsRng
            .try_fill_bytes(&mut rand)
            .context("reading the OS random generator")?;

        // 4.–7. send it, compute the digest, read the answer, compare (做对比).
        match check(&mut conn, &rand, secret_key, timeout) {
            Ok(()) => {
                // 8. print('是合法的客户端'); conn.send(b'hello')
                println!("accepted {addr}");
                if let Err(e) = conn.write_all(HELLO) {
                    println!("[{addr}] sending hello: {e}");
                }
                // Close our side first and give the client a moment to close its own: closing
                // with its bytes unread (a newline after the answer, say) would send a reset,
                // which can destroy the hello before the client reads it.
                let _ = conn.shutdown(Shutdown::Write);
                let _ = conn.set_read_timeout(Some(LINGER.min(timeout)));
                let _ = io::copy(&mut conn, &mut io::sink());
            }
            Err(why) => {
                // 9. else: conn.close() 如果不一致，这关闭连接
                println!("[{addr}] {why:#}");
                println!("rejected {addr}");
            }
        }
        // Dropping `conn` here closes the connection, whichever way it went.
    }
}

/// Steps 4 to 7 for one client: Ok if it proved it knows the secret, else why not.
fn check(conn: &mut TcpStream, rand: &[u8], secret_key: &[u8], timeout: Duration) -> Result<()> {
    // ANCHOR: hw_check
    // 4. conn.send(rand) 发送随机字符串: write_all (sendall), and not forever.
    conn.set_write_timeout(Some(timeout))?;
    conn.write_all(rand).context("sending the challenge")?;

    // 5. sha=hashlib.sha1(secret_key); sha.update(rand); res=sha.hexdigest()
    let res = answer(secret_key, rand);

    // 6. res_client=conn.recv(1024) 等待接受客户端的摘要结果: exactly 40 bytes, within the
    //    timeout. One recv may return fewer; a silent client must not hold the server.
    let mut res_client = [0; ANSWER_LEN];
    if let Err(e) = read_within(conn, &mut res_client, timeout) {
        return Err(match e.kind() {
            ErrorKind::ConnectionReset => anyhow::anyhow!("reset the connection"),
            _ => anyhow::Error::new(e).context("reading the 40-byte answer"),
        });
    }

    // 7. if res_client==res: in constant time, on the raw bytes (garbage is just a wrong answer,
    //    where the notes' decode('utf-8') would raise).
    anyhow::ensure!(same_bytes(&res_client, res.as_bytes()), "wrong answer");
    Ok(())
    // ANCHOR_END: hw_check
}
