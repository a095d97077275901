# import shipments: JSON Lines, each line on its own.

t_import_mixed_lines() {
	seeded_db
	cat >"$TDIR/in.jsonl" <<'JSONL'
{"license": 1, "units": 2, "unit_value": "100.00", "batch": "B1", "date": "2026-02-01", "key": "imp-1", "serials": ["IM-1", "IM-2"]}
{"license": 999, "units": 1, "unit_value": "1.00", "batch": "B1", "date": "2026-02-01"}
this is not json
[1, 2, 3]
{"license": 1, "units": 1, "unit_value": "1.00", "batch": "B1", "date": "2026-02-01", "colour": "red"}

{"license": 1, "units": 1, "unit_value": "1.005", "batch": "B1", "date": "2026-02-01"}
{"license": 1, "units": 1, "unit_value": "-5", "batch": "B1", "date": "2026-02-01"}
{"license": 1, "units": 3, "unit_value": "27000.00", "batch": "B1", "date": "2026-02-01"}
{"license": 1, "units": 1, "unit_value": "10.00", "batch": "NOCERT", "date": "2026-02-01"}
{"license": 1, "units": 1, "unit_value": "10.00", "batch": "NOCERT2", "date": "2026-02-01"}
{"license": 1, "units": 1, "unit_value": "10.00", "batch": "B1", "date": "2026-02-01", "serials": ["IM-2"]}
{"license": 1, "units": 2, "unit_value": "100.00", "batch": "B1", "date": "2026-02-01", "key": "imp-1", "serials": ["IM-1", "IM-2"]}
{"license": 1, "units": 2, "unit_value": "100.00", "batch": "B1", "date": "2026-02-30"}
{"license": 1, "units": 1, "unit_value": "1.00", "batch": "B1", "date": "2026-02-01"
{"license": 1, "units": 4, "unit_value": "50.00", "batch": "B1", "date": "2026-02-02"}
JSONL
	okj import shipments "$TDIR/in.jsonl"
	assert_json_true 'set(d) >= {"accepted", "rejected", "errors"}'
	# booked: lines 1, 9, 16; replayed: line 13
	assert_json 'd["accepted"]' 4
	assert_json 'd["rejected"]' \
		'{"lab_certificate_missing":2,"license_not_found":1,"serial_already_shipped":1}'
	assert_json 'sorted(e["line"] for e in d["errors"])' '[3,4,5,7,8,14,15]'
	assert_json_true 'all(isinstance(e["message"], str) and e["message"] for e in d["errors"])'
	assert_json '[e["message"] for e in d["errors"] if e["line"] == 5][0]' "colour: unknown field"
	assert_json_true '"unit_value" in [e["message"] for e in d["errors"] if e["line"] == 7][0]'
	assert_json_true '"unit_value" in [e["message"] for e in d["errors"] if e["line"] == 8][0]'
	assert_json_true '"date" in [e["message"] for e in d["errors"] if e["line"] == 14][0]'
	# what was booked
	assert_eq "$(count_rows shipments)" 3 "shipments booked by the import"
	assert_eq "$(sql 'SELECT group_concat(units) FROM (SELECT units FROM shipments ORDER BY id)')" "2,3,4" \
		"units of the booked shipments"
	okj ledger balance --vendor NVIDIA
	# 2x100 + 3x27000 + 4x50 at 25%: 50.00 + 20250.00 + 50.00
	assert_json 'd["accrued_cents"]' 2035000
	ok audit verify
	# the human summary
	ok import shipments "$TDIR/in.jsonl"
	assert_out_has "accepted"
}
register import_mixed_lines

t_import_replay_and_stdin() {
	seeded_db
	printf '%s\n' \
		'{"license": 1, "units": 1, "unit_value": "10.00", "batch": "B1", "date": "2026-02-01", "key": "a"}' \
		'{"license": 1, "units": 1, "unit_value": "10.00", "batch": "B1", "date": "2026-02-01", "key": "b"}' \
		>"$TDIR/two.jsonl"
	okj import shipments "$TDIR/two.jsonl"
	assert_json 'd["accepted"]' 2
	# the same file again books nothing new
	okj import shipments "$TDIR/two.jsonl"
	assert_json 'd["accepted"]' 2
	assert_eq "$(count_rows shipments)" 2 "shipments after importing twice"
	# a key reused with other content is an error line, not a booking
	printf '%s\n' '{"license": 1, "units": 2, "unit_value": "10.00", "batch": "B1", "date": "2026-02-01", "key": "a"}' \
		>"$TDIR/conflict.jsonl"
	okj import shipments "$TDIR/conflict.jsonl"
	assert_json 'd["accepted"]' 0
	assert_json_true '[e["line"] for e in d["errors"]] == [1] or d["rejected"].get("idempotency_conflict") == 1'
	assert_any_has "a"
	# standard input
	ct_in '{"license": 1, "units": 1, "unit_value": "10.00", "batch": "B1", "date": "2026-02-01"}' \
		--json import shipments -
	assert_exit 0
	assert_json 'd["accepted"]' 1
	assert_eq "$(count_rows shipments)" 3 "shipments"
	# an empty file
	: >"$TDIR/empty.jsonl"
	okj import shipments "$TDIR/empty.jsonl"
	assert_json 'd["accepted"]' 0
	assert_json 'd["errors"]' '[]'
	ct import shipments "$TDIR/missing.jsonl"
	[ "$RC" = 3 ] || fail "$LAST: expected exit 3 (not found), got $RC"
	rc 2 import shipments
}
register import_replay_and_stdin

t_import_many_lines_progress_off() {
	seeded_db
	"${PY:-python3}" -S - "$TDIR/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 1201):
        rec = {"license": 1, "units": 1, "unit_value": "100.00", "batch": "B1",
               "date": "2026-02-01", "key": "k%d" % i, "serials": ["SER-%05d" % i]}
        if i % 100 == 0:
            rec["serials"] = ["SER-%05d" % (i - 1)]   # already shipped
        if i == 1111:
            f.write("{broken\n")
            continue
        f.write(json.dumps(rec) + "\n")
PY
	okj import shipments "$TDIR/many.jsonl"
	assert_json 'd["accepted"]' 1187
	assert_json 'd["rejected"]' '{"serial_already_shipped":12}'
	assert_json '[e["line"] for e in d["errors"]]' '[1111]'
	[ -z "$ERR" ] || fail "import wrote to stderr though it is not a terminal: $(_short "$ERR")"
	assert_eq "$(count_rows shipments)" 1187 "shipments"
	okj license show 1
	assert_json 'd["units_shipped"]' 1187
	ok audit verify
}
register import_many_lines_progress_off
