#!/usr/bin/env bash
# The homework checks. For every lesson with a homework.txt (cargo xtask check-homework): markers
# balanced and declared, the template builds with clippy -D warnings, every graded test fails on
# it quickly, also with the tests edited to return at once (grading puts the reference tests
# back), each stage passes with only its own and earlier TODOs written, and all of them pass with
# every TODO written. Then grade-class on a sample class, and actionlint on a generated workflow.
set -euo pipefail
cd "$(dirname "$0")/.."
# Templates are separate workspaces: one shared target folder builds their dependencies once.
export CARGO_TARGET_DIR="$PWD/target/homework"
started=$SECONDS
cargo xtask check-homework "$@"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# A class of three for udp_chat: one untouched, one half done (stage 1 of 2: receiving, which
# the live mode of step 4 also needs), one finished.
lesson=udp_chat
cargo xtask homework "$lesson" --out "$out/class/a-untouched" >/dev/null
cargo xtask homework "$lesson" --out "$out/class/b-half" --stage 1 >/dev/null
cargo xtask homework "$lesson" --out "$out/class/c-done" --stage 2 >/dev/null
# The untouched student also made every test return at once: grading ignores that.
sed -i 's/^fn step\(.*\) {$/fn step\1 {\n    return;/' "$out/class/a-untouched/$lesson/tests/grade.rs"
cargo xtask grade-class "$out/class" --csv "$out/grades.csv" >"$out/class.log" 2>&1 || {
  cat "$out/class.log"
  exit 1
}
expected=$(printf '\xef\xbb\xbf'; printf '%s\n' \
  "学生,课程,step1_receives_with_choice_2,step2_sends_with_choice_1,step3_a_bad_port_brings_the_menu_back,step4_live_mode_prints_as_messages_arrive,总分,编译" \
  "a-untouched,udp_chat,0,0,0,0,0,成功" \
  "b-half,udp_chat,30,0,0,25,55,成功" \
  "c-done,udp_chat,30,30,15,25,100,成功")
if [ "$(cat "$out/grades.csv")" != "$expected" ]; then
  echo "grade-class: unexpected CSV:"
  cat "$out/grades.csv"
  echo "expected:"
  echo "$expected"
  exit 1
fi
echo "grade-class: ok: the CSV of a class of three (untouched with edited tests, half done, done) is as expected"

# The GitHub Classroom workflow every template carries, linted like our own.
cargo xtask homework tcp_server --out "$out/template" >/dev/null
bash scripts/lint-workflows.sh "$out/template/.github/workflows/classroom.yml"
# Its integrity step, run here: the untouched template passes; an edited test makes every
# graded test a compile error that says why.
step=$(awk '/shell: bash/{f=1; next} f && /run: \|/{r=1; next} r && /^      - name:/{exit} r{sub(/^          /,""); print}' \
  "$out/template/.github/workflows/classroom.yml")
(cd "$out/template" && bash -c "$step") | grep -q "评分文件和模板一致"
echo "// edited" >>"$out/template/tcp_server/tests/grade.rs"
(cd "$out/template" && bash -c "$step") >/dev/null 2>&1
grep -q '^compile_error!("评分用的文件和作业模板里的不一样' "$out/template/tcp_server/tests/grade.rs"
echo "classroom workflow: ok: the checksum step passes on the template and zeroes an edited one"
echo "check-homework: $((SECONDS - started)) s"
