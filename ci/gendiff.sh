#!/usr/bin/env bash
# Generated traces at full size through both readers: COUNT traces of mixed
# versions (valid, or with --mutate random a structured mutation each), in
# chunks so that disk use stays small; every C dump must equal the oracle's.
#
# Usage: ci/gendiff.sh [--count N] [--seed S] [--mutate] [--chunk K] [--build DIR]
#   --count N    traces (default 100000)
#   --seed S     first seed (default 1); trace i uses seed S+i
#   --mutate     apply a random structured mutation to every trace
#   --chunk K    traces per chunk (default 5000)
#   --build DIR  build tree with bin/tracefuzz and bin/gotrace-oracle
#                (default build/release, built if missing)
# Exit codes: 0 every trace agrees (and, without --mutate, every trace
# passes the checker), 1 a divergence or violation, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."

count=100000 seed=1 mutate=() chunk=5000 build=build/release
while (($#)); do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --mutate) mutate=(--mutate random); shift ;;
    --chunk) chunk=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gendiff.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ! -x $build/bin/tracefuzz || ! -x $build/bin/gotrace-oracle ]]; then
  ci/install-deps.sh >&2 || exit 2
  cmake --preset release >/dev/null && \
    cmake --build --preset release --target tracefuzz oracle >&2 || exit 2
  build=build/release
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 violations=0 done_=0 declined=0 go_panics=0
while ((done_ < count)); do
  n=$((count - done_ < chunk ? count - done_ : chunk))
  rm -rf "$work/chunk"
  "$build/bin/tracefuzz" gen -q --seed $((seed + done_)) --count "$n" --version mixed \
    "${mutate[@]}" -o "$work/chunk" 2>/dev/null || exit 2
  out=$("$build/bin/tracefuzz" diff --oracle "$build/bin/gotrace-oracle" "$work/chunk" 2>/dev/null) || true
  line=$(tail -1 <<<"$out")
  p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
  d=$(sed -E 's/^.* ([0-9]+) declined.*/\1/' <<<"$line")
  gp=0
  [[ $line =~ ([0-9]+)\ Go\ reader\ panics ]] && gp=${BASH_REMATCH[1]}
  declined=$((declined + ${d:-0})) go_panics=$((go_panics + gp))
  [[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]] || { echo "gendiff.sh: bad diff output: $line" >&2; exit 2; }
  if ((f > 0)); then
    grep -E '^(FAIL|GO-PANIC)' <<<"$out" | head -5 >&2
  fi
  if ((${#mutate[@]} == 0)) && ! "$build/bin/tracefuzz" check --no-generations "$work/chunk" >/dev/null 2>&1; then
    violations=$((violations + 1))
    echo "gendiff.sh: checker violation in seeds $((seed + done_))..$((seed + done_ + n - 1))" >&2
  fi
  passed=$((passed + p)) failed=$((failed + f)) done_=$((done_ + n))
  echo "gendiff.sh: $done_/$count traces, $failed divergent" >&2
done
echo "gendiff.sh: seeds $seed..$((seed + count - 1)), ${mutate[*]:-valid}; declined $declined," \
  "Go reader panics $go_panics (findings about Go, not divergences); chunks with checker violations: $violations"
echo "$passed passed, $failed failed"
((failed == 0 && violations == 0))
