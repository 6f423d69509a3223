//! `cargo xtask book [--serve]`: the course as an mdBook (docs/book.toml), built to target/book.
//!
//! The book's tools are installed with `cargo install --locked` at the versions pinned here, into
//! a cache folder shared by every checkout (`NET_LESSONS_TOOLS`, else `~/.cache/net-lessons/tools`,
//! `%LOCALAPPDATA%\net-lessons\tools` on Windows), when they are missing: the first time takes a
//! few minutes of compiling. `--serve [--port N]` serves the book on http://127.0.0.1:3000 (or
//! port N) and rebuilds it when a page changes; a taken port is said plainly, with another to try.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `--serve` without `--port`: mdBook's own default.
const DEFAULT_PORT: u16 = 3000;

/// (crate, version): mdbook-mermaid 0.17.1, installed `--locked`, is built against mdbook 0.5.0;
/// the same mdbook, so that it does not warn at every build that it was built for another.
const TOOLS: [(&str, &str); 2] = [("mdbook", "0.5.0"), ("mdbook-mermaid", "0.17.1")];

pub fn run(repo: &Path, args: &[&str]) -> Result<bool, String> {
    let serve = match args {
        [] => None,
        ["--serve"] => Some(DEFAULT_PORT),
        ["--serve", "--port", port] | ["--port", port, "--serve"] => match port.parse::<u16>() {
            Ok(port) if port > 0 => Some(port),
            _ => return Err(format!("--port：{port:?} 不是 1 到 65535 之间的端口")),
        },
        _ => {
            return Err(format!(
                "参数不对 {args:?}（用法：cargo xtask book [--serve [--port N]]）"
            ))
        }
    };
    if let Some(port) = serve {
        // mdbook would panic on a taken port: say it plainly, before the tools are even looked at.
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            return Err(format!(
                "端口 {port} 已被占用：可能已经有一个 book 在服务，或者别的程序占用了它。\
                 换一个端口：cargo xtask book --serve --port {}",
                port.wrapping_add(1).max(1024)
            ));
        }
    }
    let tools = tools_dir()?;
    for (name, version) in TOOLS {
        install(&tools, name, version)?;
    }
    let bin = tools.join("bin");
    let docs = repo.join("docs");
    // mermaid.min.js and mermaid-init.js, matching the installed mdbook-mermaid (not in git).
    run_tool(&bin, "mdbook-mermaid", &["install", "."], &docs)?;
    if let Some(port) = serve {
        println!("在 http://127.0.0.1:{port} 上提供这本书（按 Ctrl-C 停止）");
        let port = port.to_string();
        run_tool(
            &bin,
            "mdbook",
            &["serve", ".", "-n", "127.0.0.1", "-p", &port],
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
