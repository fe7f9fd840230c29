#!/usr/bin/env bash
# The C reader against Go's reader on one large trace (50 MB or more, from
# `go test -trace` over a standard-library package's benchmarks; recorded
# by ci/record-large-trace.sh unless given). The two canonical dumps are
# compared by digest, since each is gigabytes of text.
#
# Usage: ci/large-diff.sh [TRACE]   (default: record build/large.trace)
# Exit codes: 0 identical dumps, 1 they differ, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
trace=${1:-build/large.trace}
if [[ ! -f $trace ]]; then
  ci/record-large-trace.sh "$trace" >&2 || exit 2
fi
cmake --preset release >/dev/null && \
  cmake --build --preset release --target tracefuzz oracle >&2 || exit 2
bin=build/release/bin
c=$("$bin/tracefuzz" dump "$trace" | tee >(tail -1 >&2) | sha256sum | cut -d' ' -f1)
go=$("$bin/gotrace-oracle" dump "$trace" | sha256sum | cut -d' ' -f1)
echo "large-diff: $trace ($(stat -c %s "$trace") bytes)"
echo "large-diff: C  dump sha256 $c"
echo "large-diff: Go dump sha256 $go"
if [[ $c == "$go" ]]; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed (run tracefuzz diff on it to see the first differing line)"
  exit 1
fi
