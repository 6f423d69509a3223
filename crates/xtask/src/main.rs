//! Project tasks, run as `cargo xtask ...` (the alias is in `.cargo/config.toml`):
//!
//! - `homework <lesson> --out DIR [--stage K]`: write the lesson's homework template, a
//!   standalone workspace where each marked region is a `todo!()` for the student (see
//!   homework.rs); with `--stage K`, the regions of stages 1..=K keep their code (a sample
//!   solution up to stage K);
//! - `grade <lesson> [--dir DIR]`: put the reference tests back in DIR, run each graded test
//!   alone, print a table and `Points X/Y` (the student's folder DIR, or this repository's
//!   reference); exit 0 only when all passed;
//! - `grade-class DIR [--csv FILE] [--jobs N]`: grade every student folder under DIR, N at a
//!   time (default 2), and write a CSV (default DIR/grades.csv);
//! - `check-homework [lesson...]`: for every lesson with a homework.txt: the markers are
//!   balanced, the template builds with clippy -D warnings, every graded test fails on it
//!   quickly (a panic, not a timeout) also with the tests edited to pass, each stage passes with
//!   only its own and earlier regions written, and all of them together score full points.
//!
//! std only, so it builds wherever the lessons do.

mod book;
mod check;
mod class;
mod grade;
mod homework;
mod sha256;
mod template;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use grade::Limits;

const USAGE: &str = "usage: cargo xtask homework <lesson> --out DIR [--stage K]
       cargo xtask grade <lesson> [--dir DIR]
       cargo xtask grade-class DIR [--csv FILE] [--jobs N]
       cargo xtask check-homework [lesson...]
       cargo xtask book [--serve]";
/// A graded test taking longer than this is stopped and scores nothing.
pub(crate) const GRADE_LIMIT: Duration = Duration::from_secs(60);
/// All the graded tests of one student together (a lesson has 3 to 5; each normally takes
/// less than a second).
pub(crate) const TESTS_LIMIT: Duration = Duration::from_secs(180);
/// Building a student's work may take this long (the first build compiles the dependencies).
pub(crate) const BUILD_LIMIT: Duration = Duration::from_secs(600);
/// On a template every graded test must fail within this time: by a panic, not a timeout.
pub(crate) const FAIL_FAST: Duration = Duration::from_secs(15);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let limits = Limits {
        build: BUILD_LIMIT,
        test: GRADE_LIMIT,
        tests: TESTS_LIMIT,
    };
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["homework", lesson, "--out", out] => make(&repo, lesson, Path::new(out), 0),
        ["homework", lesson, "--out", out, "--stage", stage] => match stage.parse() {
            Ok(stage) => make(&repo, lesson, Path::new(out), stage),
            Err(_) => return usage_error("--stage needs a number"),
        },
        ["grade", lesson] => grade(&repo, lesson, None, &limits),
        ["grade", lesson, "--dir", dir] => grade(&repo, lesson, Some(Path::new(dir)), &limits),
        ["grade-class", dir, ref rest @ ..] => {
            let (mut csv, mut jobs) = (Path::new(dir).join("grades.csv"), 2);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--csv", Some(file)) => csv = PathBuf::from(file),
                    ("--jobs", Some(n)) if n.parse::<usize>().is_ok_and(|n| n > 0) => {
                        jobs = n.parse().unwrap_or(2)
                    }
                    _ => return usage_error(&format!("unexpected {flag:?}")),
                }
            }
            class::grade_class(&repo, Path::new(dir), &csv, jobs, limits)
        }
        ["check-homework", ref lessons @ ..] => check::check_all(&repo, lessons),
        ["book", ref rest @ ..] => book::run(&repo, rest),
        ["--help"] | ["-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage_error("bad command line"),
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

fn usage_error(why: &str) -> ExitCode {
    eprintln!("error: {why}\n\n{USAGE}");
    ExitCode::from(2)
}

fn make(repo: &Path, lesson: &str, out: &Path, stage: u32) -> Result<bool, String> {
    let hw = homework::load(repo, lesson)?;
    let todos = template::generate(repo, &hw, out, stage)?;
    let filled = if stage > 0 {
        format!("，第 1 到 {stage} 关已写好")
    } else {
        String::new()
    };
    println!(
        "已生成 {}（{todos} 个 TODO，{} 个评分测试{filled}）",
        out.display(),
        hw.tests.len()
    );
    println!("下一步：cd {} && cargo test step1", out.display());
    Ok(true)
}

fn grade(repo: &Path, lesson: &str, dir: Option<&Path>, limits: &Limits) -> Result<bool, String> {
    let hw = homework::load(repo, lesson)?;
    let root = match dir {
        Some(dir) => {
            let changed = grade::restore(repo, &hw, dir)?;
            println!(
                "评分用的是本仓库 crates/{lesson}/tests/ 里的参考测试（和 netcommon 的 testing.rs）：已把它们放回 {}。",
                dir.display()
            );
            if !changed.is_empty() {
                println!("这些文件和参考不同，已被覆盖：{}", changed.join("、"));
            }
            dir
        }
        None => repo,
    };
    let tests: Vec<&str> = hw.tests.iter().map(|t| t.name.as_str()).collect();
    let graded = grade::run(root, &hw, &tests, None, limits, true)?;
    Ok(grade::report(&hw, &graded))
}
