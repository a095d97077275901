/* The JSON of each stored row. The same object is the response the CLI
 * and API print and the state the audit event records, so what a person
 * sees is exactly what the chain protects. */
#include <math.h>
#include <string.h>
#include "chiptoll/money.h"
#include "svc_internal.h"

json_t *ct_json_date(ct_date d)
{
	if (d == CT_DATE_NONE)
		return json_null();
	char buf[11];
	ct_date_format(d, buf);
	return json_string(buf);
}

json_t *ct_json_opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *ct_json_money(int64_t cents)
{
	char buf[32];
	ct_money_format(cents, buf);
	return json_string(buf);
}

static json_t *opt_number(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *end_uses_array(unsigned uses)
{
	json_t *a = json_array();
	static const unsigned bits[] = {CT_USE_TRAINING, CT_USE_INFERENCE, CT_USE_RESEARCH,
					CT_USE_CLOUD, CT_USE_MILITARY};
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		if (!(uses & bits[i]))
			continue;
		char buf[64];
		ct_end_uses_format(bits[i], buf);
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

json_t *ct_snap_product(const struct ct_product *p)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "model", p->model, "name", p->name,
			      "vendor", p->vendor);
	for (int i = 0; i < CT_PREC_COUNT; i++)
		json_object_set_new(o, ct_precision_name(i), opt_number(p->rate[i]));
	json_object_set_new(o, "bw_gbs", opt_number(p->bw_gbs));
	json_object_set_new(o, "mem_gb", opt_number(p->mem_gb));
	json_object_set_new(o, "die_mm2", opt_number(p->die_mm2));
	json_object_set_new(o, "datacenter", json_boolean(p->datacenter));
	json_object_set_new(o, "us_available", ct_json_date(p->us_available));
	json_object_set_new(o, "source", json_string(p->source));
	return o;
}

json_t *ct_snap_party(const struct ct_party *p)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", p->id, "role",
			      ct_role_name(p->role), "name", p->name, "country", p->country,
			      "hq_country", p->hq_country, "status",
			      ct_party_status_name(p->status));
	json_object_set_new(o, "name_zh", ct_json_opt_str(p->name_zh));
	json_object_set_new(o, "parent", ct_json_opt_str(p->parent));
	json_object_set_new(o, "end_uses", end_uses_array(p->end_uses));
	json_object_set_new(o, "status_reason", ct_json_opt_str(p->status_reason));
	return o;
}

static json_t *reasons_array(const char *csv)
{
	json_t *a = json_array();
	const char *p = csv;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, n));
		p = comma ? comma + 1 : NULL;
	}
	return a;
}

json_t *ct_snap_license(const struct ct_license_row *l)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}",
			      "id", (json_int_t)l->id, "vendor", l->vendor, "customer",
			      l->customer, "product", l->product, "policy_version",
			      l->policy_version, "units_requested", (json_int_t)l->units_requested,
			      "units_approved", (json_int_t)l->units_approved, "units_shipped",
			      (json_int_t)l->units_shipped, "export_from", l->export_from,
			      "destination", l->destination, "status",
			      ct_license_status_name(l->status), "note", l->decision_note,
			      "created_at", l->created_at);
	json_object_set_new(o, "program", ct_json_opt_str(l->program));
	json_object_set_new(o, "end_uses", end_uses_array(l->end_uses));
	json_object_set_new(o, "from", ct_json_date(l->valid_from));
	json_object_set_new(o, "until", ct_json_date(l->valid_until));
	json_object_set_new(o, "reasons", reasons_array(l->reasons));
	return o;
}

json_t *ct_snap_certificate(const struct ct_certificate_row *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)r->id,
			      "lab", r->lab, "product", r->product, "batch", r->batch, "units",
			      (json_int_t)r->units, "units_used", (json_int_t)r->units_used,
			      "created_at", r->created_at);
	json_object_set_new(o, "date", ct_json_date(r->cert_date));
	return o;
}

json_t *ct_snap_domestic(const struct ct_domestic_row *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->id, "vendor",
			      r->vendor, "product", r->product, "units", (json_int_t)r->units,
			      "created_at", r->created_at);
	json_object_set_new(o, "date", ct_json_date(r->vol_date));
	return o;
}

json_t *ct_snap_suspension(const struct ct_suspension_row *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "scope",
			      r->scope, "reason", r->reason, "created_at", r->created_at,
			      "created_by", r->created_by);
	json_object_set_new(o, "resumed_at", ct_json_opt_str(r->resumed_at));
	json_object_set_new(o, "resumed_by", ct_json_opt_str(r->resumed_by));
	json_object_set_new(o, "active", json_boolean(!r->resumed_at[0]));
	return o;
}

json_t *ct_snap_policy(const char *version, const char *document)
{
	char digest[65];
	ct_hash_hex(document, strlen(document), digest);
	return json_pack("{s:s, s:s}", "version", version, "document_blake2b", digest);
}

static json_t *posting_json(const struct ct_posting_row *p)
{
	return json_pack("{s:s, s:I}", "account", p->account, "amount_cents",
			 (json_int_t)p->amount_cents);
}

json_t *ct_snap_shipment_of(const struct ct_shipment_row *sh, const char *const *serials,
			    size_t n_serials, const struct ct_posting_row *postings,
			    size_t n_postings)
{
	json_t *o = json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:s, s:s}",
		"id", (json_int_t)sh->id, "license", (json_int_t)sh->license_id, "vendor",
		sh->vendor, "customer", sh->customer, "product", sh->product, "program",
		sh->program, "policy_version", sh->policy_version, "destination", sh->destination,
		"units", (json_int_t)sh->units, "unit_value_cents", (json_int_t)sh->unit_value_cents,
		"fee_cents", (json_int_t)sh->fee_cents, "rate_bp", (int)sh->rate_bp, "batch",
		sh->batch, "request_hash", sh->request_hash, "booked_at", sh->booked_at);
	json_object_set_new(o, "date", ct_json_date(sh->ship_date));
	json_object_set_new(o, "key", ct_json_opt_str(sh->idem_key));
	json_object_set_new(o, "certificate",
			    sh->certificate_id > 0 ? json_integer(sh->certificate_id) : json_null());
	json_t *sa = json_array(), *pa = json_array();
	for (size_t i = 0; i < n_serials; i++)
		json_array_append_new(sa, json_string(serials[i]));
	for (size_t i = 0; i < n_postings; i++)
		json_array_append_new(pa, posting_json(&postings[i]));
	json_object_set_new(o, "serials", sa);
	json_object_set_new(o, "postings", pa);
	return o;
}

static enum ct_rc add_serial(const char *serial, void *arg)
{
	json_array_append_new(arg, json_string(serial));
	return CT_OK;
}

static enum ct_rc add_posting(const struct ct_posting_row *p, void *arg)
{
	json_array_append_new(arg, posting_json(p));
	return CT_OK;
}

enum ct_rc ct_snap_shipment(struct ct_ctx *c, const struct ct_shipment_row *sh, json_t **out)
{
	json_t *o = ct_snap_shipment_of(sh, NULL, 0, NULL, 0);
	json_t *serials = json_object_get(o, "serials"), *postings = json_object_get(o, "postings");
	enum ct_rc rc = ct_store_serial_each_of(c->store, sh->id, add_serial, serials);
	if (rc == CT_OK)
		rc = ct_store_posting_each_of(c->store, "shipment", sh->id, add_posting, postings);
	if (rc != CT_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

enum ct_rc ct_snap_remittance(struct ct_ctx *c, const struct ct_remittance_row *r, json_t **out)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			      "vendor", r->vendor, "amount_cents", (json_int_t)r->amount_cents,
			      "ref", r->ref, "request_hash", r->request_hash, "created_at",
			      r->created_at);
	json_object_set_new(o, "key", ct_json_opt_str(r->idem_key));
	json_object_set_new(o, "date", ct_json_date(r->remit_date));
	json_t *postings = json_array();
	json_object_set_new(o, "postings", postings);
	enum ct_rc rc = ct_store_posting_each_of(c->store, "remittance", r->id, add_posting,
						 postings);
	if (rc != CT_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}
