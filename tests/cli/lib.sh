# Shared helpers of the chiptoll CLI integration tests (sourced by run.sh).
#
# Each test is a shell function t_NAME run in its own subshell, in its own
# mktemp directory, with its own database. An assertion that fails writes
# its message and exits the subshell, so the first failure ends the test.
#
# After `ct ARGS...`: $RC is the exit code, $OUT the stdout, $ERR the stderr.

TESTS=()
# test NAME: registers t_NAME (in file order).
register() { TESTS+=("$1"); }

# The binary, with a time limit so that a hang fails a test instead of the run.
_ct_exec() {
	if [ -n "${CT_TIMEOUT_BIN:-}" ]; then
		"$CT_TIMEOUT_BIN" 60 "$CT" "$@"
	else
		"$CT" "$@"
	fi
}

# ct ARGS...: runs chiptoll --db $DB --actor tester ARGS, stdin from /dev/null.
ct() {
	_ct_exec --db "$DB" --actor "${ACTOR:-tester}" "$@" >"$TDIR/.out" 2>"$TDIR/.err" </dev/null
	RC=$?
	OUT=$(cat "$TDIR/.out")
	ERR=$(cat "$TDIR/.err")
	LAST="chiptoll $*"
	_sanitizer_check
}
# ctj ARGS...: ct --json ARGS.
ctj() { ct --json "$@"; }
# ct_in TEXT ARGS...: like ct with TEXT on stdin.
ct_in() {
	local input=$1
	shift
	printf '%s' "$input" | _ct_exec --db "$DB" --actor "${ACTOR:-tester}" "$@" \
		>"$TDIR/.out" 2>"$TDIR/.err"
	RC=$?
	OUT=$(cat "$TDIR/.out")
	ERR=$(cat "$TDIR/.err")
	LAST="chiptoll $* (with stdin)"
	_sanitizer_check
}
# ct_raw ARGS...: runs the binary with exactly ARGS (no --db, no --actor).
ct_raw() {
	_ct_exec "$@" >"$TDIR/.out" 2>"$TDIR/.err" </dev/null
	RC=$?
	OUT=$(cat "$TDIR/.out")
	ERR=$(cat "$TDIR/.err")
	LAST="chiptoll $*"
	_sanitizer_check
}

# A sanitizer report fails the test whatever the exit code was (a crash
# could otherwise pass for an expected exit 1).
_sanitizer_check() {
	if grep -qE 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|UndefinedBehaviorSanitizer' \
		"$TDIR/.err" 2>/dev/null; then
		fail "$LAST: sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error' "$TDIR/.err" | tr '\n' ' ')"
	fi
}

_short() { printf '%s' "$1" | head -c 400 | tr '\n' ' '; }

fail() {
	printf '%s\n' "$*" >"$TDIR/.fail"
	exit 1
}

# assert_exit N: the last command exited N.
assert_exit() {
	[ "$RC" = "$1" ] ||
		fail "$LAST: expected exit $1, got $RC; stdout: $(_short "$OUT"); stderr: $(_short "$ERR")"
}
# ok ARGS...: run, expect exit 0.  rc N ARGS...: run, expect exit N.
ok() { ct "$@"; assert_exit 0; }
okj() { ctj "$@"; assert_exit 0; }
rc() { local n=$1; shift; ct "$@"; assert_exit "$n"; }
rcj() { local n=$1; shift; ctj "$@"; assert_exit "$n"; }

# assert_out_has TEXT / assert_err_has TEXT / assert_any_has TEXT (fixed strings)
assert_out_has() {
	grep -qF -- "$1" "$TDIR/.out" ||
		fail "$LAST: expected stdout to contain '$1'; got: $(_short "$OUT"); stderr: $(_short "$ERR")"
}
assert_out_lacks() {
	! grep -qF -- "$1" "$TDIR/.out" ||
		fail "$LAST: expected stdout NOT to contain '$1'; got: $(_short "$OUT")"
}
assert_err_has() {
	grep -qF -- "$1" "$TDIR/.err" ||
		fail "$LAST: expected stderr to contain '$1'; got: $(_short "$ERR")"
}
assert_any_has() {
	cat "$TDIR/.out" "$TDIR/.err" | grep -qF -- "$1" ||
		fail "$LAST: expected output to contain '$1'; stdout: $(_short "$OUT"); stderr: $(_short "$ERR")"
}

# jval EXPR: evaluates the Python expression EXPR on d = the JSON on the
# last command's stdout (first line that parses). Strings print raw,
# true/false/null as in JSON, numbers as Python prints them, others as
# compact JSON.
jval() {
	"${PY:-python3}" -S - "$1" "$TDIR/.out" <<'PY'
import json, sys
expr, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="replace").read()
d = None
try:
    d = json.loads(text)
except Exception:
    for line in text.splitlines():
        try:
            d = json.loads(line)
            break
        except Exception:
            pass
    else:
        print("<no JSON on stdout>")
        sys.exit(0)
try:
    v = eval(expr, {"d": d, "len": len, "sorted": sorted, "sum": sum, "abs": abs,
                    "round": round, "any": any, "all": all, "set": set, "str": str,
                    "int": int, "float": float, "isinstance": isinstance})
except Exception as e:
    print("<error: %s: %s>" % (type(e).__name__, e))
    sys.exit(0)
if isinstance(v, bool) or v is None:
    print(json.dumps(v))
elif isinstance(v, str):
    print(v)
elif isinstance(v, (int, float)):
    print(v)
else:
    print(json.dumps(v, separators=(",", ":"), sort_keys=True))
PY
}
# assert_json EXPR EXPECTED: jval EXPR prints EXPECTED.
assert_json() {
	local got
	got=$(jval "$1")
	[ "$got" = "$2" ] ||
		fail "$LAST: expected $1 == $2, got $got; stdout: $(_short "$OUT")"
}
# assert_json_field is the same check under the name other suites use.
assert_json_field() { assert_json "$@"; }
# assert_json_true EXPR: the Python expression is true.
assert_json_true() {
	local got
	got=$(jval "bool($1)")
	[ "$got" = "true" ] || fail "$LAST: expected $1; got $got; stdout: $(_short "$OUT")"
}
# assert_json_num EXPR VALUE TOL: |EXPR - VALUE| <= TOL.
assert_json_num() {
	local got
	got=$(jval "abs(float($1) - ($2)) <= ($3)")
	[ "$got" = "true" ] || fail "$LAST: expected $1 ~ $2 (+-$3), got $(jval "$1")"
}
# assert_keys KEY...: stdout JSON object has exactly these keys (any order).
assert_keys() {
	local want
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	local got
	got=$(jval "' '.join(sorted(d.keys())) + ' '")
	[ "$got" = "$want" ] || fail "$LAST: expected keys [$want], got [$got]; stdout: $(_short "$OUT")"
}
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values}: expected '$2', got '$1'"
}

# sql SQL: runs SQL on the test's database with sqlite3.
sql() { sqlite3 "$DB" "$@"; }

# ---- databases ----

# fresh_db: a new database made by `chiptoll init` in the test's directory.
fresh_db() {
	DB="$TDIR/x.db"
	ct init
	assert_exit 0
}

# _seed: the parties, evidence and licenses most tests start from.
#   vendors NVIDIA, AMD approved; PENDV pending (owns product PX1)
#   customers (approved unless said): ccn (CN; training,inference),
#     cmo (MO), csg (SG), csgcn (SG, HQ CN), cmil (CN; military),
#     cpend (CN, pending)
#   lab lab1 approved, lab2 approved
#   certificates: H200 batch B1 100000 units, MI325X batch A1 100000 units,
#     both by lab1 dated 2026-01-15
#   domestic: NVIDIA H200 1000000 units and AMD MI325X 1000000 units, 2026-01-15
#   license 1: NVIDIA -> ccn H200 100000 units from 2026-01-15, approved
#   license 2: AMD -> ccn MI325X 100000 units from 2026-01-15, approved
_seed() {
	fresh_db
	local v
	for v in NVIDIA AMD; do
		ok party add --role vendor --id "$v" --name "$v Corporation" --country US
		ok party approve "$v"
	done
	ok party add --role vendor --id PENDV --name "Pending Vendor" --country US
	ok product add --vendor PENDV --model PX1 --fp8 1000 --bw-gbs 3000 --die-mm2 800 \
		--us-available 2025-01-01
	ok party add --role customer --id ccn --name "Beijing Compute Co" --name-zh "北京算力有限公司" \
		--country CN --end-uses training,inference
	ok party add --role customer --id cmo --name "Macau Cloud" --country MO --end-uses cloud
	ok party add --role customer --id csg --name "Singapore AI" --country SG --end-uses training
	ok party add --role customer --id csgcn --name "Lion Compute" --country SG --hq-country CN \
		--end-uses training
	ok party add --role customer --id cmil --name "Defense Lab" --country CN --end-uses military
	ok party add --role customer --id cpend --name "Pending Customer" --country CN \
		--end-uses research
	local c
	for c in ccn cmo csg csgcn cmil; do ok party approve "$c"; done
	for c in lab1 lab2; do
		ok party add --role lab --id "$c" --name "US Test Lab $c" --country US
		ok party approve "$c"
	done
	ok lab certify --lab lab1 --product H200 --batch B1 --units 100000 --date 2026-01-15
	ok lab certify --lab lab1 --product MI325X --batch A1 --units 100000 --date 2026-01-15
	ok domestic record --vendor NVIDIA --product H200 --units 1000000 --date 2026-01-15
	ok domestic record --vendor AMD --product MI325X --units 1000000 --date 2026-01-15
	ok license apply --vendor NVIDIA --customer ccn --product H200 --units 100000 \
		--end-use training --from 2026-01-15
	ok license approve 1
	ok license apply --vendor AMD --customer ccn --product MI325X --units 100000 \
		--end-use training,inference --from 2026-01-15
	ok license approve 2
}

# seeded_db: the test's own copy of a database made once per run by
# `chiptoll init` and _seed (copying saves ~40 CLI calls per test, which
# matters under ASan). CT_SEED_EACH=1 seeds each test from scratch.
seeded_db() {
	DB="$TDIR/x.db"
	if [ "${CT_SEED_EACH:-0}" = 1 ] || [ ! -f "$SEED_TEMPLATE" ]; then
		_seed
	else
		cp "$SEED_TEMPLATE" "$DB" || fail "cannot copy the seeded template"
	fi
}

# make_seed_template PATH: builds the template (called once by run.sh).
make_seed_template() {
	(
		TDIR=$(dirname "$1")
		_seed
		[ -f "$DB" ] && mv "$DB" "$1"
		rm -f "$DB-wal" "$DB-shm"
	)
}

# ship_json ...: book with --json; SHIP_RC etc. are $RC/$OUT as usual.
# expect_booked ARGS...: ship ARGS books (exit 0, not replayed).
expect_booked() {
	ctj ship "$@"
	assert_exit 0
	assert_json 'd["replayed"]' false
}
# expect_reject CODE ARGS...: ship ARGS is rejected with CODE (exit 1).
expect_reject() {
	local code=$1
	shift
	ctj ship "$@"
	assert_exit 1
	assert_json 'd["rejected"]' true
	assert_json 'd["reason"]' "$code"
}
# bad_input FIELD ARGS...: exit 2 and the message names FIELD.
bad_input() {
	local field=$1
	shift
	ct "$@"
	assert_exit 2
	assert_err_has "$field"
}

# count_rows TABLE: rows in a table.
count_rows() { sql "SELECT count(*) FROM $1"; }
