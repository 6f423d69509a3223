#!/usr/bin/env bash
# The docs check CI runs: the notes are all mapped in docs/README.md, every lesson page has its
# parts, every step table names regions of the code that exist (`// ANCHOR: name` lines, shown
# on the page with mdBook's {{#include}}), and every command a page marks with
# `<!-- check: ... -->` prints, on loopback, what the page shows. Details: check_docs.py.
#
#   bash scripts/check-docs.sh            check everything (builds the lessons first)
#   bash scripts/check-docs.sh --no-run   only the quick checks 1 to 3
#   bash scripts/check-docs.sh --only 05  run only the blocks of pages whose path has "05"
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "check-docs: python3 is needed" >&2; exit 1; }
exec python3 scripts/check_docs.py "$@"
