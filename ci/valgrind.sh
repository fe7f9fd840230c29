#!/usr/bin/env bash
# valgrind memcheck over the seeds: every committed trace (real traces, fuzz
# seeds, regressions, Go findings) read and dumped by the C reader, built
# without sanitizers. Any memcheck error or leak is a failure.
#
# Usage: ci/valgrind.sh [BUILD_DIR]    (default build/release)
# Exit codes: 0 clean, 1 memcheck found something, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
case "$build" in -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind not installed" >&2; exit 2; }
[[ -x $build/bin/tracefuzz ]] || { echo "valgrind.sh: no $build/bin/tracefuzz" >&2; exit 2; }

clean=0 dirty=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while IFS= read -r -d '' f; do
  rc=0
  valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    "$build/bin/tracefuzz" dump "$f" >/dev/null 2>"$log" || rc=$?
  if ((rc == 99)); then
    dirty=$((dirty + 1))
    echo "MEMCHECK $f"
    head -30 "$log"
  else
    clean=$((clean + 1))
  fi
done < <(find seeds/real seeds/read_raw seeds/read_stream seeds/diff_oracle \
              seeds/regressions seeds/go-findings -type f ! -name '*.md' -print0 | sort -z)
echo "valgrind: $clean passed, $dirty failed"
((dirty == 0))
