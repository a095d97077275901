/* Services: one function per operation, shared by the CLI and the API.
 *
 * Requests and responses are JSON objects (jansson) whose field names are
 * the CLI's, so a script can move between `chiptoll ... --json` and the
 * HTTP API. Numbers in a request may be JSON numbers or decimal strings
 * (the CLI passes its flags as strings); every field is validated here,
 * once, with an error that names it.
 *
 * Each write runs in one store transaction that also appends its audit
 * event: it commits whole or leaves nothing. Return values:
 *   CT_OK        *out holds the response (caller owns it: json_decref)
 *   CT_REJECTED  a rule said no: err->reason, err->message; *out holds the
 *                rejection object the CLI prints (caller owns it)
 *   other        err->message (and err->field for bad input); *out NULL */
#ifndef CHIPTOLL_SERVICE_H
#define CHIPTOLL_SERVICE_H

#include <jansson.h>
#include <stdint.h>
#include "chiptoll/access.h"
#include "chiptoll/lists.h"
#include "chiptoll/policy.h"
#include "chiptoll/rc.h"
#include "chiptoll/store.h"

struct ct_ctx {
	struct ct_store *store;
	struct ct_policy *policy;             /* the current version */
	char policy_version[CT_ID_MAX];
	char actor[CT_NAME_MAX];
	int64_t (*clock)(void);               /* Unix seconds; tests replace it */
	int tx_depth;                         /* >0: inside a transaction; nested
						 ones are savepoints (group commit) */
};

struct ct_err {
	enum ct_reason reason;
	char field[CT_ID_MAX];
	char message[CT_TEXT_MAX];
};

/* Opens an existing database and its current policy. */
enum ct_rc ct_ctx_open(struct ct_ctx *ctx, const char *path, const char *actor,
		       struct ct_err *err);
/* Creates a database at path with the policy document and catalog CSV. */
enum ct_rc ct_ctx_create(struct ct_ctx *ctx, const char *path, const char *actor,
			 const char *policy_text, size_t policy_len,
			 const char *catalog_text, size_t catalog_len, struct ct_err *err);
void ct_ctx_close(struct ct_ctx *ctx);
/* Reloads the policy if another connection loaded a newer version since
 * this context read it (a long-running server calls it per request). */
enum ct_rc ct_ctx_refresh_policy(struct ct_ctx *ctx, struct ct_err *err);
/* Transactions. Every service opens its own; a caller that opens one
 * around several services (the API's group commit) turns theirs into
 * savepoints, so each still succeeds or fails whole. Each begin is
 * matched by one commit or one rollback; a failed commit has rolled back. */
enum ct_rc ct_tx_begin(struct ct_ctx *c, struct ct_err *err);
enum ct_rc ct_tx_commit(struct ct_ctx *c, struct ct_err *err);
void ct_tx_rollback(struct ct_ctx *c);
/* A read transaction: one snapshot (and one WAL lock) for all the reads
 * of a request. ct_tx_read_end always succeeds from the caller's view. */
enum ct_rc ct_tx_read_begin(struct ct_ctx *c, struct ct_err *err);
void ct_tx_read_end(struct ct_ctx *c);
/* Today's date by the context's clock (UTC). */
ct_date ct_ctx_today(const struct ct_ctx *ctx);

/* policy */
enum ct_rc ct_svc_policy_show(struct ct_ctx *c, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_policy_load(struct ct_ctx *c, const char *text, size_t len, json_t **out,
			      struct ct_err *err);

/* products: req fields as the CLI flags (vendor, model, fp64..fp4, bw_gbs,
 * mem_gb, die_mm2, datacenter, us_available, source) */
enum ct_rc ct_svc_product_list(struct ct_ctx *c, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_product_show(struct ct_ctx *c, const char *model, json_t **out,
			       struct ct_err *err);
enum ct_rc ct_svc_product_add(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
/* req: {"model": M} or spec fields; optional "date" */
enum ct_rc ct_svc_product_classify(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err);
enum ct_rc ct_svc_product_compare(struct ct_ctx *c, const char *a, const char *b, json_t **out,
				  struct ct_err *err);

/* parties: req {role, id, name, name_zh, country, hq_country, parent, end_uses} */
enum ct_rc ct_svc_party_add(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
/* action: "approve" | "reinstate" | "suspend" | "revoke"; reason required
 * for suspend and revoke. */
enum ct_rc ct_svc_party_act(struct ct_ctx *c, const char *id, const char *action,
			    const char *reason, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_party_show(struct ct_ctx *c, const char *id, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_party_list(struct ct_ctx *c, const char *role, json_t **out,
			     struct ct_err *err);

/* licenses: req {vendor, customer, product, units, end_uses, from, until,
 * export_from} */
enum ct_rc ct_svc_license_apply(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
/* action: "approve" (req may carry units) | "deny" | "suspend" | "revoke"
 * (req carries reason) | "reinstate" */
enum ct_rc ct_svc_license_act(struct ct_ctx *c, int64_t id, const char *action, json_t *req,
			      json_t **out, struct ct_err *err);
enum ct_rc ct_svc_license_show(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err);
/* What show prints, from a row already in hand (new reference), and the
 * same as JSON text (malloc'ed; NULL when out of memory) for a server that
 * sends it as it is. */
json_t *ct_svc_license_view(const struct ct_ctx *c, const struct ct_license_row *l);
char *ct_svc_license_view_text(const struct ct_ctx *c, const struct ct_license_row *l);
/* req: {vendor, customer, status, limit, offset}, all optional */
enum ct_rc ct_svc_license_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);

/* lab certificates: req {lab, product, batch, units, date} */
enum ct_rc ct_svc_lab_certify(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
/* req {lab} optional: one lab's certificates */
enum ct_rc ct_svc_certificate_list(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err);
/* US domestic volumes: req {vendor, product, units, date} */
enum ct_rc ct_svc_domestic_record(struct ct_ctx *c, json_t *req, json_t **out,
				  struct ct_err *err);
/* req {vendor, product} optional filters */
enum ct_rc ct_svc_domestic_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);

/* shipments: req {license, units, unit_value, batch, date, key, serials} */
enum ct_rc ct_svc_ship(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
/* Books many in one transaction, each on its own: results[i] is the
 * response, the rejection, or {"error": message, "field": f} for a line
 * with bad input. Returns CT_OK unless the store failed, in which case
 * nothing of the batch is kept and results are left NULL. */
enum ct_rc ct_svc_ship_batch(struct ct_ctx *c, json_t *const *reqs, size_t n, json_t **results,
			     struct ct_err *err);
enum ct_rc ct_svc_shipment_show(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err);
/* req {license, vendor, customer, limit, offset}, all optional; rows
 * without serials and postings (see show). */
enum ct_rc ct_svc_shipment_list(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);

/* ledger */
enum ct_rc ct_svc_ledger_balance(struct ct_ctx *c, const char *vendor, json_t **out,
				 struct ct_err *err);
/* req {vendor, from, until} */
enum ct_rc ct_svc_ledger_statement(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err);
/* req {vendor, amount, ref, key, date} */
enum ct_rc ct_svc_ledger_remit(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);

/* suspensions */
enum ct_rc ct_svc_suspend(struct ct_ctx *c, const char *scope, const char *reason, json_t **out,
			  struct ct_err *err);
enum ct_rc ct_svc_resume(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_suspension_list(struct ct_ctx *c, json_t **out, struct ct_err *err);

/* reports: "fees" | "caps" | "licenses"; *out is {"columns": [...], "rows": [[...]]}
 * plus report-specific totals. */
enum ct_rc ct_svc_report(struct ct_ctx *c, const char *which, json_t **out, struct ct_err *err);

/* API tokens: req {role, party, name}. The response carries the token
 * itself, which is stored nowhere: only its hash is kept. */
enum ct_rc ct_svc_token_create(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_token_list(struct ct_ctx *c, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_token_revoke(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err);
/* Who holds this token: CT_OK and *p, or CT_ENOTFOUND when it is unknown
 * or revoked. Compares hashes only. */
enum ct_rc ct_svc_authenticate(struct ct_ctx *c, const char *token, struct ct_principal *p);

/* Rows as structs, for interfaces that decide who may see them (the API's
 * 404-not-403 rule). CT_OK, CT_ENOTFOUND or a store error. */
enum ct_rc ct_svc_license_get(struct ct_ctx *c, int64_t id, struct ct_license_row *out);
enum ct_rc ct_svc_product_get(struct ct_ctx *c, const char *model, struct ct_product *out);
enum ct_rc ct_svc_shipment_get(struct ct_ctx *c, int64_t id, struct ct_shipment_row *out);

/* The API's generic Idempotency-Key, inside the caller's transaction:
 * get fills *out (out->response malloc'ed) or answers CT_ENOTFOUND; put
 * records a response. */
enum ct_rc ct_svc_idem_get(struct ct_ctx *c, const char *principal, const char *key,
			   struct ct_idem_row *out);
enum ct_rc ct_svc_idem_put(struct ct_ctx *c, const struct ct_idem_row *row);

/* Restricted-party lists. format "sdn" takes three texts (sdn.csv,
 * alt.csv, add.csv, in that order), "csl" and "dpl" one; each text's name
 * is used in messages ("FILE line N: reason"). source names the list the
 * import replaces (a-z 0-9 _ . -; NULL or "": the format's name). One
 * transaction: the new version becomes the source's current one and the
 * previous one is superseded, or nothing changes (CT_EINVAL with the line
 * and reason for a malformed file). *out {source, format, entries, names,
 * sha256, version, imported_at, actor, replaced}. */
enum ct_rc ct_svc_lists_import(struct ct_ctx *c, const char *format, const char *source,
			       const struct ct_list_text *files, size_t n_files, json_t **out,
			       struct ct_err *err);
/* {"lists": [{source, format, entries, names, sha256, version, imported_at,
 * actor}]}: the current version of each source, by source. */
enum ct_rc ct_svc_lists_show(struct ct_ctx *c, json_t **out, struct ct_err *err);

/* audit: verify returns CT_OK with {"ok": true, "events": n}, or
 * CT_REJECTED with {"ok": false, "first_bad_seq": n, "problem": text}. */
enum ct_rc ct_svc_audit_verify(struct ct_ctx *c, json_t **out, struct ct_err *err);
/* The same, and also checks an anchor "SEQ:HASH" an auditor recorded
 * earlier from ct_svc_audit_head (kept outside the database): the log must
 * still hold event SEQ with that hash. Rows cover every event that wrote
 * state; only the anchor shows that trailing events which wrote none (a
 * rejected shipment) were cut off. */
enum ct_rc ct_svc_audit_verify_anchor(struct ct_ctx *c, const char *anchor, json_t **out,
				      struct ct_err *err);
/* {"seq": n, "hash": hex} of the last event: the anchor to record. */
enum ct_rc ct_svc_audit_head(struct ct_ctx *c, json_t **out, struct ct_err *err);
enum ct_rc ct_svc_audit_log(struct ct_ctx *c, int64_t limit, json_t **out, struct ct_err *err);

#endif
