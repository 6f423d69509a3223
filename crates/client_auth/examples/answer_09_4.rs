//! Lesson 09, exercise 4 (练习 4 的参考答案的一部分): HMAC, built by hand.
//!
//! The exercise asks for HMAC-SHA-256 from the `hmac` and `sha2` crates. This program shows what
//! those crates compute, with the SHA-1 this crate already has: HMAC (RFC 2104) is two hashes
//! around the message, keyed with the secret padded to the hash's block, 64 bytes for SHA-1 and
//! SHA-256 alike. It prints the notes' SHA-1(secret ‖ challenge) and HMAC-SHA-1(secret,
//! challenge) for the challenge `bytes(range(32))`; Python's `hmac` module gives the same.
//!
//! ```text
//! cargo run -p client_auth --example answer_09_4 -- --secret s3cret
//! python3 -c "import hmac,hashlib; print(hmac.new(b's3cret', bytes(range(32)), hashlib.sha1).hexdigest())"
//! ```

use std::process::ExitCode;

use netcommon::{pick, say, tr, Args};
use sha1::{Digest, Sha1};

const USAGE_ZH: &str = "用法：answer_09_4 [--secret S]
打印挑战 bytes(range(32)) 的 SHA-1(S ‖ 挑战)（笔记的做法）和 HMAC-SHA-1(S, 挑战)（默认 S 是 hahaha）";
const USAGE_EN: &str = "usage: answer_09_4 [--secret S]
Prints SHA-1(S ‖ challenge) (the notes' way) and HMAC-SHA-1(S, challenge) for the challenge
bytes(range(32)) (S defaults to hahaha)";
/// The hash's block: the key is padded to this many bytes (64 for SHA-1 and SHA-256 alike).
const BLOCK: usize = 64;
/// RFC 2104's two pads: each key byte XORed with 0x36 for the inner hash, 0x5c for the outer.
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

fn main() -> ExitCode {
    netcommon::run(pick(USAGE_ZH, USAGE_EN), |mut args: Args| {
        let secret = args.value_or("--secret", "hahaha")?;
        args.no_more()?;
        let challenge: Vec<u8> = (0..32).collect(); // bytes(range(32)): 00 01 ... 1f
        let secret = secret.as_bytes();
        // The notes: sha=hashlib.sha1(secret_key); sha.update(rand)
        let notes = Sha1::new().chain_update(secret).chain_update(&challenge);
        let (notes, hmac) = (hex(&notes.finalize()), hex(&hmac_sha1(secret, &challenge)));
        say!(
            "{}",
            tr!(
                "SHA-1(密钥 ‖ 挑战)，笔记的做法：{notes}",
                "SHA-1(secret ‖ challenge), the notes' way: {notes}"
            )
        );
        say!(
            "{}",
            tr!(
                "HMAC-SHA-1(密钥, 挑战)：{hmac}",
                "HMAC-SHA-1(secret, challenge): {hmac}"
            )
        );
        Ok(())
    })
}

/// HMAC-SHA-1 (RFC 2104): H((K ^ opad) ‖ H((K ^ ipad) ‖ message)).
fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    // 1. The key as one block: hashed first if longer, then padded with zeros.
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        let digest = Sha1::digest(key);
        k[..digest.len()].copy_from_slice(&digest);
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    // 2. The inner hash: the key XOR ipad, then the message.
    let inner = Sha1::new()
        .chain_update(k.map(|b| b ^ IPAD))
        .chain_update(message)
        .finalize();
    // 3. The outer hash: the key XOR opad, then the inner hash. Knowing one HMAC does not let
    //    anyone extend the message (length extension): the secret wraps it on both sides.
    Sha1::new()
        .chain_update(k.map(|b| b ^ OPAD))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
