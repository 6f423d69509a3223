//! A lesson's homework: its `homework.txt`, the marked regions of its source, and the template
//! workspace made from them.
//!
//! `crates/<lesson>/homework.txt`, one entry per line (`#` starts a comment):
//!
//! ```text
//! todo hw_serve Read chunks until the client closes; answer each one.   (a marked region + hint)
//! test step1_replies_to_each_chunk 30                                   (a graded test + points)
//! ```
//!
//! In the lesson's source a region is a whole function body, or its tail, between
//! `// ANCHOR: hw_serve` and `// ANCHOR_END: hw_serve`.

use std::fs;
use std::path::{Path, PathBuf};

pub struct Homework {
    pub lesson: String,
    /// (region id, hint)
    pub todos: Vec<(String, String)>,
    /// (graded test name, points)
    pub tests: Vec<(String, u32)>,
}

pub fn lesson_dir(repo: &Path, lesson: &str) -> PathBuf {
    repo.join("crates").join(lesson)
}

/// Every lesson that has a homework.txt, in name order.
pub fn lessons(repo: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(repo.join("crates")).map_err(|e| format!("crates/: {e}"))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("homework.txt").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

pub fn load(repo: &Path, lesson: &str) -> Result<Homework, String> {
    let file = lesson_dir(repo, lesson).join("homework.txt");
    let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut hw = Homework {
        lesson: lesson.to_string(),
        todos: Vec::new(),
        tests: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        let bad = || format!("{}:{}: cannot read {line:?}", file.display(), n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = line.split_once(' ').ok_or_else(bad)?;
        let (name, rest) = rest.trim().split_once(' ').ok_or_else(bad)?;
        match kind {
            "todo" if name.starts_with("hw_") => {
                hw.todos.push((name.to_string(), rest.trim().to_string()))
            }
            "test" if name.starts_with("step") => {
                let points = rest.trim().parse().map_err(|_| bad())?;
                hw.tests.push((name.to_string(), points));
            }
            _ => return Err(bad()),
        }
    }
    if hw.todos.is_empty() || hw.tests.is_empty() {
        return Err(format!("{}: needs a todo and a test", file.display()));
    }
    Ok(hw)
}

/// The lesson's Rust sources (src/**.rs).
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("src")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn marker<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    line.trim().strip_prefix(tag).map(str::trim)
}

/// Checks the markers (balanced, not nested, each declared once in homework.txt) and that
/// every graded test exists in tests/grade.rs and every `stepN_` test there is graded.
pub fn check(repo: &Path, hw: &Homework) -> Result<(), String> {
    let dir = lesson_dir(repo, &hw.lesson);
    let mut seen = Vec::new();
    for file in sources(&dir) {
        let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let mut open: Option<&str> = None;
        for (n, line) in text.lines().enumerate() {
            let at = format!("{}:{}", file.display(), n + 1);
            if let Some(id) = marker(line, "// ANCHOR: ") {
                if let Some(outer) = open {
                    return Err(format!("{at}: {id} opens inside {outer}"));
                }
                if !hw.todos.iter().any(|(t, _)| t == id) {
                    return Err(format!("{at}: {id} has no `todo` line in homework.txt"));
                }
                open = Some(id);
                seen.push(id.to_string());
            } else if let Some(id) = marker(line, "// ANCHOR_END: ") {
                if open != Some(id) {
                    return Err(format!("{at}: {id} closes, but {open:?} is open"));
                }
                open = None;
            }
        }
        if let Some(id) = open {
            return Err(format!("{}: {id} never closes", file.display()));
        }
    }
    for (id, _) in &hw.todos {
        match seen.iter().filter(|s| *s == id).count() {
            1 => {}
            n => return Err(format!("{}: {id} is marked {n} times", hw.lesson)),
        }
    }
    let grade = dir.join("tests/grade.rs");
    let text = fs::read_to_string(&grade).map_err(|e| format!("{}: {e}", grade.display()))?;
    for (test, _) in &hw.tests {
        if !text.contains(&format!("fn {test}(")) {
            return Err(format!("{}: no test {test}", grade.display()));
        }
    }
    for line in text.lines() {
        if let Some(name) = line.trim().strip_prefix("fn step") {
            let name = format!("step{}", name.split('(').next().unwrap_or(""));
            if !hw.tests.iter().any(|(t, _)| *t == name) {
                return Err(format!(
                    "{}: {name} has no points in homework.txt",
                    grade.display()
                ));
            }
        }
    }
    Ok(())
}

/// The source with every marked region replaced by its TODO. Files with a region also get
/// `#![allow(unused)]`, so what only the missing code used does not warn.
pub fn strip(text: &str, hw: &Homework) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut skipping = false;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if let Some(id) = marker(line, "// ANCHOR: ") {
            let indent = &line[..line.len() - line.trim_start().len()];
            let hint = hw
                .todos
                .iter()
                .find(|(t, _)| t == id)
                .map_or("", |(_, h)| h);
            out.push(format!("{indent}// TODO({id}): {hint}"));
            out.push(format!(
                "{indent}todo!(\"{id}: {}\")",
                enclosing_fn(&lines[..i])
            ));
            skipping = true;
            count += 1;
        } else if marker(line, "// ANCHOR_END: ").is_some() {
            skipping = false;
        } else if !skipping {
            out.push(line.to_string());
        }
    }
    let mut text = out.join("\n") + "\n";
    if count > 0 {
        // After the `//!` header, before the first item.
        let at = text
            .lines()
            .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
            .map(|l| l.len() + 1)
            .sum::<usize>();
        let allow = "// Homework: what only the missing code uses would warn; delete this line when done.\n#![allow(unused)]\n\n";
        text.insert_str(at, allow);
    }
    (text, count)
}

/// `serve(client, ip_port, reply)` for the function a region sits in: the TODO names what
/// the student has to work with.
fn enclosing_fn(before: &[&str]) -> String {
    let Some(start) = before
        .iter()
        .rposition(|l| l.contains("fn ") && l.contains('('))
    else {
        return "the missing code".into();
    };
    let sig = before[start..].join(" ");
    let name = sig
        .split("fn ")
        .nth(1)
        .and_then(|s| s.split('(').next())
        .unwrap_or("");
    let open = sig.find('(').unwrap_or(0);
    let (mut depth, mut params, mut current) = (0, Vec::new(), String::new());
    for c in sig[open + 1..].chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' if depth == 0 => break,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => params.push(std::mem::take(&mut current)),
            _ => {}
        }
        current.push(c);
    }
    params.push(current);
    let names: Vec<&str> = params
        .iter()
        .filter_map(|p| p.split(':').next())
        .map(|p| {
            p.trim()
                .trim_start_matches(',')
                .trim()
                .trim_start_matches("mut ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    format!("write {name}({})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hw() -> Homework {
        Homework {
            lesson: "demo".into(),
            todos: vec![("hw_serve".into(), "Answer each chunk.".into())],
            tests: vec![("step1_x".into(), 10)],
        }
    }

    #[test]
    fn a_region_becomes_a_todo_naming_the_parameters() {
        let src = "//! Demo.\n\nuse std::net::TcpStream;\n\nfn serve(\n    mut client: TcpStream,\n    reply: &[u8],\n) -> Result<(), String> {\n    // ANCHOR: hw_serve\n    let x = 1;\n    Ok(())\n    // ANCHOR_END: hw_serve\n}\n";
        let (out, n) = strip(src, &hw());
        assert_eq!(n, 1);
        assert!(out.starts_with("//! Demo.\n\n// Homework"), "{out}");
        assert!(out.contains("#![allow(unused)]"));
        assert!(out.contains("    // TODO(hw_serve): Answer each chunk.\n    todo!(\"hw_serve: write serve(client, reply)\")\n}\n"), "{out}");
        assert!(!out.contains("let x"));
    }

    #[test]
    fn no_region_no_change() {
        let src = "fn main() {}\n";
        assert_eq!(strip(src, &hw()), (src.to_string(), 0));
    }
}
