/* Booking export shipments: every rule in force on the shipment's date,
 * then the shipment, its serials, the fee postings and the audit event in
 * one transaction, or a rejection with its reason (audited too). */
#include <stdlib.h>
#include <string.h>
#include "chiptoll/money.h"
#include "svc_internal.h"

struct ship_req {
	int64_t license_id, units, unit_value_cents;
	char batch[CT_ID_MAX];
	ct_date date;
	char key[CT_KEY_MAX];
	const char **serials;      /* point into the request JSON */
	size_t n_serials;
	bool serials_given;
	char request_hash[65];
};

static bool serial_ok(const char *s, size_t len)
{
	if (len == 0 || len >= CT_SERIAL_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("-_./:", s[i])))
			return false;
	return true;
}

static enum ct_rc parse_request(struct ct_ctx *c, json_t *req, struct ship_req *r,
				struct ct_err *err)
{
	static const char *const fields[] = {"license", "units", "unit_value", "batch", "date",
					     "key", "serials", NULL};
	memset(r, 0, sizeof *r);
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_int(req, "license", true, 1, INT64_MAX / 2, 0, &r->license_id, err)) != CT_OK ||
	    (rc = ct_req_int(req, "units", true, 1, CT_UNITS_MAX, 0, &r->units, err)) != CT_OK ||
	    (rc = ct_req_usd(req, "unit_value", true, &r->unit_value_cents, err)) != CT_OK ||
	    (rc = ct_req_str(req, "batch", true, r->batch, sizeof r->batch, err)) != CT_OK ||
	    (rc = ct_req_date(req, "date", false, ct_ctx_today(c), &r->date, err)) != CT_OK ||
	    (rc = ct_req_str(req, "key", false, r->key, sizeof r->key, err)) != CT_OK)
		return rc;
	json_t *serials = json_object_get(req, "serials");
	if (serials && !json_is_null(serials)) {
		if (!json_is_array(serials))
			return ct_err_set(err, CT_EINVAL, "serials", "serials: must be a list of strings");
		size_t n = json_array_size(serials);
		if (n > CT_SERIALS_MAX)
			return ct_err_set(err, CT_EINVAL, "serials", "serials: more than %d",
					  CT_SERIALS_MAX);
		r->serials_given = true;
		r->n_serials = n;
		r->serials = malloc((n ? n : 1) * sizeof *r->serials);
		if (!r->serials)
			return ct_err_set(err, CT_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < n; i++) {
			json_t *s = json_array_get(serials, i);
			if (!json_is_string(s) || !serial_ok(json_string_value(s), json_string_length(s))) {
				free(r->serials);
				r->serials = NULL;
				return ct_err_set(err, CT_EINVAL, "serials",
						  "serials[%zu]: must be 1 to %d letters, digits or "
						  "-_./: characters", i, CT_SERIAL_MAX - 1);
			}
			r->serials[i] = json_string_value(s);
		}
	}
	/* The request's identity for idempotency: what was asked, as asked
	 * (a defaulted date is left out so a retry tomorrow still matches). */
	struct ct_canon w;
	json_t *date = json_object_get(req, "date");
	ct_canon_init(&w);
	ct_canon_obj_begin(&w);
	ct_canon_key(&w, "batch");
	ct_canon_str(&w, r->batch);
	ct_canon_key(&w, "date");
	if (json_is_string(date))
		ct_canon_str(&w, json_string_value(date));
	else
		ct_canon_null(&w);
	ct_canon_key(&w, "license");
	ct_canon_int(&w, r->license_id);
	ct_canon_key(&w, "serials");
	if (r->serials_given) {
		ct_canon_arr_begin(&w);
		for (size_t i = 0; i < r->n_serials; i++)
			ct_canon_str(&w, r->serials[i]);
		ct_canon_arr_end(&w);
	} else {
		ct_canon_null(&w);
	}
	ct_canon_key(&w, "unit_value_cents");
	ct_canon_int(&w, r->unit_value_cents);
	ct_canon_key(&w, "units");
	ct_canon_int(&w, r->units);
	ct_canon_obj_end(&w);
	if (w.oom) {
		ct_canon_free(&w);
		free(r->serials);
		r->serials = NULL;
		return ct_err_set(err, CT_ENOMEM, NULL, "out of memory");
	}
	ct_hash_hex(w.buf, w.len, r->request_hash);
	ct_canon_free(&w);
	return CT_OK;
}

static json_t *booked_json(const struct ct_shipment_row *sh, bool replayed)
{
	char fee[32];
	ct_money_format(sh->fee_cents, fee);
	return json_pack("{s:I, s:I, s:I, s:s, s:i, s:s, s:b}", "shipment", (json_int_t)sh->id,
			 "units", (json_int_t)sh->units, "fee_cents", (json_int_t)sh->fee_cents,
			 "fee", fee, "rate_bp", (int)sh->rate_bp, "program", sh->program,
			 "replayed", replayed);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct gathered {
	struct ct_shipment_facts f;
	struct ct_license_row lic;
	const struct ct_program *prog;
	struct ct_certificate_row cert;
	int64_t domestic;
	char detail[CT_TEXT_MAX];
};

/* Collects every fact the booking rules judge. Serials are sorted in
 * place (the stored order) and checked for repeats and earlier shipments. */
static enum ct_rc gather(struct ct_ctx *c, struct ship_req *r, struct gathered *g,
			 struct ct_err *err)
{
	struct ct_shipment_facts *f = &g->f;
	memset(g, 0, sizeof *g);
	f->ship_date = r->date;
	f->units = r->units;
	f->serials_given = r->serials_given;
	f->n_serials = (int64_t)r->n_serials;
	enum ct_rc rc = ct_store_license_get(c->store, r->license_id, &g->lic);
	if (rc == CT_ENOTFOUND)
		return CT_OK;
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	const struct ct_license_row *l = &g->lic;
	f->license_found = true;
	f->license_status = l->status;
	f->valid_from = l->valid_from;
	f->valid_until = l->valid_until;
	f->license_units = l->units_approved;
	f->license_units_shipped = l->units_shipped;
	g->prog = ct_policy_find_program(c->policy, l->program);

	if ((rc = ct_suspension_covers(c, l->vendor, l->customer, l->product, l->program,
				       &f->suspended, err)) != CT_OK)
		return rc;
	struct ct_party customer;
	if ((rc = ct_store_party_get(c->store, l->customer, &customer)) != CT_OK)
		return ct_err_store(c, err, rc);
	f->customer_status = customer.status;

	struct ct_product p;
	if ((rc = ct_store_product_get(c->store, l->product, &p)) != CT_OK)
		return ct_err_store(c, err, rc);
	struct ct_classification cls;
	ct_classify(&p, &c->policy->eccn, &cls);
	f->product_eligible = g->prog && ct_program_in_force(g->prog, r->date) &&
			      ct_program_covers_product(g->prog, &p, &cls) &&
			      ct_program_availability_ok(g->prog, &p);
	if (!g->prog)
		return CT_OK;

	f->lab_cert_required = g->prog->lab_certificate_required;
	if (f->lab_cert_required) {
		rc = ct_store_certificate_find_usable(c->store, l->product, r->batch, r->date,
						      r->units, &g->cert);
		if (rc != CT_OK && rc != CT_ENOTFOUND)
			return ct_err_store(c, err, rc);
		f->lab_cert_available = rc == CT_OK;
	}
	f->cap_applies = g->prog->has_cap;
	if (f->cap_applies) {
		if ((rc = ct_store_domestic_units(c->store, l->product, r->date, &g->domestic)) != CT_OK ||
		    (rc = ct_store_exported_units(c->store, l->product, g->prog->id,
						  &f->exported_units)) != CT_OK)
			return ct_err_store(c, err, rc);
		f->cap_units = ct_cap_units(g->domestic, g->prog->cap_ratio_bp);
	}
	if (r->n_serials > 1)
		qsort(r->serials, r->n_serials, sizeof *r->serials, cmp_str);
	for (size_t i = 0; i < r->n_serials && !f->serial_duplicate; i++) {
		int64_t other = 0;
		if (i > 0 && strcmp(r->serials[i], r->serials[i - 1]) == 0) {
			f->serial_duplicate = true;
			snprintf(g->detail, sizeof g->detail, "Serial %s appears twice in this shipment.",
				 r->serials[i]);
			break;
		}
		rc = ct_store_serial_find(c->store, r->serials[i], &other);
		if (rc == CT_OK) {
			f->serial_duplicate = true;
			snprintf(g->detail, sizeof g->detail, "Serial %s was shipped in shipment %lld.",
				 r->serials[i], (long long)other);
		} else if (rc != CT_ENOTFOUND) {
			return ct_err_store(c, err, rc);
		}
	}
	return CT_OK;
}

/* A sentence with the numbers behind a rejection, where numbers help. */
static void explain(const struct gathered *g, enum ct_reason reason, char *buf, size_t size)
{
	const struct ct_shipment_facts *f = &g->f;
	switch (reason) {
	case CT_REASON_LICENSE_UNITS_EXCEEDED:
		snprintf(buf, size, "License %lld has %lld of %lld units left; this shipment has %lld.",
			 (long long)g->lic.id, (long long)(f->license_units - f->license_units_shipped),
			 (long long)f->license_units, (long long)f->units);
		break;
	case CT_REASON_VOLUME_CAP_EXCEEDED:
		snprintf(buf, size, "%lld units already exported plus %lld exceed the cap of %lld "
			 "(%d.%02d%% of %lld US domestic units).", (long long)f->exported_units,
			 (long long)f->units, (long long)f->cap_units, g->prog->cap_ratio_bp / 100,
			 g->prog->cap_ratio_bp % 100, (long long)g->domestic);
		break;
	case CT_REASON_SERIAL_COUNT_MISMATCH:
		snprintf(buf, size, "%lld serials for %lld units.", (long long)f->n_serials,
			 (long long)f->units);
		break;
	case CT_REASON_SERIAL_ALREADY_SHIPPED:
		snprintf(buf, size, "%s", g->detail);
		break;
	case CT_REASON_LICENSE_EXPIRED: {
		char from[11], until[11], day[11];
		ct_date_format(f->valid_from, from);
		ct_date_format(f->valid_until, until);
		ct_date_format(f->ship_date, day);
		snprintf(buf, size, "Shipment date %s is outside the license's validity %s to %s.",
			 day, from, until[0] ? until : "(open)");
		break;
	}
	default:
		buf[0] = '\0';
	}
}

static enum ct_rc reject(struct ct_ctx *c, json_t *req, const struct gathered *g,
			 enum ct_reason reason, json_t **out, struct ct_err *err)
{
	char detail[CT_TEXT_MAX];
	explain(g, reason, detail, sizeof detail);
	ct_err_reject(err, reason, detail);
	json_t *payload = json_pack("{s:O, s:s, s:s}", "request", req, "reason",
				    ct_reason_name(reason), "message", err->message);
	enum ct_rc rc = ct_audit_append(c, "shipment.reject", payload, err);
	if (rc != CT_OK)
		return rc;
	ct_err_reject(err, reason, detail);
	*out = json_pack("{s:b, s:s, s:s}", "rejected", 1, "reason", ct_reason_name(reason),
			 "message", err->message);
	return CT_REJECTED;
}

/* The government's receivable goes up, the vendor's payable by the same
 * amount: the two postings sum to zero. */
static enum ct_rc post_fee(struct ct_ctx *c, const struct ct_shipment_row *sh,
			   struct ct_posting_row postings[static 2], struct ct_err *err)
{
	struct ct_posting_row *debit = &postings[0], *credit = &postings[1];
	*debit = (struct ct_posting_row){.ref_id = sh->id, .amount_cents = sh->fee_cents,
					 .post_date = sh->ship_date};
	snprintf(debit->ref_kind, sizeof debit->ref_kind, "shipment");
	snprintf(debit->vendor, sizeof debit->vendor, "%s", sh->vendor);
	*credit = *debit;
	credit->amount_cents = -sh->fee_cents;
	snprintf(debit->account, sizeof debit->account, CT_ACCOUNT_RECEIVABLE);
	snprintf(credit->account, sizeof credit->account, CT_ACCOUNT_PAYABLE);
	enum ct_rc rc = ct_store_posting_add(c->store, debit);
	if (rc == CT_OK)
		rc = ct_store_posting_add(c->store, credit);
	return rc == CT_OK ? CT_OK : ct_err_store(c, err, rc);
}

static enum ct_rc book(struct ct_ctx *c, struct ship_req *r, struct gathered *g, json_t **out,
		       struct ct_err *err)
{
	struct ct_license_row *l = &g->lic;
	struct ct_shipment_row sh = {.license_id = l->id, .units = r->units,
				     .unit_value_cents = r->unit_value_cents,
				     .rate_bp = g->prog->rate_bp, .ship_date = r->date};
	snprintf(sh.vendor, sizeof sh.vendor, "%s", l->vendor);
	snprintf(sh.customer, sizeof sh.customer, "%s", l->customer);
	snprintf(sh.product, sizeof sh.product, "%s", l->product);
	snprintf(sh.program, sizeof sh.program, "%s", g->prog->id);
	snprintf(sh.policy_version, sizeof sh.policy_version, "%s", c->policy_version);
	snprintf(sh.destination, sizeof sh.destination, "%s", l->destination);
	snprintf(sh.batch, sizeof sh.batch, "%s", r->batch);
	snprintf(sh.idem_key, sizeof sh.idem_key, "%s", r->key);
	memcpy(sh.request_hash, r->request_hash, sizeof sh.request_hash);
	sh.fee_cents = ct_fee_cents(r->units, r->unit_value_cents, g->prog->rate_bp);
	sh.certificate_id = g->f.lab_cert_required ? g->cert.id : 0;
	ct_ctx_timestamp(c, sh.booked_at);

	enum ct_rc rc = ct_store_shipment_add(c->store, &sh);
	for (size_t i = 0; rc == CT_OK && i < r->n_serials; i++)
		rc = ct_store_serial_add(c->store, r->serials[i], sh.id);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	l->units_shipped += r->units;
	if ((rc = ct_store_license_update(c->store, l)) != CT_OK)
		return ct_err_store(c, err, rc);
	if (sh.certificate_id) {
		g->cert.units_used += r->units;
		rc = ct_store_certificate_set_used(c->store, g->cert.id, g->cert.units_used);
		if (rc != CT_OK)
			return ct_err_store(c, err, rc);
	}
	struct ct_posting_row postings[2];
	if ((rc = post_fee(c, &sh, postings, err)) != CT_OK)
		return rc;

	/* The event records the three rows the booking wrote. gather()
	 * sorted the serials: the order the store returns them in. */
	char ship_key[48], lic_key[48], cert_key[48];
	snprintf(ship_key, sizeof ship_key, "shipment/%lld", (long long)sh.id);
	snprintf(lic_key, sizeof lic_key, "license/%lld", (long long)l->id);
	snprintf(cert_key, sizeof cert_key, "certificate/%lld", (long long)g->cert.id);
	struct ct_canon w;
	ct_canon_init(&w);
	ct_canon_obj_begin(&w);
	ct_canon_key(&w, "states");
	ct_canon_obj_begin(&w);
	if (sh.certificate_id) {
		ct_canon_key(&w, cert_key);
		ct_snap_certificate_write(&w, &g->cert);
	}
	ct_canon_key(&w, lic_key);
	ct_snap_license_write(&w, l, NULL);
	ct_canon_key(&w, ship_key);
	ct_snap_shipment_write(&w, &sh, r->serials, r->n_serials, postings, 2);
	ct_canon_obj_end(&w);
	ct_canon_obj_end(&w);
	rc = w.oom ? ct_err_set(err, CT_ENOMEM, NULL, "out of memory")
		   : ct_audit_append_text(c, "shipment.book", w.buf, err);
	ct_canon_free(&w);
	if (rc != CT_OK)
		return rc;
	*out = booked_json(&sh, false);
	return CT_OK;
}

/* One booking inside an open transaction. */
static enum ct_rc ship_in_tx(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	struct ship_req r;
	struct gathered g;
	*out = NULL;
	enum ct_rc rc = parse_request(c, req, &r, err);
	if (rc != CT_OK)
		return rc;
	if (r.key[0]) {
		/* Keys are the vendor's own; a license that does not exist has
		 * no vendor and no booking to replay. */
		struct ct_shipment_row prior;
		struct ct_license_row lic;
		rc = ct_store_license_get(c->store, r.license_id, &lic);
		if (rc == CT_OK)
			rc = ct_store_shipment_find_key(c->store, lic.vendor, r.key, &prior);
		if (rc == CT_OK) {
			if (strcmp(prior.request_hash, r.request_hash) == 0) {
				*out = booked_json(&prior, true);
			} else {
				ct_err_reject(err, CT_REASON_IDEMPOTENCY_CONFLICT, NULL);
				snprintf(err->message, sizeof err->message,
					 "key %s was used by shipment %lld with different content: "
					 "use a new key for a new shipment", r.key, (long long)prior.id);
				rc = CT_ECONFLICT;
			}
			goto done;
		}
		if (rc != CT_ENOTFOUND) {
			rc = ct_err_store(c, err, rc);
			goto done;
		}
	}
	if ((rc = gather(c, &r, &g, err)) != CT_OK)
		goto done;
	enum ct_reason reason = ct_decide_shipment(&g.f);
	rc = reason != CT_REASON_NONE ? reject(c, req, &g, reason, out, err)
				      : book(c, &r, &g, out, err);
	/* Past the checks, every failure happened mid-write: it is the
	 * store's, whatever the store called it, and must undo the whole
	 * transaction (see batch_fails). */
	if (rc != CT_OK && rc != CT_REJECTED && rc != CT_ENOMEM)
		rc = CT_EIO;
done:
	free(r.serials);
	return rc;
}

enum ct_rc ct_svc_ship(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	*out = NULL;
	enum ct_rc rc = ct_tx_begin(c, err);
	if (rc != CT_OK)
		return rc;
	rc = ship_in_tx(c, req, out, err);
	if (rc == CT_OK || rc == CT_REJECTED) {
		struct ct_err cerr;
		enum ct_rc crc = ct_tx_commit(c, &cerr);
		if (crc != CT_OK) {
			json_decref(*out);
			*out = NULL;
			*err = cerr;
			return crc;
		}
		return rc;
	}
	ct_tx_rollback(c);
	return rc;
}

/* In a batch, a line that fails before writing (bad input, key reused)
 * is reported on its own; ship_in_tx writes only once every check has
 * passed, and any failure from then on is the store's, which fails the
 * whole batch. So no line needs a savepoint of its own. */
static bool batch_fails(enum ct_rc rc)
{
	return rc != CT_OK && rc != CT_REJECTED && rc != CT_EINVAL && rc != CT_ECONFLICT &&
	       rc != CT_ENOTFOUND;
}

enum ct_rc ct_svc_ship_batch(struct ct_ctx *c, json_t *const *reqs, size_t n, json_t **results,
			     struct ct_err *err)
{
	for (size_t j = 0; j < n; j++)
		results[j] = NULL;
	enum ct_rc rc = ct_tx_begin(c, err);
	if (rc != CT_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct ct_err e = {0};
		rc = ship_in_tx(c, reqs[i], &results[i], &e);
		if (batch_fails(rc)) {
			*err = e;
			goto fail;
		}
		if (rc != CT_OK && rc != CT_REJECTED)
			results[i] = json_pack("{s:s, s:s, s:s}", "error", e.message, "field", e.field,
					       "code", rc == CT_ECONFLICT && e.reason ?
					       ct_reason_name(e.reason) : ct_rc_name(rc));
	}
	if ((rc = ct_tx_commit(c, err)) == CT_OK)
		return CT_OK;
fail:
	ct_tx_rollback(c);
	for (size_t j = 0; j < n; j++) {
		json_decref(results[j]);
		results[j] = NULL;
	}
	return rc;
}

enum ct_rc ct_svc_shipment_show(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err)
{
	struct ct_shipment_row sh;
	*out = NULL;
	enum ct_rc rc = ct_store_shipment_get(c->store, id, &sh);
	if (rc == CT_OK)
		rc = ct_snap_shipment(c, &sh, out);
	return rc == CT_OK ? CT_OK : ct_err_store(c, err, rc);
}

static enum ct_rc list_shipment(const struct ct_shipment_row *sh, void *arg)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:s}", "id",
			      (json_int_t)sh->id, "license", (json_int_t)sh->license_id, "vendor",
			      sh->vendor, "customer", sh->customer, "product", sh->product,
			      "program", sh->program, "units", (json_int_t)sh->units,
			      "unit_value_cents", (json_int_t)sh->unit_value_cents, "fee_cents",
			      (json_int_t)sh->fee_cents, "rate_bp", (int)sh->rate_bp, "batch",
			      sh->batch, "booked_at", sh->booked_at);
	json_object_set_new(o, "date", ct_json_date(sh->ship_date));
	json_object_set_new(o, "key", ct_json_opt_str(sh->idem_key));
	json_array_append_new(arg, o);
	return CT_OK;
}

enum ct_rc ct_svc_shipment_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"license", "vendor", "customer", "limit", "offset",
					     NULL};
	char vendor[CT_ID_MAX], customer[CT_ID_MAX];
	struct ct_shipment_filter f = {0};
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_int(req, "license", false, 1, INT64_MAX / 2, 0, &f.license_id, err)) != CT_OK ||
	    (rc = ct_req_str(req, "vendor", false, vendor, sizeof vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "customer", false, customer, sizeof customer, err)) != CT_OK ||
	    (rc = ct_req_int(req, "limit", false, 1, CT_LIST_LIMIT_MAX, 100, &f.limit, err)) != CT_OK ||
	    (rc = ct_req_int(req, "offset", false, 0, INT64_MAX / 2, 0, &f.offset, err)) != CT_OK)
		return rc;
	f.vendor = vendor[0] ? vendor : NULL;
	f.customer = customer[0] ? customer : NULL;
	json_t *items = json_array();
	if ((rc = ct_store_shipment_list(c->store, &f, list_shipment, items)) != CT_OK) {
		json_decref(items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "shipments", items);
	return CT_OK;
}
