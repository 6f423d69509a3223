//! `grade-class DIR`: grades every student folder under DIR (each a clone of the template), two
//! at a time, and writes a CSV with every test's points, a status, the files changed outside
//! `src/`, the first compiler error and the time taken. Each student is graded like `grade
//! --dir`: only the student's `<lesson>/src/`, copied into a fresh template, in the sandbox, with
//! limits on the build and on every test, so a broken or hanging submission costs only its own
//! points.
//!
//! Speed: each worker keeps one work folder per lesson and one build folder, so the
//! dependencies (and netcommon, lesson_testing) are compiled once per worker, and for each student only the
//! student's own crate and the graded tests are compiled.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use crate::grade::{self, Build, Graded, Limits};
use crate::homework::{self, Homework};
use crate::{sandbox, template, work_root};

/// What to grade.
pub struct Class<'a> {
    /// One folder per student under it.
    pub dir: &'a Path,
    /// The lesson every folder should hold (`None`: each folder's own).
    pub lesson: Option<&'a str>,
    pub csv: &'a Path,
    pub jobs: usize,
}

/// What became of one student's folder.
pub enum Status {
    Graded(Graded),
    /// The folder holds another lesson (named), or none (empty).
    WrongLesson(String),
    /// The grader itself failed (a disk error, a template that cannot be made).
    Error(String),
}

/// One student's folder and result.
struct Row {
    student: String,
    lesson: String,
    status: Status,
    changed: Vec<String>,
    secs: f64,
}

impl Row {
    fn points(&self) -> u32 {
        match &self.status {
            Status::Graded(g) => g.points(),
            _ => 0,
        }
    }

    /// 成功 / 编译失败 / 超时 / 改动了评分文件 / 不是这门作业 (or 出错).
    fn status(&self) -> String {
        match &self.status {
            Status::WrongLesson(_) => "不是这门作业".into(),
            Status::Error(e) => format!("出错：{e}"),
            Status::Graded(g) => match g.build {
                Build::Failed(_) => "编译失败".into(),
                _ if g.timed_out() => "超时".into(),
                _ if self.changed.iter().any(|f| grade::is_graded_file(f)) => {
                    "改动了评分文件".into()
                }
                _ => "成功".into(),
            },
        }
    }

    /// The compiler's first error (its first lines).
    fn compile_error(&self) -> String {
        match &self.status {
            Status::Graded(Graded {
                build: Build::Failed(e),
                ..
            }) => e.lines().take(6).collect::<Vec<_>>().join("\n"),
            _ => String::new(),
        }
    }

    /// Why the folder was not graded, or what stopped a test.
    fn note(&self) -> String {
        match &self.status {
            Status::WrongLesson(what) => what.clone(),
            Status::Error(e) => e.clone(),
            Status::Graded(g) => {
                let which = |pick: &dyn Fn(&grade::Outcome) -> bool| -> Vec<&str> {
                    g.outcomes
                        .iter()
                        .filter(|o| pick(o))
                        .map(|o| o.test.as_str())
                        .collect()
                };
                let mut notes = Vec::new();
                if matches!(g.build, Build::TimedOut) {
                    notes.push("编译超时".to_string());
                }
                for (what, tests) in [
                    ("超时的测试", which(&|o| o.timed_out)),
                    ("输出过多的测试", which(&|o| o.flooded)),
                    ("内存超限的测试", which(&|o| o.log.contains("内存超过了"))),
                ] {
                    if !tests.is_empty() {
                        notes.push(format!("{what}：{}", tests.join("、")));
                    }
                }
                notes.join("；")
            }
        }
    }
}

pub fn grade_class(repo: &Path, class: &Class, limits: Limits) -> Result<bool, String> {
    let started = Instant::now();
    let lessons = homework::lessons(repo)?;
    let mut students: Vec<PathBuf> = fs::read_dir(class.dir)
        .map_err(|e| format!("{}: {e}", class.dir.display()))?
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
        return Err(format!("{} 里没有学生的文件夹", class.dir.display()));
    }
    println!("{}", sandbox::describe());
    match class.lesson {
        Some(l) => println!("要批改的课程：{l}；文件夹里是别的课程的，记为“不是这门作业”。"),
        None => println!("没有给 --lesson：每个文件夹按它里面的课程批改。"),
    }
    let seed = grade::seed();
    println!(
        "批改 {} 份作业，同时 {} 份；每份编译最多 {} 秒，每个测试最多 {} 秒，全部测试一共最多 {} 秒；随机种子 {seed}。",
        students.len(),
        class.jobs,
        limits.build.as_secs(),
        limits.test.as_secs(),
        limits.tests.as_secs()
    );
    // Fresh templates, one per lesson in the class, made once; each worker copies from them.
    let work = work_root(repo);
    let templates = work.join(format!("templates-{}", std::process::id()));
    let _ = fs::remove_dir_all(&templates);
    let templates = Arc::new(templates);
    let made: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let queue = Arc::new(Mutex::new(
        students.into_iter().enumerate().rev().collect::<Vec<_>>(),
    ));
    let rows = Arc::new(Mutex::new(Vec::new()));
    let limits = Arc::new(limits);
    let mut workers = Vec::new();
    for worker in 0..class.jobs.max(1) {
        let (queue, rows, limits) = (Arc::clone(&queue), Arc::clone(&rows), Arc::clone(&limits));
        let (templates, made) = (Arc::clone(&templates), Arc::clone(&made));
        let (repo, lessons) = (repo.to_path_buf(), lessons.clone());
        let expected = class.lesson.map(str::to_string);
        // This worker's folders: a work copy per lesson and one build folder, kept between runs.
        let home = work.join(format!("worker-{worker}"));
        workers.push(thread::spawn(move || loop {
            let Some((n, folder)) = queue.lock().unwrap().pop() else {
                return;
            };
            let started = Instant::now();
            let student = folder
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let holds = grade::lesson_in(&folder, &lessons);
            let mut row = Row {
                student,
                lesson: holds.clone().unwrap_or_default(),
                status: Status::Error(String::new()),
                changed: Vec::new(),
                secs: 0.0,
            };
            row.status = match (holds, expected.as_deref()) {
                (None, _) => Status::WrongLesson("文件夹里没有作业的课程".into()),
                (Some(l), Some(e)) if l != e => {
                    Status::WrongLesson(format!("文件夹里是 {l} 的作业"))
                }
                (Some(lesson), _) => {
                    let graded = (|| {
                        let hw = homework::load(&repo, &lesson)?;
                        let fresh = templates.join(&lesson);
                        {
                            // Made once, by whichever worker needs it first.
                            let mut made = made.lock().unwrap();
                            if !made.contains(&lesson) {
                                template::generate(&repo, &hw, &fresh, 0)?;
                                made.push(lesson.clone());
                            }
                        }
                        let copy = home.join(&lesson);
                        row.changed = grade::prepare(&fresh, &folder, &copy, &lesson)?;
                        let tests: Vec<&str> = hw.tests.iter().map(|t| t.name.as_str()).collect();
                        let target = home.join("target");
                        grade::run(&copy, &hw, &tests, Some(&target), &limits, seed, false)
                    })();
                    match graded {
                        Ok(g) => Status::Graded(g),
                        Err(e) => Status::Error(e),
                    }
                }
            };
            row.secs = started.elapsed().as_secs_f64();
            println!(
                "{}：{} 分，{}（{:.1} 秒）",
                row.student,
                row.points(),
                row.status(),
                row.secs
            );
            rows.lock().unwrap().push((n, row));
        }));
    }
    for w in workers {
        let _ = w.join();
    }
    let _ = fs::remove_dir_all(&*templates);
    let mut rows = std::mem::take(&mut *rows.lock().unwrap());
    rows.sort_by_key(|(n, _)| *n);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    write_csv(repo, class.csv, &rows)?;
    summary(repo, &rows, class.lesson, started.elapsed().as_secs_f64());
    println!("成绩表：{}", class.csv.display());
    Ok(rows.iter().all(|r| !matches!(r.status, Status::Error(_))))
}

/// A CSV field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One CSV per class: student, lesson, each test's points, total, status, the files changed
/// outside src/, the compiler's first error, a note (why not graded, which tests timed out),
/// seconds. UTF-8 with a BOM, so that Excel and WPS
/// show the Chinese right.
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
    for c in &columns {
        out += c;
        out += ",";
    }
    out += "总分,状态,src 以外改动的文件,第一个编译错误,说明,用时（秒）\n";
    for row in rows {
        let mut cells = vec![field(&row.student), field(&row.lesson)];
        let graded = match &row.status {
            Status::Graded(g) => Some(g),
            _ => None,
        };
        for column in &columns {
            let points = graded.and_then(|g| {
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
        cells.push(row.points().to_string());
        cells.push(field(&row.status()));
        cells.push(field(&row.changed.join("; ")));
        cells.push(field(&row.compile_error()));
        cells.push(field(&row.note()));
        cells.push(format!("{:.0}", row.secs));
        out += &cells.join(",");
        out += "\n";
    }
    fs::write(csv, out).map_err(|e| format!("{}: {e}", csv.display()))
}

fn homeworks(repo: &Path, rows: &[Row]) -> Vec<Homework> {
    let mut lessons: Vec<&str> = rows
        .iter()
        .filter(|r| matches!(r.status, Status::Graded(_)))
        .map(|r| r.lesson.as_str())
        .collect();
    lessons.sort();
    lessons.dedup();
    lessons
        .iter()
        .filter_map(|l| homework::load(repo, l).ok())
        .collect()
}

/// The table on stdout: one line per student, each test's points, the total, the status; then
/// how many of each status, the mean and the time.
fn summary(repo: &Path, rows: &[Row], expected: Option<&str>, secs: f64) {
    let homeworks = homeworks(repo, rows);
    // (A folder not graded counts against the lesson that was asked for.)
    let asked = expected.and_then(|l| homework::load(repo, l).ok());
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
            .or(asked.as_ref())
            .map_or(0, Homework::total);
        let points: Vec<String> = match &row.status {
            Status::Graded(g) => g.outcomes.iter().map(|o| o.points.to_string()).collect(),
            _ => Vec::new(),
        };
        let changed = if row.changed.is_empty() {
            String::new()
        } else {
            format!("；src 以外改动了 {}", row.changed.join("、"))
        };
        println!(
            "{}  {:>3}/{:<3}  [{}]  {}{changed}",
            grade::pad(&row.student, width),
            row.points(),
            max,
            points.join(" "),
            row.status()
        );
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for row in rows {
        let status = row.status();
        let status = status.split('：').next().unwrap_or("").to_string();
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{s} {n} 份")).collect();
    let mean = rows.iter().map(Row::points).sum::<u32>() as f64 / rows.len().max(1) as f64;
    println!(
        "共 {} 名学生，平均 {mean:.1} 分；{}；用时 {secs:.0} 秒。",
        rows.len(),
        counts.join("，")
    );
}
