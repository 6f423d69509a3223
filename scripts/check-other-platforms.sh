#!/usr/bin/env bash
# clippy -D warnings for Windows and macOS, run from Linux. Code that only one platform compiles
# (#[cfg(unix)], target_os = "linux") must leave nothing unused on the others, or the GitHub
# workflow's Windows and macOS jobs fail where only Linux runs the checks. This type-checks every
# crate, test and example for both targets; nothing is linked or run.
#
#   bash scripts/check-other-platforms.sh
#
# Needs rustup: it adds the two targets' standard libraries (rustup target add, about 30 MB each)
# when they are missing. Without rustup, or when a target cannot be added (no network), it says
# so and checks what it can.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(x86_64-pc-windows-gnu x86_64-apple-darwin)
if ! command -v rustup >/dev/null; then
  echo "other platforms: no rustup here, so no other targets: skipped"
  exit 0
fi
checked=0
for target in "${TARGETS[@]}"; do
  if ! rustup target list --installed | grep -qx "$target"; then
    if ! rustup target add "$target" >/dev/null 2>&1; then
      echo "other platforms: could not add $target (no network?): skipped"
      continue
    fi
  fi
  cargo clippy --quiet --workspace --all-targets --target "$target" -- -D warnings
  echo "other platforms: $target: clippy -D warnings clean"
  checked=$((checked + 1))
done
echo "other platforms: $checked of ${#TARGETS[@]} targets checked"
