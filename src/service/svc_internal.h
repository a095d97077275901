/* Shared by the service files only. */
#ifndef CT_SVC_INTERNAL_H
#define CT_SVC_INTERNAL_H

#include <stdbool.h>
#include "chiptoll/canon.h"
#include "chiptoll/decide.h"
#include "chiptoll/service.h"

/* ---- errors ---- */
__attribute__((format(printf, 4, 5)))
enum ct_rc ct_err_set(struct ct_err *err, enum ct_rc rc, const char *field, const char *fmt, ...);
/* A store failure: copies the store's message. */
enum ct_rc ct_err_store(struct ct_ctx *c, struct ct_err *err, enum ct_rc rc);
/* A rule rejection with the reason's sentence, plus detail if not NULL. */
enum ct_rc ct_err_reject(struct ct_err *err, enum ct_reason r, const char *detail);

/* ---- request fields (request.c) ----
 * Each returns CT_OK, or CT_EINVAL with err naming the field. A field that
 * is absent or null takes the default when not required. */
enum ct_rc ct_req_str(json_t *req, const char *field, bool required, char *buf, size_t size,
		      struct ct_err *err);
enum ct_rc ct_req_int(json_t *req, const char *field, bool required, int64_t min, int64_t max,
		      int64_t dflt, int64_t *out, struct ct_err *err);
enum ct_rc ct_req_date(json_t *req, const char *field, bool required, ct_date dflt,
		       ct_date *out, struct ct_err *err);
enum ct_rc ct_req_usd(json_t *req, const char *field, bool required, int64_t *cents,
		      struct ct_err *err);
enum ct_rc ct_req_country(json_t *req, const char *field, bool required, const char *dflt,
			  char out[static 3], struct ct_err *err);
/* end uses as "a,b" or ["a","b"] */
enum ct_rc ct_req_end_uses(json_t *req, const char *field, bool required, unsigned *out,
			   struct ct_err *err);
/* A positive double (dense rate, GB/s, ...) or absent (NAN). */
enum ct_rc ct_req_rate(json_t *req, const char *field, double *out, struct ct_err *err);
/* Refuses any field not in the NULL-terminated list. */
enum ct_rc ct_req_only(json_t *req, const char *const *fields, struct ct_err *err);

/* ---- transactions: ct_tx_* in service.h ---- */
/* "2026-11-28T01:32:27Z" by the context's clock. */
void ct_ctx_timestamp(const struct ct_ctx *c, char buf[static 24]);

/* ---- audit (audit.c) ----
 * Appends one event to the chain inside the open transaction. payload is
 * stolen. States of the rows the event wrote go in payload["states"] under
 * "kind/id" keys (see snapshot.c); audit verify checks every row against
 * the last state recorded for it. */
enum ct_rc ct_audit_append(struct ct_ctx *c, const char *action, json_t *payload,
			   struct ct_err *err);
/* The same with the payload already canonical text (see canon.h). */
enum ct_rc ct_audit_append_text(struct ct_ctx *c, const char *action, const char *payload,
				struct ct_err *err);
/* Writes one row and the audit event recording its state, in one
 * transaction (a savepoint inside another). write inserts or updates the
 * row, setting its id; state names it in key ("license/12") and returns
 * its state. The common shape of every single-row write. */
typedef enum ct_rc (*ct_row_write_fn)(struct ct_store *s, void *row);
typedef json_t *(*ct_row_state_fn)(const void *row, char key[static 96]);
enum ct_rc ct_write_audited(struct ct_ctx *c, const char *action, ct_row_write_fn write,
			    ct_row_state_fn state, void *row, struct ct_err *err);
/* Products are written by product add and by the catalog at init. */
enum ct_rc ct_product_insert(struct ct_store *s, void *row);
json_t *ct_product_state(const void *row, char key[static 96]);
/* Adds states[key] = state (stolen) to payload, creating "states". */
void ct_audit_state(json_t *payload, const char *key, json_t *state);
/* Lowercase hex BLAKE2b-256 of text. */
void ct_hash_hex(const char *text, size_t len, char out[static 65]);
/* Canonical text of a JSON value: compact, sorted keys, ASCII. Caller frees. */
char *ct_canonical(const json_t *v);

/* ---- snapshots (snapshot.c): the JSON of each stored row, used both as
 * responses and as the audited state. Each returns a new reference. ---- */
json_t *ct_snap_product(const struct ct_product *p);
json_t *ct_snap_party(const struct ct_party *p);
json_t *ct_snap_license(const struct ct_license_row *l);
json_t *ct_snap_certificate(const struct ct_certificate_row *r);
json_t *ct_snap_domestic(const struct ct_domestic_row *r);
json_t *ct_snap_suspension(const struct ct_suspension_row *r);
/* shipments and remittances carry their serials and postings: read from
 * the store unless given (serials sorted, postings in id order). */
enum ct_rc ct_snap_shipment(struct ct_ctx *c, const struct ct_shipment_row *sh, json_t **out);
/* Canonical writers of the states the booking path records (keys in
 * strcmp order); ct_snap_license/_certificate/_shipment parse what they
 * write, so there is one definition of each state. Serials sorted by
 * strcmp, postings in id order. */
/* view: NULL for the audited state; else the reader's extras (units left,
 * expired as of the date) written in their sorted places. */
struct ct_license_extras {
	int64_t units_left;
	bool expired;
};
void ct_snap_license_write(struct ct_canon *w, const struct ct_license_row *l,
			   const struct ct_license_extras *view);
void ct_snap_certificate_write(struct ct_canon *w, const struct ct_certificate_row *r);
void ct_snap_shipment_write(struct ct_canon *w, const struct ct_shipment_row *sh,
			    const char *const *serials, size_t n_serials,
			    const struct ct_posting_row *postings, size_t n_postings);
enum ct_rc ct_snap_remittance(struct ct_ctx *c, const struct ct_remittance_row *r, json_t **out);
json_t *ct_snap_policy(const char *version, const char *document);
/* A list version's audited state, with the digest of its stored entry
 * and name rows (read from the store). */
enum ct_rc ct_snap_list_version(struct ct_ctx *c, const struct ct_list_version_row *v,
				json_t **out);
/* A token's audited state (never the token itself). */
enum ct_rc ct_svc_token_state(const struct ct_token_row *t, json_t **out);
json_t *ct_json_date(ct_date d);        /* "YYYY-MM-DD" or null */
json_t *ct_json_opt_str(const char *s); /* null for "" */
json_t *ct_json_money(int64_t cents);   /* "2025000.00" */

/* ---- shared lookups ---- */
/* Loads a party and checks its role; CT_ENOTFOUND / CT_EINVAL with err. */
enum ct_rc ct_party_load(struct ct_ctx *c, const char *id, enum ct_role role, const char *field,
			 struct ct_party *out, struct ct_err *err);
/* Loads a product and checks that vendor makes it (vendor NULL: any). */
enum ct_rc ct_product_load(struct ct_ctx *c, const char *model, const char *vendor,
			   struct ct_product *out, struct ct_err *err);
/* Is any active suspension covering these? */
enum ct_rc ct_suspension_covers(struct ct_ctx *c, const char *vendor, const char *customer,
				const char *product, const char *program, bool *covered,
				struct ct_err *err);

#endif
