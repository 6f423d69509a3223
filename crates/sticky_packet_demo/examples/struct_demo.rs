//! Notes 003 "struct模块": a number packed into exactly 4 bytes, and unpacked again.
//!
//! The length prefix that fixes 黏包 is such a 4-byte number. The notes pack 129469649, 123
//! and 8 with `struct.pack('i', n)` and print the bytes, then `struct.unpack('i', b)`. This
//! prints the same six lines, in Python's own notation (`b'{\x00\x00\x00'`: a byte that is a
//! printable ASCII character is shown as that character, so 123 appears as `{`), then the same
//! numbers in network order (`'!i'`, big-endian).
//!
//! ```text
//! cargo run -p sticky_packet_demo --example struct_demo
//! cargo run -p sticky_packet_demo --example struct_demo -- -1 2147483647
//! ```
//!
//! Where this differs from the notes, and why:
//! - `'i'` is the machine's own byte order: little-endian on every PC, so we name it
//!   (`to_le_bytes`); the other end must use the same order, which `'!i'` (`to_be_bytes`)
//!   states outright.
//! - The notes' comment says numbers up to 2 to the 23rd fit in 4 bytes; `'i'` holds any
//!   number from -2147483648 to 2147483647 (2 to the 31st, minus one), and a bigger one is an
//!   error (Python: `struct.error`; here: the command line is refused).

use std::process::ExitCode;

use anyhow::Result;
use netcommon::{say, tr, usage_error, Args};

/// `print(b)` as Python shows bytes: the lesson's own helper, shared with the server.
#[path = "../src/python_bytes.rs"]
mod python_bytes;
use python_bytes::python_bytes;

const USAGE_ZH: &str = "\
用法：struct_demo [N...]

把每个 N（默认：笔记的 129469649 123 8）打包成 4 个字节：像 PC 上的 struct.pack('i', n)（小端），
和 struct.pack('!i', n)（大端）；按 Python 的样子打印这些字节，再解包回来。
N：-2147483648 到 2147483647 之间的整数。";

const USAGE_EN: &str = "\
usage: struct_demo [N...]

Packs each N (default: the notes' 129469649 123 8) into 4 bytes, as struct.pack('i', n) does
on a PC (little-endian) and struct.pack('!i', n) does (big-endian), prints the bytes the way
Python prints them, and unpacks them again. N: a whole number from -2147483648 to 2147483647.";

/// `num1=129469649; num2=123; num3=8`: the notes' numbers.
const NOTES_NUMBERS: [i32; 3] = [129469649, 123, 8];

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), struct_demo)
}

fn struct_demo(args: Args) -> Result<()> {
    let mut numbers = Vec::new();
    for word in args.finish()? {
        match (word.parse::<i32>(), word.parse::<i128>()) {
            (Ok(n), _) => numbers.push(n),
            (Err(_), Ok(_)) => {
                return usage_error(tr!(
                    "{word} 放不进 4 个字节（'i'）",
                    "{word} does not fit in 4 bytes ('i')"
                ))
            }
            _ => return usage_error(tr!("{word:?} 不是整数", "{word:?} is not a whole number")),
        }
    }
    if numbers.is_empty() {
        numbers = NOTES_NUMBERS.to_vec();
    }

    // ret1=struct.pack('i',num1); print(ret1) ... for each number: 转化为四字节
    let packed: Vec<[u8; 4]> = numbers.iter().map(|n| n.to_le_bytes()).collect();
    for bytes in &packed {
        say!("{}", python_bytes(bytes));
    }
    // print(struct.unpack('i',ret1)) ... 解开为原来长度: a tuple of one number, `(8,)`.
    for bytes in &packed {
        say!("({},)", i32::from_le_bytes(*bytes));
    }

    // The same with '!i', network order: the most significant byte first.
    say!(
        "{}",
        tr!(
            "网络字节序，struct.pack('!i', n)：",
            "network order, struct.pack('!i', n):"
        )
    );
    for n in &numbers {
        let bytes = n.to_be_bytes();
        say!(
            "{}  ->  ({},)",
            python_bytes(&bytes),
            i32::from_be_bytes(bytes)
        );
    }
    Ok(())
}
