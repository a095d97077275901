/* Policy versions: load a new one, show the current one. */
#include <stdlib.h>
#include <string.h>
#include "svc_internal.h"

enum ct_rc ct_svc_policy_load(struct ct_ctx *c, const char *text, size_t len, json_t **out,
			      struct ct_err *err)
{
	char msg[512];
	struct ct_policy *p = NULL;
	*out = NULL;
	if (len > CT_POLICY_FILE_MAX)
		return ct_err_set(err, CT_EINVAL, "policy", "policy file larger than %u bytes",
				  CT_POLICY_FILE_MAX);
	enum ct_rc rc = ct_policy_parse(text, len, &p, msg, sizeof msg);
	if (rc != CT_OK)
		return ct_err_set(err, CT_EINVAL, "policy", "policy file: %s", msg);
	/* Store the text exactly as given (it carries the citations), after
	 * checking it has no NUL that would cut it short. */
	char *doc = strndup(text, len);
	if (!doc || strlen(doc) != len) {
		free(p);
		free(doc);
		return ct_err_set(err, CT_EINVAL, "policy", "policy file contains a NUL byte");
	}
	char ts[24];
	ct_ctx_timestamp(c, ts);
	if ((rc = ct_tx_begin(c, err)) != CT_OK)
		goto done;
	rc = ct_store_policy_add(c->store, p->version, doc, ts);
	if (rc == CT_ECONFLICT) {
		ct_err_set(err, rc, "version",
			   "policy version %s is already loaded: a new rule needs a new version",
			   p->version);
		goto fail;
	}
	if (rc != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	json_t *payload = json_pack("{s:s}", "version", p->version);
	char key[CT_ID_MAX + 16];
	snprintf(key, sizeof key, "policy/%s", p->version);
	ct_audit_state(payload, key, ct_snap_policy(p->version, doc));
	if ((rc = ct_audit_append(c, "policy.load", payload, err)) != CT_OK)
		goto fail;
	if ((rc = ct_tx_commit(c, err)) != CT_OK)
		goto done;
	free(c->policy);
	c->policy = p;
	p = NULL;
	snprintf(c->policy_version, sizeof c->policy_version, "%s", c->policy->version);
	*out = json_pack("{s:s, s:i}", "version", c->policy_version, "programs",
			 c->policy->n_programs);
	goto done;
fail:
	ct_tx_rollback(c);
done:
	free(p);
	free(doc);
	return rc;
}

enum ct_rc ct_svc_policy_show(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	char *doc = NULL;
	*out = NULL;
	enum ct_rc rc = ct_store_policy_get(c->store, c->policy_version, &doc);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	json_t *document = json_loads(doc, 0, NULL);
	free(doc);
	if (!document)
		return ct_err_set(err, CT_EIO, NULL, "stored policy is not valid JSON");
	*out = json_pack("{s:s, s:o}", "version", c->policy_version, "policy", document);
	return CT_OK;
}
