/* The SQLite connection: open, transactions, statement cache, fault
 * injection and the bind/column helpers the other store files share. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include "store_internal.h"

static enum ct_rc open_failed(struct ct_store *s, char *err, size_t errlen, enum ct_rc rc)
{
	snprintf(err, errlen, "%s", s->err);
	ct_store_close(s);
	return rc;
}

static void configure_sqlite(void)
{
	/* The allocation statistics take a global mutex per malloc, which the
	 * API's threads would all queue on; nothing here reads them. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum ct_rc ct_store_open(const char *path, bool create, struct ct_store **out,
			 char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_sqlite);
	*out = NULL;
	bool exists = access(path, F_OK) == 0;
	if (create && exists) {
		snprintf(err, errlen, "%s already exists: remove it or choose another --db", path);
		return CT_ECONFLICT;
	}
	if (!create && !exists) {
		snprintf(err, errlen, "%s does not exist: run 'chiptoll init' first or pass --db",
			 path);
		return CT_ENOTFOUND;
	}
	struct ct_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return CT_ENOMEM;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "cannot open %s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		return open_failed(s, err, errlen, CT_EIO);
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL lets readers run beside the writer; synchronous=FULL syncs the
	 * WAL at every commit, so an acknowledged write survives power loss. */
	char *msg = NULL;
	if (sqlite3_exec(s->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;"
			 "PRAGMA cache_size=-16000;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "cannot configure %s: %s", path,
			 msg ? msg : "unknown error");
		sqlite3_free(msg);
		return open_failed(s, err, errlen, CT_EIO);
	}
	enum ct_rc rc = create ? ct_store_schema_create(s) : ct_store_schema_check(s);
	if (rc != CT_OK) {
		if (create)
			unlink(path);
		return open_failed(s, err, errlen, rc);
	}
	*out = s;
	return CT_OK;
}

void ct_store_close(struct ct_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s);
}

const char *ct_store_errmsg(const struct ct_store *s)
{
	return s->err;
}

void ct_store_fail_after(struct ct_store *s, long n)
{
	s->fail_after = n;
	s->failing = false;
}

bool ct_store_enter(struct ct_store *s)
{
	if (s->failing)
		goto fail;
	if (s->fail_after > 0 && --s->fail_after == 0) {
		s->failing = true;
		goto fail;
	}
	return true;
fail:
	snprintf(s->err, sizeof s->err, "injected storage failure");
	return false;
}

sqlite3_stmt *ct_store_stmt(struct ct_store *s, enum ct_stmt_id id, const char *sql)
{
	sqlite3_stmt *st = s->stmts[id];
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "cannot prepare statement: %s",
			 sqlite3_errmsg(s->db));
		return NULL;
	}
	s->stmts[id] = st;
	return st;
}

enum ct_rc ct_store_fail(struct ct_store *s, int sqlite_rc, const char *what)
{
	snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
	if ((sqlite_rc & 0xff) == SQLITE_CONSTRAINT)
		return CT_ECONFLICT;
	return CT_EIO;
}

enum ct_rc ct_store_exec_stmt(struct ct_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	enum ct_rc out = rc == SQLITE_DONE ? CT_OK : ct_store_fail(s, rc, what);
	sqlite3_reset(st);
	return out;
}

/* Transaction statements are prepared once like any other: the API's
 * writer opens a savepoint per request, and parsing each costs more than
 * running it. */
static enum ct_rc exec(struct ct_store *s, enum ct_stmt_id id, const char *sql)
{
	CT_ENTER(s);
	CT_STMT(s, id, sql);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return CT_OK;
	snprintf(s->err, sizeof s->err, "%s failed: %s", sql, sqlite3_errmsg(s->db));
	return CT_EIO;
}

enum ct_rc ct_store_begin(struct ct_store *s) { return exec(s, ST_BEGIN, "BEGIN IMMEDIATE"); }
enum ct_rc ct_store_begin_read(struct ct_store *s) { return exec(s, ST_BEGIN_READ, "BEGIN"); }
enum ct_rc ct_store_commit(struct ct_store *s) { return exec(s, ST_COMMIT, "COMMIT"); }
enum ct_rc ct_store_savepoint(struct ct_store *s) { return exec(s, ST_SAVEPOINT, "SAVEPOINT op"); }
enum ct_rc ct_store_release(struct ct_store *s) { return exec(s, ST_RELEASE, "RELEASE op"); }

void ct_store_rollback(struct ct_store *s)
{
	/* Not counted by fault injection: the cleanup must always run. */
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
}

void ct_store_rollback_savepoint(struct ct_store *s)
{
	sqlite3_stmt *st = ct_store_stmt(s, ST_ROLLBACK_TO, "ROLLBACK TO op");
	if (st) {
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	st = ct_store_stmt(s, ST_RELEASE, "RELEASE op");
	if (st) {
		sqlite3_step(st);
		sqlite3_reset(st);
	}
}

void ct_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void ct_bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void ct_bind_opt_double(sqlite3_stmt *st, int i, double v)
{
	if (v == v)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void ct_bind_date(sqlite3_stmt *st, int i, ct_date d)
{
	if (d == CT_DATE_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	char buf[11];
	ct_date_format(d, buf);
	sqlite3_bind_text(st, i, buf, 10, SQLITE_TRANSIENT);
}

void ct_col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

double ct_col_opt_double(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return __builtin_nan("");
	return sqlite3_column_double(st, i);
}

ct_date ct_col_date(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	ct_date d;
	if (!t || !ct_date_parse((const char *)t, &d))
		return CT_DATE_NONE;
	return d;
}

enum ct_rc ct_store_step_one(struct ct_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return CT_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return CT_ENOTFOUND;
	return ct_store_fail(s, rc, what);
}
