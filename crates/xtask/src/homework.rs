//! A lesson's homework: its `homework.txt`, the marked regions of its source, and the template
//! workspace made from them.
//!
//! `crates/<lesson>/homework.txt`, one entry per line (`#` starts a comment):
//!
//! ```text
//! difficulty 入门                                   (shown to teachers and students)
//! time 约 1 小时                                    (the estimated time)
//! header # tcp_server：一个接一个地服务客户端……        (the template's main.rs header, one
//!                                                    `//!` line each; `header` alone: blank)
//! todo 1 hw_serve 和一个客户端对话：……             (stage, marked region, hint in Chinese)
//! test step1_replies_to_each_chunk 30 每段都回复   (graded test, points, what it checks)
//! ```
//!
//! A test's stage is the N of its `stepN_` name. Stage k's tests must pass with only the regions
//! of stages 1..=k written (check-homework checks it). A `todo` line without a stage number is
//! stage 1. In the lesson's source a region is a whole function body, or its tail, between
//! `// ANCHOR: hw_serve` and `// ANCHOR_END: hw_serve`.

use std::fs;
use std::path::{Path, PathBuf};

pub struct Todo {
    pub id: String,
    pub stage: u32,
    pub hint: String,
}

pub struct Test {
    pub name: String,
    pub stage: u32,
    pub points: u32,
    /// What it checks, in Chinese (may be empty).
    pub about: String,
}

pub struct Homework {
    pub lesson: String,
    pub difficulty: String,
    pub time: String,
    /// The Chinese `//!` header of the template's main.rs (the lesson's own is in English).
    pub header: Vec<String>,
    pub todos: Vec<Todo>,
    pub tests: Vec<Test>,
}

impl Homework {
    pub fn total(&self) -> u32 {
        self.tests.iter().map(|t| t.points).sum()
    }

    /// The last stage that has a region to write.
    pub fn last_todo_stage(&self) -> u32 {
        self.todos.iter().map(|t| t.stage).max().unwrap_or(0)
    }

    pub fn last_stage(&self) -> u32 {
        self.tests.iter().map(|t| t.stage).max().unwrap_or(0)
    }
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

/// `step12_foo` → 12.
pub fn stage_of(test: &str) -> Option<u32> {
    let digits: String = test
        .strip_prefix("step")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

pub fn load(repo: &Path, lesson: &str) -> Result<Homework, String> {
    let file = lesson_dir(repo, lesson).join("homework.txt");
    let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut hw = Homework {
        lesson: lesson.to_string(),
        difficulty: String::new(),
        time: String::new(),
        header: Vec::new(),
        todos: Vec::new(),
        tests: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        // A header line keeps its indentation (the commands in a ```text block line up).
        if let Some(rest) = line.strip_prefix("header") {
            if rest.is_empty() || rest.starts_with(' ') {
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                hw.header.push(rest.trim_end().to_string());
                continue;
            }
        }
        let line = line.trim();
        let bad = || format!("{}:{}: cannot read {line:?}", file.display(), n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = line.split_once(' ').ok_or_else(bad)?;
        let rest = rest.trim();
        match kind {
            "difficulty" => hw.difficulty = rest.to_string(),
            "time" => hw.time = rest.to_string(),
            "todo" => {
                let (first, after) = rest.split_once(' ').ok_or_else(bad)?;
                let (stage, id, hint) = match first.parse::<u32>() {
                    Ok(stage) => {
                        let (id, hint) = after.trim().split_once(' ').ok_or_else(bad)?;
                        (stage, id, hint)
                    }
                    Err(_) => (1, first, after),
                };
                if !id.starts_with("hw_") || stage == 0 {
                    return Err(bad());
                }
                hw.todos.push(Todo {
                    id: id.to_string(),
                    stage,
                    hint: hint.trim().to_string(),
                });
            }
            "test" => {
                let (name, after) = rest.split_once(' ').ok_or_else(bad)?;
                let (points, about) = after.trim().split_once(' ').unwrap_or((after.trim(), ""));
                hw.tests.push(Test {
                    name: name.to_string(),
                    stage: stage_of(name).ok_or_else(bad)?,
                    points: points.parse().map_err(|_| bad())?,
                    about: about.trim().to_string(),
                });
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

/// The homework region a marker line opens or closes. Only `hw_*` regions are homework: the
/// other `// ANCHOR:` regions are the listings the docs include, and may nest or overlap.
fn marker<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    let id = line.trim().strip_prefix(tag).map(str::trim)?;
    id.starts_with("hw_").then_some(id)
}

/// Checks the markers (balanced, not nested, each declared once in homework.txt), that every
/// graded test exists in tests/grade.rs and every `stepN_` test there is graded, and the stages.
/// Returns the file (relative to the lesson) of each region.
pub fn check(repo: &Path, hw: &Homework) -> Result<Vec<(String, String)>, String> {
    let dir = lesson_dir(repo, &hw.lesson);
    let mut seen: Vec<(String, String)> = Vec::new();
    for file in sources(&dir) {
        let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let rel = file
            .strip_prefix(&dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let mut open: Option<&str> = None;
        for (n, line) in text.lines().enumerate() {
            let at = format!("{}:{}", file.display(), n + 1);
            if let Some(id) = marker(line, "// ANCHOR: ") {
                if let Some(outer) = open {
                    return Err(format!("{at}: {id} opens inside {outer}"));
                }
                if !hw.todos.iter().any(|t| t.id == id) {
                    return Err(format!("{at}: {id} has no `todo` line in homework.txt"));
                }
                open = Some(id);
                seen.push((id.to_string(), format!("{}/{rel}", hw.lesson)));
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
    for todo in &hw.todos {
        match seen.iter().filter(|(s, _)| *s == todo.id).count() {
            1 => {}
            n => return Err(format!("{}: {} is marked {n} times", hw.lesson, todo.id)),
        }
    }
    if hw.difficulty.is_empty() || hw.time.is_empty() || hw.header.is_empty() {
        return Err(format!(
            "{}: homework.txt needs a `difficulty`, a `time` and `header` lines",
            hw.lesson
        ));
    }
    for stage in 1..=hw.last_stage() {
        if !hw.tests.iter().any(|t| t.stage == stage) {
            return Err(format!("{}: no graded test for stage {stage}", hw.lesson));
        }
    }
    if hw.last_todo_stage() > hw.last_stage() {
        return Err(format!("{}: a todo's stage has no test", hw.lesson));
    }
    let grade = dir.join("tests/grade.rs");
    let text = fs::read_to_string(&grade).map_err(|e| format!("{}: {e}", grade.display()))?;
    for test in &hw.tests {
        if !text.contains(&format!("fn {}(", test.name)) {
            return Err(format!("{}: no test {}", grade.display(), test.name));
        }
    }
    for line in text.lines() {
        if let Some(name) = line.trim().strip_prefix("fn step") {
            let name = format!("step{}", name.split('(').next().unwrap_or(""));
            if !hw.tests.iter().any(|t| t.name == name) {
                return Err(format!(
                    "{}: {name} has no points in homework.txt",
                    grade.display()
                ));
            }
        }
    }
    Ok(seen)
}

/// The source with the marked regions of stages after `filled` replaced by their TODO (the
/// others keep their code, without the marker lines). Files with a TODO also get
/// `#![allow(unused)]`, so what only the missing code uses does not warn.
pub fn strip(text: &str, hw: &Homework, filled: u32) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut skipping = false;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if let Some(id) = marker(line, "// ANCHOR: ") {
            let todo = hw.todos.iter().find(|t| t.id == id);
            if todo.is_some_and(|t| t.stage <= filled) {
                continue; // written: keep the code
            }
            let indent = &line[..line.len() - line.trim_start().len()];
            let hint = todo.map_or("", |t| t.hint.as_str());
            let stage = todo.map_or(1, |t| t.stage);
            out.push(format!("{indent}// TODO({id}，第 {stage} 关)：{hint}"));
            // A whole body follows the `{`; a tail follows the function's first steps.
            let whole = lines[..i]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with('{'));
            let what = enclosing_fn(&lines[..i]);
            let what = if whole {
                format!("请写出 {what} 的代码")
            } else {
                format!("请写完 {what} 余下的部分")
            };
            out.push(format!("{indent}todo!(\"{id}：{what}\")"));
            skipping = true;
            count += 1;
        } else if marker(line, "// ANCHOR_END: ").is_some() {
            skipping = false;
        } else if !skipping && !line.trim_start().starts_with("// ANCHOR") {
            out.push(line.to_string()); // (the docs' listing markers stay out of a template)
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
        let allow = "// 作业：只有待写的代码才用到的东西会引起警告，写完后删掉下面这一行。\n#![allow(unused)]\n\n";
        text.insert_str(at, allow);
    }
    (text, count)
}

/// `text` (a main.rs) with its leading `//!` block replaced by the homework's Chinese header.
pub fn with_header(text: &str, hw: &Homework) -> String {
    if hw.header.is_empty() {
        return text.to_string();
    }
    let rest: Vec<&str> = text.lines().skip_while(|l| l.starts_with("//!")).collect();
    let mut out: Vec<String> = hw
        .header
        .iter()
        .map(|l| {
            if l.is_empty() {
                "//!".to_string()
            } else {
                format!("//! {l}")
            }
        })
        .collect();
    out.extend(rest.iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// `serve(client, ip_port, reply)` for the function a region sits in: the TODO names what
/// the student has to work with.
fn enclosing_fn(before: &[&str]) -> String {
    let Some(start) = before
        .iter()
        .rposition(|l| l.contains("fn ") && l.contains('('))
    else {
        return "这里".into();
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
    format!("{name}({})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hw() -> Homework {
        Homework {
            lesson: "demo".into(),
            difficulty: "入门".into(),
            time: "1 小时".into(),
            header: vec!["# demo：中文说明".into(), String::new(), "  缩进".into()],
            todos: vec![Todo {
                id: "hw_serve".into(),
                stage: 1,
                hint: "回复每一段。".into(),
            }],
            tests: vec![Test {
                name: "step1_x".into(),
                stage: 1,
                points: 10,
                about: String::new(),
            }],
        }
    }

    const SRC: &str = "//! Demo.\n\nuse std::net::TcpStream;\n\nfn serve(\n    mut client: TcpStream,\n    reply: &[u8],\n) -> Result<(), String> {\n    // ANCHOR: hw_serve\n    let x = 1;\n    Ok(())\n    // ANCHOR_END: hw_serve\n}\n";

    #[test]
    fn a_region_becomes_a_todo_naming_the_parameters() {
        let (out, n) = strip(SRC, &hw(), 0);
        assert_eq!(n, 1);
        assert!(out.starts_with("//! Demo.\n\n// 作业"), "{out}");
        assert!(out.contains("#![allow(unused)]"));
        assert!(out.contains("    // TODO(hw_serve，第 1 关)：回复每一段。\n    todo!(\"hw_serve：请写出 serve(client, reply) 的代码\")\n}\n"), "{out}");
        assert!(!out.contains("let x"));
    }

    #[test]
    fn a_tail_region_says_so() {
        let src = "fn serve(x: u8) {\n    let y = x;\n    // ANCHOR: hw_serve\n    y;\n    // ANCHOR_END: hw_serve\n}\n";
        let (out, _) = strip(src, &hw(), 0);
        assert!(
            out.contains("todo!(\"hw_serve：请写完 serve(x) 余下的部分\")"),
            "{out}"
        );
    }

    #[test]
    fn a_filled_stage_keeps_its_code() {
        let (out, n) = strip(SRC, &hw(), 1);
        assert_eq!(n, 0);
        assert!(out.contains("    let x = 1;\n    Ok(())\n}\n") && !out.contains("ANCHOR"));
    }

    #[test]
    fn no_region_no_change() {
        let src = "fn main() {}\n";
        assert_eq!(strip(src, &hw(), 0), (src.to_string(), 0));
    }

    #[test]
    fn the_header_is_replaced_by_the_chinese_one() {
        let out = with_header(SRC, &hw());
        assert!(
            out.starts_with("//! # demo：中文说明\n//!\n//!   缩进\n\nuse std::net::TcpStream;\n"),
            "{out}"
        );
        assert!(!out.contains("Demo."));
    }

    #[test]
    fn stages_from_names() {
        assert_eq!(stage_of("step12_x"), Some(12));
        assert_eq!(stage_of("stepx"), None);
        assert_eq!(stage_of("step0_x"), None);
    }
}
