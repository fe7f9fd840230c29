#!/usr/bin/env bash
# Records the execution trace of every seed program in seeds/progs, with the
# GOMAXPROCS, GODEBUG and flags fixed in the table below, so that re-running
# gives traces of the same shape (the bytes differ from run to run).
# With --commit the traces replace seeds/real/*.trace and seeds/real/README.md
# is regenerated; the size limits are enforced first.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: ci/record-traces.sh [--out DIR | --commit] [--only NAME[,NAME...]] [--no-check] [--list]

Builds the seed programs in seeds/progs and records one Go execution trace
per scenario, NAME.trace, with fixed GOMAXPROCS, GODEBUG and durations.

  --out DIR    write the traces to DIR (default: build/seeds-real)
  --commit     write into seeds/real/ (replacing its traces and README.md);
               fails, leaving seeds/real untouched, if any trace is 256 KiB
               or larger or seeds/real would reach 4 MiB
  --only LIST  record only these scenarios (comma-separated; not with --commit)
  --no-check   skip the shape check: by default every trace is read with the
               Go oracle (`gotrace-oracle stats`) and must end "ok", have
               every goroutine blocked or in a syscall for a whole generation
               announced with a stack (go1.23+), and reach its scenario's
               minimum counts (see --list)
  --list       print the scenarios and their settings, then exit
  -h, --help   print this help

Environment: GO (default: go) names the Go command; ORACLE names a built
gotrace-oracle (default: built from reference/oracle into a temp dir).
The recorded traces are in the format of that Go's runtime (go1.25 or later is
needed for the unblocked-late scenario).

Exit codes: 0 ok, 1 a build, a recording or a size limit failed, 2 usage error.
EOF
}

# The scenarios: name | GOMAXPROCS | GODEBUG | program flags | description |
# the shape the trace must have (oracle stats totals, about half of what a
# recording on 2 cores gives; see docs/seeds.md).
# traceadvanceperiod is in nanoseconds (the runtime's knob, see
# runtime/extern.go; it has no minimum, 0 advances continuously): 5ms gives
# about 40 generations in 200ms. tracecheckstackownership=1 is the cheap
# self-check Go's own trace tests turn on.
readonly DEBUG="tracecheckstackownership=1,traceadvanceperiod=5000000"
readonly SCENARIOS=(
	"chan-blocked|2|$DEBUG|-d 200ms -n 2|goroutines blocked on channel receive, send and nil-channel receive for whole generations|generations>=20 blocked>=200"
	"mutex-blocked|2|$DEBUG|-d 200ms -n 2|goroutines blocked on sync.Mutex and sync.RWMutex (readers and a writer) for whole generations|generations>=20 blocked>=200"
	"select-blocked|2|$DEBUG|-d 200ms -n 3|goroutines blocked in a multi-case select and in select {} for whole generations|generations>=20 blocked>=200"
	"cond-blocked|2|$DEBUG|-d 200ms -n 4|goroutines waiting on sync.Cond for whole generations, then Signal and Broadcast|generations>=20 blocked>=200"
	"sleep-blocked|2|$DEBUG|-d 200ms -n 3|goroutines in time.Sleep and on a timer channel for whole generations, main on a WaitGroup|generations>=20 blocked>=200"
	"syscall-blocked|2|$DEBUG|-d 200ms -n 2|goroutines in a blocking read(2) on pipes (syscall.Read, blocking os.File) for whole generations|generations>=20 syscall>=60"
	"unblocked-late|1|tracecheckstackownership=1,traceadvanceperiod=1000000000|-d 40ms -n 4|generations ended on demand: waiters blocked a whole generation, then unblocked just before a boundary and never run in that generation|generations>=20 unblocked_never_ran>=20"
	"spin|2|$DEBUG|-d 200ms -n 1|a goroutine computing without blocking across generations|generations>=5 ran_without_blocking>=1"
	"gc-pressure|1|$DEBUG|-d 200ms -n 2|allocation under GOGC=25 with a live heap: GC cycles, mark assists, sweeping, heap metrics|generations>=8"
	"annotations|2|$DEBUG|-d 100ms -n 3|user tasks (nested, ended on another goroutine), regions (nested, one open across generations) and logs|generations>=8"
	"gomaxprocs|2|$DEBUG|-d 120ms -n 3|GOMAXPROCS stepped through 1, 4, 2, 3 while goroutines compute and sleep|generations>=8"
	"cgo-callback|2|$DEBUG|-d 200ms -n 3|C calling back into Go from Go-created and C-created threads, and a goroutine in a long C call|generations>=20 syscall>=10"
)

readonly FILE_LIMIT=$((256 * 1024))
readonly TOTAL_LIMIT=$((4 * 1024 * 1024))

die() { echo "record-traces: $*" >&2; exit 1; }
usage_error() { echo "record-traces: $*" >&2; echo "Try 'ci/record-traces.sh --help'." >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
out=""
commit=0
only=""
list=0
check=1
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--out) [ $# -ge 2 ] || usage_error "--out needs a directory"; out=$2; shift 2 ;;
	--out=*) out=${1#--out=}; shift ;;
	--commit) commit=1; shift ;;
	--only) [ $# -ge 2 ] || usage_error "--only needs a list"; only=$2; shift 2 ;;
	--only=*) only=${1#--only=}; shift ;;
	--list) list=1; shift ;;
	--no-check) check=0; shift ;;
	*) usage_error "unknown argument: $1" ;;
	esac
done
if [ "$commit" = 1 ] && [ -n "$out" ]; then usage_error "--commit and --out exclude each other"; fi
if [ "$commit" = 1 ] && [ -n "$only" ]; then usage_error "--commit records every scenario; drop --only"; fi

field() { echo "$1" | cut -d'|' -f"$2"; }

if [ "$list" = 1 ]; then
	for s in "${SCENARIOS[@]}"; do
		printf '%-16s GOMAXPROCS=%s GODEBUG=%s %s\n%16s expect: %s\n' "$(field "$s" 1)" "$(field "$s" 2)" \
			"$(field "$s" 3)" "$(field "$s" 4)" "" "$(field "$s" 6)"
	done
	exit 0
fi

selected=()
for s in "${SCENARIOS[@]}"; do
	name=$(field "$s" 1)
	if [ -z "$only" ] || [[ ",$only," == *",$name,"* ]]; then selected+=("$s"); fi
done
if [ -n "$only" ]; then
	for want in ${only//,/ }; do
		found=0
		for s in "${selected[@]}"; do [ "$(field "$s" 1)" = "$want" ] && found=1; done
		[ "$found" = 1 ] || usage_error "no scenario named '$want' (see --list)"
	done
fi

GO=${GO:-go}
command -v "$GO" >/dev/null || die "no Go command '$GO' in PATH"
goversion=$("$GO" env GOVERSION)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# -trimpath keeps the file names in the traces' stacks independent of where
# the repository is checked out.
echo "record-traces: building seeds/progs with $goversion" >&2
(cd "$root/seeds/progs" && "$GO" build -trimpath -o "$tmp/bin/" ./cmd/...) ||
	die "building seeds/progs failed"

if [ "$commit" = 1 ]; then dest=$tmp/traces; else dest=${out:-$root/build/seeds-real}; fi
mkdir -p "$dest"

failed=0
for s in "${selected[@]}"; do
	name=$(field "$s" 1) procs=$(field "$s" 2) debug=$(field "$s" 3) args=$(field "$s" 4)
	[ -x "$tmp/bin/$name" ] || { echo "record-traces: $name: not built (cgo off, or Go older than go1.25?)" >&2; failed=1; continue; }
	# Every setting that shapes the trace comes from the table; unset the
	# ones that would otherwise leak in from the caller's environment.
	# shellcheck disable=SC2086 # args is a list of flags
	if env -u GOGC -u GOMEMLIMIT -u GOTRACEBACK GOMAXPROCS="$procs" GODEBUG="$debug" \
		"$tmp/bin/$name" -o "$dest/$name.trace" $args; then
		printf 'record-traces: %-16s %8d bytes\n' "$name" "$(stat -c %s "$dest/$name.trace")" >&2
	else
		echo "record-traces: $name: recording failed" >&2
		failed=1
	fi
done
[ "$failed" = 0 ] || die "some recordings failed"

# stat_value KEY prints KEY's value from the oracle's stats text of one file
# (its first line "FILE: generations=N end=...", then "  total: k=v ...").
stat_value() {
	case "$1" in
	generations) sed -n '1s/.* generations=\([0-9]*\).*/\1/p' <<<"$stats" ;;
	*) { grep -m1 '^  total:' <<<"$stats" || true; } | tr ' ' '\n' | sed -n "s/^$1=//p" ;;
	esac
}

# check_shape NAME EXPECT fails unless $dest/NAME.trace has the shape of its
# scenario: a trace that no longer exercises what it is named after must not
# be committed silently (a runtime change could do that).
check_shape() {
	local name=$1 expect=$2 end e key min v ok=0
	if ! stats=$("$oracle" stats "$dest/$name.trace"); then
		echo "record-traces: $name: the oracle cannot read the trace:" >&2
		echo "$stats" | head -n 3 >&2
		return 1
	fi
	end=$(sed -n '1s/.* end=//p' <<<"$stats")
	[ "$end" = ok ] || { echo "record-traces: $name: oracle says: $end" >&2; return 1; }
	if [ "$stacks" = 1 ]; then
		for key in blocked syscall; do
			if [ "$(stat_value $key)" != "$(stat_value ${key}_with_stack)" ]; then
				echo "record-traces: $name: $(stat_value $key) goroutines $key for a whole generation, only $(stat_value ${key}_with_stack) with a stack" >&2
				ok=1
			fi
		done
	fi
	for e in $expect; do
		key=${e%%>=*} min=${e#*>=}
		v=$(stat_value "$key")
		if [ -z "$v" ] || [ "$v" -lt "$min" ]; then
			echo "record-traces: $name: $key=${v:-?}, want >= $min" >&2
			ok=1
		fi
	done
	return $ok
}

if [ "$check" = 1 ]; then
	oracle=${ORACLE:-}
	if [ -z "$oracle" ]; then
		oracle=$tmp/gotrace-oracle
		(cd "$root/reference/oracle" && "$GO" build -trimpath -o "$oracle" .) ||
			die "building the oracle (reference/oracle) failed; set ORACLE or use --no-check"
	fi
	# GoStatusStack exists since go1.23: before that no status carries a stack.
	minor=$(sed -n 's/^go1\.\([0-9]*\).*/\1/p' <<<"$goversion")
	stacks=1
	if [ -n "$minor" ] && [ "$minor" -lt 23 ]; then stacks=0; fi
	for s in "${selected[@]}"; do
		check_shape "$(field "$s" 1)" "$(field "$s" 6)" || failed=1
	done
	[ "$failed" = 0 ] || die "some traces lack their scenario's shape (see above); nothing committed"
	echo "record-traces: every trace has its scenario's shape" >&2
fi

if [ "$commit" = 0 ]; then
	echo "record-traces: traces in $dest" >&2
	exit 0
fi

# --commit: check the limits before touching seeds/real.
over=0
for f in "$dest"/*.trace; do
	size=$(stat -c %s "$f")
	if [ "$size" -ge "$FILE_LIMIT" ]; then
		echo "record-traces: $(basename "$f") is $size bytes, the limit is < $FILE_LIMIT" >&2
		over=1
	fi
done
real=$root/seeds/real
gen_readme() {
	cat <<EOF
# seeds/real — execution traces recorded from the Go runtime

Generated by \`ci/record-traces.sh --commit\`; do not edit by hand. Each trace
comes from one program in \`seeds/progs/cmd/<name>\`, recorded with
$goversion ($("$GO" env GOOS)/$("$GO" env GOARCH)) and the environment shown.
A Go 1.26 trace starts with the header \`go 1.26 trace\\x00\\x00\\x00\`.
The scenarios, and the figures measured on these files, are in
\`docs/seeds.md\`.

| trace | contents | command (from \`seeds/progs\`, after \`go build -trimpath -o bin/ ./cmd/...\`) |
| --- | --- | --- |
EOF
	for s in "${SCENARIOS[@]}"; do
		printf '| `%s.trace` | %s | `GOMAXPROCS=%s GODEBUG=%s bin/%s -o %s.trace %s` |\n' \
			"$(field "$s" 1)" "$(field "$s" 5)" "$(field "$s" 2)" "$(field "$s" 3)" \
			"$(field "$s" 1)" "$(field "$s" 1)" "$(field "$s" 4)"
	done
}
gen_readme >"$dest/README.md"
# The total covers everything that will be in seeds/real afterwards: the new
# traces and README plus any other file already there.
total=0
for f in "$dest"/*; do total=$((total + $(stat -c %s "$f"))); done
shopt -s nullglob
for f in "$real"/*; do
	base=$(basename "$f")
	[[ "$base" == *.trace || "$base" == README.md ]] || total=$((total + $(stat -c %s "$f")))
done
if [ "$total" -ge "$TOTAL_LIMIT" ]; then
	echo "record-traces: seeds/real would hold $total bytes, the limit is < $TOTAL_LIMIT" >&2
	over=1
fi
[ "$over" = 0 ] || die "size limits exceeded; seeds/real left unchanged (shorten the -d flags in ci/record-traces.sh)"

mkdir -p "$real"
rm -f "$real"/*.trace
cp "$dest"/*.trace "$dest/README.md" "$real/"
echo "record-traces: wrote $(ls "$dest"/*.trace | wc -l) traces, $total bytes, to seeds/real" >&2
