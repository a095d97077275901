/* The audit chain: append, verify, log.
 *
 * Event hash = BLAKE2b-256 over "prev_hash\nseq\nts\nactor\naction\npayload"
 * (hex), so changing, inserting or removing an event breaks every hash
 * after it. Rows are covered too: each event records the state of every
 * row it wrote under payload.states, and verify compares every stored row
 * with the last state the chain recorded for it. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "svc_internal.h"

void ct_hash_hex(const char *text, size_t len, char out[static 65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

char *ct_canonical(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII |
			      JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
}

void ct_audit_state(json_t *payload, const char *key, json_t *state)
{
	json_t *states = json_object_get(payload, "states");
	if (!states) {
		states = json_object();
		json_object_set_new(payload, "states", states);
	}
	json_object_set_new(states, key, state);
}

static void event_hash(const struct ct_audit_row *e, char out[static 65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	char seq[24];
	snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
	const char *parts[] = {e->prev_hash, seq, e->ts, e->actor, e->action, e->payload};
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (i > 0)
			crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
		crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

enum ct_rc ct_audit_append_text(struct ct_ctx *c, const char *action, const char *payload,
				struct ct_err *err)
{
	struct ct_audit_row e = {0};
	enum ct_rc rc = ct_store_audit_head(c->store, &e.seq, e.prev_hash);
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	e.seq++;
	ct_ctx_timestamp(c, e.ts);
	snprintf(e.actor, sizeof e.actor, "%s", c->actor);
	snprintf(e.action, sizeof e.action, "%s", action);
	e.payload = (char *)payload;
	event_hash(&e, e.hash);
	rc = ct_store_audit_add(c->store, &e);
	return rc == CT_OK ? CT_OK : ct_err_store(c, err, rc);
}

enum ct_rc ct_audit_append(struct ct_ctx *c, const char *action, json_t *payload,
			   struct ct_err *err)
{
	char *text = ct_canonical(payload);
	json_decref(payload);
	if (!text)
		return ct_err_set(err, CT_ENOMEM, NULL, "out of memory");
	enum ct_rc rc = ct_audit_append_text(c, action, text, err);
	free(text);
	return rc;
}

enum ct_rc ct_write_audited(struct ct_ctx *c, const char *action, ct_row_write_fn write,
			    ct_row_state_fn state, void *row, struct ct_err *err)
{
	enum ct_rc rc = ct_tx_begin(c, err);
	if (rc != CT_OK)
		return rc;
	if ((rc = write(c->store, row)) != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	char key[96];
	json_t *snap = state(row, key);
	json_t *payload = json_object();
	ct_audit_state(payload, key, snap);
	if ((rc = ct_audit_append(c, action, payload, err)) != CT_OK)
		goto fail;
	return ct_tx_commit(c, err);
fail:
	ct_tx_rollback(c);
	return rc;
}

/* ---- verify ---- */

/* entity key -> digest of its last recorded state. Open addressing; the
 * table only grows, and verify is its only user. */
struct state_entry {
	char *key;
	unsigned char digest[16];
	int64_t seq;
	bool seen;
};

struct state_map {
	struct state_entry *slots;
	size_t cap, len;
};

static uint64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static struct state_entry *map_find(struct state_map *m, const char *key, bool insert)
{
	if (insert && (m->len + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024;
		struct state_entry *ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slots[i].key)
				continue;
			size_t j = key_hash(m->slots[i].key) & (ncap - 1);
			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	if (!m->cap)
		return NULL;
	size_t i = key_hash(key) & (m->cap - 1);
	while (m->slots[i].key) {
		if (strcmp(m->slots[i].key, key) == 0)
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!insert)
		return NULL;
	m->slots[i].key = strdup(key);
	if (!m->slots[i].key)
		return NULL;
	m->len++;
	return &m->slots[i];
}

static void map_free(struct state_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
}

static void state_digest(const json_t *state, unsigned char out[16])
{
	char *text = ct_canonical(state);
	crypto_generichash(out, 16, (const unsigned char *)(text ? text : ""),
			   text ? strlen(text) : 0, NULL, 0);
	free(text);
}

struct verify {
	struct ct_ctx *c;
	struct state_map map;
	int64_t events;
	char prev_hash[65];
	int64_t bad_seq;            /* smallest seq found bad; 0 none */
	char problem[512];
	int64_t serials_in_states, postings_in_states, postings_sum_in_states;
	int64_t list_entries, list_names;   /* what the current list versions hold */
	bool oom;
};

static void report(struct verify *v, int64_t seq, const char *fmt, const char *a, const char *b)
{
	if (v->bad_seq && v->bad_seq <= seq)
		return;
	v->bad_seq = seq;
	snprintf(v->problem, sizeof v->problem, fmt, a, b);
}

static enum ct_rc walk_event(const struct ct_audit_row *e, void *arg)
{
	struct verify *v = arg;
	char seqbuf[24], hash[65];
	snprintf(seqbuf, sizeof seqbuf, "%lld", (long long)e->seq);
	if (e->seq != v->events + 1) {
		report(v, v->events + 1, "event %s is missing (the next stored is %s)",
		       "", seqbuf);
		snprintf(v->problem, sizeof v->problem,
			 "event %lld is missing: the log jumps to %lld", (long long)(v->events + 1),
			 (long long)e->seq);
		return CT_ECONFLICT;
	}
	if (strcmp(e->prev_hash, v->prev_hash) != 0) {
		report(v, e->seq, "event %s does not link to the event before it%s", seqbuf, "");
		return CT_ECONFLICT;
	}
	event_hash(e, hash);
	if (strcmp(hash, e->hash) != 0) {
		report(v, e->seq, "event %s was altered: its hash does not match its content%s",
		       seqbuf, "");
		return CT_ECONFLICT;
	}
	v->events = e->seq;
	memcpy(v->prev_hash, e->hash, sizeof v->prev_hash);
	json_t *payload = json_loads(e->payload, JSON_DECODE_ANY, NULL);
	json_t *states = json_object_get(payload, "states");
	const char *key;
	json_t *state;
	json_object_foreach(states, key, state) {
		struct state_entry *se = map_find(&v->map, key, true);
		if (!se) {
			v->oom = true;
			json_decref(payload);
			return CT_ENOMEM;
		}
		state_digest(state, se->digest);
		se->seq = e->seq;
	}
	json_decref(payload);
	return CT_OK;
}

/* Compares one row's current state with the chain's last state for it. */
static enum ct_rc check_row(struct verify *v, const char *key, json_t *state)
{
	struct state_entry *se = map_find(&v->map, key, false);
	if (!se) {
		report(v, v->events + 1, "%s has no audit event: it was written behind chiptoll's "
		       "back%s", key, "");
	} else {
		unsigned char d[16];
		state_digest(state, d);
		se->seen = true;
		if (memcmp(d, se->digest, sizeof d) != 0)
			report(v, se->seq, "%s differs from the state recorded by its last audit "
			       "event%s", key, "");
	}
	json_decref(state);
	return CT_OK;
}

static enum ct_rc row_product(const struct ct_product *p, void *arg)
{
	char key[CT_ID_MAX + 16];
	snprintf(key, sizeof key, "product/%s", p->model);
	return check_row(arg, key, ct_snap_product(p));
}

static enum ct_rc row_party(const struct ct_party *p, void *arg)
{
	char key[CT_ID_MAX + 16];
	snprintf(key, sizeof key, "party/%s", p->id);
	return check_row(arg, key, ct_snap_party(p));
}

static enum ct_rc row_license(const struct ct_license_row *l, void *arg)
{
	char key[48];
	snprintf(key, sizeof key, "license/%lld", (long long)l->id);
	return check_row(arg, key, ct_snap_license(l));
}

static enum ct_rc row_certificate(const struct ct_certificate_row *r, void *arg)
{
	char key[48];
	snprintf(key, sizeof key, "certificate/%lld", (long long)r->id);
	return check_row(arg, key, ct_snap_certificate(r));
}

static enum ct_rc row_domestic(const struct ct_domestic_row *r, void *arg)
{
	char key[48];
	snprintf(key, sizeof key, "domestic/%lld", (long long)r->id);
	return check_row(arg, key, ct_snap_domestic(r));
}

static enum ct_rc row_token(const struct ct_token_row *t, void *arg)
{
	char key[48];
	json_t *state = NULL;
	enum ct_rc rc = ct_svc_token_state(t, &state);
	if (rc != CT_OK)
		return rc;
	snprintf(key, sizeof key, "token/%lld", (long long)t->id);
	return check_row(arg, key, state);
}

static enum ct_rc row_suspension(const struct ct_suspension_row *r, void *arg)
{
	char key[48];
	snprintf(key, sizeof key, "suspension/%lld", (long long)r->id);
	return check_row(arg, key, ct_snap_suspension(r));
}

static void count_postings(struct verify *v, json_t *state)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(state, "postings"), i, p) {
		v->postings_in_states++;
		v->postings_sum_in_states += json_integer_value(json_object_get(p, "amount_cents"));
	}
}

static enum ct_rc row_shipment(const struct ct_shipment_row *sh, void *arg)
{
	struct verify *v = arg;
	json_t *state = NULL;
	enum ct_rc rc = ct_snap_shipment(v->c, sh, &state);
	if (rc != CT_OK)
		return rc;
	v->serials_in_states += (int64_t)json_array_size(json_object_get(state, "serials"));
	count_postings(v, state);
	char key[48];
	snprintf(key, sizeof key, "shipment/%lld", (long long)sh->id);
	return check_row(v, key, state);
}

static enum ct_rc row_remittance(const struct ct_remittance_row *r, void *arg)
{
	struct verify *v = arg;
	json_t *state = NULL;
	enum ct_rc rc = ct_snap_remittance(v->c, r, &state);
	if (rc != CT_OK)
		return rc;
	count_postings(v, state);
	char key[48];
	snprintf(key, sizeof key, "remittance/%lld", (long long)r->id);
	return check_row(v, key, state);
}

/* A list version's state carries the digest of its entry and name rows,
 * so checking the version checks every entry of it. */
static enum ct_rc row_list_version(const struct ct_list_version_row *lv, void *arg)
{
	struct verify *v = arg;
	json_t *state = NULL;
	enum ct_rc rc = ct_snap_list_version(v->c, lv, &state);
	if (rc != CT_OK)
		return rc;
	v->list_entries += lv->superseded_by ? 0 : lv->entries;
	v->list_names += lv->superseded_by ? 0 : lv->names;
	char key[48];
	snprintf(key, sizeof key, "list_version/%lld", (long long)lv->id);
	return check_row(v, key, state);
}

struct policy_rows {
	struct verify *v;
};

static enum ct_rc check_policies(struct verify *v)
{
	/* Policy versions are few; every recorded one must still be stored
	 * with the same document. */
	for (size_t i = 0; i < v->map.cap; i++) {
		struct state_entry *se = &v->map.slots[i];
		if (!se->key || strncmp(se->key, "policy/", 7) != 0)
			continue;
		char *doc = NULL;
		enum ct_rc rc = ct_store_policy_get(v->c->store, se->key + 7, &doc);
		if (rc == CT_ENOTFOUND)
			continue; /* reported below as a deleted row */
		if (rc != CT_OK)
			return rc;
		json_t *state = ct_snap_policy(se->key + 7, doc);
		free(doc);
		check_row(v, se->key, state);
	}
	return CT_OK;
}

static enum ct_rc verify_rows(struct verify *v)
{
	struct ct_store *s = v->c->store;
	enum ct_rc rc;
	if ((rc = check_policies(v)) != CT_OK ||
	    (rc = ct_store_product_each(s, row_product, v)) != CT_OK ||
	    (rc = ct_store_party_each(s, -1, row_party, v)) != CT_OK)
		return rc;
	struct ct_license_filter all = {.status = -1};
	if ((rc = ct_store_license_each(s, &all, row_license, v)) != CT_OK ||
	    (rc = ct_store_certificate_each(s, row_certificate, v)) != CT_OK ||
	    (rc = ct_store_domestic_each(s, row_domestic, v)) != CT_OK ||
	    (rc = ct_store_suspension_each(s, false, row_suspension, v)) != CT_OK ||
	    (rc = ct_store_token_each(s, row_token, v)) != CT_OK ||
	    (rc = ct_store_shipment_each(s, row_shipment, v)) != CT_OK ||
	    (rc = ct_store_remittance_each(s, row_remittance, v)) != CT_OK ||
	    (rc = ct_store_list_version_each(s, false, row_list_version, v)) != CT_OK)
		return rc;
	for (size_t i = 0; i < v->map.cap; i++) {
		struct state_entry *se = &v->map.slots[i];
		if (se->key && !se->seen)
			report(v, se->seq, "%s was recorded by the audit trail but is no longer "
			       "stored%s", se->key, "");
	}
	/* Serial and posting rows live inside shipment and remittance states;
	 * a row added beside them shows up as a count that does not add up. */
	int64_t serials = 0, postings = 0, postings_sum = 0;
	if ((rc = ct_store_serial_count(s, &serials)) != CT_OK ||
	    (rc = ct_store_posting_totals(s, &postings, &postings_sum)) != CT_OK)
		return rc;
	if (serials != v->serials_in_states)
		report(v, v->events + 1, "serial rows do not match the shipments' audited "
		       "serials%s%s", "", "");
	if (postings != v->postings_in_states || postings_sum != v->postings_sum_in_states)
		report(v, v->events + 1, "ledger postings do not match the audited shipments "
		       "and remittances%s%s", "", "");
	/* Rows filed under a version id that does not exist escape every
	 * version's digest; the totals catch them. */
	int64_t list_entries = 0, list_names = 0;
	if ((rc = ct_store_list_totals(s, &list_entries, &list_names)) != CT_OK)
		return rc;
	if (list_entries != v->list_entries || list_names != v->list_names)
		report(v, v->events + 1, "list entries or names do not match the audited list "
		       "versions%s%s", "", "");
	int64_t mismatches = 0;
	if ((rc = ct_store_export_totals_mismatches(s, &mismatches)) != CT_OK)
		return rc;
	if (mismatches)
		report(v, v->events + 1, "export totals (the volume caps' numerators) do not match "
		       "the shipments%s%s", "", "");
	if (postings_sum != 0)
		report(v, v->events + 1, "the ledger does not balance%s%s", "", "");
	return CT_OK;
}

/* Parses "SEQ:HASH" (HASH 64 lowercase hex digits). */
static bool parse_anchor(const char *text, int64_t *seq, char hash[static 65])
{
	char *end = NULL;
	if (!text || text[0] < '1' || text[0] > '9')
		return false;
	long long n = strtoll(text, &end, 10);
	if (*end != ':' || strlen(end + 1) != 64 || strspn(end + 1, "0123456789abcdef") != 64)
		return false;
	*seq = n;
	memcpy(hash, end + 1, 65);
	return true;
}

struct anchor_check {
	int64_t seq;
	char hash[65];
	bool found, matches;
};

static enum ct_rc find_anchor(const struct ct_audit_row *e, void *arg)
{
	struct anchor_check *a = arg;
	if (e->seq == a->seq) {
		a->found = true;
		a->matches = strcmp(e->hash, a->hash) == 0;
	}
	return CT_OK;
}

enum ct_rc ct_svc_audit_verify(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	return ct_svc_audit_verify_anchor(c, NULL, out, err);
}

enum ct_rc ct_svc_audit_head(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	int64_t seq = 0;
	char hash[65];
	enum ct_rc rc = ct_store_audit_head(c->store, &seq, hash);
	*out = NULL;
	if (rc != CT_OK)
		return ct_err_store(c, err, rc);
	char anchor[96];
	snprintf(anchor, sizeof anchor, "%lld:%s", (long long)seq, hash);
	*out = json_pack("{s:I, s:s, s:s}", "seq", (json_int_t)seq, "hash", hash, "anchor", anchor);
	return CT_OK;
}

enum ct_rc ct_svc_audit_verify_anchor(struct ct_ctx *c, const char *anchor, json_t **out,
				      struct ct_err *err)
{
	struct verify v = {.c = c};
	struct anchor_check a = {0};
	*out = NULL;
	if (anchor && !parse_anchor(anchor, &a.seq, a.hash))
		return ct_err_set(err, CT_EINVAL, "anchor",
				  "anchor: must be SEQ:HASH as printed by 'chiptoll audit head'");
	enum ct_rc rc = ct_store_audit_each(c->store, 0, walk_event, &v);
	if (rc == CT_ECONFLICT && v.bad_seq)
		rc = CT_OK; /* the chain itself is broken: no point checking rows */
	else if (rc == CT_OK)
		rc = verify_rows(&v);
	if (rc == CT_OK && anchor) {
		/* The walk above proved the chain links; the anchor pins its
		 * length and content up to the anchored event. */
		if (a.seq > v.events) {
			char n[24];
			snprintf(n, sizeof n, "%lld", (long long)a.seq);
			report(&v, v.events + 1, "the log ends before the anchored event %s: events "
			       "were removed from its end%s", n, "");
		} else if ((rc = ct_store_audit_each(c->store, v.events - a.seq + 1, find_anchor,
						     &a)) == CT_OK && (!a.found || !a.matches)) {
			char n[24];
			snprintf(n, sizeof n, "%lld", (long long)a.seq);
			report(&v, a.seq, "event %s differs from the anchor recorded for it%s", n, "");
		}
	}
	if (v.oom || rc == CT_ENOMEM) {
		rc = ct_err_set(err, CT_ENOMEM, NULL, "out of memory while verifying");
		goto done;
	}
	if (rc != CT_OK) {
		rc = ct_err_store(c, err, rc);
		goto done;
	}
	if (v.bad_seq) {
		*out = json_pack("{s:b, s:I, s:I, s:s}", "ok", 0, "events", (json_int_t)v.events,
				 "first_bad_seq", (json_int_t)v.bad_seq, "problem", v.problem);
		ct_err_set(err, CT_REJECTED, NULL, "audit chain broken at event %lld: %s",
			   (long long)v.bad_seq, v.problem);
		rc = CT_REJECTED;
	} else {
		*out = json_pack("{s:b, s:I}", "ok", 1, "events", (json_int_t)v.events);
	}
done:
	map_free(&v.map);
	return rc;
}

/* ---- log ---- */

static enum ct_rc log_event(const struct ct_audit_row *e, void *arg)
{
	json_t *payload = json_loads(e->payload, JSON_DECODE_ANY, NULL);
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "seq",
					     (json_int_t)e->seq, "ts", e->ts, "actor", e->actor,
					     "action", e->action, "payload",
					     payload ? payload : json_null(), "hash", e->hash));
	return CT_OK;
}

enum ct_rc ct_svc_audit_log(struct ct_ctx *c, int64_t limit, json_t **out, struct ct_err *err)
{
	json_t *events = json_array();
	enum ct_rc rc = ct_store_audit_each(c->store, limit, log_event, events);
	if (rc != CT_OK) {
		json_decref(events);
		*out = NULL;
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "events", events);
	return CT_OK;
}
