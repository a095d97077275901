/* Reading and validating request fields. Every external value passes
 * through here, so each limit and each message exists once. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chiptoll/money.h"
#include "svc_internal.h"

enum ct_rc ct_err_set(struct ct_err *err, enum ct_rc rc, const char *field, const char *fmt, ...)
{
	err->reason = CT_REASON_NONE;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return rc;
}

enum ct_rc ct_err_store(struct ct_ctx *c, struct ct_err *err, enum ct_rc rc)
{
	return ct_err_set(err, rc, NULL, "%s", ct_store_errmsg(c->store));
}

enum ct_rc ct_err_reject(struct ct_err *err, enum ct_reason r, const char *detail)
{
	err->reason = r;
	err->field[0] = '\0';
	if (detail && *detail)
		snprintf(err->message, sizeof err->message, "%s %s", ct_reason_text(r), detail);
	else
		snprintf(err->message, sizeof err->message, "%s", ct_reason_text(r));
	return CT_REJECTED;
}

static json_t *field_value(json_t *req, const char *field)
{
	json_t *v = req ? json_object_get(req, field) : NULL;
	return json_is_null(v) ? NULL : v;
}

static enum ct_rc missing(const char *field, struct ct_err *err)
{
	return ct_err_set(err, CT_EINVAL, field, "%s: required", field);
}

enum ct_rc ct_req_str(json_t *req, const char *field, bool required, char *buf, size_t size,
		      struct ct_err *err)
{
	json_t *v = field_value(req, field);
	if (!v) {
		if (required)
			return missing(field, err);
		buf[0] = '\0';
		return CT_OK;
	}
	if (!json_is_string(v))
		return ct_err_set(err, CT_EINVAL, field, "%s: must be a string", field);
	size_t len = json_string_length(v);
	const char *s = json_string_value(v);
	if (len >= size)
		return ct_err_set(err, CT_EINVAL, field, "%s: longer than %zu bytes", field,
				  size - 1);
	if (memchr(s, '\0', len))
		return ct_err_set(err, CT_EINVAL, field, "%s: contains a NUL byte", field);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20)
			return ct_err_set(err, CT_EINVAL, field,
					  "%s: contains a control character", field);
	if (required && len == 0)
		return ct_err_set(err, CT_EINVAL, field, "%s: must not be empty", field);
	memcpy(buf, s, len + 1);
	return CT_OK;
}

/* Strict decimal integer: optional '-', digits only, no overflow. */
static bool parse_int(const char *s, int64_t *out)
{
	if (!*s)
		return false;
	const char *p = s + (*s == '-');
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

enum ct_rc ct_req_int(json_t *req, const char *field, bool required, int64_t min, int64_t max,
		      int64_t dflt, int64_t *out, struct ct_err *err)
{
	json_t *v = field_value(req, field);
	if (!v) {
		if (required)
			return missing(field, err);
		*out = dflt;
		return CT_OK;
	}
	int64_t n = 0;
	bool ok = false;
	if (json_is_integer(v)) {
		n = json_integer_value(v);
		ok = true;
	} else if (json_is_string(v)) {
		ok = parse_int(json_string_value(v), &n);
	}
	if (!ok || n < min || n > max)
		return ct_err_set(err, CT_EINVAL, field,
				  "%s: must be a whole number from %lld to %lld", field,
				  (long long)min, (long long)max);
	*out = n;
	return CT_OK;
}

enum ct_rc ct_req_date(json_t *req, const char *field, bool required, ct_date dflt,
		       ct_date *out, struct ct_err *err)
{
	json_t *v = field_value(req, field);
	if (!v) {
		if (required)
			return missing(field, err);
		*out = dflt;
		return CT_OK;
	}
	if (!json_is_string(v) || !ct_date_parse(json_string_value(v), out))
		return ct_err_set(err, CT_EINVAL, field,
				  "%s: must be a calendar date YYYY-MM-DD", field);
	return CT_OK;
}

enum ct_rc ct_req_usd(json_t *req, const char *field, bool required, int64_t *cents,
		      struct ct_err *err)
{
	json_t *v = field_value(req, field);
	if (!v) {
		if (required)
			return missing(field, err);
		*cents = 0;
		return CT_OK;
	}
	char text[64];
	if (json_is_string(v)) {
		snprintf(text, sizeof text, "%s", json_string_value(v));
		if (json_string_length(v) >= sizeof text)
			return ct_err_set(err, CT_EINVAL, field, "%s: too long for an amount", field);
	} else if (json_is_integer(v)) {
		snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		/* A JSON real has lost its text; accept it only when it is a
		 * whole number of cents, and say so otherwise. */
		double d = json_real_value(v);
		double c = round(d * 100.0);
		if (!isfinite(d) || fabs(d * 100.0 - c) > 1e-6 || fabs(d) > 1e12)
			return ct_err_set(err, CT_EINVAL, field,
					  "%s: must have at most two decimals; send it as a "
					  "string such as \"27000.00\"", field);
		snprintf(text, sizeof text, "%.2f", d);
	} else {
		return ct_err_set(err, CT_EINVAL, field, "%s: must be a USD amount", field);
	}
	const char *why = NULL;
	if (!ct_money_parse_usd(text, cents, &why))
		return ct_err_set(err, CT_EINVAL, field, "%s: '%s': %s", field, text, why);
	return CT_OK;
}

enum ct_rc ct_req_country(json_t *req, const char *field, bool required, const char *dflt,
			  char out[static 3], struct ct_err *err)
{
	char buf[CT_ID_MAX];
	enum ct_rc rc = ct_req_str(req, field, required, buf, sizeof buf, err);
	if (rc != CT_OK)
		return rc;
	if (!buf[0]) {
		snprintf(out, 3, "%s", dflt ? dflt : "");
		return CT_OK;
	}
	if (!ct_country_valid(buf))
		return ct_err_set(err, CT_EINVAL, field,
				  "%s: '%s' is not a two-letter upper-case ISO country code such "
				  "as CN", field, buf);
	memcpy(out, buf, 3);
	return CT_OK;
}

enum ct_rc ct_req_end_uses(json_t *req, const char *field, bool required, unsigned *out,
			   struct ct_err *err)
{
	json_t *v = field_value(req, field);
	*out = 0;
	if (!v)
		return required ? missing(field, err) : CT_OK;
	char bad[CT_ID_MAX];
	if (json_is_string(v)) {
		if (json_string_length(v) > CT_TEXT_MAX)
			return ct_err_set(err, CT_EINVAL, field, "%s: too long", field);
		if (!ct_end_uses_parse(json_string_value(v), out, bad))
			goto unknown;
		return CT_OK;
	}
	if (json_is_array(v) && json_array_size(v) > 0) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			unsigned bit;
			if (!json_is_string(item) || !ct_end_use_parse_one(json_string_value(item), &bit)) {
				snprintf(bad, sizeof bad, "%.40s",
					 json_is_string(item) ? json_string_value(item) : "(not a string)");
				goto unknown;
			}
			*out |= bit;
		}
		return CT_OK;
	}
	return ct_err_set(err, CT_EINVAL, field,
			  "%s: must list end uses, e.g. \"training,inference\"", field);
unknown:
	return ct_err_set(err, CT_EINVAL, field,
			  "%s: '%s' is not an end use (training, inference, research, cloud, "
			  "military)", field, bad);
}

enum ct_rc ct_req_rate(json_t *req, const char *field, double *out, struct ct_err *err)
{
	json_t *v = field_value(req, field);
	*out = NAN;
	if (!v)
		return CT_OK;
	double d = NAN;
	if (json_is_number(v)) {
		d = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end = NULL;
		errno = 0;
		/* digits and one point only: no hex, exponents, inf or nan */
		if (!*s || strspn(s, "0123456789.") != strlen(s))
			goto bad;
		d = strtod(s, &end);
		if (errno || *end)
			goto bad;
	} else {
		goto bad;
	}
	if (!(d > 0) || d > CT_RATE_MAX)
		goto bad;
	*out = d;
	return CT_OK;
bad:
	return ct_err_set(err, CT_EINVAL, field, "%s: must be a positive number up to %.0f",
			  field, CT_RATE_MAX);
}

enum ct_rc ct_req_only(json_t *req, const char *const *fields, struct ct_err *err)
{
	if (!req)
		return CT_OK;
	if (!json_is_object(req))
		return ct_err_set(err, CT_EINVAL, NULL, "the request must be a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach(req, key, v) {
		bool known = false;
		for (const char *const *f = fields; *f && !known; f++)
			known = strcmp(*f, key) == 0;
		if (!known)
			return ct_err_set(err, CT_EINVAL, key, "%s: unknown field", key);
	}
	return CT_OK;
}
