#!/usr/bin/env bash
# Records the traces of the Go tree's own trace test programs
# ($GOROOT/src/internal/trace/testdata/testprog/*.go) the way
# src/internal/trace/trace_test.go runs them: build the file with `go build`,
# run the binary with GODEBUG=tracecheckstackownership=1 (plus
# traceadvanceperiod=0 for the stress variant) and take the trace from stdout.
#
# Building by file path from inside $GOROOT/src makes the file part of the
# standard library's module, so programs that import internal packages build
# too, and nothing is written under GOROOT (which may be read-only).
set -euo pipefail

usage() {
	cat <<'EOF'
usage: ci/record-goroot-traces.sh [--variants LIST] [--max-mib N] [--clean]
                                  [--strict] OUTDIR

Records the traces of Go's own trace test programs from
$(go env GOROOT)/src/internal/trace/testdata/testprog/*.go into OUTDIR, as
NAME.VARIANT.trace, with each program's stderr in NAME.VARIANT.stderr and a
summary of what was recorded, skipped and failed in OUTDIR/SUMMARY.txt.

  --variants LIST  comma-separated, from: default (GODEBUG as Go's tests:
                   tracecheckstackownership=1), stress (adds
                   traceadvanceperiod=0: a new generation continuously),
                   asyncpreemptoff (adds asyncpreemptoff=1).
                   Default: default,stress
  --max-mib N      largest trace to keep, in MiB (default 64). A stress
                   run writes generations for as long as the program runs,
                   and on a loaded machine its ten 1-ms sleeps and
                   GOMAXPROCS changes can take long enough for gigabytes;
                   a trace that reaches the limit is cut there by the
                   file-size limit (the runtime ignores SIGXFSZ), deleted
                   and listed as skipped, with the reason
  --clean          first delete OUTDIR's *.trace, *.stderr and SUMMARY.txt,
                   so no trace from an earlier run is left behind
  --strict         exit 1 if any program failed (default: only if none
                   could be recorded)
  -h, --help       print this help

Programs whose preconditions do not hold here are skipped, with the reason
(cgo-callback needs cgo and a C compiler). Environment: GO (default: go).

Exit codes: 0 ok, 1 nothing recorded (or, with --strict, any failure),
2 usage error.
EOF
}

usage_error() { echo "record-goroot-traces: $*" >&2; echo "Try 'ci/record-goroot-traces.sh --help'." >&2; exit 2; }
say() { echo "record-goroot-traces: $*" >&2; }

variants=default,stress
max_mib=64
strict=0
clean=0
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--variants) [ $# -ge 2 ] || usage_error "--variants needs a list"; variants=$2; shift 2 ;;
	--variants=*) variants=${1#--variants=}; shift ;;
	--max-mib) [ $# -ge 2 ] || usage_error "--max-mib needs a number"; max_mib=$2; shift 2 ;;
	--max-mib=*) max_mib=${1#--max-mib=}; shift ;;
	--strict) strict=1; shift ;;
	--clean) clean=1; shift ;;
	-*) usage_error "unknown option: $1" ;;
	*) [ -z "$out" ] || usage_error "one OUTDIR only"; out=$1; shift ;;
	esac
done
[ -n "$out" ] || usage_error "missing OUTDIR"
case "$max_mib" in '' | *[!0-9]* | 0) usage_error "--max-mib wants a positive number of MiB" ;; esac
for v in ${variants//,/ }; do
	case "$v" in default | stress | asyncpreemptoff) ;; *) usage_error "unknown variant: $v" ;; esac
done

GO=${GO:-go}
command -v "$GO" >/dev/null || { say "no Go command '$GO' in PATH"; exit 1; }
goroot=$("$GO" env GOROOT)
progdir=$goroot/src/internal/trace/testdata/testprog
[ -d "$progdir" ] || { say "no test programs in $progdir (Go older than go1.22?)"; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$clean" = 1 ]; then
	rm -f "$out"/*.trace "$out"/*.stderr "$out/SUMMARY.txt"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# skip_reason NAME prints why NAME cannot run here, or nothing.
skip_reason() {
	case "$1" in
	cgo-callback)
		if [ "$("$GO" env CGO_ENABLED)" != 1 ]; then
			echo "needs cgo (go env CGO_ENABLED is not 1)"
		elif ! command -v "$("$GO" env CC | cut -d' ' -f1)" >/dev/null; then
			echo "needs a C compiler ($("$GO" env CC) not found)"
		fi
		;;
	esac
}

recorded=0 skipped=0 failed=0
summary=$out/SUMMARY.txt
echo "# $("$GO" env GOVERSION) $progdir" >"$summary"
for src in "$progdir"/*.go; do
	name=$(basename "$src" .go)
	reason=$(skip_reason "$name")
	if [ -n "$reason" ]; then
		say "$name: skipped: $reason"
		echo "skipped $name: $reason" >>"$summary"
		skipped=$((skipped + 1))
		continue
	fi
	bin=$tmp/$name
	if ! (cd "$goroot/src" && "$GO" build -o "$bin" "$src") >"$tmp/build.log" 2>&1; then
		say "$name: build failed:"
		sed 's/^/  /' "$tmp/build.log" >&2
		echo "failed $name: build" >>"$summary"
		failed=$((failed + 1))
		continue
	fi
	for v in ${variants//,/ }; do
		debug=tracecheckstackownership=1
		case "$v" in
		stress) debug=$debug,traceadvanceperiod=0 ;;
		asyncpreemptoff) debug=$debug,asyncpreemptoff=1 ;;
		esac
		trace=$out/$name.$v.trace
		# GOTRACEBACK=crash as in Go's test: a runtime failure dumps all
		# goroutines into the .stderr file.
		if (cd "$tmp" && ulimit -f $((max_mib * 1024)) &&
			env -u GOMAXPROCS -u GOGC GODEBUG="$debug" GOTRACEBACK=crash \
				"$bin" >"$trace" 2>"$out/$name.$v.stderr"); then
			size=$(stat -c %s "$trace")
			if [ "$size" -ge $((max_mib * 1024 * 1024)) ]; then
				say "$name ($v): skipped: its trace reached the --max-mib limit of $max_mib MiB"
				rm -f "$trace"
				echo "skipped $name.$v: trace reached $max_mib MiB" >>"$summary"
				skipped=$((skipped + 1))
				continue
			fi
			say "$(printf '%-22s %-16s %9d bytes' "$name" "$v" "$size")"
			echo "recorded $name.$v.trace" >>"$summary"
			recorded=$((recorded + 1))
		else
			say "$name ($v): exited with status $?; see $out/$name.$v.stderr"
			rm -f "$trace"
			echo "failed $name.$v: run" >>"$summary"
			failed=$((failed + 1))
		fi
	done
done

say "recorded $recorded, skipped $skipped, failed $failed (summary in $summary)"
[ "$recorded" -gt 0 ] || { say "no trace could be recorded"; exit 1; }
[ "$strict" = 0 ] || [ "$failed" = 0 ] || exit 1
exit 0
