/* The JSON of each stored row. The same object is the response the CLI
 * and API print and the state the audit event records, so what a person
 * sees is exactly what the chain protects. */
#include <math.h>
#include <string.h>
#include "chiptoll/canon.h"
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

/* Parses writer text back into a tree for callers that want one. */
static json_t *parse_canon(struct ct_canon *w)
{
	json_t *o = w->oom ? NULL : json_loadb(w->buf, w->len, 0, NULL);
	ct_canon_free(w);
	return o;
}

static void write_date(struct ct_canon *w, ct_date d)
{
	if (d == CT_DATE_NONE) {
		ct_canon_null(w);
		return;
	}
	char buf[11];
	ct_date_format(d, buf);
	ct_canon_str(w, buf);
}

static void write_opt_str(struct ct_canon *w, const char *s)
{
	if (s && *s)
		ct_canon_str(w, s);
	else
		ct_canon_null(w);
}

static void write_csv_array(struct ct_canon *w, const char *csv)
{
	ct_canon_arr_begin(w);
	const char *p = csv;
	char item[CT_TEXT_MAX];
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		snprintf(item, sizeof item, "%.*s", (int)n, p);
		ct_canon_str(w, item);
		p = comma ? comma + 1 : NULL;
	}
	ct_canon_arr_end(w);
}

/* Keys in strcmp order, as ct_canon requires. */
void ct_snap_license_write(struct ct_canon *w, const struct ct_license_row *l,
			   const struct ct_license_extras *view)
{
	char uses[64];
	ct_end_uses_format(l->end_uses, uses);
	ct_canon_obj_begin(w);
	ct_canon_key(w, "created_at");
	ct_canon_str(w, l->created_at);
	ct_canon_key(w, "customer");
	ct_canon_str(w, l->customer);
	ct_canon_key(w, "destination");
	ct_canon_str(w, l->destination);
	ct_canon_key(w, "end_uses");
	write_csv_array(w, uses);
	if (view) {
		ct_canon_key(w, "expired");
		ct_canon_bool(w, view->expired);
	}
	ct_canon_key(w, "export_from");
	ct_canon_str(w, l->export_from);
	ct_canon_key(w, "from");
	write_date(w, l->valid_from);
	ct_canon_key(w, "id");
	ct_canon_int(w, l->id);
	ct_canon_key(w, "note");
	ct_canon_str(w, l->decision_note);
	ct_canon_key(w, "policy_version");
	ct_canon_str(w, l->policy_version);
	ct_canon_key(w, "product");
	ct_canon_str(w, l->product);
	ct_canon_key(w, "program");
	write_opt_str(w, l->program);
	ct_canon_key(w, "reasons");
	write_csv_array(w, l->reasons);
	ct_canon_key(w, "status");
	ct_canon_str(w, ct_license_status_name(l->status));
	ct_canon_key(w, "units_approved");
	ct_canon_int(w, l->units_approved);
	if (view) {
		ct_canon_key(w, "units_left");
		ct_canon_int(w, view->units_left);
	}
	ct_canon_key(w, "units_requested");
	ct_canon_int(w, l->units_requested);
	ct_canon_key(w, "units_shipped");
	ct_canon_int(w, l->units_shipped);
	ct_canon_key(w, "until");
	write_date(w, l->valid_until);
	ct_canon_key(w, "vendor");
	ct_canon_str(w, l->vendor);
	ct_canon_obj_end(w);
}

json_t *ct_snap_license(const struct ct_license_row *l)
{
	struct ct_canon w;
	ct_canon_init(&w);
	ct_snap_license_write(&w, l, NULL);
	return parse_canon(&w);
}

void ct_snap_certificate_write(struct ct_canon *w, const struct ct_certificate_row *r)
{
	ct_canon_obj_begin(w);
	ct_canon_key(w, "batch");
	ct_canon_str(w, r->batch);
	ct_canon_key(w, "created_at");
	ct_canon_str(w, r->created_at);
	ct_canon_key(w, "date");
	write_date(w, r->cert_date);
	ct_canon_key(w, "id");
	ct_canon_int(w, r->id);
	ct_canon_key(w, "lab");
	ct_canon_str(w, r->lab);
	ct_canon_key(w, "product");
	ct_canon_str(w, r->product);
	ct_canon_key(w, "units");
	ct_canon_int(w, r->units);
	ct_canon_key(w, "units_used");
	ct_canon_int(w, r->units_used);
	ct_canon_obj_end(w);
}

json_t *ct_snap_certificate(const struct ct_certificate_row *r)
{
	struct ct_canon w;
	ct_canon_init(&w);
	ct_snap_certificate_write(&w, r);
	return parse_canon(&w);
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

void ct_snap_shipment_write(struct ct_canon *w, const struct ct_shipment_row *sh,
			    const char *const *serials, size_t n_serials,
			    const struct ct_posting_row *postings, size_t n_postings)
{
	ct_canon_obj_begin(w);
	ct_canon_key(w, "batch");
	ct_canon_str(w, sh->batch);
	ct_canon_key(w, "booked_at");
	ct_canon_str(w, sh->booked_at);
	ct_canon_key(w, "certificate");
	if (sh->certificate_id > 0)
		ct_canon_int(w, sh->certificate_id);
	else
		ct_canon_null(w);
	ct_canon_key(w, "customer");
	ct_canon_str(w, sh->customer);
	ct_canon_key(w, "date");
	write_date(w, sh->ship_date);
	ct_canon_key(w, "destination");
	ct_canon_str(w, sh->destination);
	ct_canon_key(w, "fee_cents");
	ct_canon_int(w, sh->fee_cents);
	ct_canon_key(w, "id");
	ct_canon_int(w, sh->id);
	ct_canon_key(w, "key");
	write_opt_str(w, sh->idem_key);
	ct_canon_key(w, "license");
	ct_canon_int(w, sh->license_id);
	ct_canon_key(w, "policy_version");
	ct_canon_str(w, sh->policy_version);
	ct_canon_key(w, "postings");
	ct_canon_arr_begin(w);
	for (size_t i = 0; i < n_postings; i++) {
		ct_canon_obj_begin(w);
		ct_canon_key(w, "account");
		ct_canon_str(w, postings[i].account);
		ct_canon_key(w, "amount_cents");
		ct_canon_int(w, postings[i].amount_cents);
		ct_canon_obj_end(w);
	}
	ct_canon_arr_end(w);
	ct_canon_key(w, "product");
	ct_canon_str(w, sh->product);
	ct_canon_key(w, "program");
	ct_canon_str(w, sh->program);
	ct_canon_key(w, "rate_bp");
	ct_canon_int(w, sh->rate_bp);
	ct_canon_key(w, "request_hash");
	ct_canon_str(w, sh->request_hash);
	ct_canon_key(w, "serials");
	ct_canon_arr_begin(w);
	for (size_t i = 0; i < n_serials; i++)
		ct_canon_str(w, serials[i]);
	ct_canon_arr_end(w);
	ct_canon_key(w, "unit_value_cents");
	ct_canon_int(w, sh->unit_value_cents);
	ct_canon_key(w, "units");
	ct_canon_int(w, sh->units);
	ct_canon_key(w, "vendor");
	ct_canon_str(w, sh->vendor);
	ct_canon_obj_end(w);
}

/* Serials and postings of a stored shipment, read for verify and show. */
struct shipment_parts {
	char **serials;
	size_t n_serials, cap;
	struct ct_posting_row *postings;
	size_t n_postings, postings_cap;
};

static enum ct_rc add_serial(const char *serial, void *arg)
{
	struct shipment_parts *sp = arg;
	if (sp->n_serials == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 16;
		char **ns = realloc(sp->serials, cap * sizeof *ns);
		if (!ns)
			return CT_ENOMEM;
		sp->serials = ns;
		sp->cap = cap;
	}
	if (!(sp->serials[sp->n_serials] = strdup(serial)))
		return CT_ENOMEM;
	sp->n_serials++;
	return CT_OK;
}

static enum ct_rc add_posting(const struct ct_posting_row *p, void *arg)
{
	struct shipment_parts *sp = arg;
	if (sp->n_postings == sp->postings_cap) {
		size_t cap = sp->postings_cap ? sp->postings_cap * 2 : 4;
		struct ct_posting_row *np = realloc(sp->postings, cap * sizeof *np);
		if (!np)
			return CT_ENOMEM;
		sp->postings = np;
		sp->postings_cap = cap;
	}
	sp->postings[sp->n_postings++] = *p;
	return CT_OK;
}

enum ct_rc ct_snap_shipment(struct ct_ctx *c, const struct ct_shipment_row *sh, json_t **out)
{
	struct shipment_parts sp = {0};
	*out = NULL;
	enum ct_rc rc = ct_store_serial_each_of(c->store, sh->id, add_serial, &sp);
	if (rc == CT_OK)
		rc = ct_store_posting_each_of(c->store, "shipment", sh->id, add_posting, &sp);
	if (rc == CT_OK) {
		struct ct_canon w;
		ct_canon_init(&w);
		ct_snap_shipment_write(&w, sh, (const char *const *)sp.serials, sp.n_serials,
				       sp.postings, sp.n_postings);
		*out = parse_canon(&w);
		if (!*out)
			rc = CT_ENOMEM;
	}
	for (size_t i = 0; i < sp.n_serials; i++)
		free(sp.serials[i]);
	free(sp.serials);
	free(sp.postings);
	return rc;
}

static enum ct_rc add_posting_json(const struct ct_posting_row *p, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:I}", "account", p->account, "amount_cents",
					     (json_int_t)p->amount_cents));
	return CT_OK;
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
	enum ct_rc rc = ct_store_posting_each_of(c->store, "remittance", r->id, add_posting_json,
						 postings);
	if (rc != CT_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}
