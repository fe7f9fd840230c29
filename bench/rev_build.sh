# Sourced by the scripts that compare the reader at two revisions
# (bench/reader_equiv.sh, bench/reader_ab.sh): a revision's tree, and a
# build of it comparable to the working tree's release preset build.

# rev_extract REV DIR: the tree of REV, without .git, into DIR.
rev_extract() {
  git rev-parse --verify -q "$1^{commit}" >/dev/null ||
    { echo "$(basename "$0"): no revision $1" >&2; return 2; }
  mkdir -p "$2" && git archive "$1" | tar -x -C "$2"
}

# rev_build SRC BUILD TARGET...: TARGETs of the tree at SRC built in BUILD
# with the release preset's compiler settings (gcc, -O2 -DNDEBUG, the
# library with link-time optimisation), without tests or the Go oracle,
# which the revision's own preset would configure too.
rev_build() {
  local src=$1 build=$2
  shift 2
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    '-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG' -DTRACEFUZZ_TESTS=OFF \
    -DTRACEFUZZ_ORACLE=OFF -DBUILD_TESTING=OFF >/dev/null &&
    cmake --build "$build" --target "$@" >/dev/null
}
