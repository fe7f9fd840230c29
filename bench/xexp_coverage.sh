#!/usr/bin/env bash
# Statement coverage of Go's reader (golang.org/x/exp/trace, the version the
# oracle pins) reached by generated traces, side by side with the coverage
# reached by Go's own tests of that package, in one run. The oracle runs as
# the differential suites run it (serve -api: besides the dump, every event
# goes through Event.String and is rebuilt with trace.MakeEvent).
#
# Usage: bench/xexp_coverage.sh [--valid N] [--mutated M] [--seed S] [--build DIR]
#   --valid N     valid generated traces (default 7000)
#   --mutated M   generated traces with a random structured mutation
#                 (default 3000); N + M is the "generated traces" figure
#   --seed S      first seed (default 1000)
#   --build DIR   a build tree with bin/tracefuzz (default build/release)
# Exit codes: 0 measured, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."

valid=7000 mutated=3000 seed=1000 build=build/release
while (($#)); do
  case "$1" in
    --valid) valid=$2; shift 2 ;;
    --mutated) mutated=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "xexp_coverage: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ! -x $build/bin/tracefuzz ]]; then
  cmake --preset release >/dev/null && cmake --build --preset release --target tracefuzz >&2 || exit 2
  build=build/release
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/traces" "$work/gen" "$work/gotests"

echo "xexp_coverage: building the oracle with coverage of x/exp/trace" >&2
# The main package must be instrumented too, or Go writes no counters.
(cd reference/oracle && go build -cover \
  -coverpkg=golang.org/x/exp/trace,tracefuzz/oracle -o "$work/oracle-cover" .) || exit 2

echo "xexp_coverage: generating $valid valid and $mutated mutated traces" >&2
"$build/bin/tracefuzz" gen -q --seed "$seed" --count "$valid" --version mixed \
  -o "$work/traces" >&2 || exit 2
if ((mutated > 0)); then
  "$build/bin/tracefuzz" gen -q --seed $((seed + valid)) --count "$mutated" \
    --version mixed --mutate random -o "$work/traces" >&2 || exit 2
fi

# One serve process reads every trace, so one counter file holds the run.
python3 - "$work/traces" <<'PY' | GOCOVERDIR="$work/gen" "$work/oracle-cover" serve -api >/dev/null
import os, struct, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    data = open(os.path.join(d, name), 'rb').read()
    sys.stdout.buffer.write(struct.pack('<I', len(data)) + data)
PY
go tool covdata textfmt -i "$work/gen" -pkg golang.org/x/exp/trace -o "$work/gen.txt"

echo "xexp_coverage: running Go's own tests of x/exp/trace with coverage" >&2
(cd reference/oracle && go test -count=1 -coverpkg=golang.org/x/exp/trace \
  -coverprofile="$work/gotests.txt" golang.org/x/exp/trace >&2) || exit 2

python3 - "$work/gen.txt" "$work/gotests.txt" "$((valid + mutated))" <<'PY'
import collections, sys

def load(path):
    blocks = {}
    for line in open(path):
        if line.startswith('mode:'):
            continue
        loc, n, c = line.rsplit(' ', 2)
        n, c = int(n), int(c)
        old = blocks.get(loc, (n, 0))
        blocks[loc] = (n, max(old[1], c))
    tot, cov = collections.Counter(), collections.Counter()
    for loc, (n, c) in blocks.items():
        f = loc.split(':')[0].rsplit('/', 1)[-1]
        tot[f] += n
        cov[f] += n if c > 0 else 0
    return tot, cov

gt, gc = load(sys.argv[1])
tt, tc = load(sys.argv[2])
pct = lambda c, t: 100.0 * c / t if t else 0.0
print(f"statement coverage of golang.org/x/exp/trace: {sys.argv[3]} generated traces vs Go's own tests")
print(f"{'file':18s} {'generated':>16s} {'Go tests':>16s}")
for f in sorted(set(gt) | set(tt)):
    print(f"{f:18s} {gc[f]:5d}/{gt[f]:<5d} {pct(gc[f], gt[f]):5.1f}% "
          f"{tc[f]:5d}/{tt[f]:<5d} {pct(tc[f], tt[f]):5.1f}%")
G, T = sum(gc.values()), sum(gt.values())
GG, TT = sum(tc.values()), sum(tt.values())
print(f"{'package':18s} {G:5d}/{T:<5d} {pct(G, T):5.1f}% {GG:5d}/{TT:<5d} {pct(GG, TT):5.1f}%")
PY
