#!/usr/bin/env bash
# tests/pg/cluster.sh - a throwaway PostgreSQL 15 cluster for tests.
#
#   tests/pg/cluster.sh start [STATE]   initdb into a new temporary directory and start it
#   tests/pg/cluster.sh url   [STATE]   print postgres://USER@127.0.0.1:PORT/postgres
#   tests/pg/cluster.sh stop  [STATE]   stop it and remove its directory
#   tests/pg/cluster.sh restart [STATE] stop it (fast: sessions are ended) and
#                                       start it again on the same port and data
#
# STATE is a small file recording the cluster's directory, port and user; it
# comes from the argument, else $SWITCHYARD_PG_STATE, else
# ${TMPDIR:-/tmp}/switchyard-pg.state. Two clusters can run side by side
# when they use different state files: each gets its own directory and a
# free port (a start that loses a race for a port tries another one).
#
# The cluster listens on 127.0.0.1 only, keeps its unix socket in its own
# directory, trusts local connections (it is thrown away after the tests)
# and keeps fsync and synchronous_commit on, as a real server would. Run as
# root, the server runs as the unprivileged `postgres` user (PostgreSQL
# refuses to run as root); otherwise as the calling user. A start that fails
# stops what it started and removes its directory.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
state=${2:-${SWITCHYARD_PG_STATE:-${TMPDIR:-/tmp}/switchyard-pg.state}}

die() { echo "cluster.sh: $*" >&2; exit 1; }

[ -x "$PG_BIN/initdb" ] || die "no PostgreSQL binaries in $PG_BIN (apt-get install postgresql)"

if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  getent passwd "$pg_user" >/dev/null || die "running as root needs the '$pg_user' user (installed by the postgresql package)"
  as_pg() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user=$(id -un)
  as_pg() { "$@"; }
fi

# Reads dir, port and user from the state file into st_dir, st_port, st_user.
read_state() {
  [ -f "$state" ] || die "no cluster recorded in $state"
  st_dir='' st_port='' st_user=''
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      dir) st_dir=$value ;;
      port) st_port=$value ;;
      user) st_user=$value ;;
    esac
  done <"$state"
  [ -n "$st_dir" ] && [ -n "$st_port" ] && [ -n "$st_user" ] || die "$state is incomplete"
  case "$st_port" in *[!0-9]*) die "$state has a bad port" ;; esac
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [ -f "$state" ]; then
    die "$state already records a cluster; stop it first or use another state file"
  fi
  local dir started=0 ok=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-pg.XXXXXX")
  # On any failure from here on: stop what was started, remove everything.
  cleanup_failed() {
    if [ "$ok" -eq 0 ]; then
      if [ "$started" -eq 1 ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      fi
      [ -f "$dir/log" ] && tail -n 20 "$dir/log" >&2 || true
      rm -rf "$dir"
      rm -f "$state"
    fi
  }
  trap cleanup_failed EXIT
  trap 'exit 1' INT TERM
  chmod 0700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$pg_user" "$dir"

  # The cluster's own files only: --no-sync skips flushing initdb's output
  # (a crash during initdb just fails the run); the server itself runs with
  # fsync on.
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U "$pg_user" --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
# tests/pg/cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
logging_collector = off
EOF

  local attempt port
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_busy "$port" && continue
    started=1
    rm -f "$dir/log"
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -w -t 60 start >/dev/null; then
      break
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    started=0
    port=''
    # Another process took the port between the check and the start: try
    # another one. Any other failure is final.
    grep -q 'Address already in use' "$dir/log" || break
  done
  [ -n "${port:-}" ] && [ "$started" -eq 1 ] || die "could not start a cluster (see above)"

  local tmp="$state.tmp.$$"
  printf 'dir=%s\nport=%s\nuser=%s\n' "$dir" "$port" "$pg_user" >"$tmp"
  mv "$tmp" "$state"
  ok=1
  trap - EXIT INT TERM
  echo "cluster.sh: started in $dir on 127.0.0.1:$port" >&2
}

stop() {
  read_state
  if [ -d "$st_dir/data" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$st_dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_pg "$PG_BIN/pg_ctl" -D "$st_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$st_dir" in
    */switchyard-pg.*) rm -rf "$st_dir" ;;
    *) die "refusing to remove unexpected directory $st_dir" ;;
  esac
  rm -f "$state"
}

# pg_ctl restart -m fast: open sessions end (as in a real restart), the
# data and the port stay; returns once the server accepts connections.
restart() {
  read_state
  as_pg "$PG_BIN/pg_ctl" -D "$st_dir/data" -l "$st_dir/log" -o "-p $st_port" -m fast -w -t 60 \
    restart >/dev/null || { tail -n 20 "$st_dir/log" >&2; die "could not restart the cluster"; }
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  url) read_state; echo "postgres://$st_user@127.0.0.1:$st_port/postgres" ;;
  *) echo "usage: $0 start|stop|restart|url [STATE_FILE]" >&2; exit 2 ;;
esac
