/* Policy document parsing and validation. Each refusal must name the JSON
 * path of the field and say what it must be. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "chiptoll/party.h"
#include "chiptoll/policy.h"
#include "policy_fixture.h"

/* The bundled document as a JSON tree to mutate; caller decrefs. */
static json_t *base_doc(void)
{
	json_error_t e;
	json_t *doc = json_load_file(CT_BUNDLED_POLICY, 0, &e);

	cr_assert_not_null(doc, "%s", e.text);
	return doc;
}

static json_t *program(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "programs"), i);
}

static json_t *at(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	cr_assert_not_null(v, "no key %s", key);
	return v;
}

static enum ct_rc parse_doc(json_t *doc, char *err, size_t errlen)
{
	struct ct_policy *pol = NULL;
	char *text = json_dumps(doc, 0);
	enum ct_rc rc;

	cr_assert_not_null(text);
	rc = ct_policy_parse(text, strlen(text), &pol, err, errlen);
	if (rc == CT_OK)
		cr_assert_not_null(pol);
	else
		cr_assert_null(pol);
	free(pol);
	free(text);
	return rc;
}

/* Parses doc (and drops it), expecting a refusal whose message contains
 * every one of the given fragments. */
#define expect_error(doc, ...) expect_error_(doc, (const char *[]){ __VA_ARGS__, NULL })
static void expect_error_(json_t *doc, const char **want)
{
	char err[512] = "";
	enum ct_rc rc = parse_doc(doc, err, sizeof(err));

	json_decref(doc);
	cr_assert_eq(rc, CT_EINVAL, "accepted, expected: %s", want[0]);
	for (; *want; want++)
		cr_assert(strstr(err, *want), "message \"%s\" lacks \"%s\"", err, *want);
}

static void expect_ok(json_t *doc)
{
	char err[512] = "";
	enum ct_rc rc = parse_doc(doc, err, sizeof(err));

	json_decref(doc);
	cr_assert_eq(rc, CT_OK, "%s", err);
}

Test(policy, bundled_file_parses)
{
	struct ct_policy *pol = ct_test_bundled_policy();
	const struct ct_program *h20, *cbc;

	cr_assert_str_eq(pol->version, "2026-01-15");
	cr_assert_eq(pol->published, ct_date_from_ymd(2026, 1, 15));
	cr_assert_eq(pol->eccn.a_tpp, 4800);
	cr_assert_eq(pol->eccn.a_pd_tpp, 1600);
	cr_assert_eq(pol->eccn.a_pd, 5.92);
	cr_assert_eq(pol->eccn.b_tpp_low, 2400);
	cr_assert_eq(pol->eccn.b_pd_low, 1.6);
	cr_assert_eq(pol->eccn.b_pd_alt, 3.2);
	cr_assert_eq(pol->eccn.nondc_tpp, 4800);
	cr_assert(strstr(pol->eccn_source, "88 FR 73458"));
	cr_assert_eq(pol->d5.n, 24);
	cr_assert(ct_country_set_has(&pol->d5, "CN"));
	cr_assert_not(ct_country_set_has(&pol->d5, "MO"));
	cr_assert_eq(pol->hq_restricted.n, 25);
	cr_assert(ct_country_set_has(&pol->hq_restricted, "MO"));
	for (int i = 0; i < pol->d5.n; i++)
		cr_assert(ct_country_set_has(&pol->hq_restricted, pol->d5.cc[i]));
	cr_assert_eq(pol->remote_access.n, 8);
	cr_assert_eq(pol->prohibited_end_uses, (unsigned)CT_USE_MILITARY);
	cr_assert_eq(pol->license_validity_days, 365);
	cr_assert_eq(pol->n_programs, 2);

	h20 = ct_policy_find_program(pol, "h20-mi308-2025");
	cr_assert_not_null(h20);
	cr_assert_eq(h20, &pol->programs[0]);
	cr_assert_eq(h20->n_named, 2);
	cr_assert_str_eq(h20->named[0], "H20");
	cr_assert_str_eq(h20->named[1], "MI308X");
	cr_assert_not(h20->has_ceiling);
	cr_assert_eq(h20->effective_from, ct_date_from_ymd(2025, 8, 11));
	cr_assert_eq(h20->effective_until, ct_date_from_ymd(2026, 1, 14));
	cr_assert_eq(h20->us_available_by, CT_DATE_NONE);
	cr_assert_eq(h20->destinations.n, 3);
	cr_assert_str_eq(h20->route_from, "");
	cr_assert_not(h20->lab_certificate_required);
	cr_assert_not(h20->has_cap);
	cr_assert_eq(h20->rate_bp, 1500);
	cr_assert_str_eq(h20->fee_basis, "declared_value");
	cr_assert(strstr(h20->source, "AP, FT"));

	cbc = ct_policy_find_program(pol, "case-by-case-2026");
	cr_assert_not_null(cbc);
	cr_assert_eq(cbc->n_named, 0);
	cr_assert(cbc->has_ceiling);
	cr_assert_eq(cbc->max_tpp, 21000);
	cr_assert_eq(cbc->max_bw_gbs, 6500);
	cr_assert_eq(cbc->us_available_by, ct_date_from_ymd(2026, 1, 15));
	cr_assert_eq(cbc->effective_until, CT_DATE_NONE);
	cr_assert_eq(cbc->destinations.n, 2);
	cr_assert_str_eq(cbc->route_from, "US");
	cr_assert(cbc->lab_certificate_required);
	cr_assert(cbc->has_cap);
	cr_assert_eq(cbc->cap_ratio_bp, 5000);
	cr_assert_eq(cbc->rate_bp, 2500);
	cr_assert(strstr(cbc->source, "91 FR 1684"));
	cr_assert(strstr(cbc->source, "Proclamation 11002"));

	cr_assert_null(ct_policy_find_program(pol, "nope"));
	cr_assert_null(ct_policy_find_program(pol, "H20-MI308-2025"));
	free(pol);
}

Test(policy, in_force_inclusive)
{
	struct ct_policy *pol = ct_test_bundled_policy();
	const struct ct_program *h20 = &pol->programs[0], *cbc = &pol->programs[1];

	cr_assert_not(ct_program_in_force(h20, ct_date_from_ymd(2025, 8, 10)));
	cr_assert(ct_program_in_force(h20, ct_date_from_ymd(2025, 8, 11)));
	cr_assert(ct_program_in_force(h20, ct_date_from_ymd(2026, 1, 14)));
	cr_assert_not(ct_program_in_force(h20, ct_date_from_ymd(2026, 1, 15)));
	cr_assert_not(ct_program_in_force(cbc, ct_date_from_ymd(2026, 1, 14)));
	cr_assert(ct_program_in_force(cbc, ct_date_from_ymd(2026, 1, 15)));
	cr_assert(ct_program_in_force(cbc, ct_date_from_ymd(9999, 12, 31)));
	cr_assert_not(ct_program_in_force(cbc, CT_DATE_NONE));
	free(pol);
}

Test(policy, format_and_version)
{
	json_t *doc;

	doc = base_doc();
	json_object_set_new(doc, "format", json_string("chiptoll-policy/2"));
	expect_error(doc, "format: must be \"chiptoll-policy/1\"");

	doc = base_doc();
	json_object_del(doc, "format");
	expect_error(doc, "format: missing");

	doc = base_doc();
	json_object_set_new(doc, "format", json_integer(1));
	expect_error(doc, "format:");

	doc = base_doc();
	json_object_del(doc, "version");
	expect_error(doc, "version: missing");

	doc = base_doc();
	json_object_set_new(doc, "version", json_string(""));
	expect_error(doc, "version: must be a non-empty string");

	doc = base_doc();
	json_object_set_new(doc, "version", json_string("2026 01 15"));
	expect_error(doc, "version:", "letters, digits");

	doc = base_doc();
	json_object_set_new(doc, "title", json_string(""));
	expect_error(doc, "title: must be a non-empty string");
}

Test(policy, unknown_keys_refused)
{
	json_t *doc;

	doc = base_doc();
	json_object_set_new(doc, "programmes", json_array());
	expect_error(doc, "unknown top-level key \"programmes\"");

	doc = base_doc();
	json_object_set_new(program(doc, 1), "lab_certificate_requried", json_true());
	expect_error(doc, "programs[1]: unknown key \"lab_certificate_requried\"");

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate", json_integer(2500));
	expect_error(doc, "programs[1].fee: unknown key \"rate\"");

	doc = base_doc();
	json_object_set_new(at(program(doc, 0), "products"), "max_bw", json_integer(1));
	expect_error(doc, "programs[0].products: unknown key \"max_bw\"");

	doc = base_doc();
	json_object_set_new(at(doc, "country_groups"), "D6", json_object());
	expect_error(doc, "country_groups: unknown key \"D6\"");

	doc = base_doc();
	json_object_set_new(at(doc, "eccn_3a090"), "a_ppd", json_real(5.92));
	expect_error(doc, "eccn_3a090: unknown key \"a_ppd\"");
}

Test(policy, dates)
{
	json_t *doc;

	doc = base_doc();
	json_object_set_new(program(doc, 1), "effective_from", json_string("2026-02-30"));
	expect_error(doc, "programs[1].effective_from: must be a valid date YYYY-MM-DD");

	doc = base_doc();
	json_object_set_new(program(doc, 0), "effective_until", json_string("14 Jan 2026"));
	expect_error(doc, "programs[0].effective_until: must be a valid date YYYY-MM-DD or null");

	doc = base_doc();
	json_object_del(program(doc, 0), "effective_from");
	expect_error(doc, "programs[0].effective_from: missing");

	doc = base_doc();
	json_object_set_new(doc, "published", json_string("2026-1-15"));
	expect_error(doc, "published: must be a valid date");

	doc = base_doc();
	json_object_set_new(program(doc, 0), "effective_until", json_string("2025-08-10"));
	expect_error(doc, "programs[0].effective_until: must not be before effective_from");

	/* One day long is fine. */
	doc = base_doc();
	json_object_set_new(program(doc, 0), "effective_until", json_string("2025-08-11"));
	expect_ok(doc);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "products"), "us_available_by",
			    json_string("2026-13-01"));
	expect_error(doc, "programs[1].products.us_available_by: must be a valid date");
}

Test(policy, duplicate_program_ids)
{
	json_t *doc = base_doc();

	json_object_set_new(program(doc, 1), "id", json_string("h20-mi308-2025"));
	expect_error(doc, "programs[1].id:", "h20-mi308-2025", "unique");
}

Test(policy, fee_rate_range)
{
	static const char *msg = "programs[1].fee.rate_bp: must be an integer from 0 to 10000";
	json_t *doc;

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_integer(10001));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_integer(-1));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_real(2500.0));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_string("2500"));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_del(at(program(doc, 1), "fee"), "rate_bp");
	expect_error(doc, "programs[1].fee.rate_bp: missing");

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_integer(0));
	expect_ok(doc);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "rate_bp", json_integer(10000));
	expect_ok(doc);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "fee"), "basis", json_string("gross_revenue"));
	expect_error(doc, "programs[1].fee.basis: must be \"declared_value\"");

	doc = base_doc();
	json_object_del(program(doc, 0), "fee");
	expect_error(doc, "programs[0].fee: missing");
}

Test(policy, volume_cap)
{
	static const char *msg =
		"programs[1].volume_cap.ratio_bp: must be an integer from 1 to 10000";
	json_t *doc;

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "volume_cap"), "ratio_bp", json_integer(0));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "volume_cap"), "ratio_bp", json_integer(10001));
	expect_error(doc, msg);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "volume_cap"), "ratio_bp", json_integer(10000));
	expect_ok(doc);

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "volume_cap"), "basis", json_string("tpp"));
	expect_error(doc, "programs[1].volume_cap.basis: must be");

	doc = base_doc();
	json_object_set_new(program(doc, 1), "volume_cap", json_integer(5000));
	expect_error(doc, "programs[1].volume_cap: must be an object");

	/* Absent means no cap, like null. */
	doc = base_doc();
	json_object_del(program(doc, 0), "volume_cap");
	expect_ok(doc);
}

Test(policy, country_codes)
{
	json_t *doc;

	doc = base_doc();
	json_array_set_new(at(program(doc, 0), "destinations"), 1, json_string("hk"));
	expect_error(doc, "programs[0].destinations[1]: must be a country code");

	doc = base_doc();
	json_array_set_new(at(at(at(doc, "country_groups"), "D5"), "countries"), 5,
			   json_string("CHN"));
	expect_error(doc, "country_groups.D5.countries[5]: must be a country code");

	doc = base_doc();
	json_array_append_new(at(at(at(doc, "country_groups"), "remote_access"), "countries"),
			      json_string("CN"));
	expect_error(doc, "country_groups.remote_access.countries[8]: \"CN\" is listed twice");

	doc = base_doc();
	json_array_set_new(at(program(doc, 0), "destinations"), 0, json_integer(86));
	expect_error(doc, "programs[0].destinations[0]: must be a country code");

	doc = base_doc();
	json_object_set_new(program(doc, 1), "route_from", json_string("us"));
	expect_error(doc, "programs[1].route_from: must be null or a country code");

	doc = base_doc();
	json_object_del(at(doc, "country_groups"), "hq_restricted");
	expect_error(doc, "country_groups.hq_restricted: missing");
}

Test(policy, empty_destinations)
{
	json_t *doc = base_doc();

	json_array_clear(at(program(doc, 1), "destinations"));
	expect_error(doc, "programs[1].destinations: must list at least one country");
}

Test(policy, products_named_or_ceiling)
{
	json_t *doc;

	doc = base_doc();
	json_object_set_new(program(doc, 0), "products", json_object());
	expect_error(doc, "programs[0].products: must name products");

	doc = base_doc();
	json_object_set_new(at(program(doc, 0), "products"), "named", json_array());
	expect_error(doc, "programs[0].products: must name products");

	doc = base_doc();
	json_object_del(at(program(doc, 1), "products"), "max_bw_gbs");
	expect_error(doc, "programs[1].products: max_tpp and max_bw_gbs go together");

	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "products"), "max_tpp", json_integer(0));
	expect_error(doc, "programs[1].products.max_tpp: must be a number greater than 0");

	doc = base_doc();
	json_array_append_new(at(at(program(doc, 0), "products"), "named"), json_string("h20"));
	expect_error(doc, "programs[0].products.named[2]: \"h20\" is listed twice");

	doc = base_doc();
	json_array_append_new(at(at(program(doc, 0), "products"), "named"), json_string(""));
	expect_error(doc, "programs[0].products.named[2]: must be a product model");

	/* Both ways at once is allowed. */
	doc = base_doc();
	json_object_set_new(at(program(doc, 1), "products"), "named",
			    json_pack("[s]", "H200"));
	expect_ok(doc);
}

Test(policy, limits)
{
	json_t *doc, *progs, *dest, *named;

	doc = base_doc();
	progs = at(doc, "programs");
	for (int i = 2; i < CT_PROGRAMS_MAX + 1; i++) {
		json_t *p = json_deep_copy(program(doc, 0));
		char id[32];

		snprintf(id, sizeof(id), "p%d", i);
		json_object_set_new(p, "id", json_string(id));
		json_array_append_new(progs, p);
	}
	expect_error(doc, "programs: more than 32 programs");

	doc = base_doc();
	dest = at(program(doc, 0), "destinations");
	json_array_clear(dest);
	for (int i = 0; i < CT_COUNTRIES_MAX + 1; i++) {
		char cc[3] = { (char)('A' + i / 26), (char)('A' + i % 26), 0 };

		json_array_append_new(dest, json_string(cc));
	}
	expect_error(doc, "programs[0].destinations: more than 64 countries");

	doc = base_doc();
	named = at(at(program(doc, 0), "products"), "named");
	json_array_clear(named);
	for (int i = 0; i < CT_NAMED_PRODUCTS_MAX + 1; i++) {
		char m[16];

		snprintf(m, sizeof(m), "X%d", i);
		json_array_append_new(named, json_string(m));
	}
	expect_error(doc, "programs[0].products.named: more than 64 products");

	/* Exactly at the limits is fine. */
	doc = base_doc();
	named = at(at(program(doc, 0), "products"), "named");
	json_array_clear(named);
	for (int i = 0; i < CT_NAMED_PRODUCTS_MAX; i++) {
		char m[16];

		snprintf(m, sizeof(m), "X%d", i);
		json_array_append_new(named, json_string(m));
	}
	expect_ok(doc);
}

Test(policy, over_long_strings)
{
	char big[CT_TEXT_MAX + 1];
	json_t *doc;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	doc = base_doc();
	json_object_set_new(program(doc, 0), "source", json_string(big));
	expect_error(doc, "programs[0].source: longer than the limit of 1023 bytes");

	doc = base_doc();
	json_object_set_new(at(doc, "eccn_3a090"), "source", json_string(big));
	expect_error(doc, "eccn_3a090.source: longer than the limit");

	doc = base_doc();
	json_object_set_new(at(at(doc, "country_groups"), "D5"), "source", json_string(big));
	expect_error(doc, "country_groups.D5.source: longer than the limit");

	big[CT_ID_MAX] = '\0';
	doc = base_doc();
	json_object_set_new(program(doc, 0), "id", json_string(big));
	expect_error(doc, "programs[0].id: longer than the limit of 63 bytes");

	/* 1023 bytes is fine. */
	memset(big, 'x', CT_TEXT_MAX - 1);
	big[CT_TEXT_MAX - 1] = '\0';
	doc = base_doc();
	json_object_set_new(program(doc, 0), "source", json_string(big));
	expect_ok(doc);

	doc = base_doc();
	json_object_del(program(doc, 1), "source");
	expect_error(doc, "programs[1].source: missing");
}

Test(policy, end_uses)
{
	json_t *doc;

	doc = base_doc();
	json_array_append_new(at(at(doc, "prohibited_end_uses"), "uses"), json_string("weapons"));
	expect_error(doc, "prohibited_end_uses.uses[1]: must be one of training, inference");

	doc = base_doc();
	json_array_append_new(at(at(doc, "prohibited_end_uses"), "uses"), json_string("military"));
	expect_error(doc, "prohibited_end_uses.uses[1]: \"military\" is listed twice");

	doc = base_doc();
	json_array_clear(at(at(doc, "prohibited_end_uses"), "uses"));
	expect_ok(doc);
}

Test(policy, thresholds_positive)
{
	static const char *keys[] = { "a_tpp", "a_pd_tpp", "a_pd", "b_tpp_low", "b_pd_low",
				      "b_pd_alt", "nondc_tpp" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char want[128];
		json_t *doc;

		snprintf(want, sizeof(want), "eccn_3a090.%s: must be a number greater than 0",
			 keys[i]);
		doc = base_doc();
		json_object_set_new(at(doc, "eccn_3a090"), keys[i], json_integer(0));
		expect_error(doc, want);
		doc = base_doc();
		json_object_set_new(at(doc, "eccn_3a090"), keys[i], json_real(-1.5));
		expect_error(doc, want);
		doc = base_doc();
		json_object_set_new(at(doc, "eccn_3a090"), keys[i], json_string("4800"));
		expect_error(doc, want);
	}

	json_t *doc = base_doc();

	json_object_set_new(at(doc, "eccn_3a090"), "b_pd_alt", json_real(6.5));
	expect_error(doc, "eccn_3a090.b_pd_alt: must not exceed a_pd");
}

Test(policy, license_validity_days)
{
	static const char *msg = "license_validity_days: must be an integer from 1 to 3650";
	json_t *doc;

	doc = base_doc();
	json_object_set_new(doc, "license_validity_days", json_integer(0));
	expect_error(doc, msg);
	doc = base_doc();
	json_object_set_new(doc, "license_validity_days", json_integer(3651));
	expect_error(doc, msg);
	doc = base_doc();
	json_object_set_new(doc, "license_validity_days", json_integer(1));
	expect_ok(doc);
	doc = base_doc();
	json_object_set_new(doc, "license_validity_days", json_integer(3650));
	expect_ok(doc);
}

Test(policy, types)
{
	json_t *doc;

	doc = base_doc();
	json_object_set_new(program(doc, 1), "lab_certificate_required", json_string("yes"));
	expect_error(doc, "programs[1].lab_certificate_required: must be true or false");

	doc = base_doc();
	json_object_del(program(doc, 1), "lab_certificate_required");
	expect_error(doc, "programs[1].lab_certificate_required: missing");

	doc = base_doc();
	json_array_set_new(at(doc, "programs"), 0, json_string("h20"));
	expect_error(doc, "programs[0]: must be an object");

	doc = base_doc();
	json_object_set_new(doc, "programs", json_object());
	expect_error(doc, "programs: must be an array");

	doc = base_doc();
	json_object_set_new(program(doc, 0), "id", json_string("h20 2025"));
	expect_error(doc, "programs[0].id:", "letters, digits");

	/* No programs at all is a valid (if useless) policy. */
	doc = base_doc();
	json_array_clear(at(doc, "programs"));
	expect_ok(doc);
}

Test(policy, raw_text_errors)
{
	struct ct_policy *pol = (struct ct_policy *)1;
	char err[256];
	const char *text;
	char *big, *deep;
	size_t n;

	text = "{\"format\": ";
	cr_assert_eq(ct_policy_parse(text, strlen(text), &pol, err, sizeof(err)), CT_EINVAL);
	cr_assert_null(pol);
	cr_assert(strstr(err, "not valid JSON at line 1"), "%s", err);

	text = "[1, 2]";
	cr_assert_eq(ct_policy_parse(text, strlen(text), &pol, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "must be a JSON object"), "%s", err);

	/* A repeated key would let a later value silently win. */
	text = "{\"format\": \"chiptoll-policy/1\", \"format\": \"chiptoll-policy/1\"}";
	cr_assert_eq(ct_policy_parse(text, strlen(text), &pol, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "duplicate"), "%s", err);

	/* Depth 16 passes the depth check (and fails later on content); 17 is refused. */
	deep = malloc(64);
	n = 0;
	deep[n++] = '{';
	memcpy(deep + n, "\"x\":", 4);
	n += 4;
	for (int i = 0; i < 15; i++)
		deep[n++] = '[';
	for (int i = 0; i < 15; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	cr_assert_eq(ct_policy_parse(deep, n, &pol, err, sizeof(err)), CT_EINVAL);
	cr_assert_null(strstr(err, "nested deeper"), "%s", err);
	n = 0;
	deep[n++] = '{';
	memcpy(deep + n, "\"x\":", 4);
	n += 4;
	for (int i = 0; i < 16; i++)
		deep[n++] = '[';
	for (int i = 0; i < 16; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	cr_assert_eq(ct_policy_parse(deep, n, &pol, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "nested deeper than 16 levels"), "%s", err);
	free(deep);

	big = malloc(CT_POLICY_FILE_MAX + 1);
	memset(big, ' ', CT_POLICY_FILE_MAX + 1);
	cr_assert_eq(ct_policy_parse(big, CT_POLICY_FILE_MAX + 1, &pol, err, sizeof(err)),
		     CT_EINVAL);
	cr_assert(strstr(err, "larger than the limit"), "%s", err);
	free(big);

	/* A tiny error buffer truncates but never overflows. */
	text = "[]";
	cr_assert_eq(ct_policy_parse(text, strlen(text), &pol, err, 8), CT_EINVAL);
	cr_assert_lt(strlen(err), 8);
	cr_assert_eq(ct_policy_parse(text, strlen(text), &pol, NULL, 0), CT_EINVAL);
}
