#!/usr/bin/env bash
# http_bench.sh - Switchyard's HTTP benchmark (not a test). Builds a Release
# binary, fills a fresh database with a synthetic portfolio of 10,000
# workloads, 300 offerings and 1,000 contracts through the API, then runs
# wrk at 1, 4, 32 and 64 connections, 3 runs each, against the list of 100
# workloads with risk, the summary, the Azure strategy view, a static asset
# (the ceiling), the list and summary again with gzip as browsers ask, and
# POST/PATCH of workloads; reports medians, resident
# memory under load (peak during the read phases on the 10,000-workload
# portfolio, and over the whole run, whose writes add many more) and a
# fresh request's latency while 64 connections are busy (measured after the
# writes, so the first requests rebuild the snapshot), as a markdown table
# on stdout.
#
#   bench/http_bench.sh            # full run (about 8 minutes)
#   BENCH_DURATION=3 BENCH_RUNS=1 bench/http_bench.sh   # quick look
#   BENCH_STORE=postgres bench/http_bench.sh   # the same on a throwaway
#                                  # local PostgreSQL cluster (tests/pg/cluster.sh)
#   BENCH_SCENARIO=compare bench/http_bench.sh  # in one run: the demo's list
#                                  # of 100 workloads with a session cookie and
#                                  # with an API token, on SQLite and on
#                                  # PostgreSQL, runs interleaved (bench/compare.sh)
#   BENCH_SMOKE=1 BENCH_BIN=build/switchyard bench/http_bench.sh
#                                  # CI's smoke (ctest bench.http_smoke and
#                                  # bench-pg.http_smoke, bench.compare_smoke):
#                                  # the given binary, 300 workloads, 1-second
#                                  # runs at 4 connections; fails when a run
#                                  # answered nothing or had errors. Not timed.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=${BENCH_SMOKE:-0}
if [ "$SMOKE" = 1 ]; then
  DURATION=1 RUNS=1 CONNS=4 FRESH_CONNS=4 SIZES="300 30 100" WRITE_CONNS=4
else
  DURATION=${BENCH_DURATION:-5}
  RUNS=${BENCH_RUNS:-3}
  CONNS=${BENCH_CONNS:-"1 4 32 64"}
  FRESH_CONNS=64 SIZES="10000 300 1000" WRITE_CONNS=32
fi
PORT=${BENCH_PORT:-18999}
BASE="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null
fi
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN # already built (the smoke: CI's build)
else
  .ci/setup >/dev/null
  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSWITCHYARD_TESTS=OFF >/dev/null
  cmake --build build-bench -j"$(nproc)" >/dev/null
  BIN=build-bench/switchyard
fi
if [ "${BENCH_SCENARIO:-}" = compare ]; then
  [ "$SMOKE" = 1 ] && exec env BIN="$BIN" DURATION=1 RUNS=2 BENCH_CONNS=4 bench/compare.sh
  exec env BIN="$BIN" DURATION="$DURATION" RUNS="${BENCH_RUNS:-4}" bench/compare.sh
fi

work=$(mktemp -d)
chmod 755 "$work"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -f "$work/pg.state" ] && tests/pg/cluster.sh stop "$work/pg.state" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
db=$work/bench.db
if [ "${BENCH_STORE:-sqlite}" = postgres ]; then
  tests/pg/cluster.sh start "$work/pg.state" >/dev/null
  admin_url=$(tests/pg/cluster.sh url "$work/pg.state")
  psql -q "$admin_url" -c 'CREATE DATABASE switchyard_bench' >/dev/null
  db=${admin_url%/*}/switchyard_bench
fi
echo "bench-password-123" | $BIN user add bench --role admin --db "$db" --key-dir "$work" >/dev/null
$BIN serve --db "$db" --key-dir "$work" --listen "127.0.0.1:$PORT" --quiet 2>"$work/server.log" &
pid=$!
for _ in $(seq 50); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done

cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"bench","password":"bench-password-123"}' "$BASE/api/v1/session" |
  sed -n 's/^Set-Cookie: \(sy_session=[^;]*\).*/\1/p')
TOKEN=$(curl -fs -H "Cookie: $cookie" -H "Origin: $BASE" -H 'Content-Type: application/json' \
  -d '{"name":"bench","role":"admin"}' "$BASE/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
export WRK_TOKEN=$TOKEN

# shellcheck disable=SC2086 # three numbers
node bench/generate.mjs "$BASE" "$TOKEN" $SIZES
# PostgreSQL: statistics for the loaded tables, as autovacuum would gather
# within its minute (until then the prepared statements keep the plans
# made for empty tables; see pg_writes.sh).
[ "${BENCH_STORE:-sqlite}" != postgres ] || psql -q "$db" -c 'ANALYZE' >/dev/null
MAX_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/workloads?limit=1" |
  sed 's/.*"total":\([0-9]*\).*/\1/')
export WRK_MAX_ID=$MAX_ID

results=$work/results.jsonl
: >"$results"
run() { # name path mode conns [gzip]
  local name=$1 path=$2 mode=$3 c=$4 gz=${5:-0} t=2
  [ "$c" -lt 2 ] && t=1
  for r in $(seq "$RUNS"); do
    line=$(WRK_GZIP=$gz WRK_MODE=$mode wrk -t$t -c"$c" -d"${DURATION}s" --timeout 10s \
      -s bench/wrk_report.lua "$BASE$path" | tail -n 1)
    echo "{\"name\":\"$name\",\"conns\":$c,\"run\":$r,\"result\":$line}" >>"$results"
  done
}

rss_max=0
sample_rss() {
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$rss_max" ] && rss_max=$rss && echo "$rss_max" >"$work/rss"
    sleep 0.2
  done
}
sample_rss &
sampler=$!

for c in $CONNS; do
  run "static asset (ceiling)" "/app.js" get "$c"
  run "GET /workloads?limit=100 (with risk)" "/api/v1/workloads?limit=100" get "$c"
  run "GET /portfolio/summary" "/api/v1/portfolio/summary" get "$c"
  run "GET /strategies/azure" "/api/v1/strategies/azure" get "$c"
done
# The same answers compressed, as browsers ask for them (Accept-Encoding:
# gzip): the rate a dashboard's users see once the answer is cached.
run "GET /workloads?limit=100, gzip" "/api/v1/workloads?limit=100" get 32 1
run "GET /portfolio/summary, gzip" "/api/v1/portfolio/summary" get 32 1
# The read phases ran on the generated 10,000-workload portfolio; the write
# phases below add tens of thousands of workloads, so memory is reported for
# both.
cp "$work/rss" "$work/rss_read" 2>/dev/null || echo 0 >"$work/rss_read"
for c in $WRITE_CONNS; do
  run "POST /workloads (+ audit event)" "/api/v1/workloads" post "$c"
  run "PATCH /workloads/{id} (+ audit event)" "/api/v1/workloads/1" patch "$c"
done

# A fresh connection while 64 others keep the list endpoint busy.
WRK_MODE=get wrk -t2 -c"$FRESH_CONNS" -d"$((DURATION + 2))s" -s bench/wrk_report.lua \
  "$BASE/api/v1/workloads?limit=100" >/dev/null &
loader=$!
sleep 1
fresh=0
for _ in 1 2 3 4 5; do
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" \
    "$BASE/api/v1/portfolio/summary")
  t=${out#* }
  [ "${out%% *}" = 200 ] || { echo "fresh request: HTTP ${out%% *}" >&2; fresh=-1000; }
  fresh=$(awk -v a="$fresh" -v b="$t" 'BEGIN{print (a<0||b<=a)?a:b}')
  sleep 0.5
done
wait "$loader" || true
kill "$sampler" 2>/dev/null || true
workloads=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/workloads?limit=1" |
  sed 's/.*"total":\([0-9]*\).*/\1/')

node bench/table.mjs "$results" "$(cat "$work/rss_read")" "$(cat "$work/rss" 2>/dev/null || echo 0)" \
  "$workloads" "$fresh"
# The smoke fails on a run that answered nothing or had errors, or on no
# fresh answer.
if [ "$SMOKE" = 1 ]; then
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const bad = rows.filter((r) => !(r.result.requests > 0) || r.result.errors !== 0);
    for (const r of bad) console.error(`smoke: ${r.name} at ${r.conns}: ${JSON.stringify(r.result)}`);
    if (rows.length !== 8 || bad.length || !(Number(process.argv[2]) > 0)) process.exit(1);
    console.log(`smoke: ${rows.length} runs, no errors`);' "$results" "$fresh"
fi
