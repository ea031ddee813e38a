#!/usr/bin/env bash
# sqlite_writes.sh - the write phases of http_bench.sh on SQLite, two
# binaries compared interleaved (A, B, A, B, ...) on copies of one freshly
# generated portfolio: POST and PATCH of workloads (each with its audit
# event) at 32 connections. Besides req/s (noisy on a shared machine) it
# reports two noise-robust figures per write: the server's CPU time
# (utime + stime from /proc/PID/stat over the run / requests served) and
# the SQL statements it ran (bench/stmt_count.c, preloaded). Not a test.
#
#   BIN_A=/tmp/switchyard.main BIN_B=build-rel/switchyard bench/sqlite_writes.sh
#   BENCH_WORKLOADS=2000 BENCH_DURATION=3 BENCH_RUNS=2 bench/sqlite_writes.sh
#   BENCH_GEN_DIR=/tmp/gen10k ...   # generate once, reuse after
#   BENCH_LOG_DIR=DIR ...           # keep the two servers' logs (A.log, B.log) there
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_A=${BIN_A:?BIN_A: the binary to compare against}
BIN_B=${BIN_B:-$BIN_A}
DURATION=${BENCH_DURATION:-5}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNS:-32}
WORKLOADS=${BENCH_WORKLOADS:-10000}
PORT=${BENCH_PORT:-18995}
command -v wrk >/dev/null || { echo "sqlite_writes.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -shared -fPIC -o "$work/stmt_count.so" bench/stmt_count.c -ldl -lpthread

# A port taken by another server (BENCH_PORT and the two after it) used to
# end the script without a word: say so.
wait_up() {
  for _ in $(seq 200); do curl -fs "$1/api/v1/health" >/dev/null && return 0; sleep 0.1; done
  echo "sqlite_writes.sh: no server answered at $1 (port taken? set BENCH_PORT)" >&2
  return 1
}

# One portfolio, generated through binary A, then copied for each binary.
# BENCH_GEN_DIR=DIR keeps it (with its token) for the next run to reuse.
gen_dir=${BENCH_GEN_DIR:-}
if [ -n "$gen_dir" ] && [ -f "$gen_dir/token" ]; then
  cp -a "$gen_dir" "$work/gen"
  TOKEN=$(cat "$work/gen/token"); MAX_ID=$(cat "$work/gen/max_id")
else
  mkdir "$work/gen"
  echo "bench-password-123" | "$BIN_A" user add bench --role admin --db "$work/gen/bench.db" >/dev/null
  "$BIN_A" serve --db "$work/gen/bench.db" --listen "127.0.0.1:$PORT" --quiet 2>"$work/gen.log" &
  gen=$!
  BASE="http://127.0.0.1:$PORT"
  wait_up "$BASE"
  cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"bench","password":"bench-password-123"}' "$BASE/api/v1/session" |
    sed -n 's/^Set-Cookie: \(sy_session=[^;]*\).*/\1/p')
  TOKEN=$(curl -fs -H "Cookie: $cookie" -H "Origin: $BASE" -H 'Content-Type: application/json' \
    -d '{"name":"bench","role":"admin"}' "$BASE/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  node bench/generate.mjs "$BASE" "$TOKEN" "$WORKLOADS" 300 1000 >/dev/null
  MAX_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/workloads?limit=1" |
    sed 's/.*"total":\([0-9]*\).*/\1/')
  kill "$gen"; wait "$gen" 2>/dev/null || true
  echo "$TOKEN" >"$work/gen/token"; echo "$MAX_ID" >"$work/gen/max_id"
  [ -n "$gen_dir" ] && mkdir -p "$gen_dir" && cp -a "$work/gen/." "$gen_dir/"
fi
export WRK_TOKEN=$TOKEN WRK_MAX_ID=$MAX_ID

declare -A pid_of port_of
i=0
for x in A B; do
  bin=BIN_$x
  cp -a "$work/gen" "$work/$x"
  port_of[$x]=$((PORT + 1 + i)); i=$((i + 1))
  STMT_COUNT_FILE="$work/$x.count" LD_PRELOAD="$work/stmt_count.so" \
    "${!bin}" serve --db "$work/$x/bench.db" --listen "127.0.0.1:${port_of[$x]}" --quiet \
    2>"${BENCH_LOG_DIR:-$work}/$x.log" &
  pid_of[$x]=$!
  pids+=("$!")
  wait_up "http://127.0.0.1:${port_of[$x]}"
  # The first look builds the snapshot cold: not part of any run.
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:${port_of[$x]}/api/v1/workloads?limit=1"
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
stmts() { sleep 0.3; cat "$work/$1.count"; }
hz=$(getconf CLK_TCK)
: >"$work/runs"
for r in $(seq "$RUNS"); do
  for mode in post patch; do
    path=/api/v1/workloads
    [ "$mode" = patch ] && path=/api/v1/workloads/1
    for x in A B; do
      p=${pid_of[$x]}
      read -r s0 t0 < <(stmts "$x"); c0=$(cpu_ticks "$p")
      line=$(WRK_MODE=$mode wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s \
        -s bench/wrk_report.lua "http://127.0.0.1:${port_of[$x]}$path" | tail -n 1)
      read -r s1 t1 < <(stmts "$x"); c1=$(cpu_ticks "$p")
      echo "{\"bin\":\"$x\",\"mode\":\"$mode\",\"run\":$r,\"cpu_s\":$(awk -v a="$c0" -v b="$c1" -v h="$hz" 'BEGIN{print (b-a)/h}'),\"stmts\":$((s1 - s0)),\"steps\":$((t1 - t0)),\"wrk\":$line}" |
        tee -a "$work/runs"
    done
  done
done
node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const med = (a) => { a = [...a].sort((x, y) => x - y); return a[Math.floor(a.length / 2)]; };
console.log("| phase | binary | req/s (median) | CPU ms/write | statements/write | rows stepped/write | errors |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
for (const mode of ["post", "patch"]) for (const bin of ["A", "B"]) {
  const rs = runs.filter((r) => r.mode === mode && r.bin === bin);
  const req = rs.reduce((s, r) => s + r.wrk.requests, 0);
  const cpu = rs.reduce((s, r) => s + r.cpu_s, 0), st = rs.reduce((s, r) => s + r.stmts, 0);
  const steps = rs.reduce((s, r) => s + r.steps, 0);
  const err = rs.reduce((s, r) => s + r.wrk.errors, 0);
  console.log(`| ${mode.toUpperCase()} | ${bin} | ${Math.round(med(rs.map((r) => r.wrk.rps)))} | ` +
    `${(1000 * cpu / req).toFixed(2)} | ${(st / req).toFixed(1)} | ${(steps / req).toFixed(1)} | ${err} |`);
}' "$work/runs"
for x in A B; do
  echo "binary $x: snapshot builds, webhook comparisons and pool waits over the whole run"
  curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${port_of[$x]}/metrics" |
    grep -E '^switchyard_(snapshot|webhook_compare|db_pool_wait)' || true
  grep -E '^VmHWM' "/proc/${pid_of[$x]}/status" || true
  grep -i 'error\|warn' "$work/$x.log" | head -3 || true
done
