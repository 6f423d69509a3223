//! A served folder, and names from the network opened beneath it: open first, then check
//! what was opened.
//!
//! Checking a path and then opening it by name is a race. Between the check (`canonicalize`,
//! `symlink_metadata`) and the open, anyone who can write in the folder can swap a checked
//! folder for a symlink to `/etc` (`renameat2(RENAME_EXCHANGE)` does it atomically), and the
//! open follows it out. And `File::open` on a FIFO waits until someone opens its other end, so a
//! "is it a regular file?" check made after the open comes too late: the thread is stuck.
//!
//! [`Root::open`] does it in the other order. The folder is opened once, at start; each name is
//! opened *beneath* that open folder, by the `cap-std` crate, which refuses every way out at
//! the moment of the open: `..`, an absolute symlink, a relative one that climbs too far (on
//! Linux with `openat2(RESOLVE_BENEATH)` in one system call; elsewhere one component at a time
//! with `openat` and `O_NOFOLLOW`; on Windows with handles relative to the folder). The open
//! never waits (`O_NONBLOCK` on Unix: a FIFO opens at once). Then the type, size, times and
//! identity are read from the open descriptor (`fstat`), so they describe exactly what will be
//! read, whatever the path means a moment later.

use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use cap_fs_ext::OpenOptionsMaybeDirExt;
#[cfg(unix)]
use cap_fs_ext::OpenOptionsSyncExt;
use cap_std::ambient_authority;
use cap_std::fs::{Dir, OpenOptions};

/// A folder whose files are served, opened once.
pub struct Root {
    dir: Dir,
    path: PathBuf,
}

/// What a name opened to.
pub enum Opened {
    /// A regular file, open for reading, and its metadata, read from the open file.
    File(File, Metadata),
    /// A folder, open, and its metadata.
    Folder(Root, Metadata),
}

/// Why a name was not opened.
#[derive(Debug)]
pub enum Refused {
    /// It leads out of the root (a symlink to elsewhere, followed at open time).
    Outside,
    /// Neither a regular file nor a folder: a FIFO, a socket, a device.
    NotAFile,
    /// Missing, not readable, out of file descriptors, ...
    Io(io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Refused::Outside => f.write_str(crate::pick(
                "在根目录外面（符号链接指向外面）",
                "outside the root (a symlink leads out)",
            )),
            Refused::NotAFile => f.write_str(crate::pick(
                "不是普通文件（FIFO、套接字或设备）",
                "not a regular file (a FIFO, a socket or a device)",
            )),
            Refused::Io(e) if crate::english() => {
                let text = e.to_string(); // without " (os error 2)"
                f.write_str(text.split(" (os error").next().unwrap_or(&text))
            }
            Refused::Io(e) => f.write_str(&crate::lang::io_error(e)),
        }
    }
}

impl Root {
    /// Opens the folder at `path` (relative to the current folder, or absolute) to serve it.
    pub fn open(path: &Path) -> io::Result<Root> {
        let path = std::fs::canonicalize(path)?;
        let dir = Dir::open_ambient_dir(&path, ambient_authority())?;
        Ok(Root { dir, path })
    }

    /// The folder's path when it was opened, for the log (`serving /srv/www`). What is served
    /// is the folder opened then, also if it is renamed later.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens `names` (one name per folder level, each already checked with
    /// [`check_name`](crate::path::check_name)) beneath this folder; no names: the folder
    /// itself. Symlinks are followed only while they stay beneath it.
    pub fn open_names<S: AsRef<str>>(&self, names: &[S]) -> Result<Opened, Refused> {
        let relative: PathBuf = if names.is_empty() {
            PathBuf::from(".")
        } else {
            names.iter().map(|n| n.as_ref()).collect()
        };
        let mut options = OpenOptions::new();
        options.read(true).maybe_dir(true);
        #[cfg(unix)]
        options.nonblock(true); // a FIFO must not hold the thread in open()
        let file = self
            .dir
            .open_with(&relative, &options)
            .map_err(refused)?
            .into_std();
        let meta = file.metadata().map_err(Refused::Io)?; // fstat: what was opened
        if meta.is_file() {
            Ok(Opened::File(file, meta))
        } else if meta.is_dir() {
            let dir = Dir::from_std_file(file);
            let path = self.path.join(relative);
            Ok(Opened::Folder(Root { dir, path }, meta))
        } else {
            Err(Refused::NotAFile)
        }
    }

    /// The names in this folder, each with "is it a folder?" (a symlink counts as what it
    /// leads to, if that is beneath the root), in no particular order. Names that are not
    /// UTF-8 are left out: no request could name them.
    pub fn list(&self) -> io::Result<Vec<(String, bool)>> {
        let mut names = Vec::new();
        for entry in self.dir.entries()? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let kind = entry.file_type()?;
            let is_folder = if kind.is_symlink() {
                self.dir.metadata(&name).is_ok_and(|m| m.is_dir())
            } else {
                kind.is_dir()
            };
            names.push((name, is_folder));
        }
        Ok(names)
    }
}

/// cap-std reports a way out of the folder as "permission denied" with its own message.
fn refused(e: io::Error) -> Refused {
    if e.kind() == io::ErrorKind::PermissionDenied && e.to_string().contains("outside") {
        Refused::Outside
    } else {
        Refused::Io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Read;

    fn folder(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("netcommon-root-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("www/sub")).unwrap();
        fs::write(dir.join("www/a.txt"), "inside").unwrap();
        fs::write(dir.join("www/sub/b.txt"), "deeper").unwrap();
        fs::write(dir.join("secret.txt"), "outside").unwrap();
        dir
    }

    fn read(opened: Result<Opened, Refused>) -> String {
        match opened {
            Ok(Opened::File(mut file, meta)) => {
                let mut text = String::new();
                file.read_to_string(&mut text).unwrap();
                assert_eq!(meta.len(), text.len() as u64);
                text
            }
            Ok(Opened::Folder(..)) => "<folder>".into(),
            Err(e) => format!("refused: {e}"),
        }
    }

    #[test]
    fn files_and_folders_beneath_open() {
        let dir = folder("plain");
        let root = Root::open(&dir.join("www")).unwrap();
        assert_eq!(read(root.open_names(&["a.txt"])), "inside");
        assert_eq!(read(root.open_names(&["sub", "b.txt"])), "deeper");
        assert_eq!(read(root.open_names(&["sub"])), "<folder>");
        assert_eq!(read(root.open_names::<&str>(&[])), "<folder>");
        assert!(read(root.open_names(&["missing"])).starts_with("refused: "));
        assert!(matches!(
            root.open_names(&["..", "secret.txt"]),
            Err(Refused::Outside)
        ));
        let mut listed = root.list().unwrap();
        listed.sort();
        assert_eq!(
            listed,
            [("a.txt".to_string(), false), ("sub".to_string(), true)]
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_only_beneath() {
        use std::os::unix::fs::symlink;
        let dir = folder("links");
        let www = dir.join("www");
        symlink(dir.join("secret.txt"), www.join("out.txt")).unwrap();
        symlink("../secret.txt", www.join("up.txt")).unwrap();
        symlink(&dir, www.join("outdir")).unwrap();
        symlink("a.txt", www.join("same.txt")).unwrap();
        symlink("../a.txt", www.join("sub/back.txt")).unwrap();
        let root = Root::open(&www).unwrap();
        for out in [&["out.txt"][..], &["up.txt"], &["outdir", "secret.txt"]] {
            assert!(
                matches!(root.open_names(out), Err(Refused::Outside)),
                "{out:?}"
            );
        }
        assert_eq!(read(root.open_names(&["same.txt"])), "inside");
        assert_eq!(read(root.open_names(&["sub", "back.txt"])), "inside");
        let listed = root.list().unwrap();
        assert!(
            listed.contains(&("outdir".to_string(), false)),
            "{listed:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = folder("fifo");
        let fifo = dir.join("www/pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo did not run");
            return;
        }
        let root = Root::open(&dir.join("www")).unwrap();
        let start = std::time::Instant::now();
        assert!(matches!(root.open_names(&["pipe"]), Err(Refused::NotAFile)));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        let _ = fs::remove_dir_all(&dir);
    }
}
