# audit verify and log; tampering with the database behind chiptoll's back.

# audit_base: a database with a booked shipment (serials), a rejection
# and a remittance; copies it to $TDIR/base.db.
audit_base() {
	seeded_db
	printf 'AU-1\nAU-2\n' >"$TDIR/s"
	expect_booked --license 1 --batch B1 --units 2 --unit-value 100.00 --date 2026-02-01 --serials "$TDIR/s"
	ok ledger remit --vendor NVIDIA --amount 10.00 --ref W1 --date 2026-02-02
	okj audit verify
	assert_json 'd["ok"]' true
	cp "$DB" "$TDIR/base.db"
}

# expect_tamper_detected SQL: on a fresh copy of base.db, SQL makes
# `audit verify` exit 1 naming a sequence number.
expect_tamper_detected() {
	cp "$TDIR/base.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	sql "$1" || fail "sqlite3 failed on: $1"
	ct audit verify
	[ "$RC" = 1 ] || fail "after [$1]: expected audit verify to exit 1, got $RC: $(_short "$OUT")"
	grep -qE '(event|seq)[^0-9]*[0-9]+' "$TDIR/.err" "$TDIR/.out" ||
		fail "after [$1]: audit verify names no sequence number: $(_short "$ERR")"
	ctj audit verify
	[ "$RC" = 1 ] || fail "after [$1]: expected audit verify --json to exit 1, got $RC: $(_short "$OUT")"
	assert_json 'd["ok"]' false
	assert_json_true 'isinstance(d["first_bad_seq"], int) and d["first_bad_seq"] >= 1'
}

t_audit_verify_intact() {
	audit_base
	local n
	n=$(sql "SELECT count(*) FROM audit_events")
	okj audit verify
	assert_json 'd["ok"]' true
	assert_json 'd["events"]' "$n"
	ok audit verify
	assert_out_has "$n"
	okj audit log --limit 3
	assert_json 'len(d["events"])' 3
	assert_json '[e["action"] for e in d["events"]]' '["license.approve","shipment.book","ledger.remit"]'
	assert_json_true 'all(set(e) >= {"seq", "ts", "actor", "action", "payload", "hash"} for e in d["events"])'
	assert_json "d[\"events\"][-1][\"seq\"]" "$n"
	ok audit log
	assert_out_has "ledger.remit"
}
register audit_verify_intact

t_audit_tamper_rows() {
	audit_base
	expect_tamper_detected "UPDATE shipments SET fee_cents=1"
	assert_json 'd["first_bad_seq"]' "$(cp "$TDIR/base.db" "$TDIR/b2.db"; sqlite3 "$TDIR/b2.db" "SELECT max(seq) FROM audit_events WHERE action='shipment.book'")"
	expect_tamper_detected "UPDATE shipments SET units=1"
	expect_tamper_detected "DELETE FROM shipments"
	expect_tamper_detected "DELETE FROM serials WHERE serial='AU-1'"
	expect_tamper_detected "INSERT INTO serials(serial, shipment_id) VALUES('AU-3', 1)"
	expect_tamper_detected "INSERT INTO postings(ref_kind, ref_id, vendor, account, amount_cents, post_date) VALUES('shipment', 1, 'NVIDIA', 'vendor_fee_payable', -100, '2026-02-01')"
	expect_tamper_detected "UPDATE postings SET amount_cents=amount_cents+1 WHERE id=1"
	expect_tamper_detected "UPDATE licenses SET units_approved=999999 WHERE id=1"
	expect_tamper_detected "DELETE FROM licenses WHERE id=2"
	expect_tamper_detected "UPDATE parties SET status='approved' WHERE id='cpend'"
	expect_tamper_detected "UPDATE certificates SET units=5 WHERE id=1"
	expect_tamper_detected "UPDATE domestic_volumes SET units=5 WHERE id=1"
	expect_tamper_detected "UPDATE remittances SET amount_cents=1"
	expect_tamper_detected "INSERT INTO suspensions(scope, reason, created_at, created_by) VALUES('all', 'x', '2026-02-01T00:00:00Z', 'mallory')"
	expect_tamper_detected "UPDATE products SET fp8=1 WHERE model='H200'"
	expect_tamper_detected "UPDATE policy_versions SET document=replace(document, '2500', '3000')"
}
register audit_tamper_rows

t_audit_tamper_events() {
	audit_base
	expect_tamper_detected "UPDATE audit_events SET payload='{\"x\":1}' WHERE seq=5"
	assert_json 'd["first_bad_seq"]' 5
	expect_tamper_detected "UPDATE audit_events SET actor='mallory' WHERE seq=3"
	assert_json 'd["first_bad_seq"]' 3
	expect_tamper_detected "UPDATE audit_events SET ts='2020-01-01T00:00:00Z' WHERE seq=7"
	expect_tamper_detected "DELETE FROM audit_events WHERE seq=(SELECT max(seq) FROM audit_events)"
	expect_tamper_detected "DELETE FROM audit_events WHERE seq=10"
	expect_tamper_detected "UPDATE audit_events SET prev_hash=hash WHERE seq=4"
	expect_tamper_detected "UPDATE audit_events SET action='party.approve' WHERE seq=(SELECT max(seq) FROM audit_events)"
}
register audit_tamper_events

# Deleting the newest event when it is a rejected shipment's (which covers
# no stored row) must be detected too: "editing or deleting any stored
# event ... is detected by audit verify".
t_audit_tamper_delete_last_reject_event() {
	seeded_db
	expect_booked --license 1 --batch B1 --units 1 --unit-value 10.00 --date 2026-02-01
	expect_reject lab_certificate_missing --license 1 --batch NOCERT --units 1 --unit-value 10.00 \
		--date 2026-02-01
	assert_eq "$(sql 'SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1')" shipment.reject \
		"newest audit event"
	# A rejection writes no row: only an anchor kept outside the
	# database, as an auditor keeps it, shows the cut tail.
	ctj audit head
	assert_exit 0
	local anchor seq
	anchor=$(jval 'd["anchor"]')
	seq=$(jval 'd["seq"]')
	ctj audit verify --anchor "$anchor"
	assert_exit 0
	sql "DELETE FROM audit_events WHERE seq=(SELECT max(seq) FROM audit_events)"
	ctj audit verify --anchor "$anchor"
	[ "$RC" = 1 ] || fail "deleting the newest audit event (a shipment.reject) went unnoticed: audit verify exit $RC: $(_short "$OUT")"
	assert_json 'd["ok"]' false
	assert_json 'd["first_bad_seq"]' "$seq"
	ctj audit verify --anchor "12:nothex"
	assert_exit 2
}
register audit_tamper_delete_last_reject_event
