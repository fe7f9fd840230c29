#!/usr/bin/env bash
# The test command: installs what is missing, configures, builds and runs
# every test under ctest. This is what CI runs (.ci/run) and what README.md
# gives a new user.
#
# Usage: ci/test.sh [PRESET]     (default: dev — clang, ASan+UBSan)
# Exit codes: 0 all tests passed, 1 a test failed, 2 setup or build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
preset=${1:-dev}

ci/install-deps.sh || exit 2
jobs=$(nproc)

echo "== configure ($preset)"
cmake --preset "$preset" >/dev/null || exit 2
echo "== build ($preset)"
cmake --build --preset "$preset" -j "$jobs" || exit 2
echo "== test ($preset)"
ctest --preset "$preset" -j "$jobs" || exit 1

# The release build (gcc -O2, -Werror) is what the main job uses; gcc's
# optimiser warns about things clang does not, so it must build cleanly too.
if [[ $preset != release ]]; then
  echo "== build (release)"
  cmake --preset release >/dev/null || exit 2
  cmake --build --preset release -j "$jobs" >/dev/null || exit 2

  # Memcheck over every committed trace, with the unsanitised release build.
  echo "== valgrind memcheck (release build)"
  ci/valgrind.sh build/release || exit 1

  # Every fuzz target under libFuzzer with ASan+UBSan: a short run on its
  # seeds, then the regressions replayed (ci/fuzz.sh; docs/fuzzing.md).
  echo "== fuzz (libFuzzer, ASan+UBSan, ${TRACEFUZZ_FUZZ_SECONDS:-15}s per target)"
  ci/fuzz.sh --seconds "${TRACEFUZZ_FUZZ_SECONDS:-15}" || exit 1
fi
