//! # client_auth: 验证客户端的合法性, a random challenge and a digest
//!
//! Notes 003 part 3 "验证客户端的合法性": the server sends a random string, both sides hash it
//! with a secret key they share, and the server talks only to a client whose digest matches.
//! The secret itself never travels.
//!
//! ```text
//! terminal 1:  cargo run -p client_auth -- server --secret s3cret
//! terminal 2:  cargo run -p client_auth -- client 127.0.0.1:9001 --secret s3cret
//!              → server says: hello              (another secret: rejected by server)
//! ```
//!
//! The notes' protocol, byte for byte (their Python programs talk to ours):
//! 1. server → client: 32 random bytes from the OS generator, the challenge (os.urandom(32));
//! 2. client → server: SHA-1(secret ‖ challenge) as 40 lowercase hex characters (hexdigest());
//! 3. server: the same digest → it sends `hello`; anything else → it closes the connection.
//!
//! A fresh challenge per connection stops replay (重放): someone who recorded one answer cannot
//! send it again, because the next connection asks a different question.
//!
//! What a real system does instead:
//! - HMAC (say HMAC-SHA-256 of the challenge, keyed with the secret), not SHA-1(secret ‖ data).
//!   From one SHA-1(secret ‖ data), anyone can compute SHA-1(secret ‖ data ‖ padding ‖ more)
//!   without the secret (length extension): harmless here, where the server picks the data,
//!   but the same code used to sign messages would let others forge them. HMAC is built to
//!   resist that.
//! - TLS (client certificates, or a password inside TLS): this check proves the client once,
//!   but what follows is neither encrypted nor protected, so anyone on the path can read it or
//!   take the connection over.
//!
//! What this adds to the notes, and why:
//! - `sk.recv(32)` and `conn.recv(1024)` may return fewer bytes than were sent: we read exactly
//!   32 and exactly 40 bytes.
//! - `res_client==res` stops at the first difference, so its time tells an attacker how much
//!   was right: we compare in constant time.
//! - A silent client holds the notes' server forever (and a silent server the client): both
//!   sides give up after `--timeout` seconds in all, and the server checks each client on a
//!   thread of its own, so a silent or slow client never delays the next one. A reset or bytes that are not UTF-8 would raise in
//!   the notes' server: ours rejects that client and serves the next.
//! - The secret is in the source: ours comes from `--secret` or `NET_LESSONS_SECRET`, and the
//!   notes' `hahaha` is used only with a warning.

mod client;
mod protocol;
mod server;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use netcommon::{tr, usage_error};

mod usage;
use usage::{options, Options, USAGE_EN, USAGE_ZH};

/// `sk.bind(('127.0.0.1',9001))`: the notes' address.
const DEFAULT_BIND: &str = "127.0.0.1:9001";
/// The environment variable the secret comes from when there is no --secret.
const SECRET_ENV: &str = "NET_LESSONS_SECRET";
/// `secret_key=b'hahaha'`: the notes' secret, used with a warning when no other is given.
const NOTES_SECRET: &str = "hahaha";
/// `os.urandom(32)`: the length of the challenge.
const NONCE_LEN: usize = 32;
/// `sha.hexdigest()`: SHA-1's 20 bytes as 40 hex characters.
const ANSWER_LEN: usize = 40;
/// `conn.send(b'hello')`: what an accepted client is told.
const HELLO: &[u8] = b"hello";
/// How long one side waits for the other's bytes before giving up.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    // A client holds two file descriptors, its socket and the registry's handle on it
    // (try_clone): the default limit comes from `ulimit -n`.
    let (max_clients, why) = netcommon::default_max_clients(2);
    let usage = netcommon::pick(USAGE_ZH, USAGE_EN).replace("MAX_CLIENTS", &why);
    netcommon::run(&usage, |args| client_auth(options(args, max_clients)?))
}

fn client_auth(options: Options) -> Result<()> {
    match options {
        // The serve端 (server.rs): notes 003's steps 1 to 9, for every client.
        Options::Server {
            bind,
            secret_key,
            timeout,
            max_clients,
        } => server::run(&bind, &secret_key, timeout, max_clients),
        // The client端 (client.rs): notes 003's steps 1 to 6.
        Options::Client {
            server,
            secret_key,
            timeout,
        } => client::run(&server, &secret_key, timeout),
    }
}

/// The shared secret: `--secret`, else `$NET_LESSONS_SECRET`, else the notes' (with a warning).
// ANCHOR: secret
fn choose_secret(given: Option<String>) -> Result<Vec<u8>> {
    match given {
        Some(s) if s.is_empty() => {
            usage_error(tr!("--secret 不能是空的", "--secret must not be empty"))
        }
        Some(s) => Ok(s.into_bytes()),
        None => match std::env::var_os(SECRET_ENV) {
            Some(s) if !s.is_empty() => Ok(s.into_encoded_bytes()),
            _ => {
                // What to do, too: the same secret on both sides, chosen by the user.
                eprintln!(
                    "{}",
                    tr!(
                        "警告：没有 --secret，也没有 {SECRET_ENV}：使用笔记里的密钥 \
                         {NOTES_SECRET:?}，读过笔记的人都知道它；要用自己的密钥，\
                         给两边同一个 --secret S（或者设置 {SECRET_ENV}）",
                        "warning: no --secret and no {SECRET_ENV}: using the notes' secret \
                         {NOTES_SECRET:?}, which everyone who read them knows; to use your \
                         own, give both sides the same --secret S (or set {SECRET_ENV})"
                    )
                );
                Ok(NOTES_SECRET.as_bytes().to_vec())
            }
        },
    }
}
// ANCHOR_END: secret
