#!/usr/bin/env bash
# The book check CI runs: builds the course as an mdBook (cargo xtask book: target/book), then
# opens every page in headless Chromium (scripts/book-check.mjs): no broken link or anchor, every
# mermaid diagram rendered as an SVG, the search finds the notes' key terms (三次握手, 黏包, ...);
# screenshots of a lesson page and a concept page go to target/book-shots/.
#
# Installs what is missing: Debian's chromium and a CJK font (apt-get, as root), playwright-core
# from npm, and the book tools (cargo install, into the cache folder; the first time compiles for
# a few minutes). Works from any folder.
set -euo pipefail
cd "$(dirname "$0")/.."

PLAYWRIGHT=playwright-core@1.65.1
CACHE=${NET_LESSONS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/net-lessons/tools}
NODE_DIR="$CACHE/node"

# Debian's chromium here; a GitHub runner has Google Chrome.
if [ -z "${CHROMIUM:-}" ]; then
  for c in /usr/bin/chromium /usr/bin/google-chrome; do
    [ -x "$c" ] && { CHROMIUM=$c; break; }
  done
fi
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ] \
  || ! grep -q "\"version\": \"${PLAYWRIGHT#*@}\"" "$NODE_DIR/node_modules/playwright-core/package.json"; then
  echo "== npm install $PLAYWRIGHT"
  mkdir -p "$NODE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" "$PLAYWRIGHT" >/dev/null
fi

echo "== cargo xtask book"
started=$SECONDS
NET_LESSONS_TOOLS="$CACHE" cargo xtask book
echo "   built in $((SECONDS - started)) s"

echo "== every page in headless Chromium"
started=$SECONDS
node scripts/book-check.mjs target/book "$NODE_DIR/node_modules" target/book-shots
echo "   checked in $((SECONDS - started)) s"
