# Restricted-party list import: lists import, lists show, audit coverage.

LISTS=$CT_TEST_DIR/../../data/lists

# sdn_sha: the recorded digest of the SDN triple, by its definition: the
# SHA-256 of `sha256sum sdn.csv alt.csv add.csv` (names without ofac_).
sdn_sha() {
	(cd "$LISTS" && sha256sum ofac_sdn.csv ofac_alt.csv ofac_add.csv |
		sed 's/  ofac_/  /' | sha256sum | cut -d' ' -f1)
}
file_sha() { sha256sum "$1" | cut -d' ' -f1; }

t_lists_import_each_format() {
	fresh_db
	okj lists show
	assert_json 'd["lists"]' '[]'
	okj lists import --format sdn "$LISTS"
	assert_json 'd["source"]' sdn
	assert_json 'd["format"]' sdn
	assert_json 'd["entries"]' 8976
	assert_json 'd["names"]' 20886
	assert_json 'd["sha256"]' "$(sdn_sha)"
	assert_json_true 'isinstance(d["version"], int)'
	assert_json 'd["replaced"]' null
	okj lists import --format dpl "$LISTS/bis_dpl.txt"
	assert_json 'd["source"]' dpl
	assert_json 'd["entries"]' 581
	assert_json 'd["sha256"]' "$(file_sha "$LISTS/bis_dpl.txt")"
	okj lists import --format csl "$LISTS/entity_list_cn_ai.csv"
	assert_json 'd["source"]' entity_list_cn_ai
	assert_json 'd["format"]' csl
	assert_json 'd["entries"]' 109
	assert_json 'd["sha256"]' "$(file_sha "$LISTS/entity_list_cn_ai.csv")"
	okj lists import --format csl --source csl "$LISTS/csl_2019_sample.csv"
	assert_json 'd["source"]' csl
	assert_json 'd["entries"]' 115
	ok lists import --format csl "$LISTS/bis_entity_list_2026.csv"
	assert_out_has "3409 entries"
	okj lists show
	assert_json '[l["source"] for l in d["lists"]]' \
		'["bis_entity_list_2026","csl","dpl","entity_list_cn_ai","sdn"]'
	assert_json_true 'all(set(l) >= {"source","format","entries","sha256","version","imported_at"} for l in d["lists"])'
	assert_json 'sum(l["entries"] for l in d["lists"])' $((8976 + 581 + 109 + 115 + 3409))
	ok lists show
	assert_out_has "entity_list_cn_ai"
	assert_out_has "8976 entries"
	# Chinese names arrive as name_zh rows of their entries.
	assert_eq "$(sql "SELECT count(*) FROM list_names WHERE kind='name_zh'")" 35 "name_zh rows"
	assert_eq "$(sql "SELECT e.name FROM list_names n JOIN list_entries e ON e.id=n.entry WHERE n.name='华为技术有限公司'")" \
		"Huawei Technologies Co., Ltd." "name_zh joined to its entry"
	assert_eq "$(sql "SELECT e.entry_id FROM list_names n JOIN list_entries e ON e.id=n.entry WHERE n.name='NATIONAL BANK OF CUBA'")" \
		306 "SDN alias joined to its entry"
	okj audit verify
	assert_json 'd["ok"]' true
}
register lists_import_each_format

t_lists_reimport_replaces() {
	fresh_db
	okj lists import --format dpl "$LISTS/bis_dpl.txt"
	local v1
	v1=$(jval 'd["version"]')
	# A two-entry DPL replaces the 581-entry one in one step.
	printf '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\n"A ONE"\t"1 X ST"\t"X"\t"TX"\t"US"\n"B TWO"\t""\t"Y"\t""\t"CN"\n' >small.txt
	okj lists import --format dpl small.txt
	assert_json 'd["entries"]' 2
	assert_json 'd["replaced"]' "$v1"
	okj lists show
	assert_json 'len(d["lists"])' 1
	assert_json 'd["lists"][0]["entries"]' 2
	assert_eq "$(count_rows list_entries)" 2 "entries after re-import"
	assert_eq "$(count_rows list_names)" 2 "names after re-import"
	assert_eq "$(count_rows list_versions)" 2 "version history kept"
	assert_eq "$(sql "SELECT superseded_by IS NOT NULL FROM list_versions WHERE id=$v1")" 1 "old version superseded"
	okj lists import --format dpl "$LISTS/bis_dpl.txt"
	assert_json 'd["entries"]' 581
	assert_eq "$(count_rows list_entries)" 581 "entries after the third import"
	okj audit verify
	assert_json 'd["ok"]' true
}
register lists_reimport_replaces

t_lists_malformed_changes_nothing() {
	fresh_db
	ok lists import --format dpl "$LISTS/bis_dpl.txt"
	okj lists show
	local before entries events
	before=$OUT
	entries=$(count_rows list_entries)
	events=$(count_rows audit_events)
	printf '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\n"A"\t"1"\t"X"\t"TX"\t"US"\n"B"\t"2"\t"Y"\n' >bad.txt
	rc 2 lists import --format dpl bad.txt
	assert_err_has "bad.txt line 3: 3 columns, the header has 5"
	rcj 2 lists import --format dpl bad.txt
	assert_json 'd["code"]' bad_input
	printf 'source,name,alt_names\nEL,"Acme\n' >bad.csv
	rc 2 lists import --format csl --source dpl bad.csv
	assert_err_has "bad.csv line 2: bad quoting"
	mkdir sdn
	printf '36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n' >sdn/sdn.csv
	printf '36,1,"aka","B",-0- \n77,2,"aka","C",-0- \n' >sdn/alt.csv
	: >sdn/add.csv
	rc 2 lists import --format sdn sdn
	assert_err_has "alt.csv line 2: unknown ent_num 77 (not in sdn.csv)"
	okj lists show
	assert_eq "$OUT" "$before" "lists show after refused imports"
	assert_eq "$(count_rows list_entries)" "$entries" "entries after refused imports"
	assert_eq "$(count_rows list_versions)" 1 "versions after refused imports"
	assert_eq "$(count_rows audit_events)" "$events" "audit events after refused imports"
	okj audit verify
	assert_json 'd["ok"]' true
	# The same directory, mended, imports (plain names, no ofac_ prefix).
	printf '36,1,"aka","B",-0- \n' >sdn/alt.csv
	okj lists import --format sdn sdn
	assert_json 'd["entries"]' 1
	assert_json 'd["sha256"]' "$(cd sdn && sha256sum sdn.csv alt.csv add.csv | sha256sum | cut -d' ' -f1)"
}
register lists_malformed_changes_nothing

t_lists_exit_codes() {
	fresh_db
	rc 3 lists import --format dpl nosuch.txt
	assert_err_has "nosuch.txt"
	mkdir part
	cp "$LISTS/ofac_sdn.csv" "$LISTS/ofac_alt.csv" part/
	rc 3 lists import --format sdn part
	assert_err_has "add.csv"
	rc 2 lists import --format xml "$LISTS/bis_dpl.txt"
	assert_err_has "format"
	rc 2 lists import "$LISTS/bis_dpl.txt"
	assert_err_has "--format"
	rc 2 lists import --format csl --source 'Bad Name' "$LISTS/csl_2019_sample.csv"
	assert_err_has "source"
	rc 2 lists import --format dpl
	assert_eq "$(count_rows list_versions)" 0 "no version from failed imports"
}
register lists_exit_codes

t_lists_audit_detects_tampering() {
	fresh_db
	ok lists import --format csl "$LISTS/entity_list_cn_ai.csv"
	ok lists import --format dpl "$LISTS/bis_dpl.txt"
	ok lists import --format dpl "$LISTS/bis_dpl.txt"
	okj audit verify
	assert_json 'd["ok"]' true
	cp "$DB" base.db
	local q
	for q in "UPDATE list_entries SET name='Not Huawei' WHERE name='Huawei Technologies Co., Ltd.'" \
		"UPDATE list_names SET name='x' WHERE kind='name_zh' AND id=(SELECT min(id) FROM list_names WHERE kind='name_zh')" \
		"DELETE FROM list_entries WHERE id=(SELECT max(id) FROM list_entries)" \
		"DELETE FROM list_names WHERE kind='alias' AND id=(SELECT min(id) FROM list_names WHERE kind='alias')" \
		"INSERT INTO list_entries(version_id, entry_id, list, program, type, name, country, remarks, address) VALUES (999, '1', 'x', '', '', 'Ghost', '', '', '')" \
		"UPDATE list_versions SET entries=1 WHERE id=1" \
		"UPDATE list_versions SET superseded_by=NULL WHERE id=2" \
		"DELETE FROM list_versions WHERE id=2"; do
		cp base.db "$DB"
		rm -f "$DB-wal" "$DB-shm"
		sql "$q" || fail "sqlite3 failed on: $q"
		ctj audit verify
		[ "$RC" = 1 ] || fail "after [$q]: expected audit verify to exit 1, got $RC: $(_short "$OUT")"
		assert_json 'd["ok"]' false
	done
}
register lists_audit_detects_tampering
