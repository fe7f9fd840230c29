#!/usr/bin/env bash
# Coverage report of the fuzz targets: builds the `coverage` preset (clang
# source-based coverage, replay engine), runs every target's replay over its
# seeds (seeds/<target>/) and the given corpora, merges the profiles with
# llvm-profdata-14 merge -sparse, writes an llvm-cov HTML report to
# BUILD/html/ and prints line and branch coverage per module (reference/,
# generator/, checker/, fuzz/). BUILD is build/coverage unless --build-dir
# or $TRACEFUZZ_COVERAGE_BUILD names another directory (a private tree, so
# a measurement does not race a build in build/coverage).
#
# Usage: ci/coverage.sh [--corpus [TARGET=]DIR]... [--files GLOB]... [--targets A,B]
#                       [--no-seeds] [--no-build] [--build-dir DIR]
#   --corpus DIR         also replay DIR: its <target>/ subdirectory for each
#                        target that has one (tracefuzz fuzz --work DIR/corpus,
#                        ci/fuzz.sh campaign dirs), else all of DIR for every target
#   --corpus T=DIR       replay DIR through target T only
#   --files GLOB         also print one line for the files matching GLOB
#                        (a shell pattern on the path from the source root,
#                        e.g. 'reference/src/order*.c')
#   --targets A,B        only these targets (default: all six)
#   --no-seeds           leave the seed corpora out (measure a corpus alone)
#   --no-build           use the build directory as it is
#   --build-dir DIR      configure (preset coverage), build and measure in DIR
#                        instead of build/coverage
# An input that crashes writes no profile: its target is then replayed file
# by file, and the crashing files are named and left out.
# Exit codes: 0 report written, 2 usage, build or tool error.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(read_raw read_text read_stream diff_oracle gen_accept gen_mutate)
targets=() corpora=() globs=() seeds=1 build=1
bdir=${TRACEFUZZ_COVERAGE_BUILD:-build/coverage}
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --corpus) [ $# -ge 2 ] || { echo "coverage.sh: --corpus needs a value" >&2; exit 2; }
              corpora+=("$2"); shift ;;
    --files) [ $# -ge 2 ] || { echo "coverage.sh: --files needs a value" >&2; exit 2; }
             globs+=("$2"); shift ;;
    --targets) [ $# -ge 2 ] || { echo "coverage.sh: --targets needs a value" >&2; exit 2; }
               IFS=, read -r -a targets <<<"$2"; shift ;;
    --no-seeds) seeds=0 ;;
    --no-build) build=0 ;;
    --build-dir) [ $# -ge 2 ] || { echo "coverage.sh: --build-dir needs a value" >&2; exit 2; }
                 bdir=$2; shift ;;
    *) echo "coverage.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "coverage.sh: unknown target $t" >&2; exit 2; }
done
for c in "${corpora[@]}"; do
  [ -d "${c#*=}" ] || { echo "coverage.sh: no corpus directory ${c#*=}" >&2; exit 2; }
done
for tool in llvm-profdata-14 llvm-cov-14 python3; do
  command -v "$tool" >/dev/null || { echo "coverage.sh: $tool not found" >&2; exit 2; }
done

if [ "$build" = 1 ]; then
  echo "== build (preset coverage, in $bdir)" >&2
  cmake --preset coverage -B "$bdir" >/dev/null || exit 2
  extra=()
  if ninja -C "$bdir" -t targets all 2>/dev/null | grep -q '^oracle:'; then extra+=(oracle); fi
  cmake --build "$bdir" --target "${targets[@]}" "${extra[@]}" >&2 || exit 2
fi
[ -d "$bdir/bin" ] || { echo "coverage.sh: no build in $bdir" >&2; exit 2; }
bdir=$(cd "$bdir" && pwd)
prof=$bdir/profiles
rm -rf "$prof" "$bdir/html"
mkdir -p "$prof"
[ -x "$bdir/bin/gotrace-oracle" ] && export TRACEFUZZ_ORACLE=$bdir/bin/gotrace-oracle

# The inputs of target $1, one path per line.
inputs() {
  local t=$1 c
  [ "$seeds" = 1 ] && echo "seeds/$t"
  for c in "${corpora[@]}"; do
    if [[ $c == *=* ]]; then
      [ "${c%%=*}" = "$t" ] && echo "${c#*=}"
    elif [ -d "$c/$t" ]; then
      echo "$c/$t"
    elif ! ls -d "$c"/*/ >/dev/null 2>&1; then
      echo "$c" # a flat corpus
    fi
  done
  return 0
}

objects=()
for t in "${targets[@]}"; do
  mapfile -t in < <(inputs "$t")
  [ ${#in[@]} -gt 0 ] || continue
  objects+=("$bdir/bin/$t")
  echo "== $t: ${in[*]}" >&2
  if ! LLVM_PROFILE_FILE="$prof/$t-%p.profraw" "$bdir/bin/$t" "${in[@]}" >/dev/null 2>"$prof/$t.log"; then
    echo "coverage.sh: $t failed on some input (see $prof/$t.log); replaying file by file" >&2
    rm -f "$prof/$t"-*.profraw
    n=0
    while IFS= read -r -d '' f; do
      n=$((n + 1))
      LLVM_PROFILE_FILE="$prof/$t-f$n.profraw" "$bdir/bin/$t" "$f" >/dev/null 2>&1 ||
        { echo "coverage.sh: $t fails on $f (left out)" >&2; rm -f "$prof/$t-f$n.profraw"; }
    done < <(find "${in[@]}" -type f ! -name '.*' -print0)
  fi
done
[ ${#objects[@]} -gt 0 ] || { echo "coverage.sh: nothing to replay" >&2; exit 2; }

llvm-profdata-14 merge -sparse "$prof"/*.profraw -o "$prof/merged.profdata" || exit 2
objargs=("${objects[0]}")
for o in "${objects[@]:1}"; do objargs+=(-object "$o"); done
ignore="(^|/)(build|tests|bench|cli)/|/usr/|^$bdir/"
llvm-cov-14 show -format=html -output-dir="$bdir/html" -show-branches=count \
  -instr-profile="$prof/merged.profdata" -ignore-filename-regex="$ignore" "${objargs[@]}" || exit 2
llvm-cov-14 export -summary-only -instr-profile="$prof/merged.profdata" \
  -ignore-filename-regex="$ignore" "${objargs[@]}" >"$prof/summary.json" || exit 2

python3 - "$PWD" "$prof/summary.json" "${globs[@]}" <<'EOF'
import fnmatch, json, os, sys
root, summary, globs = sys.argv[1], sys.argv[2], sys.argv[3:]
files = json.load(open(summary))["data"][0]["files"]
groups = [(m + "/", lambda p, m=m: p.startswith(m + "/"))
          for m in ("reference", "generator", "checker", "fuzz")]
groups += [(g, lambda p, g=g: fnmatch.fnmatch(p, g)) for g in globs]
def pct(c, n):
    return f"{100.0 * c / n:5.1f}%" if n else "    -"
print(f"{'module':28} {'lines':>17} {'':>6} {'branches':>17} {'':>6}")
for name, match in groups:
    lc = ln = bc = bn = 0
    for f in files:
        p = os.path.relpath(f["filename"], root)
        if match(p):
            s = f["summary"]
            lc += s["lines"]["covered"]; ln += s["lines"]["count"]
            bc += s["branches"]["covered"]; bn += s["branches"]["count"]
    print(f"{name:28} {lc:>8}/{ln:<8} {pct(lc, ln)} {bc:>8}/{bn:<8} {pct(bc, bn)}")
EOF
echo "report: $bdir/html/index.html" >&2
