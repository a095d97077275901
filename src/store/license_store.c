/* Licenses, lab certificates and US domestic volumes. */
#include <string.h>
#include "store_internal.h"

#define LICENSE_COLS \
	"id, vendor, customer, product, program, policy_version, units_requested," \
	" units_approved, units_shipped, end_uses, valid_from, valid_until, export_from," \
	" destination, status, reasons, decision_note, created_at"

static void bind_license(sqlite3_stmt *st, const struct ct_license_row *l)
{
	if (l->id > 0)
		sqlite3_bind_int64(st, 1, l->id);
	ct_bind_text(st, 2, l->vendor);
	ct_bind_text(st, 3, l->customer);
	ct_bind_text(st, 4, l->product);
	ct_bind_opt_text(st, 5, l->program);
	ct_bind_text(st, 6, l->policy_version);
	sqlite3_bind_int64(st, 7, l->units_requested);
	sqlite3_bind_int64(st, 8, l->units_approved);
	sqlite3_bind_int64(st, 9, l->units_shipped);
	sqlite3_bind_int(st, 10, (int)l->end_uses);
	ct_bind_date(st, 11, l->valid_from);
	ct_bind_date(st, 12, l->valid_until);
	ct_bind_text(st, 13, l->export_from);
	ct_bind_text(st, 14, l->destination);
	ct_bind_text(st, 15, ct_license_status_name(l->status));
	ct_bind_text(st, 16, l->reasons);
	ct_bind_text(st, 17, l->decision_note);
	ct_bind_text(st, 18, l->created_at);
}

static void read_license(sqlite3_stmt *st, struct ct_license_row *l)
{
	char buf[32];
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, l->vendor, sizeof l->vendor);
	ct_col_text(st, 2, l->customer, sizeof l->customer);
	ct_col_text(st, 3, l->product, sizeof l->product);
	ct_col_text(st, 4, l->program, sizeof l->program);
	ct_col_text(st, 5, l->policy_version, sizeof l->policy_version);
	l->units_requested = sqlite3_column_int64(st, 6);
	l->units_approved = sqlite3_column_int64(st, 7);
	l->units_shipped = sqlite3_column_int64(st, 8);
	l->end_uses = (unsigned)sqlite3_column_int(st, 9);
	l->valid_from = ct_col_date(st, 10);
	l->valid_until = ct_col_date(st, 11);
	ct_col_text(st, 12, l->export_from, sizeof l->export_from);
	ct_col_text(st, 13, l->destination, sizeof l->destination);
	ct_col_text(st, 14, buf, sizeof buf);
	ct_license_status_parse(buf, &l->status);
	ct_col_text(st, 15, l->reasons, sizeof l->reasons);
	ct_col_text(st, 16, l->decision_note, sizeof l->decision_note);
	ct_col_text(st, 17, l->created_at, sizeof l->created_at);
}

enum ct_rc ct_store_license_add(struct ct_store *s, struct ct_license_row *l)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LICENSE_ADD,
		"INSERT INTO licenses(" LICENSE_COLS ") VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	l->id = 0;
	bind_license(st, l);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding license");
	if (rc == CT_OK)
		l->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_license_update(struct ct_store *s, const struct ct_license_row *l)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LICENSE_UPDATE,
		"UPDATE licenses SET vendor=?2, customer=?3, product=?4, program=?5,"
		" policy_version=?6, units_requested=?7, units_approved=?8, units_shipped=?9,"
		" end_uses=?10, valid_from=?11, valid_until=?12, export_from=?13,"
		" destination=?14, status=?15, reasons=?16, decision_note=?17, created_at=?18"
		" WHERE id=?1");
	bind_license(st, l);
	return ct_store_exec_stmt(s, st, "updating license");
}

enum ct_rc ct_store_license_get(struct ct_store *s, int64_t id, struct ct_license_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_LICENSE_GET, "SELECT " LICENSE_COLS " FROM licenses WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading license");
	if (rc == CT_OK) {
		read_license(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no license %lld", (long long)id);
	}
	return rc;
}

enum ct_rc ct_store_license_each(struct ct_store *s, const struct ct_license_filter *f,
				 ct_license_fn fn, void *arg)
{
	CT_ENTER(s);
	/* One statement for every filter combination: a NULL parameter
	 * matches everything, so the statement can stay prepared. */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT " LICENSE_COLS " FROM licenses"
		" WHERE (?1 IS NULL OR vendor = ?1) AND (?2 IS NULL OR customer = ?2)"
		" AND (?3 IS NULL OR status = ?3) ORDER BY id LIMIT ?4 OFFSET ?5",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return ct_store_fail(s, rc, "listing licenses");
	ct_bind_opt_text(st, 1, f->vendor);
	ct_bind_opt_text(st, 2, f->customer);
	if (f->status >= 0)
		ct_bind_text(st, 3, ct_license_status_name((enum ct_license_status)f->status));
	sqlite3_bind_int64(st, 4, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(st, 5, f->offset);
	struct ct_license_row l;
	enum ct_rc out = CT_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_license(st, &l);
		if ((out = fn(&l, arg)) != CT_OK)
			break;
	}
	if (out == CT_OK && rc != SQLITE_DONE)
		out = ct_store_fail(s, rc, "listing licenses");
	sqlite3_finalize(st);
	return out;
}

/* ---- certificates ---- */

#define CERT_COLS "id, lab, product, batch, units, units_used, cert_date, created_at"

static void read_certificate(sqlite3_stmt *st, struct ct_certificate_row *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	ct_col_text(st, 1, c->lab, sizeof c->lab);
	ct_col_text(st, 2, c->product, sizeof c->product);
	ct_col_text(st, 3, c->batch, sizeof c->batch);
	c->units = sqlite3_column_int64(st, 4);
	c->units_used = sqlite3_column_int64(st, 5);
	c->cert_date = ct_col_date(st, 6);
	ct_col_text(st, 7, c->created_at, sizeof c->created_at);
}

enum ct_rc ct_store_certificate_add(struct ct_store *s, struct ct_certificate_row *c)
{
	CT_ENTER(s);
	CT_STMT(s, ST_CERT_ADD,
		"INSERT INTO certificates(lab, product, batch, units, units_used, cert_date,"
		" created_at) VALUES (?,?,?,?,?,?,?)");
	ct_bind_text(st, 1, c->lab);
	ct_bind_text(st, 2, c->product);
	ct_bind_text(st, 3, c->batch);
	sqlite3_bind_int64(st, 4, c->units);
	sqlite3_bind_int64(st, 5, c->units_used);
	ct_bind_date(st, 6, c->cert_date);
	ct_bind_text(st, 7, c->created_at);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "adding certificate");
	if (rc == CT_OK)
		c->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_certificate_get(struct ct_store *s, int64_t id, struct ct_certificate_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_CERT_GET, "SELECT " CERT_COLS " FROM certificates WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	enum ct_rc rc = ct_store_step_one(s, st, "reading certificate");
	if (rc == CT_OK) {
		read_certificate(st, out);
		sqlite3_reset(st);
	} else if (rc == CT_ENOTFOUND) {
		snprintf(s->err, sizeof s->err, "no certificate %lld", (long long)id);
	}
	return rc;
}

enum ct_rc ct_store_certificate_find_usable(struct ct_store *s, const char *product,
					    const char *batch, ct_date d, int64_t units,
					    struct ct_certificate_row *out)
{
	CT_ENTER(s);
	CT_STMT(s, ST_CERT_USABLE,
		"SELECT c.id, c.lab, c.product, c.batch, c.units, c.units_used, c.cert_date,"
		" c.created_at FROM certificates c JOIN parties p ON p.id = c.lab"
		" WHERE c.product = ?1 AND c.batch = ?2 AND c.cert_date <= ?3"
		" AND c.units - c.units_used >= ?4 AND p.status = 'approved' AND p.role = 'lab'"
		" ORDER BY c.cert_date, c.id LIMIT 1");
	ct_bind_text(st, 1, product);
	ct_bind_text(st, 2, batch);
	ct_bind_date(st, 3, d);
	sqlite3_bind_int64(st, 4, units);
	enum ct_rc rc = ct_store_step_one(s, st, "finding a certificate");
	if (rc == CT_OK) {
		read_certificate(st, out);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_certificate_set_used(struct ct_store *s, int64_t id, int64_t units_used)
{
	CT_ENTER(s);
	CT_STMT(s, ST_CERT_SET_USED, "UPDATE certificates SET units_used = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, units_used);
	sqlite3_bind_int64(st, 2, id);
	return ct_store_exec_stmt(s, st, "updating certificate");
}

enum ct_rc ct_store_certificate_each(struct ct_store *s, ct_certificate_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_CERT_EACH, "SELECT " CERT_COLS " FROM certificates ORDER BY id");
	struct ct_certificate_row c;
	CT_EACH_ROW(s, st, read_certificate(st, &c), fn(&c, arg), "listing certificates");
}

/* ---- domestic volumes ---- */

enum ct_rc ct_store_domestic_add(struct ct_store *s, struct ct_domestic_row *d)
{
	CT_ENTER(s);
	CT_STMT(s, ST_DOMESTIC_ADD,
		"INSERT INTO domestic_volumes(vendor, product, units, vol_date, created_at)"
		" VALUES (?,?,?,?,?)");
	ct_bind_text(st, 1, d->vendor);
	ct_bind_text(st, 2, d->product);
	sqlite3_bind_int64(st, 3, d->units);
	ct_bind_date(st, 4, d->vol_date);
	ct_bind_text(st, 5, d->created_at);
	enum ct_rc rc = ct_store_exec_stmt(s, st, "recording domestic volume");
	if (rc == CT_OK)
		d->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum ct_rc ct_store_domestic_units(struct ct_store *s, const char *product, ct_date d,
				   int64_t *units)
{
	CT_ENTER(s);
	CT_STMT(s, ST_DOMESTIC_UNITS,
		"SELECT COALESCE(SUM(units), 0) FROM domestic_volumes"
		" WHERE product = ? AND vol_date <= ?");
	ct_bind_text(st, 1, product);
	ct_bind_date(st, 2, d);
	enum ct_rc rc = ct_store_step_one(s, st, "summing domestic volumes");
	if (rc == CT_OK) {
		*units = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

enum ct_rc ct_store_domestic_each(struct ct_store *s, ct_domestic_fn fn, void *arg)
{
	CT_ENTER(s);
	CT_STMT(s, ST_DOMESTIC_EACH,
		"SELECT id, vendor, product, units, vol_date, created_at FROM domestic_volumes"
		" ORDER BY id");
	struct ct_domestic_row d;
	CT_EACH_ROW(s, st,
		    (memset(&d, 0, sizeof d), d.id = sqlite3_column_int64(st, 0),
		     ct_col_text(st, 1, d.vendor, sizeof d.vendor),
		     ct_col_text(st, 2, d.product, sizeof d.product),
		     d.units = sqlite3_column_int64(st, 3), d.vol_date = ct_col_date(st, 4),
		     ct_col_text(st, 5, d.created_at, sizeof d.created_at)),
		    fn(&d, arg), "listing domestic volumes");
}
