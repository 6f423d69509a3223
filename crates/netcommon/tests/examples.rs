//! The netcommon examples answer `--help` like the lessons (usage on stdout, exit 0), refuse a
//! bad command line with exit 2, and run to the end.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// An example built by `cargo test` beside the test binaries (target/debug/examples/NAME).
fn example(name: &str) -> PathBuf {
    let mut exe = std::env::current_exe().unwrap();
    exe.pop(); // target/debug/deps
    exe.pop();
    let exe = exe
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is not built: run `cargo build -p netcommon --examples` (or all of `cargo test`)",
        exe.display()
    );
    exe
}

fn run(name: &str, args: &[&str]) -> Output {
    Command::new(example(name))
        .env("NET_LESSONS_LANG", "en") // the tests read the English lines (SPEC)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_example_answers_help() {
    for name in ["backlog", "port_zero", "raw", "resolve"] {
        let out = run(name, &["--help"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        assert!(
            text(&out.stdout).starts_with(&format!("usage: {name}")),
            "{name}: {out:?}"
        );
    }
}

#[test]
fn bad_command_lines_exit_2_with_the_reason() {
    for (name, args, reason) in [
        ("backlog", &["extra"][..], "unexpected argument \"extra\""),
        ("port_zero", &["--bogus"][..], "unknown option --bogus"),
        ("raw", &[][..], "give exactly one HOST:PORT"),
        (
            "raw",
            &["127.0.0.1:80800"][..],
            "port 80800 is out of range (a port is 0 to 65535)",
        ),
        ("resolve", &[][..], "give at least one HOST:PORT"),
    ] {
        let out = run(name, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {out:?}");
        assert!(err.starts_with("error: ") && err.contains(reason), "{err}");
        assert!(err.contains(&format!("usage: {name}")), "{err}");
    }
}

#[test]
fn the_demos_run_to_the_end() {
    for name in ["backlog", "port_zero"] {
        let out = run(name, &[]);
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        assert!(text(&out.stdout).contains("127.0.0.1:"), "{name}: {out:?}");
    }
    let out = run("resolve", &["127.0.0.1:80"]);
    assert_eq!(text(&out.stdout), "127.0.0.1:80 -> 127.0.0.1:80\n");
}
