//! Names that come from the network (a file name, one part of a URL path), checked with
//! Windows' rules on every system.
//!
//! A server joins such a name to its root folder. On Linux `con.txt` or `a.txt.` is an
//! ordinary name, but the same server on Windows would open the console device or `a.txt`,
//! and `C:x`, `\\server\share` or `name.txt::$DATA` would lead somewhere else entirely. So a
//! name is refused here if it is unsafe on *any* system, and the same tests run everywhere.
//! The callers split a path at `/` (and percent-decode it first, for a URL) and check each
//! part with [`check_name`]; then [`Root`](crate::Root) opens the names beneath the root
//! folder, refusing symlinks that lead out at the moment of the open.

/// Names Windows keeps for devices, whatever the extension: `NUL.txt` opens the null device.
/// `COM¹`-`COM³` and `LPT¹`-`LPT³` (superscript digits) are devices too.
const DEVICES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Checks one name (one part of a path, between two `/`). `Err` says why it is refused:
///
/// - empty, `.` or `..`;
/// - `/` or `\` (a separator on Windows: `..\x`, `\\server\share` (UNC), `\\?\C:\x`);
/// - `:` anywhere (`C:`, `C:x` drive letters, `name.txt::$DATA` NTFS streams);
/// - NUL or another control character;
/// - a trailing `.` or space (Windows drops them: `a.txt.` opens `a.txt`, `... ` opens `.`);
/// - a device name (`CON`, `NUL`, `COM1`, `LPT1`, ...), in any case, with or without an
///   extension (`nul.txt`, `Com1.log`).
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(crate::pick("空的名字", "an empty name").into());
    }
    if name == "." || name == ".." {
        return Err(crate::tr!("名字里有 {name:?}", "{name:?} in the name"));
    }
    if name.starts_with(r"\\?\") || name.starts_with(r"\\.\") {
        return Err(crate::pick(
            r"Windows 设备路径（\\?\ 或 \\.\）",
            r"a Windows device path (\\?\ or \\.\)",
        )
        .into());
    }
    if name.starts_with(r"\\") {
        return Err(crate::pick(
            r"UNC 路径（\\server\share）",
            r"a UNC path (\\server\share)",
        )
        .into());
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(crate::pick("盘符（C:）", "a drive letter (C:)").into());
    }
    if let Some(c) = name
        .chars()
        .find(|&c| matches!(c, '/' | '\\' | ':') || c.is_control())
    {
        let why = match c {
            '/' | '\\' => crate::pick("路径分隔符", "a path separator"),
            ':' => crate::pick("Windows 的盘符或数据流", "a Windows drive or stream"),
            _ => crate::pick("控制字符", "a control character"),
        };
        return Err(crate::tr!(
            "名字里有 {c:?}（{why}）",
            "{c:?} in the name ({why})"
        ));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Err(crate::pick(
            "名字以 '.' 或 ' ' 结尾（Windows 会把它们去掉）",
            "a name ending in '.' or ' ' (Windows drops them)",
        )
        .into());
    }
    if is_device(name) {
        return Err(crate::pick(
            "Windows 的设备名（CON、NUL、COM1、LPT1……）",
            "a Windows device name (CON, NUL, COM1, LPT1, ...)",
        )
        .into());
    }
    Ok(())
}

/// `CON`, `nul.txt`, `Com1.tar.gz`, `LPT¹`: the part before the first `.` (trailing spaces
/// dropped, as Windows does) is a device name.
fn is_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_uppercase();
    if DEVICES.contains(&upper.as_str()) {
        return true;
    }
    let numbered = upper
        .strip_prefix("COM")
        .or_else(|| upper.strip_prefix("LPT"));
    matches!(
        numbered,
        Some("1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass() {
        for name in [
            "a.txt",
            "中文.txt",
            "a b.tar.gz",
            ".hidden",
            "x..y",
            "%5c", // not decoded here: a literal name, harmless
            "console.txt",
            "COM10",
            "LPT0",
            "nullable",
            "CONIN",
            "auxiliary.rs",
            "com1x.txt",
        ] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn hostile_names_are_refused() {
        for name in [
            "",
            ".",
            "..",
            // separators: backslash (what a decoded %5c becomes), slash
            "a\\b",
            "..\\..\\x",
            "\\",
            "a/b",
            // drive letters and C: prefixes
            "C:",
            "c:",
            "C:x",
            "C:\\Windows",
            "Z:..",
            // UNC and verbatim paths
            "\\\\server\\share",
            "\\\\?\\C:\\x",
            "\\\\.\\PhysicalDrive0",
            // alternate data streams, and any ':'
            "name.txt::$DATA",
            "name.txt:secret",
            "a:b",
            // trailing dots or spaces
            "a.txt.",
            "a.txt ",
            "...",
            "a. . ",
            // NUL and control characters
            "a\0b",
            "\0",
            "a\r\nb",
            "\t",
            // reserved device names, any case, with or without extension
            "CON",
            "con",
            "Con.txt",
            "NUL",
            "nul.tar.gz",
            "PRN",
            "aux.c",
            "COM1",
            "com9.log",
            "LPT1",
            "lpt3.txt",
            "COM¹",
            "CONIN$",
            "conout$.txt",
            "NUL .txt",
        ] {
            assert!(check_name(name).is_err(), "{name:?} must be refused");
        }
    }

    #[test]
    fn the_reason_is_specific() {
        let why = |name| check_name(name).unwrap_err();
        assert_eq!(why(".."), "\"..\" in the name");
        assert!(why("\\\\?\\C:\\x").starts_with("a Windows device path"));
        assert!(why("\\\\srv\\share").starts_with("a UNC path"));
        assert!(why("C:x").starts_with("a drive letter"));
        assert!(why("a.txt::$DATA").starts_with("':' in the name"));
        assert!(why("a\\b").starts_with("'\\\\' in the name"));
        assert!(why("a\0").starts_with("'\\0' in the name"));
        assert!(why("x. ").contains("Windows drops them"));
        assert!(why("lpt1.txt").contains("device name"));
    }
}
