#!/bin/sh
# scale_smoke_pg.sh - the bench-smoke run of scale_bench on PostgreSQL, in a
# database of its own on the server SWITCHYARD_TEST_PG names (an admin URL
# ending in /DBNAME, as tests/pg/cluster.sh url prints), dropped afterwards.
# usage: scale_smoke_pg.sh SCALE_BENCH_BINARY
set -eu
bin=$1
admin=${SWITCHYARD_TEST_PG:?needs SWITCHYARD_TEST_PG}
db=sy_scale_smoke_$$
url="${admin%/*}/$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE DATABASE $db"
trap 'psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
"$bin" --db "$url" --workloads 1000 --smoke
