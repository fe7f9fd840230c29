#!/usr/bin/env bash
# Records one large execution trace (at least 50 MB by default) from a
# standard-library package's benchmarks, for reader throughput and memory
# tests. The trace is never committed: record it where it is needed.
#
# Why sync's benchmarks: measured on 2 cores with go1.26.8, `go test -trace`
# over sync's tests gives only ~2 MB, net/http's tests ~18 MB in 46 s, and
# runtime's tests pass 450 MB within two minutes and then stall. sync's
# benchmarks (-cpu=2 -benchtime=20ms) give ~90 MB in ~15 s, dense with
# contended-mutex, channel and scheduler events across many generations.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: ci/record-large-trace.sh [--package PKG] [--benchtime T] [--min-mb N] OUT

Runs `go test -count=1 -cpu=2 -run='^$' -bench=. -benchtime=T -trace OUT PKG`
and prints the trace's size. Fails if the trace is smaller than N MB
(10^6 bytes).

  --package PKG   standard-library package whose benchmarks run (default: sync)
  --benchtime T   go test -benchtime (default: 20ms)
  --min-mb N      minimum size in MB (default: 50)
  -h, --help      print this help

Environment: GO (default: go).

Exit codes: 0 ok, 1 go test failed or the trace is too small, 2 usage error.
EOF
}

usage_error() { echo "record-large-trace: $*" >&2; echo "Try 'ci/record-large-trace.sh --help'." >&2; exit 2; }
say() { echo "record-large-trace: $*" >&2; }

pkg=sync
benchtime=20ms
min_mb=50
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--package) [ $# -ge 2 ] || usage_error "--package needs a value"; pkg=$2; shift 2 ;;
	--benchtime) [ $# -ge 2 ] || usage_error "--benchtime needs a value"; benchtime=$2; shift 2 ;;
	--min-mb) [ $# -ge 2 ] || usage_error "--min-mb needs a value"; min_mb=$2; shift 2 ;;
	-*) usage_error "unknown option: $1" ;;
	*) [ -z "$out" ] || usage_error "one OUT only"; out=$1; shift ;;
	esac
done
[ -n "$out" ] || usage_error "missing OUT"
[[ "$min_mb" =~ ^[0-9]+$ ]] || usage_error "--min-mb needs a whole number"

GO=${GO:-go}
command -v "$GO" >/dev/null || { say "no Go command '$GO' in PATH"; exit 1; }
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

# The trace's size depends on the machine's speed and load, so a run that
# comes out too small is repeated with twice the -benchtime, up to 4 runs.
for attempt in 1 2 3 4; do
	say "recording $pkg benchmarks (-benchtime=$benchtime) with $("$GO" env GOVERSION) into $out"
	start=$(date +%s)
	# The test log goes to stderr: stdout is kept for the size line.
	if ! env -u GOMAXPROCS -u GOGC -u GODEBUG \
		"$GO" test -count=1 -cpu=2 -run='^$' -bench=. -benchtime="$benchtime" -trace "$out" "$pkg" >&2; then
		say "go test $pkg failed"
		exit 1
	fi
	size=$(stat -c %s "$out")
	echo "$out: $size bytes ($((size / 1000000)) MB) in $(($(date +%s) - start)) s"
	if [ "$size" -ge $((min_mb * 1000000)) ]; then
		exit 0
	fi
	say "trace is $size bytes, below the minimum of $min_mb MB"
	if [[ $benchtime =~ ^([0-9]+)(ms|s|x)$ ]]; then
		benchtime=$((BASH_REMATCH[1] * 2))${BASH_REMATCH[2]}
	else
		break
	fi
done
say "giving up; pass a larger --benchtime"
exit 1
