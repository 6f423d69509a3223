//! Small files served from memory after their first read, the way nginx's `open_file_cache`
//! keeps what it opened: a request for a file already read costs no `open`, `read` or `close`,
//! a third of the system calls of a request for a small file (docs/performance.md).
//!
//! A kept copy is used only while it is still the file's content: every request compares it
//! with the metadata that finding the file has just returned (size and modification time; on
//! Unix also the inode, so a file replaced by a rename is seen, and the status-change time, so a
//! `chmod` that forbids reading is seen). A file changed in the last two seconds is sent but not
//! kept: within one tick of the file system's clock it could change again and keep its time.
//! Large files are never read into memory: they are streamed from the open file.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, SystemTime};

/// Files up to this size are kept in memory.
const MAX_FILE: u64 = 64 * 1024;
/// All kept files together at most this many bytes; a file that would pass it empties the cache.
const MAX_TOTAL: usize = 16 * 1024 * 1024;
/// A file modified less than this long ago is not kept (see above).
const SETTLED: Duration = Duration::from_secs(2);

/// What a file's body is sent from.
pub enum Content {
    /// A small file's bytes (all of them).
    Memory(Arc<[u8]>),
    /// A large file, opened, to be streamed.
    File(File),
}

/// The kept files, by path.
#[derive(Default)]
struct Kept {
    files: HashMap<PathBuf, (Version, Arc<[u8]>)>,
    bytes: usize,
}

static KEPT: LazyLock<RwLock<Kept>> = LazyLock::new(Default::default);

/// Opens the file at `path`, whose metadata `meta` was just read: a small one comes from memory
/// (read now when it is not kept yet, or was changed since), a large one is opened.
pub fn open(path: &Path, meta: &Metadata) -> io::Result<Content> {
    if meta.len() > MAX_FILE {
        return File::open(path).map(Content::File);
    }
    let version = Version::of(meta);
    let kept = KEPT.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((v, bytes)) = kept.files.get(path) {
        if *v == version {
            return Ok(Content::Memory(Arc::clone(bytes)));
        }
    }
    drop(kept);

    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::open(path)?
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 != meta.len() {
        // Changed between its metadata and our read: stream it like a large file, which sends
        // exactly the length already decided (or fails if it shrank).
        return File::open(path).map(Content::File);
    }
    let bytes: Arc<[u8]> = bytes.into();
    if version.settled() {
        keep(path, version, Arc::clone(&bytes));
    }
    Ok(Content::Memory(bytes))
}

fn keep(path: &Path, version: Version, bytes: Arc<[u8]>) {
    let mut kept = KEPT
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, old)) = kept.files.remove(path) {
        kept.bytes -= old.len();
    }
    if kept.bytes + bytes.len() > MAX_TOTAL {
        kept.files.clear(); // simple, and rare: only with more small files than fit
        kept.bytes = 0;
    }
    kept.bytes += bytes.len();
    kept.files.insert(path.to_path_buf(), (version, bytes));
}

/// What tells one content of a file from another without reading it.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Version {
    len: u64,
    modified: Option<SystemTime>,
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
    use netcommon::testing::TempDir;
    use std::fs;

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

    fn is_kept(path: &Path) -> bool {
        KEPT.read().unwrap().files.contains_key(path)
    }

    /// Opens `path` with the metadata it has now, as a request would.
    fn open_now(path: &Path) -> Content {
        open(path, &fs::metadata(path).unwrap()).unwrap()
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
}
