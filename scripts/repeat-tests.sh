#!/usr/bin/env bash
# Runs `cargo test --workspace` N times in a row, to catch flaky tests (a test that fails now
# and then, say once in five runs, because it races a peer's close or a timer).
#
#   bash scripts/repeat-tests.sh 20
#
# Builds the tests once first, then runs them quietly. Prints one line per run, then
# `N passed, M failed` (runs, not tests) on a line of its own, and exits 1 if any run failed.
# The full log of each failing run is kept in target/repeat-tests/run-K.log.
set -uo pipefail
cd "$(dirname "$0")/.."

usage="usage: bash scripts/repeat-tests.sh N   (N runs of cargo test --workspace, N >= 1)"
case "${1:-}" in
  -h | --help) echo "$usage"; exit 0 ;;
esac
if [ $# -ne 1 ] || ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: N must be a whole number from 1 up" >&2
  echo "$usage" >&2
  exit 2
fi
runs=$1
logs=target/repeat-tests
mkdir -p "$logs"
rm -f "$logs"/run-*.log

echo "building the tests once"
if ! cargo test --workspace --no-run --quiet >"$logs/build.log" 2>&1; then
  echo "error: the tests do not build, see $logs/build.log" >&2
  exit 1
fi

passed=0
failed=0
for ((k = 1; k <= runs; k++)); do
  log="$logs/run-$k.log"
  started=$SECONDS
  if cargo test --workspace --quiet >"$log" 2>&1; then
    passed=$((passed + 1))
    rm -f "$log"
    echo "run $k: passed ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1))
    echo "run $k: FAILED ($((SECONDS - started)) s), log kept in $log:"
    grep -E "^test .* FAILED$|^---- .* stdout ----$" "$log" | sed 's/^/    /' | head -20
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
