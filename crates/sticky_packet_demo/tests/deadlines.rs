//! The client gives up on `connect` in time when the server's queue of waiting connections
//! (backlog) is full, instead of the two minutes the system keeps retrying. Linux only: how to
//! fill the queue is `lesson_testing::FullQueue`'s, and that is Linux's behaviour.
#![cfg(target_os = "linux")]

const EXE: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

#[test]
fn the_client_gives_up_connecting_to_a_full_queue() {
    let full = lesson_testing::FullQueue::fill();
    for mode in [&[][..], &["--framed"][..]] {
        let mut args = vec!["client", &full.addr, "--timeout", "1"];
        args.extend_from_slice(mode);
        full.check_client_gives_up(EXE, &args);
    }
}
