#!/usr/bin/env bash
# Load, soak and SIGTERM checks of the API over loopback, with wrk and tools/load/mixed.lua. Figures: docs/reliability.md.
# Usage: tools/load/run.sh [load] [soak] [shutdown]      (no argument: all three, in that order)
#   load      RUNS × DURATION s at CONNECTIONS connections with the output cache on, then the same with it off
#   soak      SOAK_SECONDS of moderate traffic (SOAK_CONNECTIONS, each pausing SOAK_DELAY_MS between requests), sampling
#             the API process's resident set (VmRSS from /proc) every SAMPLE_SECONDS
#   shutdown  SIGTERM while a slowly uploaded query is in flight: its status, time to exit, exit code, what a new
#             connection gets; then the same with a request that outlives a short Server:ShutdownTimeout
# Environment (defaults): PORT=5197 THREADS=2 CONNECTIONS=256 DURATION=60 TIMEOUT=30s RUNS=2 SOAK_SECONDS=300
#   SOAK_CONNECTIONS=16 SOAK_DELAY_MS=20 SAMPLE_SECONDS=5 OUT=/tmp/spinegraph-load (raw wrk output, RSS samples, API logs)
# Needs wrk (apt-get install -y wrk) and curl. Builds the API in Release and runs it on 127.0.0.1 with the rate limit off.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-5197} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-256} DURATION=${DURATION:-60} TIMEOUT=${TIMEOUT:-30s}
RUNS=${RUNS:-2} SOAK_SECONDS=${SOAK_SECONDS:-300} SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-16} SOAK_DELAY_MS=${SOAK_DELAY_MS:-20}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5} OUT=${OUT:-/tmp/spinegraph-load}
base="http://127.0.0.1:$PORT"
lua=tools/load/mixed.lua
dll=src/SpineGraph.Api/bin/Release/net10.0/SpineGraph.Api.dll
phases=("$@"); [ ${#phases[@]} -eq 0 ] && phases=(load soak shutdown)
mkdir -p "$OUT"
api=""
trap '[ -n "$api" ] && kill "$api" 2>/dev/null; true' EXIT

if curl -s -o /dev/null "$base/health/live"; then echo "port $PORT is in use; set PORT" >&2; exit 1; fi
echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), .NET $(dotnet --version), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
dotnet build src/SpineGraph.Api -c Release -v q -nologo >/dev/null

# start_api LOG [NAME=VALUE…]: the Release build on loopback, rate limit off, warnings only; sets $api (the dotnet pid).
start_api() {
  local log=$1; shift
  env RateLimit__PermitsPerWindow=0 Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    "$@" dotnet "$dll" --urls "$base" >"$OUT/$log" 2>&1 &
  api=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/health/ready" && return; sleep 0.5; done
  echo "the API did not start; see $OUT/$log" >&2; exit 1
}

stop_api() { kill -TERM "$api"; wait "$api" || true; api=""; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$api/status"; }

mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}'; }

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# summary FILE: one table row from wrk's output and the script's status counts.
summary() {
  awk '
    /Requests\/sec/ {rps=$2}
    /requests in/ {n=$1}
    /^Latency p50=/ {split($0, a, /[ =]/); p50=a[3]; p99=a[7]; max=a[9]}
    /Socket errors/ {sub(/.*Socket errors: /, ""); sock=$0}
    /^Statuses:/ {sub(/^Statuses: /, ""); st=$0}
    END {printf "| %s | %.0f | %s | %s | %s | %s | %s |", n, rps, p50, p99, max, (sock == "" ? "none" : sock), st}' "$1"
}

check_preflight() {
  echo "-- pre-flight: each request of $lua once"
  PREFLIGHT=1 wrk -t1 -c1 -d120s -s "$lua" "$base" | grep -E '^[0-9]{3} ' | sort -k4 | tee "$OUT/preflight.txt"
  local expected; expected=$(grep -c '^  "/api/\|^  add("' "$lua")   # the GET paths and the POSTs of the mix
  if [ "$(grep -c '^200 ' "$OUT/preflight.txt")" != "$expected" ]; then
    echo "not every one of the $expected requests of the mix answered 200; fix $lua" >&2; exit 1
  fi
}

load_phase() {
  local label=$1; shift
  start_api "api-load-$label.log" "$@"
  [ "$label" = cache ] && check_preflight
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s --timeout "$TIMEOUT" -s "$lua" "$base" >/dev/null   # warm-up: JIT, caches; not counted
  echo "-- $label: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $TIMEOUT -s $lua $base"
  echo "| run | load avg before | requests | req/s | p50 | p99 | max | socket errors | statuses | RSS after |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|---:|"
  for run in $(seq 1 "$RUNS"); do
    local before; before=$(loadavg)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$TIMEOUT" -s "$lua" "$base" >"$OUT/load-$label-$run.txt"
    echo "| $label $run | $before $(summary "$OUT/load-$label-$run.txt") $(mb "$(rss_kb)") MB |"
  done
  stop_api
}

soak_phase() {
  start_api api-soak.log
  local samples="$OUT/soak-rss.csv"
  echo "seconds,rss_kb" >"$samples"
  echo "-- soak: DELAY_MS=$SOAK_DELAY_MS wrk -t$THREADS -c$SOAK_CONNECTIONS -d${SOAK_SECONDS}s --timeout $TIMEOUT -s $lua $base; VmRSS every ${SAMPLE_SECONDS}s"
  local t0; t0=$(date +%s)
  echo "0,$(rss_kb)" >>"$samples"
  DELAY_MS=$SOAK_DELAY_MS wrk -t"$THREADS" -c"$SOAK_CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout "$TIMEOUT" -s "$lua" "$base" >"$OUT/soak-wrk.txt" &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do sleep "$SAMPLE_SECONDS"; echo "$(( $(date +%s) - t0 )),$(rss_kb)" >>"$samples"; done
  wait "$load"
  echo "| requests | req/s | p50 | p99 | max | socket errors | statuses |"
  echo "|---:|---:|---:|---:|---:|---|---|"
  summary "$OUT/soak-wrk.txt"; echo
  # Start (before traffic), after the first minute, peak, end; and the peak of each half of the run after the first minute.
  awk -F, -v s="$SOAK_SECONDS" 'NR == 2 {start=$2} NR > 1 {if ($2 > peak) {peak=$2; at=$1}; last=$2; lastt=$1
      if ($1 >= 60 && first == "") first=$2
      if ($1 >= 60 && $1 < (60 + s) / 2 && $2 > h1) h1=$2; if ($1 >= (60 + s) / 2 && $2 > h2) h2=$2}
    END {printf "| RSS start | after 1 min | peak (at) | end | peak 1-%.1f min | peak %.1f-%.0f min |\n|---:|---:|---:|---:|---:|---:|\n", (60+s)/120, (60+s)/120, s/60
         printf "| %.0f MB | %.0f MB | %.0f MB (%d s) | %.0f MB (%d s) | %.0f MB | %.0f MB |\n", start/1024, first/1024, peak/1024, at, last/1024, lastt, h1/1024, h2/1024}' "$samples"
  stop_api
}

# slow_query BYTES: a pattern query padded with spaces to BYTES, for curl to upload slowly.
slow_query() {
  local pattern='{"message":{"query_graph":{"nodes":{"c":{"ids":["sg:spinal-cord-injury"]},"s":{"categories":["biolink:PhenotypicFeature"]}},"edges":{"a":{"subject":"c","object":"s"}}}}'
  printf '%s%*s}' "$pattern" $(( $1 - ${#pattern} - 1 )) ""
}

# sigterm_case LABEL BODY_BYTES [NAME=VALUE…]: a query uploaded at 1 KB/s, SIGTERM 2 s into it.
sigterm_case() {
  local label=$1 bytes=$2; shift 2
  start_api "api-shutdown-$label.log" "$@"
  slow_query "$bytes" >"$OUT/slow-body.json"
  curl -s -o "$OUT/slow-answer-$label.json" -w '%{http_code} %{size_download} %{time_total}\n' --limit-rate 1k \
    -H 'Content-Type: application/json' --data-binary @"$OUT/slow-body.json" "$base/api/v1/query" >"$OUT/slow-curl-$label.txt" &
  local client=$!
  sleep 2
  local t0 refused="" code=0; t0=$(date +%s.%N)
  kill -TERM "$api"
  # A new connection every 50 ms until one is refused (curl exit 7) or the process is gone.
  while kill -0 "$api" 2>/dev/null; do
    code=0; curl -s -o /dev/null --max-time 5 "$base/health/live" || code=$?
    if [ "$code" = 7 ]; then refused=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f s", b-a}'); break; fi
    sleep 0.05
  done
  local exit_code=0; wait "$api" || exit_code=$?
  local took; took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f s", b-a}')
  api=""
  local curl_code=0; wait "$client" || curl_code=$?
  read -r status size total <"$OUT/slow-curl-$label.txt"
  echo "| $label | $(( bytes / 1024 )) KB at 1 KB/s | $status (curl exit $curl_code, $size B, ${total} s) | ${refused:-not seen} | $took | $exit_code |"
}

shutdown_phase() {
  echo "-- shutdown: SIGTERM 2 s into a query uploaded at 1 KB/s; a new connection tried every 50 ms after it"
  echo "| case (Server:ShutdownTimeout) | request in flight | its answer | new connection refused after | process gone after | exit code |"
  echo "|---|---|---|---|---|---|"
  sigterm_case default-30s 8192
  sigterm_case timeout-3s 30720 Server__ShutdownTimeout=00:00:03
}

for phase in "${phases[@]}"; do
  case $phase in
    load) load_phase cache; load_phase nocache Graph__ResponseCacheDuration=00:00:00 ;;
    soak) soak_phase ;;
    shutdown) shutdown_phase ;;
    *) echo "unknown phase '$phase'; use load, soak or shutdown" >&2; exit 2 ;;
  esac
done
