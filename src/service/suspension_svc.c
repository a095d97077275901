/* Suspensions: a regulator cuts supply for a scope at once; every booking
 * after it is checked against it until it is resumed. */
#include <string.h>
#include "svc_internal.h"

static enum ct_rc suspension_insert(struct ct_store *s, void *row)
{
	return ct_store_suspension_add(s, row);
}

static enum ct_rc suspension_update(struct ct_store *s, void *row)
{
	return ct_store_suspension_update(s, row);
}

static json_t *suspension_state(const void *row, char key[static 96])
{
	const struct ct_suspension_row *r = row;
	snprintf(key, 96, "suspension/%lld", (long long)r->id);
	return ct_snap_suspension(r);
}

enum ct_rc ct_svc_suspend(struct ct_ctx *c, const char *scope, const char *reason, json_t **out,
			  struct ct_err *err)
{
	struct ct_scope sc;
	struct ct_suspension_row r = {0};
	*out = NULL;
	if (!scope || !ct_scope_parse(scope, &sc))
		return ct_err_set(err, CT_EINVAL, "scope",
				  "scope: must be all, vendor:ID, customer:ID, product:MODEL or "
				  "program:ID");
	if (!reason || !*reason)
		return ct_err_set(err, CT_EINVAL, "reason", "reason: required");
	if (strlen(reason) >= sizeof r.reason)
		return ct_err_set(err, CT_EINVAL, "reason", "reason: longer than %zu bytes",
				  sizeof r.reason - 1);
	ct_scope_format(&sc, r.scope);
	snprintf(r.reason, sizeof r.reason, "%s", reason);
	snprintf(r.created_by, sizeof r.created_by, "%s", c->actor);
	ct_ctx_timestamp(c, r.created_at);
	enum ct_rc rc = ct_write_audited(c, "suspension.create", suspension_insert,
					 suspension_state, &r, err);
	if (rc == CT_OK)
		*out = ct_snap_suspension(&r);
	return rc;
}

enum ct_rc ct_svc_resume(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err)
{
	struct ct_suspension_row r;
	*out = NULL;
	enum ct_rc rc = ct_store_suspension_get(c->store, id, &r);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	if (r.resumed_at[0])
		return ct_err_set(err, CT_ECONFLICT, NULL, "suspension %lld was already resumed at %s",
				  (long long)id, r.resumed_at);
	ct_ctx_timestamp(c, r.resumed_at);
	snprintf(r.resumed_by, sizeof r.resumed_by, "%s", c->actor);
	rc = ct_write_audited(c, "suspension.resume", suspension_update, suspension_state, &r, err);
	if (rc == CT_OK)
		*out = ct_snap_suspension(&r);
	return rc;
}

static enum ct_rc list_one(const struct ct_suspension_row *r, void *arg)
{
	json_array_append_new(arg, ct_snap_suspension(r));
	return CT_OK;
}

enum ct_rc ct_svc_suspension_list(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	json_t *items = json_array();
	enum ct_rc rc = ct_store_suspension_each(c->store, false, list_one, items);
	if (rc != CT_OK) {
		json_decref(items);
		*out = NULL;
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "suspensions", items);
	return CT_OK;
}
