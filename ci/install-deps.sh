#!/usr/bin/env bash
# Installs what tracefuzz needs on a Debian 12 machine, and only what is
# missing. Safe to run again: a second run installs nothing.
#
# Usage: ci/install-deps.sh [--check]
#   --check   only report what is missing; exit 1 if anything is.
# Exit codes: 0 everything present (or installed), 1 missing (with --check)
# or Go too old, 2 usage error or apt-get failure.
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

check_only=0
case "${1:-}" in
  "") ;;
  --check) check_only=1 ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

# Debian package -> a file that proves it is installed.
declare -A probes=(
  [clang-14]=/usr/bin/clang-14
  [libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
  [afl++]=/usr/bin/afl-fuzz
  [libcmocka-dev]=/usr/include/cmocka.h
  [llvm-14]=/usr/bin/llvm-profdata-14
  [cmake]=/usr/bin/cmake
  [ninja-build]=/usr/bin/ninja
  [pkg-config]=/usr/bin/pkg-config
  [valgrind]=/usr/bin/valgrind
  [zip]=/usr/bin/zip
  [time]=/usr/bin/time
)

missing=()
for pkg in "${!probes[@]}"; do
  probe=${probes[$pkg]}
  # The clang runtime path carries the patch version; accept any.
  if [[ $pkg == libclang-rt-14-dev ]]; then
    compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null \
      && continue
  elif [[ -e $probe ]]; then
    continue
  fi
  missing+=("$pkg")
done

if ((${#missing[@]})); then
  IFS=$'\n' missing=($(sort <<<"${missing[*]}")); unset IFS
  if ((check_only)); then
    echo "install-deps: missing: ${missing[*]}"
    exit 1
  fi
  echo "install-deps: installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq || { echo "install-deps: apt-get update failed" >&2; exit 2; }
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "install-deps: apt-get install failed" >&2; exit 2; }
  echo "install-deps: installed: ${missing[*]}"
else
  echo "install-deps: all Debian packages present"
fi

# Go is not a Debian package here: it must already be on PATH, 1.26 or later.
if ! command -v go >/dev/null; then
  echo "install-deps: Go 1.26 or later must be on PATH (not found)" >&2
  exit 1
fi
gover=$(go env GOVERSION)          # e.g. go1.26.8
minor=$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$gover")
if ! [[ $minor =~ ^[0-9]+$ ]] || ((minor < 26)); then
  echo "install-deps: Go 1.26 or later is required, found $gover" >&2
  exit 1
fi
echo "install-deps: $gover"
