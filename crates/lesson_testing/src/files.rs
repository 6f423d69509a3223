//! The file system around a test: a fresh folder per test, folders swapped under a running
//! server, named pipes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

/// Swaps the folders (or symlinks) `a` and `b` once, with three renames (through `a.swap`).
pub fn swap(a: &Path, b: &Path) {
    let tmp = a.with_extension("swap");
    std::fs::rename(a, &tmp).unwrap();
    std::fs::rename(b, a).unwrap();
    std::fs::rename(&tmp, b).unwrap();
}

/// [`swap`] again and again on a thread, to race a server that checks paths: `stop` ends it with
/// everything back in place (an even number of swaps) and returns how many swaps it made.
pub struct Swapping {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<u32>,
}

impl Swapping {
    pub fn start(a: &Path, b: &Path) -> Swapping {
        let (a, b) = (a.to_path_buf(), b.to_path_buf());
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut swaps = 0;
            while swaps % 2 == 1 || !done.load(Ordering::Relaxed) {
                swap(&a, &b);
                swaps += 1;
            }
            swaps
        });
        Swapping { stop, thread }
    }

    pub fn stop(self) -> u32 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the swapping thread")
    }
}

/// Makes a FIFO (a named pipe) at `path`: opening it for reading waits for a writer.
#[cfg(unix)]
pub fn make_fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// A fresh folder for one test, `<temp>/net-lessons-<pid>-<name>`, removed with everything in it
/// when dropped (also when the test fails).
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("net-lessons-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        TempDir(dir)
    }
}

impl TempDir {
    /// Writes `contents` to the file `rel` in this folder, making the folders on its way first;
    /// returns its path.
    pub fn file(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            self.make(parent);
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }

    /// Makes the folder `rel` in this folder (and the ones on its way); returns its path.
    pub fn folder(&self, rel: impl AsRef<Path>) -> PathBuf {
        let path = self.0.join(rel);
        self.make(&path);
        path
    }

    fn make(&self, dir: &Path) {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
}

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
