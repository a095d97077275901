#!/usr/bin/env bash
# CLI integration tests of chiptoll.
#
#   tests/cli/run.sh PATH/TO/chiptoll [NAME-PATTERN]
#
# Runs every test (or those whose name matches the grep pattern), each in
# its own temporary directory with its own database, and prints one line
# per test ("ok NAME" or "FAIL NAME: ...") and last "N passed, N failed".
# Exit 0 only when all passed. No network. CT_JOBS=N runs N tests at once
# (default: the number of CPUs); CT_SEED_EACH=1 seeds every database from
# scratch instead of copying a template seeded once per run.
set -u

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/chiptoll [NAME-PATTERN]" >&2
	echo "0 passed, 1 failed"
	exit 2
fi
case $1 in
/*) CT=$1 ;;
*) CT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
esac
export CT
FILTER=${2:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CT_TEST_DIR=$HERE
CT_TIMEOUT_BIN=$(command -v timeout || true)
# The program reads no proxy, but make sure nothing could reach out.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY CHIPTOLL_DB CHIPTOLL_ACTOR

for tool in python3 sqlite3; do
	command -v "$tool" >/dev/null || { echo "FAIL setup: $tool not found"; echo "0 passed, 1 failed"; exit 1; }
done

# Sanitizer builds: a report must not look like an ordinary exit code.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}

# A pyenv shim costs ~0.4 s a call: find the interpreter once.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PY" ] || PY=$(command -v python3)
export PY

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/chiptoll-cli.XXXXXX") || exit 1
cleanup() {
	local j
	for j in $(jobs -p); do kill "$j" 2>/dev/null; done
	rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
. "$HERE/lib.sh"
for f in "$HERE"/test_*.sh; do
	# shellcheck disable=SC1090
	. "$f"
done

SEED_TEMPLATE=$ROOT/seed-template.db
if ! make_seed_template "$SEED_TEMPLATE" || [ ! -f "$SEED_TEMPLATE" ]; then
	echo "FAIL seed: could not build the seeded database: $(cat "$ROOT/.fail" 2>/dev/null)"
	SEED_TEMPLATE=$ROOT/none   # each seeded test will report the seeding failure
fi
# make_seed_template ran in $ROOT: its failure file, if any, is here.
rm -f "$ROOT/.fail" "$ROOT/.out" "$ROOT/.err"

selected=()
for t in "${TESTS[@]}"; do
	if [ -z "$FILTER" ] || printf '%s\n' "$t" | grep -q -- "$FILTER"; then
		selected+=("$t")
	fi
done

run_one() {
	local name=$1 dir=$2
	(
		TDIR=$dir
		DB=$dir/x.db
		cd "$dir" || exit 1
		"t_$name"
	) >"$dir/.log" 2>&1
	local status=$?
	if [ $status -eq 0 ] && [ ! -s "$dir/.fail" ]; then
		echo "ok $name" >"$dir/.result"
	elif [ -s "$dir/.fail" ]; then
		echo "FAIL $name: $(head -c 2000 "$dir/.fail")" >"$dir/.result"
	else
		echo "FAIL $name: test exited $status: $(tail -c 600 "$dir/.log" | tr '\n' ' ')" >"$dir/.result"
	fi
}

JOBS=${CT_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=2
dirs=()
i=0
next_print=0
passed=0
failed=0
print_ready() {
	while [ $next_print -lt ${#dirs[@]} ] && [ -f "${dirs[$next_print]}/.result" ]; do
		local line
		line=$(cat "${dirs[$next_print]}/.result")
		echo "$line"
		case $line in ok\ *) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
		rm -rf "${dirs[$next_print]}"
		next_print=$((next_print + 1))
	done
}
for t in "${selected[@]}"; do
	d=$(mktemp -d "$ROOT/t.XXXXXX")
	dirs+=("$d")
	run_one "$t" "$d" &
	i=$((i + 1))
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n 2>/dev/null || true
		print_ready
	done
	print_ready
done
wait
print_ready
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
