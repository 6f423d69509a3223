//! `grade-class DIR`: grades every student folder under DIR (each a clone of the template), two
//! at a time, and writes a CSV with every test's points. Each student is graded like `grade
//! --dir` (the reference tests put back first), with limits on the build and on every test, so a
//! broken or hanging submission costs only its own points.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::grade::{self, Build, Graded, Limits};
use crate::homework::{self, Homework};
use crate::sha256;

/// One student's folder and result.
struct Row {
    student: String,
    lesson: String,
    result: Result<Graded, String>,
}

/// The lesson a student's folder holds: the one folder in it that is a lesson with homework.
fn lesson_of(dir: &Path, lessons: &[String]) -> Option<String> {
    lessons
        .iter()
        .find(|l| dir.join(l).join("Cargo.toml").is_file())
        .cloned()
}

pub fn grade_class(
    repo: &Path,
    dir: &Path,
    csv: &Path,
    jobs: usize,
    limits: Limits,
) -> Result<bool, String> {
    let lessons = homework::lessons(repo)?;
    let mut students: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    students.sort();
    if students.is_empty() {
        return Err(format!("{} 里没有学生的文件夹", dir.display()));
    }
    println!(
        "批改 {} 份作业，同时 {jobs} 份；每份编译最多 {} 秒，每个测试最多 {} 秒，全部测试一共最多 {} 秒。",
        students.len(),
        limits.build.as_secs(),
        limits.test.as_secs(),
        limits.tests.as_secs()
    );
    // Each student has a target folder of its own, removed after grading. Never one shared by
    // two students: two copies of the same workspace get the same artifact names, and cargo
    // could take one student's binary as up to date for the other.
    let target_root = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"))
        .join("grade-class");
    let queue = Arc::new(Mutex::new(
        students.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let rows = Arc::new(Mutex::new(Vec::new()));
    let limits = Arc::new(limits);
    let mut workers = Vec::new();
    for _ in 0..jobs.max(1) {
        let (queue, rows, limits) = (Arc::clone(&queue), Arc::clone(&rows), Arc::clone(&limits));
        let (repo, lessons) = (repo.to_path_buf(), lessons.clone());
        let target_root = target_root.clone();
        workers.push(thread::spawn(move || loop {
            let Some((n, folder)) = queue.lock().unwrap().pop() else {
                return;
            };
            let student = folder
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let full = folder.canonicalize().unwrap_or_else(|_| folder.clone());
            let id = &sha256::hex(full.to_string_lossy().as_bytes())[..12];
            let target = target_root.join(format!("{student}-{id}"));
            let (lesson, result) = match lesson_of(&folder, &lessons) {
                None => (
                    String::new(),
                    Err("不是作业模板的文件夹（找不到课程的文件夹）".to_string()),
                ),
                Some(lesson) => {
                    let result = homework::load(&repo, &lesson).and_then(|hw| {
                        grade::restore(&repo, &hw, &folder)?;
                        let tests: Vec<&str> = hw.tests.iter().map(|t| t.name.as_str()).collect();
                        grade::run(&folder, &hw, &tests, Some(&target), &limits, false)
                    });
                    // About 75 MB per student: a class would fill the disk.
                    let _ = fs::remove_dir_all(&target);
                    (lesson, result)
                }
            };
            let points = result
                .as_ref()
                .map_or("出错".to_string(), |g| g.points().to_string());
            println!("{student}：{points}");
            rows.lock().unwrap().push((
                n,
                Row {
                    student,
                    lesson,
                    result,
                },
            ));
        }));
    }
    for w in workers {
        let _ = w.join();
    }
    let mut rows = std::mem::take(&mut *rows.lock().unwrap());
    rows.sort_by_key(|(n, _)| *n);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    write_csv(repo, csv, &rows)?;
    summary(repo, &rows);
    println!("成绩表：{}", csv.display());
    Ok(rows.iter().all(|r| r.result.is_ok()))
}

fn build_status(result: &Result<Graded, String>) -> String {
    match result {
        Ok(g) => match &g.build {
            Build::Ok => "成功".into(),
            Build::Failed(_) => "编译失败".into(),
            Build::TimedOut => "编译超时".into(),
        },
        Err(e) => format!("出错：{e}"),
    }
}

/// A CSV field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One CSV per class: student, lesson, each test's points, total, build. UTF-8 with a BOM, so
/// that Excel and WPS show the Chinese right.
fn write_csv(repo: &Path, csv: &Path, rows: &[Row]) -> Result<(), String> {
    let homeworks = homeworks(repo, rows);
    // The columns: every graded test of every lesson in the class, in order.
    let mut columns: Vec<String> = Vec::new();
    for hw in &homeworks {
        for t in &hw.tests {
            columns.push(t.name.clone());
        }
    }
    let mut out = String::from("\u{feff}学生,课程,");
    out += &columns.join(",");
    out += ",总分,编译\n";
    for row in rows {
        let mut cells = vec![field(&row.student), field(&row.lesson)];
        for column in &columns {
            let points = row.result.as_ref().ok().and_then(|g| {
                g.outcomes
                    .iter()
                    .find(|o| o.test == *column)
                    .map(|o| o.points)
            });
            let in_lesson = homeworks
                .iter()
                .any(|hw| hw.lesson == row.lesson && hw.tests.iter().any(|t| t.name == *column));
            cells.push(match (points, in_lesson) {
                (Some(p), _) => p.to_string(),
                (None, true) => "0".into(),
                (None, false) => String::new(),
            });
        }
        let total = row.result.as_ref().map_or(0, Graded::points);
        cells.push(total.to_string());
        cells.push(field(&build_status(&row.result)));
        out += &cells.join(",");
        out += "\n";
    }
    fs::write(csv, out).map_err(|e| format!("{}: {e}", csv.display()))
}

fn homeworks(repo: &Path, rows: &[Row]) -> Vec<Homework> {
    let mut lessons: Vec<&str> = rows
        .iter()
        .map(|r| r.lesson.as_str())
        .filter(|l| !l.is_empty())
        .collect();
    lessons.sort();
    lessons.dedup();
    lessons
        .iter()
        .filter_map(|l| homework::load(repo, l).ok())
        .collect()
}

/// The table on stdout: one line per student, each test's points, the total, the build.
fn summary(repo: &Path, rows: &[Row]) {
    let homeworks = homeworks(repo, rows);
    let width = rows
        .iter()
        .map(|r| grade::columns(&r.student))
        .max()
        .unwrap_or(4);
    println!();
    for row in rows {
        let max = homeworks
            .iter()
            .find(|hw| hw.lesson == row.lesson)
            .map_or(0, Homework::total);
        let points: Vec<String> = row
            .result
            .as_ref()
            .map(|g| g.outcomes.iter().map(|o| o.points.to_string()).collect())
            .unwrap_or_default();
        let total = row.result.as_ref().map_or(0, Graded::points);
        println!(
            "{}  {:>3}/{:<3}  [{}]  {}",
            grade::pad(&row.student, width),
            total,
            max,
            points.join(" "),
            build_status(&row.result)
        );
    }
    let totals: Vec<u32> = rows
        .iter()
        .map(|r| r.result.as_ref().map_or(0, Graded::points))
        .collect();
    let mean = totals.iter().sum::<u32>() as f64 / totals.len().max(1) as f64;
    println!("共 {} 名学生，平均 {mean:.1} 分。", rows.len());
}
