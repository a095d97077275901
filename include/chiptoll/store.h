/* The store: the only code that speaks SQL. One SQLite file today (WAL,
 * synchronous=FULL, so a committed write is on disk); the same functions
 * are the seam for a PostgreSQL backend.
 *
 * Every function returns CT_OK, CT_ENOTFOUND (get/find of a missing row),
 * CT_ECONFLICT (a unique key taken) or CT_EIO with ct_store_errmsg() set.
 * Writes happen inside ct_store_begin()/ct_store_commit(); a failure
 * anywhere is followed by ct_store_rollback(), so nothing is half-written. */
#ifndef CHIPTOLL_STORE_H
#define CHIPTOLL_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "chiptoll/date.h"
#include "chiptoll/license.h"
#include "chiptoll/limits.h"
#include "chiptoll/lists.h"
#include "chiptoll/party.h"
#include "chiptoll/product.h"
#include "chiptoll/rc.h"

struct ct_store;

/* Opens PATH. With create, the file must not exist (CT_ECONFLICT if it
 * does) and the schema is created; without, it must exist (CT_ENOTFOUND)
 * and carry a schema this build knows (CT_EIO otherwise). Migrations run
 * on open. *out is freed by ct_store_close. err gets a sentence. */
enum ct_rc ct_store_open(const char *path, bool create, struct ct_store **out,
			 char *err, size_t errlen);
void ct_store_close(struct ct_store *s);
/* The last error's message; valid until the next store call. */
const char *ct_store_errmsg(const struct ct_store *s);

enum ct_rc ct_store_begin(struct ct_store *s);      /* write transaction */
enum ct_rc ct_store_begin_read(struct ct_store *s); /* deferred: a read snapshot */
enum ct_rc ct_store_commit(struct ct_store *s);
void ct_store_rollback(struct ct_store *s);         /* safe when none is open */
enum ct_rc ct_store_savepoint(struct ct_store *s);  /* nested: one level */
enum ct_rc ct_store_release(struct ct_store *s);
void ct_store_rollback_savepoint(struct ct_store *s);

/* Fault injection for tests: the n-th store call from now (1 = the next)
 * and every call after it fail with CT_EIO until reset with n = 0. */
void ct_store_fail_after(struct ct_store *s, long n);

/* ---- policy versions ---- */
enum ct_rc ct_store_policy_add(struct ct_store *s, const char *version, const char *document,
			       const char *loaded_at);
/* The most recently loaded version. *document is malloc'ed; caller frees. */
enum ct_rc ct_store_policy_current(struct ct_store *s, char version[static CT_ID_MAX],
				   char **document);
/* Only the current version's name: cheap enough to ask per request. */
enum ct_rc ct_store_policy_version(struct ct_store *s, char version[static CT_ID_MAX]);
/* Document of a given version (CT_ENOTFOUND). *document caller frees. */
enum ct_rc ct_store_policy_get(struct ct_store *s, const char *version, char **document);

/* ---- products ---- */
enum ct_rc ct_store_product_add(struct ct_store *s, const struct ct_product *p);
enum ct_rc ct_store_product_get(struct ct_store *s, const char *model, struct ct_product *out);
typedef enum ct_rc (*ct_product_fn)(const struct ct_product *p, void *arg);
enum ct_rc ct_store_product_each(struct ct_store *s, ct_product_fn fn, void *arg);

/* ---- parties ---- */
enum ct_rc ct_store_party_add(struct ct_store *s, const struct ct_party *p);
enum ct_rc ct_store_party_get(struct ct_store *s, const char *id, struct ct_party *out);
enum ct_rc ct_store_party_update(struct ct_store *s, const struct ct_party *p);
typedef enum ct_rc (*ct_party_fn)(const struct ct_party *p, void *arg);
/* role < 0: every role. */
enum ct_rc ct_store_party_each(struct ct_store *s, int role, ct_party_fn fn, void *arg);

/* ---- licenses ---- */
struct ct_license_row {
	int64_t id;
	char vendor[CT_ID_MAX], customer[CT_ID_MAX], product[CT_ID_MAX];
	char program[CT_ID_MAX];       /* "" when none applied */
	char policy_version[CT_ID_MAX];
	int64_t units_requested, units_approved, units_shipped;
	unsigned end_uses;
	ct_date valid_from, valid_until;
	char export_from[3];
	char destination[3];           /* the customer's country at application */
	enum ct_license_status status;
	char reasons[CT_TEXT_MAX];     /* comma-separated reason names */
	char decision_note[CT_TEXT_MAX];
	char created_at[24];
};
enum ct_rc ct_store_license_add(struct ct_store *s, struct ct_license_row *l); /* sets id */
enum ct_rc ct_store_license_get(struct ct_store *s, int64_t id, struct ct_license_row *out);
enum ct_rc ct_store_license_update(struct ct_store *s, const struct ct_license_row *l);
struct ct_license_filter {
	const char *vendor, *customer;   /* NULL: any */
	int status;                      /* < 0: any */
	int64_t limit, offset;           /* limit 0: no limit */
};
typedef enum ct_rc (*ct_license_fn)(const struct ct_license_row *l, void *arg);
enum ct_rc ct_store_license_each(struct ct_store *s, const struct ct_license_filter *f,
				 ct_license_fn fn, void *arg);

/* ---- lab certificates ---- */
struct ct_certificate_row {
	int64_t id;
	char lab[CT_ID_MAX], product[CT_ID_MAX], batch[CT_ID_MAX];
	int64_t units, units_used;
	ct_date cert_date;
	char created_at[24];
};
enum ct_rc ct_store_certificate_add(struct ct_store *s, struct ct_certificate_row *c);
enum ct_rc ct_store_certificate_get(struct ct_store *s, int64_t id, struct ct_certificate_row *out);
/* The oldest certificate for product and batch, dated on or before d, from
 * a lab whose party status is approved, with at least `units` left. */
enum ct_rc ct_store_certificate_find_usable(struct ct_store *s, const char *product,
					    const char *batch, ct_date d, int64_t units,
					    struct ct_certificate_row *out);
enum ct_rc ct_store_certificate_set_used(struct ct_store *s, int64_t id, int64_t units_used);
typedef enum ct_rc (*ct_certificate_fn)(const struct ct_certificate_row *c, void *arg);
enum ct_rc ct_store_certificate_each(struct ct_store *s, ct_certificate_fn fn, void *arg);

/* ---- US domestic volumes ---- */
struct ct_domestic_row {
	int64_t id;
	char vendor[CT_ID_MAX], product[CT_ID_MAX];
	int64_t units;
	ct_date vol_date;
	char created_at[24];
};
enum ct_rc ct_store_domestic_add(struct ct_store *s, struct ct_domestic_row *d);
/* Units recorded for the product dated on or before d. */
enum ct_rc ct_store_domestic_units(struct ct_store *s, const char *product, ct_date d,
				   int64_t *units);
typedef enum ct_rc (*ct_domestic_fn)(const struct ct_domestic_row *d, void *arg);
enum ct_rc ct_store_domestic_each(struct ct_store *s, ct_domestic_fn fn, void *arg);

/* ---- shipments and serials ---- */
struct ct_shipment_row {
	int64_t id;
	int64_t license_id;
	char vendor[CT_ID_MAX], customer[CT_ID_MAX], product[CT_ID_MAX];
	char program[CT_ID_MAX], policy_version[CT_ID_MAX];
	char destination[3];
	int64_t units, unit_value_cents, fee_cents;
	int32_t rate_bp;
	char batch[CT_ID_MAX];
	ct_date ship_date;
	char idem_key[CT_KEY_MAX];      /* "" none */
	char request_hash[65];          /* hex digest of the request */
	int64_t certificate_id;         /* 0 none */
	char booked_at[24];
};
enum ct_rc ct_store_shipment_add(struct ct_store *s, struct ct_shipment_row *sh);
enum ct_rc ct_store_shipment_get(struct ct_store *s, int64_t id, struct ct_shipment_row *out);
/* The vendor's shipment booked with this idempotency key. */
enum ct_rc ct_store_shipment_find_key(struct ct_store *s, const char *vendor, const char *key,
				      struct ct_shipment_row *out);
typedef enum ct_rc (*ct_shipment_fn)(const struct ct_shipment_row *sh, void *arg);
enum ct_rc ct_store_shipment_each(struct ct_store *s, ct_shipment_fn fn, void *arg);
struct ct_shipment_filter {
	int64_t license_id;              /* 0: any */
	const char *vendor, *customer;   /* NULL: any */
	int64_t limit, offset;           /* limit 0: no limit */
};
enum ct_rc ct_store_shipment_list(struct ct_store *s, const struct ct_shipment_filter *f,
				  ct_shipment_fn fn, void *arg);
/* Units of a product booked under a program, all time: the cap's
 * numerator (a license's destination is always one of its program's). */
enum ct_rc ct_store_exported_units(struct ct_store *s, const char *product, const char *program,
				   int64_t *units);

/* Counts (product, program) pairs whose running export total differs
 * from the sum of their shipments: 0 when the derived table is sound. */
enum ct_rc ct_store_export_totals_mismatches(struct ct_store *s, int64_t *mismatches);

/* CT_OK and *shipment_id when the serial was shipped, CT_ENOTFOUND if not. */
enum ct_rc ct_store_serial_find(struct ct_store *s, const char *serial, int64_t *shipment_id);
enum ct_rc ct_store_serial_add(struct ct_store *s, const char *serial, int64_t shipment_id);
typedef enum ct_rc (*ct_serial_fn)(const char *serial, void *arg);
enum ct_rc ct_store_serial_each_of(struct ct_store *s, int64_t shipment_id, ct_serial_fn fn,
				   void *arg);
enum ct_rc ct_store_serial_count(struct ct_store *s, int64_t *count);

/* Fees booked per vendor and program (report fees). */
struct ct_fee_total {
	char vendor[CT_ID_MAX], program[CT_ID_MAX];
	int64_t shipments, units, value_cents, fee_cents;
};
typedef enum ct_rc (*ct_fee_total_fn)(const struct ct_fee_total *t, void *arg);
enum ct_rc ct_store_fee_totals(struct ct_store *s, ct_fee_total_fn fn, void *arg);

/* ---- ledger ---- */
#define CT_ACCOUNT_RECEIVABLE "government_fee_receivable"
#define CT_ACCOUNT_PAYABLE "vendor_fee_payable"
struct ct_posting_row {
	int64_t id;
	char ref_kind[16];              /* "shipment" | "remittance" */
	int64_t ref_id;
	char vendor[CT_ID_MAX];
	char account[40];
	int64_t amount_cents;           /* debit positive, credit negative */
	ct_date post_date;
};
enum ct_rc ct_store_posting_add(struct ct_store *s, struct ct_posting_row *p);
typedef enum ct_rc (*ct_posting_fn)(const struct ct_posting_row *p, void *arg);
enum ct_rc ct_store_posting_each_of(struct ct_store *s, const char *ref_kind, int64_t ref_id,
				    ct_posting_fn fn, void *arg);
/* Postings of one vendor (NULL: all) dated in [from, until] (CT_DATE_NONE:
 * open), in date then id order. */
enum ct_rc ct_store_posting_each_vendor(struct ct_store *s, const char *vendor, ct_date from,
					ct_date until, ct_posting_fn fn, void *arg);
/* Sum of one account for a vendor (NULL: all vendors). */
enum ct_rc ct_store_posting_sum(struct ct_store *s, const char *vendor, const char *account,
				const char *ref_kind, int64_t *sum_cents);
enum ct_rc ct_store_posting_totals(struct ct_store *s, int64_t *count, int64_t *sum_cents);

struct ct_remittance_row {
	int64_t id;
	char vendor[CT_ID_MAX];
	int64_t amount_cents;
	char ref[CT_TEXT_MAX];
	char idem_key[CT_KEY_MAX];
	char request_hash[65];
	ct_date remit_date;
	char created_at[24];
};
enum ct_rc ct_store_remittance_add(struct ct_store *s, struct ct_remittance_row *r);
enum ct_rc ct_store_remittance_find_key(struct ct_store *s, const char *vendor, const char *key,
					struct ct_remittance_row *out);
typedef enum ct_rc (*ct_remittance_fn)(const struct ct_remittance_row *r, void *arg);
enum ct_rc ct_store_remittance_each(struct ct_store *s, ct_remittance_fn fn, void *arg);

/* ---- suspensions ---- */
struct ct_suspension_row {
	int64_t id;
	char scope[CT_ID_MAX + 16];     /* "vendor:NVIDIA" */
	char reason[CT_TEXT_MAX];
	char created_at[24], created_by[CT_NAME_MAX];
	char resumed_at[24], resumed_by[CT_NAME_MAX]; /* "" while active */
};
enum ct_rc ct_store_suspension_add(struct ct_store *s, struct ct_suspension_row *r);
enum ct_rc ct_store_suspension_get(struct ct_store *s, int64_t id, struct ct_suspension_row *out);
enum ct_rc ct_store_suspension_update(struct ct_store *s, const struct ct_suspension_row *r);
typedef enum ct_rc (*ct_suspension_fn)(const struct ct_suspension_row *r, void *arg);
enum ct_rc ct_store_suspension_each(struct ct_store *s, bool active_only, ct_suspension_fn fn,
				    void *arg);

/* ---- API tokens ---- */
struct ct_token_row {
	int64_t id;
	char token_hash[65];            /* hex BLAKE2b-256 of the token */
	char role[16];
	char party[CT_ID_MAX];          /* "" none */
	char name[CT_NAME_MAX];
	char created_at[24], revoked_at[24]; /* revoked_at "" while valid */
};
enum ct_rc ct_store_token_add(struct ct_store *s, struct ct_token_row *t);
enum ct_rc ct_store_token_get(struct ct_store *s, int64_t id, struct ct_token_row *out);
enum ct_rc ct_store_token_find_hash(struct ct_store *s, const char *hash,
				    struct ct_token_row *out);
enum ct_rc ct_store_token_update(struct ct_store *s, const struct ct_token_row *t);
typedef enum ct_rc (*ct_token_fn)(const struct ct_token_row *t, void *arg);
enum ct_rc ct_store_token_each(struct ct_store *s, ct_token_fn fn, void *arg);

/* ---- API idempotency (creates without a key of their own) ---- */
struct ct_idem_row {
	char key[CT_KEY_MAX], principal[CT_NAME_MAX + CT_ID_MAX], route[CT_NAME_MAX];
	char request_hash[65];
	int status;
	char *response;                 /* owned by whoever filled it */
};
/* *out->response is malloc'ed on CT_OK; caller frees. */
enum ct_rc ct_store_idem_get(struct ct_store *s, const char *principal, const char *key,
			     struct ct_idem_row *out);
enum ct_rc ct_store_idem_add(struct ct_store *s, const struct ct_idem_row *r,
			     const char *created_at);

/* ---- restricted-party lists ---- */
struct ct_list_version_row {
	int64_t id;
	char source[CT_LIST_SOURCE_MAX];  /* "sdn", "dpl", or the CSL import's source */
	char format[8];                   /* "sdn" | "csl" | "dpl" */
	int64_t entries, names;
	char sha256[65];                  /* hex SHA-256 of the input (see service) */
	char imported_at[24];
	char actor[CT_NAME_MAX];
	int64_t superseded_by;            /* 0 while current */
};
/* Adds a version (sets v->id) as the source's current one. The previous
 * current version of the same source, if any, gets superseded_by = the
 * new id (*replaced its id, else 0) and loses its entries and names. */
enum ct_rc ct_store_list_version_add(struct ct_store *s, struct ct_list_version_row *v,
				     int64_t *replaced);
enum ct_rc ct_store_list_version_set_counts(struct ct_store *s, int64_t id, int64_t entries,
					    int64_t names);
enum ct_rc ct_store_list_version_get(struct ct_store *s, int64_t id,
				     struct ct_list_version_row *out);
typedef enum ct_rc (*ct_list_version_fn)(const struct ct_list_version_row *v, void *arg);
/* current_only: one per source, by source; else every version by id. */
enum ct_rc ct_store_list_version_each(struct ct_store *s, bool current_only,
				      ct_list_version_fn fn, void *arg);
/* Adds one entry of a version and its names (names[0] the primary). */
enum ct_rc ct_store_list_entry_add(struct ct_store *s, int64_t version_id,
				   const struct ct_list_entry *e);
/* The stored rows of a version as text columns, entries then names, each
 * in id order: table is "entry" (cols: id, entry_id, list, program, type,
 * name, country, remarks, address) or "name" (cols: id, entry, name, kind,
 * note). cols are valid during the call only. */
typedef enum ct_rc (*ct_list_row_fn)(const char *table, const char *const *cols, int ncols,
				     void *arg);
enum ct_rc ct_store_list_rows_each(struct ct_store *s, int64_t version_id, ct_list_row_fn fn,
				   void *arg);
/* Entry and name rows of every version together. */
enum ct_rc ct_store_list_totals(struct ct_store *s, int64_t *entries, int64_t *names);

/* ---- audit ---- */
struct ct_audit_row {
	int64_t seq;
	char ts[24];
	char actor[CT_NAME_MAX];
	char action[48];
	char *payload;                  /* canonical JSON; owned by whoever filled it */
	char prev_hash[65], hash[65];
};
/* Last event's seq and hash; seq 0 and "" when the log is empty. */
enum ct_rc ct_store_audit_head(struct ct_store *s, int64_t *seq, char hash[static 65]);
enum ct_rc ct_store_audit_add(struct ct_store *s, const struct ct_audit_row *e);
typedef enum ct_rc (*ct_audit_fn)(const struct ct_audit_row *e, void *arg);
/* In seq order from the first; limit_last > 0 visits only the last N. The
 * payload passed to fn is valid during the call only. */
enum ct_rc ct_store_audit_each(struct ct_store *s, int64_t limit_last, ct_audit_fn fn, void *arg);

#endif
