#!/usr/bin/env bash
# roundtrip.sh: the C text converter against Go's own, byte for byte.
#
# For every .test file of Go's trace tests (x/exp's trace/testdata/tests and
# GOROOT's src/internal/trace/testdata/tests), takes the "-- trace --"
# section and checks that the C converter (textconv) and Go's (gotraceraw,
# built here from GOROOT's internal/trace/raw) agree on:
#   text2bytes of the section, and bytes2text of Go's bytes:
#   the same stdout bytes, the same exit status, the same stderr message.
# With MUTANTS=N (default 0) it also runs N seeded byte-level mutants of
# each section and of its wire form through both converters, which checks
# the error paths and their messages too. Then the hand-made corner cases
# of edge_cases.py go through both.
#
# Usage: roundtrip.sh TEXTCONV [TESTDIR...]
# Exit: 0 all agree, 1 a divergence, 77 skipped (no Go toolchain).
set -u

textconv=${1:?usage: roundtrip.sh TEXTCONV [TESTDIR...]}
shift
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v go >/dev/null 2>&1; then
  echo "roundtrip: no go toolchain; skipping" >&2
  exit 77
fi
goroot=$(go env GOROOT)
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  modcache=$(go env GOMODCACHE)
  xexp=$(grep -o 'golang.org/x/exp v[^ ]*' "$here/../../reference/oracle/go.mod" 2>/dev/null | head -1 | sed 's/ /@/')
  # x/exp's copy is there once the oracle's module was downloaded.
  if [ -n "$xexp" ] && [ -d "$modcache/$xexp/trace/testdata/tests" ]; then
    dirs+=("$modcache/$xexp/trace/testdata/tests")
  else
    echo "roundtrip: x/exp's trace tests not in the module cache; GOROOT's only" >&2
  fi
  dirs+=("$goroot/src/internal/trace/testdata/tests")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tf-roundtrip.XXXXXX")
trap 'rm -rf "$work"' EXIT

# gotraceraw: our own small main (tests/roundtrip/gotraceraw/main.go) laid
# over GOROOT with -overlay so that it may import internal/trace/raw; GOROOT
# itself is not written to.
pkg=internal/trace/testdata/cmd/gotraceraw
printf '{"Replace":{"%s/src/%s/main.go":"%s/gotraceraw/main.go"}}' \
  "$goroot" "$pkg" "$here" >"$work/overlay.json"
if ! (cd "$goroot/src" && go build -overlay "$work/overlay.json" -o "$work/gotraceraw" "./$pkg") 2>"$work/build.log"; then
  echo "roundtrip: cannot build gotraceraw:" >&2
  cat "$work/build.log" >&2
  exit 1
fi
gotraceraw=$work/gotraceraw

checked=0
failed=0

# compare MODE INPUT LABEL: run both converters, report a divergence.
compare() {
  local mode=$1 input=$2 label=$3
  "$gotraceraw" "$mode" <"$input" >"$work/go.out" 2>"$work/go.err"
  local go_rc=$?
  "$textconv" "$mode" <"$input" >"$work/c.out" 2>"$work/c.err"
  local c_rc=$?
  checked=$((checked + 1))
  if [ $go_rc -ne $c_rc ] || ! cmp -s "$work/go.out" "$work/c.out" ||
     ! cmp -s "$work/go.err" "$work/c.err"; then
    failed=$((failed + 1))
    echo "DIVERGENCE $label ($mode): exit go=$go_rc c=$c_rc"
    cmp "$work/go.out" "$work/c.out" 2>&1 | head -1
    echo "  go stderr: $(head -c 300 "$work/go.err" | tr -d '\0')"
    echo "  c  stderr: $(head -c 300 "$work/c.err" | tr -d '\0')"
    if [ -n "${KEEP:-}" ]; then
      mkdir -p "$KEEP" && cp "$input" "$KEEP/$(basename "$label" | tr '/ ' '__').$mode.in"
    fi
    return 1
  fi
  return 0
}

# mutate N IN OUTPREFIX: N seeded mutants of IN, each a few byte edits
# (set, flip, insert or delete bytes, cut the tail), as OUTPREFIX.0 ...
mutate() {
  python3 - "$1" "$2" "$3" <<'PY'
import random, sys
count, src, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
orig = open(src, 'rb').read()
interesting = b' \t\r\n=#"\\`\'x0129\x00\x80\xff\xc2\xa0'
for seed in range(count):
    rng = random.Random(seed)
    b = bytearray(orig)
    for _ in range(rng.randint(1, 4)):
        if not b:
            b.append(rng.randrange(256)); continue
        i = rng.randrange(len(b)); op = rng.randrange(6)
        if op == 0: b[i] = rng.randrange(256)
        elif op == 1: b[i] = rng.choice(interesting)
        elif op == 2: b.insert(i, rng.choice(interesting))
        elif op == 3: del b[i:i + rng.randint(1, 8)]
        elif op == 4: b[i] ^= 1 << rng.randrange(8)
        else: del b[rng.randrange(len(b)):]
    open('%s.%d' % (prefix, seed), 'wb').write(b)
PY
}

declare -A mutated
for dir in "${dirs[@]}"; do
  if [ ! -d "$dir" ]; then
    echo "roundtrip: missing test directory $dir" >&2
    failed=$((failed + 1))
    continue
  fi
  for f in "$dir"/*.test; do
    name=${f#"$dir"/}
    awk '/^-- trace --$/{p=1;next} /^-- .* --$/{p=0} p' "$f" >"$work/trace.txt"
    compare text2bytes "$work/trace.txt" "$f" || continue
    cp "$work/go.out" "$work/trace.bin"
    compare bytes2text "$work/trace.bin" "$f" || continue
    # The two test directories hold the same files; mutate each once.
    sum=$(cksum <"$work/trace.txt")
    [ "${MUTANTS:-0}" -gt 0 ] && [ -z "${mutated[$sum]:-}" ] || continue
    mutated[$sum]=1
    rm -f "$work"/m.*
    mutate "$MUTANTS" "$work/trace.txt" "$work/m.txt"
    mutate "$MUTANTS" "$work/trace.bin" "$work/m.bin"
    for ((i = 0; i < MUTANTS; i++)); do
      compare text2bytes "$work/m.txt.$i" "$name#text-mutant-$i"
      compare bytes2text "$work/m.bin.$i" "$name#wire-mutant-$i"
    done
  done
done

# Hand-made corner cases (edge_cases.py).
if command -v python3 >/dev/null 2>&1; then
  python3 "$here/edge_cases.py" "$work/edge"
  for f in "$work"/edge/*; do
    case $f in
      *.bin) compare bytes2text "$f" "edge/${f##*/}" ;;
      *.txt) compare text2bytes "$f" "edge/${f##*/}" ;;
    esac
  done
fi

echo "roundtrip: $checked conversions checked, $failed divergences"
[ $failed -eq 0 ]
