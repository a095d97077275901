/* Licenses: application with the automatic checks, then a regulator's
 * decision and later actions. */
#include <string.h>
#include "svc_internal.h"

static void reasons_csv(const struct ct_decision *d, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; i < d->n_reasons; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i ? "," : "", ct_reason_name(d->reasons[i]));
	}
}

static enum ct_rc license_insert(struct ct_store *s, void *row) { return ct_store_license_add(s, row); }
static enum ct_rc license_update(struct ct_store *s, void *row) { return ct_store_license_update(s, row); }

static json_t *license_state(const void *row, char key[static 96])
{
	const struct ct_license_row *l = row;
	snprintf(key, 96, "license/%lld", (long long)l->id);
	return ct_snap_license(l);
}

enum ct_rc ct_svc_license_apply(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "customer", "product", "units", "end_uses",
					     "from", "until", "export_from", NULL};
	struct ct_license_row l = {0};
	struct ct_party vendor, customer, parent;
	struct ct_product product;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", true, l.vendor, sizeof l.vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "customer", true, l.customer, sizeof l.customer, err)) != CT_OK ||
	    (rc = ct_req_str(req, "product", true, l.product, sizeof l.product, err)) != CT_OK ||
	    (rc = ct_req_int(req, "units", true, 1, CT_UNITS_MAX, 0, &l.units_requested, err)) != CT_OK ||
	    (rc = ct_req_end_uses(req, "end_uses", true, &l.end_uses, err)) != CT_OK ||
	    (rc = ct_req_date(req, "from", false, ct_ctx_today(c), &l.valid_from, err)) != CT_OK ||
	    (rc = ct_req_date(req, "until", false,
			      l.valid_from + c->policy->license_validity_days - 1, &l.valid_until,
			      err)) != CT_OK ||
	    (rc = ct_req_country(req, "export_from", false, "US", l.export_from, err)) != CT_OK)
		return rc;
	if (l.valid_until < l.valid_from)
		return ct_err_set(err, CT_EINVAL, "until", "until: must not be before from");
	if ((rc = ct_party_load(c, l.vendor, CT_ROLE_VENDOR, "vendor", &vendor, err)) != CT_OK ||
	    (rc = ct_party_load(c, l.customer, CT_ROLE_CUSTOMER, "customer", &customer, err)) != CT_OK ||
	    (rc = ct_product_load(c, l.product, vendor.id, &product, err)) != CT_OK)
		return rc;
	snprintf(l.product, sizeof l.product, "%s", product.model);
	/* The rule looks at the ultimate parent: climb to the top of the
	 * chain (parents are set when a party is added, so there is no
	 * cycle; the bound is a guard). */
	const char *parent_hq = "";
	for (int depth = 0; depth < 32 && (depth ? parent.parent : customer.parent)[0]; depth++) {
		char next[CT_ID_MAX];
		snprintf(next, sizeof next, "%s", depth ? parent.parent : customer.parent);
		rc = ct_store_party_get(c->store, next, &parent);
		if (rc != CT_OK)
			return ct_err_store(c, err, rc);
		parent_hq = parent.hq_country;
	}
	struct ct_classification cls;
	ct_classify(&product, &c->policy->eccn, &cls);
	struct ct_license_facts facts = {
		.policy = c->policy, .product = &product, .cls = &cls, .vendor = &vendor,
		.customer = &customer, .parent_hq_country = parent_hq, .end_uses = l.end_uses,
		.on = l.valid_from, .export_from = l.export_from,
	};
	struct ct_decision d;
	ct_decide_license(&facts, &d);
	snprintf(l.program, sizeof l.program, "%s", d.program ? d.program->id : "");
	snprintf(l.policy_version, sizeof l.policy_version, "%s", c->policy_version);
	snprintf(l.destination, sizeof l.destination, "%s", customer.country);
	l.status = d.n_reasons ? CT_LIC_DENIED : CT_LIC_PENDING;
	reasons_csv(&d, l.reasons, sizeof l.reasons);
	ct_ctx_timestamp(c, l.created_at);
	if ((rc = ct_write_audited(c, "license.apply", license_insert, license_state, &l, err)) !=
	    CT_OK)
		return rc;
	json_t *reasons = json_array(), *messages = json_array();
	for (int i = 0; i < d.n_reasons; i++) {
		json_array_append_new(reasons, json_string(ct_reason_name(d.reasons[i])));
		json_array_append_new(messages, json_string(ct_reason_text(d.reasons[i])));
	}
	*out = json_pack("{s:I, s:s, s:o, s:o, s:o}", "license", (json_int_t)l.id, "status",
			 ct_license_status_name(l.status), "program", ct_json_opt_str(l.program),
			 "reasons", reasons, "messages", messages);
	if (d.n_reasons) {
		ct_err_reject(err, d.reasons[0], NULL);
		snprintf(err->message, sizeof err->message, "license %lld denied: %s",
			 (long long)l.id, l.reasons);
		return CT_REJECTED;
	}
	return CT_OK;
}

struct license_transition {
	const char *action;
	enum ct_license_status to;
	unsigned from;          /* bit per ct_license_status */
	bool needs_reason;
};

#define FROM(s) (1u << (s))
static const struct license_transition transitions[] = {
	{"approve", CT_LIC_APPROVED, FROM(CT_LIC_PENDING), false},
	{"deny", CT_LIC_DENIED, FROM(CT_LIC_PENDING), true},
	{"suspend", CT_LIC_SUSPENDED, FROM(CT_LIC_APPROVED), true},
	{"revoke", CT_LIC_REVOKED, FROM(CT_LIC_PENDING) | FROM(CT_LIC_APPROVED) |
	 FROM(CT_LIC_SUSPENDED), true},
	{"reinstate", CT_LIC_APPROVED, FROM(CT_LIC_SUSPENDED), false},
};

enum ct_rc ct_svc_license_act(struct ct_ctx *c, int64_t id, const char *action, json_t *req,
			      json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"units", "reason", NULL};
	const struct license_transition *t = NULL;
	char reason[CT_TEXT_MAX];
	*out = NULL;
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
		if (strcmp(transitions[i].action, action) == 0)
			t = &transitions[i];
	if (!t)
		return ct_err_set(err, CT_EINVAL, NULL, "unknown license action %s", action);
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "reason", t->needs_reason, reason, sizeof reason, err)) != CT_OK)
		return rc;
	struct ct_license_row l;
	if ((rc = ct_store_license_get(c->store, id, &l)) != CT_OK)
		return ct_err_store(c, err, rc);
	if (!(t->from & FROM(l.status)))
		return ct_err_set(err, CT_ECONFLICT, NULL, "license %lld is %s: cannot %s it",
				  (long long)id, ct_license_status_name(l.status), action);
	if (t->to == CT_LIC_APPROVED && l.status == CT_LIC_PENDING) {
		rc = ct_req_int(req, "units", false, 1, l.units_requested, l.units_requested,
				&l.units_approved, err);
		if (rc != CT_OK)
			return rc;
	} else if (json_object_get(req, "units")) {
		return ct_err_set(err, CT_EINVAL, "units", "units: only an approval sets units");
	}
	l.status = t->to;
	snprintf(l.decision_note, sizeof l.decision_note, "%s", reason);
	char act[32];
	snprintf(act, sizeof act, "license.%s", action);
	if ((rc = ct_write_audited(c, act, license_update, license_state, &l, err)) != CT_OK)
		return rc;
	*out = ct_snap_license(&l);
	return CT_OK;
}

/* The stored license plus what a reader wants derived from it. */
char *ct_svc_license_view_text(const struct ct_ctx *c, const struct ct_license_row *l)
{
	struct ct_license_extras x = {
		.units_left = l->units_approved - l->units_shipped,
		.expired = l->valid_until != CT_DATE_NONE && ct_ctx_today(c) > l->valid_until,
	};
	struct ct_canon w;
	ct_canon_init(&w);
	ct_snap_license_write(&w, l, &x);
	if (w.oom) {
		ct_canon_free(&w);
		return NULL;
	}
	return w.buf; /* the writer's buffer, now the caller's */
}

json_t *ct_svc_license_view(const struct ct_ctx *c, const struct ct_license_row *l)
{
	char *text = ct_svc_license_view_text(c, l);
	json_t *o = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return o;
}

enum ct_rc ct_svc_license_show(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err)
{
	struct ct_license_row l;
	*out = NULL;
	enum ct_rc rc = ct_store_license_get(c->store, id, &l);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	*out = ct_svc_license_view(c, &l);
	return CT_OK;
}

struct list_walk {
	struct ct_ctx *c;
	json_t *items;
};

static enum ct_rc list_license(const struct ct_license_row *l, void *arg)
{
	struct list_walk *w = arg;
	json_array_append_new(w->items, ct_svc_license_view(w->c, l));
	return CT_OK;
}

enum ct_rc ct_svc_license_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "customer", "status", "limit", "offset", NULL};
	char vendor[CT_ID_MAX], customer[CT_ID_MAX], status[16];
	struct ct_license_filter f = {.status = -1};
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", false, vendor, sizeof vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "customer", false, customer, sizeof customer, err)) != CT_OK ||
	    (rc = ct_req_str(req, "status", false, status, sizeof status, err)) != CT_OK ||
	    (rc = ct_req_int(req, "limit", false, 1, CT_LIST_LIMIT_MAX, 0, &f.limit, err)) != CT_OK ||
	    (rc = ct_req_int(req, "offset", false, 0, INT64_MAX / 2, 0, &f.offset, err)) != CT_OK)
		return rc;
	if (status[0]) {
		enum ct_license_status s;
		if (!ct_license_status_parse(status, &s))
			return ct_err_set(err, CT_EINVAL, "status",
					  "status: must be pending, approved, denied, suspended, "
					  "revoked or expired");
		f.status = (int)s;
	}
	f.vendor = vendor[0] ? vendor : NULL;
	f.customer = customer[0] ? customer : NULL;
	struct list_walk w = {c, json_array()};
	rc = ct_store_license_each(c->store, &f, list_license, &w);
	if (rc != CT_OK) {
		json_decref(w.items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "licenses", w.items);
	return CT_OK;
}
