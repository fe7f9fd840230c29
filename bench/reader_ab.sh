#!/usr/bin/env bash
# The working tree's reader against the reader at BASE, timed in
# alternation on one trace: readbench from the release preset, and from
# BASE's tree built with the same flags, its C rows run base, new, base, new, ... RUNS
# times each, so that both sides see the same load. Prints each side's
# best time per row and base/new (above 1: the working tree is faster).
# On a shared machine single timings of one binary vary by tens of
# percent; the best of alternated runs is what docs/performance.md's
# rounds were decided on.
#
# Usage: bench/reader_ab.sh [--base REV] [--runs N] TRACE
#   --base REV   the revision to compare against (default HEAD)
#   --runs N     runs per side and row (default 9)
# Rows: stream (gtr_reader_open_stream), seekable (open_seekable).
# Exit codes: 0 measured, 1 a run failed or the two counted different
# events, 2 usage, setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

base=HEAD runs=9 trace=
while (($#)); do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "reader_ab: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$trace" ] || { echo "reader_ab: one TRACE" >&2; exit 2; }; trace=$1; shift ;;
  esac
done
[ -n "$trace" ] && [ -r "$trace" ] || { echo "reader_ab: usage: reader_ab.sh [--base REV] [--runs N] TRACE" >&2; exit 2; }
case "$runs" in ''|*[!0-9]*|0) echo "reader_ab: --runs wants a positive number" >&2; exit 2 ;; esac

ci/install-deps.sh >&2 || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/rev_build.sh
rev_extract "$base" "$work/base-src" || exit 2
rev_build "$work/base-src" "$work/base-build" readbench ||
  { echo "reader_ab: $base did not build" >&2; exit 2; }
cmake --preset release >/dev/null && cmake --build --preset release --target readbench >/dev/null ||
  { echo "reader_ab: the working tree did not build" >&2; exit 2; }

# readbench --child-c[-seekable] prints "EVENTS SECONDS OK" (OK 1: the
# trace was read to its end).
best() { # current-best seconds
  awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'
}
status=0
for row in stream seekable; do
  flag=--child-c
  [ "$row" = stream ] || flag=--child-c-seekable
  bb= bn= eb= en=
  for _ in $(seq "$runs"); do
    read -r eb tb okb < <("$work/base-build/bin/readbench" "$flag" "$trace" || true)
    read -r en tn okn < <(build/release/bin/readbench "$flag" "$trace" || true)
    if [ "${okb:-0}" != 1 ] || [ "${okn:-0}" != 1 ]; then
      echo "reader_ab: $row: a run did not read the trace to its end" >&2
      exit 1
    fi
    bb=$(best "$bb" "$tb")
    bn=$(best "$bn" "$tn")
  done
  if [ "$eb" != "$en" ]; then
    echo "reader_ab: $row: $base read $eb events, the working tree $en" >&2
    status=1
  fi
  awk -v r="$row" -v b="$bb" -v n="$bn" -v k="$runs" -v e="$en" 'BEGIN {
    printf "%-8s %s events, best of %d: base %.4f s, new %.4f s, base/new %.3fx\n", r, e, k, b, n, b / n }'
done
exit "$status"
