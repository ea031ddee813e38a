#!/usr/bin/env bash
# tests/fault/run.sh [--short] - fault tests against the real binary
# ($SWITCHYARD_BIN, default build/switchyard):
#   a) kill9.mjs     kill -9 under 32-client write load, 50 rounds (short: 5);
#                    `switchyard check` ok and no acknowledged write lost
#   b) iofail.mjs    pwrite/fdatasync/fsync failures injected with libfiu
#                    (fiu-utils) for 60 s (short: 15 s): 503/507 problem+json,
#                    no crash, reads fine, nothing acknowledged lost
#   c) diskfull.mjs  the database on a small tmpfs that fills up (root; else
#                    skipped with a message): 507, reads fine, integrity ok
# The black-box HTTP fuzzer (http_fuzz.mjs, for the ASan build) and the
# slow-client test (tests/http/slowclients.test.mjs) run separately.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
short=0
[ "${1:-}" = "--short" ] && short=1
export SWITCHYARD_BIN=${SWITCHYARD_BIN:-$root/build/switchyard}
[ -x "$SWITCHYARD_BIN" ] || { echo "fault: $SWITCHYARD_BIN is not built" >&2; exit 1; }
if [ "$short" = 1 ]; then rounds=5; io=15; full=5; else rounds=50; io=60; full=10; fi

status=0
run() {
  local name=$1; shift
  local start=$SECONDS
  echo "== fault: $name"
  if node "$@"; then
    echo "== fault: $name passed ($(( SECONDS - start )) s)"
  else
    echo "== fault: $name FAILED ($(( SECONDS - start )) s)" >&2
    status=1
  fi
}
run "kill -9 under load" "$here/kill9.mjs" "$rounds"
run "injected I/O failures" "$here/iofail.mjs" "$io"
run "disk full" "$here/diskfull.mjs" "$full"
exit $status
