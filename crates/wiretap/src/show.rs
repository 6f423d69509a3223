//! How the wiretap shows what passes: the clock, the hex dump, the text, and the mermaid
//! diagram it keeps up to date in a file (`--mermaid FILE`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use netcommon::{pick, printable_text, say, tr, Encoding};

/// Bytes a row of the hex dump holds, like `xxd` and `hexdump -C`.
const ROW: usize = 16;
/// A chunk's first bytes shown in hex; the rest is counted, not shown (a 1 MB download would
/// be 65,536 rows).
const MAX_HEX: usize = 256;
/// A chunk's text is cut after this many characters.
const MAX_TEXT: usize = 512;
/// Characters of a chunk's text on its arrow in the diagram.
const MERMAID_TEXT: usize = 24;
/// The diagram stops growing after this many lines (it is rewritten after each one).
const MERMAID_LINES: usize = 500;

/// Which way the bytes go.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dir {
    ToServer,
    ToClient,
}

impl Dir {
    /// `客户端 → 服务器` or `client → server`.
    pub fn label(self) -> &'static str {
        match self {
            Dir::ToServer => pick("客户端 → 服务器", "client → server"),
            Dir::ToClient => pick("服务器 → 客户端", "server → client"),
        }
    }

    /// The other end, the one the bytes come from: `客户端` or `服务器`.
    pub fn sender(self) -> &'static str {
        match self {
            Dir::ToServer => pick("客户端", "the client"),
            Dir::ToClient => pick("服务器", "the server"),
        }
    }
}

static START: OnceLock<Instant> = OnceLock::new();

/// Time since the wiretap started, in milliseconds.
pub fn millis() -> u64 {
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// Time since the wiretap started, as each line begins: `+0.153 s`.
pub fn stamp() -> String {
    format!(
        "+{:.3} s",
        START.get_or_init(Instant::now).elapsed().as_secs_f64()
    )
}

/// One event on a line of its own: `+0.153 s #1 LINE`.
pub fn event(id: u64, line: &str) {
    say!("{} #{id} {line}", stamp());
}

/// One chunk, exactly as one read returned it: a header line, the hex dump, the text. Said
/// in one piece, so the other direction's lines never land in the middle.
// ANCHOR: chunk
pub fn chunk(id: u64, dir: Dir, bytes: &[u8], encoding: Encoding, datagram: bool) {
    let n = bytes.len();
    let what = if datagram {
        tr!("{n} 字节（一个数据报）", "{n} bytes (one datagram)")
    } else {
        tr!("{n} 字节", "{n} bytes")
    };
    let mut out = format!("{} #{id} {} {what}", stamp(), dir.label());
    for row in hex_rows(&bytes[..n.min(MAX_HEX)]) {
        let _ = write!(out, "\n    {row}");
    }
    if n > MAX_HEX {
        let more = n - MAX_HEX;
        let _ = write!(
            out,
            "\n    {}",
            tr!("……（还有 {more} 字节）", "... ({more} more bytes)")
        );
    }
    let text = quoted(&encoding.decode(bytes), MAX_TEXT);
    let _ = write!(out, "\n    {}{text}", pick("文本：", "text: "));
    say!("{out}");
    let arrow = match dir {
        Dir::ToServer => "C->>S",
        Dir::ToClient => "S->>C",
    };
    let mut short: String = printable_text(&encoding.decode(bytes));
    if let Some((at, _)) = short.char_indices().nth(MERMAID_TEXT) {
        short.replace_range(at.., "...");
    }
    let colon = pick("：", ": ");
    mermaid(format!(
        "{arrow}: #35;{id} {what}{colon}{}",
        mermaid_text(&short)
    ));
}
// ANCHOR_END: chunk

/// Text from the network in quotes, control characters escaped, cut after `max` characters.
fn quoted(text: &str, max: usize) -> String {
    let escaped = printable_text(text).replace('"', "\\\"");
    match escaped.char_indices().nth(max) {
        Some((at, _)) => format!("\"{}\"...", &escaped[..at]),
        None => format!("\"{escaped}\""),
    }
}

/// The hex dump: an offset, 16 bytes in hex, and the printable ASCII among them (`.` for the
/// rest: a Chinese character's three UTF-8 bytes are three dots here, and whole in the text).
// ANCHOR: hex
pub fn hex_rows(bytes: &[u8]) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, row) in bytes.chunks(ROW).enumerate() {
        let mut line = format!("{:04x} ", i * ROW);
        for b in row {
            let _ = write!(line, " {b:02x}");
        }
        line.push_str(&"   ".repeat(ROW - row.len()));
        line.push_str("  ");
        line.extend(row.iter().map(|&b| match b {
            0x20..=0x7e => b as char,
            _ => '.',
        }));
        rows.push(line);
    }
    rows
}
// ANCHOR_END: hex

// ---- --mermaid FILE: the exchange as a sequence diagram, rewritten after each line, so the
// ---- file is whole however the wiretap is stopped (Ctrl-C cannot be caught with std alone).

struct Diagram {
    path: PathBuf,
    text: String,
    lines: usize,
}

static DIAGRAM: Mutex<Option<Diagram>> = Mutex::new(None);

/// Starts the diagram in `path`: the header and the three participants.
pub fn mermaid_start(path: PathBuf) -> std::io::Result<()> {
    let (c, s) = (pick("客户端", "client"), pick("服务器", "server"));
    let text = format!(
        "sequenceDiagram\n    participant C as {c}\n    participant W as wiretap\n    \
         participant S as {s}\n"
    );
    std::fs::write(&path, &text)?;
    let mut diagram = DIAGRAM.lock().unwrap_or_else(|p| p.into_inner());
    *diagram = Some(Diagram {
        path,
        text,
        lines: 0,
    });
    Ok(())
}

/// A note across the three lifelines: `#1 客户端关闭了发送方向（FIN）`.
pub fn mermaid_note(id: u64, text: &str) {
    mermaid(format!("Note over C,S: #35;{id} {}", mermaid_text(text)));
}

/// Adds a line to the diagram, if there is one, and writes the whole file again.
fn mermaid(line: String) {
    let mut guard = DIAGRAM.lock().unwrap_or_else(|p| p.into_inner());
    let Some(diagram) = guard.as_mut() else {
        return;
    };
    if diagram.lines > MERMAID_LINES {
        return;
    }
    diagram.lines += 1;
    if diagram.lines > MERMAID_LINES {
        let _ = writeln!(diagram.text, "    Note over C,S: ...");
    } else {
        let _ = writeln!(diagram.text, "    {line}");
    }
    if let Err(e) = std::fs::write(&diagram.path, &diagram.text) {
        let path = diagram.path.display();
        let why = netcommon::lang::io_error(&e);
        say!(
            "{}",
            tr!("写不了 {path}：{why}", "cannot write {path}: {why}")
        );
    }
}

/// Text made safe for a mermaid line: `#`, `;` (which ends a statement), `<`, `>` and quotes
/// as mermaid's `#NN;` codes.
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '#' | ';' | '<' | '>' | '"' | '%' | '{' | '}' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_rows_have_an_offset_and_ascii() {
        let rows = hex_rows(b"hello, wiretap! and more");
        assert_eq!(
            rows[0],
            "0000  68 65 6c 6c 6f 2c 20 77 69 72 65 74 61 70 21 20  hello, wiretap! "
        );
        assert_eq!(
            rows[1],
            "0010  61 6e 64 20 6d 6f 72 65                          and more"
        );
        let padded = format!("0000  e4 bd a0{}  ...", "   ".repeat(13));
        assert_eq!(hex_rows("你".as_bytes())[0], padded);
        assert!(hex_rows(b"").is_empty());
    }

    #[test]
    fn text_is_escaped_and_cut() {
        assert_eq!(quoted("a\r\nb\"", 10), "\"a\\r\\nb\\\"\"");
        assert_eq!(quoted("你好世界", 2), "\"你好\"...");
        assert_eq!(mermaid_text("a;b#<c>"), "a#59;b#35;#60;c#62;");
    }
}
