#!/usr/bin/env bash
# make demo: the whole story on loopback. Start the fixture world (registry, OIDC issuer, Fulcio,
# Rekor, TUF mirror), emit the publish workflow, play its job (trusted publishing of @mochi/example
# with provenance), install it into a fresh copy of ConsumerFixtures/basic with full verification,
# audit the tree with verify-install and with the real npm, and print a short provenance report.
set -euo pipefail
bin="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mochi-demo.XXXXXX")"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
declare -a steps=()
now() { python3 -c 'import time; print(time.monotonic())'; }
step() { # step NAME COMMAND...: run, time, remember
  local name="$1"; shift
  local start; start="$(now)"
  echo "== $name"
  "$@"
  steps+=("$name|$(python3 -c "print(f'{$(now) - $start:.2f}')")")
  echo
}

mkdir -p "$work/project" "$work/home"
start_world() {
  "$bin/fixture-registry" serve --storage "$work/world" --without @mochi/example --log-level warning \
    > "$work/serve.json" 2> "$work/serve.log" &
  server=$!
  for _ in $(seq 1 300); do [ -s "$work/serve.json" ] && break; sleep 0.1; done
  [ -s "$work/serve.json" ] || { echo "the fixture world did not start:"; cat "$work/serve.log"; exit 1; }
  field() { python3 -c "import json,sys; print(json.load(open('$work/serve.json'))['$1'])"; }
  registry="$(field registry)"; fulcio="$(field fulcio)"; rekor="$(field rekor)"; trusted_root="$(field trustedRoot)"
  echo "registry $registry, Fulcio $fulcio, Rekor $rekor, trusted root $trusted_root"
}
step "start the fixture world (fixture-registry serve)" start_world

step "emit the workflow (mochi-pkg publish --target=npm-library)" \
  "$bin/mochi-pkg" publish --target=npm-library --project "$work/project"

publish_job() {
  ( set -a; . "$work/world/job.env"; set +a
    "$bin/mochi-pkg" publish --target=npm-library --fixture --project "$work/project" \
      --package-dir "$root/Registry/packages/@mochi/example" --registry "$registry" --fulcio "$fulcio" --rekor "$rekor" )
}
step "run the publish job: OIDC token, exchange, Fulcio, Rekor, npm publish --provenance" publish_job

cp -R "$root/ConsumerFixtures/basic/." "$work/app"
install() {
  HOME="$work/home" "$bin/verify-install" install --prefix "$work/app" --cache "$work/cache" --registry "$registry" \
    --trusted-root "$trusted_root" --policy "$root/ConsumerFixtures/policy-pass/verify-policy.json" --json > "$work/install.json"
  python3 - "$work/install.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["report"]
for p in report["packages"]:
    print(f'{p["name"]}@{p["version"]}: integrity ok, provenance {p.get("provenance", {}).get("status", "none")}')
PY
}
step "install ConsumerFixtures/basic with full verification (verify-install)" install

step "audit the tree (verify-install audit)" \
  "$bin/verify-install" audit --prefix "$work/app" --registry "$registry" --trusted-root "$trusted_root"

npm_audit() {
  if ! command -v npm >/dev/null; then echo "npm is not installed: skipped"; return; fi
  ( set -a; . "$work/world/world.env"; set +a
    cd "$work/app" && HOME="$work/home" npm audit signatures --fetch-retries=0 )
}
step "audit the tree (real npm audit signatures, offline through the world's TUF mirror)" npm_audit

echo "== report"
python3 - "$work/install.json" "${steps[@]}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["report"]
for p in report["packages"]:
    b = p.get("provenance", {}).get("builtBy", {})
    print(f'{p["name"]}@{p["version"]}')
    print(f'  integrity           {p["integrity"]}')
    print(f'  registry signature  verified')
    print(f'  provenance          {p.get("provenance", {}).get("status", "none")}')
    if b:
        print(f'  built by            {b.get("repository")}')
        print(f'  workflow            {b.get("workflow")} @ {b.get("ref")}')
        print(f'  commit              {b.get("commit")} ({b.get("runnerEnvironment")}, on {b.get("trigger")})')
print("steps:")
for item in sys.argv[2:]:
    name, seconds = item.rsplit("|", 1)
    print(f'  {seconds:>6}s  {name}')
PY
