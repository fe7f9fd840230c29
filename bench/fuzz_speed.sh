#!/usr/bin/env bash
# Fuzzing speed, side by side in one run: execs/s of the read_raw target
# under libFuzzer (ASan+UBSan, build/fuzz) against Go's native fuzzer
# (go test -fuzz) running the same property on golang.org/x/exp/trace
# (bench/gofuzz: read every event of any input, no panic), each for the
# same number of seconds on the same seeds (seeds/read_raw), one after the
# other on this machine; also the differential target diff_oracle.
#
# Usage: bench/fuzz_speed.sh [SECONDS]   (default 60)
# Exit codes: 0 measured, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
case "$secs" in -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

cmake --preset fuzz >/dev/null && \
  cmake --build --preset fuzz --target read_raw diff_oracle oracle >&2 || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libfuzzer_rate() { # target
  mkdir -p "$work/$1"
  build/fuzz/bin/"$1" -max_total_time="$secs" -print_final_stats=1 \
    -dict=build/fuzz/bin/"$1".dict "$work/$1" seeds/"$1" 2>"$work/$1.log" >/dev/null || true
  sed -nE 's/^stat::average_exec_per_sec:[[:space:]]*([0-9]+).*/\1/p' "$work/$1.log" | tail -1
}

echo "fuzz_speed: read_raw under libFuzzer for ${secs}s" >&2
c=$(libfuzzer_rate read_raw)
echo "fuzz_speed: diff_oracle under libFuzzer for ${secs}s" >&2
d=$(libfuzzer_rate diff_oracle)
# Go's fuzzer is given a count of inputs rather than a time: in time mode its
# workers stall after a few dozen inputs on this machine (both report
# 0/sec until the end), which would make the comparison meaningless. The
# count is sized to take about as long as the C runs; Go's rate is its
# final progress line (execs over elapsed time).
echo "fuzz_speed: go test -fuzz on x/exp/trace, $((secs * 5000)) inputs" >&2
(cd bench/gofuzz && go test -run '^$' -fuzz FuzzReadEvents -fuzztime "$((secs * 5000))x" \
  -test.fuzzcachedir="$work/gocache" . >"$work/go.log" 2>&1) || true
g=$(sed -nE 's/.*execs: [0-9]+ \(([0-9]+)\/sec\).*/\1/p' "$work/go.log" | tail -1)
[[ -n $c && -n $g && -n $d ]] || { echo "fuzz_speed: a run printed no rate" >&2; exit 2; }

printf '%-34s %12s\n' "fuzzer (${secs}s each, same seeds)" "execs/s"
printf '%-34s %12s\n' "read_raw, libFuzzer+ASan+UBSan" "$c"
printf '%-34s %12s\n' "go test -fuzz, x/exp/trace" "$g"
printf '%-34s %12s\n' "diff_oracle (C vs Go), libFuzzer" "$d"
awk -v c="$c" -v g="$g" 'BEGIN { printf "ratio    read_raw / go test -fuzz = %.1fx (goal >= 20x)\n", (g > 0 ? c / g : 0) }'
