#!/usr/bin/env bash
# Transfer benchmarks, in one run, loopback only:
#  1. a large file over loopback: file_downloader vs the notes' Python server+client vs socat,
#     with throughput, the CPU time server and client need per GiB (user + system, from
#     /usr/bin/time: the stable figure on a shared machine, where MiB/s swings with whatever else
#     runs), and the server's peak RSS;
#  2. tcp_multi_server vs the notes' Python ThreadingTCPServer: CLIENTS concurrent clients
#     doing ROUNDS round trips each; round trips per second and errors.
# Each is run BENCH_REPEAT times; the table shows the median and the best run, and how noisy the
# runs were (the spread of MiB/s as min-max and as a coefficient of variation; loopback figures on
# a small shared machine vary from run to run by a factor of two or more), and the load average
# before and after.
# Every process the script starts is stopped by its PID (never by name), also on Ctrl-C.
# Settings (environment): BENCH_FILE_MIB (default 1024), BENCH_CLIENTS (1000), BENCH_ROUNDS (100),
# BENCH_REPEAT (3).
set -euo pipefail
cd "$(dirname "$0")/.."

FILE_MIB=${BENCH_FILE_MIB:-1024}
CLIENTS=${BENCH_CLIENTS:-1000}
ROUNDS=${BENCH_ROUNDS:-100}
REPEAT=${BENCH_REPEAT:-3}

need=()
command -v socat >/dev/null || need+=(socat)
command -v ss >/dev/null || need+=(iproute2)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
ulimit -n 16384 2>/dev/null || true

cargo build -q --release -p file_downloader -p tcp_multi_server --bins --example load
FD=$PWD/target/release/file_downloader
MULTI=$PWD/target/release/tcp_multi_server
LOAD=$PWD/target/release/examples/load
PY_NOTES=$PWD/python/notes

# A RAM disk keeps the disk out of the measurement: every contender reads and writes memory.
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/net-lessons-bench.XXXXXX")
pids=()
# children PID: the processes PID started (the server under /usr/bin/time).
children() { cat /proc/"$1"/task/*/children 2>/dev/null || true; }
# stop PID: SIGTERM (a background job ignores SIGINT) to PID's children if it has any (the
# server under /usr/bin/time, which then writes its figures and exits), else to PID; then wait.
stop() {
  local kids
  kids=$(children "$1")
  if [ -n "$kids" ]; then
    for c in $kids; do kill "$c" 2>/dev/null || true; done
  else
    kill "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local p
  for p in "${pids[@]}"; do
    for c in $(children "$p"); do kill "$c" 2>/dev/null || true; done
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits (bounded) until something listens on 127.0.0.1:$1, without connecting to it (socat
# serves one connection only).
wait_port() {
  for _ in $(seq 1 200); do
    [ -n "$(ss -Htln "sport = :$1")" ] && return 0
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  return 1
}
now() { date +%s.%N; }
# median_best V1 V2 ...: "median M, best B" of numbers.
median_best() { python3 -c "import sys,statistics as s; v=[float(x) for x in sys.argv[1:]]; print(f'median {s.median(v):8.0f}, best {max(v):8.0f}')" "$@"; }
# noise V1 V2 ...: how far apart the runs were: "min-max, CV N%" (standard deviation / mean).
noise() { python3 -c "import sys,statistics as s; v=[float(x) for x in sys.argv[1:]]; cv=100*s.pstdev(v)/s.mean(v) if s.mean(v) else 0; print(f'runs {min(v):.0f}-{max(v):.0f}, CV {cv:3.0f}%')" "$@"; }
# median V1 V2 ...
median() { python3 -c "import sys,statistics as s; print(f'{s.median([float(x) for x in sys.argv[1:]]):5.2f}')" "$@"; }
load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }

mkdir -p "$work/root" "$work/out"
echo "making a ${FILE_MIB} MiB file of random bytes in $work ..."
head -c "$((FILE_MIB * 1024 * 1024))" /dev/urandom > "$work/root/big.bin"
bytes=$(stat -c %s "$work/root/big.bin")

results=()
# run_transfer LABEL SERVER_CMD CLIENT_CMD: REPEAT runs. Server and client run under
# /usr/bin/time for the CPU time they used (user + system) and the server's peak RSS.
gib=$(python3 -c "print($bytes / 2**30)")
run_transfer() {
  local label=$1 server_cmd=$2 client_cmd=$3 port t0 t1 rss=0 r u sy rates=() scpu=() ccpu=() ok=ok
  for _ in $(seq 1 "$REPEAT"); do
    port=$(free_port)
    rm -f "$work/out/big.bin" "$work/time.txt" "$work/ctime.txt"
    (cd "$work/root" && exec /usr/bin/time -f "%M %U %S" -o "$work/time.txt" bash -c "exec ${server_cmd//PORT/$port}" >/dev/null 2>&1) &
    local spid=$!
    pids+=("$spid")
    wait_port "$port"
    t0=$(now)
    (cd "$work/out" && /usr/bin/time -f "%M %U %S" -o "$work/ctime.txt" bash -c "${client_cmd//PORT/$port}" >/dev/null 2>&1) || true
    t1=$(now)
    # Stop the server we started (socat has already exited after its one connection), by PID.
    stop "$spid"
    read -r r u sy < <(grep -E '^[0-9]+ ' "$work/time.txt" | tail -1) || true
    [ "${r:-0}" -gt "$rss" ] && rss=$r
    scpu+=("$(python3 -c "print((${u:-0} + ${sy:-0}) / $gib)")")
    read -r r u sy < <(grep -E '^[0-9]+ ' "$work/ctime.txt" | tail -1) || true
    ccpu+=("$(python3 -c "print((${u:-0} + ${sy:-0}) / $gib)")")
    cmp -s "$work/root/big.bin" "$work/out/big.bin" || ok=CORRUPT
    rates+=("$(python3 -c "print($bytes/1048576/($t1-$t0))")")
  done
  results+=("$(printf '%-46s MiB/s %s (%s)   CPU s/GiB server %s client %s   server peak RSS %6s KiB  %s' \
    "$label" "$(median_best "${rates[@]}")" "$(noise "${rates[@]}")" "$(median "${scpu[@]}")" "$(median "${ccpu[@]}")" "$rss" "$ok")")
  echo "${results[-1]}"
}

load_before=$(load)
echo "load average before: $load_before"
echo
echo "== 1. ${FILE_MIB} MiB over loopback (client writes to $base)"
run_transfer "file_downloader (256 KiB buffer)" \
  "$FD server --bind 127.0.0.1:PORT --root ." \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
run_transfer "file_downloader --buffer-size 1048576" \
  "$FD server --bind 127.0.0.1:PORT --root . --buffer-size 1048576" \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
run_transfer "file_downloader --buffer-size 65536" \
  "$FD server --bind 127.0.0.1:PORT --root . --buffer-size 65536" \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
run_transfer "file_downloader --buffer-size 8192 (io::copy)" \
  "$FD server --bind 127.0.0.1:PORT --root . --buffer-size 8192" \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
run_transfer "notes' Python server_000 + client_000" \
  "python3 $PY_NOTES/000_file_server.py PORT" \
  "printf 'big.bin\n' | python3 $PY_NOTES/000_file_client.py PORT ."
run_transfer "socat -> socat (baseline)" \
  "socat -u FILE:big.bin TCP-LISTEN:PORT,reuseaddr,bind=127.0.0.1" \
  "socat -u TCP:127.0.0.1:PORT CREATE:big.bin"

echo
echo "== 1b. the server's buffer when the machine is busy (one CPU hog per core)"
hogs=()
for _ in $(seq 1 "$(nproc)"); do
  yes >/dev/null &
  hogs+=("$!")
  pids+=("$!")
done
run_transfer "busy: file_downloader (256 KiB buffer)" \
  "$FD server --bind 127.0.0.1:PORT --root ." \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
run_transfer "busy: file_downloader --buffer-size 8192" \
  "$FD server --bind 127.0.0.1:PORT --root . --buffer-size 8192" \
  "$FD client 127.0.0.1:PORT big.bin --out big.bin"
for h in "${hogs[@]}"; do stop "$h"; done

echo
echo "== 2. $CLIENTS clients x $ROUNDS round trips"
# run_load LABEL SERVER_CMD: REPEAT runs, each against a fresh server (the notes' handler never
# returns after a clean close: its threads spin on recv() == b'' and would slow the next run).
run_load() {
  local label=$1 server_cmd=$2 port out rates=() errors=0
  for _ in $(seq 1 "$REPEAT"); do
    port=$(free_port)
    bash -c "exec ${server_cmd//PORT/$port}" >/dev/null 2>&1 &
    local spid=$!
    pids+=("$spid")
    wait_port "$port"
    out=$("$LOAD" "127.0.0.1:$port" "$CLIENTS" "$ROUNDS")
    stop "$spid"
    echo "  $label: $out"
    rates+=("$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$out")")
    errors=$((errors + $(sed -n 's/.* errors=\([0-9]*\) .*/\1/p' <<<"$out")))
  done
  results+=("$(printf '%-46s round trips/s %s (%s)   errors %s' "$label" "$(median_best "${rates[@]}")" "$(noise "${rates[@]}")" "$errors")")
  echo "${results[-1]}"
}
run_load "tcp_multi_server" "$MULTI --bind 127.0.0.1:PORT --max-clients $((CLIENTS + 24))"
run_load "notes' Python ThreadingTCPServer" "python3 $PY_NOTES/003_socketserver_server.py PORT"

echo
echo "== summary ($(nproc) cores, $(uname -sr); load average before: $load_before, after: $(load))"
printf '%s\n' "${results[@]}"
