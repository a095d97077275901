/* The policy document: parse, validate, and the questions asked of it.
 *
 * Validation is strict on purpose. The policy is the law as data; a typo
 * that silently drops a destination or a rate would change who may export
 * and what they owe. So every object refuses keys it does not know, every
 * list refuses duplicates, and every message names the JSON path of the
 * offending field and what it must be. docs/POLICY.md describes the format. */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chiptoll/party.h"
#include "chiptoll/policy.h"
#include "core/ascii.h"

#define POLICY_FORMAT "chiptoll-policy/1"
#define PATH_LEN 192

/* Error sink for one parse. */
struct pctx {
	char *err;
	size_t errlen;
};

/* Appends src to a path buffer, truncating at PATH_LEN. Paths are built
 * by hand: snprintf would do, but GCC's truncation warnings cannot see that
 * truncating a path in an error message is harmless. */
static void path_append(char out[static PATH_LEN], const char *src)
{
	size_t len = strnlen(out, PATH_LEN - 1);
	size_t n = strlen(src);

	if (n > PATH_LEN - 1 - len)
		n = PATH_LEN - 1 - len;
	memcpy(out + len, src, n);
	out[len + n] = '\0';
}

static void join_key(char out[static PATH_LEN], const char *base, const char *key)
{
	out[0] = '\0';
	path_append(out, base);
	if (*base)
		path_append(out, ".");
	path_append(out, key);
}

static void join_idx(char out[static PATH_LEN], const char *base, size_t i)
{
	char num[24];
	int n = 0;

	do {
		num[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	out[0] = '\0';
	path_append(out, base);
	path_append(out, "[");
	for (char *a = num, *b = num + n - 1; a < b; a++, b--) {
		char t = *a;

		*a = *b;
		*b = t;
	}
	num[n] = '\0';
	path_append(out, num);
	path_append(out, "]");
}

/* Writes "base.key: message" (or "base: message" without a key) and
 * returns false, so callers can `return fail(...)`. */
__attribute__((format(printf, 4, 5)))
static bool fail(struct pctx *c, const char *base, const char *key, const char *fmt, ...)
{
	char path[PATH_LEN];
	va_list ap;
	int n;

	if (!c->err || c->errlen == 0)
		return false;
	if (key)
		join_key(path, base, key);
	else
		join_key(path, "", *base ? base : "policy");
	n = snprintf(c->err, c->errlen, "%s: ", path);
	if (n < 0 || (size_t)n >= c->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

/* Refuses keys outside `allowed` (a NULL-terminated list), naming the first
 * one found: a misspelt optional key would otherwise be ignored. */
static bool check_keys(struct pctx *c, json_t *obj, const char *path,
		       const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool known = false;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0)
				known = true;
		if (!known) {
			char list[PATH_LEN * 2] = "";
			size_t len = 0;

			for (const char *const *a = allowed; *a; a++) {
				int n = snprintf(list + len, sizeof(list) - len, "%s%s",
						 len ? ", " : "", *a);
				if (n < 0 || (size_t)n >= sizeof(list) - len)
					break;
				len += (size_t)n;
			}
			if (*path)
				return fail(c, path, NULL, "unknown key \"%.64s\" (known keys: %s)",
					    key, list);
			return fail(c, "", NULL, "unknown top-level key \"%.64s\" (known keys: %s)",
				    key, list);
		}
	}
	return true;
}

/* Object member `key`, which must be an object (or absent/null when
 * optional: then *out is NULL). */
static bool get_object(struct pctx *c, json_t *obj, const char *path, const char *key,
		       bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return fail(c, path, key, "missing; must be an object");
		return true;
	}
	if (!json_is_object(v))
		return fail(c, path, key, "must be an object");
	*out = v;
	return true;
}

static bool get_array(struct pctx *c, json_t *obj, const char *path, const char *key,
		      bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v) {
		if (required)
			return fail(c, path, key, "missing; must be an array");
		return true;
	}
	if (!json_is_array(v))
		return fail(c, path, key, "must be an array");
	*out = v;
	return true;
}

/* A non-empty string shorter than bufsize. Absent or null leaves "" when
 * not required. */
static bool get_string(struct pctx *c, json_t *obj, const char *path, const char *key,
		       bool required, char *buf, size_t bufsize)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	buf[0] = '\0';
	if (!v || (json_is_null(v) && !required)) {
		if (required)
			return fail(c, path, key, "missing; must be a non-empty string");
		return true;
	}
	if (!json_is_string(v))
		return fail(c, path, key, "must be a non-empty string");
	len = json_string_length(v);
	if (len == 0)
		return fail(c, path, key, "must be a non-empty string");
	if (len >= bufsize)
		return fail(c, path, key, "longer than the limit of %zu bytes", bufsize - 1);
	memcpy(buf, json_string_value(v), len + 1);
	return true;
}

/* Ids appear in commands, scopes and file names: keep them to characters
 * that need no quoting anywhere. */
static bool id_chars_ok(const char *s)
{
	for (; *s; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

static bool get_id(struct pctx *c, json_t *obj, const char *path, const char *key,
		   char buf[static CT_ID_MAX])
{
	if (!get_string(c, obj, path, key, true, buf, CT_ID_MAX))
		return false;
	if (!id_chars_ok(buf))
		return fail(c, path, key, "\"%s\" may only contain letters, digits, '-', '_' and '.'",
			    buf);
	return true;
}

/* A YYYY-MM-DD date; absent or null gives CT_DATE_NONE when nullable. */
static bool get_date(struct pctx *c, json_t *obj, const char *path, const char *key,
		     bool nullable, ct_date *out)
{
	json_t *v = json_object_get(obj, key);

	*out = CT_DATE_NONE;
	if (!v || json_is_null(v)) {
		if (!nullable)
			return fail(c, path, key, "missing; must be a date YYYY-MM-DD");
		return true;
	}
	if (!json_is_string(v) || !ct_date_parse(json_string_value(v), out))
		return fail(c, path, key, "must be a valid date YYYY-MM-DD%s",
			    nullable ? " or null" : "");
	return true;
}

static bool get_int(struct pctx *c, json_t *obj, const char *path, const char *key,
		    json_int_t lo, json_int_t hi, int32_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v || !json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return fail(c, path, key, "%smust be an integer from %lld to %lld",
			    v ? "" : "missing; ", (long long)lo, (long long)hi);
	*out = (int32_t)json_integer_value(v);
	return true;
}

/* A threshold or ceiling: a finite number above zero. */
static bool get_positive(struct pctx *c, json_t *obj, const char *path, const char *key,
			 double *out)
{
	json_t *v = json_object_get(obj, key);
	double d;

	if (!v || !json_is_number(v))
		return fail(c, path, key, "%smust be a number greater than 0",
			    v ? "" : "missing; ");
	d = json_number_value(v);
	if (!isfinite(d) || d <= 0)
		return fail(c, path, key, "must be a number greater than 0");
	*out = d;
	return true;
}

static bool get_bool(struct pctx *c, json_t *obj, const char *path, const char *key,
		     bool *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v || !json_is_boolean(v))
		return fail(c, path, key, "%smust be true or false", v ? "" : "missing; ");
	*out = json_is_true(v);
	return true;
}

/* Checks an optional citation string and drops it: not every object has a
 * field in the struct to keep it, but an over-long one is still refused. */
static bool check_source(struct pctx *c, json_t *obj, const char *path, bool required)
{
	char buf[CT_TEXT_MAX];

	return get_string(c, obj, path, "source", required, buf, sizeof(buf));
}

static bool parse_countries(struct pctx *c, json_t *arr, const char *path, bool nonempty,
			    struct ct_country_set *set)
{
	char ipath[PATH_LEN];
	size_t i;
	json_t *v;

	set->n = 0;
	if (nonempty && json_array_size(arr) == 0)
		return fail(c, path, NULL, "must list at least one country");
	if (json_array_size(arr) > CT_COUNTRIES_MAX)
		return fail(c, path, NULL, "more than %d countries (CT_COUNTRIES_MAX)",
			    CT_COUNTRIES_MAX);
	json_array_foreach(arr, i, v) {
		const char *cc = json_string_value(v);

		join_idx(ipath, path, i);
		if (!cc || !ct_country_valid(cc))
			return fail(c, ipath, NULL,
				    "must be a country code of two upper-case letters (ISO 3166 alpha-2)");
		if (ct_country_set_has(set, cc))
			return fail(c, ipath, NULL, "\"%s\" is listed twice", cc);
		memcpy(set->cc[set->n], cc, 3);
		set->n++;
	}
	return true;
}

static bool parse_eccn(struct pctx *c, json_t *root, struct ct_policy *pol)
{
	static const char *const keys[] = { "a_tpp", "a_pd_tpp", "a_pd", "b_tpp_low",
					    "b_pd_low", "b_pd_alt", "nondc_tpp", "source", NULL };
	const char *path = "eccn_3a090";
	struct ct_eccn_thresholds *t = &pol->eccn;
	json_t *o;

	if (!get_object(c, root, "", path, true, &o) || !check_keys(c, o, path, keys))
		return false;
	if (!get_positive(c, o, path, "a_tpp", &t->a_tpp) ||
	    !get_positive(c, o, path, "a_pd_tpp", &t->a_pd_tpp) ||
	    !get_positive(c, o, path, "a_pd", &t->a_pd) ||
	    !get_positive(c, o, path, "b_tpp_low", &t->b_tpp_low) ||
	    !get_positive(c, o, path, "b_pd_low", &t->b_pd_low) ||
	    !get_positive(c, o, path, "b_pd_alt", &t->b_pd_alt) ||
	    !get_positive(c, o, path, "nondc_tpp", &t->nondc_tpp) ||
	    !get_string(c, o, path, "source", true, pol->eccn_source, sizeof(pol->eccn_source)))
		return false;
	/* The branches of ct_classify assume these orders; a swapped pair is a
	 * typo that would classify chips wrongly. */
	if (t->b_tpp_low < t->a_pd_tpp || t->b_tpp_low > t->a_tpp)
		return fail(c, path, "b_tpp_low", "must lie between a_pd_tpp and a_tpp");
	if (t->b_pd_low > t->b_pd_alt)
		return fail(c, path, "b_pd_low", "must not exceed b_pd_alt");
	if (t->b_pd_alt > t->a_pd)
		return fail(c, path, "b_pd_alt", "must not exceed a_pd");
	return true;
}

static bool parse_group(struct pctx *c, json_t *groups, const char *name,
			struct ct_country_set *set)
{
	static const char *const keys[] = { "countries", "source", NULL };
	char path[PATH_LEN], cpath[PATH_LEN];
	json_t *o, *arr;

	join_key(path, "country_groups", name);
	if (!get_object(c, groups, "country_groups", name, true, &o) ||
	    !check_keys(c, o, path, keys) ||
	    !get_array(c, o, path, "countries", true, &arr) ||
	    !check_source(c, o, path, true))
		return false;
	join_key(cpath, path, "countries");
	return parse_countries(c, arr, cpath, false, set);
}

static bool parse_groups(struct pctx *c, json_t *root, struct ct_policy *pol)
{
	static const char *const keys[] = { "D5", "hq_restricted", "remote_access", NULL };
	json_t *o;

	return get_object(c, root, "", "country_groups", true, &o) &&
	       check_keys(c, o, "country_groups", keys) &&
	       parse_group(c, o, "D5", &pol->d5) &&
	       parse_group(c, o, "hq_restricted", &pol->hq_restricted) &&
	       parse_group(c, o, "remote_access", &pol->remote_access);
}

static bool parse_end_uses(struct pctx *c, json_t *root, struct ct_policy *pol)
{
	static const char *const keys[] = { "uses", "source", NULL };
	const char *path = "prohibited_end_uses";
	char ipath[PATH_LEN];
	json_t *o, *arr, *v;
	size_t i;

	if (!get_object(c, root, "", path, true, &o) || !check_keys(c, o, path, keys) ||
	    !get_array(c, o, path, "uses", true, &arr) || !check_source(c, o, path, true))
		return false;
	pol->prohibited_end_uses = 0;
	json_array_foreach(arr, i, v) {
		unsigned bit;

		join_idx(ipath, "prohibited_end_uses.uses", i);
		if (!json_is_string(v) || !ct_end_use_parse_one(json_string_value(v), &bit))
			return fail(c, ipath, NULL, "must be one of training, inference, research, "
				    "cloud, military");
		if (pol->prohibited_end_uses & bit)
			return fail(c, ipath, NULL, "\"%s\" is listed twice", json_string_value(v));
		pol->prohibited_end_uses |= bit;
	}
	return true;
}

static bool parse_products(struct pctx *c, json_t *prog_obj, const char *ppath,
			   struct ct_program *prog)
{
	static const char *const keys[] = { "named", "max_tpp", "max_bw_gbs",
					    "us_available_by", NULL };
	char path[PATH_LEN], npath[PATH_LEN], ipath[PATH_LEN];
	json_t *o, *named, *v;
	bool has_tpp, has_bw;
	size_t i;

	join_key(path, ppath, "products");
	if (!get_object(c, prog_obj, ppath, "products", true, &o) ||
	    !check_keys(c, o, path, keys) ||
	    !get_array(c, o, path, "named", false, &named) ||
	    !get_date(c, o, path, "us_available_by", true, &prog->us_available_by))
		return false;

	join_key(npath, path, "named");
	if (json_array_size(named) > CT_NAMED_PRODUCTS_MAX)
		return fail(c, npath, NULL, "more than %d products (CT_NAMED_PRODUCTS_MAX)",
			    CT_NAMED_PRODUCTS_MAX);
	prog->n_named = 0;
	json_array_foreach(named, i, v) {
		const char *m = json_string_value(v);

		join_idx(ipath, npath, i);
		if (!m || !*m || json_string_length(v) >= CT_ID_MAX)
			return fail(c, ipath, NULL, "must be a product model of 1 to %d bytes",
				    CT_ID_MAX - 1);
		/* Matching ignores case, so "h20" after "H20" is a duplicate. */
		for (int k = 0; k < prog->n_named; k++)
			if (ct_ascii_casecmp(prog->named[k], m) == 0)
				return fail(c, ipath, NULL, "\"%s\" is listed twice", m);
		memcpy(prog->named[prog->n_named], m, json_string_length(v) + 1);
		prog->n_named++;
	}

	has_tpp = json_object_get(o, "max_tpp") != NULL;
	has_bw = json_object_get(o, "max_bw_gbs") != NULL;
	if (has_tpp != has_bw)
		return fail(c, path, NULL, "max_tpp and max_bw_gbs go together: give both or "
			    "neither");
	prog->has_ceiling = has_tpp;
	if (has_tpp && (!get_positive(c, o, path, "max_tpp", &prog->max_tpp) ||
			!get_positive(c, o, path, "max_bw_gbs", &prog->max_bw_gbs)))
		return false;
	if (prog->n_named == 0 && !prog->has_ceiling)
		return fail(c, path, NULL, "must name products (\"named\") or give a technical "
			    "ceiling (\"max_tpp\" and \"max_bw_gbs\")");
	return true;
}

static bool parse_cap(struct pctx *c, json_t *prog_obj, const char *ppath,
		      struct ct_program *prog)
{
	static const char *const keys[] = { "ratio_bp", "basis", "source", NULL };
	char path[PATH_LEN], basis[CT_ID_MAX];
	json_t *o;

	join_key(path, ppath, "volume_cap");
	prog->has_cap = false;
	prog->cap_ratio_bp = 0;
	if (!get_object(c, prog_obj, ppath, "volume_cap", false, &o))
		return false;
	if (!o)
		return true;
	if (!check_keys(c, o, path, keys) ||
	    !get_int(c, o, path, "ratio_bp", 1, 10000, &prog->cap_ratio_bp) ||
	    !get_string(c, o, path, "basis", true, basis, sizeof(basis)) ||
	    !check_source(c, o, path, false))
		return false;
	/* The only basis the decision code implements; another would be
	 * silently computed the wrong way. */
	if (strcmp(basis, "us_domestic_units_same_product") != 0)
		return fail(c, path, "basis", "must be \"us_domestic_units_same_product\"");
	prog->has_cap = true;
	return true;
}

static bool parse_fee(struct pctx *c, json_t *prog_obj, const char *ppath,
		      struct ct_program *prog)
{
	static const char *const keys[] = { "rate_bp", "basis", "source", NULL };
	char path[PATH_LEN];
	json_t *o;

	join_key(path, ppath, "fee");
	if (!get_object(c, prog_obj, ppath, "fee", true, &o) || !check_keys(c, o, path, keys) ||
	    !get_int(c, o, path, "rate_bp", 0, 10000, &prog->rate_bp) ||
	    !get_string(c, o, path, "basis", true, prog->fee_basis, sizeof(prog->fee_basis)) ||
	    !check_source(c, o, path, false))
		return false;
	if (strcmp(prog->fee_basis, "declared_value") != 0)
		return fail(c, path, "basis", "must be \"declared_value\"");
	return true;
}

static bool parse_program(struct pctx *c, json_t *o, const char *path,
			  struct ct_program *prog)
{
	static const char *const keys[] = {
		"id", "name", "source", "effective_from", "effective_until", "products",
		"destinations", "route_from", "lab_certificate_required", "volume_cap", "fee",
		NULL
	};
	char dpath[PATH_LEN];
	json_t *dest, *route;

	if (!json_is_object(o))
		return fail(c, path, NULL, "must be an object");
	if (!check_keys(c, o, path, keys) ||
	    !get_id(c, o, path, "id", prog->id) ||
	    !get_string(c, o, path, "name", true, prog->name, sizeof(prog->name)) ||
	    !get_string(c, o, path, "source", true, prog->source, sizeof(prog->source)) ||
	    !get_date(c, o, path, "effective_from", false, &prog->effective_from) ||
	    !get_date(c, o, path, "effective_until", true, &prog->effective_until))
		return false;
	if (prog->effective_until != CT_DATE_NONE && prog->effective_until < prog->effective_from)
		return fail(c, path, "effective_until", "must not be before effective_from");
	if (!parse_products(c, o, path, prog))
		return false;

	join_key(dpath, path, "destinations");
	if (!get_array(c, o, path, "destinations", true, &dest) ||
	    !parse_countries(c, dest, dpath, true, &prog->destinations))
		return false;

	route = json_object_get(o, "route_from");
	prog->route_from[0] = '\0';
	if (route && !json_is_null(route)) {
		if (!json_is_string(route) || !ct_country_valid(json_string_value(route)))
			return fail(c, path, "route_from", "must be null or a country code of two "
				    "upper-case letters");
		memcpy(prog->route_from, json_string_value(route), 3);
	}

	return get_bool(c, o, path, "lab_certificate_required", &prog->lab_certificate_required) &&
	       parse_cap(c, o, path, prog) &&
	       parse_fee(c, o, path, prog);
}

static bool parse_programs(struct pctx *c, json_t *root, struct ct_policy *pol)
{
	char path[PATH_LEN];
	json_t *arr, *v;
	size_t i;

	if (!get_array(c, root, "", "programs", true, &arr))
		return false;
	if (json_array_size(arr) > CT_PROGRAMS_MAX)
		return fail(c, "programs", NULL, "more than %d programs (CT_PROGRAMS_MAX)",
			    CT_PROGRAMS_MAX);
	pol->n_programs = 0;
	json_array_foreach(arr, i, v) {
		struct ct_program *prog = &pol->programs[i];

		join_idx(path, "programs", i);
		if (!parse_program(c, v, path, prog))
			return false;
		for (size_t k = 0; k < i; k++)
			if (strcmp(pol->programs[k].id, prog->id) == 0)
				return fail(c, path, "id", "\"%s\" is also the id of programs[%zu]: "
					    "ids must be unique", prog->id, k);
		pol->n_programs++;
	}
	return true;
}

/* True if any value sits deeper than CT_JSON_DEPTH_MAX (the root is 1).
 * Checked after parsing: jansson bounds its own recursion, and this walk
 * stops as soon as it passes our limit. */
static bool too_deep(json_t *v, int depth)
{
	const char *key;
	json_t *child;
	size_t i;

	if (depth > CT_JSON_DEPTH_MAX)
		return true;
	if (json_is_object(v)) {
		json_object_foreach(v, key, child)
			if (too_deep(child, depth + 1))
				return true;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			if (too_deep(child, depth + 1))
				return true;
	}
	return false;
}

static bool parse_root(struct pctx *c, json_t *root, struct ct_policy *pol)
{
	static const char *const keys[] = {
		"format", "version", "title", "published", "eccn_3a090", "country_groups",
		"prohibited_end_uses", "license_validity_days", "programs", NULL
	};
	json_t *fmt;

	if (!json_is_object(root))
		return fail(c, "", NULL, "the document must be a JSON object");
	/* The format first: a document of another format would otherwise fail
	 * on some key with a misleading message. */
	fmt = json_object_get(root, "format");
	if (!fmt || !json_is_string(fmt) || strcmp(json_string_value(fmt), POLICY_FORMAT) != 0)
		return fail(c, "", "format", "%smust be \"" POLICY_FORMAT "\"",
			    fmt ? "" : "missing; ");
	return check_keys(c, root, "", keys) &&
	       get_id(c, root, "", "version", pol->version) &&
	       get_string(c, root, "", "title", true, pol->title, sizeof(pol->title)) &&
	       get_date(c, root, "", "published", false, &pol->published) &&
	       parse_eccn(c, root, pol) &&
	       parse_groups(c, root, pol) &&
	       parse_end_uses(c, root, pol) &&
	       get_int(c, root, "", "license_validity_days", 1, 3650,
		       &pol->license_validity_days) &&
	       parse_programs(c, root, pol);
}

enum ct_rc ct_policy_parse(const char *text, size_t len, struct ct_policy **out,
			   char *err, size_t errlen)
{
	struct pctx c = { err, errlen };
	struct ct_policy *pol = NULL;
	json_t *root = NULL;
	json_error_t jerr;
	enum ct_rc rc = CT_EINVAL;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (len > CT_POLICY_FILE_MAX) {
		fail(&c, "", NULL, "document of %zu bytes is larger than the limit of %u bytes "
		     "(CT_POLICY_FILE_MAX)", len, CT_POLICY_FILE_MAX);
		goto done;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fail(&c, "", NULL, "not valid JSON at line %d, column %d: %s", jerr.line,
		     jerr.column, jerr.text);
		goto done;
	}
	if (too_deep(root, 1)) {
		fail(&c, "", NULL, "nested deeper than %d levels (CT_JSON_DEPTH_MAX)",
		     CT_JSON_DEPTH_MAX);
		goto done;
	}
	pol = calloc(1, sizeof(*pol));
	if (!pol) {
		rc = CT_ENOMEM;
		fail(&c, "", NULL, "out of memory");
		goto done;
	}
	if (!parse_root(&c, root, pol))
		goto done;
	*out = pol;
	pol = NULL;
	rc = CT_OK;
done:
	free(pol);
	json_decref(root);
	return rc;
}

bool ct_country_set_has(const struct ct_country_set *s, const char *cc)
{
	if (!cc)
		return false;
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->cc[i], cc) == 0)
			return true;
	return false;
}

const struct ct_program *ct_policy_find_program(const struct ct_policy *p, const char *id)
{
	for (int i = 0; id && i < p->n_programs; i++)
		if (strcmp(p->programs[i].id, id) == 0)
			return &p->programs[i];
	return NULL;
}

bool ct_program_in_force(const struct ct_program *prog, ct_date d)
{
	if (d == CT_DATE_NONE || d < prog->effective_from)
		return false;
	return prog->effective_until == CT_DATE_NONE || d <= prog->effective_until;
}

bool ct_program_covers_product(const struct ct_program *prog, const struct ct_product *p,
			       const struct ct_classification *c)
{
	for (int i = 0; i < prog->n_named; i++)
		if (ct_ascii_casecmp(prog->named[i], p->model) == 0)
			return true;
	if (!prog->has_ceiling)
		return false;
	assert(c);
	/* An unknown bandwidth cannot be shown to be under the ceiling, so it
	 * is not covered: the vendor must supply the figure. */
	return c->tpp < prog->max_tpp && !isnan(p->bw_gbs) && p->bw_gbs < prog->max_bw_gbs;
}

bool ct_program_availability_ok(const struct ct_program *prog, const struct ct_product *p)
{
	if (prog->us_available_by == CT_DATE_NONE)
		return true;
	return p->us_available != CT_DATE_NONE && p->us_available <= prog->us_available_by;
}
