#!/usr/bin/env bash
# Checks that the Go oracle reads every given trace to the end: its canonical
# dump must end in the line "ok" (docs/dump-format.md). With --validate the
# oracle also runs Go's test validator on every event, and any "invalid" line
# fails the trace too.
set -euo pipefail

usage() {
	cat <<'EOF2'
usage: tests/real/oracle-ok.sh [--validate] ORACLE PATH...

Runs `ORACLE dump [-validate] FILE` on every trace: each FILE given, and
every *.trace file directly inside each directory given. A trace passes if
the dump's last line is "ok" (and, with --validate, no event is reported
invalid). Finding no trace at all is a failure, not a pass.

Exit codes: 0 every trace passed, 1 some trace failed (or none found),
2 usage error.
EOF2
}

usage_error() { echo "oracle-ok: $*" >&2; echo "Try 'tests/real/oracle-ok.sh --help'." >&2; exit 2; }

validate=""
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--validate) validate=-validate; shift ;;
	--) shift; break ;;
	-*) usage_error "unknown option: $1" ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage_error "need ORACLE and at least one PATH"
oracle=$1
shift
[ -x "$oracle" ] || { echo "oracle-ok: oracle '$oracle' is not an executable (build the 'oracle' target)" >&2; exit 1; }

files=()
for p in "$@"; do
	if [ -d "$p" ]; then
		for f in "$p"/*.trace; do [ -e "$f" ] && files+=("$f"); done
	elif [ -f "$p" ]; then
		files+=("$p")
	else
		echo "oracle-ok: no such file or directory: $p" >&2
		exit 1
	fi
done
[ "${#files[@]}" -gt 0 ] || { echo "oracle-ok: no *.trace files in: $*" >&2; exit 1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
bad=0
for f in "${files[@]}"; do
	# The exit status is not trusted alone: the verdict is the last line.
	"$oracle" dump $validate "$f" >"$tmp" 2>&1 || true
	last=$(tail -n 1 "$tmp")
	invalid=0
	if [ -n "$validate" ]; then invalid=$(grep -c $'^\tinvalid' "$tmp" || true); fi
	if [ "$last" = ok ] && [ "$invalid" = 0 ]; then
		echo "ok      $f"
	else
		echo "FAIL    $f: last line: $last; invalid events: $invalid"
		grep -m 5 $'^\tinvalid' "$tmp" | sed 's/^/        /' || true
		bad=$((bad + 1))
	fi
done
echo "oracle-ok: ${#files[@]} traces, $bad failed"
[ "$bad" = 0 ]
