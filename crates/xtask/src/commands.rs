//! `cargo xtask homework` and `cargo xtask grade`: what main.rs calls once it has read the
//! command line.

use std::path::Path;

use crate::grade::{self, Limits};
use crate::{homework, sandbox, template, work_root};

pub fn make(repo: &Path, lesson: &str, out: &Path, stage: u32) -> Result<bool, String> {
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

pub fn grade(
    repo: &Path,
    lesson: &str,
    dir: Option<&Path>,
    limits: &Limits,
) -> Result<bool, String> {
    let hw = homework::load(repo, lesson)?;
    let tests: Vec<&str> = hw.tests.iter().map(|t| t.name.as_str()).collect();
    let seed = grade::seed();
    println!("{}", sandbox::describe());
    let Some(dir) = dir else {
        let graded = grade::run(repo, &hw, &tests, None, limits, seed, true)?;
        return Ok(grade::report(&hw, &graded));
    };
    if !dir.is_dir() {
        return Err(format!("{} 不是一个文件夹", dir.display()));
    }
    let lessons = homework::lessons(repo)?;
    let holds = grade::lesson_in(dir, &lessons);
    if holds.as_deref() != Some(lesson) {
        let what = holds.map_or("不是作业模板".to_string(), |l| {
            format!("是 {l} 的作业")
        });
        println!(
            "{}：不是这门作业（要批改的是 {lesson}，这个文件夹{what}）。",
            dir.display()
        );
        println!("Points 0/{}", hw.total());
        return Ok(false);
    }
    let work = work_root(repo).join("grade");
    let fresh = work.join(format!("template-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    template::generate(repo, &hw, &fresh, 0)?;
    let copy = work.join(lesson);
    let changed = grade::prepare(&fresh, dir, &copy, lesson);
    let _ = std::fs::remove_dir_all(&fresh);
    let changed = changed?;
    println!(
        "只批改 {}：它被复制进一份新生成的作业模板（{}），在那里编译和运行。",
        dir.join(lesson).join("src").display(),
        copy.display()
    );
    if !changed.is_empty() {
        println!(
            "src/ 以外和模板不同的文件（没有使用，评分用的是模板里的）：{}",
            changed.join("、")
        );
    }
    let graded = grade::run(
        &copy,
        &hw,
        &tests,
        Some(&work.join("target")),
        limits,
        seed,
        true,
    )?;
    Ok(grade::report(&hw, &graded))
}
