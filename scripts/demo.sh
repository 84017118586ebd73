#!/usr/bin/env bash
# make demo: a fresh copy of ConsumerFixtures/basic, installed from the embedded fixture registry.
set -euo pipefail
bin="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mochi-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/ConsumerFixtures/basic/." "$work/app"
echo "== verify-install --prefix <fresh copy of ConsumerFixtures/basic> (embedded fixture registry)"
HOME="$work/home" "$bin/verify-install" --prefix "$work/app" --cache "$work/cache"
echo
echo "== package-lock.json written by verify-install"
head -n 20 "$work/app/package-lock.json"
echo "..."
echo
echo "== the installed library runs"
(cd "$work/app" && node -e "const m = require('@mochi/example'); console.log(Object.keys(m).join(', '))") || true
