#!/usr/bin/env bash
# Every runtime-bug imitation of the generator must be caught by the check
# meant for it, and a trace the bug did not reach must stay clean.
#
# Usage: bug-imitations.sh TRACEFUZZ WORKDIR [COUNT]
# For each bug, COUNT traces are generated with --bug and --truth; the truth
# file carries a "bug" entry when the bug was applied. Expected catches:
#   no-stack        violation stack.blocked-whole-gen-has-stack or
#                   stack.syscall-whole-gen-has-stack
#   stack-in-go122  violation status-stack.not-in-go122
#   missing-frames  violation stack.frames-complete
#   stale-stack     the reader rejects the trace (Go's reader does too)
#   contradiction   the reader rejects the trace (Go's reader does too)
set -euo pipefail
tf=$1 work=$2 count=${3:-40}
declare -A expect=(
  [no-stack]='stack\.(blocked|syscall)-whole-gen-has-stack'
  [stack-in-go122]='status-stack\.not-in-go122'
  [missing-frames]='stack\.frames-complete'
  [stale-stack]=READER
  [contradiction]=READER
)
fail=0 pass=0
for bug in no-stack stale-stack stack-in-go122 missing-frames contradiction; do
  version=go1.23
  [[ $bug == stack-in-go122 ]] && version=go1.22
  dir=$work/$bug
  rm -rf "$dir"
  "$tf" gen -q --seed 100 --count "$count" --version "$version" --bug "$bug" --truth -o "$dir" 2>/dev/null
  hit=0 caught=0 clean_ok=0 clean_bad=0
  for t in "$dir"/*.trace; do
    rc=0
    out=$("$tf" check --no-generations "$t" 2>&1) || rc=$?
    if grep -q '"bug"' "${t%.trace}.truth.json"; then
      hit=$((hit + 1))
      if [[ ${expect[$bug]} == READER ]]; then
        [[ $rc -eq 2 ]] && caught=$((caught + 1))
      elif [[ $rc -eq 1 ]] && grep -Eq "${expect[$bug]}" <<<"$out"; then
        caught=$((caught + 1))
      fi
    elif [[ $rc -eq 0 ]]; then
      clean_ok=$((clean_ok + 1))
    else
      clean_bad=$((clean_bad + 1))
    fi
  done
  echo "$bug: applied to $hit of $count traces, caught $caught; untouched traces clean: $clean_ok, flagged: $clean_bad"
  if ((hit == 0 || caught != hit || clean_bad != 0)); then
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "$pass passed, $fail failed"
((fail == 0))
