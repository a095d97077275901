#!/usr/bin/env bash
# Runs every test suite against the normal build and the ASan/UBSan build
# and ends with one line "N passed, N failed" summing them all.
# Usage: scripts/test.sh BUILD_DIR ASAN_DIR
set -uo pipefail
cd "$(dirname "$0")/.."
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(build build-asan)

passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Criterion prints "Synthesis: Tested: T | Passing: P | Failing: F | Crashing: C".
run_criterion() {
	local name=$1 exe=$2
	local out="$log/${name//\//_}.txt"
	if [ ! -x "$exe" ]; then
		echo "missing test program $exe" >&2
		failed=$((failed + 1))
		return
	fi
	"$exe" --jobs 2 >"$out" 2>&1
	local rc=$?
	local synth
	synth=$(grep -a "Synthesis:" "$out" | tail -n 1)
	local p f c
	p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$synth")
	f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$synth")
	c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$synth")
	if [ -z "$p" ]; then
		cat "$out"
		echo "$name: no Criterion summary (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	if [ "$rc" -ne 0 ] || [ "${f:-0}" -ne 0 ] || [ "${c:-0}" -ne 0 ]; then
		grep -a -v "^\[----\]" "$out" | tail -n 60
	fi
	echo "$name: $synth"
	passed=$((passed + p))
	failed=$((failed + ${f:-0} + ${c:-0}))
	[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${c:-0}" -eq 0 ] && failed=$((failed + 1))
	return 0
}

# Other suites print "N passed, N failed" as their last line.
run_plain() {
	local name=$1
	shift
	local out="$log/${name//\//_}.txt"
	"$@" >"$out" 2>&1
	local rc=$?
	local last
	last=$(grep -a -E "^[0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	if [ -z "$last" ]; then
		tail -n 40 "$out"
		echo "$name: no summary (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	[ "$rc" -ne 0 ] && grep -a -E "^(FAIL|not ok)" "$out" | head -n 60
	echo "$name: $last"
	passed=$((passed + $(cut -d' ' -f1 <<<"$last")))
	failed=$((failed + $(cut -d' ' -f3 <<<"$last")))
	return 0
}

for b in "${builds[@]}"; do
	for exe in "$b"/tests/*/*_tests; do
		[ -x "$exe" ] || continue
		run_criterion "$b/$(basename "$exe")" "$exe"
	done
	if [ -x tests/cli/run.sh ]; then
		run_plain "$b/cli" tests/cli/run.sh "$b/chiptoll"
	fi
	if [ -x tests/api/run.sh ]; then
		run_plain "$b/api" tests/api/run.sh "$b/chiptoll"
	fi
	if [ -x tests/spec/check_routes.sh ]; then
		run_plain "$b/spec" tests/spec/check_routes.sh "$b/chiptoll"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
