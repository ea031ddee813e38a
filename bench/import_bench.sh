#!/usr/bin/env bash
# bench/import_bench.sh [ROWS] - imports a generated FinOps FOCUS file
# (bench/focus_gen.mjs, default 200,000 rows) into a fresh demo database
# with `switchyard import focus` (parse, allocate, plan, apply in one
# transaction) and reports rows/s and the peak resident memory (GNU time).
# Targets (issue 16): >= 100,000 rows/s, <= 128 MB.
#   SWITCHYARD_BIN=build/switchyard (default)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${SWITCHYARD_BIN:-$root/build/switchyard}
rows=${1:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$here/focus_gen.mjs" "$work/focus.csv" "$rows"
SWITCHYARD_TODAY=2026-12-01 "$bin" seed --demo --db "$work/bench.db" >/dev/null 2>&1
size=$(stat -c %s "$work/focus.csv")
best=""
for run in 1 2 3; do
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$bin" import focus "$work/focus.csv" --db "$work/bench.db" >"$work/plan.json"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  rss_kb=$(cat "$work/rss")
  rate=$(echo "$rows / $secs" | bc -l)
  printf 'run %d: %d rows (%.1f MB) in %.3f s = %.0f rows/s, peak RSS %.1f MB\n' \
    "$run" "$rows" "$(echo "$size / 1048576" | bc -l)" "$secs" "$rate" "$(echo "$rss_kb / 1024" | bc -l)"
done
node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log("plan:",JSON.stringify(p.counts),"unallocated rows:",p.summary.unallocated.reduce((s,u)=>s+u.rows,0))' "$work/plan.json"
