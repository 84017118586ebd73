#!/usr/bin/env bash
# Runs the fuzz targets built by Fuzz/build.sh, one at a time, each for FUZZ_SECONDS, and ends with
# one summary line. Seeds are regenerated into $FUZZ_BUILD/seeds/<target> (Fuzz/seeds.py); what the
# fuzzer finds accumulates in $FUZZ_BUILD/corpus/<target>; crash, leak, timeout and OOM inputs go to
# $FUZZ_BUILD/crashes/<target>/. After a crash the target is restarted for the time it has left
# (at most FUZZ_RESTARTS times), so one bug does not end the campaign for that target.
#
#   Fuzz/run.sh                  every target
#   Fuzz/run.sh sri semver       just those
# Environment: FUZZ_SECONDS (600), FUZZ_BUILD (.build-fuzz), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (25 s per
# input), FUZZ_RESTARTS (3), FUZZ_NICE ("nice -n 10"), FUZZ_VECTORS (../shared/vectors), FUZZ_FLAGS (extra).
# Exit status: 1 when any target crashed, else 0.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$(mkdir -p "${FUZZ_BUILD:-.build-fuzz}" && cd "${FUZZ_BUILD:-.build-fuzz}" && pwd)"
EACH="${FUZZ_SECONDS:-600}"
RSS="${FUZZ_RSS_MB:-2048}"
TIMEOUT="${FUZZ_TIMEOUT:-25}"
RESTARTS="${FUZZ_RESTARTS:-3}"
NICE="${FUZZ_NICE-nice -n 10}"
export FUZZ_VECTORS="${FUZZ_VECTORS:-$(cd "$ROOT/.." && pwd)/shared/vectors}"
# LeakSanitizer stays on (libFuzzer's -detect_leaks default).
# Scratch folders (the tarball target unpacks into $TMPDIR) stay inside the build folder.
export TMPDIR="$OUT/tmp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_stack_use_after_return=0}"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<< "$("$ROOT/Fuzz/build.sh" --list)"

rm -rf "$OUT/seeds"
python3 "$ROOT/Fuzz/seeds.py" "$ROOT" "$OUT/seeds" || { echo "fuzz: seeds.py failed" >&2; exit 2; }
mkdir -p "$OUT/logs"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"

total_execs=0
total_crashes=0
for t in "${targets[@]}"; do
    fuzzer="$OUT/bin/fuzz-$t"
    [ -x "$fuzzer" ] || { echo "fuzz: $fuzzer is missing (run Fuzz/build.sh $t)" >&2; exit 2; }
    corpus="$OUT/corpus/$t"
    crashes="$OUT/crashes/$t"
    seeds="$OUT/seeds/$t"
    log="$OUT/logs/run-$t.log"
    mkdir -p "$corpus" "$crashes" "$seeds"
    : > "$log"
    before=$(ls "$crashes" | wc -l)
    remaining=$EACH
    execs=0
    runs=0
    while :; do
        runs=$((runs + 1))
        started=$(date +%s)
        run_log="$OUT/logs/run-$t.$runs.log"
        # The subshell keeps bash's "Aborted" job notice in the run log.
        # shellcheck disable=SC2086
        ( $NICE "$fuzzer" -max_total_time="$remaining" -rss_limit_mb="$RSS" \
            -timeout="$TIMEOUT" -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_FLAGS:-} \
            "$corpus" "$seeds"; code=$?; exit $code ) > "$run_log" 2>&1
        status=$?
        cat "$run_log" >> "$log"
        n=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$run_log" | tail -1 | grep -o '[0-9]*$')
        if [ -z "$n" ]; then  # no final stats (killed hard): take the last progress line
            n=$(grep -a -o '^#[0-9]*' "$run_log" | tail -1 | tr -d '#')
        fi
        execs=$((execs + ${n:-0}))
        if [ $status -ne 0 ]; then
            echo "fuzz: $t: fuzzer exited $status (log: $log)" >&2
            grep -a -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|Fatal error' "$run_log" >&2
        fi
        rm -f "$run_log"
        [ $status -eq 0 ] && break
        remaining=$((remaining - ($(date +%s) - started)))
        { [ $remaining -lt 5 ] || [ $runs -gt "$RESTARTS" ]; } && break
    done
    found=$(( $(ls "$crashes" | wc -l) - before ))
    total_execs=$((total_execs + execs))
    total_crashes=$((total_crashes + found))
    printf 'fuzz: %-10s %10d executions  %d crash(es)%s\n' "$t" "$execs" "$found" \
        "$([ $found -gt 0 ] && echo "  -> $crashes")"
done
rm -rf "$TMPDIR"
echo "fuzz summary: ${#targets[@]} targets, ${EACH} s each, ${total_execs} executions, ${total_crashes} crashes"
[ $total_crashes -eq 0 ]
