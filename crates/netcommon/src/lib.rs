//! netcommon: the few things two or more net-lessons programs share, each once, kept small so
//! the lessons themselves show the socket code. Every socket call the notes make, and every
//! `set_read_timeout`, `set_write_timeout`, `shutdown` and `try_clone` a lesson adds, stays in
//! the lesson's own file; what is here takes the lesson's words (its option names) as arguments.
//!
//! - [`run`], [`Args`], [`input`], [`ask_addr`]: the command line and prompts, with SPEC's exit
//!   codes (`--help` → 0, a bad command line → 2, an error at run time → `error: ...` and 1);
//! - [`Encoding`]: UTF-8 or GBK text on the wire (`--encoding gbk`);
//! - [`announce_listening`], [`check_addr`], [`resolve`], [`kept_len`]: the
//!   `listening on IP:PORT` line, the `HOST:PORT` check and look-up, and the check that warns
//!   when a received datagram was truncated;
//! - [`lang`], [`tr!`]: Chinese by default, English with `NET_LESSONS_LANG=en`;
//! - [`log`], [`say!`], [`printable`]: log lines that never make a server wait on its stdout,
//!   and text from the network escaped before it goes in one;
//! - [`AcceptErrors`]: an accept loop's errors, logged at most once a second;
//! - [`connect_failed`], [`read_failed`], [`no_thread`]: why a connect, a read or a client's
//!   thread failed, said for a person; [`again`]: a wait a signal interrupted, called again;
//! - [`default_max_clients`], [`out_of_files`]: a server's client limit from `ulimit -n`;
//! - [`Clients`]: how a threaded server bounds the clients it serves at once (making room by
//!   closing a silent or the longest-idle one);
//! - [`Deadline`], [`timed_out`], [`drain`]: a whole connection's (or message's) deadline, the
//!   log line when it passes, and the end of a polite close;
//! - [`path`]: names from the network checked with Windows' rules on every system, and
//!   [`Root`]: a served folder, with names opened beneath it (never outside, never blocking).

mod accept;
mod cli;
mod clients;
mod deadline;
pub mod lang;
mod limits;
pub mod log;
mod net;
pub mod path;
mod root;
mod text;

pub use accept::AcceptErrors;
pub use cli::{input, input_or_eof, run, usage_error, Args, UsageError};
pub use clients::{is_reset, no_thread, peer_tag, Client, Clients, IDLE_GRACE};
pub use deadline::{drain, timed_out, Deadline};
pub use lang::{english, pick};
pub use limits::{default_max_clients, out_of_files};
pub use log::{printable, printable_text};
pub use net::{
    again, announce_listening, any_local, ask_addr, check_addr, connect_failed,
    is_port_unreachable, is_timeout, join_host_port, kept_len, read_failed, resolve,
};
pub use root::{Opened, Refused, Root};
pub use text::Encoding;
