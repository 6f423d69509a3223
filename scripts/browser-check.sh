#!/usr/bin/env bash
# The browser check of the http_static lesson: loads the sample site in headless
# Chromium, checks that the page rendered (its <title> is in the DOM) and that the browser fetched
# the stylesheet and the image with 200 (http_static's access log), and saves a screenshot to
# target/browser-check.png. Exits non-zero on any failure.
#
# Installs Debian's chromium (and a CJK font, so the Chinese page is readable in the screenshot)
# with apt-get when they are missing: run it as root on a fresh machine, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."

TITLE='<title>http_static 主页访问</title>'
SHOT="$PWD/target/browser-check.png"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo # a GitHub runner: not root, sudo without a password
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== cargo build -p http_static"
cargo build -q -p http_static

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "browser-check: FAILED: $*" >&2
  for f in "$work"/*.log "$work"/*.err; do
    [ -s "$f" ] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}

# The sample site (the default root) on a port the system picks; read it from the first line.
target/debug/http_static --bind 127.0.0.1:0 >"$work/server.log" 2>"$work/server.err" &
server=$!
addr=""
for _ in $(seq 100); do
  addr=$(sed -n '1s/^listening on //p' "$work/server.log")
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || fail "http_static exited"
  sleep 0.1
done
[ -n "$addr" ] || fail "no 'listening on' line from http_static"
url="http://$addr/"
echo "== http_static is serving the sample site on $url"

# A fresh profile for each run, so nothing comes from the browser's cache (that would be a 304).
chromium_run() {
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --disable-quic --no-first-run \
    --user-data-dir="$(mktemp -d -p "$work")" "$@"
}

echo "== chromium --screenshot"
chromium_run --window-size=1000,900 --hide-scrollbars --screenshot="$SHOT" "$url" \
  >"$work/shot.log" 2>"$work/shot.err" || fail "chromium --screenshot failed"
[ -s "$SHOT" ] || fail "no screenshot at $SHOT"

echo "== chromium --dump-dom"
chromium_run --dump-dom "$url" >"$work/dom.html" 2>"$work/dom.err" || fail "chromium --dump-dom failed"
grep -qF "$TITLE" "$work/dom.html" || fail "the DOM has no $TITLE"

for path in / /style.css /logo.svg; do
  grep -qF "\"GET $path HTTP/1.1\" 200 " "$work/server.log" || fail "no 'GET $path ... 200' in the access log"
done

echo "-- access log:"
grep -F '"GET ' "$work/server.log"
echo "browser-check: OK: the page rendered ($TITLE in the DOM), style.css and logo.svg fetched with 200; screenshot $SHOT"
