/* The API's routes: each maps a request onto one service call, with the
 * role check and the rule that another party's rows answer 404. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "api.h"

#define R (1u << CT_AR_REGULATOR)
#define A (1u << CT_AR_AUDITOR)
#define V (1u << CT_AR_VENDOR)
#define C (1u << CT_AR_CUSTOMER)
#define L (1u << CT_AR_LAB)
#define ANY (R | A | V | C | L)

static const char *party_of(const struct api_call *call)
{
	return call->who->party;
}

static bool is_role(const struct api_call *call, enum ct_access_role r)
{
	return call->who->role == r;
}

static void not_found(struct api_call *call, const char *what)
{
	char detail[160];
	snprintf(detail, sizeof detail, "no %s %s", what, call->param ? call->param : "");
	api_problem(call, 404, NULL, detail);
}

static bool parse_id(const char *s, int64_t *id)
{
	char *end = NULL;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	*id = strtoll(s, &end, 10);
	return *id > 0;
}

/* Sets field to the caller's own party for vendor/customer/lab tokens,
 * so a list shows only their rows whatever the query asked. */
static void force_own(struct api_call *call, enum ct_access_role role, const char *field)
{
	if (is_role(call, role))
		json_object_set_new(call->req, field, json_string(party_of(call)));
}

/* A write naming another party's id as its own: 403, the role may act
 * only for itself. */
static bool acts_for_self(struct api_call *call, enum ct_access_role role, const char *field)
{
	if (!is_role(call, role))
		return true;
	const char *v = json_string_value(json_object_get(call->req, field));
	if (v && strcmp(v, party_of(call)) == 0)
		return true;
	if (!v) {
		json_object_set_new(call->req, field, json_string(party_of(call)));
		return true;
	}
	char detail[200];
	snprintf(detail, sizeof detail, "a %s token acts only for %s", ct_access_role_name(role),
		 party_of(call));
	api_problem(call, 403, NULL, detail);
	return false;
}

/* Refuses a body field the route does not know, as the services do. */
static bool only_fields(struct api_call *call, const char *const *fields)
{
	const char *k;
	json_t *v;
	json_object_foreach(call->req, k, v) {
		bool ok = false;
		for (const char *const *f = fields; *f && !ok; f++)
			ok = strcmp(*f, k) == 0;
		if (!ok) {
			char detail[160];
			snprintf(detail, sizeof detail, "%.64s: unknown field", k);
			api_problem(call, 400, NULL, detail);
			return false;
		}
	}
	return true;
}

/* ---- health, policy ---- */

static void h_healthz(struct api_call *call)
{
	call->status = 200;
	call->resp = json_pack("{s:s}", "status", "ok");
}

static void h_policy_show(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_policy_show(call->ctx, &out, &err), &out, &err, 200);
}

/* ---- products ---- */

static bool sees_product(struct api_call *call, const char *model, struct ct_product *p)
{
	if (ct_svc_product_get(call->ctx, model, p) != CT_OK ||
	    !ct_access_sees(call->who, p->vendor, NULL, NULL)) {
		char detail[160];
		snprintf(detail, sizeof detail, "no product %s", model);
		api_problem(call, 404, NULL, detail);
		return false;
	}
	return true;
}

static void h_products_list(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_product_list(call->ctx, &out, &err);
	if (rc == CT_OK && is_role(call, CT_AR_VENDOR)) {
		json_t *mine = json_array(), *p;
		size_t i;
		json_array_foreach(json_object_get(out, "products"), i, p)
			if (strcmp(json_string_value(json_object_get(p, "vendor")), party_of(call)) == 0)
				json_array_append(mine, p);
		json_object_set_new(out, "products", mine);
	}
	api_result(call, rc, &out, &err, 200);
}

static void h_product_show(struct api_call *call)
{
	struct ct_product p;
	if (!sees_product(call, call->param, &p))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_product_show(call->ctx, p.model, &out, &err), &out, &err, 200);
}

static void h_product_classification(struct api_call *call)
{
	struct ct_product p;
	if (!sees_product(call, call->param, &p))
		return;
	json_object_set_new(call->req, "model", json_string(p.model));
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_product_classify(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_product_classify(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_product_classify(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_product_compare(struct api_call *call)
{
	struct ct_product pa, pb;
	const char *a = json_string_value(json_object_get(call->req, "a"));
	const char *b = json_string_value(json_object_get(call->req, "b"));
	if (!a || !b) {
		api_problem(call, 400, NULL, "a and b: give two products, ?a=H200&b=H20");
		return;
	}
	if (!sees_product(call, a, &pa) || !sees_product(call, b, &pb))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_product_compare(call->ctx, pa.model, pb.model, &out, &err), &out,
		   &err, 200);
}

static void h_product_add(struct api_call *call)
{
	if (!acts_for_self(call, CT_AR_VENDOR, "vendor"))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_product_add(call->ctx, call->req, &out, &err), &out, &err, 201);
}

/* ---- parties ---- */

static void h_parties_list(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	const char *role = json_string_value(json_object_get(call->req, "role"));
	api_result(call, ct_svc_party_list(call->ctx, role, &out, &err), &out, &err, 200);
}

static void h_party_show(struct api_call *call)
{
	bool own = strcmp(call->param, party_of(call)) == 0;
	if (!is_role(call, CT_AR_REGULATOR) && !is_role(call, CT_AR_AUDITOR) && !own) {
		not_found(call, "party");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_party_show(call->ctx, call->param, &out, &err), &out, &err, 200);
}

static void h_party_add(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_party_add(call->ctx, call->req, &out, &err), &out, &err, 201);
}

static void h_party_act(struct api_call *call)
{
	static const char *const actions[] = {"approve", "reinstate", "suspend", "revoke", NULL};
	bool known = false;
	for (const char *const *a = actions; *a; a++)
		known = known || strcmp(*a, call->action) == 0;
	if (!known) {
		api_problem(call, 404, NULL, "parties have no such action");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	const char *reason = json_string_value(json_object_get(call->req, "reason"));
	api_result(call, ct_svc_party_act(call->ctx, call->param, call->action, reason, &out, &err),
		   &out, &err, 200);
}

/* ---- licenses ---- */

static bool sees_license(struct api_call *call, const char *id_text, struct ct_license_row *l)
{
	int64_t id;
	if (!parse_id(id_text, &id) || ct_svc_license_get(call->ctx, id, l) != CT_OK ||
	    !ct_access_sees(call->who, l->vendor, l->customer, NULL)) {
		char detail[160];
		snprintf(detail, sizeof detail, "no license %s", id_text ? id_text : "");
		api_problem(call, 404, NULL, detail);
		return false;
	}
	return true;
}

static void h_licenses_list(struct api_call *call)
{
	force_own(call, CT_AR_VENDOR, "vendor");
	force_own(call, CT_AR_CUSTOMER, "customer");
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_license_list(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_license_show(struct api_call *call)
{
	struct ct_license_row l;
	if (!sees_license(call, call->param, &l))
		return;
	/* The row the visibility check read is the one to show, written
	 * straight to text: the hottest read of the API. */
	call->resp_text = ct_svc_license_view_text(call->ctx, &l);
	if (!call->resp_text) {
		api_problem(call, 500, NULL, "out of memory");
		return;
	}
	call->status = 200;
}

static void h_license_apply(struct api_call *call)
{
	if (!acts_for_self(call, CT_AR_VENDOR, "vendor"))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_license_apply(call->ctx, call->req, &out, &err), &out, &err, 201);
}

static void h_license_act(struct api_call *call)
{
	static const char *const actions[] = {"approve", "deny", "suspend", "revoke", "reinstate",
					      NULL};
	bool known = false;
	int64_t id;
	for (const char *const *a = actions; *a; a++)
		known = known || strcmp(*a, call->action) == 0;
	if (!known || !parse_id(call->param, &id)) {
		api_problem(call, 404, NULL, "no such license or action");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_license_act(call->ctx, id, call->action, call->req, &out, &err),
		   &out, &err, 200);
}

/* ---- certificates and domestic volumes ---- */

static void h_certificates_list(struct api_call *call)
{
	force_own(call, CT_AR_LAB, "lab");
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_certificate_list(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_certificate_add(struct api_call *call)
{
	if (!acts_for_self(call, CT_AR_LAB, "lab"))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_lab_certify(call->ctx, call->req, &out, &err), &out, &err, 201);
}

static void h_domestic_list(struct api_call *call)
{
	force_own(call, CT_AR_VENDOR, "vendor");
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_domestic_list(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_domestic_add(struct api_call *call)
{
	if (!acts_for_self(call, CT_AR_VENDOR, "vendor"))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_domestic_record(call->ctx, call->req, &out, &err), &out, &err, 201);
}

/* ---- shipments ---- */

/* Is the request's license one the caller may book on? Vendors book on
 * their own licenses only; another's is "not found" for them. */
static bool may_book(struct api_call *call, json_t *req)
{
	if (!is_role(call, CT_AR_VENDOR))
		return true;
	json_t *lic = json_object_get(req, "license");
	struct ct_license_row l;
	int64_t id = 0;
	if (json_is_integer(lic))
		id = json_integer_value(lic);
	else if (json_is_string(lic))
		parse_id(json_string_value(lic), &id);
	if (id <= 0)
		return true; /* the service names the bad field */
	return ct_svc_license_get(call->ctx, id, &l) == CT_OK &&
	       strcmp(l.vendor, party_of(call)) == 0;
}

static void h_ship(struct api_call *call)
{
	if (!may_book(call, call->req)) {
		api_problem(call, 404, NULL, "no such license");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_ship(call->ctx, call->req, &out, &err);
	if (rc == CT_OK || rc == CT_REJECTED)
		api_metrics_booking(out);
	api_result(call, rc, &out, &err, 201);
}

static void h_ship_batch(struct api_call *call)
{
	json_t *lines = json_object_get(call->req, "shipments");
	if (!json_is_array(lines) || json_object_size(call->req) != 1) {
		api_problem(call, 400, NULL, "shipments: the body must be {\"shipments\": [...]}");
		return;
	}
	size_t n = json_array_size(lines);
	if (n == 0 || n > call->opt->max_batch) {
		char detail[120];
		snprintf(detail, sizeof detail, "shipments: a batch holds 1 to %zu shipments",
			 call->opt->max_batch);
		api_problem(call, n ? 413 : 400, NULL, detail);
		return;
	}
	json_t **reqs = calloc(n, sizeof *reqs), **results = calloc(n, sizeof *results);
	size_t *slot = calloc(n, sizeof *slot);
	json_t *all = json_array();
	size_t m = 0;
	if (!reqs || !results || !slot)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		json_t *line = json_array_get(lines, i);
		if (!json_is_object(line)) {
			json_array_append_new(all, json_pack("{s:s, s:s}", "error",
							     "each shipment must be an object", "code",
							     "bad_input"));
			continue;
		}
		if (!may_book(call, line)) {
			json_array_append_new(all, json_pack("{s:s, s:s}", "error", "no such license",
							     "code", "not_found"));
			continue;
		}
		json_array_append_new(all, json_null());
		slot[m] = i;
		reqs[m++] = line;
	}
	struct ct_err err = {0};
	enum ct_rc rc = m ? ct_svc_ship_batch(call->ctx, reqs, m, results, &err) : CT_OK;
	if (rc != CT_OK) {
		json_decref(all);
		api_result(call, rc, NULL, &err, 200);
		goto done;
	}
	for (size_t j = 0; j < m; j++) {
		api_metrics_booking(results[j]);
		json_array_set_new(all, slot[j], results[j]);
	}
	/* The summary of `chiptoll import shipments`, plus each line's result. */
	json_int_t accepted = 0;
	json_t *rejected = json_object(), *errors = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r) {
		if (json_object_get(r, "shipment")) {
			accepted++;
		} else if (json_object_get(r, "rejected")) {
			const char *code = json_string_value(json_object_get(r, "reason"));
			json_t *k = json_object_get(rejected, code);
			json_object_set_new(rejected, code,
					    json_integer(k ? json_integer_value(k) + 1 : 1));
		} else {
			json_array_append_new(errors, json_pack("{s:I, s:O}", "line", (json_int_t)i + 1,
								"message", json_object_get(r, "error")));
		}
	}
	call->status = 200;
	call->resp = json_pack("{s:I, s:o, s:o, s:I, s:o}", "accepted", accepted, "rejected",
			       rejected, "errors", errors, "lines", (json_int_t)n, "results", all);
	goto done;
oom:
	json_decref(all);
	api_problem(call, 500, NULL, "out of memory");
done:
	free(reqs);
	free(results);
	free(slot);
}

static void h_shipments_list(struct api_call *call)
{
	force_own(call, CT_AR_VENDOR, "vendor");
	force_own(call, CT_AR_CUSTOMER, "customer");
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_shipment_list(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_shipment_show(struct api_call *call)
{
	int64_t id;
	struct ct_shipment_row sh;
	if (!parse_id(call->param, &id) || ct_svc_shipment_get(call->ctx, id, &sh) != CT_OK ||
	    !ct_access_sees(call->who, sh.vendor, sh.customer, NULL)) {
		not_found(call, "shipment");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_shipment_show(call->ctx, id, &out, &err), &out, &err, 200);
}

/* ---- ledger ---- */

static void h_ledger_balances(struct api_call *call)
{
	force_own(call, CT_AR_VENDOR, "vendor");
	json_t *out = NULL;
	struct ct_err err = {0};
	const char *vendor = json_string_value(json_object_get(call->req, "vendor"));
	api_result(call, ct_svc_ledger_balance(call->ctx, vendor, &out, &err), &out, &err, 200);
}

static void h_ledger_statement(struct api_call *call)
{
	force_own(call, CT_AR_VENDOR, "vendor");
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_ledger_statement(call->ctx, call->req, &out, &err), &out, &err, 200);
}

static void h_remit(struct api_call *call)
{
	if (!acts_for_self(call, CT_AR_VENDOR, "vendor"))
		return;
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_ledger_remit(call->ctx, call->req, &out, &err), &out, &err, 201);
}

/* ---- suspensions, reports, audit ---- */

static void h_suspensions_list(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_suspension_list(call->ctx, &out, &err), &out, &err, 200);
}

static void h_suspend(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	static const char *const fields[] = {"scope", "reason", NULL};
	if (!only_fields(call, fields))
		return;
	api_result(call, ct_svc_suspend(call->ctx,
					json_string_value(json_object_get(call->req, "scope")),
					json_string_value(json_object_get(call->req, "reason")),
					&out, &err), &out, &err, 201);
}

static void h_suspension_act(struct api_call *call)
{
	int64_t id;
	if (strcmp(call->action, "resume") != 0 || !parse_id(call->param, &id)) {
		api_problem(call, 404, NULL, "no such suspension or action");
		return;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_resume(call->ctx, id, &out, &err), &out, &err, 200);
}

static void h_report(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_report(call->ctx, call->param, &out, &err);
	if (rc == CT_EINVAL) {
		not_found(call, "report");
		return;
	}
	api_result(call, rc, &out, &err, 200);
}

static void h_audit_log(struct api_call *call)
{
	json_t *out = NULL, *l = json_object_get(call->req, "limit");
	struct ct_err err = {0};
	int64_t limit = 100;
	if (l && !parse_id(json_string_value(l), &limit)) {
		api_problem(call, 400, NULL, "limit: must be a positive whole number");
		return;
	}
	api_result(call, ct_svc_audit_log(call->ctx, limit, &out, &err), &out, &err, 200);
}

static void h_audit_verify(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	const char *anchor = json_string_value(json_object_get(call->req, "anchor"));
	enum ct_rc rc = ct_svc_audit_verify_anchor(call->ctx, anchor, &out, &err);
	/* A broken chain is a finding, not a failed request. */
	if (rc == CT_REJECTED)
		rc = CT_OK;
	api_result(call, rc, &out, &err, 200);
}

static void h_audit_head(struct api_call *call)
{
	json_t *out = NULL;
	struct ct_err err = {0};
	api_result(call, ct_svc_audit_head(call->ctx, &out, &err), &out, &err, 200);
}

const struct route ct_api_routes[] = {
	{"GET", "/healthz", ROUTE_OPEN, 0, h_healthz, false, false},
	{"GET", "/metrics", ROUTE_OPEN, 0, NULL, false, false},
	{"GET", "/v1/policy", ROUTE_READ, ANY, h_policy_show, false, true},
	{"GET", "/v1/products", ROUTE_READ, R | A | V, h_products_list, false, true},
	{"POST", "/v1/products", ROUTE_WRITE, R | V, h_product_add, false, false},
	{"GET", "/v1/products/compare", ROUTE_READ, R | A | V, h_product_compare, false, true},
	{"POST", "/v1/products/classify", ROUTE_READ, R | A | V, h_product_classify, false, true},
	{"GET", "/v1/products/{id}", ROUTE_READ, R | A | V, h_product_show, false, true},
	{"GET", "/v1/products/{id}/classification", ROUTE_READ, R | A | V,
	 h_product_classification, false, true},
	{"GET", "/v1/parties", ROUTE_READ, R | A, h_parties_list, false, false},
	{"POST", "/v1/parties", ROUTE_WRITE, R, h_party_add, false, false},
	{"GET", "/v1/parties/{id}", ROUTE_READ, ANY, h_party_show, false, false},
	{"POST", "/v1/parties/{id}/{action}", ROUTE_WRITE, R, h_party_act, false, false},
	{"GET", "/v1/licenses", ROUTE_READ, R | A | V | C, h_licenses_list, false, false},
	{"POST", "/v1/licenses", ROUTE_WRITE, R | V, h_license_apply, false, false},
	{"GET", "/v1/licenses/{id}", ROUTE_READ, R | A | V | C, h_license_show, false, false},
	{"POST", "/v1/licenses/{id}/{action}", ROUTE_WRITE, R, h_license_act, false, false},
	{"GET", "/v1/certificates", ROUTE_READ, R | A | L, h_certificates_list, false, false},
	{"POST", "/v1/certificates", ROUTE_WRITE, R | L, h_certificate_add, false, false},
	{"GET", "/v1/domestic-volumes", ROUTE_READ, R | A | V, h_domestic_list, false, false},
	{"POST", "/v1/domestic-volumes", ROUTE_WRITE, R | V, h_domestic_add, false, false},
	{"GET", "/v1/shipments", ROUTE_READ, R | A | V | C, h_shipments_list, false, false},
	{"POST", "/v1/shipments", ROUTE_WRITE, R | V, h_ship, true, false},
	{"POST", "/v1/shipments/batch", ROUTE_WRITE, R | V, h_ship_batch, false, false},
	{"GET", "/v1/shipments/{id}", ROUTE_READ, R | A | V | C, h_shipment_show, false, false},
	{"GET", "/v1/ledger/balances", ROUTE_READ, R | A | V, h_ledger_balances, false, false},
	{"GET", "/v1/ledger/statement", ROUTE_READ, R | A | V, h_ledger_statement, false, false},
	{"POST", "/v1/ledger/remittances", ROUTE_WRITE, R | V, h_remit, true, false},
	{"GET", "/v1/suspensions", ROUTE_READ, R | A, h_suspensions_list, false, false},
	{"POST", "/v1/suspensions", ROUTE_WRITE, R, h_suspend, false, false},
	{"POST", "/v1/suspensions/{id}/{action}", ROUTE_WRITE, R, h_suspension_act, false, false},
	{"GET", "/v1/reports/{id}", ROUTE_READ, R | A, h_report, false, true},
	{"GET", "/v1/audit", ROUTE_READ, R | A, h_audit_log, false, false},
	{"GET", "/v1/audit/verify", ROUTE_READ, R | A, h_audit_verify, false, false},
	{"GET", "/v1/audit/head", ROUTE_READ, R | A, h_audit_head, false, false},
	{NULL, NULL, 0, 0, NULL, false, false},
};

/* Segment by segment: a literal must match, {id} and {action} capture. */
static bool match_pattern(const char *pattern, const char *path, char param[static 128],
			  char action[static 32])
{
	const char *p = pattern, *u = path;
	param[0] = action[0] = '\0';
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), ul = ue ? (size_t)(ue - u) : strlen(u);
		if (ul == 0)
			return false;
		if (pl == 4 && strncmp(p, "{id}", 4) == 0) {
			if (ul >= 128)
				return false;
			memcpy(param, u, ul);
			param[ul] = '\0';
		} else if (pl == 8 && strncmp(p, "{action}", 8) == 0) {
			if (ul >= 32)
				return false;
			memcpy(action, u, ul);
			action[ul] = '\0';
		} else if (pl != ul || strncmp(p, u, ul) != 0) {
			return false;
		}
		p += pl;
		u += ul;
	}
	return !*p && !*u;
}

const struct route *ct_api_match(const char *method, const char *path,
				 char param[static 128], char action[static 32], bool *path_known)
{
	*path_known = false;
	for (const struct route *r = ct_api_routes; r->method; r++) {
		if (!match_pattern(r->pattern, path, param, action))
			continue;
		*path_known = true;
		if (strcmp(r->method, method) == 0)
			return r;
	}
	return NULL;
}
