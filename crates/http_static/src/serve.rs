//! Steps 4 to 6 for one connection, request after request (长连接): 4. recv the request,
//! 5. answer it and send the answer, 6. close, or wait for the next request.

use std::io::{self, BufReader};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;

use netcommon::log::log;
use netcommon::{drain, tr, Client};

use crate::limits::WholeRequest;
use crate::request::{self, Stop};
use crate::response::Response;
use crate::usage::Options;
use crate::{answer, LINGER, WRITE_TIMEOUT};

/// One connection, request after request (长连接), until the client closes or goes quiet, or
/// one side asks to close (短连接).
pub fn serve(
    stream: &TcpStream,
    peer: SocketAddr,
    client: &Client,
    options: &Options,
) -> io::Result<()> {
    // What this adds to the notes: a client that says nothing, or stops reading, is dropped.
    stream.set_read_timeout(Some(options.keep_alive))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_nodelay(true)?; // a pipelined response must not wait for the previous one's ACK
    let mut reader = BufReader::new(WholeRequest::new(stream, options.head_timeout));
    let (mut head, mut body, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        // ANCHOR: recv
        // 4. recv 接收请求报文: the head, however many reads it takes, then the body if any.
        client.touch(); // waiting for the client: it may be closed to make room
        let dump = options.dump.then_some(&mut body);
        let request = request::read(&mut reader, &mut head, dump);
        client.busy(); // answering: never closed to make room
        if options.dump && !head.is_empty() {
            let dump = request::dump(&head, &body); // the notes' request viewer (004 2.3.4)
            log(format_args!(
                "{}",
                tr!("{peer} 发来的请求：\n{dump}", "{peer} sent:\n{dump}")
            ));
        }
        // ANCHOR_END: recv
        // ANCHOR: answer
        // 5. 组织响应报文, then send 发送 it: a file, a listing, a redirect, or an error (then
        // close). A HEAD request never gets a body, whatever the status (RFC 9110 9.3.2).
        let head_only = head.starts_with(b"HEAD ");
        let (response, keep_alive) = match request {
            Ok((req, body_read)) => (
                answer::answer(&req, &options.root),
                req.keep_alive && body_read,
            ),
            Err(Stop::Answer(status)) => (Response::page(status), false),
            Err(Stop::Quiet) => return Ok(()), // closed, reset or idle: nobody to answer
        };
        let status = response.status;
        let sent = response.send(&mut &*stream, head_only, keep_alive, &mut buf)?;
        log(format_args!(
            "{peer} \"{}\" {status} {sent}",
            request::log_line(&head)
        ));
        // ANCHOR_END: answer
        // ANCHOR: close
        // 6. close 关闭 (短连接), or wait for the next request on this connection (长连接).
        if !keep_alive {
            // What this adds: close politely. Shut our sending side (the client sees the end),
            // then read and drop what it may still send, for a moment: closing with unread
            // bytes sends a reset (RST), which can destroy our last response in flight.
            let _ = stream.shutdown(Shutdown::Write);
            drain(stream, LINGER);
            return Ok(());
        }
        // ANCHOR_END: close
        // Give the other connections' threads their turn before reading our next request: a
        // client that sends its next request at once would otherwise keep this thread running
        // for its whole time slice while hundreds of others wait (p99 at 500 connections: from
        // about 1 s to 30 ms).
        thread::yield_now();
    }
}
