//! One connection's life: steps 4 to 7 of the notes' server (004 §2.5), request after request
//! on a kept connection (长连接) until one side closes.

use std::io::{self, BufReader};
use std::thread;
use std::time::Duration;

use netcommon::{tr, Root};

use crate::conn::{linger, log, Conn, Conns};
use crate::request::{self, Deadline, Stop};
use crate::response::Response;
use crate::{answer, WRITE_TIMEOUT};

/// One connection, request after request (长连接), until the client closes or goes quiet, or
/// one side asks to close (短连接).
pub fn serve(
    conn: &Conn,
    conns: &Conns,
    root: &Root,
    (keep_alive, head_timeout): (Duration, Duration),
    dump: bool,
) -> io::Result<()> {
    let (stream, peer) = (&conn.stream, conn.peer);
    stream.set_read_timeout(Some(keep_alive))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_nodelay(true)?; // a pipelined response must not wait for the previous one's ACK
    let mut reader = BufReader::new(Deadline::new(stream, head_timeout));
    let (mut head, mut body, mut buf, mut out) = (Vec::new(), Vec::new(), Vec::new(), stream);
    loop {
        // ANCHOR: recv_head
        // 4. recv 接收请求报文: the head, however many reads it takes, then the body if any.
        conn.waiting(conns);
        reader.get_mut().restart();
        body.clear();
        let request = request::read_head(&mut reader, &mut head)
            // ANCHOR_END: recv_head
            .and_then(|()| request::parse(&head).map_err(Stop::Answer))
            .and_then(|req| {
                request::skip_body(&mut reader, &req, dump.then_some(&mut body))
                    .map(|read| (req, read))
            });
        conn.busy();
        // ANCHOR: dump
        if dump && !head.is_empty() {
            let dump = request::dump(&head, &body);
            log(format_args!(
                "{}",
                tr!("{peer} 发来的请求：\n{dump}", "{peer} sent:\n{dump}")
            ));
        }
        // ANCHOR_END: dump
        // ANCHOR: answer
        // 5. 组织响应报文: a file, a listing, a redirect, or an error (then close). A HEAD
        // request never gets a body, whatever the status (RFC 9110 9.3.2).
        let head_only = head.starts_with(b"HEAD ");
        let (response, keep_alive) = match request {
            Ok((req, body_read)) => (answer::answer(&req, root), req.keep_alive && body_read),
            Err(Stop::Answer(status)) => (Response::page(status), false),
            Err(Stop::Quiet) => return Ok(()), // closed, reset or idle: nobody to answer
        };
        // ANCHOR_END: answer
        // ANCHOR: send
        // 6. send 发送响应报文: response line, headers, empty line, body.
        let status = response.status;
        let sent = response.send(&mut out, head_only, keep_alive, &mut buf)?;
        // ANCHOR_END: send
        let line = request::log_line(&head);
        log(format_args!("{peer} \"{line}\" {status} {sent}"));
        // ANCHOR: close
        // 7. close 关闭 (短连接), or wait for the next request on this connection (长连接).
        if !keep_alive {
            linger(stream);
            return Ok(());
        }
        // ANCHOR_END: close
        // Give the other connections' threads their turn before reading our next request. A
        // client that sends its next request at once would otherwise keep this thread running
        // for its whole time slice, request after request, while hundreds of others wait: the
        // one change that took p99 at 500 connections from about 1 s to 30 ms.
        thread::yield_now();
    }
}
