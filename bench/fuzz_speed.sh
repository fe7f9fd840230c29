#!/usr/bin/env bash
# Fuzzing speed, side by side in one run: execs/s of the raw-bytes target
# under libFuzzer against Go's native fuzzer (go test -fuzz) checking the
# same property on golang.org/x/exp/trace (read every event, no panic).
# One after the other on this machine, each for SECONDS, on equal terms:
#   - property: read_events (fuzz/read_events.c), built with coverage
#     instrumentation only (-fsanitize=fuzzer, -O2; Go instruments for
#     coverage only too), against bench/gofuzz's FuzzReadEvents; a second
#     build without libFuzzer's comparison and indirect-call tracing has
#     exactly Go's instrumentation (8-bit edge counters: Go traces no
#     indirect calls, and its comparison hooks are empty functions);
#   - seeds: one corpus for all runs, seeds/read_raw plus Go's FuzzReader
#     corpus from the module cache (decoded by bench/gofuzz/seeds);
#   - max input length 65536 on both (-max_len; an early return in Go);
#   - one worker each: one libFuzzer process, -parallel=1 for Go;
#   - time mode on both, no dictionary on either; Go with
#     -fuzzminimizetime=0 (its minimization of each new input reports no
#     execs until it ends, which made time mode look stalled);
#   - rate = execs / wall seconds of the whole run, both counting every
#     call of the fuzz function (warm-up on the seeds included).
# The engine's floor: both read_events builds again with -max_len=8, so
# every input is rejected in the 16-byte header and the reader costs next
# to nothing; floor / go is the most any reader could reach against Go's
# fuzzer in that build (printed as "ceiling").
# Also printed: read_events and read_raw (the full property) under
# libFuzzer+ASan+UBSan, and the differential target diff_oracle. CPU
# seconds (user+sys of the run and its children) show what each used of
# the 2 cores. docs/fuzzing.md ("Fuzzing speed") explains the choices.
#
# Usage: bench/fuzz_speed.sh [SECONDS]   (default 60)
# Build directories: build/fuzz (preset fuzz), build/fuzz-speed and
# build/fuzz-speed-nocmp, or
# $FUZZ_SPEED_ASAN_BUILD and $FUZZ_SPEED_COV_BUILD (+ -nocmp).
# Exit codes: 0 measured, 2 setup failed or a run printed no count.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
case "$secs" in
  -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  ''|*[!0-9]*|0) echo "fuzz_speed: SECONDS wants a positive number" >&2; exit 2 ;;
esac
max_len=65536
asan_dir=${FUZZ_SPEED_ASAN_BUILD:-build/fuzz}
cov_dir=${FUZZ_SPEED_COV_BUILD:-build/fuzz-speed}

# ASan+UBSan: the fuzz preset (or its settings in another directory).
if [ "$asan_dir" = build/fuzz ]; then
  cmake --preset fuzz >/dev/null || exit 2
else
  cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRACEFUZZ_WERROR=ON \
    '-DTRACEFUZZ_SANITIZE=address;undefined' -DTRACEFUZZ_LIBFUZZER=ON >/dev/null || exit 2
fi
cmake --build "$asan_dir" --target read_raw read_events diff_oracle oracle >&2 || exit 2
# Coverage only, -O2 -g -DNDEBUG as in the fuzz preset; the second build
# also leaves out libFuzzer's comparison tracing (trace-cmp), whose hooks
# Go's fuzzer compiles to empty functions (internal/fuzz/trace.go), and its
# indirect-call tracing, which Go's compiler does not insert: what is left
# is Go's instrumentation, 8-bit edge counters. Just the target: without a sanitizer runtime nothing
# defines the coverage callbacks for plain executables such as gen_dict.
for dir in "$cov_dir" "$cov_dir-nocmp"; do
  flags=
  [ "$dir" = "$cov_dir" ] || flags=-fno-sanitize-coverage=trace-cmp,indirect-calls
  cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo '-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g -DNDEBUG' \
    -DTRACEFUZZ_WERROR=ON -DTRACEFUZZ_LIBFUZZER=ON -DTRACEFUZZ_TESTS=OFF \
    -DTRACEFUZZ_ORACLE=OFF -DBUILD_TESTING=OFF >/dev/null || exit 2
  cmake --build "$dir" --target read_events >&2 || exit 2
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
xexp=$(cd bench/gofuzz && go list -m -f '{{.Dir}}' golang.org/x/exp) || exit 2
(cd bench/gofuzz && go run ./seeds "$work/seeds" ../../seeds/read_raw \
  "$xexp/trace/testdata/fuzz/FuzzReader") || exit 2
# The instrumented test binary, built before the clock starts.
(cd bench/gofuzz && go test -c -fuzz '^FuzzReadEvents$' -o "$work/gofuzz.test" .) >&2 || exit 2
echo "fuzz_speed: $(ls "$work/seeds" | wc -l) seeds, max_len $max_len, ${secs}s per run" >&2

rows=()
# One row of the table: the run's execs, with its wall and CPU seconds from
# $work/NAME.time (/usr/bin/time -f '%e %U %S'); sets rate_NAME (execs per
# wall second) and cpu_NAME (execs per CPU second).
add_row() { # label name execs
  local wall user sys
  read -r wall user sys < <(tail -1 "$work/$2.time") # after any "exited with" line
  rows+=("$1|$3|$wall|$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')")
  eval "rate_$2=$(awk -v n="$3" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')"
  eval "cpu_$2=$(awk -v n="$3" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", n / (u + s) }')"
}

# [libfuzzer] keys of <target>.options as -key=value flags.
options_flags() {
  awk -F' *= *' '/^\[/{s=($0=="[libfuzzer]")} s && NF==2 && $1 !~ /^[#;]/ {print "-" $1 "=" $2}' "$1"
}

libfuzzer_run() { # label name binary [max_len]
  local bin=$3 len=${4:-$max_len} rc=0
  echo "fuzz_speed: $1 for ${secs}s" >&2
  mkdir -p "$work/$2"
  /usr/bin/time -f '%e %U %S' -o "$work/$2.time" \
    "$bin" $(options_flags "$bin.options") -max_len="$len" -max_total_time="$secs" \
    -print_final_stats=1 -artifact_prefix="$work/$2-" "$work/$2" "$work/seeds" \
    >/dev/null 2>"$work/$2.log" || rc=$?
  [ "$rc" = 0 ] || { echo "fuzz_speed: $2 exited $rc (a finding?):" >&2; tail -5 "$work/$2.log" >&2; }
  local n
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$2.log" | tail -1)
  [ -n "$n" ] || { echo "fuzz_speed: $2 printed no count" >&2; exit 2; }
  add_row "$1" "$2" "$n"
}

libfuzzer_run "read_events, libFuzzer, coverage only" cov "$cov_dir/bin/read_events"
libfuzzer_run "  the same, edge counters only" nocmp "$cov_dir-nocmp/bin/read_events"
libfuzzer_run "engine floor, coverage only" floor "$cov_dir/bin/read_events" 8
libfuzzer_run "  the same, edge counters only" floor_nocmp "$cov_dir-nocmp/bin/read_events" 8
echo "fuzz_speed: go test -fuzz FuzzReadEvents for ${secs}s" >&2
mkdir -p "$work/gorun" # a crasher would be written under its testdata/
rc=0
(cd "$work/gorun" && FUZZ_SPEED_SEEDS="$work/seeds" FUZZ_SPEED_MAX_LEN="$max_len" \
  /usr/bin/time -f '%e %U %S' -o "$work/go.time" "$work/gofuzz.test" -test.run='^$' \
  -test.fuzz='^FuzzReadEvents$' -test.fuzztime="${secs}s" -test.fuzzminimizetime=0 \
  -test.parallel=1 -test.fuzzcachedir="$work/gocache" >"$work/go.log" 2>&1) || rc=$?
[ "$rc" = 0 ] || { echo "fuzz_speed: go test -fuzz exited $rc:" >&2; tail -5 "$work/go.log" >&2; }
g=$(sed -nE 's/^fuzz: elapsed: .*, execs: ([0-9]+) .*/\1/p' "$work/go.log" | tail -1)
[ -n "$g" ] || { echo "fuzz_speed: go test -fuzz printed no count" >&2; exit 2; }
add_row "go test -fuzz, x/exp/trace" go "$g"
libfuzzer_run "read_events, libFuzzer+ASan+UBSan" asan_events "$asan_dir/bin/read_events"
libfuzzer_run "read_raw, libFuzzer+ASan+UBSan" asan_raw "$asan_dir/bin/read_raw"
libfuzzer_run "diff_oracle (C vs Go), ASan+UBSan" diff "$asan_dir/bin/diff_oracle"

printf '%-36s %10s %6s %6s %9s %9s\n' "fuzzer (${secs}s each, 1 worker)" execs wall_s cpu_s \
  "execs/s" "per CPU s"
for r in "${rows[@]}"; do
  IFS='|' read -r label n wall cpu <<<"$r"
  printf '%-36s %10s %6s %6s %9.0f %9.0f\n' "$label" "$n" "$wall" "$cpu" \
    "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n / w }')" \
    "$(awk -v n="$n" -v c="$cpu" 'BEGIN { print n / c }')"
done
# shellcheck disable=SC2154 # rate_* and cpu_* are set by add_row
awk -v c="$rate_cov" -v n="$rate_nocmp" -v a="$rate_asan_raw" -v g="$rate_go" \
    -v cc="$cpu_cov" -v cn="$cpu_nocmp" -v gc="$cpu_go" \
    -v fc="$cpu_floor" -v fn="$cpu_floor_nocmp" 'BEGIN {
  printf "ratio  read_events (coverage only) / go test -fuzz = %5.2fx per wall s, %5.2fx per CPU s (goal >= 20x)\n", c / g, cc / gc
  printf "ratio  the same, edge counters only / go         = %5.2fx per wall s, %5.2fx per CPU s\n", n / g, cn / gc
  printf "ratio  read_raw (ASan+UBSan) / go test -fuzz     = %5.2fx per wall s\n", a / g
  printf "ceiling  engine floor (coverage only) / go       = %5.2fx per CPU s (a reader costing nothing)\n", fc / gc
  printf "ceiling  engine floor (edge counters only) / go  = %5.2fx per CPU s\n", fn / gc }'
