#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - builds the libFuzzer targets with clang into
# build-fuzz (or $SWITCHYARD_FUZZ_BUILD) and runs each for SECONDS (default
# 60). Each run first replays its whole seed corpus (tests/fuzz/corpus/<t>/,
# which also holds the inputs of every crash found so far), then mutates.
# New inputs go to <build>/corpus/<t>/, never into the source tree; a crash
# leaves its input in <build>/artifacts/. Fails if any target crashes, leaks,
# times out or breaks a property.
#   FUZZ_TARGETS="validate route"  only these targets
#   FUZZ_ARGS="-jobs=2"            extra libFuzzer flags
#   SWITCHYARD_FUZZ_APIDOC=FILE    a normal build's generated/apidoc/openapi.json,
#                                  so the library is not built a second time
#                                  for the generator (CTest's fuzz.short sets it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
build=${SWITCHYARD_FUZZ_BUILD:-$root/build-fuzz}

command -v clang >/dev/null || { echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
echo "== fuzz: building into $build"
CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSWITCHYARD_FUZZ=ON -DSWITCHYARD_SANITIZE=OFF \
  -DSWITCHYARD_FUZZ_APIDOC="${SWITCHYARD_FUZZ_APIDOC:-}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz >/dev/null

targets=${FUZZ_TARGETS:-}
if [ -z "$targets" ]; then
  for d in "$here"/corpus/*/; do
    t=$(basename "$d")
    [ -x "$build/tests/fuzz/fuzz_$t" ] && targets="$targets $t"
  done
fi
[ -e "$root/server/core/csv.h" ] || echo "fuzz: server/core/csv.h does not exist yet: no csv target"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in $targets; do
  bin="$build/tests/fuzz/fuzz_$t"
  work="$build/corpus/$t"
  arts="$build/artifacts"
  mkdir -p "$work" "$arts"
  dict=()
  [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
  echo "== fuzz: $t for ${seconds}s"
  start=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  "$bin" "$work" "$here/corpus/$t" "${dict[@]}" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$arts/$t-" ${FUZZ_ARGS:-} >"$build/$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$build/$t.log" | tr '\n' ' ' || true
  echo "($(( $(date +%s) - start ))s, exit $rc)"
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED; log $build/$t.log, input in $arts/:" >&2
    tail -n 60 "$build/$t.log" >&2
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: failures in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a crash"
