#!/usr/bin/env bash
# The checks CI runs, and that you can run before you push:
# formatting, clippy with warnings as errors, and the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --all --check"
cargo fmt --all --check

echo "== cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test --workspace"
cargo test --workspace
