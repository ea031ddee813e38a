#!/usr/bin/env bash
# pg_writes.sh - the write phases of http_bench.sh alone, on a throwaway
# PostgreSQL cluster (tests/pg/cluster.sh; fsync and synchronous_commit on):
# fills a fresh database with the synthetic portfolio (bench/generate.mjs,
# 10,000 workloads by default), then runs wrk's POST and PATCH of workloads
# (each with its audit event) at 32 connections, RUNS times each, and
# prints one line per run (req/s, p50/p99 ms, errors) and the medians. Not
# a test; for before/after comparisons of the write path with a binary
# already built (no Release build of its own, unlike http_bench.sh).
#
#   BIN=build/switchyard bench/pg_writes.sh
#   BENCH_WORKLOADS=2000 BENCH_DURATION=3 BENCH_RUNS=3 bench/pg_writes.sh
#   BENCH_MODES=post bench/pg_writes.sh          # one phase only
#   BENCH_STATEMENTS=1 bench/pg_writes.sh        # statements per write (pg_stat_statements)
#   BENCH_PERF=/tmp/prof bench/pg_writes.sh      # perf record -g of server and PostgreSQL
# Each run prints req/s, p50/p99, the server's and PostgreSQL's CPU per
# request, writes per COMMIT and round trips per write (batch, all).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/switchyard}
DURATION=${BENCH_DURATION:-5}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNS:-32}
WORKLOADS=${BENCH_WORKLOADS:-10000}
PORT=${BENCH_PORT:-18997}
BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "pg_writes.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -f "$work/pg.state" ] && tests/pg/cluster.sh stop "$work/pg.state" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# BENCH_KEEP_LOG=FILE keeps the server log.
keep_log() { [ -n "${BENCH_KEEP_LOG:-}" ] && cp "$work/server.log" "$BENCH_KEEP_LOG" 2>/dev/null; cleanup; }
trap keep_log EXIT
tests/pg/cluster.sh start "$work/pg.state" >/dev/null 2>&1
admin_url=$(tests/pg/cluster.sh url "$work/pg.state")
# BENCH_STATEMENTS=1: pg_stat_statements on; each run then prints the
# statements the database ran per write (calls / requests) and the top
# ones by time, to see what a write costs PostgreSQL.
if [ -n "${BENCH_STATEMENTS:-}" ]; then
  psql -q "$admin_url" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  tests/pg/cluster.sh restart "$work/pg.state" >/dev/null 2>&1
fi
psql -q "$admin_url" -c 'CREATE DATABASE switchyard_bench' >/dev/null
db=${admin_url%/*}/switchyard_bench
[ -z "${BENCH_STATEMENTS:-}" ] || psql -q "$db" -c 'CREATE EXTENSION pg_stat_statements' >/dev/null
echo "bench-password-123" | $BIN user add bench --role admin --db "$db" >/dev/null
$BIN serve --db "$db" --key-dir "$work" --listen "127.0.0.1:$PORT" --quiet 2>"$work/server.log" &
pid=$!
for _ in $(seq 100); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"bench","password":"bench-password-123"}' "$BASE/api/v1/session" |
  sed -n 's/^Set-Cookie: \(sy_session=[^;]*\).*/\1/p')
TOKEN=$(curl -fs -H "Cookie: $cookie" -H "Origin: $BASE" -H 'Content-Type: application/json' \
  -d '{"name":"bench","role":"admin"}' "$BASE/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
export WRK_TOKEN=$TOKEN
# generate.mjs may still send a field the server no longer knows
# (second_model_validated, gone since the AI Act fields): a copy without it.
sed 's/second_model_validated: [^,]*, //' bench/generate.mjs >"$work/generate.mjs"
node "$work/generate.mjs" "$BASE" "$TOKEN" "$WORKLOADS" 300 1000 >/dev/null
# Statistics for the loaded tables, as autovacuum would gather within its
# minute: until then the server's statements keep the plans made when the
# tables were empty (each connection prepares its statements once), and
# the read of 32 workloads by id was a whole-table scan (5 to 7 ms at
# 10,000 workloads instead of 0.2).
psql -q "$db" -c 'ANALYZE' >/dev/null
MAX_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/workloads?limit=1" |
  sed 's/.*"total":\([0-9]*\).*/\1/')
export WRK_MAX_ID=$MAX_ID

# Per run, besides wrk's line: the database's commits (xact_commit, which
# also counts every read's implicit transaction), its WAL flushes
# (pg_stat_wal.wal_sync: the fsyncs the disk did) and the server's CPU
# time (utime+stime, /proc) per request served, a figure that noise on a
# shared machine moves less than req/s.
pg_counts() {
  psql -qAt "$admin_url" -c "SELECT (SELECT xact_commit FROM pg_stat_database
    WHERE datname = 'switchyard_bench') || ' ' || (SELECT wal_sync FROM pg_stat_wal)"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# PostgreSQL's CPU time: the postmaster and its children (the backends of
# the server's pooled and batch connections, the WAL writer, the
# checkpointer); the backends live as long as the server's connections.
pg_dir=$(sed -n 's/^dir=//p' "$work/pg.state")
pg_pm=$(head -n 1 "$pg_dir/data/postmaster.pid")
pg_ticks() {
  local t=0 p
  for p in $pg_pm $(pgrep -P "$pg_pm"); do
    t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$t"
}
# BENCH_PERF=PREFIX: `perf record -g` of the server and of PostgreSQL's
# processes during each mode's first run, into PREFIX.MODE.server.data and
# PREFIX.MODE.pg.data (read with perf report -i FILE).
perf_start() {
  perf_pids=
  [ -n "${BENCH_PERF:-}" ] && [ "$2" = 1 ] || return 0
  perf record -q -g -p "$pid" -o "$BENCH_PERF.$1.server.data" -- sleep "$DURATION" >/dev/null 2>&1 &
  perf_pids="$!"
  perf record -q -g -p "$(pgrep -d, -P "$pg_pm")" -o "$BENCH_PERF.$1.pg.data" -- sleep "$DURATION" >/dev/null 2>&1 &
  perf_pids="$perf_pids $!"
}
# Group commit's counters (/metrics): writes, commits, round trips on the
# batch connection, round trips on every connection (0 for a binary
# without them).
group_counts() {
  curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/metrics" | awk '
    $1 == "switchyard_group_commit_writes_total" { w = $2 }
    $1 == "switchyard_group_commit_batches_total" { b = $2 }
    $1 == "switchyard_group_commit_round_trips_total" { t = $2 }
    $1 == "switchyard_db_round_trips_total" { a = $2 }
    END { print w + 0, b + 0, t + 0, a + 0 }'
}
for mode in ${BENCH_MODES:-post patch}; do
  path=/api/v1/workloads
  [ "$mode" = patch ] && path=/api/v1/workloads/1
  for r in $(seq "$RUNS"); do
    read -r c0 s0 < <(pg_counts)
    read -r gw0 gb0 gt0 ga0 < <(group_counts)
    [ -z "${BENCH_STATEMENTS:-}" ] || psql -qAt "$db" -c 'SELECT pg_stat_statements_reset(), pg_stat_reset()' >/dev/null
    t0=$(cpu_ticks)
    p0=$(pg_ticks)
    perf_start "$mode" "$r"
    line=$(WRK_MODE=$mode wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s \
      -s bench/wrk_report.lua "$BASE$path" | tail -n 1)
    read -r c1 s1 < <(pg_counts)
    t1=$(cpu_ticks)
    p1=$(pg_ticks)
    [ -z "$perf_pids" ] || wait $perf_pids
    read -r gw1 gb1 gt1 ga1 < <(group_counts)
    reqs=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(Math.round(r.rps * process.argv[2]))' "$line" "$DURATION")
    hz=$(getconf CLK_TCK)
    echo "$mode run $r: $line commits/s $(( (c1 - c0) / DURATION )) wal_syncs/s $(( (s1 - s0) / DURATION ))" \
      "server_cpu_ms/req $(node -e 'console.log((1000 * (process.argv[1] - process.argv[2]) / process.argv[3] / Math.max(1, process.argv[4])).toFixed(3))' "$t1" "$t0" "$hz" "$reqs")" \
      "pg_cpu_ms/req $(node -e 'console.log((1000 * (process.argv[1] - process.argv[2]) / process.argv[3] / Math.max(1, process.argv[4])).toFixed(3))' "$p1" "$p0" "$hz" "$reqs")" \
      "writes/commit $(node -e 'const [w, b] = process.argv.slice(1).map(Number); console.log(b ? (w / b).toFixed(2) : "-")' "$((gw1 - gw0))" "$((gb1 - gb0))")" \
      "batch_round_trips/write $(node -e 'const [t, w] = process.argv.slice(1).map(Number); console.log(t && w ? (t / w).toFixed(2) : "-")' "$((gt1 - gt0))" "$((gw1 - gw0))")" \
      "round_trips/write $(node -e 'const [t, w] = process.argv.slice(1).map(Number); console.log(t && w ? (t / w).toFixed(2) : "-")' "$((ga1 - ga0))" "$((gw1 - gw0))")"
    echo "$mode $line" >>"$work/runs"
    if [ -n "${BENCH_STATEMENTS:-}" ]; then
      psql -qAt -F ' | ' "$db" -c "SELECT round(sum(calls) / $reqs.0, 2) || ' statements per write, '
          || round(sum(total_exec_time)::numeric / $reqs, 3) || ' ms executing per write'
        FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
      psql -qAt -F ' | ' "$db" -c "SELECT round(calls / $reqs.0, 2) AS per_write,
          round(total_exec_time::numeric / $reqs, 4) AS ms_per_write, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
        FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
        ORDER BY total_exec_time DESC LIMIT ${BENCH_STATEMENTS_TOP:-12}"
      echo "tables read whole: table | seq scans | rows read | dead rows"
      psql -qAt -F ' | ' "$db" -c "SELECT relname, seq_scan, seq_tup_read, n_dead_tup
        FROM pg_stat_user_tables WHERE seq_scan > 0 ORDER BY seq_tup_read DESC LIMIT 6"
    fi
  done
done
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
for (const mode of ["post", "patch"].filter((m) => lines.some((l) => l.startsWith(m + " ")))) {
  const runs = lines.filter((l) => l.startsWith(mode + " ")).map((l) => JSON.parse(l.slice(mode.length + 1)));
  runs.sort((x, y) => x.rps - y.rps);
  const m = runs[Math.floor(runs.length / 2)];
  console.log(`${mode.toUpperCase()} median: ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, errors ${m.errors}`);
}' "$work/runs"
# The group commit's count (PostgreSQL) is logged when the server stops.
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=
grep -i 'group commit' "$work/server.log" || true
grep -c . "$work/server.log" >/dev/null && grep -i 'error\|warn' "$work/server.log" | head -5 || true
