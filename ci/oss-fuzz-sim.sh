#!/usr/bin/env bash
# Simulates the OSS-Fuzz build of tracefuzz on this machine, without Docker:
# sets CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER,
# FUZZING_ENGINE, ARCHITECTURE, SRC, WORK and OUT the way OSS-Fuzz does for
# each configuration, runs fuzz/oss-fuzz/build.sh with `bash -eux` on a
# copy of the repository, moves $OUT elsewhere (paths must not be
# hard-coded), then checks the output by OSS-Fuzz's documented build-check
# rules (reimplemented here, thresholds ours):
#   - every executable containing LLVMFuzzerTestOneInput is a target; none,
#     or more than 10% broken, fails the configuration;
#   - libFuzzer: `-seed=1337 -runs=4` ends with "Done 4 runs" and without
#     "no interesting inputs";
#   - address: the code calls ASan (at least 1000 __asan_ calls in
#     objdump -d); undefined: UBSan calls and no ASan call;
#   - afl: the target starts under afl-fuzz ("All set and ready to roll");
#   - coverage: the seed corpus runs (-runs=0) and llvm-cov reports on the
#     profile it writes.
# Each target should also ship .dict, .options and _seed_corpus.zip
# (warned about, not failed).
#
# Usage: ci/oss-fuzz-sim.sh [CONFIG...]
#   CONFIG: libfuzzer-address libfuzzer-undefined afl-address coverage
#           (default: all four)
# Work tree: build/oss-fuzz-sim/<config>/ (src, work, out-moved, logs).
# Exit codes: 0 every configuration built and passed, 1 a build or check
# failed, 2 usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

all=(libfuzzer-address libfuzzer-undefined afl-address coverage)
configs=()
for a in "$@"; do
  case "$a" in
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    libfuzzer-address|libfuzzer-undefined|afl-address|coverage) configs+=("$a") ;;
    *) echo "oss-fuzz-sim.sh: unknown configuration $a" >&2; exit 2 ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=("${all[@]}")
for tool in clang-14 clang++-14 objdump zip; do
  command -v "$tool" >/dev/null || { echo "oss-fuzz-sim.sh: $tool missing" >&2; exit 2; }
done

# OSS-Fuzz's base flags and per-sanitizer flags. -stdlib=libc++ is left
# out of CXXFLAGS: libc++-14-dev is not installed here (FUZZING.md).
base="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
asan="-fsanitize=address -fsanitize-address-use-after-scope"
ubsan_checks="array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"
ubsan="-fsanitize=$ubsan_checks,unsigned-integer-overflow -fno-sanitize-recover=$ubsan_checks"
cov="-fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument"
# The platform silences the unsigned-overflow reports it asks for.
export UBSAN_OPTIONS=silence_unsigned_overflow=1:print_stacktrace=1

set_env() {
  export CC=clang-14 CXX=clang++-14 ARCHITECTURE=x86_64 FUZZING_ENGINE=libfuzzer
  export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
  case "$1" in
    libfuzzer-address) SANITIZER=address; CFLAGS="$base $asan -fsanitize=fuzzer-no-link" ;;
    libfuzzer-undefined) SANITIZER=undefined; CFLAGS="$base $ubsan -fsanitize=fuzzer-no-link" ;;
    afl-address)
      SANITIZER=address FUZZING_ENGINE=afl CC=afl-clang-fast CXX=afl-clang-fast++
      LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
      CFLAGS="$base $asan" ;;
    coverage) SANITIZER=coverage; CFLAGS="$base $cov" ;;
  esac
  export SANITIZER CFLAGS CXXFLAGS="$CFLAGS"
}

# The repository as a checkout would have it: tracked and new files, no
# build trees.
copy_repo() {
  mkdir -p "$1"
  if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$root" ls-files -co --exclude-standard -z |
      tar -C "$root" --null --ignore-failed-read -T - -cf - | tar -C "$1" -xf -
  else
    tar -C "$root" -h --exclude=./build -cf - . | tar -C "$1" -xf -
  fi
}

# Prints "ok" or the reason the target is broken.
check_target() {
  local cfg=$1 t=$2 out=$3 log=$4 tmp
  tmp=$(mktemp -d)
  case "$cfg" in
    libfuzzer-*)
      (cd "$tmp" && timeout 300 "$out/$t" -seed=1337 -runs=4 -rss_limit_mb=2560 -timeout=25) \
        >"$log" 2>&1 || true
      if ! grep -q 'Done 4 runs' "$log"; then echo "did not finish 4 runs"
      elif grep -q 'no interesting inputs' "$log"; then echo "no coverage feedback"
      else sanitizer_calls "$cfg" "$out/$t"; fi ;;
    afl-address)
      mkdir -p "$tmp/in" && printf 'go 1.26 trace\0\0\0' >"$tmp/in/seed"
      (AFL_NO_UI=1 AFL_FAST_CAL=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        AFL_NO_AFFINITY=1 timeout 120 afl-fuzz -i "$tmp/in" -o "$tmp/o" -V 5 -- "$out/$t") \
        >"$log" 2>&1 || true
      if grep -q 'All set and ready to roll' "$log"; then sanitizer_calls address "$out/$t"
      else echo "did not start under afl-fuzz"; fi ;;
    coverage)
      mkdir -p "$tmp/corpus"
      if command -v unzip >/dev/null; then unzip -q "$out/${t}_seed_corpus.zip" -d "$tmp/corpus"
      else python3 -m zipfile -e "$out/${t}_seed_corpus.zip" "$tmp/corpus"; fi
      (cd "$tmp" && LLVM_PROFILE_FILE="$tmp/$t.profraw" timeout 300 "$out/$t" -runs=0 corpus) \
        >"$log" 2>&1 || true
      if [ ! -s "$tmp/$t.profraw" ]; then echo "wrote no profile"
      elif ! llvm-profdata-14 merge -sparse "$tmp/$t.profraw" -o "$tmp/$t.profdata" ||
           ! llvm-cov-14 report "$out/$t" -instr-profile="$tmp/$t.profdata" >>"$log" 2>&1; then
        echo "llvm-cov failed"
      else echo "ok ($(grep '^TOTAL' "$log" | awk '{print "lines " $(NF-3) ", regions " $4}'))"; fi ;;
  esac
  rm -rf "$tmp"
}

sanitizer_calls() {
  local d asan_n ubsan_n
  d=$(objdump -d "$2")
  asan_n=$(grep -cE 'call.*<__asan_' <<<"$d" || true)
  ubsan_n=$(grep -cE 'call.*<__ubsan_handle' <<<"$d" || true)
  case "$1" in
    *address) [ "$asan_n" -ge 1000 ] && echo "ok ($asan_n ASan calls)" ||
                echo "not ASan-instrumented ($asan_n ASan calls)" ;;
    *undefined) if [ "$ubsan_n" -ge 1 ] && [ "$asan_n" = 0 ]; then
                  echo "ok ($ubsan_n UBSan calls)"
                else echo "bad UBSan build ($ubsan_n UBSan, $asan_n ASan calls)"; fi ;;
  esac
}

failed=0
for cfg in "${configs[@]}"; do
  sim=$root/build/oss-fuzz-sim/$cfg
  rm -rf "$sim"
  mkdir -p "$sim/work" "$sim/out" "$sim/logs"
  copy_repo "$sim/src/tracefuzz"
  cp fuzz/oss-fuzz/build.sh "$sim/src/build.sh"
  set_env "$cfg"
  export SRC=$sim/src WORK=$sim/work OUT=$sim/out
  echo "== $cfg: build.sh (log: $sim/logs/build.log)" >&2
  if ! (cd "$SRC/tracefuzz" && bash -eux "$SRC/build.sh") >"$sim/logs/build.log" 2>&1; then
    echo "$cfg: build.sh FAILED; last lines:" >&2
    tail -20 "$sim/logs/build.log" >&2
    failed=1
    continue
  fi
  mv "$OUT" "$sim/out-moved"
  out=$sim/out-moved
  targets=()
  for f in "$out"/*; do
    [ -f "$f" ] && [ -x "$f" ] && grep -q -a LLVMFuzzerTestOneInput "$f" && targets+=("$(basename "$f")")
  done
  if [ ${#targets[@]} = 0 ]; then
    echo "$cfg: FAIL: no fuzz targets in \$OUT" >&2
    failed=1
    continue
  fi
  broken=0
  for t in "${targets[@]}"; do
    verdict=$(check_target "$cfg" "$t" "$out" "$sim/logs/$t.log")
    for extra in "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
      [ -f "$out/$extra" ] || verdict="$verdict; warning: no $extra"
    done
    case "$verdict" in ok*) ;; *) broken=$((broken + 1)) ;; esac
    printf '%-20s %-12s %s\n' "$cfg" "$t" "$verdict"
  done
  if [ $((broken * 10)) -gt ${#targets[@]} ]; then
    echo "$cfg: FAIL: $broken of ${#targets[@]} targets broken (logs: $sim/logs)" >&2
    failed=1
  else
    echo "$cfg: PASS (${#targets[@]} targets)" >&2
  fi
done
exit "$failed"
