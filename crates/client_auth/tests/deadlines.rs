//! Deadlines: the client gives up on `connect` in time when the server's queue of waiting
//! connections is full, and a duration too large for the clock is refused at the command line
//! (it used to be accepted, and every connection then panicked adding it to the clock).

use lesson_testing::run;

const EXE: &str = env!("CARGO_BIN_EXE_client_auth");

#[test]
fn a_timeout_too_large_for_the_clock_is_a_usage_error() {
    let server: &[&str] = &["server", "--bind", "127.0.0.1:0", "--timeout", "1e19"];
    let client: &[&str] = &[
        "client",
        "127.0.0.1:9",
        "--timeout",
        "1e19",
        "--secret",
        "s",
    ];
    for args in [server, client] {
        let out = run(EXE, args, "");
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        out.expect_stderr_start(
            "error: --timeout must be a number of seconds above 0 and at most 86400 (a day)\n",
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_client_gives_up_connecting_to_a_full_queue() {
    let full = lesson_testing::FullQueue::fill();
    full.check_client_gives_up(
        EXE,
        &["client", &full.addr, "--timeout", "1", "--secret", "s"],
    );
}
