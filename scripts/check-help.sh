#!/usr/bin/env bash
# Every binary and every example of the workspace answers `--help` the way SPEC says: its usage
# on stdout, exit 0. The programs are found by asking cargo what it built (nothing is listed by
# hand), and each is run with --help, stdin closed, and a deadline of 10 s.
# Prints one line per failure, then `N passed, M failed`; exits 1 when any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
    echo "check-help: python3 is needed to read cargo's JSON messages" >&2
    exit 2
fi

# cargo prints a JSON message per artifact; keep the executables of bin and example targets.
programs=$(cargo build --workspace --bins --examples --message-format=json-render-diagnostics \
    | "$python" -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") \
            and set(m["target"]["kind"]) & {"bin", "example"}:
        print(m["executable"])
' | sort -u)

if [ -z "$programs" ]; then
    echo "check-help: cargo built no binary and no example" >&2
    exit 2
fi

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

deadline() {
    if command -v timeout >/dev/null; then timeout 10 "$@"; else "$@"; fi
}

passed=0
failed=0
while IFS= read -r exe; do
    name=$(basename "$exe")
    code=0
    deadline "$exe" --help </dev/null >"$out" 2>"$err" || code=$?
    if [ "$code" -ne 0 ]; then
        echo "FAIL $name --help: exit $code: $(head -c 300 "$err")"
        failed=$((failed + 1))
    elif [ ! -s "$out" ]; then
        echo "FAIL $name --help: nothing on stdout"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done <<<"$programs"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
