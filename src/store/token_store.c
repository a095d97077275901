/* API tokens: a hash, a role, the party acted for, a name. */
#include <string.h>
#include "store_internal.h"

#define TOKEN_COLS "id, token_hash, role, party, name, created_at, revoked_at"

static void read_token(sqlite3_stmt *st, struct ct_token_row *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, t->token_hash, sizeof t->token_hash);
	ct_col_text(st, 2, t->role, sizeof t->role);
	ct_col_text(st, 3, t->party, sizeof t->party);
	ct_col_text(st, 4, t->name, sizeof t->name);
	ct_col_text(st, 5, t->created_at, sizeof t->created_at);
	ct_col_text(st, 6, t->revoked_at, sizeof t->revoked_at);
}

static void bind_token(sqlite3_stmt *st, const struct ct_token_row *t)
{
	if (t->id > 0)
		sqlite3_bind_int64(st, 1, t->id);
	ct_bind_text(st, 2, t->token_hash);
	ct_bind_text(st, 3, t->role);
	ct_bind_opt_text(st, 4, t->party);
	ct_bind_text(st, 5, t->name);
	ct_bind_text(st, 6, t->created_at);
	ct_bind_opt_text(st, 7, t->revoked_at);
}

enum ct_rc ct_store_token_add(struct ct_store *s, struct ct_token_row *t)
{
	CT_ENTER(s);
	CT_STMT(s, ST_TOKEN_ADD, "INSERT INTO tokens(" TOKEN_COLS ") VALUES (?,?,?,?,?,?,?)");
	t->id = 0;
	bind_token(st, t);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding token");
	if (rc == CT_OK)
		t->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_token_update(struct ct_store *s, const struct ct_token_row *t)
{
	CT_ENTER(s);
	CT_STMT(s, ST_TOKEN_UPDATE,
		"UPDATE tokens SET token_hash=?2, role=?3, party=?4, name=?5, created_at=?6,"
		" revoked_at=?7 WHERE id=?1");
	bind_token(st, t);
	return ct_store_exec_stmt(s, st, "updating token");
}

static enum ct_rc get_one(struct ct_store *s, sqlite3_stmt *st, struct ct_token_row *out)
{
	enum ct_rc rc = ct_store_step_one(s, st, "reading token");
	if (rc == CT_OK) {
		read_token(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no such token");
	}
	return rc;
}

enum ct_rc ct_store_token_get(struct ct_store *s, int64_t id, struct ct_token_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_TOKEN_GET, "SELECT " TOKEN_COLS " FROM tokens WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	return get_one(s, st, out);
}

enum ct_rc ct_store_token_find_hash(struct ct_store *s, const char *hash,
				    struct ct_token_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_TOKEN_HASH, "SELECT " TOKEN_COLS " FROM tokens WHERE token_hash = ?");
	ct_bind_text(st, 1, hash);
	return get_one(s, st, out);
}

enum ct_rc ct_store_token_each(struct ct_store *s, ct_token_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_TOKEN_EACH, "SELECT " TOKEN_COLS " FROM tokens ORDER BY id");
	struct ct_token_row t;
	CT_EACH_ROW(s, st, read_token(st, &t), fn(&t, arg), "listing tokens");
}

/* ---- API idempotency ---- */

enum ct_rc ct_store_idem_get(struct ct_store *s, const char *principal, const char *key,
			     struct ct_idem_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_IDEM_GET,
		"SELECT key, principal, route, request_hash, status, response FROM api_idempotency"
		" WHERE principal = ? AND key = ?");
	ct_bind_text(st, 1, principal);
	ct_bind_text(st, 2, key);
	enum ct_rc rc = ct_store_step_one(s, st, "reading an idempotency key");
	if (rc != CT_OK)
		return rc;
	ct_col_text(st, 0, out->key, sizeof out->key);
	ct_col_text(st, 1, out->principal, sizeof out->principal);
	ct_col_text(st, 2, out->route, sizeof out->route);
	ct_col_text(st, 3, out->request_hash, sizeof out->request_hash);
	out->status = sqlite3_column_int(st, 4);
	const char *resp = (const char *)sqlite3_column_text(st, 5);
	out->response = strdup(resp ? resp : "");
	sqlite3_reset(st);
	return out->response ? CT_OK : CT_ENOMEM;
}

enum ct_rc ct_store_idem_add(struct ct_store *s, const struct ct_idem_row *r,
			     const char *created_at)
{
	CT_ENTER(s);
	CT_STMT(s, ST_IDEM_ADD,
		"INSERT INTO api_idempotency(key, principal, route, request_hash, status, response,"
		" created_at) VALUES (?,?,?,?,?,?,?)");
	ct_bind_text(st, 1, r->key);
	ct_bind_text(st, 2, r->principal);
	ct_bind_text(st, 3, r->route);
	ct_bind_text(st, 4, r->request_hash);
	sqlite3_bind_int(st, 5, r->status);
	ct_bind_text(st, 6, r->response);
	ct_bind_text(st, 7, created_at);
	return ct_store_exec_stmt(s, st, "recording an idempotency key");
}
