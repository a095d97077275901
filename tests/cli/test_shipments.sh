# ship: fees, every booking reason code, the check order, idempotency,
# serials.

SHIP1=(--license 1 --batch B1 --date 2026-02-01)

t_ship_fee_example_and_shape() {
	seeded_db
	ctj ship --license 1 --units 300 --unit-value 27000.00 --batch B1 --date 2026-02-01
	assert_exit 0
	assert_keys shipment units fee_cents fee rate_bp program replayed
	assert_json 'd["shipment"]' 1
	assert_json 'd["units"]' 300
	assert_json 'd["fee_cents"]' 202500000
	assert_json 'd["fee"]' 2025000.00
	assert_json 'isinstance(d["fee"], str)' true
	assert_json 'd["rate_bp"]' 2500
	assert_json 'd["program"]' case-by-case-2026
	assert_json 'd["replayed"]' false
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' 202500000
	assert_json 'd["outstanding_cents"]' 202500000
	okj shipment show 1
	assert_json 'd["fee_cents"]' 202500000
	assert_json 'd["units"]' 300
	okj license show 1
	assert_json 'd["units_shipped"]' 300
	assert_json 'd["units_left"]' 99700
	# postings: fee payable and receivable, summing to zero
	assert_eq "$(sql "SELECT count(*), sum(amount_cents), max(amount_cents) FROM postings WHERE ref_kind='shipment' AND ref_id=1")" \
		"2|0|202500000" "postings of shipment 1"
	# the human form says the same
	ok ship --license 1 --units 1 --unit-value 27000.00 --batch B1 --date 2026-02-01
	assert_out_has "6750.00"
	okj audit log --limit 1
	assert_json 'd["events"][-1]["action"]' shipment.book
}
register ship_fee_example_and_shape

t_ship_fee_rounding_half_up() {
	seeded_db
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 0.02
	assert_json 'd["fee_cents"]' 1
	assert_json 'd["fee"]' 0.01
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 0.01
	assert_json 'd["fee_cents"]' 0
	assert_json 'd["fee"]' 0.00
	expect_booked "${SHIP1[@]}" --units 3 --unit-value 0.01
	assert_json 'd["fee_cents"]' 1
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 0.06
	assert_json 'd["fee_cents"]' 2
	expect_booked "${SHIP1[@]}" --units 7 --unit-value 123.45
	# 7 x 12345 x 2500 / 10000 = 21603.75 -> 21604
	assert_json 'd["fee_cents"]' 21604
	assert_json 'd["fee"]' 216.04
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 1000000000.00
	assert_json 'd["fee_cents"]' 25000000000
	# 100000 x 1e9 USD x 2500 bp overflows 64 bits in between: 128-bit arithmetic
	ok license apply --vendor AMD --customer ccn --product MI325X --units 100000 --end-use training \
		--from 2026-01-15
	ok license approve 3
	expect_booked --license 3 --batch A1 --date 2026-02-01 --units 100000 --unit-value 1000000000.00
	assert_json 'd["fee_cents"]' 2500000000000000
	assert_json 'd["fee"]' 25000000000000.00
	okj ledger balance --vendor AMD
	assert_json 'd["accrued_cents"]' 2500000000000000
	ok audit verify
}
register ship_fee_rounding_half_up

t_ship_rejection_shape_and_audit() {
	seeded_db
	local before
	before=$(sql "SELECT count(*) FROM audit_events")
	ctj ship --license 1 --units 1 --unit-value 100.00 --batch NOCERT --date 2026-02-01
	assert_exit 1
	assert_keys rejected reason message
	assert_json 'd["rejected"]' true
	assert_json 'd["reason"]' lab_certificate_missing
	assert_json_true 'len(d["message"]) > 20'
	assert_err_has "lab_certificate_missing"
	# nothing booked, one audit event
	assert_eq "$(count_rows shipments)" 0 "shipments after a rejection"
	assert_eq "$(count_rows postings)" 0 "postings after a rejection"
	assert_eq "$(sql "SELECT count(*) FROM audit_events")" $((before + 1)) "audit events"
	okj audit log --limit 1
	assert_json 'd["events"][-1]["action"]' shipment.reject
	assert_json 'd["events"][-1]["payload"]["reason"]' lab_certificate_missing
	# the human form names the reason
	rc 1 ship --license 1 --units 1 --unit-value 100.00 --batch NOCERT --date 2026-02-01
	assert_any_has "lab_certificate_missing"
}
register ship_rejection_shape_and_audit

t_ship_reason_license_not_found() {
	seeded_db
	expect_reject license_not_found --license 999 --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	rc 2 ship --license abc --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	assert_err_has "license"
	rc 2 ship --license 0 --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	rc 2 ship --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	assert_err_has "license"
}
register ship_reason_license_not_found

t_ship_reason_license_not_active() {
	seeded_db
	ok license apply --vendor NVIDIA --customer ccn --product H200 --units 10 --end-use training \
		--from 2026-01-15
	expect_reject license_not_active --license 3 --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	ok license deny 3 --reason "not now"
	expect_reject license_not_active --license 3 --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
	ct license apply --vendor NVIDIA --customer ccn --product B200 --units 10 --end-use training \
		--from 2026-01-15
	assert_exit 1
	expect_reject license_not_active --license 4 --units 1 --unit-value 10.00 --batch B1 --date 2026-02-01
}
register ship_reason_license_not_active

t_ship_reason_license_suspended_revoked() {
	seeded_db
	ok license suspend 1 --reason inquiry
	expect_reject license_suspended "${SHIP1[@]}" --units 1 --unit-value 10.00
	ok license reinstate 1
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 10.00
	ok license revoke 1 --reason "diversion"
	expect_reject license_revoked "${SHIP1[@]}" --units 1 --unit-value 10.00
}
register ship_reason_license_suspended_revoked

t_ship_reason_license_expired() {
	seeded_db
	# license 1 is valid 2026-01-15 .. 2027-01-14
	expect_reject license_expired --license 1 --batch B1 --units 1 --unit-value 10.00 --date 2026-01-14
	assert_json_true '"2026-01-14" in d["message"]'
	expect_reject license_expired --license 1 --batch B1 --units 1 --unit-value 10.00 --date 2027-01-15
	expect_booked --license 1 --batch B1 --units 1 --unit-value 10.00 --date 2026-01-15
	expect_booked --license 1 --batch B1 --units 1 --unit-value 10.00 --date 2027-01-14
	# an explicit --until
	ok license apply --vendor NVIDIA --customer ccn --product H200 --units 10 --end-use training \
		--from 2026-02-01 --until 2026-02-28
	ok license approve 3
	expect_reject license_expired --license 3 --batch B1 --units 1 --unit-value 10.00 --date 2026-03-01
	expect_booked --license 3 --batch B1 --units 1 --unit-value 10.00 --date 2026-02-28
}
register ship_reason_license_expired

t_ship_reason_suspended_each_scope() {
	seeded_db
	local scope id
	for scope in all vendor:NVIDIA customer:ccn product:H200 product:h200 program:case-by-case-2026; do
		okj suspend --scope "$scope" --reason "test $scope"
		id=$(jval 'd["id"]')
		assert_json 'd["scope"]' "$scope"
		expect_reject suspended "${SHIP1[@]}" --units 1 --unit-value 10.00
		okj resume "$id"
		expect_booked "${SHIP1[@]}" --units 1 --unit-value 10.00
	done
	# scopes that do not cover this shipment
	for scope in vendor:AMD customer:cmo product:MI325X program:h20-mi308-2025; do
		ok suspend --scope "$scope" --reason "other $scope"
		expect_booked "${SHIP1[@]}" --units 1 --unit-value 10.00
	done
	# ...but do cover others
	expect_reject suspended --license 2 --batch A1 --date 2026-02-01 --units 1 --unit-value 10.00
}
register ship_reason_suspended_each_scope

t_ship_reason_customer_not_approved() {
	seeded_db
	ok party suspend ccn --reason "screening hit"
	expect_reject customer_not_approved "${SHIP1[@]}" --units 1 --unit-value 10.00
	ok party reinstate ccn
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 10.00
	ok party revoke ccn --reason "entity listed"
	expect_reject customer_not_approved "${SHIP1[@]}" --units 1 --unit-value 10.00
}
register ship_reason_customer_not_approved

t_ship_reason_product_not_eligible() {
	seeded_db
	# H20 under the 2025 program: books at 1500 bp while it runs, not after
	ok license apply --vendor NVIDIA --customer ccn --product H20 --units 100 --end-use training \
		--from 2025-09-01
	ok license approve 3
	expect_booked --license 3 --batch X --units 10 --unit-value 10000.00 --date 2025-10-01
	assert_json 'd["program"]' h20-mi308-2025
	assert_json 'd["rate_bp"]' 1500
	assert_json 'd["fee_cents"]' 1500000
	expect_booked --license 3 --batch X --units 1 --unit-value 10000.00 --date 2026-01-14
	expect_reject product_not_eligible --license 3 --batch X --units 1 --unit-value 10000.00 \
		--date 2026-01-15
	expect_reject product_not_eligible --license 3 --batch X --units 1 --unit-value 10000.00 \
		--date 2026-01-20
}
register ship_reason_product_not_eligible

t_ship_reason_license_units_exceeded() {
	seeded_db
	ok license apply --vendor NVIDIA --customer ccn --product H200 --units 100 --end-use training \
		--from 2026-01-15
	ok license approve 3 --units 10
	expect_reject license_units_exceeded --license 3 --batch B1 --date 2026-02-01 --units 11 --unit-value 1.00
	assert_json_true '"10" in d["message"] and "11" in d["message"]'
	expect_booked --license 3 --batch B1 --date 2026-02-01 --units 6 --unit-value 1.00
	expect_reject license_units_exceeded --license 3 --batch B1 --date 2026-02-01 --units 5 --unit-value 1.00
	expect_booked --license 3 --batch B1 --date 2026-02-01 --units 4 --unit-value 1.00
	expect_reject license_units_exceeded --license 3 --batch B1 --date 2026-02-01 --units 1 --unit-value 1.00
	okj license show 3
	assert_json 'd["units_shipped"]' 10
	assert_json 'd["units_left"]' 0
}
register ship_reason_license_units_exceeded

t_ship_reason_lab_certificate_missing() {
	seeded_db
	local s=(--license 1 --unit-value 10.00)
	# no certificate at all for the batch
	expect_reject lab_certificate_missing "${s[@]}" --batch B2 --units 1 --date 2026-02-01
	# a certificate for another product's batch of that name
	ok lab certify --lab lab1 --product MI325X --batch B2 --units 50 --date 2026-01-20
	expect_reject lab_certificate_missing "${s[@]}" --batch B2 --units 1 --date 2026-02-01
	# dated after the shipment; then on the day it counts
	ok lab certify --lab lab1 --product H200 --batch B3 --units 50 --date 2026-03-01
	expect_reject lab_certificate_missing "${s[@]}" --batch B3 --units 1 --date 2026-02-28
	expect_booked "${s[@]}" --batch B3 --units 1 --date 2026-03-01
	# units exhausted
	ok lab certify --lab lab1 --product H200 --batch B4 --units 5 --date 2026-01-20
	expect_booked "${s[@]}" --batch B4 --units 3 --date 2026-02-01
	expect_reject lab_certificate_missing "${s[@]}" --batch B4 --units 3 --date 2026-02-01
	expect_booked "${s[@]}" --batch B4 --units 2 --date 2026-02-01
	expect_reject lab_certificate_missing "${s[@]}" --batch B4 --units 1 --date 2026-02-01
	# a lab suspended (or revoked) after certifying no longer qualifies a shipment
	ok lab certify --lab lab2 --product H200 --batch B5 --units 50 --date 2026-01-20
	ok party suspend lab2 --reason "qualification under review"
	expect_reject lab_certificate_missing "${s[@]}" --batch B5 --units 1 --date 2026-02-01
	ok party reinstate lab2
	expect_booked "${s[@]}" --batch B5 --units 1 --date 2026-02-01
	ok party revoke lab2 --reason "qualification revoked"
	expect_reject lab_certificate_missing "${s[@]}" --batch B5 --units 1 --date 2026-02-01
	# only an approved lab files certificates
	rc 4 lab certify --lab lab2 --product H200 --batch B6 --units 5 --date 2026-01-20
	rc 2 lab certify --lab ccn --product H200 --batch B6 --units 5 --date 2026-01-20
	rc 3 lab certify --lab nolab --product H200 --batch B6 --units 5
	rc 3 lab certify --lab lab1 --product NOCHIP --batch B6 --units 5
	rc 2 lab certify --lab lab1 --product H200 --batch B6 --units 0
	assert_err_has "units"
	# the 2025 program needs no certificate
	ok license apply --vendor NVIDIA --customer ccn --product H20 --units 100 --end-use training \
		--from 2025-09-01
	ok license approve 3
	expect_booked --license 3 --batch NONE --units 1 --unit-value 10.00 --date 2025-10-01
}
register ship_reason_lab_certificate_missing

t_ship_reason_volume_cap_boundary() {
	seeded_db
	ok license apply --vendor NVIDIA --customer ccn --product H100 --units 10000 --end-use training \
		--from 2026-01-15
	ok license approve 3
	ok lab certify --lab lab1 --product H100 --batch H1 --units 10000 --date 2026-01-15
	local s=(--license 3 --batch H1 --unit-value 20000.00)
	# no domestic volume yet: the cap is 0
	expect_reject volume_cap_exceeded "${s[@]}" --units 1 --date 2026-02-01
	# 101 US units -> cap floor(101 x 0.5) = 50
	ok domestic record --vendor NVIDIA --product H100 --units 101 --date 2026-01-20
	expect_reject volume_cap_exceeded "${s[@]}" --units 1 --date 2026-01-19
	expect_booked "${s[@]}" --units 30 --date 2026-02-01
	expect_reject volume_cap_exceeded "${s[@]}" --units 21 --date 2026-02-01
	assert_json_true '"30" in d["message"] and "50" in d["message"]'
	expect_booked "${s[@]}" --units 20 --date 2026-02-01
	expect_reject volume_cap_exceeded "${s[@]}" --units 1 --date 2026-02-01
	# US volume dated after the shipment does not count for it
	ok domestic record --vendor NVIDIA --product H100 --units 1000 --date 2026-03-01
	expect_reject volume_cap_exceeded "${s[@]}" --units 1 --date 2026-02-28
	# 1101 -> cap 550: 500 more fit exactly on that date
	expect_booked "${s[@]}" --units 500 --date 2026-03-01
	expect_reject volume_cap_exceeded "${s[@]}" --units 1 --date 2026-03-01
	okj report caps
	assert_json '[r[3:] for r in d["rows"] if r[0] == "H100"]' '[[1101,550,550,0]]'
	# domestic record input checks
	rc 2 domestic record --vendor NVIDIA --product H100 --units 0
	assert_err_has "units"
	rc 2 domestic record --vendor NVIDIA --product MI325X --units 5
	rc 3 domestic record --vendor NOBODY --product H100 --units 5
	rc 3 domestic record --vendor NVIDIA --product NOCHIP --units 5
	rc 2 domestic record --vendor NVIDIA --product H100 --units 5 --date 2026-02-30
	assert_err_has "date"
}
register ship_reason_volume_cap_boundary

t_ship_reason_serials() {
	seeded_db
	printf 'SN-0001\nSN-0002\n' >"$TDIR/two.txt"
	printf 'SN-0003\n  SN-0004  \n\nSN-0005\n' >"$TDIR/three.txt"
	printf 'SN-0002\nSN-0009\n' >"$TDIR/reuse.txt"
	printf 'SN-0010\nSN-0010\n' >"$TDIR/dup.txt"
	expect_reject serial_count_mismatch "${SHIP1[@]}" --units 3 --unit-value 10.00 --serials "$TDIR/two.txt"
	assert_json_true '"2 serials" in d["message"]'
	expect_booked "${SHIP1[@]}" --units 2 --unit-value 10.00 --serials "$TDIR/two.txt"
	expect_booked "${SHIP1[@]}" --units 3 --unit-value 10.00 --serials "$TDIR/three.txt"
	okj shipment show 2
	assert_json 'sorted(d["serials"])' '["SN-0003","SN-0004","SN-0005"]'
	# a serial shipped before
	expect_reject serial_already_shipped "${SHIP1[@]}" --units 2 --unit-value 10.00 --serials "$TDIR/reuse.txt"
	assert_json_true '"SN-0002" in d["message"]'
	# the same serial twice in one list
	expect_reject serial_already_shipped "${SHIP1[@]}" --units 2 --unit-value 10.00 --serials "$TDIR/dup.txt"
	assert_json_true '"SN-0010" in d["message"]'
	# nothing of the rejected ones was stored
	assert_eq "$(count_rows serials)" 5 "serial rows"
	assert_eq "$(count_rows shipments)" 2 "shipments"
	# --serials - reads standard input
	ct_in $'SN-0100\nSN-0101\n' --json ship "${SHIP1[@]}" --units 2 --unit-value 10.00 --serials -
	assert_exit 0
	assert_json 'd["units"]' 2
	ct_in $'SN-0100\n' --json ship "${SHIP1[@]}" --units 1 --unit-value 10.00 --serials -
	assert_exit 1
	assert_json 'd["reason"]' serial_already_shipped
	assert_eq "$(sql "SELECT shipment_id FROM serials WHERE serial='SN-0101'")" 3 "shipment of SN-0101"
	# a missing serial file is not found (3); a bad serial is bad input (2)
	rc 3 ship "${SHIP1[@]}" --units 1 --unit-value 10.00 --serials "$TDIR/nonexistent.txt"
	assert_err_has "serials"
	printf 'bad serial!\n' >"$TDIR/bad.txt"
	rc 2 ship "${SHIP1[@]}" --units 1 --unit-value 10.00 --serials "$TDIR/bad.txt"
	assert_err_has "serials"
	printf '%s\n' "$(printf 'S%.0s' {1..64})" >"$TDIR/long.txt"
	rc 2 ship "${SHIP1[@]}" --units 1 --unit-value 10.00 --serials "$TDIR/long.txt"
	assert_err_has "serials"
}
register ship_reason_serials

t_ship_check_order() {
	seeded_db
	local v=(--unit-value 10.00)
	# pending (not active) and outside its window: license_not_active
	ok license apply --vendor NVIDIA --customer ccn --product H200 --units 10 --end-use training \
		--from 2026-02-01 --until 2026-02-28   # 3, pending
	expect_reject license_not_active --license 3 --batch B1 --units 1 "${v[@]}" --date 2026-05-01
	# suspended license and everything else wrong: license_suspended
	ok license approve 3 --units 5
	ok license suspend 3 --reason x
	ok suspend --scope all --reason "stop all"
	expect_reject license_suspended --license 3 --batch NOCERT --units 9 "${v[@]}" --date 2026-05-01
	ok license reinstate 3
	# outside the window and a suspension in force: license_expired
	expect_reject license_expired --license 3 --batch NOCERT --units 9 "${v[@]}" --date 2026-05-01
	# a suspension and a suspended customer: suspended
	ok party suspend ccn --reason y
	expect_reject suspended --license 3 --batch NOCERT --units 9 "${v[@]}" --date 2026-02-10
	ok resume 1
	# suspended customer and too many units: customer_not_approved
	expect_reject customer_not_approved --license 3 --batch NOCERT --units 9 "${v[@]}" --date 2026-02-10
	ok party reinstate ccn
	# too many units and no certificate: license_units_exceeded
	expect_reject license_units_exceeded --license 3 --batch NOCERT --units 9 "${v[@]}" --date 2026-02-10
	# no certificate and over the cap (H100 has no US volume): lab_certificate_missing
	ok license apply --vendor NVIDIA --customer ccn --product H100 --units 10 --end-use training \
		--from 2026-01-15
	ok license approve 4
	expect_reject lab_certificate_missing --license 4 --batch NOCERT --units 2 "${v[@]}" --date 2026-02-10 \
		--serials "$(printf 'Z1\n' >"$TDIR/z1"; echo "$TDIR/z1")"
	# over the cap and a serial count mismatch: volume_cap_exceeded
	ok lab certify --lab lab1 --product H100 --batch HC --units 10 --date 2026-01-15
	expect_reject volume_cap_exceeded --license 4 --batch HC --units 2 "${v[@]}" --date 2026-02-10 \
		--serials "$TDIR/z1"
	# count mismatch and a repeated serial: serial_count_mismatch
	printf 'R1\nR1\n' >"$TDIR/r1"
	expect_reject serial_count_mismatch --license 3 --batch B1 --units 3 "${v[@]}" --date 2026-02-10 \
		--serials "$TDIR/r1"
	expect_reject serial_already_shipped --license 3 --batch B1 --units 2 "${v[@]}" --date 2026-02-10 \
		--serials "$TDIR/r1"
	# product no longer covered and too many units: product_not_eligible
	ok license apply --vendor NVIDIA --customer ccn --product H20 --units 10 --end-use training \
		--from 2025-09-01
	ok license approve 5
	expect_reject product_not_eligible --license 5 --batch X --units 11 "${v[@]}" --date 2026-02-10
}
register ship_check_order

t_ship_idempotency() {
	seeded_db
	expect_booked "${SHIP1[@]}" --units 5 --unit-value 100.00 --key order-17
	assert_json 'd["shipment"]' 1
	local fee
	fee=$(jval 'd["fee_cents"]')
	ctj ship "${SHIP1[@]}" --units 5 --unit-value 100.00 --key order-17
	assert_exit 0
	assert_json 'd["replayed"]' true
	assert_json 'd["shipment"]' 1
	assert_json 'd["fee_cents"]' "$fee"
	assert_keys shipment units fee_cents fee rate_bp program replayed
	# the amount may be written differently and still be the same request
	ctj ship "${SHIP1[@]}" --units 5 --unit-value 100 --key order-17
	assert_exit 0
	assert_json 'd["replayed"]' true
	assert_eq "$(count_rows shipments)" 1 "shipments after replays"
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' "$fee"
	okj license show 1
	assert_json 'd["units_shipped"]' 5
	# same key, different content
	ctj ship "${SHIP1[@]}" --units 6 --unit-value 100.00 --key order-17
	assert_exit 4
	assert_any_has "idempotency_conflict"
	ctj ship --license 1 --batch B1 --date 2026-02-02 --units 5 --unit-value 100.00 --key order-17
	assert_exit 4
	ct ship "${SHIP1[@]}" --units 5 --unit-value 100.01 --key order-17
	assert_exit 4
	assert_err_has "idempotency_conflict"
	assert_eq "$(count_rows shipments)" 1 "shipments after conflicts"
	# a new key books anew
	expect_booked "${SHIP1[@]}" --units 5 --unit-value 100.00 --key order-18
	assert_json 'd["shipment"]' 2
	# with serials: a replay does not trip over its own serials
	printf 'K1\nK2\n' >"$TDIR/k"
	expect_booked "${SHIP1[@]}" --units 2 --unit-value 100.00 --key order-19 --serials "$TDIR/k"
	ctj ship "${SHIP1[@]}" --units 2 --unit-value 100.00 --key order-19 --serials "$TDIR/k"
	assert_exit 0
	assert_json 'd["replayed"]' true
	assert_eq "$(count_rows shipments)" 3 "shipments"
	# a rejected request leaves its key free
	expect_reject lab_certificate_missing --license 1 --batch NOCERT --date 2026-02-01 --units 1 \
		--unit-value 1.00 --key order-20
	expect_booked "${SHIP1[@]}" --units 1 --unit-value 1.00 --key order-20
	rc 2 ship "${SHIP1[@]}" --units 1 --unit-value 1.00 --key "$(printf 'k%.0s' {1..129})"
	assert_err_has "key"
	ok audit verify
}
register ship_idempotency
