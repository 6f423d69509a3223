#!/usr/bin/env bash
# The http_static benchmark: http_static against nginx (the reference), static-web-server (a fast
# Rust server, async) and python3 -m http.server (the notes' own server), on the same files, in
# one run, on 127.0.0.1 only.
#
# Two workloads: a 1 KiB file, and the sample site (index.html, style.css, logo.svg in turn,
# through a wrk Lua script), each at 50, 500 and 2,000 keep-alive connections, BENCH_SECONDS
# seconds per cell (default 4). The whole matrix runs BENCH_ROUNDS times (default 3), servers in
# turn, so that load from elsewhere on the machine hits every server alike; a cell shows the
# median round's requests/s, p99 and server CPU time per request, the errors of all rounds, and
# the server's peak RSS and thread count during the cell (sampled from /proc every 0.2 s, all of
# the server's processes). Then the ratios to nginx, and the goals.
#
# With BENCH_PIN=1 (the default, when taskset exists and there are 2 or more cores) every server
# runs on core 0 and wrk on core 1, so that the load generator never takes the server's CPU;
# nginx then runs one worker. BENCH_PIN=0 lets the scheduler place both.
#
# BENCH_SERVERS picks the contenders (default "http_static nginx static-web-server python"; nginx
# is the reference for the ratios). HTTP_STATIC_BEFORE=/path/to/an/older/http_static adds that
# binary as a fifth contender, "before", served and measured in turn with the others: a change
# is measured side by side with what it changes.
#
# Installs wrk and nginx (nginx-light) with apt-get when they are missing (as root, Debian or
# Ubuntu), and static-web-server with `cargo install --locked` into target/bench-tools when it is
# missing (several minutes on 2 cores; STATIC_WEB_SERVER=/path/to/binary uses another). Every
# process it starts is stopped by its PID at the end, also on Ctrl-C.
#
#   BENCH_SECONDS=4 BENCH_ROUNDS=3 BENCH_CONNECTIONS="50 500 2000" BENCH_PIN=1 bash scripts/bench-http.sh
#   BENCH_SERVERS="http_static nginx" HTTP_STATIC_BEFORE=/tmp/http_static bash scripts/bench-http.sh
#
# nginx runs with `access_log off`, while http_static writes its access log (SPEC), to /dev/null
# here. BENCH_NGINX_LOG=1 has nginx write one too (to /dev/null), to compare the same work.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${BENCH_SECONDS:-4}
CONNECTIONS=${BENCH_CONNECTIONS:-"50 500 2000"}
ROUNDS=${BENCH_ROUNDS:-3}
PIN=${BENCH_PIN:-1}
WANTED=" ${BENCH_SERVERS:-http_static nginx static-web-server python} "
BEFORE=${HTTP_STATIC_BEFORE:-}
want() { [[ $WANTED == *" $1 "* ]]; }
TOOLS=$PWD/target/bench-tools

command -v python3 >/dev/null || { echo "bench-http: python3 is needed" >&2; exit 1; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
SWS=${STATIC_WEB_SERVER:-$TOOLS/bin/static-web-server}
if want static-web-server && [ ! -x "$SWS" ]; then
  echo "== cargo install --locked static-web-server --root $TOOLS (several minutes, once)"
  cargo install -q --locked static-web-server --root "$TOOLS"
fi
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  on_server=(taskset -c 0) on_wrk=(taskset -c 1) nginx_workers=1
else
  PIN=0 on_server=() on_wrk=() nginx_workers=auto
fi
# 2,000 connections need 2,000 descriptors in wrk and in each server: raise the soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== cargo build --release -p http_static"
cargo build -q --release -p http_static

work=$(mktemp -d)
chmod 755 "$work" # nginx's workers may run as nobody and must read the files
pids=()
# Stops what this script started, by PID: SIGTERM, then SIGKILL for whatever still runs after
# 3 s (static-web-server waits for its connections to close on SIGTERM).
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 30); do
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && break; done
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The same files for every server: the sample site plus a 1 KiB file.
cp -r crates/http_static/site "$work/site"
head -c 1024 /dev/urandom >"$work/site/1k.bin"
chmod -R a+rX "$work/site"
# Files as a server usually finds them: written a while ago, not while being served. (http_static
# keeps a small file in memory only once it has not changed for 2 s: see its cache.rs.)
find "$work/site" -type f -exec touch -d '1 minute ago' {} +
cat >"$work/site.lua" <<'LUA'
-- The sample site as a browser loads it: the page, its stylesheet, its image, in turn.
local paths = { "/index.html", "/style.css", "/logo.svg" }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_up NAME PORT: bounded wait until the server answers.
wait_up() {
  for _ in $(seq 100); do
    if python3 - "$2" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/1k.bin", timeout=1).read()
PY
    sleep 0.1
  done
  echo "bench-http: $1 did not start" >&2
  exit 1
}

servers=()
declare -A port pid

# start NAME COMMAND...: runs a server in the background, remembers its PID.
start() {
  local name=$1
  shift
  "${on_server[@]}" "$@" >/dev/null 2>&1 &
  pid[$name]=$!
  pids+=($!)
  servers+=("$name")
}

# http_static with its defaults; its access log goes to /dev/null (it is still formatted and
# written, one line per request), as nginx's is off.
if want http_static; then
  port[http_static]=$(free_port)
  start http_static target/release/http_static --bind "127.0.0.1:${port[http_static]}" --root "$work/site"
fi
if [ -n "$BEFORE" ]; then
  port[before]=$(free_port)
  start before "$BEFORE" --bind "127.0.0.1:${port[before]}" --root "$work/site"
fi

port[nginx]=$(free_port)
# nginx writes no access log by default; BENCH_NGINX_LOG=1 makes it write one line a request to
# /dev/null, as http_static does, to compare the same work (the goals are set without it).
NGINX_LOG=off
[ "${BENCH_NGINX_LOG:-0}" = 1 ] && NGINX_LOG=/dev/null
want nginx || { echo "bench-http: nginx is the reference, keep it in BENCH_SERVERS" >&2; exit 1; }
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $nginx_workers;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 8192; }
http {
  access_log $NGINX_LOG;
  sendfile on;
  tcp_nopush on;
  types { text/html html; text/css css; image/svg+xml svg; application/octet-stream bin; }
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:${port[nginx]};
    root $work/site;
  }
}
CONF
start nginx "$NGINX" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"

if want static-web-server; then
  port[static-web-server]=$(free_port)
  start static-web-server "$SWS" --host 127.0.0.1 --port "${port[static-web-server]}" \
    --root "$work/site" --log-level error
fi

if want python; then
  port[python]=$(free_port)
  start python python3 -m http.server "${port[python]}" --bind 127.0.0.1 --directory "$work/site"
fi

for s in "${servers[@]}"; do wait_up "$s" "${port[$s]}"; done

# sample PID SECONDS: the peak, over the server's processes (itself and its children), of the
# summed RSS (KiB) and of the summed thread count, sampled every 0.2 s, and the CPU time they
# used meanwhile (user + system, seconds). Prints "RSS THREADS CPU".
cat >"$work/sample.py" <<'PY'
import os, sys, time
root, until = int(sys.argv[1]), time.time() + float(sys.argv[2])
def tree():
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                ppid = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    todo, found = [root], []
    while todo:
        p = todo.pop()
        found.append(p)
        todo += kids.get(p, [])
    return found
def cpu():
    ticks = 0
    for p in tree():
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")
rss = threads = 0
cpu_before = cpu()
while time.time() < until:
    r = t = 0
    for p in tree():
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"): r += int(line.split()[1])
                if line.startswith("Threads:"): t += int(line.split()[1])
        except OSError:
            pass
    rss, threads = max(rss, r), max(threads, t)
    time.sleep(0.2)
print(rss, threads, cpu() - cpu_before)
PY

# run_wrk SERVER WORKLOAD CONNECTIONS → one line: req/s p99(ms) errors peakRSS(KiB) threads
# CPU(µs per request): the server's CPU time per request is what its code costs, and moves far
# less than req/s when other work shares the machine.
run_wrk() {
  local url="http://127.0.0.1:${port[$1]}/" script=() threads=2
  if [ "$2" = 1KiB ]; then url+="1k.bin"; else script=(-s "$work/site.lua"); fi
  [ "$3" -lt "$threads" ] && threads=$3
  python3 "$work/sample.py" "${pid[$1]}" "$SECONDS_EACH" >"$work/sample.out" &
  local sampler=$!
  pids+=("$sampler")
  "${on_wrk[@]}" wrk -t"$threads" -c"$3" -d"${SECONDS_EACH}s" --timeout 5s --latency "${script[@]}" "$url" \
    >"$work/wrk.out" 2>&1 || true
  wait "$sampler" 2>/dev/null || true
  awk -v sample="$(cat "$work/sample.out" 2>/dev/null || echo "0 0 0")" '
    function ms(v) {
      if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v + 0
    }
    /Requests\/sec:/ { rps = $2 }
    / requests in / { reqs = $1 }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { err += $5 }
    END {
      split(sample, smp, " ")
      printf "%s %s %d %d %d %.1f\n", (rps == "" ? 0 : rps), (p99 == "" ? -1 : p99), err, smp[1], smp[2],
        (reqs > 0 ? smp[3] * 1e6 / reqs : 0)
    }
  ' "$work/wrk.out"
}

load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }
echo "== wrk -t2 -d${SECONDS_EACH}s --latency, keep-alive, $ROUNDS round(s), $(nproc) cores," \
  "pinned: $([ "$PIN" = 1 ] && echo "servers on core 0, wrk on core 1" || echo no)," \
  "load average before: $(load)"
results="$work/results"
: >"$results"
for round in $(seq "$ROUNDS"); do
  for workload in 1KiB site; do
    for c in $CONNECTIONS; do
      for s in "${servers[@]}"; do
        read -r rps p99 errors rss threads cpu < <(run_wrk "$s" "$workload" "$c")
        echo "$workload $c $s $rps $p99 $errors $rss $threads $cpu" >>"$results"
        printf '   round %s  %-5s %4s conns  %-18s %9.0f req/s  p99 %9.2f ms  errors %-6s RSS %5s MiB  threads %-5s CPU %6.1f µs/req\n' \
          "$round" "$workload" "$c" "$s" "$rps" "$p99" "$errors" "$((rss / 1024))" "$threads" "$cpu"
      done
    done
  done
done
echo "== load average after: $(load)"

echo
echo "== results: median round's req/s, p99 and server CPU per request; errors of all rounds; peak RSS and threads"
awk -v servers="${servers[*]}" -v goals="$(want http_static && echo 1 || echo 0)" -v nginx_log="$NGINX_LOG" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function mib(kib) { return sprintf("%.0f MiB", kib / 1024) }
  BEGIN { n = split(servers, order, " ") }
  { key = $1 " " $2; cell = key SUBSEP $3
    rpss[cell] = rpss[cell] " " $4; p99s[cell] = p99s[cell] " " $5; err[cell] += $6; cpus[cell] = cpus[cell] " " $9
    if ($7 > rss[cell]) rss[cell] = $7; if ($8 > thr[cell]) thr[cell] = $8
    if (!(key in seen)) { seen[key] = 1; keys[++k] = key } }
  END {
    printf "| workload | conns |"
    for (i = 1; i <= n; i++) printf " %s |", order[i]
    printf "\n|---|---|"
    for (i = 1; i <= n; i++) printf "---|"
    printf "\n"
    for (j = 1; j <= k; j++) {
      split(keys[j], kc, " ")
      printf "| %s | %s |", kc[1], kc[2]
      for (i = 1; i <= n; i++) {
        cell = keys[j] SUBSEP order[i]
        r[cell] = median(rpss[cell]); p[cell] = median(p99s[cell])
        printf " %.1fk/s, p99 %.1f ms, %d err, %s, %d thr, %.1f µs CPU/req |", r[cell] / 1000, p[cell], err[cell], mib(rss[cell]), thr[cell], median(cpus[cell])
      }
      printf "\n"
    }
    print ""
    print "== ratios to nginx (req/s: higher is better; p99: lower is better)"
    printf "| workload | conns |"
    for (i = 1; i <= n; i++) if (order[i] != "nginx") printf " %s req/s | %s p99 |", order[i], order[i]
    printf "\n|---|---|"
    for (i = 1; i <= n; i++) if (order[i] != "nginx") printf "---|---|"
    printf "\n"
    for (j = 1; j <= k; j++) {
      split(keys[j], kc, " "); ng = keys[j] SUBSEP "nginx"
      printf "| %s | %s |", kc[1], kc[2]
      for (i = 1; i <= n; i++) if (order[i] != "nginx") {
        cell = keys[j] SUBSEP order[i]
        printf " %.2f | %.1f |", (r[ng] > 0 ? r[cell] / r[ng] : 0), (p[ng] > 0 ? p[cell] / p[ng] : 0)
      }
      printf "\n"
    }
    print ""
    if (!goals) exit
    print "== goals for http_static: >= 100% of nginx at 50 connections, >= 70% at 500; p99 at 500 within 5x nginx; zero errors"
    if (nginx_log != "off") print "   (nginx writes an access log here, BENCH_NGINX_LOG=1: the goals are set against nginx without one)"
    for (j = 1; j <= k; j++) {
      split(keys[j], kc, " "); h = keys[j] SUBSEP "http_static"; ng = keys[j] SUBSEP "nginx"
      line = sprintf("%-5s %4s conns:", kc[1], kc[2])
      goal = (kc[2] >= 500) ? 70 : 100
      if (kc[2] <= 500 && r[ng] > 0) line = line sprintf("  %.0f%% of nginx (goal %d%%) %s", 100 * r[h] / r[ng], goal, (100 * r[h] >= goal * r[ng]) ? "ok" : "MISSED")
      if (kc[2] == 500 && p[ng] > 0) line = line sprintf("  p99 %.1fx nginx (goal 5x) %s", p[h] / p[ng], (p[h] <= 5 * p[ng]) ? "ok" : "MISSED")
      line = line sprintf("  errors %d %s", err[h], err[h] == 0 ? "ok" : "MISSED")
      print line
    }
  }
' "$results"
