#!/usr/bin/env bash
# Fuzz campaign with libFuzzer + ASan + UBSan: builds every fuzz target
# (preset `fuzz`, build dir build/fuzz), replays seeds/regressions through
# each, then runs each target for a bounded time on its seeds and prints
# per-target execs, execs/s, CPU seconds (the fuzzer and its children, such
# as the Go oracle), corpus size and findings.
#
# Usage: ci/fuzz.sh [--seconds N] [--cpu-seconds C] [--keep-going] [--no-build]
#                   [TARGET...]
#   --seconds N    fuzzing time per target (default 20)
#   --cpu-seconds C  keep fuzzing each target in rounds of --seconds until it
#                  has used C CPU seconds in all (on a shared machine wall
#                  time says little; this budget is what a "CPU-hour" means)
#   --keep-going   fork mode that records every crash instead of stopping at
#                  the first (-fork=1 -ignore_crashes=1)
#   --no-build     use the binaries already in build/fuzz/bin
#   TARGET...      a subset of: read_raw read_text read_stream diff_oracle
#                  read_events gen_accept gen_mutate (default: the first four)
# Corpora grow in build/fuzz/campaign/<target>/corpus across runs; crash
# inputs land in build/fuzz/campaign/<target>/artifacts/ (see
# docs/fuzzing.md for reproducing, minimizing and reporting them).
# Ctrl-C (or SIGTERM to the fuzzer) ends the campaign early: the table then
# holds what ran until then, and the stop is not a finding.
# Exit codes: 0 no finding, 1 a finding (crash, leak, timeout, divergence,
# failing regression), 2 usage, setup or build error.
set -euo pipefail
cd "$(dirname "$0")/.."

default_targets=(read_raw read_text read_stream diff_oracle)
all_targets=("${default_targets[@]}" read_events gen_accept gen_mutate)
seconds=20 cpu_budget=0 keep_going=0 build=1 targets=() interrupted=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --seconds) [ $# -ge 2 ] || { echo "fuzz.sh: --seconds needs a value" >&2; exit 2; }
               seconds=$2; shift ;;
    --cpu-seconds) [ $# -ge 2 ] || { echo "fuzz.sh: --cpu-seconds needs a value" >&2; exit 2; }
               cpu_budget=$2; shift ;;
    --keep-going) keep_going=1 ;;
    --no-build) build=0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${default_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t" >&2; exit 2; }
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds wants a number" >&2; exit 2 ;; esac
case "$cpu_budget" in ''|*[!0-9]*) echo "fuzz.sh: --cpu-seconds wants a number" >&2; exit 2 ;; esac

bdir=build/fuzz
bin=$bdir/bin
if [ "$build" = 1 ]; then
  echo "== configure and build (preset fuzz)" >&2
  cmake --preset fuzz >/dev/null || exit 2
  # The Go oracle is a target only when Go was found and TRACEFUZZ_ORACLE is
  # on; the _replay twins only with BUILD_TESTING.
  known=$(ninja -C "$bdir" -t targets all 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*\): .*/\1/p')
  build_targets=(fuzz_dicts)
  grep -qx oracle <<<"$known" && build_targets+=(oracle)
  for t in "${targets[@]}"; do
    build_targets+=("$t")
    grep -qx "${t}_replay" <<<"$known" && build_targets+=("${t}_replay")
  done
  cmake --build --preset fuzz -j "$(nproc)" --target "${build_targets[@]}" >&2 || exit 2
fi

# [libfuzzer] keys of fuzz/<target>.options as -key=value flags.
options_flags() {
  awk -F' *= *' '/^\[/{s=($0=="[libfuzzer]")} s && NF==2 && $1 !~ /^[#;]/ {print "-" $1 "=" $2}' \
    "$bin/$1.options"
}

findings=0
summary=()
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || { echo "fuzz.sh: $bin/$t missing (build first)" >&2; exit 2; }
  work=$bdir/campaign/$t
  mkdir -p "$work/corpus" "$work/artifacts"
  log=$work/fuzz.log

  # Regressions first: every past crash must stay fixed.
  reg=ok
  # The replay driver takes the directory; without it, the libFuzzer binary
  # takes the files (given a directory it would fuzz with it as its corpus).
  replay=("$bin/${t}_replay" seeds/regressions)
  [ -x "${replay[0]}" ] || replay=("$bin/$t" seeds/regressions/*)
  # (The group's 2>/dev/null keeps bash's "Aborted" notice out of the output.)
  if ! { "${replay[@]}" >"$work/regressions.log" 2>&1; } 2>/dev/null; then
    reg=FAIL
    findings=$((findings + 1))
    echo "== $t: a regression input fails; see $work/regressions.log" >&2
    grep -E 'assertion failed|DIVERGENCE:|GO-PANIC:|ORACLE-FAILED|^SUMMARY' \
      "$work/regressions.log" | head -3 >&2 || true
  fi

  before=$(ls "$work/artifacts" | wc -l)
  mode=()
  [ "$keep_going" = 1 ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  cpu=0 execs=0 wall=0 round=0
  while :; do
    round=$((round + 1))
    # The last round of a CPU budget runs only for what is left of it (a
    # fuzzer uses about one CPU second per second), but at least a minute.
    secs=$seconds left=$((cpu_budget - cpu))
    [ "$cpu_budget" -gt 0 ] && [ "$left" -lt "$secs" ] && secs=$((left > 60 ? left : 60))
    echo "== $t: fuzzing ${secs}s (round $round, ${cpu} CPU-s so far)" >&2
    set +e
    /usr/bin/time -f '%e %U %S' -o "$work/cpu" \
      "$bin/$t" $(options_flags "$t") "${mode[@]}" -max_total_time="$secs" \
      -print_final_stats=1 -dict="$bin/$t.dict" -artifact_prefix="$work/artifacts/" \
      "$work/corpus" "seeds/$t" >"$log" 2>&1
    rc=$?
    set -e
    read -r r_wall r_cpu < <(awk 'NF == 3 && $1 ~ /^[0-9.]+$/ { printf "%.0f %.0f\n", $1, $2 + $3 }' "$work/cpu") || true
    r_execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ -z "$r_execs" ]; then # fork mode prints progress lines only
      r_execs=$(grep -E '^#[0-9]+: cov' "$log" | tail -1 | sed -n 's/^#\([0-9]*\):.*/\1/p' || true)
    fi
    cpu=$((cpu + ${r_cpu:-0})) execs=$((execs + ${r_execs:-0})) wall=$((wall + ${r_wall:-0}))
    cat "$log" >>"$work/fuzz-rounds.log"
    new=$(( $(ls "$work/artifacts" | wc -l) - before ))
    # Stopped by SIGINT or SIGTERM (Ctrl-C, kill): libFuzzer exits 72, a
    # process killed outright 130 or 143. The campaign ends here with what
    # it has, and that is not a finding.
    case "$rc" in 72|130|143) [ "$new" = 0 ] && { interrupted=1; break; } ;; esac
    [ "$rc" != 0 ] && [ "$new" = 0 ] && new=1 # a crash the engine could not save
    [ "$new" = 0 ] && [ "$cpu" -lt "$cpu_budget" ] || break
  done
  findings=$((findings + new))
  rate=$(( execs / (wall > 0 ? wall : 1) ))
  corpus=$(ls "$work/corpus" | wc -l)
  summary+=("$(printf '%-12s %10s %8s %8s %7s %9s %11s' "$t" "$execs" "$rate" \
    "$cpu" "$corpus" "$new" "$reg")")
  if [ "$new" != 0 ]; then
    grep -E 'assertion failed|DIVERGENCE:|GO-PANIC:|ORACLE-FAILED|^SUMMARY|Test unit written' \
      "$log" | head -6 >&2 || true
  fi
  [ "$interrupted" = 0 ] || { echo "== $t: interrupted" >&2; break; }
done

printf '%-12s %10s %8s %8s %7s %9s %11s\n' target execs exec/s cpu-s corpus findings regressions
printf '%s\n' "${summary[@]}"
if [ "$findings" != 0 ]; then
  echo "fuzz.sh: $findings finding(s); inputs in $bdir/campaign/*/artifacts/" >&2
  exit 1
fi
[ "$interrupted" = 0 ] || echo "fuzz.sh: interrupted; the table holds what ran until then" >&2
echo "fuzz.sh: no findings" >&2
