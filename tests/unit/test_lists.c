/* Restricted-party list parsers: the shipped real files and every refusal. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiptoll/limits.h"
#include "chiptoll/lists.h"

#ifndef CT_SOURCE_ROOT
#error "the build defines CT_SOURCE_ROOT (a string: the source tree)"
#endif

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/data/lists/%s", CT_SOURCE_ROOT, name);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* What a parse saw, and copies of the entries a test asks about. */
struct seen {
	long entries, names, aliases, zh, calls_after_stop;
	const char *want_id;            /* copy this entry's fields */
	const char *want_name;          /* or this one's, by primary name */
	bool found;
	char name[512], type[64], country[256], remarks[512], address[1024], list[128];
	char program[128], alias[16][256], zh_name[256];
	int n_alias;
};

static enum ct_rc collect(const struct ct_list_entry *e, void *arg)
{
	struct seen *s = arg;
	s->entries++;
	s->names += (long)e->n_names;
	cr_assert_gt(e->n_names, 0);
	cr_assert_eq(e->names[0].kind, CT_NAME_PRIMARY);
	cr_assert_str_eq(e->names[0].text, e->name);
	bool has_zh = false;
	for (size_t i = 0; i < e->n_names; i++) {
		s->aliases += e->names[i].kind == CT_NAME_ALIAS;
		has_zh |= e->names[i].kind == CT_NAME_ZH;
	}
	s->zh += has_zh;
	/* The first match: the DPL lists a person once per address. */
	if (!s->found && ((s->want_id && strcmp(e->entry_id, s->want_id) == 0) ||
			  (s->want_name && strcmp(e->name, s->want_name) == 0))) {
		s->found = true;
		snprintf(s->name, sizeof s->name, "%s", e->name);
		snprintf(s->type, sizeof s->type, "%s", e->type);
		snprintf(s->country, sizeof s->country, "%s", e->country);
		snprintf(s->remarks, sizeof s->remarks, "%s", e->remarks);
		snprintf(s->address, sizeof s->address, "%s", e->address);
		snprintf(s->list, sizeof s->list, "%s", e->list);
		snprintf(s->program, sizeof s->program, "%s", e->program);
		for (size_t i = 0; i < e->n_names; i++) {
			if (e->names[i].kind == CT_NAME_ALIAS && s->n_alias < 16)
				snprintf(s->alias[s->n_alias++], 256, "%s", e->names[i].text);
			if (e->names[i].kind == CT_NAME_ZH)
				snprintf(s->zh_name, sizeof s->zh_name, "%s", e->names[i].text);
		}
	}
	return CT_OK;
}

static bool has_alias(const struct seen *s, const char *a)
{
	for (int i = 0; i < s->n_alias; i++)
		if (strcmp(s->alias[i], a) == 0)
			return true;
	return false;
}

static enum ct_rc parse_sdn_files(struct seen *s, struct ct_list_error *err)
{
	struct ct_list_text t[3] = {{"sdn.csv", 0, 0}, {"alt.csv", 0, 0}, {"add.csv", 0, 0}};
	char *a = slurp("ofac_sdn.csv", &t[0].len), *b = slurp("ofac_alt.csv", &t[1].len);
	char *c = slurp("ofac_add.csv", &t[2].len);
	t[0].text = a;
	t[1].text = b;
	t[2].text = c;
	enum ct_rc rc = ct_lists_parse_sdn(&t[0], &t[1], &t[2], collect, s, err);
	free(a);
	free(b);
	free(c);
	return rc;
}

static enum ct_rc parse_file(const char *name, bool dpl, struct seen *s, struct ct_list_error *err)
{
	struct ct_list_text t = {name, 0, 0};
	char *text = slurp(name, &t.len);
	t.text = text;
	enum ct_rc rc = dpl ? ct_lists_parse_dpl(&t, collect, s, err)
			    : ct_lists_parse_csl(&t, collect, s, err);
	free(text);
	return rc;
}

Test(lists_sdn, real_files_counts)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_sdn_files(&s, &err), CT_OK, "%s", err.message);
	cr_assert_eq(s.entries, 8976);
	cr_assert_eq(s.aliases, 11910);
	cr_assert_eq(s.names, 8976 + 11910);
}

Test(lists_sdn, aliases_and_addresses_join_the_right_entry)
{
	struct seen s = {.want_id = "306"};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_sdn_files(&s, &err), CT_OK, "%s", err.message);
	cr_assert(s.found);
	cr_assert_str_eq(s.name, "BANCO NACIONAL DE CUBA");
	cr_assert(has_alias(&s, "NATIONAL BANK OF CUBA"));
	cr_assert_str_eq(s.program, "CUBA");
	cr_assert_str_eq(s.list, "OFAC SDN");
	cr_assert_str_eq(s.remarks, "a.k.a. 'BNC'.");
	/* 306's addresses are in Zurich and Madrid, among others. */
	cr_assert(strstr(s.address, "Zweierstrasse 35, Zurich CH-8022"), "%s", s.address);
	cr_assert(strstr(s.country, "Switzerland") && strstr(s.country, "Spain"), "%s", s.country);
}

Test(lists_sdn, dash_zero_dash_is_empty_and_quoted_commas_stay)
{
	struct seen s = {.want_id = "173"};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_sdn_files(&s, &err), CT_OK, "%s", err.message);
	cr_assert(s.found);
	cr_assert_str_eq(s.name, "ANGLO-CARIBBEAN CO., LTD.");
	cr_assert_str_eq(s.type, "entity");      /* "-0- " for an entity */
	cr_assert_str_eq(s.remarks, "");         /* "-0- " */
	cr_assert(has_alias(&s, "AVIA IMPORT"));
	struct seen h = {.want_id = "36"};
	cr_assert_eq(parse_sdn_files(&h, &err), CT_OK);
	cr_assert_str_eq(h.address, "Havana");    /* street "-0- ", city Havana */
	cr_assert_str_eq(h.country, "Cuba");
}

#define T(name, s) {name, s, sizeof s - 1}

static enum ct_rc sdn_text(const char *sdn, const char *alt, const char *add,
			   struct ct_list_error *err, struct seen *s)
{
	struct ct_list_text t[3] = {{"sdn.csv", sdn, strlen(sdn)}, {"alt.csv", alt, strlen(alt)},
				    {"add.csv", add, strlen(add)}};
	return ct_lists_parse_sdn(&t[0], &t[1], &t[2], collect, s, err);
}

#define SDN_OK "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

Test(lists_sdn, small_text_with_eof_byte)
{
	struct seen s = {.want_id = "36"};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text(SDN_OK "\x1a", "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n\x1a",
			      "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n", &err, &s), CT_OK,
		     "%s", err.message);
	cr_assert_eq(s.entries, 1);
	cr_assert(has_alias(&s, "AERO-CARIBBEAN"));
}

Test(lists_sdn, unknown_ent_num_in_alt)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text(SDN_OK, "36,12,\"aka\",\"A\",-0- \n99,13,\"aka\",\"B\",-0- \n", "",
			      &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "alt.csv line 2: unknown ent_num 99 (not in sdn.csv)");
	cr_assert_eq(s.entries, 0, "no entry is handed over from a refused input");
}

Test(lists_sdn, wrong_column_count)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text(SDN_OK "37,\"X\",-0- \n", "", "", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "sdn.csv line 2: 3 columns, sdn.csv has 12");
	cr_assert_eq(sdn_text(SDN_OK, "", "36,1,\"a\"\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "add.csv line 1: 3 columns, add.csv has 6");
}

Test(lists_sdn, bad_quoting)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text("36,\"UNCLOSED,-0- \n", "", "", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "sdn.csv line 1: bad quoting: a quoted field is not closed");
	cr_assert_eq(sdn_text("36,AB\"C,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "",
			      "", &err, &s), CT_EINVAL);
	cr_assert(strstr(err.message, "sdn.csv line 1: bad quoting: a quote inside unquoted"),
		  "%s", err.message);
	cr_assert_eq(sdn_text("36,\"AB\"C,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "",
			      "", &err, &s), CT_EINVAL);
	cr_assert(strstr(err.message, "text after the closing quote of column 2"), "%s",
		  err.message);
}

Test(lists_sdn, bad_ent_num_duplicate_and_no_name)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text("x1,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "", "",
			      &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "sdn.csv line 1: ent_num 'x1' is not a whole number");
	cr_assert_eq(sdn_text(SDN_OK SDN_OK, "", "", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "sdn.csv line 2: ent_num 36 listed twice");
	cr_assert_eq(sdn_text("5,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "", "",
			      &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "sdn.csv line 1: entry 5 has no name");
}

Test(lists_sdn, over_long_line)
{
	size_t n = CT_LIST_RECORD_MAX + 100;
	char *big = malloc(n + 512);
	cr_assert_not_null(big);
	strcpy(big, SDN_OK "37,\"");
	size_t at = strlen(big);
	memset(big + at, 'A', n);
	strcpy(big + at + n, "\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(sdn_text(big, "", "", &err, &s), CT_EINVAL);
	char want[128];
	snprintf(want, sizeof want, "sdn.csv line 2: line longer than %d bytes", CT_LIST_RECORD_MAX);
	cr_assert_str_eq(err.message, want);
	free(big);
}

Test(lists_csl, entity_list_cn_ai_with_name_zh)
{
	struct seen s = {.want_name = "Huawei Technologies Co., Ltd."};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_file("entity_list_cn_ai.csv", false, &s, &err), CT_OK, "%s", err.message);
	cr_assert_eq(s.entries, 109);
	cr_assert_eq(s.zh, 35);
	cr_assert_eq(s.aliases, 221);
	cr_assert(s.found);
	cr_assert_str_eq(s.zh_name, "华为技术有限公司");
	cr_assert_eq(s.n_alias, 5);
	cr_assert(has_alias(&s, "Huawei Marine"));
	cr_assert(has_alias(&s, "Shenzhen Huawei Agisson Electric Co., Ltd."));
	cr_assert_str_eq(s.country, "CN; HK");
	cr_assert_str_eq(s.list, "Entity List (EL) - Bureau of Industry and Security");
}

Test(lists_csl, whole_entity_list_multiline_addresses)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_file("bis_entity_list_2026.csv", false, &s, &err), CT_OK, "%s",
		     err.message);
	cr_assert_eq(s.entries, 3409);
	cr_assert_eq(s.aliases, 5229);
	cr_assert_eq(s.zh, 0);
}

Test(lists_csl, full_layout_sample)
{
	struct seen s = {.want_name = "183rd Guard Air Defense Missile Regiment"};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_file("csl_2019_sample.csv", false, &s, &err), CT_OK, "%s", err.message);
	cr_assert_eq(s.entries, 115);
	cr_assert_eq(s.aliases, 161);
	cr_assert(s.found);
	cr_assert_str_eq(s.list, "Nonproliferation Sanctions (ISN) - State Department");
	cr_assert_str_eq(s.program, "INKSNA");
}

static enum ct_rc csl_text(const char *text, struct ct_list_error *err, struct seen *s)
{
	struct ct_list_text t = {"x.csv", text, strlen(text)};
	return ct_lists_parse_csl(&t, collect, s, err);
}

Test(lists_csl, small_text_alt_names_and_quotes)
{
	struct seen s = {.want_name = "Acme, \"Ltd\""};
	struct ct_list_error err = {{0}};
	cr_assert_eq(csl_text("source,name,alt_names,country\n"
			      "EL,\"Acme, \"\"Ltd\"\"\", A1 ;  A2;;A3 ,CN\n", &err, &s), CT_OK,
		     "%s", err.message);
	cr_assert(s.found);
	cr_assert_eq(s.n_alias, 3);
	cr_assert(has_alias(&s, "A1") && has_alias(&s, "A2") && has_alias(&s, "A3"));
	cr_assert_str_eq(s.country, "CN");
}

Test(lists_csl, refusals)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	cr_assert_eq(csl_text("source,name,country\nEL,A,CN\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 1: missing header column 'alt_names'");
	cr_assert_eq(csl_text("source,name,alt_names\nEL,A,\nEL,B\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 3: 2 columns, the header has 3");
	cr_assert_eq(csl_text("source,name,alt_names\nEL,,x\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 2: the name column is empty");
	cr_assert_eq(csl_text("", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 1: empty file: a header row is required");
	cr_assert_eq(csl_text("source,name,alt_names\nEL,\"A\nB,\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 2: bad quoting: a quoted field is not closed");
	cr_assert_eq(csl_text("source,name,alt_names\nEL,\xff\xfe,\n", &err, &s), CT_EINVAL);
	cr_assert_str_eq(err.message, "x.csv line 2: column 2 is not valid UTF-8");
}

Test(lists_dpl, real_file)
{
	struct seen s = {.want_name = "I. ASH"};
	struct ct_list_error err = {{0}};
	cr_assert_eq(parse_file("bis_dpl.txt", true, &s, &err), CT_OK, "%s", err.message);
	cr_assert_eq(s.entries, 581);
	cr_assert_eq(s.names, 581);
	cr_assert(s.found);
	/* The first "I. ASH" is listed as " I. ASH": the blank is trimmed. */
	cr_assert_str_eq(s.country, "US");
	cr_assert(strstr(s.address, "SEAGOVILLE, TX, 75159"), "%s", s.address);
}

Test(lists_dpl, missing_column)
{
	struct seen s = {0};
	struct ct_list_error err = {{0}};
	struct ct_list_text t = T("d.txt", "\"Name\"\t\"City\"\n\"A\"\t\"B\"\n");
	cr_assert_eq(ct_lists_parse_dpl(&t, collect, &s, &err), CT_EINVAL);
	cr_assert_str_eq(err.message, "d.txt line 1: missing header column 'street_address'");
}

Test(lists, format_names)
{
	enum ct_list_format f;
	cr_assert(ct_list_format_parse("sdn", &f) && f == CT_LIST_SDN);
	cr_assert(ct_list_format_parse("dpl", &f) && f == CT_LIST_DPL);
	cr_assert(!ct_list_format_parse("xml", &f));
	cr_assert_str_eq(ct_name_kind_name(CT_NAME_ZH), "name_zh");
}
