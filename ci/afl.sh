#!/usr/bin/env bash
# AFL++ campaign: builds every fuzz target with afl-clang-fast (preset `afl`,
# build/afl) and again with CMPLOG instrumentation (AFL_LLVM_CMPLOG=1,
# build/afl-cmplog), then runs each target under afl-fuzz for a bounded
# time with its seeds, dictionary and CMPLOG twin, and reports whether it
# started ("All set and ready to roll"), execs/s, corpus size and crashes.
#
# Usage: ci/afl.sh [--seconds N] [--no-build] [TARGET...]
#   --seconds N   afl-fuzz -V time per target (default 20)
#   --no-build    use the binaries already built
# Output directories: build/afl/campaign/<target>/ (afl-fuzz -o).
# Exit codes: 0 every target started and found nothing, 1 a crash or a
# target that did not start, 2 usage, setup or build error.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(read_raw read_text read_stream diff_oracle gen_accept gen_mutate)
seconds=20 build=1 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --seconds) [ $# -ge 2 ] || { echo "afl.sh: --seconds needs a value" >&2; exit 2; }
               seconds=$2; shift ;;
    --no-build) build=0 ;;
    -*) echo "afl.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
command -v afl-fuzz >/dev/null || { echo "afl.sh: afl-fuzz not found (ci/install-deps.sh)" >&2; exit 2; }

bdir=build/afl
cdir=build/afl-cmplog
if [ "$build" = 1 ]; then
  echo "== build (afl-clang-fast) and CMPLOG build" >&2
  cmake --preset afl >/dev/null || exit 2
  cmake --preset afl -B "$cdir" -DBUILD_TESTING=OFF -DTRACEFUZZ_ORACLE=OFF >/dev/null || exit 2
  extra=()
  if ninja -C "$bdir" -t targets all 2>/dev/null | grep -q '^oracle:'; then extra+=(oracle); fi
  # gen_ targets take choice bytes: the choice mutator library goes with them.
  [[ " ${targets[*]} " == *" gen_"* ]] && extra+=(tracefuzz_aflmut)
  cmake --build "$bdir" -j "$(nproc)" --target fuzz_dicts "${extra[@]}" "${targets[@]}" >&2 || exit 2
  AFL_LLVM_CMPLOG=1 cmake --build "$cdir" -j "$(nproc)" --target "${targets[@]}" >&2 || exit 2
fi

# Batch-friendly afl-fuzz: no curses UI, short calibration, no questions
# about the CPU governor or the core pattern of a CI machine.
export AFL_NO_UI=1 AFL_FAST_CAL=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1
# The CMPLOG twin of diff_oracle must find the same oracle.
[ -x "$bdir/bin/gotrace-oracle" ] && export TRACEFUZZ_ORACLE=$PWD/$bdir/bin/gotrace-oracle

stat() { sed -n "s/^$1 *: *//p" "$2" 2>/dev/null | head -1; }

failed=0
printf '%-12s %7s %10s %8s %7s %7s\n' target started execs exec/s corpus crashes >"$bdir/afl-summary.txt"
for t in "${targets[@]}"; do
  out=$bdir/campaign/$t
  rm -rf "$out"
  mkdir -p "$out"
  echo "== $t: afl-fuzz -V $seconds" >&2
  set +e
  # gen_ targets: no wire dictionary, and the choice-stream mutator.
  dict=(-x "$bdir/bin/$t.dict") mut=()
  if [[ $t == gen_* ]]; then
    dict=() mut=(AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/$bdir/bin/libtracefuzz_aflmut.so")
  fi
  env "${mut[@]}" afl-fuzz -i "seeds/$t" -o "$out" "${dict[@]}" -V "$seconds" \
    -c "$PWD/$cdir/bin/$t" -- "$bdir/bin/$t" >"$out/afl.log" 2>&1
  rc=$?
  set -e
  # afl-fuzz 4.04c leaves the CMPLOG fork server running after -V ends;
  # stop the ones this run started (their command line is exactly ours).
  for pid in $(pgrep -fx "$PWD/$cdir/bin/$t" || true); do kill -9 "$pid" 2>/dev/null || true; done
  started=no
  grep -q 'All set and ready to roll' "$out/afl.log" && started=yes
  st=$out/default/fuzzer_stats
  crashes=$(stat saved_crashes "$st"); [ -n "$crashes" ] || crashes=$(stat unique_crashes "$st")
  printf '%-12s %7s %10s %8s %7s %7s\n' "$t" "$started" "$(stat execs_done "$st")" \
    "$(stat execs_per_sec "$st")" "$(stat corpus_count "$st")" "${crashes:-?}" \
    >>"$bdir/afl-summary.txt"
  if [ "$started" != yes ] || [ "$rc" != 0 ]; then
    failed=1
    echo "afl.sh: $t did not run (exit $rc); last lines of $out/afl.log:" >&2
    tail -15 "$out/afl.log" >&2
  elif [ "${crashes:-0}" != 0 ]; then
    failed=1
    echo "afl.sh: $t crashed; inputs in $out/default/crashes/" >&2
  fi
done
cat "$bdir/afl-summary.txt"
exit "$failed"
