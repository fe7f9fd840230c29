#!/bin/bash -eu
# build.sh: builds the tracefuzz fuzz targets for OSS-Fuzz and
# ClusterFuzzLite (both run it as `bash -eux` with CC, CXX, CFLAGS,
# CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, SRC, WORK, OUT
# set). ci/oss-fuzz-sim.sh runs it here the same way.
#
# Everything is built here, not in the Dockerfile, so it gets the
# sanitizer and coverage flags. CMake takes the compilers and flags from
# the environment; fuzz/CMakeLists.txt links each target with
# $LIB_FUZZING_ENGINE through $CXX. Per target, $OUT gets the binary, its
# dictionary (generated from the spec tables), its .options and
# <target>_seed_corpus.zip. diff_oracle also needs the Go oracle, which is
# built static (no cgo) into $OUT, where the target looks next to itself.
cd "$SRC/tracefuzz"

targets="read_raw read_text read_stream diff_oracle gen_accept gen_mutate"
build="$WORK/tracefuzz-build"

# An empty build type keeps CFLAGS exactly as the platform set them.
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DTRACEFUZZ_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DTRACEFUZZ_WERROR=OFF \
  -DTRACEFUZZ_TESTS=OFF \
  -DTRACEFUZZ_ORACLE=OFF \
  -DBUILD_TESTING=OFF
cmake --build "$build" --target $targets fuzz_dicts

for t in $targets; do
  cp "$build/bin/$t" "$OUT/$t"
  cp "$build/bin/$t.dict" "$OUT/$t.dict"
  cp "fuzz/$t.options" "$OUT/$t.options"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "seeds/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
done

if command -v go >/dev/null; then
  (cd reference/oracle &&
   CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$OUT/gotrace-oracle" .)
else
  echo "build.sh: no Go toolchain: diff_oracle will run the C side only" >&2
fi
