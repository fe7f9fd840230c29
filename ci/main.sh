#!/usr/bin/env bash
# The main job: a short differential fuzz campaign on the built-in seeds.
# Builds tracefuzz and the fuzz targets (libFuzzer, ASan+UBSan), checks
# every committed trace against Go's reader, then runs `tracefuzz fuzz`:
# every target, the differential one against Go's reader included, for a
# bounded time in all. Findings are written to out/findings/.
#
# Usage: ci/main.sh [tracefuzz fuzz options]   (default: --time 60)
# Exit codes: 0 nothing found, 1 a finding or divergence, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

ci/install-deps.sh >&2 || exit 2
cmake --preset release >/dev/null || exit 2
cmake --build --preset release -j "$(nproc)" >&2 || exit 2
bin=build/release/bin
status=0

echo "== committed traces: the C reader against Go's reader"
"$bin/tracefuzz" diff seeds/real seeds/read_raw seeds/regressions 2>/dev/null \
  | grep -v '^PASS' || status=1

args=("$@")
((${#args[@]})) || args=(--time 60)
echo "== fuzz campaign: tracefuzz fuzz ${args[*]}"
rc=0
"$bin/tracefuzz" fuzz "${args[@]}" || rc=$?
((rc == 0)) || status=$rc
exit $status
