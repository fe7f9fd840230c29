#!/usr/bin/env bash
# `tracefuzz diff --dump-mode` (the route diff takes by itself for traces
# whose dump is over 256 MiB): Go's dump is read from `ORACLE dump FILE`.
# The oracle here is a script around the C reader's own dump, so that the
# test decides what "Go" says:
#   - an unchanged dump passes, for a wire trace and for the same trace in
#     Go's text format (which diff writes out in wire format for the oracle:
#     the script dumps that file, so a bad temporary file shows);
#   - a dump with line 5 changed is a divergence at line 5 (exit 1);
#   - an oracle that fails (exit 2) is an error (exit 2), not a pass.
#
# Usage: diff-dump-mode.sh TRACEFUZZ TRACE WORKDIR
set -euo pipefail
tf=$1 trace=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
"$tf" raw "$trace" > "$work/trace.txt"

same=$work/oracle-same changed=$work/oracle-changed broken=$work/oracle-broken
printf '#!/bin/sh\n[ "$1" = dump ] || exit 2\nshift\nexec "%s" dump "$1"\n' "$tf" > "$same"
printf '#!/bin/sh\n[ "$1" = dump ] || exit 2\nshift\n"%s" dump "$1" | sed "5s/.*/changed/"\n' \
  "$tf" > "$changed"
printf '#!/bin/sh\necho "oracle: cannot read $2" >&2\nexit 2\n' > "$broken"
chmod +x "$same" "$changed" "$broken"

fail() { echo "diff-dump-mode: $*" >&2; exit 1; }
"$tf" diff --dump-mode --oracle "$same" "$trace" > "$work/out" ||
  fail "an unchanged dump did not pass: $(cat "$work/out")"
"$tf" diff --dump-mode --oracle "$same" "$work/trace.txt" > "$work/out" ||
  fail "an unchanged dump of the text form did not pass: $(cat "$work/out")"
rc=0
"$tf" diff --dump-mode --oracle "$changed" "$trace" > "$work/out" || rc=$?
[ "$rc" = 1 ] || fail "a changed line gave exit $rc, want 1"
grep -q "^FAIL .*: line 5: " "$work/out" || fail "no divergence at line 5: $(cat "$work/out")"
rc=0
"$tf" diff --dump-mode --oracle "$broken" "$trace" > "$work/out" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "an oracle that fails gave exit $rc, want 2"
echo "diff-dump-mode: ok"
