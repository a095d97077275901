# ledger balance / statement / remit, suspend / resume, reports.

# book_three: NVIDIA fees 2500.00 (02-01), 500.00 (02-10), 1000.00 (03-01).
book_three() {
	expect_booked --license 1 --batch B1 --units 10 --unit-value 1000.00 --date 2026-02-01
	expect_booked --license 1 --batch B1 --units 2 --unit-value 1000.00 --date 2026-02-10
	expect_booked --license 1 --batch B1 --units 4 --unit-value 1000.00 --date 2026-03-01
}

t_ledger_balance_and_remit() {
	seeded_db
	okj ledger balance
	assert_json 'd["total"]["accrued_cents"]' 0
	book_three
	okj ledger balance --vendor NVIDIA
	assert_json 'd["accrued_cents"]' 400000
	assert_json 'd["remitted_cents"]' 0
	assert_json 'd["outstanding_cents"]' 400000
	assert_json 'd["outstanding"]' 4000.00
	# more than outstanding: rejected by a rule
	ctj ledger remit --vendor NVIDIA --amount 4000.01 --ref WIRE-0
	assert_exit 1
	assert_json 'd["reason"]' remittance_exceeds_outstanding
	assert_err_has "remittance_exceeds_outstanding"
	rcj 1 ledger remit --vendor AMD --amount 0.01 --ref WIRE-0
	okj ledger remit --vendor NVIDIA --amount 1500.00 --ref WIRE-1 --key pay-1 --date 2026-03-05
	assert_json 'd["amount_cents"]' 150000
	assert_json 'd["replayed"]' false
	local rid
	rid=$(jval 'd["remittance"]')
	# replay with the same key
	okj ledger remit --vendor NVIDIA --amount 1500.00 --ref WIRE-1 --key pay-1 --date 2026-03-05
	assert_json 'd["replayed"]' true
	assert_json 'd["remittance"]' "$rid"
	rcj 4 ledger remit --vendor NVIDIA --amount 1500.01 --ref WIRE-1 --key pay-1 --date 2026-03-05
	assert_any_has "idempotency_conflict"
	okj ledger balance --vendor NVIDIA
	assert_json 'd["remitted_cents"]' 150000
	assert_json 'd["outstanding_cents"]' 250000
	# exactly the outstanding amount is fine, then nothing is left
	okj ledger remit --vendor NVIDIA --amount 2500.00 --ref WIRE-2 --date 2026-03-06
	okj ledger balance --vendor NVIDIA
	assert_json 'd["outstanding_cents"]' 0
	rcj 1 ledger remit --vendor NVIDIA --amount 0.01 --ref WIRE-3
	okj ledger balance
	assert_json 'd["total"]["accrued_cents"]' 400000
	assert_json 'd["total"]["remitted_cents"]' 400000
	assert_json 'sorted(v["vendor"] for v in d["vendors"])' '["AMD","NVIDIA","PENDV"]'
	# the ledger balances: postings sum to zero
	assert_eq "$(sql 'SELECT sum(amount_cents) FROM postings')" 0 "sum of all postings"
	ok ledger balance
	assert_out_has "NVIDIA"
	# bad input
	bad_input amount ledger remit --vendor NVIDIA --amount 0 --ref X
	bad_input amount ledger remit --vendor NVIDIA --amount -5 --ref X
	bad_input amount ledger remit --vendor NVIDIA --amount 1.234 --ref X
	bad_input ref ledger remit --vendor NVIDIA --amount 1.00
	rc 3 ledger remit --vendor NOBODY --amount 1.00 --ref X
	rc 3 ledger balance --vendor NOBODY
	rc 2 ledger balance --vendor ccn
	ok audit verify
}
register ledger_balance_and_remit

t_ledger_statement_running_balance() {
	seeded_db
	book_three
	ok ledger remit --vendor NVIDIA --amount 1000.00 --ref W1 --date 2026-02-15
	okj ledger statement --vendor NVIDIA
	assert_json '[(l["date"], l["kind"], l["amount_cents"], l["balance_cents"]) for l in d["lines"]]' \
		'[["2026-02-01","fee",250000,250000],["2026-02-10","fee",50000,300000],["2026-02-15","remittance",-100000,200000],["2026-03-01","fee",100000,300000]]'
	assert_json 'd["closing_cents"]' 300000
	assert_json 'd["closing"]' 3000.00
	okj ledger statement --vendor NVIDIA --from 2026-02-10 --until 2026-02-28
	assert_json 'd["opening_cents"]' 250000
	assert_json '[(l["date"], l["balance_cents"]) for l in d["lines"]]' \
		'[["2026-02-10",300000],["2026-02-15",200000]]'
	assert_json 'd["closing_cents"]' 200000
	okj ledger statement --vendor NVIDIA --from 2026-03-02
	assert_json 'd["opening_cents"]' 300000
	assert_json 'd["lines"]' '[]'
	assert_json 'd["closing_cents"]' 300000
	okj ledger statement --vendor NVIDIA --until 2026-01-31
	assert_json 'd["lines"]' '[]'
	assert_json 'd["closing_cents"]' 0
	ok ledger statement --vendor NVIDIA
	assert_out_has "remittance"
	bad_input vendor ledger statement
	bad_input from ledger statement --vendor NVIDIA --from 2026-13-01
	rc 3 ledger statement --vendor NOBODY
}
register ledger_statement_running_balance

t_suspend_resume() {
	seeded_db
	okj suspend --scope vendor:NVIDIA --reason "export review"
	assert_json 'd["id"]' 1
	assert_json 'd["scope"]' vendor:NVIDIA
	assert_json 'd["active"]' true
	ok suspend --scope all --reason "everything"
	assert_out_has "2"
	okj suspension list
	assert_json '[(s["id"], s["active"]) for s in d["suspensions"]]' '[[1,true],[2,true]]'
	okj resume 1
	assert_json 'd["active"]' false
	rc 4 resume 1
	assert_err_has "already"
	rc 3 resume 99
	rc 2 resume abc
	okj suspension list
	assert_json '[(s["id"], s["active"]) for s in d["suspensions"]]' '[[1,false],[2,true]]'
	bad_input scope suspend --scope bogus:1 --reason x
	bad_input scope suspend --scope vendor: --reason x
	bad_input scope suspend --scope everything --reason x
	bad_input scope suspend --reason x
	bad_input reason suspend --scope all
	bad_input reason suspend --scope all --reason ""
	okj audit log --limit 50
	assert_json_true '"suspension.create" in [e["action"] for e in d["events"]] and "suspension.resume" in [e["action"] for e in d["events"]]'
}
register suspend_resume

t_report_caps() {
	seeded_db
	ok license apply --vendor NVIDIA --customer cmo --product H100 --units 1000 --end-use cloud \
		--from 2026-01-15
	ok license approve 3
	ok lab certify --lab lab1 --product H100 --batch H1 --units 1000 --date 2026-01-15
	ok domestic record --vendor NVIDIA --product H100 --units 201 --date 2026-01-20
	ok domestic record --vendor NVIDIA --product H100 --units 100 --date 2026-01-21
	expect_booked --license 3 --batch H1 --units 40 --unit-value 100.00 --date 2026-02-01
	expect_booked --license 1 --batch B1 --units 25 --unit-value 100.00 --date 2026-02-01
	okj report caps
	assert_json 'd["columns"][:1] + d["columns"][3:]' \
		'["product","us_domestic_units","exported_units","cap_units","headroom_units"]'
	# H100: 301 domestic -> cap 150, 40 exported (to Macau), headroom 110
	assert_json '[r[3:] for r in d["rows"] if r[0] == "H100"]' '[[301,40,150,110]]'
	assert_json '[r[3:] for r in d["rows"] if r[0] == "H200"]' '[[1000000,25,500000,499975]]'
	assert_json '[r[3:] for r in d["rows"] if r[0] == "MI325X"]' '[[1000000,0,500000,500000]]'
	ok report caps --format csv
	assert_out_has "product,vendor,program,us_domestic_units,exported_units,cap_units,headroom_units"
	assert_out_has "H100,NVIDIA,case-by-case-2026,301,40,150,110"
	ok report caps --format table
	assert_out_has "headroom"
	assert_out_has "110"
	ok report caps --format json
	assert_json_true 'd["report"] == "caps"'
	# Macau exports count against the same cap as China's
	expect_reject volume_cap_exceeded --license 3 --batch H1 --units 111 --unit-value 100.00 --date 2026-02-01
	expect_booked --license 3 --batch H1 --units 110 --unit-value 100.00 --date 2026-02-01
}
register report_caps

t_report_fees_and_licenses() {
	seeded_db
	book_three
	expect_booked --license 2 --batch A1 --units 1 --unit-value 0.02 --date 2026-02-01
	ok ledger remit --vendor NVIDIA --amount 100.00 --ref W1
	okj report fees
	assert_json 'd["report"]' fees
	assert_json 'd["columns"]' '["vendor","program","shipments","units","declared_value","fee"]'
	assert_json '[r for r in d["rows"] if r[0] == "NVIDIA"]' \
		'[["NVIDIA","case-by-case-2026",3,16,"16000.00","4000.00"]]'
	assert_json '[r for r in d["rows"] if r[0] == "AMD"]' '[["AMD","case-by-case-2026",1,1,"0.02","0.01"]]'
	ok report fees --format csv
	assert_out_has "vendor,program,shipments,units,declared_value,fee"
	assert_out_has "NVIDIA,case-by-case-2026,3,16,16000.00,4000.00"
	ok report fees
	assert_out_has "4000.00"
	ct license apply --vendor NVIDIA --customer ccn --product B200 --units 5 --end-use training \
		--from 2026-02-01
	assert_exit 1
	okj report licenses --format json
	assert_json 'd["columns"][:6]' '["license","vendor","customer","product","program","status"]'
	assert_json '[(r[0], r[5]) for r in d["rows"]]' '[[1,"approved"],[2,"approved"],[3,"denied"]]'
	assert_json '[r[-1] for r in d["rows"] if r[0] == 3]' '["product_not_eligible"]'
	ok report licenses --format csv
	assert_out_has "license,vendor,customer,product,program,status"
	assert_out_has "3,NVIDIA,ccn,B200,"
	assert_out_has ",denied,5,0,0,product_not_eligible"
	rc 2 report bogus
	rc 2 report fees --format xml
	rc 2 report
}
register report_fees_and_licenses

# A denied application has no program: machine-readable reports should
# say so with null (JSON) and an empty field (CSV), not the table's "-".
t_report_licenses_null_program() {
	seeded_db
	ct license apply --vendor NVIDIA --customer ccn --product B200 --units 5 --end-use training \
		--from 2026-02-01
	assert_exit 1
	okj license show 3
	assert_json 'd["program"]' null
	okj report licenses --format json
	assert_json '[r[4] for r in d["rows"] if r[0] == 3]' '[null]'
	ok report licenses --format csv
	assert_out_has "3,NVIDIA,ccn,B200,,denied"
}
register report_licenses_null_program
