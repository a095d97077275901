/* The fee ledger: balances and statements derived from postings, and
 * remittances that settle what a vendor owes. */
#include <stdlib.h>
#include <string.h>
#include "chiptoll/money.h"
#include "svc_internal.h"

struct balance {
	int64_t accrued, remitted;
};

static enum ct_rc vendor_balance(struct ct_ctx *c, const char *vendor, struct balance *b,
				 struct ct_err *err)
{
	int64_t fees = 0, paid = 0;
	enum ct_rc rc = ct_store_posting_sum(c->store, vendor, CT_ACCOUNT_PAYABLE, "shipment", &fees);
	if (rc == CT_OK)
		rc = ct_store_posting_sum(c->store, vendor, CT_ACCOUNT_PAYABLE, "remittance", &paid);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	b->accrued = -fees;  /* fees are credits to the vendor's payable */
	b->remitted = paid;
	return CT_OK;
}

static json_t *balance_json(const char *vendor, const struct balance *b)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "vendor", vendor, "accrued_cents",
			      (json_int_t)b->accrued, "remitted_cents", (json_int_t)b->remitted,
			      "outstanding_cents", (json_int_t)(b->accrued - b->remitted));
	json_object_set_new(o, "accrued", ct_json_money(b->accrued));
	json_object_set_new(o, "remitted", ct_json_money(b->remitted));
	json_object_set_new(o, "outstanding", ct_json_money(b->accrued - b->remitted));
	return o;
}

struct balance_walk {
	struct ct_ctx *c;
	struct ct_err *err;
	json_t *rows;
	struct balance total;
};

static enum ct_rc balance_one(const struct ct_party *p, void *arg)
{
	struct balance_walk *w = arg;
	struct balance b;
	enum ct_rc rc = vendor_balance(w->c, p->id, &b, w->err);
	if (rc != CT_OK)
		return rc;
	w->total.accrued += b.accrued;
	w->total.remitted += b.remitted;
	json_array_append_new(w->rows, balance_json(p->id, &b));
	return CT_OK;
}

enum ct_rc ct_svc_ledger_balance(struct ct_ctx *c, const char *vendor, json_t **out,
				 struct ct_err *err)
{
	*out = NULL;
	if (vendor && *vendor) {
		struct ct_party p;
		struct balance b;
		enum ct_rc rc = ct_party_load(c, vendor, CT_ROLE_VENDOR, "vendor", &p, err);
		if (rc != CT_OK || (rc = vendor_balance(c, p.id, &b, err)) != CT_OK)
			return rc;
		*out = balance_json(p.id, &b);
		return CT_OK;
	}
	struct balance_walk w = {c, err, json_array(), {0, 0}};
	enum ct_rc rc = ct_store_party_each(c->store, CT_ROLE_VENDOR, balance_one, &w);
	if (rc != CT_OK) {
		json_decref(w.rows);
		return err->message[0] ? rc : ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o, s:o}", "vendors", w.rows, "total", balance_json("all", &w.total));
	return CT_OK;
}

struct statement_walk {
	json_t *rows;
	int64_t balance;
};

static enum ct_rc statement_line(const struct ct_posting_row *p, void *arg)
{
	struct statement_walk *w = arg;
	if (strcmp(p->account, CT_ACCOUNT_PAYABLE) != 0)
		return CT_OK;
	/* From the vendor's side: a fee raises what it owes, a remittance
	 * lowers it. */
	int64_t owed = -p->amount_cents;
	w->balance += owed;
	json_t *row = json_pack("{s:o, s:s, s:I, s:I, s:I}", "date", ct_json_date(p->post_date),
				"kind", strcmp(p->ref_kind, "shipment") == 0 ? "fee" : "remittance",
				"ref", (json_int_t)p->ref_id, "amount_cents", (json_int_t)owed,
				"balance_cents", (json_int_t)w->balance);
	json_object_set_new(row, "amount", ct_json_money(owed));
	json_object_set_new(row, "balance", ct_json_money(w->balance));
	json_array_append_new(w->rows, row);
	return CT_OK;
}

enum ct_rc ct_svc_ledger_statement(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "from", "until", NULL};
	char vendor[CT_ID_MAX];
	ct_date from, until;
	struct ct_party p;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", true, vendor, sizeof vendor, err)) != CT_OK ||
	    (rc = ct_req_date(req, "from", false, CT_DATE_NONE, &from, err)) != CT_OK ||
	    (rc = ct_req_date(req, "until", false, CT_DATE_NONE, &until, err)) != CT_OK ||
	    (rc = ct_party_load(c, vendor, CT_ROLE_VENDOR, "vendor", &p, err)) != CT_OK)
		return rc;
	struct statement_walk w = {json_array(), 0};
	/* Opening balance: everything before the period. */
	if (from != CT_DATE_NONE) {
		struct statement_walk before = {json_array(), 0};
		rc = ct_store_posting_each_vendor(c->store, p.id, CT_DATE_NONE, from - 1,
						  statement_line, &before);
		json_decref(before.rows);
		w.balance = before.balance;
		if (rc != CT_OK)
			goto fail;
	}
	int64_t opening = w.balance;
	rc = ct_store_posting_each_vendor(c->store, p.id, from, until, statement_line, &w);
	if (rc != CT_OK)
		goto fail;
	*out = json_pack("{s:s, s:o, s:o, s:I, s:o, s:I, s:o}", "vendor", p.id, "from",
			 ct_json_date(from), "until", ct_json_date(until), "opening_cents",
			 (json_int_t)opening, "lines", w.rows, "closing_cents", (json_int_t)w.balance,
			 "closing", ct_json_money(w.balance));
	return CT_OK;
fail:
	json_decref(w.rows);
	return ct_err_store(c, err, rc);
}

static json_t *remit_json(const struct ct_remittance_row *r, bool replayed)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:b}", "remittance", (json_int_t)r->id,
			      "vendor", r->vendor, "amount_cents", (json_int_t)r->amount_cents,
			      "ref", r->ref, "replayed", replayed);
	json_object_set_new(o, "amount", ct_json_money(r->amount_cents));
	return o;
}

enum ct_rc ct_svc_ledger_remit(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"vendor", "amount", "ref", "key", "date", NULL};
	struct ct_remittance_row r = {0};
	struct ct_party p;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "vendor", true, r.vendor, sizeof r.vendor, err)) != CT_OK ||
	    (rc = ct_req_usd(req, "amount", true, &r.amount_cents, err)) != CT_OK ||
	    (rc = ct_req_str(req, "ref", true, r.ref, sizeof r.ref, err)) != CT_OK ||
	    (rc = ct_req_str(req, "key", false, r.idem_key, sizeof r.idem_key, err)) != CT_OK ||
	    (rc = ct_req_date(req, "date", false, ct_ctx_today(c), &r.remit_date, err)) != CT_OK ||
	    (rc = ct_party_load(c, r.vendor, CT_ROLE_VENDOR, "vendor", &p, err)) != CT_OK)
		return rc;
	json_t *id = json_pack("{s:s, s:I, s:s, s:O}", "vendor", r.vendor, "amount_cents",
			       (json_int_t)r.amount_cents, "ref", r.ref, "date",
			       json_object_get(req, "date") ? json_object_get(req, "date") : json_null());
	char *text = ct_canonical(id);
	json_decref(id);
	if (!text)
		return ct_err_set(err, CT_ENOMEM, NULL, "out of memory");
	ct_hash_hex(text, strlen(text), r.request_hash);
	free(text);
	if ((rc = ct_tx_begin(c, err)) != CT_OK)
		return rc;
	if (r.idem_key[0]) {
		struct ct_remittance_row prior;
		rc = ct_store_remittance_find_key(c->store, p.id, r.idem_key, &prior);
		if (rc == CT_OK) {
			ct_tx_rollback(c);
			if (strcmp(prior.request_hash, r.request_hash) != 0) {
				ct_err_reject(err, CT_REASON_IDEMPOTENCY_CONFLICT, NULL);
				snprintf(err->message, sizeof err->message,
					 "key %s was used by remittance %lld with different content",
					 r.idem_key, (long long)prior.id);
				return CT_ECONFLICT;
			}
			*out = remit_json(&prior, true);
			return CT_OK;
		}
		if (rc != CT_ENOTFOUND) {
			ct_err_store(c, err, rc);
			goto fail;
		}
	}
	struct balance b;
	if ((rc = vendor_balance(c, p.id, &b, err)) != CT_OK)
		goto fail;
	if (r.amount_cents > b.accrued - b.remitted) {
		char owed[32], amt[32];
		ct_money_format(b.accrued - b.remitted, owed);
		ct_money_format(r.amount_cents, amt);
		ct_tx_rollback(c);
		ct_err_reject(err, CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING, NULL);
		snprintf(err->message + strlen(err->message), sizeof err->message - strlen(err->message),
			 " %s owes %s USD; the remittance is %s USD.", p.id, owed, amt);
		*out = json_pack("{s:b, s:s, s:s}", "rejected", 1, "reason",
				 ct_reason_name(CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING), "message",
				 err->message);
		return CT_REJECTED;
	}
	ct_ctx_timestamp(c, r.created_at);
	if ((rc = ct_store_remittance_add(c->store, &r)) != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	struct ct_posting_row pay = {.ref_id = r.id, .amount_cents = r.amount_cents,
				     .post_date = r.remit_date};
	snprintf(pay.ref_kind, sizeof pay.ref_kind, "remittance");
	snprintf(pay.vendor, sizeof pay.vendor, "%s", p.id);
	struct ct_posting_row settle = pay;
	settle.amount_cents = -r.amount_cents;
	snprintf(pay.account, sizeof pay.account, CT_ACCOUNT_PAYABLE);
	snprintf(settle.account, sizeof settle.account, CT_ACCOUNT_RECEIVABLE);
	if ((rc = ct_store_posting_add(c->store, &pay)) != CT_OK ||
	    (rc = ct_store_posting_add(c->store, &settle)) != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	json_t *payload = json_object(), *state = NULL;
	if ((rc = ct_snap_remittance(c, &r, &state)) != CT_OK) {
		json_decref(payload);
		ct_err_store(c, err, rc);
		goto fail;
	}
	char key[48];
	snprintf(key, sizeof key, "remittance/%lld", (long long)r.id);
	ct_audit_state(payload, key, state);
	if ((rc = ct_audit_append(c, "ledger.remit", payload, err)) != CT_OK)
		goto fail;
	if ((rc = ct_tx_commit(c, err)) != CT_OK)
		return rc;
	*out = remit_json(&r, false);
	return CT_OK;
fail:
	ct_tx_rollback(c);
	return rc;
}
