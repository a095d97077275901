# Bad inputs: exit 2 with a message naming the field; unknown ids.

t_inputs_units() {
	seeded_db
	local u
	for u in 0 -1 1.5 abc 1000001 "" " 5" 0x10 1e3 99999999999999999999; do
		bad_input units ship --license 1 --batch B1 --date 2026-02-01 --unit-value 1.00 --units "$u"
	done
	for u in 0 -1 1.5 abc 1000001; do
		bad_input units license apply --vendor NVIDIA --customer ccn --product H200 --end-use training \
			--units "$u"
		bad_input units lab certify --lab lab1 --product H200 --batch Z --units "$u"
	done
	ok license apply --vendor NVIDIA --customer ccn --product H200 --end-use training --units 10
	bad_input units license approve 3 --units abc
	bad_input units license approve 3 --units 1.5
	assert_eq "$(count_rows shipments)" 0 "shipments after bad input"
	# 1000000 is the limit, not past it
	ok license apply --vendor NVIDIA --customer ccn --product H200 --end-use training --units 1000000
	ok license approve 4 --units 1000000
}
register inputs_units

t_inputs_unit_value() {
	seeded_db
	local v
	for v in -5 0 0.00 1e3 1,000 12.345 1000000000.01 10000000000 "" abc 1. .5 " 1" "+1" nan inf; do
		bad_input unit_value ship --license 1 --batch B1 --date 2026-02-01 --units 1 --unit-value "$v"
	done
	assert_eq "$(count_rows shipments)" 0 "shipments after bad input"
	bad_input unit_value ship --license 1 --batch B1 --date 2026-02-01 --units 1
	# the limit itself, whole dollars and one decimal are fine
	expect_booked --license 1 --batch B1 --date 2026-02-01 --units 1 --unit-value 1000000000.00
	expect_booked --license 1 --batch B1 --date 2026-02-01 --units 1 --unit-value 27000
	assert_json 'd["fee_cents"]' 675000
	expect_booked --license 1 --batch B1 --date 2026-02-01 --units 1 --unit-value 0.5
	assert_json 'd["fee_cents"]' 13
}
register inputs_unit_value

t_inputs_dates() {
	seeded_db
	local d
	for d in 2026-02-30 2026-13-01 26-01-01 "" 2026-2-01 2026-02-01x 2025-02-29 2026-00-10 2026-01-00 \
		"2026-02-01 " 20260201; do
		bad_input date ship --license 1 --batch B1 --units 1 --unit-value 1.00 --date "$d"
		bad_input from license apply --vendor NVIDIA --customer ccn --product H200 --end-use training \
			--units 1 --from "$d"
	done
	bad_input date lab certify --lab lab1 --product H200 --batch Z --units 1 --date 2026-02-30
	bad_input date domestic record --vendor NVIDIA --product H200 --units 1 --date 26-01-01
	bad_input date ledger remit --vendor NVIDIA --amount 1.00 --ref X --date 2026-13-01
	bad_input until ledger statement --vendor NVIDIA --until 2026-02-30
	bad_input date product classify H200 --date 2026-02-30
	# a leap day is a date
	ct ship --license 1 --batch B1 --units 1 --unit-value 1.00 --date 2028-02-29
	assert_exit 1
	assert_err_has "license_expired"
}
register inputs_dates

t_inputs_oversized_fields() {
	seeded_db
	local id65 id64 r1024 r1023
	id65=$(printf 'x%.0s' {1..65})
	id64=$(printf 'x%.0s' {1..64})
	r1024=$(printf 'r%.0s' {1..1024})
	r1023=$(printf 'r%.0s' {1..1023})
	bad_input id party add --role customer --id "$id65" --name C --country CN
	bad_input id party add --role customer --id "$id64" --name C --country CN
	bad_input batch ship --license 1 --units 1 --unit-value 1.00 --date 2026-02-01 --batch "$id65"
	bad_input batch lab certify --lab lab1 --product H200 --units 1 --batch "$id65"
	bad_input vendor license apply --vendor "$id65" --customer ccn --product H200 --units 1 --end-use training
	bad_input reason party suspend ccn --reason "$r1024"
	bad_input reason license suspend 1 --reason "$r1024"
	bad_input reason license deny 1 --reason "$(printf 'r%.0s' {1..5000})"
	bad_input reason suspend --scope all --reason "$r1024"
	bad_input ref ledger remit --vendor NVIDIA --amount 1.00 --ref "$r1024"
	rc 2 --actor "$(printf 'a%.0s' {1..300})" party list
	assert_err_has "actor"
	# control characters in a name
	bad_input name party add --role customer --id cx --name "$(printf 'bad\001name')" --country CN
	# nothing changed state
	okj party show ccn
	assert_json 'd["status"]' approved
	okj license show 1
	assert_json 'd["status"]' approved
	# the longest allowed reason is accepted
	okj party suspend ccn --reason "$r1023"
	assert_json 'len(d["status_reason"])' 1023
}
register inputs_oversized_fields

t_inputs_unknown_ids() {
	seeded_db
	rc 2 license show abc
	assert_err_has "abc"
	rc 3 license show 999
	assert_err_has "999"
	rc 3 license approve 999
	rc 3 license deny 999 --reason x
	rc 2 license revoke x1 --reason x
	expect_reject license_not_found --license 999 --units 1 --unit-value 1.00 --batch B1 --date 2026-02-01
	rc 2 ship --license abc --units 1 --unit-value 1.00 --batch B1 --date 2026-02-01
	assert_err_has "license"
	rc 2 ship --license -5 --units 1 --unit-value 1.00 --batch B1 --date 2026-02-01
	rc 3 shipment show 999
	rc 2 shipment show abc
	rc 3 resume 999
	rc 3 party show nobody
	rc 3 product show NOCHIP
	rc 3 product compare NOCHIP H200
	rc 3 lab certify --lab nolab --product H200 --batch Z --units 1
	rc 3 domestic record --vendor nobody --product H200 --units 1
	rc 3 ledger balance --vendor nobody
	rcj 3 party show nobody
	assert_json 'd["code"]' not_found
	rcj 2 license show abc
}
register inputs_unknown_ids

t_inputs_nothing_written_on_bad_input() {
	seeded_db
	local before
	before=$(sql "SELECT count(*) FROM audit_events")
	rc 2 ship --license 1 --units 0 --unit-value 1.00 --batch B1 --date 2026-02-01
	rc 2 license apply --vendor NVIDIA --customer ccn --product H200 --units 1 --end-use mining
	rc 2 party add --role customer --id c9 --name C --country cn
	rc 2 ledger remit --vendor NVIDIA --amount 1e3 --ref X
	rc 2 suspend --scope nope --reason x
	rc 4 party approve ccn
	rc 3 license approve 999
	assert_eq "$(sql "SELECT count(*) FROM audit_events")" "$before" "audit events after refused commands"
	ok audit verify
}
register inputs_nothing_written_on_bad_input
