//! Bytes shown the way Python's `print(b)` shows them, so that a line of ours reads like the
//! notes' output (`print(struct.pack('i', 123))` prints `b'{\x00\x00\x00'`). The server logs
//! each length header with it; examples/struct_demo.rs includes this file too.

/// Bytes the way Python's `print(b)` shows them: `b'...'`, printable ASCII as itself, tab,
/// newline and carriage return as `\t`, `\n`, `\r`, any other byte as `\xNN`, and `\` escaped.
/// Like Python, quotes with `"` when the bytes hold a `'` and no `"`, else with `'` (escaped
/// inside).
pub fn python_bytes(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut text = format!("b{quote}");
    for &b in bytes {
        match b {
            b'\\' => text.push_str("\\\\"),
            b'\t' => text.push_str("\\t"),
            b'\n' => text.push_str("\\n"),
            b'\r' => text.push_str("\\r"),
            _ if b as char == quote => text.push_str(&format!("\\{quote}")),
            0x20..=0x7e => text.push(b as char),
            _ => text.push_str(&format!("\\x{b:02x}")),
        }
    }
    text.push(quote);
    text
}
