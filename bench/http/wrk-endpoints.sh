#!/usr/bin/env bash
# Requests per second and latency of the main read endpoints against /health/live, over HTTP on loopback.
# Usage: [ENCODING=gzip] bench/http/wrk-endpoints.sh [seconds per endpoint] [extra API arguments…]
#   e.g. bench/http/wrk-endpoints.sh 10 --Graph:ResponseCacheDuration=00:00:00   (engine only, no output cache)
#   ENCODING=gzip sends Accept-Encoding: gzip, as browsers do (bytes are then the compressed size).
# Needs wrk (apt-get install wrk). Starts a Release build of the API on 127.0.0.1:5099 and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; shift || true
port=5099; base="http://127.0.0.1:$port"
dotnet build src/SpineGraph.Api -c Release -v q >/dev/null
dotnet src/SpineGraph.Api/bin/Release/net10.0/SpineGraph.Api.dll --urls "$base" --Logging:LogLevel:Default=Warning "$@" >/tmp/spinegraph-wrk-api.log 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$base/health/ready" >/dev/null && break; sleep 1; done
endpoints=(
  "/health/live"
  "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression"
  "/api/v1/symptoms/sg:muscle-spasm/causes"
  "/api/v1/conditions/sg:spinal-stenosis/treatments"
  "/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&maxHops=5"
  "/api/v1/subgraph?ids=sg:spinal-stenosis,sg:muscle-spasm&depth=1"
  "/api/v1/search?q=stenossis"
  "/api/v1/nodes/sg:muscle-spasm/edges"
  "/api/v1/nodes/sg:muscle-spasm"
)
printf '| endpoint | req/s | %% of /health/live | p50 | p99 | bytes |\n|---|---:|---:|---:|---:|---:|\n'
live=""
for u in "${endpoints[@]}"; do
  hdr=(); [ -n "${ENCODING:-}" ] && hdr=(-H "Accept-Encoding: $ENCODING")
  wrk -t2 -c32 -d2s "${hdr[@]}" "$base$u" >/dev/null   # warm up (tiered JIT, caches), not measured
  out=$(wrk -t2 -c32 -d"${secs}s" --latency "${hdr[@]}" "$base$u")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  bytes=$(curl -s -o /dev/null -w '%{size_download}' "${hdr[@]}" "$base$u")
  [ -z "$live" ] && live=$rps
  pct=$(awk -v a="$rps" -v b="$live" 'BEGIN {printf "%.0f", 100*a/b}')
  printf '| `%s` | %.0f | %s%% | %s | %s | %s |%s\n' "$u" "$rps" "$pct" "$p50" "$p99" "$bytes" "${errors:+ ($errors)}"
done
