//! Project tasks, run as `cargo xtask ...` (the alias is in `.cargo/config.toml`):
//!
//! - `homework <lesson> --out DIR [--stage K]`: write the lesson's homework template, a
//!   standalone workspace where each marked region is a `todo!()` for the student (see
//!   homework.rs); with `--stage K`, the regions of stages 1..=K keep their code (a sample
//!   solution up to stage K);
//! - `grade <lesson> [--dir DIR]`: grade the student's `<lesson>/src/` in DIR (copied into a
//!   fresh template outside DIR, built and run in the sandbox), or this repository's reference;
//!   run each graded test alone, print a table and `Points X/Y`; exit 0 only when all passed;
//! - `grade-class DIR [--lesson NAME] [--csv FILE] [--jobs N] [--time-limit S]`: grade every
//!   student folder under DIR, N at a time (default 2), each graded test stopped after S
//!   seconds (default 60), and write a CSV (default DIR/grades.csv);
//! - `check-homework [lesson...]`: for every lesson with a homework.txt: the markers are
//!   balanced, the template builds with clippy -D warnings, every graded test fails on it
//!   quickly (a panic, not a timeout) also with the tests edited to pass, each stage passes with
//!   only its own and earlier regions written, and all of them together score full points.
//!
//! std only, so it builds wherever the lessons do.

mod book;
mod check;
mod class;
mod commands;
mod grade;
mod homework;
mod sandbox;
mod template;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use grade::Limits;

const USAGE: &str = "用法：cargo xtask homework <课程> --out 文件夹 [--stage K]
      cargo xtask grade <课程> [--dir 学生的文件夹]
      cargo xtask grade-class 全班的文件夹 [--lesson 课程] [--csv 文件] [--jobs N] [--time-limit 秒]
      cargo xtask check-homework [课程...]
      cargo xtask book [--serve [--port N]]";
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
    let mut limits = Limits {
        build: BUILD_LIMIT,
        test: GRADE_LIMIT,
        tests: TESTS_LIMIT,
    };
    let lessons = homework::lessons(&repo).unwrap_or_default();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    // A lesson named on the command line must be one with homework.
    let named = match words[..] {
        ["homework" | "grade", lesson, ..] => vec![lesson],
        ["check-homework", ref rest @ ..] => rest.to_vec(),
        ["grade-class", ref rest @ ..] => rest
            .windows(2)
            .filter(|w| w[0] == "--lesson")
            .map(|w| w[1])
            .collect(),
        _ => Vec::new(),
    };
    if let Some(bad) = named.iter().find(|l| !lessons.iter().any(|x| x == *l)) {
        return usage_error(&format!(
            "没有叫 {bad:?} 的作业课程；可以用的课程：{}",
            lessons.join("、")
        ));
    }
    let result = match words[..] {
        ["homework", lesson, "--out", out] => commands::make(&repo, lesson, Path::new(out), 0),
        ["homework", lesson, "--out", out, "--stage", stage] => match stage.parse() {
            Ok(stage) => commands::make(&repo, lesson, Path::new(out), stage),
            Err(_) => return usage_error("--stage 后面要跟一个数字"),
        },
        ["grade", lesson] => commands::grade(&repo, lesson, None, &limits),
        ["grade", lesson, "--dir", dir] => {
            commands::grade(&repo, lesson, Some(Path::new(dir)), &limits)
        }
        ["grade-class", dir, ref rest @ ..] => {
            let (mut csv, mut jobs) = (Path::new(dir).join("grades.csv"), 2);
            let mut lesson = None;
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--csv", Some(file)) => csv = PathBuf::from(file),
                    ("--lesson", Some(name)) => lesson = Some(name.to_string()),
                    ("--time-limit", Some(s)) if s.parse::<f64>().is_ok_and(|s| s > 0.0) => {
                        limits.test = Duration::from_secs_f64(s.parse().unwrap_or(60.0))
                    }
                    ("--jobs", Some(n)) if n.parse::<usize>().is_ok_and(|n| n > 0) => {
                        jobs = n.parse().unwrap_or(2)
                    }
                    _ => return usage_error(&format!("看不懂 {flag:?}")),
                }
            }
            let class = class::Class {
                dir: Path::new(dir),
                lesson: lesson.as_deref(),
                csv: &csv,
                jobs,
            };
            class::grade_class(&repo, &class, limits)
        }
        ["check-homework", ref lessons @ ..] => check::check_all(&repo, lessons),
        ["book", ref rest @ ..] => book::run(&repo, rest),
        // (Run by the grader inside the sandbox, to see that its loopback works.)
        ["probe-loopback"] => sandbox::probe_loopback(),
        ["--help"] | ["-h"] => {
            println!("{USAGE}\n\n有作业的课程：{}", lessons.join("、"));
            return ExitCode::SUCCESS;
        }
        _ => return usage_error("命令行不对"),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(why: &str) -> ExitCode {
    eprintln!("错误：{why}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Where grading works, outside every student's folder: `grade-work/` in `CARGO_TARGET_DIR`,
/// else in this repository's `target/`.
pub(crate) fn work_root(repo: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"))
        .join("grade-work")
}
