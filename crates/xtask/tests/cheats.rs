//! Cheats a teacher has seen, each on a fresh tcp_server template: every one must score 0 under
//! `cargo xtask grade`, while the same template with its TODO written scores 100. Also: a
//! program that escapes into a session of its own leaves no process behind, a build.rs never
//! runs, a flood of output is cut.
//!
//! They compile and grade a dozen student folders (about a minute with a warm build folder), so
//! they are `#[ignore]`d in `cargo test` and run by scripts/check-homework.sh (CI) with
//! `cargo test -p xtask --test cheats -- --ignored`. Linux only: the programs below are Unix
//! programs, and the process checks read /proc.
#![cfg(target_os = "linux")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LESSON: &str = "tcp_server";
/// `grade` uses one work folder per lesson: one grading at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A scratch folder of this test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cheats-{name}"));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn xtask(args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
    // One build folder for every grading here: the dependencies compile once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cheats-target");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args).env("CARGO_TARGET_DIR", target);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// A fresh template (with stages 1..=`stage` written) in `scratch/student`.
fn template(scratch: &Scratch, stage: u32) -> PathBuf {
    let dir = scratch.0.join("student");
    let stage = stage.to_string();
    let (ok, out) = xtask(
        &[
            "homework",
            LESSON,
            "--out",
            dir.to_str().unwrap(),
            "--stage",
            &stage,
        ],
        &[],
    );
    assert!(ok, "{out}");
    dir
}

/// Grades `dir` (with `envs`), which must score 0 points; returns the grader's output.
fn grade_scores_0(dir: &Path, envs: &[(&str, &str)]) -> String {
    let (points, out) = grade(dir, envs);
    assert_eq!(points, "Points 0/100", "{out}");
    out
}

/// Grades `dir`; returns the points line and everything printed.
fn grade(dir: &Path, envs: &[(&str, &str)]) -> (String, String) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_, out) = xtask(&["grade", LESSON, "--dir", dir.to_str().unwrap()], envs);
    let points = out
        .lines()
        .rfind(|l| l.starts_with("Points "))
        .unwrap_or("")
        .to_string();
    (points, out)
}

fn put(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn bwrap_works() -> bool {
    let ok = Command::new("bwrap")
        .args([
            "--ro-bind",
            "/",
            "/",
            "--unshare-net",
            "--unshare-pid",
            "true",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("skipped: bubblewrap (bwrap) is not usable here; CI installs it");
    }
    ok
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn the_written_todo_scores_full_points() {
    let s = Scratch::new("solved");
    let dir = template(&s, 1);
    let (points, out) = grade(&dir, &[]);
    assert_eq!(points, "Points 100/100", "{out}");
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn a_fake_test_target_in_cargo_toml_scores_0() {
    let s = Scratch::new("fake-target");
    let dir = template(&s, 0);
    let manifest = dir.join(LESSON).join("Cargo.toml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text += "\n[[test]]\nname = \"grade\"\npath = \"tests/fake.rs\"\nharness = false\n";
    fs::write(&manifest, text).unwrap();
    put(&dir, &format!("{LESSON}/tests/fake.rs"), "fn main() {}\n");
    let out = grade_scores_0(&dir, &[]);
    assert!(out.contains(&format!("{LESSON}/Cargo.toml")), "{out}");
    assert!(out.contains(&format!("{LESSON}/tests/fake.rs")), "{out}");
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn a_build_rs_never_runs() {
    let s = Scratch::new("build-rs");
    let dir = template(&s, 0);
    let marker = s.0.join("build-rs-ran");
    let fake = "#[test] fn step1_replies_to_each_chunk() {}";
    let build = format!(
        "fn main() {{\n    let _ = std::fs::write(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/tests/grade.rs\"), {fake:?});\n    let _ = std::fs::write({:?}, \"ran\");\n}}\n",
        marker.to_str().unwrap()
    );
    put(&dir, &format!("{LESSON}/build.rs"), &build);
    let out = grade_scores_0(&dir, &[]);
    assert!(!marker.exists(), "the student's build.rs ran:\n{out}");
    assert!(out.contains(&format!("{LESSON}/build.rs")), "{out}");
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn a_no_op_check_in_lesson_testing_scores_0() {
    let s = Scratch::new("lesson_testing");
    let dir = template(&s, 0);
    let grade_rs = dir.join("lesson_testing/src/grade.rs");
    let text = fs::read_to_string(&grade_rs).unwrap();
    let honest = "pub fn check(ok: bool, why: &str) {\n    if !ok {";
    assert!(
        text.contains(honest),
        "lesson_testing's check changed: update this cheat"
    );
    let text = text.replace(
        honest,
        "pub fn check(ok: bool, why: &str) {\n    if false && !ok {",
    );
    fs::write(&grade_rs, text).unwrap();
    let out = grade_scores_0(&dir, &[]);
    assert!(out.contains("lesson_testing/src/grade.rs"), "{out}");
}

/// A student's main.rs that, when the first graded test starts it, rewrites the graded tests
/// and replaces the test executable with a script that passes.
const REPLACES_THE_TESTS: &str = r##"use std::os::unix::fs::PermissionsExt;

fn main() {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap().join("deps");
    for entry in std::fs::read_dir(&deps).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("grade-") && !name.contains('.') {
            let path = entry.path();
            let _ = std::fs::remove_file(&path);
            if std::fs::write(&path, "#!/bin/sh\necho 'test result: ok'\nexit 0\n").is_ok() {
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
                eprintln!("replaced {}", path.display());
            }
        }
    }
    let tests = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/grade.rs");
    let _ = std::fs::write(tests, "#[test] fn step1_replies_to_each_chunk() {}\n");
}
"##;

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn replacing_the_test_executable_at_run_time_scores_0() {
    let s = Scratch::new("replace");
    let dir = template(&s, 0);
    put(&dir, &format!("{LESSON}/src/main.rs"), REPLACES_THE_TESTS);
    grade_scores_0(&dir, &[]);
    // Without bubblewrap the executable is read-only and checked before every test.
    grade_scores_0(&dir, &[("NET_LESSONS_NO_BWRAP", "1")]);
}

/// The processes whose command line holds `needle`.
fn processes_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = fs::read(e.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(needle) {
            found.push(format!("{}: {cmdline}", e.file_name().to_string_lossy()));
        }
    }
    found
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn a_process_in_its_own_session_does_not_outlive_the_grade() {
    session_escape(&[]);
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn without_bwrap_a_process_in_its_own_session_is_found_and_ended() {
    session_escape(&[("NET_LESSONS_NO_BWRAP", "1")]);
}

fn session_escape(envs: &[(&str, &str)]) {
    if envs.is_empty() && !bwrap_works() {
        return;
    }
    let s = Scratch::new(&format!("session{}", envs.len()));
    let dir = template(&s, 0);
    // A sleep whose length no other process uses, started in a session of its own.
    // (Its output goes nowhere, so the graded tests see the program end at once.)
    let main = "use std::process::{Command, Stdio};\n\nfn main() {\n    let _ = Command::new(\"setsid\")\n        .args([\"sleep\", \"987.654\"])\n        .stdout(Stdio::null())\n        .stderr(Stdio::null())\n        .spawn();\n    std::thread::sleep(std::time::Duration::from_millis(300));\n}\n";
    put(&dir, &format!("{LESSON}/src/main.rs"), main);
    let out = grade_scores_0(&dir, envs);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_with("987.654").is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        processes_with("sleep 987.654"),
        Vec::<String>::new(),
        "{out}"
    );
}

#[test]
#[ignore = "slow: run by scripts/check-homework.sh"]
fn a_flood_of_output_is_cut() {
    let s = Scratch::new("flood");
    let dir = template(&s, 0);
    // No newline: the graded test's log of the program's last line is the whole flood.
    let main = "use std::io::Write;\n\nfn main() {\n    let chunk = [b'x'; 65536];\n    let mut out = std::io::stdout();\n    while out.write_all(&chunk).is_ok() {}\n}\n";
    put(&dir, &format!("{LESSON}/src/main.rs"), main);
    let started = Instant::now();
    let (points, out) = grade(&dir, &[]);
    let tail: Vec<&str> = out.lines().rev().take(12).collect();
    assert_eq!(points, "Points 0/100", "{tail:?}");
    assert!(started.elapsed() < Duration::from_secs(120));
    // At most 1 MiB of each test's output reaches the grader (4 tests, and its own lines).
    assert!(out.len() < 5 << 20, "{} bytes", out.len());
}
