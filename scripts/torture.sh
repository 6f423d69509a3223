#!/usr/bin/env bash
# Runs hostile clients against our servers and, where one applies, against nginx and python's
# http.server, and prints one table: attack, our result, the reference's result.
# docs/robustness.md explains each attack and shows a measured table.
#
#   bash scripts/torture.sh            the full form: 5,000 idle and 5,000 trickling connections
#   bash scripts/torture.sh --short    CI's form: a few hundred connections, shorter waits, and
#                                      the references only where they are quick
#
# Exit status 0 when every one of our results is what SPEC asks for, else 1 with the list.
# Everything runs on 127.0.0.1, bounded in count and time. The script stops only the processes
# it started, by PID (also on Ctrl-C). The attack clients are in scripts/torture.py.
# Needs Linux (it reads /proc, uses mkfifo and timeout), bash, python3 and cargo. The full form
# installs nginx with apt-get when it is missing (as root); otherwise its rows say
# "not installed".
set -u

cd "$(dirname "$0")/.."
SHORT=0
case "${1:-}" in
  --short) SHORT=1 ;;
  "") ;;
  -h | --help) sed -n '2,15p' "$0" | cut -c3-; exit 0 ;;
  *) echo "usage: bash scripts/torture.sh [--short]" >&2; exit 2 ;;
esac
if [ "$(uname -s)" != Linux ]; then
  echo "skipped: scripts/torture.sh needs Linux (/proc, mkfifo, timeout)"
  exit 0
fi
# How many idle (and, separately, trickling) connections the flood rows open.
N=5000
# How long a real client waits behind an attacker at most (the goal is 1 s; tcp_server, one
# client at a time, lets go after its 3 s deadline), and how long a silent peer is given (the
# sticky_packet_demo client runs with a 5 s deadline).
WAIT=30
PEER_WAIT=30
if [ "$SHORT" = 1 ]; then
  N=300
  WAIT=10
  PEER_WAIT=15
fi
PY=python3
ATTACK="$PY scripts/torture.py"
BIN=target/debug

# Each connection is a file descriptor on both sides: raise the limit (as far as allowed).
ulimit -n $((2 * N + 1000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
echo "open files allowed: $(ulimit -n); N=$N" >&2

cargo build -q -p tcp_server -p tcp_multi_server -p udp_receiver -p file_downloader \
  -p client_auth -p sticky_packet_demo -p http_static || exit 1

TMP=$(mktemp -d)
chmod 755 "$TMP" # nginx's worker runs as nobody and must read the served folder
PIDS=()
# spawn OUT ERR COMMAND...: runs COMMAND in the background, stdout into OUT (a file or a fifo),
# stderr into ERR; sets PID. The PID is also written to $TMP/pids, so that a process started
# inside $(...), a subshell whose PIDS this script never sees, is stopped on Ctrl-C as well.
spawn() {
  local out=$1 err=$2
  shift 2
  "$@" >"$out" 2>"$err" </dev/null &
  PID=$!
  PIDS+=("$PID")
  echo "$PID" >>"$TMP/pids"
}
# stop PID: stops a process this script started, and forgets it (its number may be reused).
stop() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  sed -i "/^$1\$/d" "$TMP/pids"
}
# alive PID: still running (an exited child stays a zombie until it is waited for: gone).
alive() {
  $PY -c "import sys; sys.path.insert(0,'scripts'); import torture; sys.exit(0 if torture.alive('$1') else 1)"
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}" $(cat "$TMP/pids" 2>/dev/null); do
    kill "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# attack TITLE: the attack that the rows below are about (A), said on stderr as it starts.
attack() {
  A=$1
  echo "$A" >&2
}

# What is served: a small page and file, and a large file that no buffer holds.
mkdir -p "$TMP/root" "$TMP/out"
echo "<h1>hello</h1>" >"$TMP/root/index.html"
echo "hello file" >"$TMP/root/hello.txt"
$PY -c "open('$TMP/root/big.bin','wb').write(bytes(range(256))*(64*4096))" # 64 MiB

ROWS=()
BAD=()
# row ATTACK OUR_SERVER OUR_RESULT REFERENCE REFERENCE_RESULT
row() {
  ROWS+=("| $1 | $2 | $3 | $4 | $5 |")
  echo "  [${SECONDS}s] $2: $3${4:+  //  $4: $5}" >&2
  if ! as_intended "$3"; then
    BAD+=("$2: $1: $3")
  fi
}

# Is our result what SPEC asks for? Not when a real client was not served (or not within 1 s
# in the floods), a program panicked, exited, or still waits on a silent peer, a file was left
# behind, a HEAD got a body, or more than 5 log lines came in 3 s out of file descriptors.
as_intended() {
  local r=$1
  [ "$r" = "〃" ] && return 0
  echo "$r" | grep -qE 'NOT served|PANIC|panicked|still waiting|left:|still writing|body bytes|server gone|did not start' && return 1
  echo "$r" | grep -qE '^[0-4]/5 served|slowest [0-9]{4,} ms' && return 1
  echo "$r" | grep -qE '^[0-8]/10 served' && return 1
  echo "$r" | grep -qE '^[1-9][0-9]* of [0-9]+ responses had the outside|right ([0-9]|1[0-9])/20' && return 1
  echo "$r" | grep -qE '^([0-9]+)/([0-9]+) served in' && [ "$(echo "$r" | sed -E 's|^([0-9]+)/([0-9]+) .*|\1 \2|' | awk '{print ($1 != $2)}')" = 1 ] && return 1
  echo "$r" | grep -qE 'exited [1-9]' && return 1
  local lines
  lines=$(echo "$r" | sed -n 's/^\([0-9]*\) log lines.*/\1/p')
  [ -n "$lines" ] && [ "$lines" -gt 5 ] && return 1
  return 0
}

# start NAME COMMAND...: runs a server in the background, waits for its `listening on` line;
# sets PID and ADDR (empty when it did not start).
start() {
  local log="$TMP/$1.log"
  shift
  spawn "$log" "$log.err" "$@"
  ADDR=""
  for _ in $(seq 100); do
    ADDR=$(sed -n 's/^listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$log" 2>/dev/null | head -1)
    [ -n "$ADDR" ] && return 0
    alive "$PID" || break
    sleep 0.1
  done
  echo "did not start: $*" >&2
  return 1
}

free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
  $PY -c '
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$1"
}

# Our servers, by name: the command that starts each on a free loopback port.
our() {
  case "$1" in
    # one client at a time by design: a short idle deadline, so that a stuck client lets go soon
    tcp_server) echo "$BIN/tcp_server --bind 127.0.0.1:0 --echo --idle-timeout 3" ;;
    tcp_multi_server) echo "$BIN/tcp_multi_server --bind 127.0.0.1:0" ;;
    udp_receiver) echo "$BIN/udp_receiver --bind 127.0.0.1:0 --reply ok" ;;
    file_downloader) echo "$BIN/file_downloader server --bind 127.0.0.1:0 --root $TMP/root" ;;
    client_auth) echo "$BIN/client_auth server --bind 127.0.0.1:0 --secret s3cret" ;;
    sticky_packet_demo) echo "$BIN/sticky_packet_demo server --bind 127.0.0.1:0 hello world" ;;
    http_static) echo "$BIN/http_static --bind 127.0.0.1:0 --root $TMP/root" ;;
  esac
}
label() { # how a server is named in the table: with the options that matter
  case "$1" in
    tcp_server) echo "tcp_server --idle-timeout 3" ;;
    *) echo "$1" ;;
  esac
}
kind() {
  case "$1" in
    tcp_server | tcp_multi_server) echo echo ;;
    udp_receiver) echo udp ;;
    file_downloader) echo file:hello.txt ;;
    client_auth) echo auth:s3cret ;;
    sticky_packet_demo) echo sticky ;;
    *) echo http ;;
  esac
}

# The references, started the same way; set PID and ADDR.
NGINX=$(command -v nginx || true)
if [ -z "$NGINX" ] && [ "$SHORT" = 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing nginx-light" >&2
  { apt-get install -y nginx-light || { apt-get update && apt-get install -y nginx-light; } ||
    apt-get install -y nginx; } >/dev/null 2>&1
  NGINX=$(command -v nginx || true)
fi
start_nginx() {
  [ -n "$NGINX" ] || return 1
  local port
  port=$(free_port)
  mkdir -p "$TMP/nginx"
  cat >"$TMP/nginx/nginx.conf" <<EOF
# nginx's built-in defaults: one worker, 512 connections.
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server { listen 127.0.0.1:$port; root $TMP/root; }
}
EOF
  : >"$TMP/nginx/error.log"
  spawn /dev/null /dev/null \
    "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"
  ADDR="127.0.0.1:$port"
  wait_port "$port"
}
start_python_http() {
  local port
  port=$(free_port)
  spawn "$TMP/python.log" "$TMP/python.log.err" \
    $PY -u -m http.server --bind 127.0.0.1 --directory "$TMP/root" "$port"
  ADDR="127.0.0.1:$port"
  wait_port "$port"
}
NGINX_NAME="nginx $($NGINX -v 2>&1 | sed 's/.*nginx\///')"
[ -n "$NGINX" ] || NGINX_NAME="nginx"
PY_NAME="python3 -m http.server"
ref() { # ref nginx|python: starts it, or returns 1
  case "$1" in
    nginx) start_nginx ;;
    python) start_python_http ;;
  esac
}
ref_name() { [ "$1" = nginx ] && echo "$NGINX_NAME" || echo "$PY_NAME"; }
# ref_rows ATTACK SERVER RESULT CMD...: our server's row, beside each reference in turn (nginx,
# then python); CMD, a function, attacks the reference that ref has just started (PID, ADDR).
ref_rows() {
  local a=$1 server=$2 result=$3 r rr
  shift 3
  for r in nginx python; do
    if ref $r; then
      rr=$("$@")
      stop "$PID"
    else
      rr="not installed"
    fi
    row "$a" "$server" "$result" "$(ref_name $r)" "$rr"
    result="〃"
  done
}
# against NAME FN COMMAND...: starts COMMAND as start does (NAME names its log), runs FN, a
# function (with its words) that attacks ADDR and PID, and stops the server; prints FN's result,
# or "did not start".
against() {
  local name=$1 fn=$2
  shift 2
  if start "$name" "$@"; then
    $fn
    stop "$PID"
  else
    echo "did not start"
  fi
}
# our_row SERVER RESULT FN: our server's row in the table; for http_static (unless --short),
# beside the references, each attacked with FN.
our_row() {
  if [ "$1" = http_static ] && [ "$SHORT" = 0 ]; then
    ref_rows "$A" "$(label $1)" "$2" "$3"
  else
    row "$A" "$(label $1)" "$2" "—" ""
  fi
}

# --- 1. A client that sends and never reads, then a real client --------------------------------
attack_noread() { $ATTACK noread "$ADDR" "${1:-http}" "$PID" "$WAIT"; }
attack "sends, never reads (SO_RCVBUF 4096), then a real client"
for s in tcp_server tcp_multi_server file_downloader http_static; do
  result=$(against "$s-noread" "attack_noread $(kind $s)" $(our $s))
  our_row $s "$result" attack_noread
done

# --- 2. The reader of stdout goes away, then clients connect ------------------------------------
attack "stdout closed (server \\| head -1), then 2 clients (1 for sticky_packet_demo)"
# stdout_closed NAME KIND CLIENTS COMMAND...: the server writes into a fifo that head -1
# reads; then CLIENTS real clients (1 or 2) one after another.
stdout_closed() {
  local name=$1 kind=$2 clients=$3
  shift 3
  local fifo="$TMP/$name.fifo"
  mkfifo "$fifo"
  spawn "$fifo" "$TMP/$name.err" "$@"
  local pid=$PID
  head -1 <"$fifo" >"$TMP/$name.first" # returns after one line; the fifo's reader is gone
  local addr
  addr=$(sed -n 's/^listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$TMP/$name.first")
  if [ -z "$addr" ]; then
    addr=$(sed -n 's/.*port \([0-9]*\) .*/127.0.0.1:\1/p' "$TMP/$name.first") # python's line
  fi
  local a b=""
  a=$($ATTACK real "$addr" "$kind")
  [ "$clients" = 2 ] && b="; 2nd: $($ATTACK real "$addr" "$kind")"
  sleep 0.3
  local state="still running"
  if ! alive "$pid"; then
    wait "$pid" 2>/dev/null
    local code=$?
    state="exited $code"
    [ "$code" = 101 ] && state="PANIC (exit 101)"
  fi
  stop "$pid"
  grep -q panicked "$TMP/$name.err" && state="$state, panicked"
  echo "1st: $a$b; $state"
}
for s in tcp_server tcp_multi_server udp_receiver file_downloader client_auth sticky_packet_demo http_static; do
  clients=2
  [ "$s" = sticky_packet_demo ] && clients=1 # it serves one client, then exits 0
  result=$(stdout_closed "$s" "$(kind $s)" $clients $(our $s))
  if [ "$s" = http_static ]; then
    port=$(free_port)
    rr=$(stdout_closed python-stdout http 2 $PY -u -c "
import http.server, sys
sys.stderr = sys.stdout  # its request log goes to stdout too, so it meets the closed pipe
print('listening on 127.0.0.1:$port', flush=True)
http.server.ThreadingHTTPServer(('127.0.0.1', $port),
    lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory='$TMP/root')).serve_forever()")
    row "$A" "$(label $s)" "$result" "$PY_NAME (log on stdout)" "$rr"
  else
    row "$A" "$(label $s)" "$result" "—" ""
  fi
done

# --- 3. Silent connections queued before a real client ------------------------------------------
attack "3 silent connections, then a real client"
attack_silent() { $ATTACK silent 3 "$ADDR" auth:s3cret "$WAIT"; }
result=$(against client_auth-silent attack_silent $(our client_auth))
row "$A" client_auth "$result" "—" ""

# --- 4. N idle, or N trickling connections, then real clients -----------------------------------
# In the short form N is below the servers' default limits (sized from `ulimit -n`): give them a
# limit of N/3, so that making room for a newcomer is what gets tested.
limit() {
  [ "$SHORT" = 1 ] || return 0
  case "$1" in
    tcp_multi_server | file_downloader) echo "--max-clients $((N / 3))" ;;
    http_static) echo "--threads $((N / 3))" ;;
  esac
}
attack_flood() { $ATTACK flood "$mode" "$N" "$ADDR" "${1:-http}" "$PID"; }
for mode in idle trickle; do
  limited=""
  [ "$SHORT" = 1 ] && limited=", servers limited to $((N / 3))"
  attack "$N $mode connections, then 5 real clients (each within 1 s?)$limited"
  for s in tcp_multi_server file_downloader http_static; do
    result=$(against "$s-$mode" "attack_flood $(kind $s)" $(our $s) $(limit $s))
    our_row $s "$result" attack_flood
  done
done

# --- 5. sticky_packet_demo and a silent peer ----------------------------------------------------
attack "sticky_packet_demo and a silent peer ($PEER_WAIT s at most)"
# our client against a peer that accepts and never answers
client_waits() {
  local t0 msg code secs
  t0=$(date +%s.%N)
  msg=$(timeout "$PEER_WAIT" "$BIN/sticky_packet_demo" client "$ADDR" --framed --timeout 5 \
    2>&1 </dev/null)
  code=$?
  secs=$($PY -c "import time; print('%.1f' % ($(date +%s.%N) - $t0))")
  if [ "$code" = 124 ]; then
    echo "client still waiting after $PEER_WAIT s"
  else
    echo "client exit $code after $secs s: $(echo "$msg" | tail -1)"
  fi
}
result=$(against quiet client_waits $PY scripts/torture.py quiet-server)
row "$A" "sticky_packet_demo client --timeout 5" "$result" "—" ""
attack_hold() { $ATTACK hold "$ADDR" "$PID" "$PEER_WAIT"; }
result=$(against sticky-hold attack_hold $(our sticky_packet_demo))
row "$A" "sticky_packet_demo server" "$result" "—" ""

# --- 6. and 7. The file_downloader client: Ctrl-C, and a server that never stops ------------------
NOTES_CLIENT=python/notes/000_file_client.py
attack "file_downloader client: Ctrl-C mid-download"
rm -rf "$TMP/out"/* "$TMP/out"/.[!.]* 2>/dev/null
result=$($ATTACK ctrl-c "$BIN/file_downloader" "$TMP/out")
rm -rf "$TMP/out"/* "$TMP/out"/.[!.]* 2>/dev/null
rr=$($ATTACK ctrl-c "$BIN/file_downloader" "$TMP/out" "$NOTES_CLIENT")
rm -rf "$TMP/out"/* "$TMP/out"/.[!.]* 2>/dev/null
row "$A" "file_downloader client" "$result" "the notes' 000 client" "$rr"

attack "a server that sends without end (client --max-bytes 10000000)"
result=$($ATTACK endless "$BIN/file_downloader" "$TMP/out")
rr=$($ATTACK endless "$BIN/file_downloader" "$TMP/out" "$NOTES_CLIENT")
row "$A" "file_downloader client" "$result" "the notes' 000 client" "$rr"

# --- 8. HEAD answered with an error status ------------------------------------------------------
attack "HEAD /no-such-file: an error status, and no body"
attack_head() { $ATTACK head "$ADDR"; }
result=$(against http_static-head attack_head $(our http_static))
ref_rows "$A" http_static "$result" attack_head

# --- 9. Out of file descriptors -----------------------------------------------------------------
attack "out of file descriptors (limit 64, 300 connections held 3 s): accept-error log lines"
for s in tcp_multi_server file_downloader http_static; do
  attack_fds() { $ATTACK fds "$ADDR" "$1" "$TMP/$s-fds.log" accept; }
  result=$(against "$s-fds" "attack_fds $(kind $s)" bash -c "ulimit -n 64 && exec $(our $s)")
  if [ "$s" = http_static ] && [ "$SHORT" = 0 ]; then
    if [ -n "$NGINX" ]; then
      # In a subshell, so that only nginx gets the low limit; it says its PID and address
      # (and spawn has written the PID to $TMP/pids for the cleanup).
      (ulimit -n 64 && start_nginx && echo "$PID $ADDR" >"$TMP/nginx-fds") || true
      if [ -s "$TMP/nginx-fds" ]; then
        read -r pid addr <"$TMP/nginx-fds"
        rr=$($ATTACK fds "$addr" http "$TMP/nginx/error.log" accept)
        stop "$pid"
      else
        rr="did not start"
      fi
    else
      rr="not installed"
    fi
    row "$A" "$(label $s)" "$result" "$NGINX_NAME" "$rr"
  else
    row "$A" "$(label $s)" "$result" "—" ""
  fi
done

# --- 10. A flood of silent connections while real clients come -------------------------------
attack "500 new silent connections a second for 4 s, 10 real clients meanwhile (9 within 1 s?), servers limited to 200"
attack_silent_flood() { $ATTACK silent-flood 500 "$ADDR" "$1"; }
for s in tcp_multi_server file_downloader client_auth http_static; do
  lim="--max-clients 200"
  [ "$s" = http_static ] && lim="--threads 200"
  result=$(against "$s-silentflood" "attack_silent_flood $(kind $s)" $(our $s) $lim)
  row "$A" "$(label $s)" "$result" "—" ""
done

# --- 11. A folder swapped for a symlink out of the root while clients fetch --------------------
attack "a folder swapped with a symlink out of the root (renameat2 RENAME_EXCHANGE) while 2 clients fetch for 3 s"
attack_swap() { $ATTACK swap "$TMP/swap/root" "$TMP/swap/outside" "$ADDR" "$1"; }
for s in file_downloader http_static; do
  rm -rf "$TMP/swap" && mkdir -p "$TMP/swap/root" "$TMP/swap/outside"
  kind=http
  [ "$s" = file_downloader ] && kind=file # the attack names its own files
  result=$(against "$s-swap" "attack_swap $kind" $(our $s | sed "s|$TMP/root|$TMP/swap/root|"))
  row "$A" "$(label $s)" "$result" "—" ""
done

# --- 12. A stdout that nobody reads -------------------------------------------------------------
attack "stdout a pipe that nobody reads (a paused terminal), then many clients one after another"
# not_read NAME KIND N COMMAND...: the server's stdout is a fifo whose reader never reads.
not_read() {
  local name=$1 kind=$2 n=$3
  shift 3
  local fifo="$TMP/$name.unread" port
  mkfifo "$fifo"
  # The reader opens the fifo and never reads (spawn's </dev/null would come first).
  sleep 600 <"$fifo" &
  local reader=$!
  PIDS+=("$reader")
  echo "$reader" >>"$TMP/pids"
  port=$(free_port)
  spawn "$fifo" "$TMP/$name.err" "$@" --bind "127.0.0.1:$port"
  local pid=$PID
  if ! wait_port "$port"; then
    stop "$pid"; stop "$reader"
    echo "did not start"
    return
  fi
  local r
  r=$($ATTACK many "127.0.0.1:$port" "$kind" "$n")
  alive "$pid" && r="$r; still running" || r="$r; server gone"
  stop "$pid"
  stop "$reader"
  echo "$r"
}
result=$(not_read tcp_multi_server echo 8000 "$BIN/tcp_multi_server")
row "$A" "tcp_multi_server (3 log lines a client)" "$result" "—" ""
result=$(not_read http_static http 20000 "$BIN/http_static" --root "$TMP/root")
row "$A" "http_static (1 log line a request)" "$result" "—" ""

# --- The table ----------------------------------------------------------------------------------
echo
echo "| attack | our server | our result | reference | reference's result |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
if [ "${#BAD[@]}" -gt 0 ]; then
  echo "torture: ${#BAD[@]} of our results are not yet what SPEC asks for:"
  printf '  %s\n' "${BAD[@]}"
  exit 1
fi
echo "torture: all of our results are what SPEC asks for"
