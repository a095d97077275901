#!/usr/bin/env bash
# HTTP API tests of chiptoll: node's test runner against real server processes.
#
#   tests/api/run.sh PATH/TO/chiptoll [FILE-PATTERN]
#
# Each tests/api/*.test.mjs starts its own server(s) on fresh databases, so
# files run two at a time. The last line is "N passed, N failed"; exit 0
# only when all passed.
set -u
if [ $# -lt 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/chiptoll [FILE-PATTERN]" >&2
	echo "0 passed, 1 failed"
	exit 2
fi
case $1 in
/*) CHIPTOLL_BIN=$1 ;;
*) CHIPTOLL_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
esac
export CHIPTOLL_BIN
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE/../.." || exit 2
command -v node >/dev/null || { echo "FAIL setup: node not found"; echo "0 passed, 1 failed"; exit 1; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY NODE_OPTIONS CHIPTOLL_DB CHIPTOLL_ACTOR
# Sanitizer builds: a report must not look like an ordinary exit code.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}

files=()
for f in tests/api/*.test.mjs; do
	if [ -z "${2:-}" ] || printf '%s\n' "$f" | grep -q -- "$2"; then files+=("$f"); fi
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
node --test --test-concurrency=2 --test-reporter=tap "${files[@]}" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
cancelled=$(sed -n 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
if [ -z "$pass" ] || [ -z "$fail" ]; then
	echo "no TAP summary from node --test (exit $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
fail=$((fail + ${cancelled:-0}))
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
