#!/usr/bin/env bash
# Whether a change to the reader changed anything it returns: the
# canonical dumps (events, order, times, arguments, errors and where they
# appear) of the working tree's reader against those of the reader at
# BASE, over the same inputs, each read from a buffer, a plain stream in
# uneven chunks and a seekable stream (bench/equiv_dump.c). Performance
# work on reference/ is checked with it before every commit
# (docs/performance.md).
#
# Usage: bench/reader_equiv.sh [--base REV] [--mutants K] [--gen N] [PATH...]
#   --base REV    the revision to compare against (default HEAD)
#   --mutants K   byte-level mutants per input file (default 3)
#   --gen N       also N generated traces and N with structured mutations
#                 (tracefuzz gen, seeds 1 and 7; default 1000)
#   PATH...       files or directories of inputs (default: seeds/, and
#                 Go's own test traces when build/release/go-seeds holds them)
# Prints the number of inputs and whether every dump is identical; on a
# difference, the first inputs that differ.
# Exit codes: 0 identical, 1 a dump differs (or the three modes disagree),
# 2 setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

base=HEAD mutants=3 gen=1000 paths=()
while (($#)); do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --mutants) mutants=$2; shift 2 ;;
    --gen) gen=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "reader_equiv: unknown option $1" >&2; exit 2 ;;
    *) paths+=("$1"); shift ;;
  esac
done
ci/install-deps.sh >&2 || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/rev_build.sh
rev_extract "$base" "$work/base-src" || exit 2

# This tree's equiv_dump from the release preset; REV's library built
# with the same settings, and this tree's equiv_dump source linked to it.
targets=(equiv_dump)
[ "$gen" -gt 0 ] && targets+=(tracefuzz)
cmake --preset release >/dev/null && cmake --build --preset release --target "${targets[@]}" >/dev/null ||
  { echo "reader_equiv: the working tree did not build" >&2; exit 2; }
rev_build "$work/base-src" "$work/base-build" gotrace &&
  cc -O2 -std=c11 -I "$work/base-src/reference/include" -I fuzz -I bench bench/equiv_dump.c \
    bench/slurp.c fuzz/common/fuzz_dump.c "$work/base-build/reference/libgotrace.a" -lm \
    -o "$work/base-build/equiv_dump" || { echo "reader_equiv: $base did not build" >&2; exit 2; }

if ((${#paths[@]} == 0)); then
  paths=(seeds)
  [ -d build/release/go-seeds ] && paths+=(build/release/go-seeds)
fi
if [ "$gen" -gt 0 ]; then
  # (gen notes mutations that found no place; only a failure is shown)
  build/release/bin/tracefuzz gen -q --seed 1 --count "$gen" -o "$work/gen" \
    >/dev/null 2>"$work/gen.log" &&
    build/release/bin/tracefuzz gen -q --seed 7 --count "$gen" --mutate random \
      -o "$work/genmut" >/dev/null 2>>"$work/gen.log" ||
    { cat "$work/gen.log" >&2; echo "reader_equiv: tracefuzz gen failed" >&2; exit 2; }
  paths+=("$work/gen" "$work/genmut")
fi

# equiv_dump exits 1 when an input's three dumps disagree, 2 on a path
# it cannot read.
rc_base=0 rc_new=0
"$work/base-build/equiv_dump" --mutants "$mutants" "${paths[@]}" >"$work/base.out" || rc_base=$?
build/release/bin/equiv_dump --mutants "$mutants" "${paths[@]}" >"$work/new.out" || rc_new=$?
[ "$rc_base" != 2 ] && [ "$rc_new" != 2 ] || exit 2
n=$(wc -l <"$work/new.out")
if ! cmp -s "$work/base.out" "$work/new.out"; then
  echo "reader_equiv: dumps differ from $base's reader; first inputs (hash path):"
  diff "$work/base.out" "$work/new.out" | grep '^[<>]' | head -10 || true
  exit 1
fi
[ "$rc_base" = 0 ] && [ "$rc_new" = 0 ] ||
  { echo "reader_equiv: the three modes disagreed on an input (above)"; exit 1; }
echo "reader_equiv: $n inputs, each in 3 modes: dumps identical to $base's reader"
