# Sourced by the scripts that compare the reader at two revisions
# (bench/reader_equiv.sh, bench/reader_ab.sh): a revision's tree, and a
# build of it with the release preset's compiler flags.

# rev_extract REV DIR: the tree of REV, without .git, into DIR.
rev_extract() {
  git rev-parse --verify -q "$1^{commit}" >/dev/null ||
    { echo "$(basename "$0"): no revision $1" >&2; return 2; }
  mkdir -p "$2" && git archive "$1" | tar -x -C "$2"
}

# rev_build SRC BUILD TARGET...: TARGETs of the tree at SRC built in BUILD
# as the release preset builds them (gcc, -O2 -DNDEBUG, the library with
# link-time optimisation), without tests or the Go oracle.
rev_build() {
  local src=$1 build=$2
  shift 2
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    '-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG' -DTRACEFUZZ_TESTS=OFF \
    -DTRACEFUZZ_ORACLE=OFF -DBUILD_TESTING=OFF >/dev/null &&
    cmake --build "$build" --target "$@" >/dev/null
}
