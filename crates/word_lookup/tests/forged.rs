//! Datagrams the client and server did not ask for: strangers' datagrams do not keep the client
//! waiting past `--timeout`, a datagram forged with the server's own address does not make it
//! answer itself for ever, and text from the network reaches the log escaped.

use std::time::Instant;

use lesson_testing::{receive, udp, Program, Stranger};

const EXE: &str = env!("CARGO_BIN_EXE_word_lookup");

#[test]
fn strangers_datagrams_do_not_keep_the_client_waiting() {
    // A server that takes the query and never answers.
    let silent = udp();
    let addr = silent.local_addr().unwrap().to_string();
    let started = Instant::now();
    let client = Program::start(EXE, &["client", "--timeout", "1", &addr, "socket"]);
    // Someone else keeps sending to the client while it waits.
    let stranger = Stranger::to_the_client_of(&silent, &[b"socket: not from the server"]);
    let error = format!("error: no answer from {addr} within 1 s\n");
    stranger.check_client_gave_up(client, started, &error);
}

#[test]
fn the_server_logs_network_text_escaped() {
    let (mut server, addr) = Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]);
    server.expect("words in the dictionary\n");
    let me = udp();
    let mine = me.local_addr().unwrap();
    me.send_to(b"a\x1b[2J\rlistening on 1.2.3.4:5", addr)
        .unwrap();
    let (got, _) = receive(&me);
    assert_eq!(
        got,
        b"a\x1b[2j\rlistening on 1.2.3.4:5: not in the dictionary"
    );
    let line = server.expect(&format!("from {mine}: "));
    assert_eq!(
        line,
        format!(
            "from {mine}: \"a\\u{{1b}}[2J\\rlistening on 1.2.3.4:5\" -> \
             a\\u{{1b}}[2j\\rlistening on 1.2.3.4:5: not in the dictionary\n"
        )
    );
}

/// Forging a source address takes a raw socket: Linux, and root (or CAP_NET_RAW). The datagram
/// is sent by a few lines of Python (std has no raw sockets, and this workspace has no unsafe
/// code); without Python or the right, the test says it is skipped.
#[cfg(target_os = "linux")]
#[cfg_attr(not(python), ignore = "needs Python 3 (python3, python or py -3)")]
#[test]
fn a_datagram_forged_with_the_servers_own_address_is_ignored() {
    use lesson_testing::{python, run};
    let (mut server, addr) = Program::server(EXE, &["server", "--bind", "127.0.0.1:0"]);
    server.expect("words in the dictionary\n");
    // A UDP header by hand: from the server's port to the server's port, no checksum (0 is
    // allowed over IPv4). The system adds the IP header, from 127.0.0.1 to 127.0.0.1.
    let forge = "import socket, struct, sys\n\
                 port, data = int(sys.argv[1]), b'hello'\n\
                 s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)\n\
                 s.sendto(struct.pack('!HHHH', port, port, 8 + len(data), 0) + data, ('127.0.0.1', 0))\n";
    let sent = run(python(), &["-c", forge, &addr.port().to_string()], "");
    if sent.code != Some(0) {
        eprintln!(
            "skipped: no raw socket to forge a datagram ({})",
            sent.stderr.trim()
        );
        return;
    }
    server.expect(&format!("from {addr}: ignored (that is our own address)\n"));
    // Still serving, and not busy answering itself: a real query gets its answer.
    let me = udp();
    me.send_to(b"socket", addr).unwrap();
    let (got, from) = receive(&me);
    assert_eq!(
        (&got[..], from),
        ("socket: n. 套接字；插座".as_bytes(), addr)
    );
    let mine = me.local_addr().unwrap();
    let log = server.expect(&format!("from {mine}: "));
    assert_eq!(
        log.matches(&format!("from {addr}")).count(),
        0,
        "it answered itself: {log}"
    );
}
