# product list / show / add / classify / compare.

t_product_list_and_show() {
	fresh_db
	okj product list
	assert_json_true 'len(d["products"]) >= 25'
	assert_json_true 'all(k in d["products"][0] for k in ("model", "vendor", "tpp", "eccn"))'
	assert_json '[p["eccn"] for p in d["products"] if p["model"] == "H200"]' '["3A090.a"]'
	assert_json '[p["tpp"] for p in d["products"] if p["model"] == "H20"]' '[2368.0]'
	ok product list
	assert_out_has "H200"
	assert_out_has "MI325X"
	okj product show H200
	assert_json 'd["vendor"]' NVIDIA
	assert_json 'd["fp8"]' 1979.0
	assert_json 'd["bw_gbs"]' 4800.0
	assert_json 'd["classification"]["tpp"]' 15832.0
	assert_json 'd["classification"]["eccn"]' 3A090.a
	# model names match ignoring case
	okj product show h200
	assert_json 'd["model"]' H200
	rc 3 product show NOSUCHCHIP
	assert_err_has "NOSUCHCHIP"
}
register product_list_and_show

t_classify_catalog_products() {
	fresh_db
	okj product classify H200 --date 2026-02-01
	assert_keys tpp pd eccn programs date figures model tpp_from
	assert_json 'd["tpp"]' 15832.0
	assert_json 'd["eccn"]' 3A090.a
	assert_json_num 'd["pd"]' 19.4496 0.001
	assert_json '[(p["id"], p["eligible"], p["reasons"]) for p in d["programs"]]' \
		'[["h20-mi308-2025",false,["product_not_eligible"]],["case-by-case-2026",true,[]]]'
	assert_json_true 'all(set(p) >= {"id", "eligible", "reasons"} for p in d["programs"])'
	okj product classify H20 --date 2026-02-01
	assert_json 'd["tpp"]' 2368.0
	assert_json 'd["eccn"]' none
	assert_json '[p["reasons"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' \
		'[["product_not_available_in_us"]]'
	# H20 in 2025: the named program covers it
	okj product classify H20 --date 2025-09-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "h20-mi308-2025"]' '[true]'
	# B200 is above the ceiling
	okj product classify B200 --date 2026-02-01
	assert_json '[(p["eligible"], p["reasons"]) for p in d["programs"] if p["id"] == "case-by-case-2026"]' \
		'[[false,["product_not_eligible"]]]'
	okj product classify MI325X --date 2026-02-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[true]'
	rc 3 product classify NOSUCHCHIP
	rc 2 product classify H200 --date 2026-02-30
	assert_err_has "date"
}
register classify_catalog_products

t_classify_by_figures_thresholds() {
	fresh_db
	# TPP 4799 with a small die: PD 47.99 >= 5.92 makes it 3A090.a anyway
	okj product classify --fp8 599.875 --die-mm2 100
	assert_json 'd["tpp"]' 4799.0
	assert_json_num 'd["pd"]' 47.99 0.0001
	assert_json 'd["eccn"]' 3A090.a
	# TPP 4799 with a die so large PD < 1.6: not controlled
	okj product classify --fp8 599.875 --die-mm2 5000
	assert_json 'd["tpp"]' 4799.0
	assert_json 'd["eccn"]' none
	# TPP 4800 is 3A090.a whatever the density
	okj product classify --fp8 600 --die-mm2 5000
	assert_json 'd["tpp"]' 4800.0
	assert_json 'd["eccn"]' 3A090.a
	okj product classify --fp8 600 --die-mm2 100
	assert_json 'd["tpp"]' 4800.0
	assert_json 'd["eccn"]' 3A090.a
	# 3A090.b: TPP 2400..4800 with PD 1.6..5.92 (TPP 3200, die 1000 -> PD 3.2)
	okj product classify --fp8 400 --die-mm2 1000
	assert_json 'd["eccn"]' 3A090.b
	# missing die area in the open band: undetermined, pd null
	okj product classify --fp8 599.875
	assert_json 'd["eccn"]' undetermined
	assert_json 'd["pd"]' null
	okj product classify --fp8 300
	assert_json 'd["tpp"]' 2400.0
	assert_json 'd["eccn"]' undetermined
	# missing die area but TPP >= 4800: the answer is not open
	okj product classify --fp8 600
	assert_json 'd["eccn"]' 3A090.a
	# below 1600 nothing depends on PD
	okj product classify --fp8 100
	assert_json 'd["tpp"]' 800.0
	assert_json 'd["eccn"]' none
	# not for data centers and TPP < 4800: none, die area or not
	okj product classify --fp8 599.875 --datacenter no
	assert_json 'd["eccn"]' none
	okj product classify --fp8 300 --die-mm2 100 --datacenter no
	assert_json 'd["eccn"]' none
	okj product classify --fp8 600 --datacenter no
	assert_json 'd["eccn"]' 3A090.a
	# TPP is the maximum over precisions, rate x bit length
	okj product classify --bf16 989.5 --fp8 1000 --die-mm2 814
	assert_json 'd["tpp"]' 15832.0
	assert_json 'd["tpp_from"]' bf16
	okj product classify --int8 1000 --fp4 3000 --die-mm2 814
	assert_json 'd["tpp"]' 12000.0
	# bad figures
	rc 2 product classify
	rc 2 product classify --fp8 -5
	assert_err_has "fp8"
	rc 2 product classify --fp8 1e3
	assert_err_has "fp8"
	rc 2 product classify --fp8 abc
	rc 2 product classify --fp8 0
	rc 2 product classify --fp8 600 --datacenter maybe
	assert_err_has "datacenter"
}
register classify_by_figures_thresholds

t_classify_program_ceilings() {
	fresh_db
	local on=2026-02-01
	okj product classify --fp8 2624.875 --bw-gbs 6499 --us-available 2025-01-01 --date $on
	assert_json 'd["tpp"]' 20999.0
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[true]'
	okj product classify --fp8 2625 --bw-gbs 6499 --us-available 2025-01-01 --date $on
	assert_json 'd["tpp"]' 21000.0
	assert_json '[(p["eligible"], p["reasons"]) for p in d["programs"] if p["id"] == "case-by-case-2026"]' \
		'[[false,["product_not_eligible"]]]'
	okj product classify --fp8 2000 --bw-gbs 6500 --us-available 2025-01-01 --date $on
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
	# available in the US on the cut-off day itself: eligible; the day after: not
	okj product classify --fp8 2000 --bw-gbs 4000 --us-available 2026-01-15 --date $on
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[true]'
	okj product classify --fp8 2000 --bw-gbs 4000 --us-available 2026-01-16 --date $on
	assert_json '[p["reasons"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' \
		'[["product_not_available_in_us"]]'
	# before the program starts, nothing is eligible under it
	okj product classify --fp8 2000 --bw-gbs 4000 --us-available 2025-01-01 --date 2026-01-14
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
}
register classify_program_ceilings

t_product_add_at_ceilings() {
	fresh_db
	ok party add --role vendor --id Acme --name "Acme Chips" --country US
	okj product add --vendor Acme --model EDGE1 --fp8 2624.875 --bw-gbs 6499 --die-mm2 800 \
		--us-available 2025-01-01
	assert_json 'd["model"]' EDGE1
	assert_json 'd["classification"]["tpp"]' 20999.0
	okj product classify EDGE1 --date 2026-02-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[true]'
	okj product add --vendor Acme --model EDGE2 --fp8 2625 --bw-gbs 6499 --die-mm2 800 \
		--us-available 2025-01-01
	okj product classify EDGE2 --date 2026-02-01
	assert_json 'd["tpp"]' 21000.0
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
	okj product add --vendor Acme --model EDGE3 --fp8 2000 --bw-gbs 6500 --die-mm2 800 \
		--us-available 2025-01-01
	okj product classify EDGE3 --date 2026-02-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
	# the catalog lists it, and the audit recorded it
	okj product list
	assert_json_true 'any(p["model"] == "EDGE1" for p in d["products"])'
	okj audit log --limit 1
	assert_json 'd["events"][-1]["action"]' product.add
	# the same model again is a conflict (names ignore case)
	rc 4 product add --vendor Acme --model EDGE1 --fp8 1
	rc 4 product add --vendor Acme --model edge1 --fp8 1
	# bad input
	rc 2 product add --model X9 --fp8 100
	assert_err_has "vendor"
	rc 2 product add --vendor Acme --fp8 100
	assert_err_has "model"
	rc 2 product add --vendor Acme --model X9 --fp8 100 --us-available 2025-13-01
	assert_err_has "us_available"
	rc 2 product add --vendor Acme --model X9 --bw-gbs -1
	assert_err_has "bw_gbs"
	rc 2 product add --vendor Acme --model X9 --mem-gb 1000001
	assert_err_has "mem_gb"
	rc 2 product add --vendor Acme --model "$(printf 'M%.0s' {1..65})" --fp8 1
	assert_err_has "model"
}
register product_add_at_ceilings

t_compare_h200_h20() {
	fresh_db
	okj product compare H200 H20
	assert_json 'd["a"]' H200
	assert_json 'd["b"]' H20
	assert_json 'd["figures"]' dense
	assert_json_num '[m["ratio"] for m in d["metrics"] if m["metric"] == "fp8"][0]' 6.6858 0.001
	assert_json_num '[m["ratio"] for m in d["metrics"] if m["metric"] == "tpp"][0]' 6.6858 0.001
	assert_json_num '[m["ratio"] for m in d["metrics"] if m["metric"] == "bw_gbs"][0]' 1.2 0.0001
	assert_json_num '[m["ratio"] for m in d["metrics"] if m["metric"] == "mem_gb"][0]' 1.46875 0.0001
	assert_json '[m["ratio"] for m in d["metrics"] if m["metric"] == "fp4"][0]' null
	assert_json 'd["warnings"]' '[]'
	ok product compare H200 H20
	assert_out_has "6.6"
	rc 3 product compare H200 NOSUCHCHIP
	rc 2 product compare H200
}
register compare_h200_h20

t_compare_warns_on_sparse_figure() {
	fresh_db
	ok party add --role vendor --id NVIDIA --name NVIDIA --country US
	# 3958 is H200's sparse FP8; dense BF16 989.5 implies dense FP8 1979
	ok product add --vendor NVIDIA --model H200SPARSE --fp8 3958 --bf16 989.5 --bw-gbs 4800 \
		--die-mm2 814
	okj product compare H200SPARSE H200
	assert_json 'len(d["warnings"])' 1
	assert_json_true '"fp8" in d["warnings"][0] and "sparse" in d["warnings"][0]'
	assert_json_true '"H200SPARSE" in d["warnings"][0]'
	assert_json_num '[m["ratio"] for m in d["metrics"] if m["metric"] == "fp8"][0]' 2.0 0.0001
	ok product compare H200 H200SPARSE
	assert_any_has "sparse"
}
register compare_warns_on_sparse_figure

# Unknown figures are never taken as small: a product without any compute
# rate has an unknown TPP, so it is not "none" and does not pass the
# 2026 program's TPP ceiling (REGIME.md: say "undetermined", never guess).
t_classify_unknown_compute_not_eligible() {
	fresh_db
	ok party add --role vendor --id Acme --name "Acme Chips" --country US
	ok product add --vendor Acme --model NOFIG --bw-gbs 3000 --us-available 2025-01-01
	okj product classify NOFIG --date 2026-02-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
	assert_json_true 'd["eccn"] != "none"'
	# unknown bandwidth is already handled that way
	okj product classify --fp8 1000 --die-mm2 800 --us-available 2025-01-01 --date 2026-02-01
	assert_json '[p["eligible"] for p in d["programs"] if p["id"] == "case-by-case-2026"]' '[false]'
	# catalog rows without compute figures (MI308X: compute unknown)
	okj product classify MI308X --date 2026-02-01
	assert_json_true 'd["eccn"] != "none"'
}
register classify_unknown_compute_not_eligible
