/* The audit log and suspensions. The log is append-only from chiptoll's
 * side; the hash chain, computed by the service layer, is what makes an
 * edit made behind chiptoll's back visible. */
#include <string.h>
#include "store_internal.h"

enum ct_rc ct_store_audit_head(struct ct_store *s, int64_t *seq, char hash[static 65])
{
	CT_ENTER(s);
	CT_STMT(s, ST_AUDIT_HEAD, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
	enum ct_rc rc = ct_store_step_one(s, st, "reading the audit head");
	if (rc == CT_ENOTFOUND) {
		*seq = 0;
		hash[0] = '\0';
		return CT_OK;
	}
	if (rc == CT_OK) {
		*seq = sqlite3_column_int64(st, 0);
		ct_col_text(st, 1, hash, 65);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_audit_add(struct ct_store *s, const struct ct_audit_row *e)
{
	CT_ENTER(s);
	CT_STMT(s, ST_AUDIT_ADD,
		"INSERT INTO audit_events(seq, ts, actor, action, payload, prev_hash, hash)"
		" VALUES (?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, e->seq);
	ct_bind_text(st, 2, e->ts);
	ct_bind_text(st, 3, e->actor);
	ct_bind_text(st, 4, e->action);
	ct_bind_text(st, 5, e->payload);
	ct_bind_text(st, 6, e->prev_hash);
	ct_bind_text(st, 7, e->hash);
	return ct_store_exec_stmt(s, st, "appending audit event");
}

static void read_event(sqlite3_stmt *st, struct ct_audit_row *e)
{
	e->seq = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, e->ts, sizeof e->ts);
	ct_col_text(st, 2, e->actor, sizeof e->actor);
	ct_col_text(st, 3, e->action, sizeof e->action);
	const unsigned char *p = sqlite3_column_text(st, 4);
	e->payload = (char *)(p ? p : (const unsigned char *)"");
	ct_col_text(st, 5, e->prev_hash, sizeof e->prev_hash);
	ct_col_text(st, 6, e->hash, sizeof e->hash);
}

enum ct_rc ct_store_audit_each(struct ct_store *s, int64_t limit_last, ct_audit_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_AUDIT_EACH_FROM,
		"SELECT seq, ts, actor, action, payload, prev_hash, hash FROM audit_events"
		" WHERE seq > COALESCE((SELECT MAX(seq) FROM audit_events), 0) - ?"
		" ORDER BY seq");
	sqlite3_bind_int64(st, 1, limit_last > 0 ? limit_last : INT64_MAX / 2);
	struct ct_audit_row e;
	CT_EACH_ROW(s, st, read_event(st, &e), fn(&e, arg), "reading the audit log");
}

/* ---- suspensions ---- */

#define SUSP_COLS "id, scope, reason, created_at, created_by, resumed_at, resumed_by"

static void read_suspension(sqlite3_stmt *st, struct ct_suspension_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, r->scope, sizeof r->scope);
	ct_col_text(st, 2, r->reason, sizeof r->reason);
	ct_col_text(st, 3, r->created_at, sizeof r->created_at);
	ct_col_text(st, 4, r->created_by, sizeof r->created_by);
	ct_col_text(st, 5, r->resumed_at, sizeof r->resumed_at);
	ct_col_text(st, 6, r->resumed_by, sizeof r->resumed_by);
}

enum ct_rc ct_store_suspension_add(struct ct_store *s, struct ct_suspension_row *r)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SUSP_ADD,
		"INSERT INTO suspensions(scope, reason, created_at, created_by) VALUES (?,?,?,?)");
	ct_bind_text(st, 1, r->scope);
	ct_bind_text(st, 2, r->reason);
	ct_bind_text(st, 3, r->created_at);
	ct_bind_text(st, 4, r->created_by);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding suspension");
	if (rc == CT_OK)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_suspension_get(struct ct_store *s, int64_t id, struct ct_suspension_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SUSP_GET, "SELECT " SUSP_COLS " FROM suspensions WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading suspension");
	if (rc == CT_OK) {
		read_suspension(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no suspension %lld", (long long)id);
	}
	return rc;
}

enum ct_rc ct_store_suspension_update(struct ct_store *s, const struct ct_suspension_row *r)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SUSP_UPDATE,
		"UPDATE suspensions SET scope=?2, reason=?3, created_at=?4, created_by=?5,"
		" resumed_at=?6, resumed_by=?7 WHERE id=?1");
	sqlite3_bind_int64(st, 1, r->id);
	ct_bind_text(st, 2, r->scope);
	ct_bind_text(st, 3, r->reason);
	ct_bind_text(st, 4, r->created_at);
	ct_bind_text(st, 5, r->created_by);
	ct_bind_opt_text(st, 6, r->resumed_at);
	ct_bind_opt_text(st, 7, r->resumed_by);
	return ct_store_exec_stmt(s, st, "updating suspension");
}

enum ct_rc ct_store_suspension_each(struct ct_store *s, bool active_only, ct_suspension_fn fn,
				    void *arg)
{
	CT_ENTER(s);
	sqlite3_stmt *st = active_only
		? ct_store_stmt(s, ST_SUSP_EACH_ACTIVE,
				"SELECT " SUSP_COLS " FROM suspensions WHERE resumed_at IS NULL"
				" ORDER BY id")
		: ct_store_stmt(s, ST_SUSP_EACH, "SELECT " SUSP_COLS " FROM suspensions ORDER BY id");
	if (!st)
		return CT_EIO;
	struct ct_suspension_row r;
	CT_EACH_ROW(s, st, read_suspension(st, &r), fn(&r, arg), "listing suspensions");
}
