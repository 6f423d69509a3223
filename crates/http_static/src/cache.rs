//! Small files kept in memory after their first read. Why a real server needs it: a page's
//! stylesheet and images are asked for again and again, and reading them every time costs a
//! `read` each; nginx's `open_file_cache` keeps what it read the same way.
//!
//! Every request still opens the file (beneath the root, netcommon's `Root`), and a kept copy
//! is used only when the file just opened is the one that was kept: same size and modification
//! time, and on Unix the same device and inode (so a file replaced by a rename, or a folder
//! swapped for another, is seen) and status-change time (so a `chmod` is seen). All of it comes
//! from the open descriptor (`fstat`), never from an earlier look at the path, which may mean
//! another file by now. A file changed in the last two seconds is sent but not kept: within one
//! tick of the file system's clock it could change again and keep its time. Large files are
//! never read into memory: they are streamed from the open file.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, SystemTime};

/// Files up to this size are kept in memory.
const MAX_FILE: u64 = 64 * 1024;
/// All kept files together at most this many bytes; a file that would pass it empties the cache.
const MAX_TOTAL: usize = 16 * 1024 * 1024;
/// At most this many files are kept (empty files cost no bytes, but each entry costs memory).
const MAX_FILES: usize = 10_000;
/// A file modified less than this long ago is not kept (see above).
const SETTLED: Duration = Duration::from_secs(2);

/// What a file's body is sent from.
pub enum Content {
    /// A small file's bytes (all of them).
    Memory(Arc<[u8]>),
    /// A large file, opened, to be streamed.
    File(File),
}

/// The kept files, by the URL path they were asked as.
#[derive(Default)]
struct Kept {
    files: HashMap<String, (Version, Arc<[u8]>)>,
    bytes: usize,
}

static KEPT: LazyLock<RwLock<Kept>> = LazyLock::new(Default::default);

/// The content of `file`, just opened for the URL path `key`, with `meta` read from it: a small
/// one from memory (read now when it is not kept yet, or is another file or version than the
/// one kept), a large one streamed from `file`.
pub fn content(key: &str, file: File, meta: &Metadata) -> io::Result<Content> {
    if meta.len() > MAX_FILE {
        return Ok(Content::File(file));
    }
    let version = Version::of(meta);
    let kept = KEPT.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((v, bytes)) = kept.files.get(key) {
        if *v == version {
            return Ok(Content::Memory(Arc::clone(bytes)));
        }
    }
    drop(kept);

    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&file).take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != meta.len() {
        // Changed while we read it: send what the length already decided from a fresh start
        // of the same open file (a file that shrank fails the send, and is not kept).
        use std::io::{Seek, SeekFrom};
        let mut file = file;
        file.seek(SeekFrom::Start(0))?;
        return Ok(Content::File(file));
    }
    let bytes: Arc<[u8]> = bytes.into();
    if version.settled() {
        keep(key, version, Arc::clone(&bytes));
    }
    Ok(Content::Memory(bytes))
}

fn keep(key: &str, version: Version, bytes: Arc<[u8]>) {
    KEPT.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .keep(key, version, bytes);
}

impl Kept {
    fn keep(&mut self, key: &str, version: Version, bytes: Arc<[u8]>) {
        if let Some((_, old)) = self.files.remove(key) {
            self.bytes -= old.len();
        }
        if self.bytes + bytes.len() > MAX_TOTAL || self.files.len() >= MAX_FILES {
            self.files.clear(); // simple, and rare: only with more small files than fit
            self.bytes = 0;
        }
        self.bytes += bytes.len();
        self.files.insert(key.to_string(), (version, bytes));
    }
}

/// What tells one content of a file from another without reading it.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Version {
    len: u64,
    modified: Option<SystemTime>,
    /// Where the system keeps it (Windows, macOS, Linux with statx): tells apart two files
    /// written alike.
    created: Option<SystemTime>,
    /// Unix: the device and inode, and the status-change time (seconds, nanoseconds).
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

impl Version {
    fn of(meta: &Metadata) -> Version {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Version {
            len: meta.len(),
            modified: meta.modified().ok(),
            created: meta.created().ok(),
            #[cfg(unix)]
            unix: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Last modified long enough ago to be kept (a time in the future is not).
    fn settled(&self) -> bool {
        self.modified
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age >= SETTLED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lesson_testing::TempDir;
    use std::fs;
    use std::path::Path;

    fn bytes_of(content: Content) -> Vec<u8> {
        match content {
            Content::Memory(bytes) => bytes.to_vec(),
            Content::File(mut file) => {
                let mut v = Vec::new();
                file.read_to_end(&mut v).unwrap();
                v
            }
        }
    }

    fn key(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    fn is_kept(path: &Path) -> bool {
        KEPT.read().unwrap().files.contains_key(&key(path))
    }

    /// Opens `path` and takes its content, as a request would.
    fn open_now(path: &Path) -> Content {
        let file = File::open(path).unwrap();
        let meta = file.metadata().unwrap();
        content(&key(path), file, &meta).unwrap()
    }

    /// Sets the file's modification time to `secs` ago.
    fn age(path: &Path, secs: u64) {
        set_modified(path, SystemTime::now() - Duration::from_secs(secs));
    }

    fn set_modified(path: &Path, time: SystemTime) {
        let file = fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    }

    #[test]
    fn a_settled_small_file_is_kept_and_a_change_is_seen() {
        let dir = TempDir::new("cache-change");
        let path = dir.join("a.txt");
        fs::write(&path, b"first").unwrap();
        age(&path, 60);
        assert_eq!(bytes_of(open_now(&path)), b"first");
        assert!(is_kept(&path));
        assert!(matches!(open_now(&path), Content::Memory(_)));

        // Rewritten with the same length: seen by its modification time. On Unix even with
        // that time put back as it was: the status-change time tells.
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        fs::write(&path, b"again").unwrap();
        #[cfg(unix)]
        set_modified(&path, before);
        #[cfg(not(unix))]
        let _ = before;
        assert_eq!(bytes_of(open_now(&path)), b"again");
    }

    #[test]
    fn a_fresh_file_is_sent_but_not_kept_and_a_large_one_is_streamed() {
        let dir = TempDir::new("cache-fresh");
        let fresh = dir.join("fresh.txt");
        fs::write(&fresh, b"just written").unwrap();
        assert_eq!(bytes_of(open_now(&fresh)), b"just written");
        assert!(!is_kept(&fresh));

        let large = dir.join("large.bin");
        fs::write(&large, vec![7; MAX_FILE as usize + 1]).unwrap();
        age(&large, 60);
        assert!(matches!(open_now(&large), Content::File(_)));
        assert!(!is_kept(&large));
    }

    #[test]
    fn a_replaced_file_is_seen() {
        let dir = TempDir::new("cache-replaced");
        let path = dir.join("page.html");
        fs::write(&path, b"old page").unwrap();
        age(&path, 60);
        assert_eq!(bytes_of(open_now(&path)), b"old page");
        let new = dir.join("page.html.new");
        fs::write(&new, b"new page").unwrap();
        age(&new, 60);
        fs::rename(&new, &path).unwrap();
        assert_eq!(bytes_of(open_now(&path)), b"new page");
    }

    #[test]
    fn another_file_under_the_same_url_is_never_sent_from_memory() {
        // Two folders swapped while clients fetch (how sites are deployed): the same URL path
        // now opens another file, of the same length and modification time.
        let dir = TempDir::new("cache-swap");
        let time = SystemTime::now() - Duration::from_secs(60);
        let (a, b) = (dir.join("a.html"), dir.join("b.html"));
        for (path, text) in [(&a, b"page A"), (&b, b"page B")] {
            fs::write(path, text).unwrap();
            set_modified(path, time);
        }
        let key = "/live/page.html";
        for (path, text) in [(&a, b"page A"), (&b, b"page B"), (&a, b"page A")] {
            let file = File::open(path).unwrap();
            let meta = file.metadata().unwrap();
            assert_eq!(bytes_of(content(key, file, &meta).unwrap()), text);
        }
    }

    #[test]
    fn the_number_of_kept_files_is_bounded() {
        let mut kept = Kept::default();
        let version = Version::of(&fs::metadata(env!("CARGO_MANIFEST_DIR")).unwrap());
        for i in 0..MAX_FILES * 2 + 1 {
            kept.keep(&format!("/{i}"), version, Arc::from(&b""[..]));
            assert!(kept.files.len() <= MAX_FILES);
        }
        assert_eq!(kept.bytes, 0);
    }
}
