/* The service context: the store, the current policy, the actor and the
 * clock; transactions; and the lookups several services share. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "chiptoll/catalog.h"
#include "svc_internal.h"

static int64_t system_clock(void)
{
	return (int64_t)time(NULL);
}

static enum ct_rc load_policy(struct ct_ctx *c, struct ct_err *err)
{
	char *doc = NULL;
	char msg[512];
	enum ct_rc rc = ct_store_policy_current(c->store, c->policy_version, &doc);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	struct ct_policy *p = NULL;
	rc = ct_policy_parse(doc, strlen(doc), &p, msg, sizeof msg);
	free(doc);
	if (rc != CT_OK)
		return ct_err_set(err, CT_EIO, NULL, "stored policy %s is invalid: %s",
				  c->policy_version, msg);
	free(c->policy);
	c->policy = p;
	return CT_OK;
}

enum ct_rc ct_ctx_refresh_policy(struct ct_ctx *c, struct ct_err *err)
{
	char version[CT_ID_MAX];
	enum ct_rc rc = ct_store_policy_version(c->store, version);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	return strcmp(version, c->policy_version) == 0 ? CT_OK : load_policy(c, err);
}

static void ctx_reset(struct ct_ctx *c, const char *actor)
{
	memset(c, 0, sizeof *c);
	snprintf(c->actor, sizeof c->actor, "%s", actor && *actor ? actor : "unknown");
	c->clock = system_clock;
}

enum ct_rc ct_ctx_open(struct ct_ctx *c, const char *path, const char *actor, struct ct_err *err)
{
	ctx_reset(c, actor);
	char msg[512];
	enum ct_rc rc = ct_store_open(path, false, &c->store, msg, sizeof msg);
	if (rc != CT_OK)
		return ct_err_set(err, rc, NULL, "%s", msg);
	rc = load_policy(c, err);
	if (rc != CT_OK)
		ct_ctx_close(c);
	return rc;
}

struct catalog_load {
	struct ct_ctx *c;
	struct ct_err *err;
	int count;
};

static enum ct_rc add_catalog_product(const struct ct_product *p, void *arg)
{
	struct catalog_load *cl = arg;
	struct ct_product row = *p;
	cl->count++;
	return ct_write_audited(cl->c, "product.add", ct_product_insert, ct_product_state, &row,
				cl->err);
}

enum ct_rc ct_ctx_create(struct ct_ctx *c, const char *path, const char *actor,
			 const char *policy_text, size_t policy_len,
			 const char *catalog_text, size_t catalog_len, struct ct_err *err)
{
	ctx_reset(c, actor);
	char msg[512];
	struct ct_policy *p = NULL;
	enum ct_rc rc = ct_policy_parse(policy_text, policy_len, &p, msg, sizeof msg);
	if (rc != CT_OK)
		return ct_err_set(err, CT_EINVAL, "policy", "bundled policy: %s", msg);
	free(p);
	rc = ct_store_open(path, true, &c->store, msg, sizeof msg);
	if (rc != CT_OK)
		return ct_err_set(err, rc, NULL, "%s", msg);
	json_t *out = NULL;
	rc = ct_svc_policy_load(c, policy_text, policy_len, &out, err);
	json_decref(out);
	if (rc != CT_OK)
		goto fail;
	if ((rc = ct_tx_begin(c, err)) != CT_OK)
		goto fail;
	struct catalog_load cl = {c, err, 0};
	rc = ct_catalog_parse(catalog_text, catalog_len, add_catalog_product, &cl, msg, sizeof msg);
	if (rc == CT_EINVAL)
		ct_err_set(err, rc, "catalog", "bundled catalog: %s", msg);
	if (rc != CT_OK) {
		ct_tx_rollback(c);
		goto fail;
	}
	if ((rc = ct_tx_commit(c, err)) != CT_OK)
		goto fail;
	return CT_OK;
fail:
	ct_ctx_close(c);
	remove(path);
	return rc;
}

void ct_ctx_close(struct ct_ctx *c)
{
	ct_store_close(c->store);
	free(c->policy);
	c->store = NULL;
	c->policy = NULL;
}

ct_date ct_ctx_today(const struct ct_ctx *c)
{
	return ct_date_from_unix(c->clock());
}

void ct_ctx_timestamp(const struct ct_ctx *c, char buf[static 24])
{
	time_t t = (time_t)c->clock();
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A service opens a transaction; inside another (the API's writer groups
 * many requests into one commit) it opens a savepoint instead, so each
 * request still succeeds or fails whole while they share one fsync. */
enum ct_rc ct_tx_begin(struct ct_ctx *c, struct ct_err *err)
{
	enum ct_rc rc = c->tx_depth ? ct_store_savepoint(c->store) : ct_store_begin(c->store);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	c->tx_depth++;
	return CT_OK;
}

enum ct_rc ct_tx_commit(struct ct_ctx *c, struct ct_err *err)
{
	c->tx_depth--;
	enum ct_rc rc = c->tx_depth ? ct_store_release(c->store) : ct_store_commit(c->store);
	if (rc == CT_OK)
		return CT_OK;
	ct_err_store(c, err, rc);
	if (c->tx_depth)
		ct_store_rollback_savepoint(c->store);
	else
		ct_store_rollback(c->store);
	return rc;
}

enum ct_rc ct_tx_read_begin(struct ct_ctx *c, struct ct_err *err)
{
	enum ct_rc rc = ct_store_begin_read(c->store);
	return rc == CT_OK ? CT_OK : ct_err_store(c, err, rc);
}

void ct_tx_read_end(struct ct_ctx *c)
{
	/* Nothing was written: ending the snapshot cannot lose anything. */
	ct_store_rollback(c->store);
}

void ct_tx_rollback(struct ct_ctx *c)
{
	c->tx_depth--;
	if (c->tx_depth)
		ct_store_rollback_savepoint(c->store);
	else
		ct_store_rollback(c->store);
}

enum ct_rc ct_party_load(struct ct_ctx *c, const char *id, enum ct_role role, const char *field,
			 struct ct_party *out, struct ct_err *err)
{
	enum ct_rc rc = ct_store_party_get(c->store, id, out);
	if (rc == CT_ENOTFOUND)
		return ct_err_set(err, rc, field, "%s: no party %s (see 'chiptoll party list')",
				  field, id);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	if (out->role != role)
		return ct_err_set(err, CT_EINVAL, field, "%s: %s is a %s, not a %s", field, id,
				  ct_role_name(out->role), ct_role_name(role));
	return CT_OK;
}

enum ct_rc ct_product_load(struct ct_ctx *c, const char *model, const char *vendor,
			   struct ct_product *out, struct ct_err *err)
{
	enum ct_rc rc = ct_store_product_get(c->store, model, out);
	if (rc == CT_ENOTFOUND)
		return ct_err_set(err, rc, "product",
				  "product: no product %s (see 'chiptoll product list')", model);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	if (vendor && strcasecmp(out->vendor, vendor) != 0)
		return ct_err_set(err, CT_EINVAL, "product", "product: %s is made by %s, not %s",
				  out->model, out->vendor, vendor);
	return CT_OK;
}

struct covers_walk {
	const char *vendor, *customer, *product, *program;
	bool covered;
};

static enum ct_rc check_suspension(const struct ct_suspension_row *r, void *arg)
{
	struct covers_walk *w = arg;
	struct ct_scope scope;
	if (ct_scope_parse(r->scope, &scope) &&
	    ct_scope_covers(&scope, w->vendor, w->customer, w->product, w->program)) {
		w->covered = true;
		return CT_ECONFLICT; /* stop the walk: one is enough */
	}
	return CT_OK;
}

enum ct_rc ct_suspension_covers(struct ct_ctx *c, const char *vendor, const char *customer,
				const char *product, const char *program, bool *covered,
				struct ct_err *err)
{
	struct covers_walk w = {vendor, customer, product, program, false};
	enum ct_rc rc = ct_store_suspension_each(c->store, true, check_suspension, &w);
	*covered = w.covered;
	if (rc == CT_ECONFLICT && w.covered)
		return CT_OK;
	return rc == CT_OK ? CT_OK : ct_err_store(c, err, rc);
}
