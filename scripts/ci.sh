#!/usr/bin/env bash
# The one CI entry point. `.ci/run` (after installing what a fresh machine lacks) and every job of
# .github/workflows/ci.yml run this script; so does a maintainer before pushing. What runs depends
# on the platform:
#
#   every OS   cargo fmt --check, clippy -D warnings, cargo test --workspace (scripts/check.sh)
#   Linux      also: the workflows (actionlint), clippy for Windows and macOS (type-checked from
#              Linux), the homework templates, the docs' pages and their commands, http_static
#              in a real browser, the book in headless Chromium, and the hostile clients of
#              scripts/torture.sh --short
#
# The Linux-only checks read /proc, use strace, mkfifo and bubblewrap, or drive Chromium; each
# script installs what it needs (apt-get, npm, cargo install) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The interop tests with the notes' Python programs, and http_static's curl tests, must run in
# CI, never skip.
export NET_LESSONS_REQUIRE_PYTHON=1
export NET_LESSONS_REQUIRE_CURL=1

started=$SECONDS
step() { echo; echo "== [$((SECONDS - started)) s] $*"; }

os=$(uname -s)
if [ "$os" = Linux ]; then
  step "lint the GitHub workflows"
  bash scripts/lint-workflows.sh
fi

step "fmt, clippy, the tests"
bash scripts/check.sh

if [ "$os" != Linux ]; then
  echo "ci: on $os only the checks above run (the others need Linux)"
  exit 0
fi

step "clippy for Windows and macOS, from Linux"
bash scripts/check-other-platforms.sh

step "homework templates"
bash scripts/check-homework.sh

step "docs: notes map, lesson pages, checked commands"
bash scripts/check-docs.sh
python3 scripts/check_python_copies.py

step "http_static in a real browser"
bash scripts/browser-check.sh

step "the course as a book, checked in headless Chromium"
bash scripts/check-book.sh

step "torture, short form: hostile clients against every server"
bash scripts/torture.sh --short

step "done: every check passed"
