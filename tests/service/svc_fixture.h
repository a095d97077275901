/* Test helpers for the service-level tests: a fresh database in a private
 * temporary directory, a fixed clock, request builders, and a second
 * sqlite3 connection for reading (and tampering with) the file behind the
 * library's back.
 *
 * CT_SOURCE_ROOT is defined by tests/service/meson.build. */
#ifndef CT_TEST_SVC_FIXTURE_H
#define CT_TEST_SVC_FIXTURE_H

#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chiptoll/service.h"
#include "chiptoll/store.h"

#define FX_POLICY CT_SOURCE_ROOT "/data/policy/chiptoll-policy-2026-01-15.json"
#define FX_CATALOG CT_SOURCE_ROOT "/data/products.csv"
#define FX_PROGRAM "case-by-case-2026"

/* 2026-06-01T00:00:00Z: well inside the 2026 case-by-case program. */
#define FX_NOW 1780272000LL

static inline int64_t fx_clock(void)
{
	return FX_NOW;
}

struct fx {
	char dir[64];
	char path[128];
	struct ct_ctx ctx;
	bool open;
};

static inline char *fx_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static inline void fx_remove_files(const char *dir, const char *path)
{
	char p[200];
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* A failed assertion leaves the test function early, past fx_close: the
 * test process removes its temporary database when it exits. */
static char fx_leftover_dir[64], fx_leftover_path[128];

static inline void fx_remove_leftover(void)
{
	if (fx_leftover_dir[0])
		fx_remove_files(fx_leftover_dir, fx_leftover_path);
}

/* Creates a database with the bundled policy and catalog, clock fixed. */
static inline void fx_open(struct fx *fx)
{
	static bool registered;
	memset(fx, 0, sizeof *fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/ct_svc_XXXXXX");
	cr_assert_not_null(mkdtemp(fx->dir), "mkdtemp failed");
	if (!registered)
		atexit(fx_remove_leftover);
	registered = true;
	snprintf(fx_leftover_dir, sizeof fx_leftover_dir, "%s", fx->dir);
	snprintf(fx_leftover_path, sizeof fx_leftover_path, "%s/chiptoll.db", fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/chiptoll.db", fx->dir);
	size_t plen, clen;
	char *policy = fx_read_file(FX_POLICY, &plen);
	char *catalog = fx_read_file(FX_CATALOG, &clen);
	struct ct_err err = {0};
	enum ct_rc rc = ct_ctx_create(&fx->ctx, fx->path, "tester", policy, plen, catalog, clen,
				      &err);
	free(policy);
	free(catalog);
	cr_assert_eq(rc, CT_OK, "ct_ctx_create: %s", err.message);
	fx->ctx.clock = fx_clock;
	fx->open = true;
}

static inline void fx_close(struct fx *fx)
{
	if (fx->open)
		ct_ctx_close(&fx->ctx);
	fx->open = false;
	fx_remove_files(fx->dir, fx->path);
	fx_leftover_dir[0] = '\0';
}

/* ---- calling services ---- */

/* Asserts CT_OK and returns *out (caller decrefs). */
#define FX_OK(call_expr, outp, errp)                                                         \
	do {                                                                                 \
		enum ct_rc rc_ = (call_expr);                                                \
		cr_assert_eq(rc_, CT_OK, "%s -> %s: %s", #call_expr, ct_rc_name(rc_),       \
			     (errp)->message);                                               \
		(void)(outp);                                                                \
	} while (0)

static inline void fx_party(struct fx *fx, const char *role, const char *id, const char *country,
			    bool approve)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:s}", "role", role, "id", id, "name", id,
				"country", country, "end_uses", "training,inference");
	enum ct_rc rc = ct_svc_party_add(&fx->ctx, req, &out, &err);
	json_decref(req);
	json_decref(out);
	cr_assert_eq(rc, CT_OK, "party add %s: %s", id, err.message);
	if (approve) {
		rc = ct_svc_party_act(&fx->ctx, id, "approve", NULL, &out, &err);
		json_decref(out);
		cr_assert_eq(rc, CT_OK, "party approve %s: %s", id, err.message);
	}
}

static inline void fx_certify(struct fx *fx, const char *lab, const char *product,
			      const char *batch, long long units)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:s, s:s, s:I}", "lab", lab, "product", product, "batch",
				batch, "units", (json_int_t)units);
	enum ct_rc rc = ct_svc_lab_certify(&fx->ctx, req, &out, &err);
	json_decref(req);
	json_decref(out);
	cr_assert_eq(rc, CT_OK, "certify: %s", err.message);
}

static inline void fx_domestic(struct fx *fx, const char *vendor, const char *product,
			       long long units)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:s, s:I}", "vendor", vendor, "product", product, "units",
				(json_int_t)units);
	enum ct_rc rc = ct_svc_domestic_record(&fx->ctx, req, &out, &err);
	json_decref(req);
	json_decref(out);
	cr_assert_eq(rc, CT_OK, "domestic record: %s", err.message);
}

/* Applies for and approves a license; returns its id. */
static inline int64_t fx_license(struct fx *fx, const char *vendor, const char *customer,
				 const char *product, long long units)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:s, s:s, s:I, s:s}", "vendor", vendor, "customer",
				customer, "product", product, "units", (json_int_t)units,
				"end_uses", "training");
	enum ct_rc rc = ct_svc_license_apply(&fx->ctx, req, &out, &err);
	json_decref(req);
	cr_assert_eq(rc, CT_OK, "license apply: %s", err.message);
	int64_t id = json_integer_value(json_object_get(out, "license"));
	cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "pending");
	json_decref(out);
	rc = ct_svc_license_act(&fx->ctx, id, "approve", NULL, &out, &err);
	json_decref(out);
	cr_assert_eq(rc, CT_OK, "license approve: %s", err.message);
	return id;
}

/* A JSON array of n serials "<prefix>-<i>". */
static inline json_t *fx_serials(const char *prefix, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		char s[64];
		snprintf(s, sizeof s, "%s-%04d", prefix, i);
		json_array_append_new(a, json_string(s));
	}
	return a;
}

/* A ship request; key may be NULL. serials is stolen (may be NULL). */
static inline json_t *fx_ship_req(int64_t license, long long units, const char *unit_value,
				  const char *batch, const char *key, json_t *serials)
{
	json_t *req = json_pack("{s:I, s:I, s:s, s:s}", "license", (json_int_t)license, "units",
				(json_int_t)units, "unit_value", unit_value, "batch", batch);
	if (key)
		json_object_set_new(req, "key", json_string(key));
	if (serials)
		json_object_set_new(req, "serials", serials);
	return req;
}

/* The standard scene: vendor NVIDIA, customer CUST-CN (CN), lab LAB1 all
 * approved; H200 certified for batch B1 (10000 units); 1000 US domestic
 * units (cap 500); one approved license for 400 units. Returns the
 * license id. */
static inline int64_t fx_scene(struct fx *fx)
{
	fx_party(fx, "vendor", "NVIDIA", "US", true);
	fx_party(fx, "customer", "CUST-CN", "CN", true);
	fx_party(fx, "lab", "LAB1", "US", true);
	fx_certify(fx, "LAB1", "H200", "B1", 10000);
	fx_domestic(fx, "NVIDIA", "H200", 1000);
	return fx_license(fx, "NVIDIA", "CUST-CN", "H200", 400);
}

/* ---- reading the file behind the library ---- */

static inline sqlite3 *fx_db(struct fx *fx)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READWRITE, NULL);
	cr_assert_eq(rc, SQLITE_OK, "sqlite3_open %s: %s", fx->path,
		     db ? sqlite3_errmsg(db) : "?");
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* One integer from a query (0 for NULL). */
static inline int64_t fx_q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	cr_assert_eq(rc, SQLITE_OK, "prepare %s: %s", sql, sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	cr_assert_eq(rc, SQLITE_ROW, "step %s: %s", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static inline void fx_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* Counts and sums a partial write would disturb, plus a digest of every
 * row of every table, so "unchanged" means unchanged. */
struct fx_snap {
	int64_t shipments, serials, postings, postings_sum, audit, remittances, licenses;
	int64_t units_shipped, cert_used, export_units, export_rows, domestic, certs, parties;
	int64_t suspensions;
	char digest[65];
};

static const char *const fx_tables[] = {
	"policy_versions", "products", "parties", "licenses", "certificates",
	"domestic_volumes", "shipments", "export_totals", "serials", "postings",
	"remittances", "suspensions", "audit_events",
};

static inline void fx_snapshot(struct fx *fx, struct fx_snap *s)
{
	sqlite3 *db = fx_db(fx);
	memset(s, 0, sizeof *s);
	s->shipments = fx_q(db, "SELECT COUNT(*) FROM shipments");
	s->serials = fx_q(db, "SELECT COUNT(*) FROM serials");
	s->postings = fx_q(db, "SELECT COUNT(*) FROM postings");
	s->postings_sum = fx_q(db, "SELECT COALESCE(SUM(ABS(amount_cents)),0) FROM postings");
	s->audit = fx_q(db, "SELECT COUNT(*) FROM audit_events");
	s->remittances = fx_q(db, "SELECT COUNT(*) FROM remittances");
	s->licenses = fx_q(db, "SELECT COUNT(*) FROM licenses");
	s->units_shipped = fx_q(db, "SELECT COALESCE(SUM(units_shipped),0) FROM licenses");
	s->cert_used = fx_q(db, "SELECT COALESCE(SUM(units_used),0) FROM certificates");
	s->export_units = fx_q(db, "SELECT COALESCE(SUM(units),0) FROM export_totals");
	s->export_rows = fx_q(db, "SELECT COUNT(*) FROM export_totals");
	s->domestic = fx_q(db, "SELECT COUNT(*) FROM domestic_volumes");
	s->certs = fx_q(db, "SELECT COUNT(*) FROM certificates");
	s->parties = fx_q(db, "SELECT COUNT(*) FROM parties");
	s->suspensions = fx_q(db, "SELECT COUNT(*) FROM suspensions");

	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	for (size_t t = 0; t < sizeof fx_tables / sizeof fx_tables[0]; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2", fx_tables[t]);
		sqlite3_stmt *st = NULL;
		cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
		crypto_generichash_update(&h, (const unsigned char *)sql, strlen(sql));
		while (sqlite3_step(st) == SQLITE_ROW) {
			int n = sqlite3_column_count(st);
			for (int i = 0; i < n; i++) {
				const unsigned char *v = sqlite3_column_text(st, i);
				int len = sqlite3_column_bytes(st, i);
				crypto_generichash_update(&h, v ? v : (const unsigned char *)"\x01NULL",
							  v ? (size_t)len : 5);
				crypto_generichash_update(&h, (const unsigned char *)"\x1f", 1);
			}
			crypto_generichash_update(&h, (const unsigned char *)"\x1e", 1);
		}
		sqlite3_finalize(st);
	}
	unsigned char d[32];
	crypto_generichash_final(&h, d, sizeof d);
	sodium_bin2hex(s->digest, sizeof s->digest, d, sizeof d);
	sqlite3_close(db);
}

static inline void fx_snap_eq(const struct fx_snap *a, const struct fx_snap *b, const char *what)
{
#define FX_EQ(f) cr_assert_eq(a->f, b->f, "%s: " #f " changed from %lld to %lld", what, \
			      (long long)a->f, (long long)b->f)
	FX_EQ(shipments);
	FX_EQ(serials);
	FX_EQ(postings);
	FX_EQ(postings_sum);
	FX_EQ(audit);
	FX_EQ(remittances);
	FX_EQ(licenses);
	FX_EQ(units_shipped);
	FX_EQ(cert_used);
	FX_EQ(export_units);
	FX_EQ(export_rows);
	FX_EQ(domestic);
	FX_EQ(certs);
	FX_EQ(parties);
	FX_EQ(suspensions);
#undef FX_EQ
	cr_assert_str_eq(a->digest, b->digest, "%s: some row changed", what);
}

/* Asserts audit verify succeeds; returns the event count. */
static inline int64_t fx_verify_ok(struct fx *fx, const char *what)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_audit_verify(&fx->ctx, &out, &err);
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	cr_assert_eq(rc, CT_OK, "%s: audit verify -> %s: %s %s", what, ct_rc_name(rc),
		     err.message, text ? text : "");
	free(text);
	cr_assert(json_is_true(json_object_get(out, "ok")), "%s: verify ok is not true", what);
	int64_t events = json_integer_value(json_object_get(out, "events"));
	json_decref(out);
	return events;
}

#endif
