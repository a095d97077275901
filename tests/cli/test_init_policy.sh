# init, help, global options, policy show/load.

t_init_creates_and_refuses_second() {
	DB=$TDIR/x.db
	ctj init
	assert_exit 0
	assert_json 'd["policy"]' 2026-01-15
	assert_json_true 'd["products"] >= 25'
	[ -f "$DB" ] || fail "init did not create $DB"
	rc 4 init
	assert_err_has "exists"
	# the first database is intact
	okj policy show
	assert_json 'd["version"]' 2026-01-15
}
register init_creates_and_refuses_second

t_help_lists_every_command() {
	DB=$TDIR/none.db
	ct_raw help
	assert_exit 0
	local c
	for c in init "policy show" "policy load" "product list" "product show" "product add" \
		"product classify" "product compare" "party add" "party approve" "party reinstate" \
		"party suspend" "party revoke" "party show" "party list" "license apply" \
		"license approve" "license deny" "license suspend" "license revoke" \
		"license reinstate" "license show" "license list" "lab certify" "domestic record" \
		ship "import shipments" "ledger balance" "ledger statement" "ledger remit" suspend \
		resume "report" "audit verify" "audit log"; do
		assert_out_has "  $c "
	done
	ct_raw --help
	assert_exit 0
	assert_out_has "usage: chiptoll"
	# no command at all is a usage error
	ct_raw
	assert_exit 2
}
register help_lists_every_command

t_help_of_every_command() {
	DB=$TDIR/none.db
	local c
	while IFS= read -r c; do
		[ -n "$c" ] || continue
		# shellcheck disable=SC2086
		ct_raw $c --help
		assert_exit 0
		assert_out_has "usage: chiptoll $c"
		# chiptoll help CMD says the same
		# shellcheck disable=SC2086
		ct_raw help $c
		assert_exit 0
		assert_out_has "usage: chiptoll $c"
	done <<'LIST'
init
policy show
policy load
product list
product show
product add
product classify
product compare
party add
party approve
party reinstate
party suspend
party revoke
party show
party list
license apply
license approve
license deny
license suspend
license revoke
license reinstate
license show
license list
lab certify
domestic record
ship
shipment show
import shipments
ledger balance
ledger statement
ledger remit
suspend
resume
suspension list
report
audit verify
audit log
LIST
	[ ! -e "$TDIR/none.db" ] || fail "--help created a database"
}
register help_of_every_command

t_help_flags_named_in_issue() {
	DB=$TDIR/none.db
	ct_raw product add --help
	for f in --vendor --model --fp64 --fp32 --tf32 --fp16 --bf16 --fp8 --int8 --fp6 --fp4 \
		--bw-gbs --mem-gb --die-mm2 --datacenter --us-available; do assert_out_has "$f"; done
	ct_raw license apply --help
	for f in --vendor --customer --product --units --end-use --from --until --export-from; do
		assert_out_has "$f"
	done
	ct_raw ship --help
	for f in --license --units --unit-value --batch --date --serials --key; do assert_out_has "$f"; done
	ct_raw suspend --help
	for f in all vendor:ID customer:ID product:MODEL program:ID --reason; do assert_out_has "$f"; done
	ct_raw report --help
	for f in fees caps licenses table json csv; do assert_out_has "$f"; done
}
register help_flags_named_in_issue

t_unknown_command_and_option() {
	fresh_db
	rc 2 frobnicate
	assert_err_has "unknown command"
	rc 2 policy frobnicate
	rc 2 product list --bogus
	assert_err_has "unknown option '--bogus'"
	rc 2 license apply --vendor NVIDIA --colour red
	assert_err_has "--colour"
	# a flag without its value, a flag twice, a missing / extra positional
	rc 2 ship --license
	assert_err_has "needs a value"
	rc 2 party list --role vendor --role lab
	assert_err_has "twice"
	rc 2 product show
	rc 2 product show H200 H20
	rc 2 --db
}
register unknown_command_and_option

t_db_missing_file_not_found() {
	DB=$TDIR/missing.db
	rc 3 policy show
	assert_err_has "missing.db"
	rc 3 party list
	[ ! -e "$TDIR/missing.db" ] || fail "a read command created $TDIR/missing.db"
	# CHIPTOLL_DB is the default for --db
	CHIPTOLL_DB=$TDIR/env.db _ct_exec init >/dev/null 2>&1 || fail "init via CHIPTOLL_DB failed"
	[ -f "$TDIR/env.db" ] || fail "CHIPTOLL_DB was not used by init"
	# ./chiptoll.db is the default without either
	(cd "$TDIR" && _ct_exec init >/dev/null 2>&1) || fail "init with the default path failed"
	[ -f "$TDIR/chiptoll.db" ] || fail "default ./chiptoll.db not created"
}
register db_missing_file_not_found

t_actor_recorded_in_audit() {
	fresh_db
	ACTOR=officer.li ok party add --role vendor --id NVIDIA --name "NVIDIA" --country US
	okj audit log --limit 1
	assert_json 'd["events"][-1]["actor"]' officer.li
	assert_json 'd["events"][-1]["action"]' party.add
	# CHIPTOLL_ACTOR is the default
	CHIPTOLL_ACTOR=env.actor _ct_exec --db "$DB" party approve NVIDIA >/dev/null 2>&1 ||
		fail "party approve with CHIPTOLL_ACTOR failed"
	okj audit log --limit 1
	assert_json 'd["events"][-1]["actor"]' env.actor
	assert_json 'd["events"][-1]["action"]' party.approve
	rc 2 audit log --limit 0
	rc 2 audit log --limit abc
}
register actor_recorded_in_audit

t_policy_show() {
	fresh_db
	okj policy show
	assert_json 'd["version"]' 2026-01-15
	assert_json '[p["id"] for p in d["policy"]["programs"]]' '["h20-mi308-2025","case-by-case-2026"]'
	assert_json 'd["policy"]["programs"][1]["fee"]["rate_bp"]' 2500
	assert_json 'd["policy"]["programs"][0]["fee"]["rate_bp"]' 1500
	assert_json 'sorted(d["policy"]["programs"][0]["destinations"])' '["CN","HK","MO"]'
	assert_json 'd["policy"]["programs"][0]["effective_until"]' 2026-01-14
	assert_json 'd["policy"]["programs"][1]["products"]["max_tpp"]' 21000
	assert_json 'd["policy"]["programs"][1]["products"]["max_bw_gbs"]' 6500
	ok policy show
	assert_out_has '"source"'
	assert_out_has "case-by-case-2026"
}
register policy_show

# policy_variant NAME PYTHON: writes $TDIR/NAME.json, the bundled policy
# changed by the Python statements (p is the document).
policy_variant() {
	"${PY:-python3}" -S - "$CT_TEST_DIR/../../data/policy/chiptoll-policy-2026-01-15.json" "$TDIR/$1.json" "$2" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
exec(sys.argv[3])
with open(sys.argv[2], "w") as f:
    f.write(p if isinstance(p, str) else json.dumps(p))
PY
}

t_policy_load_new_version_and_conflict() {
	fresh_db
	policy_variant v2 'p["version"] = "2026-03-01"; p["programs"][1]["fee"]["rate_bp"] = 3000'
	okj policy load "$TDIR/v2.json"
	assert_json 'd["version"]' 2026-03-01
	okj policy show
	assert_json 'd["version"]' 2026-03-01
	assert_json 'd["policy"]["programs"][1]["fee"]["rate_bp"]' 3000
	rc 4 policy load "$TDIR/v2.json"
	assert_err_has "2026-03-01"
	# loading the bundled version again is a conflict too
	rc 4 policy load "$CT_TEST_DIR/../../data/policy/chiptoll-policy-2026-01-15.json"
	okj audit log --limit 5
	assert_json_true 'any(e["action"] == "policy.load" for e in d["events"])'
}
register policy_load_new_version_and_conflict

t_policy_load_bad_files() {
	fresh_db
	policy_variant badjson 'p = "{\"format\": \"chiptoll-policy/1\", "'
	policy_variant badformat 'p["version"] = "b1"; p["format"] = "chiptoll-policy/9"'
	policy_variant unknownkey 'p["version"] = "b2"; p["colour"] = "red"'
	policy_variant rate 'p["version"] = "b3"; p["programs"][1]["fee"]["rate_bp"] = 10001'
	policy_variant baddate 'p["version"] = "b4"; p["programs"][0]["effective_from"] = "2025-02-30"'
	policy_variant until 'p["version"] = "b5"; p["programs"][0]["effective_until"] = "2025-01-01"'
	policy_variant progkey 'p["version"] = "b6"; p["programs"][1]["rate"] = 1'
	policy_variant notobj 'p = "[1, 2, 3]"'
	rc 2 policy load "$TDIR/badjson.json"
	assert_err_has "JSON"
	rc 2 policy load "$TDIR/badformat.json"
	assert_err_has "format"
	rc 2 policy load "$TDIR/unknownkey.json"
	assert_err_has "colour"
	rc 2 policy load "$TDIR/rate.json"
	assert_err_has "rate_bp"
	rc 2 policy load "$TDIR/baddate.json"
	assert_err_has "effective_from"
	rc 2 policy load "$TDIR/until.json"
	assert_err_has "effective_until"
	rc 2 policy load "$TDIR/progkey.json"
	assert_err_has '"rate"'
	rc 2 policy load "$TDIR/notobj.json"
	ct policy load "$TDIR/does-not-exist.json"
	[ "$RC" = 2 ] || [ "$RC" = 3 ] || fail "$LAST: expected exit 2 or 3, got $RC"
	assert_err_has "does-not-exist.json"
	rcj 2 policy load "$TDIR/rate.json"
	assert_json 'd["code"]' bad_input
	assert_out_has "rate_bp"
	# nothing was loaded
	okj policy show
	assert_json 'd["version"]' 2026-01-15
}
register policy_load_bad_files

t_policy_new_rate_keeps_booked_fees() {
	seeded_db
	expect_booked --license 1 --units 10 --unit-value 1000.00 --batch B1 --date 2026-02-01
	assert_json 'd["fee_cents"]' 250000
	assert_json 'd["rate_bp"]' 2500
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' 250000
	ok report fees --format csv
	local before=$OUT
	policy_variant v2 'p["version"] = "2026-03-01"; p["programs"][1]["fee"]["rate_bp"] = 3000'
	ok policy load "$TDIR/v2.json"
	# what was booked stays as booked
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' 250000
	ok report fees --format csv
	assert_eq "$OUT" "$before" "fees report after a new policy version"
	okj shipment show 1
	assert_json 'd["fee_cents"]' 250000
	# a new shipment uses the new rate
	expect_booked --license 1 --units 10 --unit-value 1000.00 --batch B1 --date 2026-03-02
	assert_json 'd["rate_bp"]' 3000
	assert_json 'd["fee_cents"]' 300000
	assert_json 'd["fee"]' 3000.00
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' 550000
	ok audit verify
}
register policy_new_rate_keeps_booked_fees
