#!/usr/bin/env bash
# tests/fresh/chroot-demo.sh - the README's first command on a fresh machine:
# debootstraps a minimal Debian bookworm into a new directory, copies this
# checkout into it, runs `.ci/demo` there (it installs what it needs with
# apt-get and npm), and checks that the demo answers with its pages and
# Chart.js. Needs root, debootstrap and the network to Debian and npm;
# takes about ten minutes, so it is run by hand, not by CI (CI proves the
# test-free configure with .ci/demo-config-check).
#
#   sudo tests/fresh/chroot-demo.sh [DIR]     (default: a new /tmp/switchyard-fresh.XXXX)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=${1:-$(mktemp -d /tmp/switchyard-fresh.XXXX)}
port=${SWITCHYARD_FRESH_PORT:-18080}
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

[ -x "$root/bin/bash" ] || debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
for m in proc sys dev dev/pts; do mountpoint -q "$root/$m" || mount --bind "/$m" "$root/$m"; done
cleanup() {
  pkill -f "switchyard serve --demo --db /tmp/fresh-demo.db" || true
  for m in dev/pts dev sys proc; do umount "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A machine behind a TLS-inspecting proxy trusts its CA; the chroot must too.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
rm -rf "$root/src"
git ls-files -z | (mkdir -p "$root/src" && xargs -0 cp --parents -t "$root/src")

chroot "$root" /usr/bin/env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt /bin/bash -c \
  "(command -v update-ca-certificates >/dev/null && update-ca-certificates >/dev/null) || true; \
   cd /src && SWITCHYARD_LISTEN=127.0.0.1:$port SWITCHYARD_DB=/tmp/fresh-demo.db .ci/demo" \
  >"$root/demo.log" 2>&1 &
for _ in $(seq 1 900); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/health" 2>/dev/null && break
  sleep 1
done
fail() { echo "chroot-demo: $*" >&2; tail -20 "$root/demo.log" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null || fail "the demo did not start"
size=$(curl -fsS "http://127.0.0.1:$port/" | wc -c)
[ "$size" -gt 500 ] || fail "the front end is missing"
curl -fsS "http://127.0.0.1:$port/vendor/chart.umd.js" | grep -q 'Chart' || fail "Chart.js is not served"
if grep -qE 'libcmocka|chromium|postgresql' "$root/demo.log"; then fail "a test package was installed"; fi
echo "chroot-demo: .ci/demo built and served the demo with Chart.js on a fresh bookworm ($root)"
