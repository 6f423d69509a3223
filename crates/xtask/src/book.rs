//! `cargo xtask book [--serve]`: the course as an mdBook (docs/book.toml), built to target/book.
//!
//! The book's tools are installed with `cargo install --locked` at the versions pinned here, into
//! a cache folder shared by every checkout (`NET_LESSONS_TOOLS`, else `~/.cache/net-lessons/tools`,
//! `%LOCALAPPDATA%\net-lessons\tools` on Windows), when they are missing: the first time takes a
//! few minutes of compiling. `--serve` serves the book on http://127.0.0.1:3000 and rebuilds it
//! when a page changes.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (crate, version): mdbook-mermaid 0.17 is the one built for mdbook 0.5.
const TOOLS: [(&str, &str); 2] = [("mdbook", "0.5.4"), ("mdbook-mermaid", "0.17.1")];

pub fn run(repo: &Path, args: &[&str]) -> Result<bool, String> {
    let serve = match args {
        [] => false,
        ["--serve"] => true,
        _ => return Err(format!("bad arguments {args:?} (want: book [--serve])")),
    };
    let tools = tools_dir()?;
    for (name, version) in TOOLS {
        install(&tools, name, version)?;
    }
    let bin = tools.join("bin");
    let docs = repo.join("docs");
    // mermaid.min.js and mermaid-init.js, matching the installed mdbook-mermaid (not in git).
    run_tool(&bin, "mdbook-mermaid", &["install", "."], &docs)?;
    if serve {
        println!("serving the book on http://127.0.0.1:3000 (Ctrl-C stops it)");
        run_tool(
            &bin,
            "mdbook",
            &["serve", ".", "-n", "127.0.0.1", "-p", "3000"],
            &docs,
        )?;
    } else {
        run_tool(&bin, "mdbook", &["build", "."], &docs)?;
        println!(
            "book: {}",
            repo.join("target/book/index.html").to_string_lossy()
        );
    }
    Ok(true)
}

fn tools_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("NET_LESSONS_TOOLS") {
        return Ok(PathBuf::from(dir));
    }
    let cache = if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
    };
    let cache = cache.ok_or("no cache folder: set NET_LESSONS_TOOLS to one")?;
    Ok(cache.join("net-lessons").join("tools"))
}

fn exe(bin: &Path, name: &str) -> PathBuf {
    bin.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Installs `name` `version` into `root` unless `root/bin/name --version` already says it.
fn install(root: &Path, name: &str, version: &str) -> Result<(), String> {
    let has = Command::new(exe(&root.join("bin"), name))
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(version));
    if has {
        return Ok(());
    }
    println!(
        "installing {name} {version} into {} (compiles once, a few minutes)",
        root.display()
    );
    let status = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["install", "--locked", "--quiet", "--root"])
        .arg(root)
        .args([name, "--version", version])
        .status()
        .map_err(|e| format!("running cargo install: {e}"))?;
    if !status.success() {
        return Err(format!("cargo install {name} {version} failed ({status})"));
    }
    Ok(())
}

/// Runs a book tool in `dir` with the tools' folder first on PATH (mdbook finds the
/// mdbook-mermaid preprocessor there).
fn run_tool(bin: &Path, name: &str, args: &[&str], dir: &Path) -> Result<(), String> {
    let mut path = vec![bin.to_path_buf()];
    if let Some(old) = std::env::var_os("PATH") {
        path.extend(std::env::split_paths(&old));
    }
    let path = std::env::join_paths(path).map_err(|e| format!("PATH: {e}"))?;
    let status = Command::new(exe(bin, name))
        .args(args)
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or("warn".into()),
        )
        .current_dir(dir)
        .env("PATH", path)
        .status()
        .map_err(|e| format!("running {name}: {e}"))?;
    if !status.success() {
        return Err(format!("{name} {} failed ({status})", args.join(" ")));
    }
    Ok(())
}
