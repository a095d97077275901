/* Ledger postings and remittances. Balances are always sums of postings:
 * no balance is stored anywhere. */
#include <string.h>
#include "store_internal.h"

#define POSTING_COLS "id, ref_kind, ref_id, vendor, account, amount_cents, post_date"

static void read_posting(sqlite3_stmt *st, struct ct_posting_row *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, p->ref_kind, sizeof p->ref_kind);
	p->ref_id = sqlite3_column_int64(st, 2);
	ct_col_text(st, 3, p->vendor, sizeof p->vendor);
	ct_col_text(st, 4, p->account, sizeof p->account);
	p->amount_cents = sqlite3_column_int64(st, 5);
	p->post_date = ct_col_date(st, 6);
}

enum ct_rc ct_store_posting_add(struct ct_store *s, struct ct_posting_row *p)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POSTING_ADD,
		"INSERT INTO postings(ref_kind, ref_id, vendor, account, amount_cents, post_date)"
		" VALUES (?,?,?,?,?,?)");
	ct_bind_text(st, 1, p->ref_kind);
	sqlite3_bind_int64(st, 2, p->ref_id);
	ct_bind_text(st, 3, p->vendor);
	ct_bind_text(st, 4, p->account);
	sqlite3_bind_int64(st, 5, p->amount_cents);
	ct_bind_date(st, 6, p->post_date);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding posting");
	if (rc == CT_OK)
		p->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_posting_each_of(struct ct_store *s, const char *ref_kind, int64_t ref_id,
				    ct_posting_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POSTING_EACH_OF,
		"SELECT " POSTING_COLS " FROM postings WHERE ref_kind = ? AND ref_id = ?"
		" ORDER BY id");
	ct_bind_text(st, 1, ref_kind);
	sqlite3_bind_int64(st, 2, ref_id);
	struct ct_posting_row p;
	CT_EACH_ROW(s, st, read_posting(st, &p), fn(&p, arg), "listing postings");
}

enum ct_rc ct_store_posting_each_vendor(struct ct_store *s, const char *vendor, ct_date from,
					ct_date until, ct_posting_fn fn, void *arg)
{
	CT_ENTER(s);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT " POSTING_COLS " FROM postings WHERE (?1 IS NULL OR vendor = ?1)"
		" AND (?2 IS NULL OR post_date >= ?2) AND (?3 IS NULL OR post_date <= ?3)"
		" ORDER BY post_date, id", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ct_store_fail(s, rc, "listing postings");
	ct_bind_opt_text(st, 1, vendor);
	ct_bind_date(st, 2, from);
	ct_bind_date(st, 3, until);
	struct ct_posting_row p;
	enum ct_rc out = CT_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_posting(st, &p);
		if ((out = fn(&p, arg)) != CT_OK)
			break;
	}
	if (out == CT_OK && rc != SQLITE_DONE)
		out = ct_store_fail(s, rc, "listing postings");
	sqlite3_finalize(st);
	return out;
}

enum ct_rc ct_store_posting_sum(struct ct_store *s, const char *vendor, const char *account,
				const char *ref_kind, int64_t *sum_cents)
{
	CT_ENTER(s);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT COALESCE(SUM(amount_cents), 0) FROM postings"
		" WHERE (?1 IS NULL OR vendor = ?1) AND account = ?2"
		" AND (?3 IS NULL OR ref_kind = ?3)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ct_store_fail(s, rc, "summing postings");
	ct_bind_opt_text(st, 1, vendor);
	ct_bind_text(st, 2, account);
	ct_bind_opt_text(st, 3, ref_kind);
	rc = sqlite3_step(st);
	enum ct_rc out = CT_OK;
	if (rc == SQLITE_ROW)
		*sum_cents = sqlite3_column_int64(st, 0);
	else
		out = ct_store_fail(s, rc, "summing postings");
	sqlite3_finalize(st);
	return out;
}

enum ct_rc ct_store_posting_totals(struct ct_store *s, int64_t *count, int64_t *sum_cents)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POSTING_TOTALS, "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM postings");
	enum ct_rc rc = ct_store_step_one(s, st, "totalling postings");
	if (rc == CT_OK) {
		*count = sqlite3_column_int64(st, 0);
		*sum_cents = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return rc;
}

/* ---- remittances ---- */

#define REMIT_COLS "id, vendor, amount_cents, ref, idem_key, request_hash, remit_date, created_at"

static void read_remittance(sqlite3_stmt *st, struct ct_remittance_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, r->vendor, sizeof r->vendor);
	r->amount_cents = sqlite3_column_int64(st, 2);
	ct_col_text(st, 3, r->ref, sizeof r->ref);
	ct_col_text(st, 4, r->idem_key, sizeof r->idem_key);
	ct_col_text(st, 5, r->request_hash, sizeof r->request_hash);
	r->remit_date = ct_col_date(st, 6);
	ct_col_text(st, 7, r->created_at, sizeof r->created_at);
}

enum ct_rc ct_store_remittance_add(struct ct_store *s, struct ct_remittance_row *r)
{
	CT_ENTER(s);
	CT_STMT(s, ST_REMIT_ADD,
		"INSERT INTO remittances(vendor, amount_cents, ref, idem_key, request_hash,"
		" remit_date, created_at) VALUES (?,?,?,?,?,?,?)");
	ct_bind_text(st, 1, r->vendor);
	sqlite3_bind_int64(st, 2, r->amount_cents);
	ct_bind_text(st, 3, r->ref);
	ct_bind_opt_text(st, 4, r->idem_key);
	ct_bind_text(st, 5, r->request_hash);
	ct_bind_date(st, 6, r->remit_date);
	ct_bind_text(st, 7, r->created_at);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding remittance");
	if (rc == CT_OK)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_remittance_find_key(struct ct_store *s, const char *vendor, const char *key,
					struct ct_remittance_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_REMIT_KEY,
		"SELECT " REMIT_COLS " FROM remittances WHERE vendor = ? AND idem_key = ?");
	ct_bind_text(st, 1, vendor);
	ct_bind_text(st, 2, key);
	enum ct_rc rc = ct_store_step_one(s, st, "finding remittance by key");
	if (rc == CT_OK) {
		read_remittance(st, out);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_remittance_each(struct ct_store *s, ct_remittance_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_REMIT_EACH, "SELECT " REMIT_COLS " FROM remittances ORDER BY id");
	struct ct_remittance_row r;
	CT_EACH_ROW(s, st, read_remittance(st, &r), fn(&r, arg), "listing remittances");
}
