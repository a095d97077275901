# party add/approve/reinstate/suspend/revoke/show/list and licenses.

t_party_lifecycle() {
	fresh_db
	okj party add --role customer --id c1 --name "Shanghai AI" --name-zh "上海人工智能" \
		--country CN --end-uses training,inference
	assert_json 'd["status"]' pending
	assert_json 'd["name_zh"]' "上海人工智能"
	assert_json 'd["hq_country"]' CN
	assert_json 'sorted(d["end_uses"])' '["inference","training"]'
	rc 4 party add --role customer --id c1 --name Other --country CN
	rc 4 party reinstate c1
	assert_err_has "pending"
	okj party approve c1
	assert_json 'd["status"]' approved
	rc 4 party approve c1
	rc 4 party reinstate c1
	rc 2 party suspend c1
	assert_err_has "reason"
	okj party suspend c1 --reason "diversion report"
	assert_json 'd["status"]' suspended
	assert_json 'd["status_reason"]' "diversion report"
	rc 4 party approve c1
	rc 4 party suspend c1 --reason again
	okj party reinstate c1
	assert_json 'd["status"]' approved
	rc 2 party revoke c1
	assert_err_has "reason"
	okj party revoke c1 --reason "entity listed"
	assert_json 'd["status"]' revoked
	rc 4 party reinstate c1
	rc 4 party approve c1
	rc 4 party revoke c1 --reason twice
	okj party show c1
	assert_json 'd["status"]' revoked
	assert_json 'd["name"]' "Shanghai AI"
	rc 3 party show nobody
	rc 3 party approve nobody
	rc 3 party suspend nobody --reason x
	okj audit log --limit 50
	assert_json_true '[e["action"] for e in d["events"]][-3:] == ["party.suspend", "party.reinstate", "party.revoke"]'
}
register party_lifecycle

t_party_add_bad_input() {
	fresh_db
	rc 2 party add --role customer --id c1 --name C --country cn
	assert_err_has "country"
	rc 2 party add --role customer --id c1 --name C --country CHN
	assert_err_has "country"
	rc 2 party add --role customer --id c1 --name C --country C1
	assert_err_has "country"
	rc 2 party add --role customer --id c1 --name C --country ""
	assert_err_has "country"
	rc 2 party add --role customer --id c1 --name C --country CN --hq-country china
	assert_err_has "hq_country"
	rc 2 party add --role customer --id c1 --name C
	assert_err_has "country"
	rc 3 party add --role customer --id c1 --name C --country SG --parent nobody
	assert_err_has "parent"
	rc 2 party add --role boss --id c1 --name C --country CN
	assert_err_has "role"
	rc 2 party add --role customer --id "c 1" --name C --country CN
	assert_err_has "id"
	rc 2 party add --role customer --id "$(printf 'x%.0s' {1..65})" --name C --country CN
	assert_err_has "id"
	rc 2 party add --role customer --id c1 --name C --country CN --end-uses training,mining
	assert_err_has "mining"
	rc 2 party add --role customer --id c1 --name "$(printf 'n%.0s' {1..300})" --country CN
	assert_err_has "name"
	rc 2 party add --role customer --id c1 --name "" --country CN
	assert_err_has "name"
	okj party list
	assert_json 'd["parties"]' '[]'
	# a 64-byte id is one too many for a 64-byte buffer, 63 fits
	ok party add --role customer --id "$(printf 'x%.0s' {1..63})" --name C --country CN
}
register party_add_bad_input

t_party_list_and_parent() {
	seeded_db
	okj party list --role vendor
	assert_json 'sorted(p["id"] for p in d["parties"])' '["AMD","NVIDIA","PENDV"]'
	okj party list --role lab
	assert_json 'sorted(p["id"] for p in d["parties"])' '["lab1","lab2"]'
	okj party list --role customer
	assert_json 'len(d["parties"])' 6
	okj party list
	assert_json 'len(d["parties"])' 11
	rc 2 party list --role boss
	ok party add --role customer --id holdco --name "Holdco" --country CN
	okj party add --role customer --id sub --name "Sub" --country SG --parent holdco
	assert_json 'd["parent"]' holdco
	ok party list
	assert_out_has "holdco"
}
register party_list_and_parent

# apply ARGS: license apply --json with the usual units and end use.
apply() { ctj license apply --units 100 --end-use "${EU:-training}" "$@"; }
# expect_denied "CODES" ARGS: denied (exit 1) with exactly these reasons.
expect_denied() {
	local want=$1
	shift
	apply "$@"
	assert_exit 1
	assert_json 'd["status"]' denied
	assert_json '",".join(d["reasons"])' "$want"
	assert_json_true 'isinstance(d["license"], int)'
	assert_err_has "${want%%,*}"
}

t_license_apply_pending_shape() {
	seeded_db
	apply --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01
	assert_exit 0
	assert_json_true 'set(d) >= {"license", "status", "program", "reasons"}'
	assert_json 'd["license"]' 3
	assert_json 'd["status"]' pending
	assert_json 'd["program"]' case-by-case-2026
	assert_json 'd["reasons"]' '[]'
	# Macau is a destination of the 2026 program too
	EU=cloud apply --vendor NVIDIA --customer cmo --product H200 --from 2026-02-01
	assert_exit 0
	assert_json 'd["status"]' pending
	okj license show 3
	assert_json 'd["status"]' pending
	assert_json 'd["units_requested"]' 100
	assert_json 'd["from"]' 2026-02-01
	assert_json 'd["until"]' 2027-01-31
	assert_json 'd["export_from"]' US
	assert_json 'd["destination"]' CN
	ok license show 3
	assert_out_has "pending"
}
register license_apply_pending_shape

t_license_reason_product_not_eligible() {
	seeded_db
	expect_denied product_not_eligible --vendor NVIDIA --customer ccn --product B200 --from 2026-02-01
	assert_json 'd["program"]' null
	# before the 2026 program starts H200 has no program
	expect_denied product_not_eligible --vendor NVIDIA --customer ccn --product H200 --from 2026-01-10
	# H20 after the 2025 program ended and not US-available for the 2026 one
	expect_denied product_not_eligible --vendor AMD --customer ccn --product MI355X --from 2026-02-01
}
register license_reason_product_not_eligible

t_license_reason_not_available_in_us() {
	seeded_db
	# H20 is a China-only SKU: no US availability date
	expect_denied product_not_available_in_us --vendor NVIDIA --customer ccn --product H20 \
		--from 2026-02-01
	assert_json 'd["program"]' case-by-case-2026
	# the same without --from (today)
	apply --vendor NVIDIA --customer ccn --product H20
	assert_exit 1
	assert_json 'd["status"]' denied
	assert_json_true '"product_not_available_in_us" in d["reasons"] or "product_not_eligible" in d["reasons"]'
}
register license_reason_not_available_in_us

t_license_h20_under_2025_program() {
	seeded_db
	apply --vendor NVIDIA --customer ccn --product H20 --from 2025-09-01
	assert_exit 0
	assert_json 'd["status"]' pending
	assert_json 'd["program"]' h20-mi308-2025
	# the 2025 program covers Hong Kong and any route
	ok party add --role customer --id chk --name "HK Trading" --country HK --end-uses inference
	ok party approve chk
	EU=inference apply --vendor AMD --customer chk --product MI308X --from 2025-09-01 \
		--export-from TW
	assert_exit 0
	assert_json 'd["program"]' h20-mi308-2025
	# but Hong Kong is not a destination of the 2026 program
	EU=inference expect_denied destination_not_covered --vendor NVIDIA --customer chk \
		--product H200 --from 2026-02-01
}
register license_h20_under_2025_program

t_license_reason_destination_not_covered() {
	seeded_db
	expect_denied destination_not_covered --vendor NVIDIA --customer csg --product H200 --from 2026-02-01
}
register license_reason_destination_not_covered

t_license_reason_route_not_permitted() {
	seeded_db
	expect_denied route_not_permitted --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01 \
		--export-from TW
	apply --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01 --export-from US
	assert_exit 0
}
register license_reason_route_not_permitted

t_license_reason_customer_not_approved() {
	seeded_db
	EU=research expect_denied customer_not_approved --vendor NVIDIA --customer cpend \
		--product H200 --from 2026-02-01
	ok party approve cpend
	ok party suspend cpend --reason "under review"
	EU=research expect_denied customer_not_approved --vendor NVIDIA --customer cpend \
		--product H200 --from 2026-02-01
}
register license_reason_customer_not_approved

t_license_reason_customer_hq_restricted() {
	seeded_db
	# located in SG, headquartered in CN: both the destination and the HQ rule fail
	expect_denied destination_not_covered,customer_hq_restricted --vendor NVIDIA --customer csgcn \
		--product H200 --from 2026-02-01
	# the ultimate parent's headquarters counts too
	ok party add --role customer --id mo_parent --name "Macau Holdings" --country MO
	ok party add --role customer --id sg_sub --name "SG Sub" --country SG --parent mo_parent \
		--end-uses training
	ok party approve sg_sub
	apply --vendor NVIDIA --customer sg_sub --product H200 --from 2026-02-01
	assert_exit 1
	assert_json_true '"customer_hq_restricted" in d["reasons"]'
}
register license_reason_customer_hq_restricted

# The rule names the ULTIMATE parent: a Singapore entity whose Singapore
# parent belongs to a Chinese group is headquartered-restricted too.
t_license_hq_restricted_ultimate_parent() {
	seeded_db
	ok party add --role customer --id cn_group --name "CN Group" --country CN
	ok party add --role customer --id sg_mid --name "SG Holding" --country SG --parent cn_group
	ok party add --role customer --id sg_leaf --name "SG Ops" --country SG --parent sg_mid \
		--end-uses training
	ok party approve sg_leaf
	apply --vendor NVIDIA --customer sg_leaf --product H200 --from 2026-02-01
	assert_exit 1
	assert_json_true '"customer_hq_restricted" in d["reasons"]'
}
register license_hq_restricted_ultimate_parent

t_license_reason_end_use_prohibited() {
	seeded_db
	EU=military expect_denied end_use_prohibited --vendor NVIDIA --customer ccn --product H200 \
		--from 2026-02-01
	ctj license apply --units 100 --end-use training,military --vendor NVIDIA --customer ccn \
		--product H200 --from 2026-02-01
	assert_exit 1
	assert_json 'd["reasons"]' '["end_use_prohibited"]'
	# a customer that declares a military end use is denied whatever the application says
	expect_denied end_use_prohibited --vendor NVIDIA --customer cmil --product H200 --from 2026-02-01
}
register license_reason_end_use_prohibited

t_license_reason_vendor_not_approved() {
	seeded_db
	expect_denied vendor_not_approved --vendor PENDV --customer ccn --product PX1 --from 2026-02-01
	ok party approve PENDV
	apply --vendor PENDV --customer ccn --product PX1 --from 2026-02-01
	assert_exit 0
	ok party suspend PENDV --reason audit
	expect_denied vendor_not_approved --vendor PENDV --customer ccn --product PX1 --from 2026-02-01
}
register license_reason_vendor_not_approved

t_license_denial_lists_every_reason() {
	seeded_db
	ctj license apply --vendor PENDV --customer csgcn --product PX1 --units 5 --end-use military \
		--from 2026-02-01 --export-from TW
	assert_exit 1
	assert_json 'd["status"]' denied
	assert_json 'd["reasons"]' \
		'["destination_not_covered","route_not_permitted","customer_hq_restricted","end_use_prohibited","vendor_not_approved"]'
	ctj license apply --vendor NVIDIA --customer cpend --product B200 --units 5 --end-use research \
		--from 2026-02-01 --export-from TW
	assert_exit 1
	assert_json 'd["reasons"]' '["product_not_eligible","route_not_permitted","customer_not_approved"]'
	# a denied application is stored and audited
	okj license list --status denied
	assert_json 'len(d["licenses"])' 2
	okj audit log --limit 1
	assert_json 'd["events"][-1]["action"]' license.apply
}
register license_denial_lists_every_reason

t_license_apply_bad_input() {
	seeded_db
	local base=(--vendor NVIDIA --customer ccn --product H200 --end-use training)
	bad_input units license apply "${base[@]}" --units 0
	bad_input units license apply "${base[@]}" --units 1000001
	bad_input units license apply "${base[@]}"
	bad_input from license apply "${base[@]}" --units 5 --from 2026-02-30
	bad_input until license apply "${base[@]}" --units 5 --from 2026-03-01 --until 2026-02-01
	bad_input export_from license apply "${base[@]}" --units 5 --export-from usa
	bad_input end_uses license apply --vendor NVIDIA --customer ccn --product H200 --units 5 --end-use mining
	bad_input end_uses license apply --vendor NVIDIA --customer ccn --product H200 --units 5
	rc 3 license apply --vendor NOBODY --customer ccn --product H200 --units 5 --end-use training
	assert_err_has "vendor"
	rc 3 license apply --vendor NVIDIA --customer nobody --product H200 --units 5 --end-use training
	assert_err_has "customer"
	rc 3 license apply --vendor NVIDIA --customer ccn --product NOCHIP --units 5 --end-use training
	assert_err_has "product"
	# the product of another vendor, a customer given as vendor
	rc 2 license apply --vendor NVIDIA --customer ccn --product MI325X --units 5 --end-use training
	assert_err_has "product"
	rc 2 license apply --vendor ccn --customer ccn --product H200 --units 5 --end-use training
	assert_err_has "vendor"
	okj license list
	assert_json 'len(d["licenses"])' 2
}
register license_apply_bad_input

t_license_decisions() {
	seeded_db
	apply --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01
	assert_exit 0 # license 3
	rc 2 license approve 3 --units 101
	assert_err_has "units"
	rc 2 license approve 3 --units 0
	okj license approve 3 --units 60
	assert_json 'd["status"]' approved
	assert_json 'd["units_approved"]' 60
	assert_json 'd["units_requested"]' 100
	rc 4 license approve 3
	rc 4 license deny 3 --reason late
	rc 4 license reinstate 3
	rc 2 license suspend 3
	assert_err_has "reason"
	okj license suspend 3 --reason "diversion inquiry"
	assert_json 'd["status"]' suspended
	rc 4 license suspend 3 --reason again
	okj license reinstate 3
	assert_json 'd["status"]' approved
	okj license revoke 3 --reason "end of program"
	assert_json 'd["status"]' revoked
	rc 4 license reinstate 3
	rc 4 license approve 3
	rc 4 license revoke 3 --reason again
	# deny
	apply --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01
	assert_exit 0 # license 4
	rc 2 license deny 4
	assert_err_has "reason"
	okj license deny 4 --reason "insufficient KYC"
	assert_json 'd["status"]' denied
	rc 4 license approve 4
	rc 4 license suspend 4 --reason x
	# an automatically denied one cannot be approved
	apply --vendor NVIDIA --customer ccn --product B200 --from 2026-02-01
	assert_exit 1 # license 5
	rc 4 license approve 5
	# approve without --units approves all requested
	apply --vendor NVIDIA --customer ccn --product H200 --from 2026-02-01
	assert_exit 0 # license 6
	okj license approve 6
	assert_json 'd["units_approved"]' 100
	rc 2 license suspend 6 --units 5 --reason x
	# unknown ids
	rc 3 license approve 999
	rc 3 license show 999
	rc 2 license show abc
	rc 2 license approve abc
	rc 2 license show 0
	rc 2 license show -- -1
	okj audit log --limit 50
	assert_json_true '"license.deny" in [e["action"] for e in d["events"]] and "license.revoke" in [e["action"] for e in d["events"]]'
}
register license_decisions

t_license_list_filters() {
	seeded_db
	EU=cloud apply --vendor NVIDIA --customer cmo --product H200 --from 2026-02-01
	assert_exit 0 # 3 pending
	apply --vendor NVIDIA --customer ccn --product B200 --from 2026-02-01
	assert_exit 1 # 4 denied
	EU=cloud apply --vendor AMD --customer cmo --product MI325X --from 2026-02-01
	assert_exit 0 # 5 pending
	okj license list
	assert_json '[l["id"] for l in d["licenses"]]' '[1,2,3,4,5]'
	okj license list --vendor NVIDIA
	assert_json '[l["id"] for l in d["licenses"]]' '[1,3,4]'
	okj license list --customer cmo
	assert_json '[l["id"] for l in d["licenses"]]' '[3,5]'
	okj license list --status pending
	assert_json '[l["id"] for l in d["licenses"]]' '[3,5]'
	okj license list --status approved
	assert_json '[l["id"] for l in d["licenses"]]' '[1,2]'
	okj license list --vendor NVIDIA --status denied
	assert_json '[l["id"] for l in d["licenses"]]' '[4]'
	okj license list --vendor AMD --customer ccn
	assert_json '[l["id"] for l in d["licenses"]]' '[2]'
	okj license list --limit 2 --offset 1
	assert_json '[l["id"] for l in d["licenses"]]' '[2,3]'
	rc 2 license list --status bogus
	assert_err_has "status"
	rc 2 license list --limit 0
	ok license list
	assert_out_has "case-by-case-2026"
}
register license_list_filters
