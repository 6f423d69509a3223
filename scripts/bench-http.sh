#!/usr/bin/env bash
# The http_static benchmark (issue 6): http_static against python3 -m http.server (the notes' own
# server), nginx, and darkhttpd (the small-server peer), on the same files, in one run.
#
# Two workloads: a 1 KiB file, and the sample site (index.html, style.css, logo.svg in turn,
# through a wrk Lua script). Each at 50 and at 500 keep-alive connections, for BENCH_SECONDS
# seconds (default 10), the whole matrix BENCH_ROUNDS times (default 1) in turn, so that load
# from elsewhere on the machine hits every server alike; each cell then shows the best round's
# requests/s and p99, and the errors of all rounds. Prints them side by side, then the goals.
#
# Installs wrk, nginx and darkhttpd with apt-get when they are missing (darkhttpd is not packaged
# for every Debian release: it is then skipped, unless DARKHTTPD=/path/to/darkhttpd is given).
# Everything listens on 127.0.0.1 only and is stopped at the end.
#
#   BENCH_SECONDS=10 BENCH_ROUNDS=1 BENCH_CONNECTIONS="50 500" BENCH_WRK_THREADS=2 \
#     bash scripts/bench-http.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"50 500"}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-1}

command -v python3 >/dev/null || { echo "bench-http: python3 is needed" >&2; exit 1; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
DARKHTTPD=${DARKHTTPD:-$(command -v darkhttpd || true)}
if [ -z "$DARKHTTPD" ]; then
  apt-get update -qq
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq darkhttpd >/dev/null 2>&1; then
    DARKHTTPD=$(command -v darkhttpd)
  else
    echo "bench-http: darkhttpd has no package here ($(. /etc/os-release && echo "$PRETTY_NAME")): skipped"
  fi
fi

echo "== cargo build --release -p http_static"
cargo build -q --release -p http_static

work=$(mktemp -d)
chmod 755 "$work" # nginx's workers run as nobody and must read the files
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The same files for every server: the sample site plus a 1 KiB file.
cp -r crates/http_static/site "$work/site"
head -c 1024 /dev/urandom >"$work/site/1k.bin"
chmod -R a+rX "$work/site"
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
declare -A port

# http_static: its access log goes to /dev/null, as nginx's is off (it is still formatted and
# written, one line per request).
port[http_static]=$(free_port)
target/release/http_static --bind "127.0.0.1:${port[http_static]}" --root "$work/site" >/dev/null 2>&1 &
pids+=($!)
servers+=(http_static)

port[python]=$(free_port)
python3 -m http.server "${port[python]}" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
pids+=($!)
servers+=(python)

port[nginx]=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
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
"$NGINX" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" >/dev/null 2>&1 &
pids+=($!)
servers+=(nginx)

if [ -n "$DARKHTTPD" ]; then
  port[darkhttpd]=$(free_port)
  "$DARKHTTPD" "$work/site" --addr 127.0.0.1 --port "${port[darkhttpd]}" >/dev/null 2>&1 &
  pids+=($!)
  servers+=(darkhttpd)
fi

for s in "${servers[@]}"; do wait_up "$s" "${port[$s]}"; done

# run_wrk SERVER WORKLOAD CONNECTIONS → one line: req/s p99 errors
run_wrk() {
  local url="http://127.0.0.1:${port[$1]}/" script=()
  if [ "$2" = 1KiB ]; then url+="1k.bin"; else script=(-s "$work/site.lua"); fi
  local threads=$WRK_THREADS
  [ "$3" -lt "$threads" ] && threads=$3
  wrk -t"$threads" -c"$3" -d"${SECONDS_EACH}s" --latency "${script[@]}" "$url" >"$work/wrk.out" 2>&1 || true
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = $2 }
    /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { err += $5 }
    END { printf "%s %s %d\n", (rps == "" ? 0 : rps), (p99 == "" ? "-" : p99), err }
  ' "$work/wrk.out"
}

echo "== wrk -t$WRK_THREADS -d${SECONDS_EACH}s --latency, keep-alive, $ROUNDS round(s), on $(nproc) cores: ${servers[*]}"
results="$work/results"
: >"$results"
for round in $(seq "$ROUNDS"); do
  for workload in 1KiB site; do
    for c in $CONNECTIONS; do
      for s in "${servers[@]}"; do
        read -r rps p99 errors < <(run_wrk "$s" "$workload" "$c")
        echo "$workload $c $s $rps $p99 $errors" >>"$results"
        printf '   round %s  %-5s %4s conns  %-12s %10s req/s  p99 %-9s errors %s\n' \
          "$round" "$workload" "$c" "$s" "$rps" "$p99" "$errors"
      done
    done
  done
done

echo
echo "== results (best round's requests/s and p99 latency; errors of all rounds)"
awk -v servers="${servers[*]}" '
  BEGIN { n = split(servers, order, " ") }
  { key = $1 " " $2
    if (!((key, $3) in rps) || $4 + 0 > rps[key, $3] + 0) { rps[key, $3] = $4; p99[key, $3] = $5 }
    err[key, $3] += $6
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
      for (i = 1; i <= n; i++) printf " %.0f/s, p99 %s, %d err |", rps[keys[j], order[i]], p99[keys[j], order[i]], err[keys[j], order[i]]
      printf "\n"
    }
    print ""
    print "== goals: >= 30x python, ahead of darkhttpd, >= 80% of nginx at 50 connections and >= 70% at 500, zero errors"
    for (j = 1; j <= k; j++) {
      split(keys[j], kc, " "); h = rps[keys[j], "http_static"]
      line = sprintf("%-5s %4s conns:", kc[1], kc[2])
      if (rps[keys[j], "python"] > 0) line = line sprintf("  %.0fx python %s", h / rps[keys[j], "python"], (h >= 30 * rps[keys[j], "python"]) ? "ok" : "MISSED")
      if ((keys[j], "darkhttpd") in rps) line = line sprintf("  %.0f%% of darkhttpd %s", 100 * h / rps[keys[j], "darkhttpd"], (h > rps[keys[j], "darkhttpd"]) ? "ok" : "MISSED")
      goal = (kc[2] >= 500) ? 70 : 80
      if (rps[keys[j], "nginx"] > 0) line = line sprintf("  %.0f%% of nginx (goal %d%%) %s", 100 * h / rps[keys[j], "nginx"], goal, (100 * h >= goal * rps[keys[j], "nginx"]) ? "ok" : "MISSED")
      line = line sprintf("  errors %d %s", err[keys[j], "http_static"], err[keys[j], "http_static"] == 0 ? "ok" : "MISSED")
      print line
    }
  }
' "$results"
