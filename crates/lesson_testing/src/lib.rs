//! lesson_testing: the harness of the lessons' tests, a dev-dependency only (never built into a
//! lesson's program). Every test runs the real programs over 127.0.0.1, and every wait has a
//! deadline ([`TIMEOUT`]), so a bug fails fast with what the program printed so far.
//!
//! - [`program`]: starting and watching programs (a lesson's binary, an example, one of the
//!   notes' Python programs): [`Program`], [`run`], [`run_client`], [`command`],
//!   [`start_on_free_port`], [`Muted`]; how a program ended ([`Finished`] and its `expect_*`
//!   checks); the command-line checks of SPEC ([`check_command_line`], [`check_port_taken`]);
//!   Python discovery ([`python`], [`python3`], [`PYTHONS`], [`REQUIRE_PYTHON`]) and other
//!   tools ([`tool`]);
//!   the notes' Python programs ([`NOTES_PY`], [`OUR_PY`]) run with a port as their argument
//!   ([`run_python_on_port`], [`start_python_on_port`], [`python_on_free_port`]);
//! - [`peer`]: playing the other side: a TCP client ([`connect`], [`exchange`], [`ask`],
//!   [`send_and_never_read`]), a server for one client ([`serve_one`], [`run_against`]), UDP ([`udp`],
//!   [`receive`], [`recv_from`]), someone else on the network ([`Stranger`]), a listen queue that
//!   is full ([`FullQueue`]), many clients at once ([`clients_for`]), and the graders' logged
//!   [`Peer`] and [`UdpPeer`];
//! - [`files`]: the file system: a folder per test ([`TempDir`], with [`TempDir::file`] and
//!   [`TempDir::folder`]), folders swapped under a server ([`swap`], [`Swapping`]), named pipes
//!   ([`make_fifo`]);
//! - [`chinese`]: what a student meets by default, in Chinese: [`in_chinese`],
//!   [`run_in_chinese`] and the `check_chinese_*` checks (usage, a refusal, a port taken, a
//!   connection refused);
//! - [`grade`]: the homework graders, whose logs and failures are in Chinese: [`Student`],
//!   [`Ended`], [`fail`], [`check`], [`show`], [`expected_vs_got`], and the seeded random
//!   [`Inputs`] ([`SEED_VAR`]).
//!
//! Everything is also re-exported here: `use lesson_testing::{run, Program, TIMEOUT};`.

pub mod chinese;
pub mod files;
pub mod grade;
pub mod peer;
pub mod program;

pub use chinese::*;
pub use files::*;
pub use grade::*;
pub use peer::*;
pub use program::*;
