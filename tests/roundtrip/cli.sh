#!/usr/bin/env bash
# cli.sh: the tracefuzz command line end to end on Go's trace tests:
# raw converts text to wire and back to the same text, dump and diff read
# txtar and text inputs, every subcommand documents its exit codes, and bad
# usage or a missing file exits 2. diff runs only when the Go oracle exists.
#
# Usage: cli.sh TRACEFUZZ [ORACLE]
# Exit: 0 ok, 1 a check failed.
set -u
tf=${1:?usage: cli.sh TRACEFUZZ [ORACLE]}
oracle=${2:-}
tests=$(go env GOROOT 2>/dev/null)/src/internal/trace/testdata/tests
work=$(mktemp -d "${TMPDIR:-/tmp}/tf-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0

check() { # check WANT_RC DESCRIPTION CMD...
  local want=$1 what=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: $what: exit $rc, want $want"
    head -5 "$work/err"
    fails=$((fails + 1))
  fi
}

for cmd in dump raw diff; do
  check 0 "$cmd --help" "$tf" "$cmd" --help
  grep -q "exit codes" "$work/out" || { echo "FAIL: $cmd --help lacks exit codes"; fails=$((fails + 1)); }
done
check 0 "--help" "$tf" --help
check 2 "no command" "$tf"
check 2 "unknown command" "$tf" frobnicate
check 2 "dump of a missing file" "$tf" dump "$work/missing"
check 2 "raw of a missing file" "$tf" raw "$work/missing"
check 2 "raw of a non-trace" "$tf" raw "$0"

if [ -d "$tests" ]; then
  for f in "$tests"/*.test; do
    awk '/^-- trace --$/{p=1;next} /^-- .* --$/{p=0} p' "$f" >"$work/t.txt"
    check 0 "raw --to-wire $f" "$tf" raw --to-wire "$work/t.txt"
    cp "$work/out" "$work/t.bin"
    check 0 "raw $f" "$tf" raw "$work/t.bin"
    cmp -s "$work/out" "$work/t.txt" || { echo "FAIL: text->wire->text changed $f"; fails=$((fails + 1)); }
  done
  check 0 "dump of a txtar test" "$tf" dump "$tests/go122-annotations.test"
  tail -1 "$work/out" | grep -qx ok || { echo "FAIL: dump did not end ok"; fails=$((fails + 1)); }
  if [ -n "$oracle" ] && [ -x "$oracle" ]; then
    check 0 "diff of Go's tests" "$tf" diff --oracle "$oracle" "$tests"
    check 0 "diff --json" "$tf" diff --json --oracle "$oracle" "$tests/go125-sync.test"
    grep -q '"passed": 1' "$work/out" || { echo "FAIL: diff --json summary"; fails=$((fails + 1)); }
  else
    echo "cli: no oracle; diff not exercised"
  fi
fi

echo "cli: $fails failures"
[ "$fails" -eq 0 ]
