#!/bin/bash -eu
# ClusterFuzzLite build: the same build as OSS-Fuzz's, kept in one place.
exec bash -eux "$SRC/tracefuzz/fuzz/oss-fuzz/build.sh"
