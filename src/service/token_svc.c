/* API tokens: created once and shown once, kept only as a hash, revoked
 * for good. */
#include <sodium.h>
#include <string.h>
#include "svc_internal.h"

static json_t *token_json(const struct ct_token_row *t)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)t->id, "role",
			      t->role, "name", t->name, "created_at", t->created_at, "token_hash",
			      t->token_hash);
	json_object_set_new(o, "party", ct_json_opt_str(t->party));
	json_object_set_new(o, "revoked_at", ct_json_opt_str(t->revoked_at));
	return o;
}

enum ct_rc ct_svc_token_state(const struct ct_token_row *t, json_t **out)
{
	*out = token_json(t);
	return *out ? CT_OK : CT_ENOMEM;
}

static enum ct_rc token_insert(struct ct_store *s, void *row) { return ct_store_token_add(s, row); }
static enum ct_rc token_update(struct ct_store *s, void *row) { return ct_store_token_update(s, row); }

static json_t *token_state(const void *row, char key[static 96])
{
	const struct ct_token_row *t = row;
	snprintf(key, 96, "token/%lld", (long long)t->id);
	return token_json(t);
}

enum ct_rc ct_svc_token_create(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"role", "party", "name", NULL};
	struct ct_token_row t = {0};
	enum ct_access_role role;
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "role", true, t.role, sizeof t.role, err)) != CT_OK ||
	    (rc = ct_req_str(req, "party", false, t.party, sizeof t.party, err)) != CT_OK ||
	    (rc = ct_req_str(req, "name", false, t.name, sizeof t.name, err)) != CT_OK)
		return rc;
	if (!ct_access_role_parse(t.role, &role))
		return ct_err_set(err, CT_EINVAL, "role",
				  "role: must be regulator, auditor, vendor, customer or lab");
	if (ct_access_role_needs_party(role)) {
		struct ct_party p;
		enum ct_role party_role = role == CT_AR_VENDOR ? CT_ROLE_VENDOR
					  : role == CT_AR_CUSTOMER ? CT_ROLE_CUSTOMER : CT_ROLE_LAB;
		if (!t.party[0])
			return ct_err_set(err, CT_EINVAL, "party", "party: a %s token acts for a party",
					  t.role);
		if ((rc = ct_party_load(c, t.party, party_role, "party", &p, err)) != CT_OK)
			return rc;
	} else if (t.party[0]) {
		return ct_err_set(err, CT_EINVAL, "party", "party: a %s token acts for no party",
				  t.role);
	}
	if (!t.name[0])
		snprintf(t.name, sizeof t.name, "%s%s%s", t.role, t.party[0] ? "-" : "", t.party);
	/* 256 random bits: guessing is hopeless, so a fast hash suffices. */
	unsigned char raw[32];
	char token[3 + 64];
	randombytes_buf(raw, sizeof raw);
	memcpy(token, "ct_", 3);
	sodium_bin2base64(token + 3, sizeof token - 3, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	ct_hash_hex(token, strlen(token), t.token_hash);
	ct_ctx_timestamp(c, t.created_at);
	if ((rc = ct_write_audited(c, "token.create", token_insert, token_state, &t, err)) != CT_OK)
		return rc;
	*out = token_json(&t);
	json_object_set_new(*out, "token", json_string(token));
	sodium_memzero(token, sizeof token);
	return CT_OK;
}

static enum ct_rc list_token(const struct ct_token_row *t, void *arg)
{
	json_array_append_new(arg, token_json(t));
	return CT_OK;
}

enum ct_rc ct_svc_token_list(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	json_t *items = json_array();
	enum ct_rc rc = ct_store_token_each(c->store, list_token, items);
	*out = NULL;
	if (rc != CT_OK) {
		json_decref(items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "tokens", items);
	return CT_OK;
}

enum ct_rc ct_svc_token_revoke(struct ct_ctx *c, int64_t id, json_t **out, struct ct_err *err)
{
	struct ct_token_row t;
	*out = NULL;
	enum ct_rc rc = ct_store_token_get(c->store, id, &t);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	if (t.revoked_at[0])
		return ct_err_set(err, CT_ECONFLICT, NULL, "token %lld was already revoked at %s",
				  (long long)id, t.revoked_at);
	ct_ctx_timestamp(c, t.revoked_at);
	if ((rc = ct_write_audited(c, "token.revoke", token_update, token_state, &t, err)) != CT_OK)
		return rc;
	*out = token_json(&t);
	return CT_OK;
}

enum ct_rc ct_svc_authenticate(struct ct_ctx *c, const char *token, struct ct_principal *p)
{
	char hash[65];
	struct ct_token_row t;
	size_t len = token ? strlen(token) : 0;
	if (len < 10 || len > 128)
		return CT_ENOTFOUND;
	ct_hash_hex(token, len, hash);
	enum ct_rc rc = ct_store_token_find_hash(c->store, hash, &t);
	if (rc != CT_OK)
		return rc;
	/* The row was found by its hash through an index; compare once more
	 * in constant time so the lookup's timing says nothing further. */
	if (sodium_memcmp(hash, t.token_hash, 64) != 0 || t.revoked_at[0] ||
	    !ct_access_role_parse(t.role, &p->role))
		return CT_ENOTFOUND;
	p->token_id = t.id;
	snprintf(p->party, sizeof p->party, "%s", t.party);
	snprintf(p->name, sizeof p->name, "%s", t.name);
	return CT_OK;
}
