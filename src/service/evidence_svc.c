/* The evidence a shipment relies on: lab certificates and US domestic
 * volumes (the denominator of the volume cap). */
#include <string.h>
#include "svc_internal.h"

static enum ct_rc cert_insert(struct ct_store *s, void *row)
{
	return ct_store_certificate_add(s, row);
}

static json_t *cert_state(const void *row, char key[static 96])
{
	const struct ct_certificate_row *r = row;
	snprintf(key, 96, "certificate/%lld", (long long)r->id);
	return ct_snap_certificate(r);
}

static enum ct_rc domestic_insert(struct ct_store *s, void *row)
{
	return ct_store_domestic_add(s, row);
}

static json_t *domestic_state(const void *row, char key[static 96])
{
	const struct ct_domestic_row *r = row;
	snprintf(key, 96, "domestic/%lld", (long long)r->id);
	return ct_snap_domestic(r);
}

enum ct_rc ct_svc_lab_certify(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"lab", "product", "batch", "units", "date", NULL};
	struct ct_certificate_row r = {0};
	struct ct_party lab;
	struct ct_product p;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "lab", true, r.lab, sizeof r.lab, err)) != CT_OK ||
	    (rc = ct_req_str(req, "product", true, r.product, sizeof r.product, err)) != CT_OK ||
	    (rc = ct_req_str(req, "batch", true, r.batch, sizeof r.batch, err)) != CT_OK ||
	    (rc = ct_req_int(req, "units", true, 1, CT_UNITS_MAX, 0, &r.units, err)) != CT_OK ||
	    (rc = ct_req_date(req, "date", false, ct_ctx_today(c), &r.cert_date, err)) != CT_OK ||
	    (rc = ct_party_load(c, r.lab, CT_ROLE_LAB, "lab", &lab, err)) != CT_OK ||
	    (rc = ct_product_load(c, r.product, NULL, &p, err)) != CT_OK)
		return rc;
	if (lab.status != CT_PARTY_APPROVED)
		return ct_err_set(err, CT_ECONFLICT, "lab",
				  "lab: %s is %s; only a qualified (approved) lab files certificates",
				  lab.id, ct_party_status_name(lab.status));
	snprintf(r.product, sizeof r.product, "%s", p.model);
	ct_ctx_timestamp(c, r.created_at);
	if ((rc = ct_write_audited(c, "lab.certify", cert_insert, cert_state, &r, err)) == CT_OK)
		*out = ct_snap_certificate(&r);
	return rc;
}

enum ct_rc ct_svc_domestic_record(struct ct_ctx *c, json_t *req, json_t **out,
				  struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "product", "units", "date", NULL};
	struct ct_domestic_row r = {0};
	struct ct_party vendor;
	struct ct_product p;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", true, r.vendor, sizeof r.vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "product", true, r.product, sizeof r.product, err)) != CT_OK ||
	    (rc = ct_req_int(req, "units", true, 1, CT_UNITS_MAX * 100LL, 0, &r.units, err)) != CT_OK ||
	    (rc = ct_req_date(req, "date", false, ct_ctx_today(c), &r.vol_date, err)) != CT_OK ||
	    (rc = ct_party_load(c, r.vendor, CT_ROLE_VENDOR, "vendor", &vendor, err)) != CT_OK ||
	    (rc = ct_product_load(c, r.product, vendor.id, &p, err)) != CT_OK)
		return rc;
	snprintf(r.product, sizeof r.product, "%s", p.model);
	ct_ctx_timestamp(c, r.created_at);
	if ((rc = ct_write_audited(c, "domestic.record", domestic_insert, domestic_state, &r,
				   err)) == CT_OK)
		*out = ct_snap_domestic(&r);
	return rc;
}

struct evidence_walk {
	const char *who, *product;
	json_t *items;
};

static enum ct_rc list_certificate(const struct ct_certificate_row *r, void *arg)
{
	struct evidence_walk *w = arg;
	if (!w->who[0] || strcmp(w->who, r->lab) == 0)
		json_array_append_new(w->items, ct_snap_certificate(r));
	return CT_OK;
}

enum ct_rc ct_svc_certificate_list(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err)
{
	static const char *const fields[] = {"lab", NULL};
	char lab[CT_ID_MAX];
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK || (rc = ct_req_str(req, "lab", false, lab, sizeof lab, err)) != CT_OK)
		return rc;
	struct evidence_walk w = {lab, "", json_array()};
	if ((rc = ct_store_certificate_each(c->store, list_certificate, &w)) != CT_OK) {
		json_decref(w.items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "certificates", w.items);
	return CT_OK;
}

static enum ct_rc list_domestic(const struct ct_domestic_row *r, void *arg)
{
	struct evidence_walk *w = arg;
	if ((!w->who[0] || strcmp(w->who, r->vendor) == 0) &&
	    (!w->product[0] || strcmp(w->product, r->product) == 0))
		json_array_append_new(w->items, ct_snap_domestic(r));
	return CT_OK;
}

enum ct_rc ct_svc_domestic_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "product", NULL};
	char vendor[CT_ID_MAX], product[CT_ID_MAX];
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", false, vendor, sizeof vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "product", false, product, sizeof product, err)) != CT_OK)
		return rc;
	struct evidence_walk w = {vendor, product, json_array()};
	if ((rc = ct_store_domestic_each(c->store, list_domestic, &w)) != CT_OK) {
		json_decref(w.items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "domestic_volumes", w.items);
	return CT_OK;
}
