//! Build script of the crates whose tests run the notes' Python programs (their Cargo.toml says
//! `build = "../netcommon/find_python.rs"`): finds Python 3 once, when the crate is built, and
//! sets `cfg(python)`. An interop test is marked
//! `#[cfg_attr(not(python), ignore = "needs Python 3 ...")]`, so that without Python it shows as
//! `ignored`, with its reason, in `cargo test`'s normal output, instead of passing quietly.
//! In CI (`NET_LESSONS_REQUIRE_PYTHON` set) a missing Python stops the build with a clear message.

use std::process::Command;

/// How Python 3 is started, in this order: `python3`, `python` (python.org's Windows installer),
/// `py -3` (the Windows launcher). lesson_testing::PYTHONS tries the same at run time.
const PYTHONS: [(&str, &[&str]); 3] = [("python3", &[]), ("python", &[]), ("py", &["-3"])];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(python)");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=NET_LESSONS_REQUIRE_PYTHON");
    let found = PYTHONS.iter().any(|(program, args)| {
        Command::new(program)
            .args(*args)
            .arg("--version")
            .output()
            .is_ok_and(|o| {
                let said = [o.stdout, o.stderr].concat();
                o.status.success()
                    && String::from_utf8_lossy(&said)
                        .trim()
                        .starts_with("Python 3")
            })
    });
    if found {
        println!("cargo::rustc-cfg=python");
    } else if std::env::var_os("NET_LESSONS_REQUIRE_PYTHON").is_some() {
        panic!(
            "NET_LESSONS_REQUIRE_PYTHON is set but no Python 3 was found (tried python3, python, \
             py -3): install Python 3, or unset the variable to run without the interop tests"
        );
    }
}
