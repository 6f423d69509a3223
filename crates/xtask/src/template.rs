//! Writes a lesson's homework template: a standalone workspace (the lesson with its marked
//! regions replaced by TODOs, the netcommon it needs, the lesson_testing harness its graded tests
//! use, the graded tests, a README for the student and a GitHub Classroom workflow) that builds
//! outside this repository.

use std::fs;
use std::path::Path;

use crate::homework::{self, Homework};

/// Writes the template to `out` (which must be empty or missing). `filled`: the regions of
/// stages 1..=filled keep their code (0 for the student's template; a higher stage gives a
/// sample solution up to that stage). Returns how many TODOs it has.
pub fn generate(repo: &Path, hw: &Homework, out: &Path, filled: u32) -> Result<usize, String> {
    if out.exists() && fs::read_dir(out).map_or(true, |mut d| d.next().is_some()) {
        return Err(format!("{} exists and is not empty", out.display()));
    }
    let lesson = &hw.lesson;
    let regions = homework::check(repo, hw)?;
    let src = homework::lesson_dir(repo, lesson);
    let dst = out.join(lesson);
    // The lesson: everything but examples/ (often a solution) and tests other than grade.rs.
    copy_tree(&src, &dst, &|rel| {
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match top.as_deref() {
            Some("examples") | Some("homework.txt") => false,
            Some("tests") => rel.starts_with("tests/grade.rs"),
            _ => true,
        }
    })?;
    let todos = write_sources(repo, hw, out, filled)?;
    if todos == 0 && filled == 0 {
        return Err(format!("{lesson}: no marked region"));
    }
    copy_tree(
        &repo.join("crates/netcommon"),
        &out.join("netcommon"),
        &|rel| !rel.starts_with("examples"),
    )?;
    // The graded tests' harness (the lesson's dev-dependency `path = "../lesson_testing"`),
    // without its own tests.
    copy_tree(
        &repo.join("crates/lesson_testing"),
        &out.join("lesson_testing"),
        &|rel| !rel.starts_with("tests"),
    )?;
    let root = fs::read_to_string(repo.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let root = root
        .replace(
            "members = [\"crates/*\"]",
            &format!("members = [\"{lesson}\", \"netcommon\", \"lesson_testing\"]"),
        )
        .replace("path = \"crates/netcommon\"", "path = \"netcommon\"");
    write(out, "Cargo.toml", &root)?;
    fs::copy(repo.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    prune_lock(out)?;
    write(out, ".gitignore", "/target\n")?;
    write(out, ".cargo/config.toml", CARGO_CONFIG)?;
    // LF everywhere, also in a Windows checkout: the same bytes as the template on every system.
    write(out, ".gitattributes", "* text=auto eol=lf\n")?;
    write(out, "README.md", &readme(hw, &regions))?;
    write(out, "README.en.md", &readme_en(hw, &regions))?;
    write(out, ".github/workflows/classroom.yml", &classroom(hw))?;
    Ok(todos)
}

/// The template's cargo settings: the graded tests show the last lines of the student's stderr,
/// and a backtrace (`RUST_BACKTRACE=1` in a student's shell) would push the `todo!()` line out.
const CARGO_CONFIG: &str = "[env]
# 评分测试会显示你的程序 stderr 的最后几行（比如 todo!() 的那一行）；回溯（backtrace）会把它挤掉，
# 所以这里关掉。要看回溯时删掉 RUST_BACKTRACE 这一行。
RUST_BACKTRACE = { value = \"0\", force = true }
";

/// The lock file copied from this repository lists every lesson's dependencies; cargo drops
/// what the template does not use the first time it resolves, which would change the file in
/// a fresh clone. Resolve once here (offline when every crate is already downloaded), so that
/// the lock matches exactly what the template builds and a build leaves it as it is.
fn prune_lock(out: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let resolve = |offline: bool| {
        let mut cmd = std::process::Command::new(&cargo);
        cmd.args(["metadata", "-q", "--format-version", "1", "--manifest-path"])
            .arg(out.join("Cargo.toml"));
        if offline {
            cmd.arg("--offline");
        }
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
    };
    match resolve(true) {
        Ok(o) if o.status.success() => Ok(()),
        _ => match resolve(false) {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "cargo metadata: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!("cargo metadata: {e}")),
        },
    }
}

/// (Re)writes the lesson's `src/` in the template from the reference, with the regions of
/// stages after `filled` as TODOs. Returns how many TODOs.
pub fn write_sources(repo: &Path, hw: &Homework, out: &Path, filled: u32) -> Result<usize, String> {
    let src = homework::lesson_dir(repo, &hw.lesson).join("src");
    let mut todos = 0;
    for file in walk(&src)? {
        let rel = file.strip_prefix(&src).map_err(|e| e.to_string())?;
        let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let (mut stripped, n) = homework::strip(&text, hw, filled);
        if rel == Path::new("main.rs") {
            stripped = homework::with_header(&stripped, hw);
        }
        todos += n;
        let dst = out.join(&hw.lesson).join("src").join(rel);
        // Only when it changed: an unchanged file keeps its time, and cargo its build.
        if fs::read_to_string(&dst).ok().as_deref() != Some(stripped.as_str()) {
            fs::write(&dst, stripped).map_err(|e| e.to_string())?;
        }
    }
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

/// The workflow's script that puts every file outside `<lesson>/src/` back as the template has
/// it: the template is the repository's first commit (GitHub makes a student's repository from
/// the template in one commit). Files the template does not have are removed.
fn restore_script(lesson: &str) -> String {
    format!(
        r#"set -euo pipefail
root=$(git rev-list --max-parents=0 HEAD | tail -n 1)
{{ git -c core.quotepath=off diff --name-only --no-renames "$root" -- . ':(exclude){lesson}/src'
  git -c core.quotepath=off ls-files --others -- . ':(exclude){lesson}/src' ':(exclude)target'
}} | sort -u | while IFS= read -r f; do
  [ -n "$f" ] || continue
  if git cat-file -e "$root:$f" 2>/dev/null; then
    echo "恢复成模板里的样子：$f"
    git checkout -q "$root" -- "$f"
  else
    echo "删除模板里没有的文件：$f"
    rm -f -- "$f"
  fi
done
"#
    )
}

fn classroom(hw: &Homework) -> String {
    let lesson = &hw.lesson;
    let mut y = String::from(
        "name: Autograding Tests\n\"on\":\n  push:\n  repository_dispatch:\npermissions:\n  checks: write\n  actions: read\n  contents: read\njobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    if: github.actor != 'github-classroom[bot]'\n    steps:\n      - name: Checkout code\n        uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n",
    );
    // The dependencies and the build, kept between pushes (keyed by the lock file, which the
    // student does not change).
    y += "      - name: Cache cargo\n        uses: actions/cache@v4\n        with:\n          path: |\n            ~/.cargo/registry/index\n            ~/.cargo/registry/cache\n            target\n          key: cargo-${{ runner.os }}-${{ hashFiles('Cargo.lock') }}\n";
    // Only src/ is the student's: everything else is put back as the template has it, before
    // the build and again before each test (the student's program could change files while
    // an earlier test runs). The script is kept in .git/, which no commit can carry.
    y += "      - name: 评分文件恢复成模板里的样子（只有 src/ 是学生的）\n        shell: bash\n        run: |\n          cat > .git/restore-graded.sh <<'SCRIPT'\n";
    for line in restore_script(lesson).lines() {
        y += &format!("          {line}\n");
    }
    y += "          SCRIPT\n          bash .git/restore-graded.sh\n";
    // A build.rs or a huge dependency must not hold a runner for its six hours.
    y += "      - name: Build the tests\n        continue-on-error: true\n        timeout-minutes: 15\n        run: cargo test --no-run --test grade\n";
    for t in &hw.tests {
        y += &format!(
            "      - name: {test}\n        id: {id}\n        uses: classroom-resources/autograding-command-grader@v1\n        with:\n          test-name: {test}\n          setup-command: bash .git/restore-graded.sh\n          command: cargo test -q --test grade -- --exact {test}\n          timeout: 5\n          max-score: {points}\n",
            test = t.name,
            points = t.points,
            id = step_id(&t.name)
        );
    }
    y += "      - name: Autograding Reporter\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n";
    for t in &hw.tests {
        let id = step_id(&t.name);
        y += &format!(
            "          {}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n",
            id.to_uppercase()
        );
    }
    let ids: Vec<String> = hw.tests.iter().map(|t| step_id(&t.name)).collect();
    y += &format!("        with:\n          runners: {}\n", ids.join(","));
    y
}

/// Where each region is: `hw_serve` → `tcp_server/src/main.rs`.
fn file_of<'a>(regions: &'a [(String, String)], id: &str) -> &'a str {
    regions
        .iter()
        .find(|(r, _)| r == id)
        .map_or("", |(_, f)| f.as_str())
}

fn readme(hw: &Homework, regions: &[(String, String)]) -> String {
    let lesson = &hw.lesson;
    let total = hw.total();
    let mut r = format!(
        "# 作业：{lesson}\n\n\
         **难度**：{}　**预计用时**：{}　**满分**：{total}\n\n\
         这是 net-lessons 的 `{lesson}` 一课，程序的核心部分留给你来写（English: README.en.md）。\
         先从头读 `{lesson}/src/main.rs`：开头的 `//!` 注释说明这个程序做什么、对应讲义的哪一部分、\
         哪些地方比讲义里的代码做得更仔细。每个 `todo!()` 都要换成你写的代码。\n\n\
         ## 一关一关来\n\n\
         第 k 关的测试只需要第 1 到 k 关的 TODO：写完一关，就测一关，通过了再写下一关。\n",
        hw.difficulty, hw.time
    );
    for stage in 1..=hw.last_stage() {
        let points: u32 = hw
            .tests
            .iter()
            .filter(|t| t.stage == stage)
            .map(|t| t.points)
            .sum();
        r += &format!("\n### 第 {stage} 关（{points} 分）\n\n");
        let todos: Vec<_> = hw.todos.iter().filter(|t| t.stage == stage).collect();
        if todos.is_empty() {
            r += "这一关没有新的 TODO：前面写好的代码要经得起更多的情况。\n";
        }
        for t in todos {
            r += &format!(
                "- **`TODO({})`**（`{}`）：{}\n",
                t.id,
                file_of(regions, &t.id),
                t.hint
            );
        }
        r += "\n";
        for t in hw.tests.iter().filter(|t| t.stage == stage) {
            let about = if t.about.is_empty() {
                String::new()
            } else {
                format!("：{}", t.about)
            };
            r += &format!("- 测试 `{}`（{} 分）{about}\n", t.name, t.points);
        }
    }
    r += &format!(
        "\n## 运行\n\n```sh\ncargo run -p {lesson} -- --help\n```\n\n\
         ## 测试\n\n\
         `{lesson}/tests/grade.rs` 里的测试在 127.0.0.1 上扮演另一方（客户端或服务器），比较收发的内容。\
         测试失败时，日志会写出发送了什么、期望什么、实际收到了什么，还有你的程序最后在 stderr 上打印的几行\
         （比如 `todo!()` 的提示：还没写的是哪个函数）。\n\n\
         ```sh\ncargo test step1           # 只测第 1 关\ncargo test --test grade    # 全部评分测试\n```\n\n\
         ### 在 Windows 上\n\n\
         在 PowerShell 或“命令提示符”里，命令完全一样（先安装 Rust：<https://rustup.rs>）：\n\n\
         ```powershell\ncd 作业的文件夹\ncargo test step1\ncargo run -p {lesson} -- --help\n```\n\n\
         第一次运行要下载并编译依赖，需要联网，也要等一会儿。Windows 防火墙如果弹窗询问，\
         选“允许”即可：测试只用本机地址 127.0.0.1。\n\n\
         ## 评分\n\n| 测试 | 分数 | 检查什么 |\n|---|---|---|\n"
    );
    for t in &hw.tests {
        r += &format!("| `{}` | {} | {} |\n", t.name, t.points, t.about);
    }
    r += &format!(
        "| **总分** | **{total}** | |\n\n\
         每次 `git push`，GitHub 都会运行同样的测试（`.github/workflows/classroom.yml`），报告 `Points X/{total}`：\
         这是给你的快速反馈。老师最后在自己的机器上重新评分，以那次为准。\
         **评分只用 `{lesson}/src/` 里的代码**：测试、`netcommon/`、`lesson_testing/`、`Cargo.toml`、`Cargo.lock` 等其他文件，\
         评分时都换回模板里的样子，你改了也不起作用（老师会看到改了哪些）。\
         评分测试的输入（消息、单词、文件名、密码）每次随机生成：程序要真的按协议工作，不能只对付例子里的输入。\
         测试失败时日志开头有随机种子，用 `NET_LESSONS_SEED=种子 cargo test 测试名` 可以重现同一次运行。\n\n\
         提交前：运行 `cargo clippy --all-targets -- -D warnings`，并删掉写完的文件开头的 `#![allow(unused)]` 那一行。\n"
    );
    r
}

fn readme_en(hw: &Homework, regions: &[(String, String)]) -> String {
    let lesson = &hw.lesson;
    let total = hw.total();
    let mut r = format!(
        "# Homework: {lesson}\n\n\
         This is the `{lesson}` lesson of net-lessons with its core left for you to write. \
         README.md (in Chinese) has the hints for each TODO; they are also in the `TODO` comments \
         in the source. Read `{lesson}/src/main.rs` from the top first.\n\n\
         ## Stages\n\nStage k's tests need only the TODOs of stages 1 to k: write one stage, test it, go on.\n\n\
         | stage | TODOs | tests (points) |\n|---|---|---|\n"
    );
    for stage in 1..=hw.last_stage() {
        let todos: Vec<String> = hw
            .todos
            .iter()
            .filter(|t| t.stage == stage)
            .map(|t| format!("`{}` ({})", t.id, file_of(regions, &t.id)))
            .collect();
        let tests: Vec<String> = hw
            .tests
            .iter()
            .filter(|t| t.stage == stage)
            .map(|t| format!("`{}` ({})", t.name, t.points))
            .collect();
        r += &format!(
            "| {stage} | {} | {} |\n",
            todos.join(", "),
            tests.join(", ")
        );
    }
    r += &format!(
        "\nTotal: {total} points.\n\n## Run and test (Linux, macOS, and Windows PowerShell alike)\n\n\
         ```sh\ncargo run -p {lesson} -- --help\ncargo test step1           # one stage\ncargo test --test grade    # every graded test\n```\n\n\
         Each push runs the same tests on GitHub (`.github/workflows/classroom.yml`) and reports \
         `Points X/{total}`: quick feedback; your teacher grades again on their own machine, and \
         that grade counts. Only `{lesson}/src/` is graded: every other file (the tests, \
         `netcommon/`, `lesson_testing/`, the manifests, the lock) is put back as the template has it. The graded \
         tests draw their inputs at random; a failing test prints its seed, and \
         `NET_LESSONS_SEED=SEED cargo test NAME` replays it. Before you push: `cargo clippy --all-targets -- -D warnings`, and delete \
         the `#![allow(unused)]` line at the top of the files you finished.\n"
    );
    r
}
