//! Project tasks, run as `cargo xtask ...` (the alias is in `.cargo/config.toml`):
//!
//! - `homework <lesson> --out DIR`: write the lesson's homework template, a standalone
//!   workspace where each marked region is a `todo!()` for the student (see homework.rs);
//! - `grade <lesson> [--dir DIR]`: run each graded test alone, print a table and `Points X/Y`
//!   (the template at DIR, or this repository's reference); exit 0 only when all passed;
//! - `check-homework [lesson...]`: for every lesson with a homework.txt: the markers are
//!   balanced, the template builds with clippy -D warnings, every graded test fails on it
//!   quickly (a panic, not a timeout), and the reference passes every graded test.
//!
//! std only, so it builds wherever the lessons do.

mod book;
mod grade;
mod homework;
mod template;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

const USAGE: &str = "usage: cargo xtask homework <lesson> --out DIR
       cargo xtask grade <lesson> [--dir DIR]
       cargo xtask check-homework [lesson...]
       cargo xtask book [--serve]";
/// A graded test taking longer than this is stopped and scores nothing.
const GRADE_LIMIT: Duration = Duration::from_secs(60);
/// On a template every graded test must fail within this time: by a panic, not a timeout.
const FAIL_FAST: Duration = Duration::from_secs(15);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["homework", lesson, "--out", out] => make(&repo, lesson, Path::new(out)),
        ["grade", lesson] => grade(&repo, lesson, &repo),
        ["grade", lesson, "--dir", dir] => grade(&repo, lesson, Path::new(dir)),
        ["check-homework", ref lessons @ ..] => check_all(&repo, lessons),
        ["book", ref rest @ ..] => book::run(&repo, rest),
        ["--help"] | ["-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("error: bad command line\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn make(repo: &Path, lesson: &str, out: &Path) -> Result<bool, String> {
    let hw = homework::load(repo, lesson)?;
    homework::check(repo, &hw)?;
    let todos = template::generate(repo, &hw, out)?;
    println!(
        "wrote {} ({todos} TODOs, {} graded tests)",
        out.display(),
        hw.tests.len()
    );
    println!("next: cd {} && cargo test step1", out.display());
    Ok(true)
}

fn grade(repo: &Path, lesson: &str, dir: &Path) -> Result<bool, String> {
    let hw = homework::load(repo, lesson)?;
    let outcomes = grade::run(dir, &hw, GRADE_LIMIT, false)?;
    Ok(grade::report(&hw, &outcomes))
}

/// Every check on every lesson (or the ones named); prints one line per check.
fn check_all(repo: &Path, only: &[&str]) -> Result<bool, String> {
    let lessons = homework::lessons(repo)?;
    let lessons: Vec<&String> = lessons
        .iter()
        .filter(|l| only.is_empty() || only.contains(&l.as_str()))
        .collect();
    if lessons.is_empty() {
        return Err("no lesson with a homework.txt".into());
    }
    let scratch = std::env::temp_dir().join(format!("net-lessons-homework-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut ok = true;
    for lesson in lessons {
        let result = check_one(repo, lesson, &scratch.join(lesson));
        match &result {
            Ok(summary) => println!("homework {lesson}: ok: {summary}"),
            Err(e) => println!("homework {lesson}: FAILED: {e}"),
        }
        ok &= result.is_ok();
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(ok)
}

fn check_one(repo: &Path, lesson: &str, out: &Path) -> Result<String, String> {
    let hw = homework::load(repo, lesson)?;
    homework::check(repo, &hw)?;
    template::generate(repo, &hw, out)?;
    let clippy = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "-q", "--all-targets", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .status()
        .map_err(|e| e.to_string())?;
    if !clippy.success() {
        return Err("the template does not build cleanly with clippy -D warnings".into());
    }
    let on_template = grade::run(out, &hw, FAIL_FAST, true)?;
    let slowest = on_template.iter().map(|o| o.secs).fold(0.0, f64::max);
    for o in on_template {
        if o.passed {
            return Err(format!(
                "{} passes on the template: it grades nothing",
                o.test
            ));
        }
        if o.timed_out {
            return Err(format!("{} fails on the template only by timeout", o.test));
        }
    }
    let reference = grade::run(repo, &hw, GRADE_LIMIT, true)?;
    if let Some(o) = reference.iter().find(|o| !o.passed) {
        return Err(format!("{} fails on the reference", o.test));
    }
    Ok(format!(
        "{} TODOs; {} graded tests fail on the template (slowest {slowest:.1} s), pass on the reference",
        hw.todos.len(),
        hw.tests.len()
    ))
}
