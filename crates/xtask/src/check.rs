//! `cargo xtask check-homework`: every lesson's homework, checked the way a teacher relies on
//! it: the template builds and fails fast (also with edited tests), each stage passes with only
//! its own TODOs written, and the reference passes everything.

use std::path::Path;
use std::process::Command;

use crate::grade::{self, Build, Limits};
use crate::{homework, template, BUILD_LIMIT, FAIL_FAST, GRADE_LIMIT, TESTS_LIMIT};

/// Every check on every lesson (or the ones named); prints one line per lesson.
pub fn check_all(repo: &Path, only: &[&str]) -> Result<bool, String> {
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
        let started = std::time::Instant::now();
        let result = check_one(repo, lesson, &scratch.join(lesson));
        let secs = started.elapsed().as_secs();
        match &result {
            Ok(summary) => println!("homework {lesson}: ok ({secs} s): {summary}"),
            Err(e) => println!("homework {lesson}: FAILED: {e}"),
        }
        ok &= result.is_ok();
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(ok)
}

/// `return;` as the first line of every graded test: what a student who edits the tests to pass
/// would do.
fn gut_tests(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let mut out = String::new();
    let mut after_test = false;
    for line in text.lines() {
        out += line;
        out += "\n";
        if line.trim() == "#[test]" {
            after_test = true;
        } else if after_test && line.trim_end().ends_with('{') {
            out += "    return;\n";
            after_test = false;
        }
    }
    std::fs::write(file, out).map_err(|e| e.to_string())
}

fn check_one(repo: &Path, lesson: &str, out: &Path) -> Result<String, String> {
    let hw = homework::load(repo, lesson)?;
    let student = out.join("student");
    template::generate(repo, &hw, &student, 0)?;
    let lock = std::fs::read(student.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let clippy = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "-q", "--all-targets", "--manifest-path"])
        .arg(student.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .status()
        .map_err(|e| e.to_string())?;
    if !clippy.success() {
        return Err("the template does not build cleanly with clippy -D warnings".into());
    }
    // A fresh clone must stay clean: building changes nothing, not even the lock file.
    if std::fs::read(student.join("Cargo.lock")).ok().as_deref() != Some(&lock[..]) {
        return Err("building the template rewrote its Cargo.lock".into());
    }
    // A student who makes every test return at once: grading uses only the student's src/,
    // in a fresh template, and lists the edited test.
    gut_tests(&student.join(lesson).join("tests/grade.rs"))?;
    let fresh = out.join("fresh");
    template::generate(repo, &hw, &fresh, 0)?;
    let work = out.join("work");
    let changed = grade::prepare(&fresh, &student, &work, lesson)?;
    if changed != [format!("{lesson}/tests/grade.rs")] {
        return Err(format!("grading found these files changed: {changed:?}"));
    }
    let limits = Limits {
        build: BUILD_LIMIT,
        test: FAIL_FAST,
        tests: TESTS_LIMIT,
    };
    let seed = grade::seed();
    let all: Vec<&str> = hw.tests.iter().map(|t| t.name.as_str()).collect();
    let on_template = grade::run(&work, &hw, &all, None, &limits, seed, false)?;
    if let Build::Failed(e) = &on_template.build {
        return Err(format!("the template's tests do not build:\n{e}"));
    }
    let slowest = on_template
        .outcomes
        .iter()
        .map(|o| o.secs)
        .fold(0.0, f64::max);
    for o in &on_template.outcomes {
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
    // The climb: with the regions of stages 1..=k written, the tests of stages 1..=k pass.
    // The last step has every region written (the reference): every test passes.
    let limits = Limits {
        build: BUILD_LIMIT,
        test: GRADE_LIMIT,
        tests: TESTS_LIMIT,
    };
    let last = hw.last_todo_stage();
    for k in 1..=last {
        template::write_sources(repo, &hw, &student, k)?;
        grade::prepare(&fresh, &student, &work, lesson)?;
        let upto = if k == last { hw.last_stage() } else { k };
        let tests: Vec<&str> = hw
            .tests
            .iter()
            .filter(|t| t.stage <= upto)
            .map(|t| t.name.as_str())
            .collect();
        let graded = grade::run(&work, &hw, &tests, None, &limits, seed, false)?;
        if let Build::Failed(e) = &graded.build {
            return Err(format!(
                "with stages 1..={k} written it does not build:\n{e}"
            ));
        }
        if let Some(o) = graded.outcomes.iter().find(|o| !o.passed) {
            let written = if k == last {
                "every region".to_string()
            } else {
                format!("stages 1..={k}")
            };
            return Err(format!(
                "{} fails with {written} written ({}={seed}):\n{}",
                o.test,
                grade::SEED_VAR,
                o.log
            ));
        }
    }
    Ok(format!(
        "{} TODOs in {last} stages; {} graded tests fail on the template (slowest {slowest:.1} s), also with edited tests; each stage passes with its own TODOs; all pass with all",
        hw.todos.len(),
        hw.tests.len()
    ))
}
