#!/usr/bin/env bash
# The homework checks. For every lesson with a homework.txt (cargo xtask check-homework): markers
# balanced and declared, the template builds with clippy -D warnings and its Cargo.lock stays as
# it is, every graded test fails on it quickly, also with the tests edited to return at once
# (grading uses only src/), each stage passes with only its own and earlier TODOs written, and
# all of them pass with every TODO written. Then the cheats (crates/xtask/tests/cheats.rs, too
# slow for cargo test), grade-class on a sample class of 30, a fresh template's git status after
# a build, and the Classroom workflow's restore step.
set -euo pipefail
cd "$(dirname "$0")/.."
# Templates are separate workspaces: one shared target folder builds their dependencies once.
export CARGO_TARGET_DIR="$PWD/target/homework"
started=$SECONDS
cargo xtask check-homework "$@"
if [ $# -gt 0 ]; then
  exit 0 # (only the lessons named: the rest is the same for every lesson)
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cheats_started=$SECONDS
cargo test -p xtask --test cheats -- --ignored >"$out/cheats.log" 2>&1 || {
  cat "$out/cheats.log"
  exit 1
}
echo "cheats: ok: $(grep -c '^test .* ok$' "$out/cheats.log") tests in $((SECONDS - cheats_started)) s: each cheat on a fresh template scores 0, no process outlives a grade, no build.rs runs, a flood is cut"

# A class of 30 for tcp_server: solved, untouched, edited tests, cheats, compile errors, a hang,
# a flood, another lesson's folder.
lesson=tcp_server
class="$out/class"
hw() { cargo xtask homework "$@" >/dev/null; }
for n in 01 02 03 04 05 06 07 08 09 10; do hw "$lesson" --out "$class/s$n-solved" --stage 1; done
for n in 01 02 03 04 05 06 07 08 09; do hw "$lesson" --out "$class/u$n-untouched"; done
for n in 01 02; do
  hw "$lesson" --out "$class/e$n-edited-tests"
  sed -i 's/^fn step\(.*\) {$/fn step\1 {\n    return;/' "$class/e$n-edited-tests/$lesson/tests/grade.rs"
done
hw "$lesson" --out "$class/c1-fake-target"
printf '\n[[test]]\nname = "grade"\npath = "tests/fake.rs"\nharness = false\n' >>"$class/c1-fake-target/$lesson/Cargo.toml"
echo 'fn main() {}' >"$class/c1-fake-target/$lesson/tests/fake.rs"
hw "$lesson" --out "$class/c2-build-rs"
printf 'fn main() {\n    let _ = std::fs::write("%s", "ran");\n}\n' "$out/build-rs-ran" >"$class/c2-build-rs/$lesson/build.rs"
hw "$lesson" --out "$class/c3-netcommon"
echo 'pub fn check(_: bool, _: &str) {}' >>"$class/c3-netcommon/netcommon/src/lib.rs"
hw "$lesson" --out "$class/c4-readme-only" --stage 1
echo "我的笔记" >>"$class/c4-readme-only/README.md"
for n in 1 2; do
  hw "$lesson" --out "$class/b$n-compile-error"
  echo 'fn broken( {' >>"$class/b$n-compile-error/$lesson/src/main.rs"
done
hw "$lesson" --out "$class/h1-hang"
printf 'fn main() {\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n' \
  >"$class/h1-hang/$lesson/src/main.rs"
hw "$lesson" --out "$class/f1-flood"
printf 'use std::io::Write;\n\nfn main() {\n    let chunk = [b%sx%s; 65536];\n    while std::io::stdout().write_all(&chunk).is_ok() {}\n}\n' "'" "'" \
  >"$class/f1-flood/$lesson/src/main.rs"
hw client_auth --out "$class/w1-other-lesson" --stage 3
[ "$(ls "$class" | wc -l)" = 30 ]

class_started=$SECONDS
cargo xtask grade-class "$class" --lesson "$lesson" --csv "$out/grades.csv" --time-limit 3 >"$out/class.log" 2>&1 || {
  cat "$out/class.log"
  exit 1
}
class_secs=$((SECONDS - class_started))
tail -n 3 "$out/class.log"
if [ -e "$out/build-rs-ran" ]; then
  echo "grade-class: a student's build.rs ran"
  exit 1
fi
# Student, total, status, changed files: one line each, compared with what they must be.
got=$(python3 - "$out/grades.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
for r in rows:
    print(r["学生"], r["总分"], r["状态"], r["src 以外改动的文件"], "有编译错误" if r["第一个编译错误"] else "", sep="|")
EOF
)
expected=$(
  for n in 01 02 03 04 05 06 07 08 09 10; do echo "s$n-solved|100|成功||"; done
  echo "c1-fake-target|0|改动了评分文件|$lesson/Cargo.toml; $lesson/tests/fake.rs|"
  echo "c2-build-rs|0|改动了评分文件|$lesson/build.rs|"
  echo "c3-netcommon|0|改动了评分文件|netcommon/src/lib.rs|"
  echo "c4-readme-only|100|成功|README.md|"
  for n in 1 2; do echo "b$n-compile-error|0|编译失败||有编译错误"; done
  for n in 01 02; do echo "e$n-edited-tests|0|改动了评分文件|$lesson/tests/grade.rs|"; done
  echo "f1-flood|0|超时||"
  echo "h1-hang|0|超时||"
  for n in 01 02 03 04 05 06 07 08 09; do echo "u$n-untouched|0|成功||"; done
  echo "w1-other-lesson|0|不是这门作业||"
)
if [ "$got" != "$(LC_ALL=C sort <<<"$expected")" ]; then
  echo "grade-class: unexpected CSV:"
  diff <(LC_ALL=C sort <<<"$expected") <(echo "$got") || true
  exit 1
fi
head -c 3 "$out/grades.csv" | cmp -s - <(printf '\xef\xbb\xbf') || {
  echo "grade-class: the CSV has no UTF-8 BOM"
  exit 1
}
echo "grade-class: ok: 30 folders (solved, untouched, edited tests, cheats, compile errors, a hang, a flood, another lesson) in ${class_secs} s, every status as expected"

# A fresh template, committed like a new repository, builds without changing a file.
cargo xtask homework tcp_server --out "$out/template" >/dev/null
(
  cd "$out/template"
  git init -q -b main && git add . && git -c user.name=t -c user.email=t@t commit -qm template
  cargo build -q --all-targets
  if [ -n "$(git status --porcelain)" ]; then
    echo "a build in a fresh template changed files:"
    git status --short
    exit 1
  fi
  # A student with backtraces on still sees the todo!() line in the failing test's log.
  log=$(RUST_BACKTRACE=1 cargo test -q --test grade step1 2>&1 || true)
  if ! grep -q "not yet implemented: hw_" <<<"$log"; then
    echo "with RUST_BACKTRACE=1 the log of a failing graded test lost the todo!() line"
    exit 1
  fi
)
echo "fresh template: ok: a build leaves git status clean (Cargo.lock as generated); with RUST_BACKTRACE=1 the log still shows the todo!() line"

# The GitHub Classroom workflow every template carries, linted like our own.
bash scripts/lint-workflows.sh "$out/template/.github/workflows/classroom.yml"
# Its restore step, run here on the committed template: files outside src/ come back as the
# template has them (and extra ones go), the student's src/ stays.
step=$(awk '/shell: bash/{f=1; next} f && /run: \|/{r=1; next} r && /^      - name:/{exit} r{sub(/^          /,""); print}' \
  "$out/template/.github/workflows/classroom.yml")
(
  cd "$out/template"
  echo "// edited" >>tcp_server/tests/grade.rs
  echo 'fn main() {}' >tcp_server/build.rs
  mkdir -p .cargo && echo '[build]' >.cargo/config.toml
  echo "// mine" >>tcp_server/src/main.rs
  git add -A && git -c user.name=s -c user.email=s@s commit -qm "student"
  echo 'fn main() {}' >netcommon/build.rs # (not even committed)
  bash -c "$step" >/dev/null
  git diff --quiet HEAD~1 -- tcp_server/tests .cargo
  [ ! -e tcp_server/build.rs ] && [ ! -e netcommon/build.rs ]
  tail -n 1 tcp_server/src/main.rs | grep -q '// mine'
  # Before each test the same script runs again: nothing left to restore.
  [ -z "$(bash .git/restore-graded.sh)" ]
)
echo "classroom workflow: ok: the restore step puts back every file outside src/ and keeps the student's src/"
echo "check-homework: $((SECONDS - started)) s"
