//! Runs a lesson's graded tests one at a time, each alone and with a time limit, and reports
//! points, the way GitHub Classroom's command grader does.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::homework::Homework;

pub struct Outcome {
    pub test: String,
    pub points: u32,
    pub passed: bool,
    pub timed_out: bool,
    pub secs: f64,
}

/// `cargo test` in the workspace at `root` for package `lesson`, test target `grade`.
fn cargo(root: &Path, lesson: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("test")
        .arg("-q")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["-p", lesson, "--test", "grade"]);
    cmd
}

/// Builds the graded tests; then runs each alone, killed after `limit`.
pub fn run(
    root: &Path,
    hw: &Homework,
    limit: Duration,
    quiet: bool,
) -> Result<Vec<Outcome>, String> {
    let build = cargo(root, &hw.lesson)
        .arg("--no-run")
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !build.success() {
        return Err(format!("{}: the graded tests do not build", hw.lesson));
    }
    let mut outcomes = Vec::new();
    for (test, points) in &hw.tests {
        let started = Instant::now();
        let mut child = cargo(root, &hw.lesson)
            .args(["--", "--exact", test])
            .stdout(if quiet {
                Stdio::null()
            } else {
                Stdio::inherit()
            })
            .stderr(if quiet {
                Stdio::null()
            } else {
                Stdio::inherit()
            })
            .spawn()
            .map_err(|e| format!("running cargo: {e}"))?;
        let (passed, timed_out) = loop {
            match child.try_wait() {
                Ok(Some(status)) => break (status.success(), false),
                Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(20)),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break (false, true);
                }
            }
        };
        outcomes.push(Outcome {
            test: test.clone(),
            points: if passed { *points } else { 0 },
            passed,
            timed_out,
            secs: started.elapsed().as_secs_f64(),
        });
    }
    Ok(outcomes)
}

/// The table, then `Points X/Y` last. Returns true when every test passed.
pub fn report(hw: &Homework, outcomes: &[Outcome]) -> bool {
    println!(
        "\n{:<44} {:>7}  {:<9} {:>7}",
        "test", "points", "result", "time"
    );
    let mut got = 0;
    for (o, (_, max)) in outcomes.iter().zip(&hw.tests) {
        let result = match (o.passed, o.timed_out) {
            (true, _) => "passed",
            (false, true) => "timed out",
            (false, false) => "failed",
        };
        println!(
            "{:<44} {:>3}/{:<3}  {:<9} {:>6.1}s",
            o.test, o.points, max, result, o.secs
        );
        got += o.points;
    }
    let total: u32 = hw.tests.iter().map(|(_, p)| p).sum();
    println!("Points {got}/{total}");
    outcomes.iter().all(|o| o.passed)
}
