#!/usr/bin/env bash
# The main job: builds tracefuzz and runs the differential check of the C
# reader against Go's reader over the built-in seeds.
#
# Usage: ci/main.sh [tracefuzz diff options]
# Exit codes: 0 no divergence, 1 divergence found, 2 setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

ci/install-deps.sh >&2 || exit 2
cmake --preset release >/dev/null || exit 2
cmake --build --preset release -j "$(nproc)" >&2 || exit 2
exec build/release/bin/tracefuzz diff "$@" seeds/real seeds/regressions
