/* Restricted-party list versions, their entries and the names screening
 * matches. */
#include <string.h>
#include "store_internal.h"

#define LISTV_COLS "id, source, format, entries, names, sha256, imported_at, actor, superseded_by"

static void read_version(sqlite3_stmt *st, struct ct_list_version_row *v)
{
	memset(v, 0, sizeof *v);
	v->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, v->source, sizeof v->source);
	ct_col_text(st, 2, v->format, sizeof v->format);
	v->entries = sqlite3_column_int64(st, 3);
	v->names = sqlite3_column_int64(st, 4);
	ct_col_text(st, 5, v->sha256, sizeof v->sha256);
	ct_col_text(st, 6, v->imported_at, sizeof v->imported_at);
	ct_col_text(st, 7, v->actor, sizeof v->actor);
	v->superseded_by = sqlite3_column_int64(st, 8);
}

/* The source's current version id, 0 if none. */
static enum ct_rc current_of(struct ct_store *s, const char *source, int64_t *id)
{
	CT_STMT(s, ST_LISTV_CURRENT,
		"SELECT id FROM list_versions WHERE source = ? AND superseded_by IS NULL"
		" ORDER BY id DESC LIMIT 1");
	ct_bind_text(st, 1, source);
	enum ct_rc rc = ct_store_step_one(s, st, "reading the current list version");
	*id = 0;
	if (rc == CT_OK) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc == CT_ENOTFOUND ? CT_OK : rc;
}

static enum ct_rc drop_rows(struct ct_store *s, int64_t version_id)
{
	enum ct_rc rc;
	{
		CT_STMT(s, ST_LISTN_DELETE, "DELETE FROM list_names WHERE version_id = ?");
		sqlite3_bind_int64(st, 1, version_id);
		if ((rc = ct_store_exec_stmt(s, st, "deleting list names")) != CT_OK)
			return rc;
	}
	CT_STMT(s, ST_LISTE_DELETE, "DELETE FROM list_entries WHERE version_id = ?");
	sqlite3_bind_int64(st, 1, version_id);
	return ct_store_exec_stmt(s, st, "deleting list entries");
}

enum ct_rc ct_store_list_version_add(struct ct_store *s, struct ct_list_version_row *v,
				     int64_t *replaced)
{
	CT_ENTER(s);
	int64_t old = 0;
	enum ct_rc rc = current_of(s, v->source, &old);
	if (rc != CT_OK)
		return rc;
	{
		CT_STMT(s, ST_LISTV_ADD,
			"INSERT INTO list_versions(source, format, entries, names, sha256, imported_at,"
			" actor, superseded_by) VALUES (?,?,?,?,?,?,?,NULL)");
		ct_bind_text(st, 1, v->source);
		ct_bind_text(st, 2, v->format);
		sqlite3_bind_int64(st, 3, v->entries);
		sqlite3_bind_int64(st, 4, v->names);
		ct_bind_text(st, 5, v->sha256);
		ct_bind_text(st, 6, v->imported_at);
		ct_bind_text(st, 7, v->actor);
		if ((rc = ct_store_exec_stmt(s, st, "adding a list version")) != CT_OK)
			return rc;
		v->id = sqlite3_last_insert_rowid(s->db);
		v->superseded_by = 0;
	}
	*replaced = old;
	if (!old)
		return CT_OK;
	{
		CT_STMT(s, ST_LISTV_SUPERSEDE, "UPDATE list_versions SET superseded_by = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, v->id);
		sqlite3_bind_int64(st, 2, old);
		if ((rc = ct_store_exec_stmt(s, st, "superseding a list version")) != CT_OK)
			return rc;
	}
	return drop_rows(s, old);
}

enum ct_rc ct_store_list_version_set_counts(struct ct_store *s, int64_t id, int64_t entries,
					    int64_t names)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LISTV_COUNTS, "UPDATE list_versions SET entries = ?, names = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, entries);
	sqlite3_bind_int64(st, 2, names);
	sqlite3_bind_int64(st, 3, id);
	return ct_store_exec_stmt(s, st, "counting a list version");
}

enum ct_rc ct_store_list_version_get(struct ct_store *s, int64_t id,
				     struct ct_list_version_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LISTV_GET, "SELECT " LISTV_COLS " FROM list_versions WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading a list version");
	if (rc == CT_OK) {
		read_version(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no such list version");
	}
	return rc;
}

enum ct_rc ct_store_list_version_each(struct ct_store *s, bool current_only,
				      ct_list_version_fn fn, void *arg)
{
	CT_ENTER(s);
	sqlite3_stmt *st = current_only
		? ct_store_stmt(s, ST_LISTV_EACH_CURRENT,
				"SELECT " LISTV_COLS " FROM list_versions WHERE superseded_by IS NULL"
				" ORDER BY source, id")
		: ct_store_stmt(s, ST_LISTV_EACH,
				"SELECT " LISTV_COLS " FROM list_versions ORDER BY id");
	if (!st)
		return CT_EIO;
	struct ct_list_version_row v;
	CT_EACH_ROW(s, st, read_version(st, &v), fn(&v, arg), "listing list versions");
}

enum ct_rc ct_store_list_entry_add(struct ct_store *s, int64_t version_id,
				   const struct ct_list_entry *e)
{
	CT_ENTER(s);
	enum ct_rc rc;
	int64_t id;
	{
		CT_STMT(s, ST_LISTE_ADD,
			"INSERT INTO list_entries(version_id, entry_id, list, program, type, name,"
			" country, remarks, address) VALUES (?,?,?,?,?,?,?,?,?)");
		sqlite3_bind_int64(st, 1, version_id);
		ct_bind_text(st, 2, e->entry_id);
		ct_bind_text(st, 3, e->list);
		ct_bind_text(st, 4, e->program);
		ct_bind_text(st, 5, e->type);
		ct_bind_text(st, 6, e->name);
		ct_bind_text(st, 7, e->country);
		ct_bind_text(st, 8, e->remarks);
		ct_bind_text(st, 9, e->address);
		if ((rc = ct_store_exec_stmt(s, st, "adding a list entry")) != CT_OK)
			return rc;
		id = sqlite3_last_insert_rowid(s->db);
	}
	CT_STMT(s, ST_LISTN_ADD,
		"INSERT INTO list_names(version_id, entry, name, kind, note) VALUES (?,?,?,?,?)");
	for (size_t i = 0; i < e->n_names; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, version_id);
		sqlite3_bind_int64(st, 2, id);
		ct_bind_text(st, 3, e->names[i].text);
		ct_bind_text(st, 4, ct_name_kind_name(e->names[i].kind));
		ct_bind_text(st, 5, e->names[i].note ? e->names[i].note : "");
		if ((rc = ct_store_exec_stmt(s, st, "adding a listed name")) != CT_OK)
			return rc;
	}
	return CT_OK;
}

static enum ct_rc walk_rows(struct ct_store *s, sqlite3_stmt *st, const char *table,
			    ct_list_row_fn fn, void *arg)
{
	const char *cols[16];
	int n = sqlite3_column_count(st);
	if (n > 16)
		n = 16;
	CT_EACH_ROW(s, st,
		    for (int i = 0; i < n; i++) {
			    const unsigned char *t = sqlite3_column_text(st, i);
			    cols[i] = t ? (const char *)t : "";
		    },
		    fn(table, cols, n, arg), "reading list rows");
}

enum ct_rc ct_store_list_rows_each(struct ct_store *s, int64_t version_id, ct_list_row_fn fn,
				   void *arg)
{
	CT_ENTER(s);
	enum ct_rc rc;
	{
		CT_STMT(s, ST_LISTE_EACH,
			"SELECT id, entry_id, list, program, type, name, country, remarks, address"
			" FROM list_entries WHERE version_id = ? ORDER BY id");
		sqlite3_bind_int64(st, 1, version_id);
		if ((rc = walk_rows(s, st, "entry", fn, arg)) != CT_OK)
			return rc;
	}
	CT_STMT(s, ST_LISTN_EACH,
		"SELECT id, entry, name, kind, note FROM list_names WHERE version_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, version_id);
	return walk_rows(s, st, "name", fn, arg);
}

enum ct_rc ct_store_list_totals(struct ct_store *s, int64_t *entries, int64_t *names)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LIST_TOTALS,
		"SELECT (SELECT count(*) FROM list_entries), (SELECT count(*) FROM list_names)");
	enum ct_rc rc = ct_store_step_one(s, st, "counting list rows");
	if (rc != CT_OK)
		return rc;
	*entries = sqlite3_column_int64(st, 0);
	*names = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return CT_OK;
}
