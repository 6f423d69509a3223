//! What both sides of the protocol share: the digest, the constant-time compare, and exact
//! reads with a deadline.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;
use std::time::Duration;

use netcommon::Deadline;

use sha1::{Digest, Sha1};

/// `sha=hashlib.sha1(secret_key); sha.update(rand); res=sha.hexdigest()`
// ANCHOR: answer
pub fn answer(secret: &[u8], nonce: &[u8]) -> String {
    // ANCHOR: hw_answer
    let mut sha = Sha1::new();
    sha.update(secret);
    sha.update(nonce);
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
    // ANCHOR_END: hw_answer
}
// ANCHOR_END: answer

/// `a == b`, in a time that does not depend on where they differ: every byte pair is XORed and
/// the differences ORed together, with no early exit. (Only the length may show, and here it is
/// always 40.) A real program takes this from a vetted crate (`subtle`, `hmac`'s verify).
// ANCHOR: same_bytes
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    // ANCHOR: hw_same_bytes
    a.len() == b.len() && a.iter().zip(b).fold(0, |diff, (x, y)| diff | (x ^ y)) == 0
    // ANCHOR_END: hw_same_bytes
}
// ANCHOR_END: same_bytes

/// Fills `buf` from `stream` (read_exact) within `timeout` in total, so a peer that trickles
/// one byte at a time cannot hold us longer than a silent one. A close before the end is an
/// `UnexpectedEof` error that says how many bytes came.
pub fn read_within(stream: &mut TcpStream, buf: &mut [u8], timeout: Duration) -> io::Result<()> {
    let deadline = Deadline::after(timeout);
    let mut got = 0;
    while got < buf.len() {
        let silent = io::Error::new(
            ErrorKind::TimedOut,
            netcommon::tr!(
                "{timeout:?} 内没有再收到数据（收到了 {} 字节中的 {got} 字节）",
                "nothing more within {timeout:?} (got {got} of {} bytes)",
                buf.len()
            ),
        );
        let Some(left) = deadline.next_wait(timeout) else {
            return Err(silent);
        };
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut buf[got..]) {
            Ok(0) => {
                let why = netcommon::tr!(
                    "收到 {} 字节中的 {got} 字节后，对方关闭了连接",
                    "closed the connection after {got} of {} bytes",
                    buf.len()
                );
                return Err(io::Error::new(ErrorKind::UnexpectedEof, why));
            }
            Ok(n) => got += n,
            Err(e) if netcommon::is_timeout(&e) => return Err(silent),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ANSWER_LEN;

    #[test]
    fn answer_matches_python_hashlib() {
        // python3 -c "import hashlib; s=hashlib.sha1(b'hahaha'); s.update(bytes(range(32)));
        //             print(s.hexdigest())"
        let nonce: Vec<u8> = (0..32).collect();
        let expected = "64898d4fb18717eea67ea0c11ffdde5a32ac7525";
        assert_eq!(answer(b"hahaha", &nonce), expected);
        assert_eq!(
            answer(b"hahaha", b""),
            "8a2da05455775e8987cbfac5a0ca54f3f728e274"
        );
        assert_ne!(answer(b"hahahb", &nonce), expected);
    }

    #[test]
    fn constant_time_compare() {
        let a = answer(b"k", b"n");
        assert!(same_bytes(a.as_bytes(), a.as_bytes()));
        let mut last = a.clone().into_bytes();
        last[ANSWER_LEN - 1] ^= 1;
        assert!(!same_bytes(a.as_bytes(), &last));
        assert!(!same_bytes(a.as_bytes(), a.to_uppercase().as_bytes()));
        assert!(!same_bytes(a.as_bytes(), &a.as_bytes()[..39]));
        assert!(same_bytes(b"", b""));
    }
}
