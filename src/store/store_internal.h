/* Shared by the SQLite store's files only. */
#ifndef CT_STORE_INTERNAL_H
#define CT_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>
#include "chiptoll/store.h"

/* One slot per prepared statement; each is prepared on first use and kept
 * for the life of the connection, because preparing costs more than most
 * of the statements themselves on the booking path. */
enum ct_stmt_id {
	ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
	ST_POLICY_ADD, ST_POLICY_CURRENT, ST_POLICY_GET, ST_POLICY_VERSION,
	ST_PRODUCT_ADD, ST_PRODUCT_GET, ST_PRODUCT_EACH,
	ST_PARTY_ADD, ST_PARTY_GET, ST_PARTY_UPDATE, ST_PARTY_EACH, ST_PARTY_EACH_ROLE,
	ST_LICENSE_ADD, ST_LICENSE_GET, ST_LICENSE_UPDATE,
	ST_CERT_ADD, ST_CERT_GET, ST_CERT_USABLE, ST_CERT_SET_USED, ST_CERT_EACH,
	ST_DOMESTIC_ADD, ST_DOMESTIC_UNITS, ST_DOMESTIC_EACH,
	ST_SHIPMENT_ADD, ST_SHIPMENT_GET, ST_SHIPMENT_KEY, ST_SHIPMENT_EACH, ST_FEE_TOTALS,
	ST_EXPORT_ADD, ST_EXPORT_GET, ST_EXPORT_CHECK,
	ST_SERIAL_FIND, ST_SERIAL_ADD, ST_SERIAL_EACH_OF, ST_SERIAL_COUNT,
	ST_POSTING_ADD, ST_POSTING_EACH_OF, ST_POSTING_TOTALS,
	ST_REMIT_ADD, ST_REMIT_KEY, ST_REMIT_EACH,
	ST_SUSP_ADD, ST_SUSP_GET, ST_SUSP_UPDATE, ST_SUSP_EACH, ST_SUSP_EACH_ACTIVE,
	ST_TOKEN_ADD, ST_TOKEN_GET, ST_TOKEN_HASH, ST_TOKEN_UPDATE, ST_TOKEN_EACH,
	ST_IDEM_GET, ST_IDEM_ADD,
	ST_LISTV_CURRENT, ST_LISTV_ADD, ST_LISTV_SUPERSEDE, ST_LISTE_DELETE, ST_LISTN_DELETE,
	ST_LISTV_COUNTS, ST_LISTV_GET, ST_LISTV_EACH, ST_LISTV_EACH_CURRENT,
	ST_LISTE_ADD, ST_LISTN_ADD, ST_LISTE_EACH, ST_LISTN_EACH, ST_LIST_TOTALS,
	ST_AUDIT_HEAD, ST_AUDIT_ADD, ST_AUDIT_EACH, ST_AUDIT_EACH_FROM,
	ST_COUNT_
};

struct ct_store {
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT_];
	char err[512];
	long fail_after;       /* 0: off; else calls left before failing */
	bool failing;
};

/* Counts a store call for fault injection; false means "fail this call". */
bool ct_store_enter(struct ct_store *s);
/* Returns the cached statement, reset and with bindings cleared; NULL on
 * a prepare failure (message in s->err). */
sqlite3_stmt *ct_store_stmt(struct ct_store *s, enum ct_stmt_id id, const char *sql);
/* Maps a SQLite result to ct_rc and records the message. */
enum ct_rc ct_store_fail(struct ct_store *s, int sqlite_rc, const char *what);
/* Runs a statement expected to change rows: CT_OK, CT_ECONFLICT on a
 * constraint, CT_EIO otherwise. */
enum ct_rc ct_store_exec_stmt(struct ct_store *s, sqlite3_stmt *st, const char *what);

/* Bind helpers: text "" binds NULL where a column is optional. */
void ct_bind_text(sqlite3_stmt *st, int i, const char *v);
void ct_bind_opt_text(sqlite3_stmt *st, int i, const char *v);
void ct_bind_opt_double(sqlite3_stmt *st, int i, double v);
void ct_bind_date(sqlite3_stmt *st, int i, ct_date d);
void ct_col_text(sqlite3_stmt *st, int i, char *buf, size_t size);
double ct_col_opt_double(sqlite3_stmt *st, int i);
ct_date ct_col_date(sqlite3_stmt *st, int i);

#define CT_ENTER(s) do { if (!ct_store_enter(s)) return CT_EIO; } while (0)
#define CT_STMT(s, id, sql) \
	sqlite3_stmt *st = ct_store_stmt((s), (id), (sql)); \
	if (!st) return CT_EIO

enum ct_rc ct_store_schema_create(struct ct_store *s);
enum ct_rc ct_store_schema_check(struct ct_store *s);


/* Steps a query expected to give at most one row: CT_OK leaves the
 * statement on the row (read it, then sqlite3_reset); CT_ENOTFOUND and
 * errors reset it. */
enum ct_rc ct_store_step_one(struct ct_store *s, sqlite3_stmt *st, const char *what);

/* The loop of every *_each function: READ fills a row from st, CALL hands
 * it to the caller's function; a non-OK return from CALL stops the walk
 * and is returned. */
#define CT_EACH_ROW(s, st, READ, CALL, what) \
	do { \
		int rc_; \
		while ((rc_ = sqlite3_step(st)) == SQLITE_ROW) { \
			READ; \
			enum ct_rc r_ = (CALL); \
			if (r_ != CT_OK) { \
				sqlite3_reset(st); \
				return r_; \
			} \
		} \
		sqlite3_reset(st); \
		return rc_ == SQLITE_DONE ? CT_OK : ct_store_fail((s), rc_, (what)); \
	} while (0)

#endif
