/* Parties: vendors, customers and labs, and their approval status. */
#include <string.h>
#include "svc_internal.h"

static enum ct_rc party_insert(struct ct_store *s, void *row) { return ct_store_party_add(s, row); }
static enum ct_rc party_update(struct ct_store *s, void *row) { return ct_store_party_update(s, row); }

static json_t *party_state(const void *row, char key[static 96])
{
	const struct ct_party *p = row;
	snprintf(key, 96, "party/%s", p->id);
	return ct_snap_party(p);
}

static bool id_ok(const char *id)
{
	for (const char *p = id; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("-_.", *p)))
			return false;
	return *id != '\0';
}

enum ct_rc ct_svc_party_add(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	static const char *const fields[] = {"role", "id", "name", "name_zh", "country",
					     "hq_country", "parent", "end_uses", NULL};
	struct ct_party p = {0};
	char role[16];
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_str(req, "role", true, role, sizeof role, err)) != CT_OK ||
	    (rc = ct_req_str(req, "id", true, p.id, sizeof p.id, err)) != CT_OK ||
	    (rc = ct_req_str(req, "name", true, p.name, sizeof p.name, err)) != CT_OK ||
	    (rc = ct_req_str(req, "name_zh", false, p.name_zh, sizeof p.name_zh, err)) != CT_OK ||
	    (rc = ct_req_country(req, "country", true, NULL, p.country, err)) != CT_OK ||
	    (rc = ct_req_country(req, "hq_country", false, p.country, p.hq_country, err)) != CT_OK ||
	    (rc = ct_req_str(req, "parent", false, p.parent, sizeof p.parent, err)) != CT_OK ||
	    (rc = ct_req_end_uses(req, "end_uses", false, &p.end_uses, err)) != CT_OK)
		return rc;
	if (!ct_role_parse(role, &p.role))
		return ct_err_set(err, CT_EINVAL, "role", "role: must be vendor, customer or lab");
	if (!id_ok(p.id))
		return ct_err_set(err, CT_EINVAL, "id",
				  "id: use letters, digits, '-', '_' and '.' only");
	if (p.parent[0]) {
		struct ct_party parent;
		rc = ct_store_party_get(c->store, p.parent, &parent);
		if (rc == CT_ENOTFOUND)
			return ct_err_set(err, CT_ENOTFOUND, "parent",
					  "parent: no party %s; add the parent first", p.parent);
		if (rc != CT_OK)
			return ct_err_store(c, err, rc);
	}
	p.status = CT_PARTY_PENDING;
	if ((rc = ct_write_audited(c, "party.add", party_insert, party_state, &p, err)) != CT_OK)
		return rc;
	*out = ct_snap_party(&p);
	return CT_OK;
}

/* The transitions a regulator may make, and from which states. */
struct party_transition {
	const char *action;
	enum ct_party_status to;
	unsigned from;           /* bit per ct_party_status */
	bool needs_reason;
};

#define FROM(s) (1u << (s))
static const struct party_transition transitions[] = {
	{"approve", CT_PARTY_APPROVED, FROM(CT_PARTY_PENDING), false},
	{"reinstate", CT_PARTY_APPROVED, FROM(CT_PARTY_SUSPENDED), false},
	{"suspend", CT_PARTY_SUSPENDED, FROM(CT_PARTY_APPROVED) | FROM(CT_PARTY_PENDING), true},
	{"revoke", CT_PARTY_REVOKED,
	 FROM(CT_PARTY_PENDING) | FROM(CT_PARTY_APPROVED) | FROM(CT_PARTY_SUSPENDED), true},
};

enum ct_rc ct_svc_party_act(struct ct_ctx *c, const char *id, const char *action,
			    const char *reason, json_t **out, struct ct_err *err)
{
	const struct party_transition *t = NULL;
	*out = NULL;
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
		if (strcmp(transitions[i].action, action) == 0)
			t = &transitions[i];
	if (!t)
		return ct_err_set(err, CT_EINVAL, NULL, "unknown party action %s", action);
	if (t->needs_reason && (!reason || !*reason))
		return ct_err_set(err, CT_EINVAL, "reason", "reason: required to %s a party", action);
	if (reason && strlen(reason) >= CT_TEXT_MAX)
		return ct_err_set(err, CT_EINVAL, "reason", "reason: longer than %d bytes",
				  CT_TEXT_MAX - 1);
	struct ct_party p;
	enum ct_rc rc = ct_store_party_get(c->store, id, &p);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	if (!(t->from & FROM(p.status)))
		return ct_err_set(err, CT_ECONFLICT, NULL, "party %s is %s: cannot %s it", id,
				  ct_party_status_name(p.status), action);
	p.status = t->to;
	snprintf(p.status_reason, sizeof p.status_reason, "%s", reason ? reason : "");
	char act[32];
	snprintf(act, sizeof act, "party.%s", action);
	if ((rc = ct_write_audited(c, act, party_update, party_state, &p, err)) != CT_OK)
		return rc;
	*out = ct_snap_party(&p);
	return CT_OK;
}

enum ct_rc ct_svc_party_show(struct ct_ctx *c, const char *id, json_t **out, struct ct_err *err)
{
	struct ct_party p;
	*out = NULL;
	enum ct_rc rc = ct_store_party_get(c->store, id, &p);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	*out = ct_snap_party(&p);
	return CT_OK;
}

static enum ct_rc list_party(const struct ct_party *p, void *arg)
{
	json_array_append_new(arg, ct_snap_party(p));
	return CT_OK;
}

enum ct_rc ct_svc_party_list(struct ct_ctx *c, const char *role, json_t **out,
			     struct ct_err *err)
{
	enum ct_role r = CT_ROLE_VENDOR;
	*out = NULL;
	if (role && *role && !ct_role_parse(role, &r))
		return ct_err_set(err, CT_EINVAL, "role", "role: must be vendor, customer or lab");
	json_t *items = json_array();
	enum ct_rc rc = ct_store_party_each(c->store, role && *role ? (int)r : -1, list_party, items);
	if (rc != CT_OK) {
		json_decref(items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "parties", items);
	return CT_OK;
}
