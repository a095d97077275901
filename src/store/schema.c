/* The SQLite schema as numbered migrations. A database records the number
 * it has reached in PRAGMA user_version; opening runs the missing ones. */
#include <string.h>
#include "store_internal.h"

static const char *const migrations[] = {
	/* 1: the core regime */
	"CREATE TABLE policy_versions ("
	" id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE,"
	" document TEXT NOT NULL, loaded_at TEXT NOT NULL);"
	"CREATE TABLE products ("
	" model TEXT PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL, vendor TEXT NOT NULL,"
	" fp64 REAL, fp32 REAL, tf32 REAL, fp16 REAL, bf16 REAL, fp8 REAL, int8 REAL,"
	" fp6 REAL, fp4 REAL, bw_gbs REAL, mem_gb REAL, die_mm2 REAL,"
	" datacenter INTEGER NOT NULL, us_available TEXT, source TEXT NOT NULL);"
	"CREATE TABLE parties ("
	" id TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, name_zh TEXT,"
	" country TEXT NOT NULL, hq_country TEXT NOT NULL, parent TEXT,"
	" status TEXT NOT NULL, end_uses INTEGER NOT NULL, status_reason TEXT);"
	"CREATE INDEX parties_role ON parties(role, id);"
	"CREATE TABLE licenses ("
	" id INTEGER PRIMARY KEY, vendor TEXT NOT NULL, customer TEXT NOT NULL,"
	" product TEXT NOT NULL, program TEXT, policy_version TEXT NOT NULL,"
	" units_requested INTEGER NOT NULL, units_approved INTEGER NOT NULL,"
	" units_shipped INTEGER NOT NULL, end_uses INTEGER NOT NULL,"
	" valid_from TEXT NOT NULL, valid_until TEXT, export_from TEXT NOT NULL,"
	" destination TEXT NOT NULL, status TEXT NOT NULL, reasons TEXT NOT NULL,"
	" decision_note TEXT NOT NULL, created_at TEXT NOT NULL);"
	"CREATE INDEX licenses_vendor ON licenses(vendor, id);"
	"CREATE INDEX licenses_customer ON licenses(customer, id);"
	"CREATE INDEX licenses_status ON licenses(status, id);"
	"CREATE TABLE certificates ("
	" id INTEGER PRIMARY KEY, lab TEXT NOT NULL, product TEXT NOT NULL,"
	" batch TEXT NOT NULL, units INTEGER NOT NULL, units_used INTEGER NOT NULL,"
	" cert_date TEXT NOT NULL, created_at TEXT NOT NULL);"
	"CREATE INDEX certificates_batch ON certificates(product, batch, cert_date, id);"
	"CREATE TABLE domestic_volumes ("
	" id INTEGER PRIMARY KEY, vendor TEXT NOT NULL, product TEXT NOT NULL,"
	" units INTEGER NOT NULL, vol_date TEXT NOT NULL, created_at TEXT NOT NULL);"
	"CREATE INDEX domestic_product ON domestic_volumes(product, vol_date);"
	"CREATE TABLE shipments ("
	" id INTEGER PRIMARY KEY, license_id INTEGER NOT NULL, vendor TEXT NOT NULL,"
	" customer TEXT NOT NULL, product TEXT NOT NULL, program TEXT NOT NULL,"
	" policy_version TEXT NOT NULL, destination TEXT NOT NULL,"
	" units INTEGER NOT NULL, unit_value_cents INTEGER NOT NULL,"
	" fee_cents INTEGER NOT NULL, rate_bp INTEGER NOT NULL, batch TEXT NOT NULL,"
	" ship_date TEXT NOT NULL, idem_key TEXT, request_hash TEXT NOT NULL,"
	" certificate_id INTEGER, booked_at TEXT NOT NULL);"
	/* Idempotency keys belong to the vendor: one vendor's key neither
	 * blocks nor reveals another's shipment. */
	"CREATE UNIQUE INDEX shipments_key ON shipments(vendor, idem_key);"
	/* Running totals per product and program: the cap's numerator
	 * without a scan of every shipment. Derived from shipments. */
	"CREATE TABLE export_totals ("
	" product TEXT NOT NULL, program TEXT NOT NULL, units INTEGER NOT NULL,"
	" PRIMARY KEY (product, program)) WITHOUT ROWID;"
	"CREATE TABLE serials ("
	" serial TEXT PRIMARY KEY, shipment_id INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX serials_shipment ON serials(shipment_id);"
	"CREATE TABLE postings ("
	" id INTEGER PRIMARY KEY, ref_kind TEXT NOT NULL, ref_id INTEGER NOT NULL,"
	" vendor TEXT NOT NULL, account TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
	" post_date TEXT NOT NULL);"
	"CREATE INDEX postings_ref ON postings(ref_kind, ref_id);"
	"CREATE INDEX postings_vendor ON postings(vendor, post_date, id);"
	"CREATE TABLE remittances ("
	" id INTEGER PRIMARY KEY, vendor TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
	" ref TEXT NOT NULL, idem_key TEXT, request_hash TEXT NOT NULL,"
	" remit_date TEXT NOT NULL, created_at TEXT NOT NULL);"
	"CREATE UNIQUE INDEX remittances_key ON remittances(vendor, idem_key);"
	"CREATE TABLE suspensions ("
	" id INTEGER PRIMARY KEY, scope TEXT NOT NULL, reason TEXT NOT NULL,"
	" created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
	" resumed_at TEXT, resumed_by TEXT);"
	"CREATE TABLE audit_events ("
	" seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, payload TEXT NOT NULL,"
	" prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
	/* 2: API tokens. Only a hash of each token is kept. */
	"CREATE TABLE tokens ("
	" id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
	" party TEXT, name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);"
	/* The API lists shipments by license, vendor and customer. */
	"CREATE INDEX shipments_license ON shipments(license_id, id);"
	"CREATE INDEX shipments_vendor ON shipments(vendor, id);"
	"CREATE INDEX shipments_customer ON shipments(customer, id);"
	/* Idempotency-Key of API creates that have no key of their own. */
	"CREATE TABLE api_idempotency ("
	" key TEXT NOT NULL, principal TEXT NOT NULL, route TEXT NOT NULL,"
	" request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,"
	" created_at TEXT NOT NULL, PRIMARY KEY (principal, key)) WITHOUT ROWID;",
	/* 3: restricted-party lists. One row per imported version; a source's
	 * current version is its row with superseded_by NULL. Entries and
	 * names are kept for current versions only (an import deletes the
	 * previous version's), but every version row stays as history. */
	"CREATE TABLE list_versions ("
	" id INTEGER PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL,"
	" entries INTEGER NOT NULL, names INTEGER NOT NULL, sha256 TEXT NOT NULL,"
	" imported_at TEXT NOT NULL, actor TEXT NOT NULL, superseded_by INTEGER);"
	"CREATE INDEX list_versions_source ON list_versions(source, superseded_by, id);"
	"CREATE TABLE list_entries ("
	" id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, entry_id TEXT NOT NULL,"
	" list TEXT NOT NULL, program TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,"
	" country TEXT NOT NULL, remarks TEXT NOT NULL, address TEXT NOT NULL);"
	"CREATE INDEX list_entries_version ON list_entries(version_id, id);"
	"CREATE INDEX list_entries_listed ON list_entries(version_id, entry_id);"
	/* Every name an entry is listed under, the unit screening matches. */
	"CREATE TABLE list_names ("
	" id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, entry INTEGER NOT NULL,"
	" name TEXT NOT NULL, kind TEXT NOT NULL, note TEXT NOT NULL);"
	"CREATE INDEX list_names_version ON list_names(version_id, id);"
	"CREATE INDEX list_names_entry ON list_names(entry, id);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static enum ct_rc run_migrations(struct ct_store *s, int from)
{
	for (int v = from; v < N_MIGRATIONS; v++) {
		char *msg = NULL;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE;", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, "COMMIT;", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(s->err, sizeof s->err, "migration %d failed: %s", v + 1,
				 msg ? msg : "unknown error");
			sqlite3_free(msg);
			sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
			return CT_EIO;
		}
	}
	return CT_OK;
}

static int user_version(struct ct_store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version;", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

enum ct_rc ct_store_schema_create(struct ct_store *s)
{
	return run_migrations(s, 0);
}

enum ct_rc ct_store_schema_check(struct ct_store *s)
{
	int v = user_version(s);
	if (v <= 0) {
		snprintf(s->err, sizeof s->err,
			 "not a chiptoll database (no schema version): run 'chiptoll init' "
			 "to create one");
		return CT_EIO;
	}
	if (v > N_MIGRATIONS) {
		snprintf(s->err, sizeof s->err,
			 "database schema version %d is newer than this build knows (%d): "
			 "use a newer chiptoll", v, N_MIGRATIONS);
		return CT_EIO;
	}
	return run_migrations(s, v);
}
