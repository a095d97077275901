/* Shipments, their serials, and the running export totals per product. */
#include <string.h>
#include "store_internal.h"

#define SHIPMENT_COLS \
	"id, license_id, vendor, customer, product, program, policy_version, destination," \
	" units, unit_value_cents, fee_cents, rate_bp, batch, ship_date, idem_key," \
	" request_hash, certificate_id, booked_at"

static void read_shipment(sqlite3_stmt *st, struct ct_shipment_row *sh)
{
	memset(sh, 0, sizeof *sh);
	sh->id = sqlite3_column_int64(st, 0);
	sh->license_id = sqlite3_column_int64(st, 1);
	ct_col_text(st, 2, sh->vendor, sizeof sh->vendor);
	ct_col_text(st, 3, sh->customer, sizeof sh->customer);
	ct_col_text(st, 4, sh->product, sizeof sh->product);
	ct_col_text(st, 5, sh->program, sizeof sh->program);
	ct_col_text(st, 6, sh->policy_version, sizeof sh->policy_version);
	ct_col_text(st, 7, sh->destination, sizeof sh->destination);
	sh->units = sqlite3_column_int64(st, 8);
	sh->unit_value_cents = sqlite3_column_int64(st, 9);
	sh->fee_cents = sqlite3_column_int64(st, 10);
	sh->rate_bp = sqlite3_column_int(st, 11);
	ct_col_text(st, 12, sh->batch, sizeof sh->batch);
	sh->ship_date = ct_col_date(st, 13);
	ct_col_text(st, 14, sh->idem_key, sizeof sh->idem_key);
	ct_col_text(st, 15, sh->request_hash, sizeof sh->request_hash);
	sh->certificate_id = sqlite3_column_int64(st, 16);
	ct_col_text(st, 17, sh->booked_at, sizeof sh->booked_at);
}

enum ct_rc ct_store_shipment_add(struct ct_store *s, struct ct_shipment_row *sh)
{
	CT_ENTER(s);
	{
		CT_STMT(s, ST_SHIPMENT_ADD,
			"INSERT INTO shipments(license_id, vendor, customer, product, program,"
			" policy_version, destination, units, unit_value_cents, fee_cents, rate_bp,"
			" batch, ship_date, idem_key, request_hash, certificate_id, booked_at)"
			" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
		sqlite3_bind_int64(st, 1, sh->license_id);
		ct_bind_text(st, 2, sh->vendor);
		ct_bind_text(st, 3, sh->customer);
		ct_bind_text(st, 4, sh->product);
		ct_bind_text(st, 5, sh->program);
		ct_bind_text(st, 6, sh->policy_version);
		ct_bind_text(st, 7, sh->destination);
		sqlite3_bind_int64(st, 8, sh->units);
		sqlite3_bind_int64(st, 9, sh->unit_value_cents);
		sqlite3_bind_int64(st, 10, sh->fee_cents);
		sqlite3_bind_int(st, 11, sh->rate_bp);
		ct_bind_text(st, 12, sh->batch);
		ct_bind_date(st, 13, sh->ship_date);
		ct_bind_opt_text(st, 14, sh->idem_key);
		ct_bind_text(st, 15, sh->request_hash);
		if (sh->certificate_id > 0)
			sqlite3_bind_int64(st, 16, sh->certificate_id);
		ct_bind_text(st, 17, sh->booked_at);
		enum ct_rc rc = ct_store_exec_stmt(s, st, "adding shipment");
		if (rc != CT_OK)
			return rc;
		sh->id = sqlite3_last_insert_rowid(s->db);
	}
	CT_STMT(s, ST_EXPORT_ADD,
		"INSERT INTO export_totals(product, program, units) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(product, program) DO UPDATE SET units = units + ?3");
	ct_bind_text(st, 1, sh->product);
	ct_bind_text(st, 2, sh->program);
	sqlite3_bind_int64(st, 3, sh->units);
	return ct_store_exec_stmt(s, st, "updating export totals");
}

enum ct_rc ct_store_shipment_get(struct ct_store *s, int64_t id, struct ct_shipment_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SHIPMENT_GET, "SELECT " SHIPMENT_COLS " FROM shipments WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading shipment");
	if (rc == CT_OK) {
		read_shipment(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no shipment %lld", (long long)id);
	}
	return rc;
}

enum ct_rc ct_store_shipment_find_key(struct ct_store *s, const char *vendor, const char *key,
				      struct ct_shipment_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SHIPMENT_KEY,
		"SELECT " SHIPMENT_COLS " FROM shipments WHERE vendor = ? AND idem_key = ?");
	ct_bind_text(st, 1, vendor);
	ct_bind_text(st, 2, key);
	enum ct_rc rc = ct_store_step_one(s, st, "finding shipment by key");
	if (rc == CT_OK) {
		read_shipment(st, out);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_shipment_each(struct ct_store *s, ct_shipment_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SHIPMENT_EACH, "SELECT " SHIPMENT_COLS " FROM shipments ORDER BY id");
	struct ct_shipment_row sh;
	CT_EACH_ROW(s, st, read_shipment(st, &sh), fn(&sh, arg), "listing shipments");
}

enum ct_rc ct_store_exported_units(struct ct_store *s, const char *product, const char *program,
				   int64_t *units)
{
	CT_ENTER(s);
	CT_STMT(s, ST_EXPORT_GET,
		"SELECT units FROM export_totals WHERE product = ? AND program = ?");
	ct_bind_text(st, 1, product);
	ct_bind_text(st, 2, program);
	*units = 0;
	enum ct_rc rc = ct_store_step_one(s, st, "reading export totals");
	if (rc == CT_OK) {
		*units = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc == CT_ENOTFOUND ? CT_OK : rc;
}

enum ct_rc ct_store_export_totals_mismatches(struct ct_store *s, int64_t *mismatches)
{
	CT_ENTER(s);
	CT_STMT(s, ST_EXPORT_CHECK,
		"SELECT COUNT(*) FROM export_totals e FULL OUTER JOIN"
		" (SELECT product, program, SUM(units) AS units FROM shipments"
		"  GROUP BY product, program) t"
		" ON e.product = t.product AND e.program = t.program"
		" WHERE e.units IS NOT t.units");
	enum ct_rc rc = ct_store_step_one(s, st, "checking export totals");
	if (rc == CT_OK) {
		*mismatches = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

/* ---- serials ---- */

enum ct_rc ct_store_serial_find(struct ct_store *s, const char *serial, int64_t *shipment_id)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SERIAL_FIND, "SELECT shipment_id FROM serials WHERE serial = ?");
	ct_bind_text(st, 1, serial);
	enum ct_rc rc = ct_store_step_one(s, st, "finding serial");
	if (rc == CT_OK) {
		*shipment_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_serial_add(struct ct_store *s, const char *serial, int64_t shipment_id)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SERIAL_ADD, "INSERT INTO serials(serial, shipment_id) VALUES (?, ?)");
	ct_bind_text(st, 1, serial);
	sqlite3_bind_int64(st, 2, shipment_id);
	return ct_store_exec_stmt(s, st, "adding serial");
}

enum ct_rc ct_store_serial_each_of(struct ct_store *s, int64_t shipment_id, ct_serial_fn fn,
				   void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SERIAL_EACH_OF,
		"SELECT serial FROM serials WHERE shipment_id = ? ORDER BY serial");
	sqlite3_bind_int64(st, 1, shipment_id);
	CT_EACH_ROW(s, st, (void)0, fn((const char *)sqlite3_column_text(st, 0), arg),
		    "listing serials");
}

enum ct_rc ct_store_serial_count(struct ct_store *s, int64_t *count)
{
	CT_ENTER(s);
	CT_STMT(s, ST_SERIAL_COUNT, "SELECT COUNT(*) FROM serials");
	enum ct_rc rc = ct_store_step_one(s, st, "counting serials");
	if (rc == CT_OK) {
		*count = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_fee_totals(struct ct_store *s, ct_fee_total_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_FEE_TOTALS,
		"SELECT vendor, program, COUNT(*), SUM(units), SUM(units * unit_value_cents),"
		" SUM(fee_cents) FROM shipments GROUP BY vendor, program ORDER BY vendor, program");
	struct ct_fee_total t;
	CT_EACH_ROW(s, st,
		    (ct_col_text(st, 0, t.vendor, sizeof t.vendor),
		     ct_col_text(st, 1, t.program, sizeof t.program),
		     t.shipments = sqlite3_column_int64(st, 2), t.units = sqlite3_column_int64(st, 3),
		     t.value_cents = sqlite3_column_int64(st, 4),
		     t.fee_cents = sqlite3_column_int64(st, 5)),
		    fn(&t, arg), "totalling fees");
}

enum ct_rc ct_store_shipment_list(struct ct_store *s, const struct ct_shipment_filter *f,
				  ct_shipment_fn fn, void *arg)
{
	CT_ENTER(s);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT " SHIPMENT_COLS " FROM shipments"
		" WHERE (?1 = 0 OR license_id = ?1) AND (?2 IS NULL OR vendor = ?2)"
		" AND (?3 IS NULL OR customer = ?3) ORDER BY id LIMIT ?4 OFFSET ?5",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return ct_store_fail(s, rc, "listing shipments");
	sqlite3_bind_int64(st, 1, f->license_id);
	ct_bind_opt_text(st, 2, f->vendor);
	ct_bind_opt_text(st, 3, f->customer);
	sqlite3_bind_int64(st, 4, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(st, 5, f->offset);
	struct ct_shipment_row sh;
	enum ct_rc out = CT_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_shipment(st, &sh);
		if ((out = fn(&sh, arg)) != CT_OK)
			break;
	}
	if (out == CT_OK && rc != SQLITE_DONE)
		out = ct_store_fail(s, rc, "listing shipments");
	sqlite3_finalize(st);
	return out;
}
