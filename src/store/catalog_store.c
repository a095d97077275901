/* Policy versions, products and parties. */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

enum ct_rc ct_store_policy_add(struct ct_store *s, const char *version, const char *document,
			       const char *loaded_at)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POLICY_ADD,
		"INSERT INTO policy_versions(version, document, loaded_at) VALUES (?,?,?)");
	ct_bind_text(st, 1, version);
	ct_bind_text(st, 2, document);
	ct_bind_text(st, 3, loaded_at);
	return ct_store_exec_stmt(s, st, "adding policy version");
}

static enum ct_rc read_document(struct ct_store *s, sqlite3_stmt *st, int col, char **document)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	*document = strdup(t ? t : "");
	sqlite3_reset(st);
	if (!*document) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return CT_ENOMEM;
	}
	return CT_OK;
}

enum ct_rc ct_store_policy_current(struct ct_store *s, char version[static CT_ID_MAX],
				   char **document)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POLICY_CURRENT,
		"SELECT version, document FROM policy_versions ORDER BY id DESC LIMIT 1");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "no policy loaded: run 'chiptoll policy load FILE'");
		return CT_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return ct_store_fail(s, rc, "reading the current policy");
	ct_col_text(st, 0, version, CT_ID_MAX);
	return read_document(s, st, 1, document);
}

enum ct_rc ct_store_policy_version(struct ct_store *s, char version[static CT_ID_MAX])
{
	CT_ENTER(s);
	CT_STMT(s, ST_POLICY_VERSION,
		"SELECT version FROM policy_versions ORDER BY id DESC LIMIT 1");
	enum ct_rc rc = ct_store_step_one(s, st, "reading the policy version");
	if (rc == CT_OK) {
		ct_col_text(st, 0, version, CT_ID_MAX);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_policy_get(struct ct_store *s, const char *version, char **document)
{
	CT_ENTER(s);
	CT_STMT(s, ST_POLICY_GET, "SELECT document FROM policy_versions WHERE version = ?");
	ct_bind_text(st, 1, version);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "no policy version %s", version);
		return CT_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return ct_store_fail(s, rc, "reading a policy version");
	return read_document(s, st, 0, document);
}

/* ---- products ---- */

#define PRODUCT_COLS \
	"model, name, vendor, fp64, fp32, tf32, fp16, bf16, fp8, int8, fp6, fp4," \
	" bw_gbs, mem_gb, die_mm2, datacenter, us_available, source"

enum ct_rc ct_store_product_add(struct ct_store *s, const struct ct_product *p)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PRODUCT_ADD,
		"INSERT INTO products(" PRODUCT_COLS ") VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	ct_bind_text(st, 1, p->model);
	ct_bind_text(st, 2, p->name);
	ct_bind_text(st, 3, p->vendor);
	for (int i = 0; i < CT_PREC_COUNT; i++)
		ct_bind_opt_double(st, 4 + i, p->rate[i]);
	ct_bind_opt_double(st, 13, p->bw_gbs);
	ct_bind_opt_double(st, 14, p->mem_gb);
	ct_bind_opt_double(st, 15, p->die_mm2);
	sqlite3_bind_int(st, 16, p->datacenter);
	ct_bind_date(st, 17, p->us_available);
	ct_bind_text(st, 18, p->source);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding product");
	if (rc == CT_ECONFLICT)
		snprintf(s->err, sizeof s->err, "product %s already exists", p->model);
	return rc;
}

static void read_product(sqlite3_stmt *st, struct ct_product *p)
{
	ct_product_init(p);
	ct_col_text(st, 0, p->model, sizeof p->model);
	ct_col_text(st, 1, p->name, sizeof p->name);
	ct_col_text(st, 2, p->vendor, sizeof p->vendor);
	for (int i = 0; i < CT_PREC_COUNT; i++)
		p->rate[i] = ct_col_opt_double(st, 3 + i);
	p->bw_gbs = ct_col_opt_double(st, 12);
	p->mem_gb = ct_col_opt_double(st, 13);
	p->die_mm2 = ct_col_opt_double(st, 14);
	p->datacenter = sqlite3_column_int(st, 15);
	p->us_available = ct_col_date(st, 16);
	ct_col_text(st, 17, p->source, sizeof p->source);
}

enum ct_rc ct_store_product_get(struct ct_store *s, const char *model, struct ct_product *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PRODUCT_GET, "SELECT " PRODUCT_COLS " FROM products WHERE model = ?");
	ct_bind_text(st, 1, model);
	enum ct_rc rc = ct_store_step_one(s, st, "reading product");
	if (rc == CT_OK) {
		read_product(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no product %s: see 'chiptoll product list'", model);
	}
	return rc;
}

enum ct_rc ct_store_product_each(struct ct_store *s, ct_product_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PRODUCT_EACH,
		"SELECT " PRODUCT_COLS " FROM products ORDER BY vendor, model");
	struct ct_product p;
	CT_EACH_ROW(s, st, read_product(st, &p), fn(&p, arg), "listing products");
}

/* ---- parties ---- */

#define PARTY_COLS \
	"id, role, name, name_zh, country, hq_country, parent, status, end_uses, status_reason"

static void bind_party(sqlite3_stmt *st, const struct ct_party *p)
{
	ct_bind_text(st, 1, p->id);
	ct_bind_text(st, 2, ct_role_name(p->role));
	ct_bind_text(st, 3, p->name);
	ct_bind_opt_text(st, 4, p->name_zh);
	ct_bind_text(st, 5, p->country);
	ct_bind_text(st, 6, p->hq_country);
	ct_bind_opt_text(st, 7, p->parent);
	ct_bind_text(st, 8, ct_party_status_name(p->status));
	sqlite3_bind_int(st, 9, (int)p->end_uses);
	ct_bind_opt_text(st, 10, p->status_reason);
}

static void read_party(sqlite3_stmt *st, struct ct_party *p)
{
	char buf[32];
	memset(p, 0, sizeof *p);
	ct_col_text(st, 0, p->id, sizeof p->id);
	ct_col_text(st, 1, buf, sizeof buf);
	ct_role_parse(buf, &p->role);
	ct_col_text(st, 2, p->name, sizeof p->name);
	ct_col_text(st, 3, p->name_zh, sizeof p->name_zh);
	ct_col_text(st, 4, p->country, sizeof p->country);
	ct_col_text(st, 5, p->hq_country, sizeof p->hq_country);
	ct_col_text(st, 6, p->parent, sizeof p->parent);
	ct_col_text(st, 7, buf, sizeof buf);
	ct_party_status_parse(buf, &p->status);
	p->end_uses = (unsigned)sqlite3_column_int(st, 8);
	ct_col_text(st, 9, p->status_reason, sizeof p->status_reason);
}

enum ct_rc ct_store_party_add(struct ct_store *s, const struct ct_party *p)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PARTY_ADD,
		"INSERT INTO parties(" PARTY_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)");
	bind_party(st, p);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding party");
	if (rc == CT_ECONFLICT)
		snprintf(s->err, sizeof s->err, "party %s already exists", p->id);
	return rc;
}

enum ct_rc ct_store_party_update(struct ct_store *s, const struct ct_party *p)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PARTY_UPDATE,
		"UPDATE parties SET role=?2, name=?3, name_zh=?4, country=?5, hq_country=?6,"
		" parent=?7, status=?8, end_uses=?9, status_reason=?10 WHERE id=?1");
	bind_party(st, p);
	return ct_store_exec_stmt(s, st, "updating party");
}

enum ct_rc ct_store_party_get(struct ct_store *s, const char *id, struct ct_party *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_PARTY_GET, "SELECT " PARTY_COLS " FROM parties WHERE id = ?");
	ct_bind_text(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading party");
	if (rc == CT_OK) {
		read_party(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no party %s: see 'chiptoll party list'", id);
	}
	return rc;
}

enum ct_rc ct_store_party_each(struct ct_store *s, int role, ct_party_fn fn, void *arg)
{
	CT_ENTER(s);
	sqlite3_stmt *st = role < 0
		? ct_store_stmt(s, ST_PARTY_EACH, "SELECT " PARTY_COLS " FROM parties ORDER BY id")
		: ct_store_stmt(s, ST_PARTY_EACH_ROLE,
				"SELECT " PARTY_COLS " FROM parties WHERE role = ? ORDER BY id");
	if (!st)
		return CT_EIO;
	if (role >= 0)
		ct_bind_text(st, 1, ct_role_name((enum ct_role)role));
	struct ct_party p;
	CT_EACH_ROW(s, st, read_party(st, &p), fn(&p, arg), "listing parties");
}
