//! Writes a lesson's homework template: a standalone workspace (the lesson with its marked
//! regions replaced by TODOs, the netcommon it needs, the graded tests, a README for the student
//! and a GitHub Classroom workflow) that builds outside this repository.

use std::fs;
use std::path::Path;

use crate::homework::{self, Homework};

pub fn generate(repo: &Path, hw: &Homework, out: &Path) -> Result<usize, String> {
    if out.exists() && fs::read_dir(out).map_or(true, |mut d| d.next().is_some()) {
        return Err(format!("{} exists and is not empty", out.display()));
    }
    let lesson = &hw.lesson;
    let src = homework::lesson_dir(repo, lesson);
    let dst = out.join(lesson);
    let mut todos = 0;
    // The lesson: everything but examples/ (often a solution) and tests other than grade.rs.
    copy_tree(&src, &dst, &|rel| {
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match top.as_deref() {
            Some("examples") | Some("homework.txt") => false,
            Some("tests") => rel.starts_with("tests/grade.rs") || rel.starts_with("tests/py"),
            _ => true,
        }
    })?;
    for file in walk(&dst.join("src"))? {
        let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let (stripped, n) = homework::strip(&text, hw);
        todos += n;
        fs::write(&file, stripped).map_err(|e| e.to_string())?;
    }
    if todos == 0 {
        return Err(format!("{lesson}: no marked region"));
    }
    copy_tree(
        &repo.join("crates/netcommon"),
        &out.join("netcommon"),
        &|rel| !rel.starts_with("examples"),
    )?;
    let root = fs::read_to_string(repo.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let root = root
        .replace(
            "members = [\"crates/*\"]",
            &format!("members = [\"{lesson}\", \"netcommon\"]"),
        )
        .replace("path = \"crates/netcommon\"", "path = \"netcommon\"");
    write(out, "Cargo.toml", &root)?;
    fs::copy(repo.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    write(out, ".gitignore", "/target\n")?;
    write(out, "README.md", &readme(hw))?;
    write(out, ".github/workflows/classroom.yml", &classroom(hw))?;
    Ok(todos)
}

fn write(dir: &Path, rel: &str, text: &str) -> Result<(), String> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Copies the files under `from` whose relative path `keep` accepts (never `target/`).
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<(), String> {
    for file in walk(from)? {
        let rel = file.strip_prefix(from).map_err(|e| e.to_string())?;
        if rel.starts_with("target") || !keep(rel) {
            continue;
        }
        let dst = to.join(rel);
        fs::create_dir_all(dst.parent().unwrap_or(to)).map_err(|e| e.to_string())?;
        fs::copy(&file, &dst).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// The graded test's step id in the workflow: `step1_replies` → `step1-replies`.
fn step_id(test: &str) -> String {
    test.replace('_', "-")
}

fn classroom(hw: &Homework) -> String {
    let mut y = String::from(
        "name: Autograding Tests\n\"on\":\n  push:\n  repository_dispatch:\npermissions:\n  checks: write\n  actions: read\n  contents: read\njobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n    if: github.actor != 'github-classroom[bot]'\n    steps:\n      - name: Checkout code\n        uses: actions/checkout@v4\n      - name: Build the tests\n        run: cargo test --no-run --test grade\n",
    );
    for (test, points) in &hw.tests {
        y += &format!(
            "      - name: {test}\n        id: {id}\n        uses: classroom-resources/autograding-command-grader@v1\n        with:\n          test-name: {test}\n          setup-command: \"\"\n          command: cargo test -q --test grade -- --exact {test}\n          timeout: 5\n          max-score: {points}\n",
            id = step_id(test)
        );
    }
    y += "      - name: Autograding Reporter\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n";
    for (test, _) in &hw.tests {
        let id = step_id(test);
        y += &format!(
            "          {}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n",
            id.to_uppercase()
        );
    }
    let ids: Vec<String> = hw.tests.iter().map(|(t, _)| step_id(t)).collect();
    y += &format!("        with:\n          runners: {}\n", ids.join(","));
    y
}

fn readme(hw: &Homework) -> String {
    let lesson = &hw.lesson;
    let total: u32 = hw.tests.iter().map(|(_, p)| p).sum();
    let mut r = format!(
        "# Homework: {lesson}\n\n\
         This is the `{lesson}` lesson of net-lessons with its core left for you to write. \
         Read `{lesson}/src/main.rs` from the top: its `//!` header says what the program does \
         and which part of the notes it follows. Every `todo!()` is yours to replace.\n\n\
         ## What to build\n\n"
    );
    for (id, hint) in &hw.todos {
        r += &format!("- `TODO({id})`: {hint}\n");
    }
    r += &format!(
        "\n## Run it\n\n```sh\ncargo run -p {lesson} -- --help\n```\n\n\
         ## Test it, stage by stage\n\n\
         The graded tests in `{lesson}/tests/grade.rs` play the other side (client or server) over \
         127.0.0.1 and compare the bytes. When one fails, its log says what was sent and what came back.\n\n\
         ```sh\ncargo test step1        # one stage\ncargo test --test grade # all of them\n```\n\n\
         | test | points |\n|---|---|\n"
    );
    for (test, points) in &hw.tests {
        r += &format!("| `{test}` | {points} |\n");
    }
    r += &format!(
        "| **total** | **{total}** |\n\n\
         Each push runs the same tests on GitHub (`.github/workflows/classroom.yml`) and reports \
         `Points X/{total}`. Before you push: `cargo clippy --all-targets -- -D warnings` and \
         remove the `#![allow(unused)]` line at the top of the files you finished.\n"
    );
    r
}
