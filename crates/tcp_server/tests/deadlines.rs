//! The examples' clients give up on `connect` in time when the server's queue of waiting
//! connections (backlog) is full, instead of the two minutes the system keeps retrying.

#[cfg(target_os = "linux")]
#[test]
fn the_clients_give_up_connecting_to_a_full_queue() {
    use lesson_testing::{example, FullQueue};
    let full = FullQueue::fill();
    for name in ["hello_client", "chat_client"] {
        full.check_client_gives_up(&example(name), &[&full.addr, "--timeout", "1"]);
    }
}
