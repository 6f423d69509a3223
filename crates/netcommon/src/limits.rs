//! How many clients a threaded server can hold at once, read from the process's open-file limit
//! (`ulimit -n`), and how to tell that `accept` failed for want of file descriptors.

use std::io;

/// The most clients (threads) served at once by default, however high `ulimit -n` is.
const MAX_DEFAULT: usize = 10_000;
/// File descriptors kept back for the server itself (stdio, the listener, the log) at least.
const SPARE_FILES: usize = 32;
/// Kept back beyond those already open at start.
const SPARE_BEYOND_OPEN: usize = 16;

/// The default client limit of a server whose clients each hold `files_each` file descriptors
/// (2 for the socket and the registry's handle on it; one more for a file it sends), and why,
/// for `--help`: the open-file limit less a few for the server itself (32, or those open at
/// start and 16 more: a parent that leaks its descriptors, an IDE or a CI runner, leaves fewer),
/// divided among the clients, at most 10,000. Only Linux shows the limit without unsafe code
/// (in `/proc/self/limits`) and what is open (`/proc/self/fd`); elsewhere a fixed 1000.
pub fn default_max_clients(files_each: usize) -> (usize, String) {
    let each = files_each.max(1);
    let Some(limit) = open_file_limit() else {
        let why = crate::pick(
            "1000（别超过打开文件数的上限）",
            "1000 (keep it under the open-file limit)",
        );
        return (1000, why.into());
    };
    let spare = SPARE_FILES.max(open_files() + SPARE_BEYOND_OPEN);
    let n = (limit.saturating_sub(spare) / each).clamp(1, MAX_DEFAULT);
    let per = if each == 1 {
        String::new()
    } else {
        format!(" / {each}")
    };
    let why = crate::tr!(
        "{n} =（打开文件数的上限 {limit} - {spare}）{per}，最多 {MAX_DEFAULT}",
        "{n} = (open-file limit {limit} - {spare}){per}, at most {MAX_DEFAULT}"
    );
    (n, why)
}

/// The soft "Max open files" limit from `/proc/self/limits`; `unlimited` counts as very many.
#[cfg(target_os = "linux")]
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    match line["Max open files".len()..].split_whitespace().next()? {
        "unlimited" => Some(usize::MAX),
        soft => soft.parse().ok(),
    }
}

/// Elsewhere std cannot read the limit without unsafe code.
#[cfg(not(target_os = "linux"))]
fn open_file_limit() -> Option<usize> {
    None
}

/// How many file descriptors the process has open now (this count's own included).
#[cfg(target_os = "linux")]
fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count())
}

#[cfg(not(target_os = "linux"))]
fn open_files() -> usize {
    0
}

/// Is this "too many open files" (EMFILE, or ENFILE for the whole system)? std has no
/// `ErrorKind` for it, so the numbers: the same on Linux, macOS and the BSDs; WSAEMFILE on
/// Windows.
pub fn out_of_files(e: &io::Error) -> bool {
    #[cfg(unix)]
    const OUT_OF_FILES: [i32; 2] = [24, 23];
    #[cfg(windows)]
    const OUT_OF_FILES: [i32; 1] = [10024];
    #[cfg(not(any(unix, windows)))]
    const OUT_OF_FILES: [i32; 0] = [];
    e.raw_os_error().is_some_and(|n| OUT_OF_FILES.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emfile_is_out_of_files_and_a_reset_is_not() {
        #[cfg(unix)]
        assert!(out_of_files(&io::Error::from_raw_os_error(24)));
        #[cfg(windows)]
        assert!(out_of_files(&io::Error::from_raw_os_error(10024)));
        assert!(!out_of_files(&io::Error::from(
            io::ErrorKind::ConnectionReset
        )));
    }

    #[test]
    fn the_default_leaves_room_for_the_server() {
        let (one, why) = default_max_clients(1);
        let (two, _) = default_max_clients(2);
        assert!(
            (1..=MAX_DEFAULT).contains(&one) && two <= one,
            "{one} {two}"
        );
        assert!(why.starts_with(&one.to_string()), "{why}");
    }

    /// Descriptors open at start (inherited from a parent that leaks them) are kept back too.
    #[cfg(target_os = "linux")]
    #[test]
    fn descriptors_already_open_are_kept_back() {
        // 40 more, leaving at least 100 for the tests that run beside this one (none under a
        // small `ulimit -n`: then the check below holds anyway).
        let free = open_file_limit()
            .unwrap_or(0)
            .saturating_sub(open_files() + 100);
        let held: Vec<std::fs::File> = (0..free.min(40))
            .map_while(|_| std::fs::File::open("/proc/self/limits").ok())
            .collect();
        let (_, why) = default_max_clients(1);
        let spare: usize = why
            .split(" - ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no spare count in {why:?}"));
        assert!(spare >= held.len() + SPARE_BEYOND_OPEN, "{why}");
    }
}
