//! Length-prefixed frames: the fix for 黏包 (notes 003 "解决tcp协议中的粘包现象"), the heart of
//! this lesson: the server sends [`frame_header`] then the message, the client [`read_frame`]s.
//!
//! TCP carries a stream of bytes with no boundaries between messages, so the receiver cannot
//! tell where one message ends. The fix: put each message's length before it, as a 4-byte
//! signed integer (the notes' `struct.pack('i', len(msg))`), and read exactly that many bytes.
//!
//! ```text
//! [ len: 4 bytes, i32 ][ len bytes of message ][ len ][ message ] ...
//! ```
//!
//! `'i'` is the machine's own byte order: little-endian on a PC. `'!i'` is "network order",
//! big-endian. Both ends must agree: [`Endian`].
//!
//! The reader never trusts the length it receives: a negative one, or one over the caller's
//! limit, is refused before any memory is allocated for the body.

use std::io::{self, ErrorKind, Read};
use std::str::FromStr;

use byteorder::{BigEndian, ByteOrder, LittleEndian};
use netcommon::tr;

/// The length prefix: 4 bytes, like `struct.pack('i', n)`.
pub const HEADER_LEN: usize = 4;

/// The byte order of the length prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    /// `struct.pack('i', n)` on a PC (x86, ARM): least significant byte first.
    Little,
    /// `struct.pack('!i', n)`, "network order": most significant byte first.
    Big,
}

impl FromStr for Endian {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "little" => Ok(Endian::Little),
            "big" => Ok(Endian::Big),
            _ => Err(tr!(
                "不认识的字节序 {name:?}（用 little 或 big）",
                "unknown byte order {name:?} (use little or big)"
            )),
        }
    }
}

/// The 4 header bytes for a body of `len` bytes (`struct.pack('i', len)`). A body over `i32::MAX` bytes cannot be
/// described by the header: that is an error, not a length silently wrapped to a wrong one.
pub fn frame_header(endian: Endian, len: usize) -> io::Result<[u8; HEADER_LEN]> {
    let Ok(len) = i32::try_from(len) else {
        let why = tr!(
            "{len} 字节的消息太长，4 字节的长度装不下",
            "a message of {len} bytes is too long for a 4-byte length"
        );
        return Err(io::Error::new(ErrorKind::InvalidInput, why));
    };
    let mut bytes = [0; HEADER_LEN];
    match endian {
        // ANCHOR: byte_order
        Endian::Little => LittleEndian::write_i32(&mut bytes, len),
        Endian::Big => BigEndian::write_i32(&mut bytes, len),
        // ANCHOR_END: byte_order
    }
    Ok(bytes)
}

/// Reads one frame and returns its body, or `None` when the peer closed cleanly between
/// frames (a 0-byte read before the first header byte: the normal end of the stream).
///
/// - A close inside the header or the body is an `UnexpectedEof` error: the message is cut.
/// - A negative length, or one over `max` bytes, is an `InvalidData` error, returned before
///   anything is allocated: a peer saying "2 GB follow" must not make us reserve 2 GB.
///
/// The notes' client does `sk.recv(4)` then `sk.recv(length)`. Each `recv` returns what has
/// arrived so far, which may be fewer bytes (a large message comes in pieces): it works on a
/// quiet loopback and breaks on a real network. Here the header is read in a loop and the
/// body with `read_exact`, which loops until it has every byte.
pub fn read_frame(r: &mut impl Read, endian: Endian, max: usize) -> io::Result<Option<Vec<u8>>> {
    // ANCHOR: read_length
    // 1. The header: 4 bytes, maybe in several reads. 0 bytes at the very start = clean close.
    let mut bytes = [0; HEADER_LEN];
    let mut got = 0;
    while got < HEADER_LEN {
        match r.read(&mut bytes[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => {
                let why = tr!(
                    "连接在长度头的中间关闭了（收到 4 个字节里的 {got} 个）",
                    "the connection closed inside a length header ({got} of 4 bytes)"
                );
                return Err(io::Error::new(ErrorKind::UnexpectedEof, why));
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    // ANCHOR_END: read_length
    // ANCHOR: max_frame
    // 2. struct.unpack('i', header)[0], then check it before trusting it.
    let len = match endian {
        Endian::Little => LittleEndian::read_i32(&bytes),
        Endian::Big => BigEndian::read_i32(&bytes),
    };
    let invalid = |why: String| Err(io::Error::new(ErrorKind::InvalidData, why));
    let Ok(len) = usize::try_from(len) else {
        return invalid(tr!("负数的帧长度 {len}", "negative frame length {len}"));
    };
    if len > max {
        return invalid(tr!(
            "帧长度 {len} 超过了上限 {max} 字节（--max-frame）",
            "frame length {len} is over the limit of {max} bytes"
        ));
    }
    // ANCHOR_END: max_frame
    // ANCHOR: read_message
    // 3. The body: exactly `len` bytes (read_exact loops; a short read is not the end).
    let mut body = vec![0; len];
    r.read_exact(&mut body).map_err(|e| match e.kind() {
        ErrorKind::UnexpectedEof => io::Error::new(
            ErrorKind::UnexpectedEof,
            tr!(
                "连接在 {len} 字节的消息体中间关闭了",
                "the connection closed inside a {len}-byte frame body"
            ),
        ),
        _ => e,
    })?;
    // ANCHOR_END: read_message
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One frame as the server sends it: the header, then the body.
    fn write_frame(w: &mut Vec<u8>, endian: Endian, body: &[u8]) -> io::Result<()> {
        w.extend_from_slice(&frame_header(endian, body.len())?);
        w.extend_from_slice(body);
        Ok(())
    }

    /// A reader that hands out one byte per read, like a slow network.
    struct OneByteAtATime<'a>(&'a [u8]);

    impl Read for OneByteAtATime<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    fn kind<T: std::fmt::Debug>(r: io::Result<T>) -> ErrorKind {
        r.expect_err("should fail").kind()
    }

    #[test]
    fn header_bytes_match_python_struct() {
        // struct.pack('i', 6) == b'\x06\x00\x00\x00'; struct.pack('!i', 6) == b'\x00\x00\x00\x06'
        let mut little = Vec::new();
        write_frame(&mut little, Endian::Little, b"hello!").unwrap();
        assert_eq!(little, b"\x06\x00\x00\x00hello!");
        let mut big = Vec::new();
        write_frame(&mut big, Endian::Big, b"hello!").unwrap();
        assert_eq!(big, b"\x00\x00\x00\x06hello!");
        // struct.pack('i', 129469649), the notes' example
        assert_eq!(
            frame_header(Endian::Little, 129469649).unwrap(),
            [0xd1, 0x8c, 0xb7, 0x07]
        );
    }

    #[test]
    fn round_trip_several_frames_then_clean_close() {
        for endian in [Endian::Little, Endian::Big] {
            let big = vec![b'x'; 70_000];
            let mut wire = Vec::new();
            for body in [&b"one"[..], b"", &big, "你好".as_bytes()] {
                write_frame(&mut wire, endian, body).unwrap();
            }
            let mut r = OneByteAtATime(&wire);
            assert_eq!(
                read_frame(&mut r, endian, 1 << 20).unwrap().unwrap(),
                b"one"
            );
            assert_eq!(read_frame(&mut r, endian, 1 << 20).unwrap().unwrap(), b"");
            assert_eq!(read_frame(&mut r, endian, 1 << 20).unwrap().unwrap(), big);
            assert_eq!(
                read_frame(&mut r, endian, 1 << 20).unwrap().unwrap(),
                "你好".as_bytes()
            );
            assert_eq!(read_frame(&mut r, endian, 1 << 20).unwrap(), None);
        }
    }

    #[test]
    fn a_close_inside_a_frame_is_an_error() {
        let mut half_header: &[u8] = b"\x05\x00";
        let r = read_frame(&mut half_header, Endian::Little, 100);
        assert_eq!(kind(r), ErrorKind::UnexpectedEof);
        let mut half_body: &[u8] = b"\x05\x00\x00\x00hel";
        let r = read_frame(&mut half_body, Endian::Little, 100);
        assert_eq!(kind(r), ErrorKind::UnexpectedEof);
    }

    #[test]
    fn hostile_lengths_are_refused_before_allocating() {
        let refused: [(&str, &[u8], Endian, usize); 4] = [
            ("negative", b"\xff\xff\xff\xffxyz", Endian::Little, 100),
            // i32::MAX with a small limit: refused at once (a 2 GB vec! would be slow or abort)
            ("huge", b"\x7f\xff\xff\xff", Endian::Big, 100),
            (
                "one over the limit",
                b"\x00\x00\x00\x04abcd",
                Endian::Big,
                3,
            ),
            // the same bytes as below in the wrong byte order are a huge length
            (
                "wrong byte order",
                b"\x00\x00\x00\x03abc",
                Endian::Little,
                100,
            ),
        ];
        for (what, bytes, endian, limit) in refused {
            let mut r = bytes;
            let got = read_frame(&mut r, endian, limit);
            assert_eq!(kind(got), ErrorKind::InvalidData, "{what}");
            assert_eq!(r, &bytes[4..], "{what}: nothing read past the header");
        }
        // exactly the limit is fine
        let mut at_limit: &[u8] = b"\x00\x00\x00\x03abc";
        assert_eq!(
            read_frame(&mut at_limit, Endian::Big, 3).unwrap().unwrap(),
            b"abc"
        );
    }

    #[test]
    fn a_body_too_long_for_the_header_is_an_error_not_a_wrap() {
        let too_long = i32::MAX as usize + 1;
        assert_eq!(
            kind(frame_header(Endian::Little, too_long)),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            frame_header(Endian::Big, i32::MAX as usize).unwrap(),
            [0x7f, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn endian_names() {
        assert_eq!("little".parse(), Ok(Endian::Little));
        assert_eq!("big".parse(), Ok(Endian::Big));
        assert!("network".parse::<Endian>().is_err());
    }
}
