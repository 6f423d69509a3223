//! Text in and out: Python's `str.encode(...)` and `bytes.decode(...)`.
//!
//! Everything is UTF-8 unless `--encoding gbk` is given, for peers that speak GBK: the Windows
//! 网络调试助手 and 飞秋 (notes 002: "ubuntu — str.encode() —> windows调试助手 / bytes.decode("gbk")").
//! Decoding never fails: bytes that are not valid text become U+FFFD (�), where Python's
//! `data.decode()` would raise `UnicodeDecodeError` and end the program.

use std::fmt;
use std::str::FromStr;

/// The encoding of text on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
}

impl Encoding {
    /// `str.encode(...)`. GBK cannot spell every character: those become `&#NNNN;`,
    /// the HTML escape the Encoding Standard prescribes, never a failure.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Gbk => encoding_rs::GBK.encode(text).0.into_owned(),
        }
    }

    /// `bytes.decode(...)`, with replacement characters instead of an exception.
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Gbk => encoding_rs::GBK
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        }
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb2312" | "cp936" => Ok(Encoding::Gbk),
            _ => Err(crate::tr!(
                "--encoding：不认识的编码 {name:?}（用 utf-8 或 gbk）",
                "--encoding: unknown encoding {name:?} (use utf-8 or gbk)"
            )),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gbk => "gbk",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding::{Gbk, Utf8};

    #[test]
    fn gbk_round_trip_matches_python() {
        // Python: "你好".encode("gbk") == b'\xc4\xe3\xba\xc3'
        assert_eq!(Gbk.encode("你好"), b"\xc4\xe3\xba\xc3");
        assert_eq!(Gbk.decode(b"\xc4\xe3\xba\xc3"), "你好");
        assert_eq!(Utf8.encode("你好"), "你好".as_bytes());
    }

    #[test]
    fn bad_bytes_never_fail() {
        assert_eq!(Utf8.decode(b"ok\xff"), "ok\u{fffd}");
        assert_eq!(Gbk.decode(b"\xc4"), "\u{fffd}"); // half a character
        assert_eq!(Gbk.encode("😀"), b"&#128512;");
    }

    #[test]
    fn names() {
        assert_eq!("GBK".parse(), Ok(Gbk));
        assert_eq!("utf-8".parse(), Ok(Utf8));
        assert!("latin1".parse::<super::Encoding>().is_err());
    }
}
