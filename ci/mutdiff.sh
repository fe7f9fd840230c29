#!/usr/bin/env bash
# The mutation differential suite at full size: mutated copies of the seeds
# (seeds/real plus Go's own test traces and FuzzReader corpus, extracted
# from the module cache at run time) through the C reader and Go's reader.
#
# Usage: ci/mutdiff.sh [--count N] [--seed S] [--out DIR]
#   --count N   mutants (default 100000)
#   --seed S    PRNG seed (default 1); mutant I reproduces alone with
#               tracefuzz mutdiff --seed S --first I --count 1 SEEDS...
#   --out DIR   where divergent inputs go (default build/release/mutdiff)
# Exit codes: 0 no divergence, 1 divergence, 2 setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

count=100000 seed=1 out=build/release/mutdiff
while (($#)); do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "mutdiff.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

ci/install-deps.sh >&2 || exit 2
cmake --preset release >/dev/null || exit 2
cmake --build --preset release -j "$(nproc)" \
  --target tracefuzz oracle conformance >&2 || exit 2

bin=build/release/bin
go_seeds=build/release/go-seeds
"$bin/conformance" -gotraceraw "$bin/gotraceraw" -oracle-module reference/oracle \
  extract "$go_seeds" >/dev/null || exit 2
exec "$bin/tracefuzz" mutdiff --seed "$seed" --count "$count" --out "$out" \
  --oracle "$bin/gotrace-oracle" seeds/real "$go_seeds"
