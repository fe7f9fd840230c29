#!/usr/bin/env bash
# The main job: builds tracefuzz and runs a short differential campaign of
# the C reader against Go's reader on the built-in seeds: every committed
# trace, then mutated copies of them (tracefuzz mutdiff), then freshly
# generated traces (tracefuzz gen + diff).
#
# Usage: ci/main.sh [--count N]   (mutants and generated traces; default 2000)
# Exit codes: 0 no divergence, 1 divergence found, 2 setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

count=2000
case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --count) count=$2 ;;
  "") ;;
  *) echo "main.sh: unknown argument $1" >&2; exit 2 ;;
esac

ci/install-deps.sh >&2 || exit 2
cmake --preset release >/dev/null || exit 2
cmake --build --preset release -j "$(nproc)" >&2 || exit 2
bin=build/release/bin
status=0

echo "== committed traces: C reader against Go's reader"
"$bin/tracefuzz" diff seeds/real seeds/read_raw seeds/regressions || status=1

echo "== $count mutated copies of the seeds"
"$bin/tracefuzz" mutdiff --quiet --count "$count" --seed "$(date +%s)" \
  --out build/release/findings seeds/real seeds/read_raw || status=1

echo "== $count generated traces"
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
"$bin/tracefuzz" gen -q --count "$count" -o "$gen" || exit 2
"$bin/tracefuzz" diff "$gen" | tail -1 || status=1
exit $status
