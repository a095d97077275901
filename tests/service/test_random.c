/* A seeded randomized run: thousands of operations of every kind against
 * the service layer, each one's outcome predicted by a model kept here
 * (the rules of the issue, re-implemented from their text), and after
 * every batch of ~200 operations the invariants:
 *   - audit verify passes and counts exactly the events the model expects;
 *   - the ledger balances (postings sum to 0; per vendor receivable ==
 *     -payable; accrued, remitted and outstanding as the model says);
 *   - every license has units_shipped <= units_approved, as modelled;
 *   - per product, units exported to CN/MO <= floor(US domestic x 50%);
 *   - every fee == units x unit value x rate / 10000, rounded half up;
 *   - no serial booked twice, and each where the model put it.
 * A failure message names the seed and the operation number. */
#include <ctype.h>
#include <strings.h>
#include "chiptoll/date.h"
#include "svc_fixture.h"

#define OPS_PER_SEED 1500
#define CHECK_EVERY 200

/* ---- a deterministic generator (splitmix64) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t rrange(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static bool rchance(struct rng *r, int pct)
{
	return rrange(r, 0, 99) < pct;
}

/* ---- the world ---- */

#define NV 3
#define NP 6
#define NC 5
#define NL 2
#define NB 3
static const char *const vendors[NV] = {"NVIDIA", "AMD", "Intel"};
/* GAUDI3 is above the 2026 program's TPP ceiling: every application for
 * it is denied with product_not_eligible. */
static const struct {
	const char *model;
	int vendor;
	bool eligible;
} products[NP] = {{"H200", 0, true},   {"H100", 0, true},  {"MI300X", 1, true},
		  {"MI325X", 1, true}, {"GAUDI2", 2, true}, {"GAUDI3", 2, false}};
static const struct {
	const char *id, *country;
} customers[NC] = {{"C-BJ", "CN"}, {"C-SH", "CN"}, {"C-SZ", "CN"}, {"C-MO", "MO"},
		   {"C-NEW", "CN"}};
static const char *const lab_ids[NL] = {"LAB-A", "LAB-B"};
static const char *const batches[NB] = {"B1", "B2", "B3"};

#define MAX_LIC 1200
#define MAX_SHIP 6000
#define MAX_CERT 600
#define MAX_SUSP 400
#define MAX_KEYS 3000
#define SERIAL_SLOTS (1 << 16)

struct mlic {
	int64_t id;
	int v, c, p;
	enum ct_license_status st;
	int64_t req, appr, shipped;
};

struct mcert {
	int64_t id;
	int lab, p, b;
	int64_t units, used;
};

struct msusp {
	int64_t id;
	int kind;       /* 0 all, 1 vendor, 2 customer, 3 product, 4 program */
	int target;
	bool active;
};

struct mship {
	int64_t units, value_cents, fee;
	int v, p;
	int64_t license;
};

struct mkey {
	char key[40];
	json_t *req;      /* the request as booked (a copy) */
	int64_t id, amount;
};

struct model {
	uint64_t seed;
	int op;
	ct_date today, valid_until;
	enum ct_party_status vst[NV], cst[NC], lst[NL];
	struct mlic lic[MAX_LIC];
	int nlic;
	struct mcert cert[MAX_CERT];
	int ncert;
	struct msusp susp[MAX_SUSP];
	int nsusp;
	struct mship ship[MAX_SHIP + 1];  /* by shipment id */
	int64_t nship;
	int64_t nremit;
	int64_t domestic[NP], exported[NP];
	int64_t accrued[NV], remitted[NV];
	int64_t events;
	/* serial -> shipment id, open addressing */
	char *serial[SERIAL_SLOTS];
	int64_t serial_ship[SERIAL_SLOTS];
	char *serial_list[SERIAL_SLOTS];
	int nserials;
	struct mkey skeys[MAX_KEYS];
	int nskeys;
	struct mkey rkeys[MAX_KEYS];
	int nrkeys;
	int64_t next_serial, next_key;
	/* what happened, for the log line */
	int64_t booked, rejected, replayed, conflicts, invalid;
	int64_t reasons[CT_REASON_MAX_];
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t serial_slot(struct model *m, const char *s)
{
	size_t i = str_hash(s) & (SERIAL_SLOTS - 1);
	while (m->serial[i] && strcmp(m->serial[i], s) != 0)
		i = (i + 1) & (SERIAL_SLOTS - 1);
	return i;
}

static int64_t serial_find(struct model *m, const char *s)
{
	size_t i = serial_slot(m, s);
	return m->serial[i] ? m->serial_ship[i] : 0;
}

static void serial_add(struct model *m, const char *s, int64_t ship)
{
	cr_assert_lt(m->nserials, SERIAL_SLOTS / 2, "too many serials for the model");
	size_t i = serial_slot(m, s);
	cr_assert_null(m->serial[i], "model: serial %s added twice", s);
	m->serial[i] = strdup(s);
	m->serial_ship[i] = ship;
	m->serial_list[m->nserials++] = m->serial[i];
}

static void model_free(struct model *m)
{
	for (size_t i = 0; i < SERIAL_SLOTS; i++)
		free(m->serial[i]);
	for (int i = 0; i < m->nskeys; i++)
		json_decref(m->skeys[i].req);
	for (int i = 0; i < m->nrkeys; i++)
		json_decref(m->rkeys[i].req);
	free(m);
}

/* fee = units x value x rate / 10000, half up, by quotient and remainder
 * (not the library's add-half formula). */
static int64_t expect_fee(int64_t units, int64_t value_cents, int64_t rate_bp)
{
	__int128 x = (__int128)units * value_cents * rate_bp;
	__int128 q = x / 10000, r = x % 10000;
	return (int64_t)(q + (r * 2 >= 10000 ? 1 : 0));
}

static int64_t cap_of(int64_t domestic)
{
	return domestic * 5000 / 10000;  /* floor for non-negative */
}

/* ---- outcomes ---- */

enum kind { K_BOOK, K_REJECT, K_REPLAY, K_CONFLICT, K_EINVAL };

struct outcome {
	enum kind kind;
	enum ct_reason reason;
	int64_t id, fee;     /* K_BOOK: the new shipment's; K_REPLAY: the original's */
	int64_t units;
};

#define MFAIL(m, ...)                                                                       \
	do {                                                                                \
		char where_[64];                                                            \
		snprintf(where_, sizeof where_, "seed %llu op %d: ",                        \
			 (unsigned long long)(m)->seed, (m)->op);                           \
		cr_assert_fail("%s" __VA_ARGS__);                                           \
	} while (0)

static const char *kind_name(enum kind k)
{
	static const char *const n[] = {"book", "reject", "replay", "conflict", "bad input"};
	return n[k];
}

/* ---- shipments ---- */

struct sreq {
	json_t *json;
	int64_t license, units, value_cents;
	int batch;            /* -1: B9, no certificate anywhere */
	ct_date date;
	const char *serials[200];
	int nser;
	bool ser_given, bad;
	struct mkey *reuse;   /* a booked key reused */
	bool reuse_same;
	char key[40];
};

static void fresh_serial(struct model *m, char *buf, size_t size)
{
	snprintf(buf, size, "S%llu-%06lld", (unsigned long long)(m->seed % 1000),
		 (long long)m->next_serial++);
}

static struct mlic *find_lic(struct model *m, int64_t id)
{
	return id >= 1 && id <= m->nlic ? &m->lic[id - 1] : NULL;
}

/* Builds a random ship request; s->json is a new reference. */
static void gen_ship(struct model *m, struct rng *r, struct sreq *s, char (*serbuf)[48])
{
	memset(s, 0, sizeof *s);
	if (m->nskeys > 0 && rchance(r, 8)) {
		s->reuse = &m->skeys[rrange(r, 0, m->nskeys - 1)];
		s->reuse_same = rchance(r, 60);
		s->json = json_deep_copy(s->reuse->req);
		if (!s->reuse_same) {
			int64_t u = json_is_integer(json_object_get(s->json, "units")) ?
				json_integer_value(json_object_get(s->json, "units")) :
				atoll(json_string_value(json_object_get(s->json, "units")));
			json_object_set_new(s->json, "units", json_integer(u + 1));
		}
		return;
	}
	/* a license: mostly approved ones, sometimes any, rarely none */
	if (rchance(r, 3) || m->nlic == 0) {
		s->license = 99999;
	} else {
		s->license = m->lic[rrange(r, 0, m->nlic - 1)].id;
		int napproved = 0;
		for (int i = 0; i < m->nlic; i++)
			napproved += m->lic[i].st == CT_LIC_APPROVED;
		if (napproved > 0 && rchance(r, 85)) {
			int k = (int)rrange(r, 0, napproved - 1);
			for (int i = 0; i < m->nlic; i++)
				if (m->lic[i].st == CT_LIC_APPROVED && k-- == 0)
					s->license = m->lic[i].id;
		}
	}
	s->units = rchance(r, 12) ? rrange(r, 30, 120) : rrange(r, 1, 16);
	if (rchance(r, 2)) {
		s->units = 0;
		s->bad = true;
	}
	s->value_cents = rrange(r, 100000, 4000000);
	if (rchance(r, 20))
		s->value_cents -= s->value_cents % 100;  /* whole dollars */
	bool zero_value = rchance(r, 2);
	if (zero_value)
		s->bad = true;
	s->batch = rchance(r, 4) ? -1 : (int)rrange(r, 0, NB - 1);
	int d = (int)rrange(r, 0, 99);
	const char *date_text = NULL;
	s->date = m->today;
	if (d < 7) {
		date_text = "2026-06-01";
	} else if (d < 10) {
		date_text = "2027-07-01";
		s->date = ct_date_from_ymd(2027, 7, 1);
	} else if (d < 13) {
		date_text = "2026-05-20";
		s->date = ct_date_from_ymd(2026, 5, 20);
	}

	/* serials */
	int mode = (int)rrange(r, 0, 99);
	int n = (int)s->units;
	if (mode < 10) {
		s->ser_given = false;
		n = 0;
	} else {
		s->ser_given = true;
		if (mode < 18)
			n = s->units > 1 && rchance(r, 50) ? (int)s->units - 1 : (int)s->units + 1;
	}
	if (n > 200)
		n = 200;
	for (int i = 0; i < n; i++) {
		fresh_serial(m, serbuf[i], 48);
		s->serials[i] = serbuf[i];
	}
	s->nser = n;
	if (n >= 1 && mode >= 18 && mode < 25 && m->nserials > 0)
		s->serials[rrange(r, 0, n - 1)] = m->serial_list[rrange(r, 0, m->nserials - 1)];
	else if (n >= 2 && mode >= 25 && mode < 30)
		s->serials[n - 1] = s->serials[0];

	/* the JSON, with numbers as numbers or as strings */
	s->json = json_object();
	json_object_set_new(s->json, "license", rchance(r, 50) ? json_integer(s->license) :
			    json_sprintf("%lld", (long long)s->license));
	json_object_set_new(s->json, "units", rchance(r, 50) ? json_integer(s->units) :
			    json_sprintf("%lld", (long long)s->units));
	if (zero_value)
		json_object_set_new(s->json, "unit_value", json_string("0.00"));
	else if (s->value_cents % 100 == 0 && rchance(r, 50))
		json_object_set_new(s->json, "unit_value", json_integer(s->value_cents / 100));
	else
		json_object_set_new(s->json, "unit_value",
				    json_sprintf("%lld.%02lld", (long long)(s->value_cents / 100),
						 (long long)(s->value_cents % 100)));
	json_object_set_new(s->json, "batch", json_string(s->batch < 0 ? "B9" : batches[s->batch]));
	if (date_text)
		json_object_set_new(s->json, "date", json_string(date_text));
	if (s->ser_given) {
		json_t *a = json_array();
		for (int i = 0; i < s->nser; i++)
			json_array_append_new(a, json_string(s->serials[i]));
		json_object_set_new(s->json, "serials", a);
	}
	if (rchance(r, 40)) {
		snprintf(s->key, sizeof s->key, "K%llu-%lld", (unsigned long long)(m->seed % 1000),
			 (long long)m->next_key++);
		json_object_set_new(s->json, "key", json_string(s->key));
	}
}

static bool suspended(struct model *m, const struct mlic *l)
{
	for (int i = 0; i < m->nsusp; i++) {
		const struct msusp *s = &m->susp[i];
		if (!s->active)
			continue;
		if (s->kind == 0 || s->kind == 4 || (s->kind == 1 && s->target == l->v) ||
		    (s->kind == 2 && s->target == l->c) || (s->kind == 3 && s->target == l->p))
			return true;
	}
	return false;
}

static struct mcert *usable_cert(struct model *m, int p, int b, int64_t units)
{
	if (b < 0)
		return NULL;
	for (int i = 0; i < m->ncert; i++) {
		struct mcert *c = &m->cert[i];
		if (c->p == p && c->b == b && m->lst[c->lab] == CT_PARTY_APPROVED &&
		    c->units - c->used >= units)
			return c;  /* all dated today: the lowest id is the oldest */
	}
	return NULL;
}

/* Predicts one shipment and applies its effects to the model. */
static struct outcome predict_ship(struct model *m, struct sreq *s)
{
	struct outcome o = {0};
	if (s->reuse) {
		o.kind = s->reuse_same ? K_REPLAY : K_CONFLICT;
		o.id = s->reuse->id;
		o.fee = s->reuse->amount;
		return o;
	}
	if (s->bad) {
		o.kind = K_EINVAL;
		return o;
	}
	o.kind = K_REJECT;
	struct mlic *l = find_lic(m, s->license);
	struct mcert *c = NULL;
	if (!l)
		o.reason = CT_REASON_LICENSE_NOT_FOUND;
	else if (l->st == CT_LIC_PENDING || l->st == CT_LIC_DENIED)
		o.reason = CT_REASON_LICENSE_NOT_ACTIVE;
	else if (l->st == CT_LIC_SUSPENDED)
		o.reason = CT_REASON_LICENSE_SUSPENDED;
	else if (l->st == CT_LIC_REVOKED)
		o.reason = CT_REASON_LICENSE_REVOKED;
	else if (s->date < m->today || s->date > m->valid_until)
		o.reason = CT_REASON_LICENSE_EXPIRED;
	else if (suspended(m, l))
		o.reason = CT_REASON_SUSPENDED;
	else if (m->cst[l->c] != CT_PARTY_APPROVED)
		o.reason = CT_REASON_CUSTOMER_NOT_APPROVED;
	else if (l->shipped + s->units > l->appr)
		o.reason = CT_REASON_LICENSE_UNITS_EXCEEDED;
	else if (!(c = usable_cert(m, l->p, s->batch, s->units)))
		o.reason = CT_REASON_LAB_CERTIFICATE_MISSING;
	else if (m->exported[l->p] + s->units > cap_of(m->domestic[l->p]))
		o.reason = CT_REASON_VOLUME_CAP_EXCEEDED;
	else if (s->ser_given && s->nser != s->units)
		o.reason = CT_REASON_SERIAL_COUNT_MISMATCH;
	else {
		bool dup = false;
		for (int i = 0; i < s->nser && !dup; i++) {
			dup = serial_find(m, s->serials[i]) != 0;
			for (int j = 0; j < i && !dup; j++)
				dup = strcmp(s->serials[i], s->serials[j]) == 0;
		}
		if (dup)
			o.reason = CT_REASON_SERIAL_ALREADY_SHIPPED;
	}
	m->events++;
	if (o.reason != CT_REASON_NONE)
		return o;

	/* booked */
	o.kind = K_BOOK;
	o.id = ++m->nship;
	cr_assert_leq(m->nship, MAX_SHIP, "model: too many shipments");
	o.fee = expect_fee(s->units, s->value_cents, 2500);
	o.units = s->units;
	struct mship *sh = &m->ship[o.id];
	sh->units = s->units;
	sh->value_cents = s->value_cents;
	sh->fee = o.fee;
	sh->v = l->v;
	sh->p = l->p;
	sh->license = l->id;
	l->shipped += s->units;
	c->used += s->units;
	m->exported[l->p] += s->units;
	m->accrued[l->v] += o.fee;
	for (int i = 0; i < s->nser; i++)
		serial_add(m, s->serials[i], o.id);
	if (s->key[0]) {
		cr_assert_lt(m->nskeys, MAX_KEYS);
		struct mkey *k = &m->skeys[m->nskeys++];
		snprintf(k->key, sizeof k->key, "%s", s->key);
		k->req = json_deep_copy(s->json);
		k->id = o.id;
		k->amount = o.fee;
	}
	return o;
}

static void count(struct model *m, const struct outcome *o)
{
	switch (o->kind) {
	case K_BOOK: m->booked++; break;
	case K_REJECT: m->rejected++; m->reasons[o->reason]++; break;
	case K_REPLAY: m->replayed++; break;
	case K_CONFLICT: m->conflicts++; break;
	case K_EINVAL: m->invalid++; break;
	}
}

/* Compares a response (single call or batch line) with the prediction. */
static void check_ship(struct model *m, const struct outcome *o, enum ct_rc rc, json_t *out,
		       const struct ct_err *err, bool in_batch)
{
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	char got[512];
	snprintf(got, sizeof got, "rc %s reason %s: %.300s", ct_rc_name(rc),
		 ct_reason_name(err->reason) ? ct_reason_name(err->reason) : "-",
		 text ? text : err->message);
	free(text);
	if (in_batch) {
		/* a batch line carries its outcome in the object */
		if (json_object_get(out, "error"))
			rc = strcmp(json_string_value(json_object_get(out, "code")),
				    "idempotency_conflict") == 0 ? CT_ECONFLICT : CT_EINVAL;
		else if (json_is_true(json_object_get(out, "rejected")))
			rc = CT_REJECTED;
		else
			rc = CT_OK;
	}
	switch (o->kind) {
	case K_BOOK:
	case K_REPLAY:
		if (rc != CT_OK)
			MFAIL(m, "expected %s of shipment %lld, got %s", where_, kind_name(o->kind),
			      (long long)o->id, got);
		if (json_integer_value(json_object_get(out, "shipment")) != o->id ||
		    json_integer_value(json_object_get(out, "fee_cents")) != o->fee ||
		    json_is_true(json_object_get(out, "replayed")) != (o->kind == K_REPLAY))
			MFAIL(m, "expected %s of shipment %lld fee %lld, got %s", where_,
			      kind_name(o->kind), (long long)o->id, (long long)o->fee, got);
		if (o->kind == K_BOOK &&
		    (json_integer_value(json_object_get(out, "rate_bp")) != 2500 ||
		     json_integer_value(json_object_get(out, "units")) != o->units))
			MFAIL(m, "booking: wrong rate or units: %s", where_, got);
		break;
	case K_REJECT: {
		const char *reason = json_string_value(json_object_get(out, "reason"));
		if (rc != CT_REJECTED || !reason || strcmp(reason, ct_reason_name(o->reason)) != 0 ||
		    (!in_batch && err->reason != o->reason))
			MFAIL(m, "expected rejection %s, got %s", where_, ct_reason_name(o->reason),
			      got);
		break;
	}
	case K_CONFLICT:
		if (rc != CT_ECONFLICT || (!in_batch && err->reason != CT_REASON_IDEMPOTENCY_CONFLICT))
			MFAIL(m, "expected idempotency conflict with shipment %lld, got %s", where_,
			      (long long)o->id, got);
		break;
	case K_EINVAL:
		if (rc != CT_EINVAL)
			MFAIL(m, "expected bad input, got %s", where_, got);
		break;
	}
}

static void op_ship(struct fx *fx, struct model *m, struct rng *r)
{
	struct sreq s;
	char serbuf[200][48];
	gen_ship(m, r, &s, serbuf);
	struct outcome o = predict_ship(m, &s);
	count(m, &o);
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_ship(&fx->ctx, s.json, &out, &err);
	check_ship(m, &o, rc, out, &err, false);
	json_decref(out);
	json_decref(s.json);
}

#define BATCH_MAX 8

static void op_batch(struct fx *fx, struct model *m, struct rng *r)
{
	int n = (int)rrange(r, 2, BATCH_MAX);
	struct sreq s[BATCH_MAX];
	static char serbuf[BATCH_MAX][200][48];
	struct outcome o[BATCH_MAX];
	json_t *reqs[BATCH_MAX], *results[BATCH_MAX] = {0};
	for (int i = 0; i < n; i++) {
		gen_ship(m, r, &s[i], serbuf[i]);
		/* sometimes the previous keyed line again: once booked, a replay */
		if (i > 0 && rchance(r, 10) && !s[i - 1].reuse && s[i - 1].key[0]) {
			json_decref(s[i].json);
			s[i] = s[i - 1];
			s[i].json = json_deep_copy(s[i - 1].json);
			if (o[i - 1].kind == K_BOOK) {
				s[i].reuse = &m->skeys[m->nskeys - 1];
				s[i].reuse_same = true;
			}
		}
		o[i] = predict_ship(m, &s[i]);
		count(m, &o[i]);
		reqs[i] = s[i].json;
	}
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_ship_batch(&fx->ctx, reqs, (size_t)n, results, &err);
	if (rc != CT_OK)
		MFAIL(m, "batch failed: %s %s", where_, ct_rc_name(rc), err.message);
	for (int i = 0; i < n; i++) {
		struct ct_err none = {0};
		check_ship(m, &o[i], CT_OK, results[i], &none, true);
		json_decref(results[i]);
		json_decref(reqs[i]);
	}
}

/* ---- licenses ---- */

static void op_apply(struct fx *fx, struct model *m, struct rng *r)
{
	int p = (int)rrange(r, 0, NP - 1);
	int v = products[p].vendor;
	bool mismatch = rchance(r, 3);
	if (mismatch)
		v = (v + 1) % NV;
	int c = (int)rrange(r, 0, NC - 1);
	bool military = rchance(r, 5);
	int64_t units = rrange(r, 10, 400);
	json_t *req = json_pack("{s:s, s:s, s:s, s:o, s:s}", "vendor", vendors[v], "customer",
				customers[c].id, "product", products[p].model, "units",
				rchance(r, 50) ? json_integer(units) :
				json_sprintf("%lld", (long long)units),
				"end_uses", military ? "training,military" : "training,inference");
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_license_apply(&fx->ctx, req, &out, &err);
	json_decref(req);
	if (mismatch) {
		if (rc != CT_EINVAL)
			MFAIL(m, "apply %s by %s: want bad input, got %s", where_, products[p].model,
			      vendors[v], ct_rc_name(rc));
		json_decref(out);
		return;
	}
	const char *want[4];
	int nwant = 0;
	if (!products[p].eligible)
		want[nwant++] = "product_not_eligible";
	if (m->cst[c] != CT_PARTY_APPROVED)
		want[nwant++] = "customer_not_approved";
	if (military)
		want[nwant++] = "end_use_prohibited";
	if (m->vst[v] != CT_PARTY_APPROVED)
		want[nwant++] = "vendor_not_approved";
	enum ct_rc want_rc = nwant ? CT_REJECTED : CT_OK;
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	if (rc != want_rc)
		MFAIL(m, "apply: want %s, got %s %s %s", where_, ct_rc_name(want_rc), ct_rc_name(rc),
		      err.message, text ? text : "");
	json_t *reasons = json_object_get(out, "reasons");
	bool same = json_array_size(reasons) == (size_t)nwant;
	for (int i = 0; same && i < nwant; i++)
		same = strcmp(json_string_value(json_array_get(reasons, (size_t)i)), want[i]) == 0;
	const char *status = json_string_value(json_object_get(out, "status"));
	if (!same || !status || strcmp(status, nwant ? "denied" : "pending") != 0 ||
	    json_integer_value(json_object_get(out, "license")) != m->nlic + 1)
		MFAIL(m, "apply: want license %d %s with %d reasons, got %s", where_, m->nlic + 1,
		      nwant ? "denied" : "pending", nwant, text ? text : "");
	free(text);
	json_decref(out);
	cr_assert_lt(m->nlic, MAX_LIC);
	struct mlic *l = &m->lic[m->nlic++];
	*l = (struct mlic){.id = m->nlic, .v = v, .c = c, .p = p, .req = units,
			   .st = nwant ? CT_LIC_DENIED : CT_LIC_PENDING};
	m->events++;
}

static const struct {
	const char *name;
	enum ct_license_status to;
	unsigned from;
} lic_moves[] = {
	{"approve", CT_LIC_APPROVED, 1u << CT_LIC_PENDING},
	{"deny", CT_LIC_DENIED, 1u << CT_LIC_PENDING},
	{"suspend", CT_LIC_SUSPENDED, 1u << CT_LIC_APPROVED},
	{"revoke", CT_LIC_REVOKED,
	 (1u << CT_LIC_PENDING) | (1u << CT_LIC_APPROVED) | (1u << CT_LIC_SUSPENDED)},
	{"reinstate", CT_LIC_APPROVED, 1u << CT_LIC_SUSPENDED},
};

static void op_license_act(struct fx *fx, struct model *m, struct rng *r)
{
	if (m->nlic == 0)
		return;
	/* prefer licenses waiting for a decision */
	struct mlic *l = &m->lic[rrange(r, 0, m->nlic - 1)];
	for (int tries = 0; tries < 4 && l->st != CT_LIC_PENDING && rchance(r, 60); tries++)
		l = &m->lic[rrange(r, 0, m->nlic - 1)];
	int a;
	int roll = (int)rrange(r, 0, 99);
	switch (l->st) {
	case CT_LIC_PENDING: a = roll < 80 ? 0 : roll < 92 ? 1 : roll < 97 ? 3 : 2; break;
	case CT_LIC_APPROVED: a = roll < 55 ? 2 : roll < 75 ? 3 : (int)rrange(r, 0, 4); break;
	case CT_LIC_SUSPENDED: a = roll < 70 ? 4 : roll < 85 ? 3 : (int)rrange(r, 0, 2); break;
	default: a = (int)rrange(r, 0, 4); break;
	}
	json_t *req = json_object();
	int64_t units = l->req;
	bool bad_units = false;
	if (a == 0) {
		int u = (int)rrange(r, 0, 99);
		if (u < 25) {
			units = rrange(r, 1, l->req);
			json_object_set_new(req, "units", json_integer(units));
		} else if (u < 30) {
			bad_units = true;
			json_object_set_new(req, "units", json_sprintf("%lld", (long long)l->req + 1));
		}
	}
	if (a == 1 || a == 2 || a == 3)
		json_object_set_new(req, "reason", json_string("random test"));
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_license_act(&fx->ctx, l->id, lic_moves[a].name, req, &out, &err);
	json_decref(req);
	enum ct_rc want = !(lic_moves[a].from & (1u << l->st)) ? CT_ECONFLICT :
			  bad_units ? CT_EINVAL : CT_OK;
	if (rc != want)
		MFAIL(m, "license %lld (%s) %s: want %s, got %s %s", where_, (long long)l->id,
		      ct_license_status_name(l->st), lic_moves[a].name, ct_rc_name(want),
		      ct_rc_name(rc), err.message);
	if (rc == CT_OK) {
		if (l->st == CT_LIC_PENDING && a == 0)
			l->appr = units;
		l->st = lic_moves[a].to;
		const char *st = json_string_value(json_object_get(out, "status"));
		if (!st || strcmp(st, ct_license_status_name(l->st)) != 0 ||
		    json_integer_value(json_object_get(out, "units_approved")) != l->appr)
			MFAIL(m, "license %lld after %s: want %s/%lld", where_, (long long)l->id,
			      lic_moves[a].name, ct_license_status_name(l->st), (long long)l->appr);
		m->events++;
	}
	json_decref(out);
}

/* ---- evidence ---- */

static void op_certify(struct fx *fx, struct model *m, struct rng *r)
{
	int lab = (int)rrange(r, 0, NL - 1), p = (int)rrange(r, 0, NP - 1);
	int b = (int)rrange(r, 0, NB - 1);
	int64_t units = rrange(r, 100, 600);
	json_t *req = json_pack("{s:s, s:s, s:s, s:I}", "lab", lab_ids[lab], "product",
				products[p].model, "batch", batches[b], "units", (json_int_t)units);
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_lab_certify(&fx->ctx, req, &out, &err);
	json_decref(req);
	enum ct_rc want = m->lst[lab] == CT_PARTY_APPROVED ? CT_OK : CT_ECONFLICT;
	if (rc != want)
		MFAIL(m, "certify by %s (%s): want %s, got %s %s", where_, lab_ids[lab],
		      ct_party_status_name(m->lst[lab]), ct_rc_name(want), ct_rc_name(rc),
		      err.message);
	if (rc == CT_OK) {
		cr_assert_lt(m->ncert, MAX_CERT);
		m->cert[m->ncert] = (struct mcert){.id = m->ncert + 1, .lab = lab, .p = p, .b = b,
						   .units = units};
		m->ncert++;
		if (json_integer_value(json_object_get(out, "id")) != m->ncert)
			MFAIL(m, "certificate id: want %d", where_, m->ncert);
		m->events++;
	}
	json_decref(out);
}

static void op_domestic(struct fx *fx, struct model *m, struct rng *r)
{
	int p = (int)rrange(r, 0, NP - 1);
	int64_t units = rrange(r, 10, 150);
	json_t *req = json_pack("{s:s, s:s, s:o}", "vendor", vendors[products[p].vendor], "product",
				products[p].model, "units",
				rchance(r, 50) ? json_integer(units) :
				json_sprintf("%lld", (long long)units));
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_domestic_record(&fx->ctx, req, &out, &err);
	json_decref(req);
	json_decref(out);
	if (rc != CT_OK)
		MFAIL(m, "domestic record: %s %s", where_, ct_rc_name(rc), err.message);
	m->domestic[p] += units;
	m->events++;
}

/* ---- ledger ---- */

static void op_remit(struct fx *fx, struct model *m, struct rng *r)
{
	struct ct_err err = {0};
	json_t *out = NULL, *req;
	struct mkey *reuse = NULL;
	bool same = false;
	int v = (int)rrange(r, 0, NV - 1);
	int64_t owed = m->accrued[v] - m->remitted[v], amount;
	char key[40] = "";
	if (m->nrkeys > 0 && rchance(r, 12)) {
		reuse = &m->rkeys[rrange(r, 0, m->nrkeys - 1)];
		same = rchance(r, 60);
		req = json_deep_copy(reuse->req);
		if (!same)
			json_object_set_new(req, "ref", json_string("another wire"));
	} else {
		int roll = (int)rrange(r, 0, 99);
		if (roll < 15 || owed <= 0)
			amount = owed + rrange(r, 1, 100000);   /* more than owed */
		else if (roll < 30)
			amount = owed;
		else
			amount = rrange(r, 1, owed);
		req = json_pack("{s:s, s:o, s:s}", "vendor", vendors[v], "amount",
				json_sprintf("%lld.%02lld", (long long)(amount / 100),
					     (long long)(amount % 100)),
				"ref", "wire");
		if (rchance(r, 50)) {
			snprintf(key, sizeof key, "R%llu-%lld", (unsigned long long)(m->seed % 1000),
				 (long long)m->next_key++);
			json_object_set_new(req, "key", json_string(key));
		}
	}
	enum ct_rc rc = ct_svc_ledger_remit(&fx->ctx, req, &out, &err);
	if (reuse) {
		enum ct_rc want = same ? CT_OK : CT_ECONFLICT;
		if (rc != want || (same && (!json_is_true(json_object_get(out, "replayed")) ||
					    json_integer_value(json_object_get(out, "remittance")) !=
					    reuse->id)) ||
		    (!same && err.reason != CT_REASON_IDEMPOTENCY_CONFLICT))
			MFAIL(m, "remittance key %s reused (%s): want %s, got %s %s", where_,
			      reuse->key, same ? "same" : "different", ct_rc_name(want),
			      ct_rc_name(rc), err.message);
	} else if (amount > owed) {
		if (rc != CT_REJECTED || err.reason != CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING)
			MFAIL(m, "remit %lld of %lld owed by %s: want rejection, got %s %s", where_,
			      (long long)amount, (long long)owed, vendors[v], ct_rc_name(rc),
			      err.message);
	} else {
		if (rc != CT_OK || json_integer_value(json_object_get(out, "amount_cents")) != amount ||
		    json_integer_value(json_object_get(out, "remittance")) != m->nremit + 1)
			MFAIL(m, "remit %lld of %lld owed by %s: got %s %s", where_, (long long)amount,
			      (long long)owed, vendors[v], ct_rc_name(rc), err.message);
		m->nremit++;
		m->remitted[v] += amount;
		m->events++;
		if (key[0]) {
			cr_assert_lt(m->nrkeys, MAX_KEYS);
			struct mkey *k = &m->rkeys[m->nrkeys++];
			snprintf(k->key, sizeof k->key, "%s", key);
			k->req = json_incref(req);
			k->id = m->nremit;
			k->amount = amount;
		}
	}
	json_decref(out);
	json_decref(req);
}

/* ---- suspensions and parties ---- */

static void op_suspension(struct fx *fx, struct model *m, struct rng *r)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	int active = 0;
	for (int i = 0; i < m->nsusp; i++)
		active += m->susp[i].active;
	bool any_all = false;
	for (int i = 0; i < m->nsusp; i++)
		any_all |= m->susp[i].active && (m->susp[i].kind == 0 || m->susp[i].kind == 4);
	if (active > 0 && (active >= 2 || any_all || rchance(r, 70))) {
		/* resume one: mostly an active one */
		struct msusp *s = &m->susp[rrange(r, 0, m->nsusp - 1)];
		for (int i = 0; i < m->nsusp && rchance(r, 85) && !s->active; i++)
			s = &m->susp[rrange(r, 0, m->nsusp - 1)];
		enum ct_rc rc = ct_svc_resume(&fx->ctx, s->id, &out, &err);
		enum ct_rc want = s->active ? CT_OK : CT_ECONFLICT;
		if (rc != want)
			MFAIL(m, "resume %lld: want %s, got %s %s", where_, (long long)s->id,
			      ct_rc_name(want), ct_rc_name(rc), err.message);
		if (rc == CT_OK) {
			s->active = false;
			m->events++;
		}
		json_decref(out);
		return;
	}
	char scope[80];
	int roll = (int)rrange(r, 0, 99), kind, target = 0;
	if (roll < 2) {
		kind = 0;
		snprintf(scope, sizeof scope, "all");
	} else if (roll < 4) {
		kind = 4;
		snprintf(scope, sizeof scope, "program:%s", FX_PROGRAM);
	} else if (roll < 35) {
		kind = 1;
		target = (int)rrange(r, 0, NV - 1);
		snprintf(scope, sizeof scope, "vendor:%s", vendors[target]);
	} else if (roll < 70) {
		kind = 2;
		target = (int)rrange(r, 0, NC - 1);
		snprintf(scope, sizeof scope, "customer:%s", customers[target].id);
	} else {
		kind = 3;
		target = (int)rrange(r, 0, NP - 1);
		snprintf(scope, sizeof scope, "product:%s", products[target].model);
	}
	enum ct_rc rc = ct_svc_suspend(&fx->ctx, scope, "random test", &out, &err);
	if (rc != CT_OK)
		MFAIL(m, "suspend %s: %s %s", where_, scope, ct_rc_name(rc), err.message);
	cr_assert_lt(m->nsusp, MAX_SUSP);
	m->susp[m->nsusp] = (struct msusp){.id = json_integer_value(json_object_get(out, "id")),
					   .kind = kind, .target = target, .active = true};
	if (m->susp[m->nsusp].id != m->nsusp + 1)
		MFAIL(m, "suspension id %lld, want %d", where_, (long long)m->susp[m->nsusp].id,
		      m->nsusp + 1);
	m->nsusp++;
	m->events++;
	json_decref(out);
}

static void op_party(struct fx *fx, struct model *m, struct rng *r)
{
	enum ct_party_status *st;
	const char *id;
	int which = (int)rrange(r, 0, NV + NC + NL - 1);
	/* mostly bring a suspended party back, so suspensions stay short */
	for (int tries = 0; tries < 30 && rchance(r, 90); tries++) {
		int w = (int)rrange(r, 0, NV + NC + NL - 1);
		enum ct_party_status ws = w < NV ? m->vst[w] : w < NV + NC ? m->cst[w - NV] :
					  m->lst[w - NV - NC];
		if (ws == CT_PARTY_SUSPENDED) {
			which = w;
			break;
		}
	}
	if (which < NV) {
		st = &m->vst[which];
		id = vendors[which];
	} else if (which < NV + NC) {
		st = &m->cst[which - NV];
		id = customers[which - NV].id;
	} else {
		st = &m->lst[which - NV - NC];
		id = lab_ids[which - NV - NC];
	}
	static const struct {
		const char *name;
		enum ct_party_status to;
		unsigned from;
	} moves[] = {
		{"approve", CT_PARTY_APPROVED, 1u << CT_PARTY_PENDING},
		{"reinstate", CT_PARTY_APPROVED, 1u << CT_PARTY_SUSPENDED},
		{"suspend", CT_PARTY_SUSPENDED, (1u << CT_PARTY_APPROVED) | (1u << CT_PARTY_PENDING)},
	};
	int a;
	if (rchance(r, 15))
		a = (int)rrange(r, 0, 2);
	else if (*st == CT_PARTY_SUSPENDED)
		a = 1;
	else if (*st == CT_PARTY_PENDING)
		a = rchance(r, 50) ? 0 : 2;
	else
		a = 2;
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_party_act(&fx->ctx, id, moves[a].name,
					 a == 2 ? "random test" : NULL, &out, &err);
	enum ct_rc want = moves[a].from & (1u << *st) ? CT_OK : CT_ECONFLICT;
	if (rc != want)
		MFAIL(m, "party %s (%s) %s: want %s, got %s %s", where_, id, ct_party_status_name(*st),
		      moves[a].name, ct_rc_name(want), ct_rc_name(rc), err.message);
	if (rc == CT_OK) {
		*st = moves[a].to;
		m->events++;
	}
	json_decref(out);
}

/* ---- invariants ---- */

static void check_invariants(struct fx *fx, struct model *m)
{
	char what[64];
	snprintf(what, sizeof what, "seed %llu after op %d", (unsigned long long)m->seed, m->op);
	int64_t events = fx_verify_ok(fx, what);
	cr_assert_eq(events, m->events, "%s: %lld audit events, model expects %lld", what,
		     (long long)events, (long long)m->events);

	sqlite3 *db = fx_db(fx);
	/* the ledger balances */
	cr_assert_eq(fx_q(db, "SELECT COALESCE(SUM(amount_cents), 0) FROM postings"), 0,
		     "%s: postings do not sum to zero", what);
	int64_t total_accrued = 0, total_remitted = 0;
	for (int v = 0; v < NV; v++) {
		int64_t rec = 0, pay = 0;
		cr_assert_eq(ct_store_posting_sum(fx->ctx.store, vendors[v], CT_ACCOUNT_RECEIVABLE,
						  NULL, &rec), CT_OK);
		cr_assert_eq(ct_store_posting_sum(fx->ctx.store, vendors[v], CT_ACCOUNT_PAYABLE,
						  NULL, &pay), CT_OK);
		cr_assert_eq(rec, -pay, "%s: %s receivable %lld != -payable %lld", what, vendors[v],
			     (long long)rec, (long long)pay);
		struct ct_err err = {0};
		json_t *out = NULL;
		FX_OK(ct_svc_ledger_balance(&fx->ctx, vendors[v], &out, &err), out, &err);
		int64_t acc = json_integer_value(json_object_get(out, "accrued_cents"));
		int64_t rem = json_integer_value(json_object_get(out, "remitted_cents"));
		int64_t outst = json_integer_value(json_object_get(out, "outstanding_cents"));
		json_decref(out);
		cr_assert_eq(acc, m->accrued[v], "%s: %s accrued %lld, model %lld", what, vendors[v],
			     (long long)acc, (long long)m->accrued[v]);
		cr_assert_eq(rem, m->remitted[v], "%s: %s remitted %lld, model %lld", what,
			     vendors[v], (long long)rem, (long long)m->remitted[v]);
		cr_assert_eq(outst, m->accrued[v] - m->remitted[v], "%s: %s outstanding", what,
			     vendors[v]);
		cr_assert_eq(rec, outst, "%s: %s receivable %lld != outstanding %lld", what,
			     vendors[v], (long long)rec, (long long)outst);
		cr_assert_geq(outst, 0, "%s: %s overpaid", what, vendors[v]);
		total_accrued += acc;
		total_remitted += rem;
	}
	struct ct_err err = {0};
	json_t *out = NULL;
	FX_OK(ct_svc_ledger_balance(&fx->ctx, NULL, &out, &err), out, &err);
	json_t *total = json_object_get(out, "total");
	cr_assert_eq(json_integer_value(json_object_get(total, "accrued_cents")), total_accrued);
	cr_assert_eq(json_integer_value(json_object_get(total, "outstanding_cents")),
		     total_accrued - total_remitted);
	json_decref(out);
	/* outstanding == sum of shipment fees - remittances, from the rows */
	cr_assert_eq(fx_q(db, "SELECT COALESCE(SUM(fee_cents),0) FROM shipments") -
		     fx_q(db, "SELECT COALESCE(SUM(amount_cents),0) FROM remittances"),
		     total_accrued - total_remitted, "%s: fees - remittances != outstanding", what);

	/* licenses */
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, units_approved, units_shipped, status"
					" FROM licenses ORDER BY id", -1, &st, NULL), SQLITE_OK);
	int nl = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), appr = sqlite3_column_int64(st, 1);
		int64_t shipped = sqlite3_column_int64(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		struct mlic *l = find_lic(m, id);
		cr_assert_not_null(l, "%s: license %lld not in the model", what, (long long)id);
		cr_assert_leq(shipped, appr, "%s: license %lld shipped %lld of %lld", what,
			      (long long)id, (long long)shipped, (long long)appr);
		cr_assert_eq(shipped, l->shipped, "%s: license %lld shipped %lld, model %lld", what,
			     (long long)id, (long long)shipped, (long long)l->shipped);
		cr_assert_eq(appr, l->appr, "%s: license %lld approved units", what, (long long)id);
		cr_assert_str_eq(status, ct_license_status_name(l->st), "%s: license %lld status",
				 what, (long long)id);
		nl++;
	}
	sqlite3_finalize(st);
	cr_assert_eq(nl, m->nlic, "%s: %d licenses, model %d", what, nl, m->nlic);

	/* the cap, per product */
	for (int p = 0; p < NP; p++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT COALESCE(SUM(units),0) FROM shipments WHERE"
			 " product = '%s' AND destination IN ('CN','MO')", products[p].model);
		int64_t exported = fx_q(db, sql);
		snprintf(sql, sizeof sql, "SELECT COALESCE(SUM(units),0) FROM domestic_volumes"
			 " WHERE product = '%s'", products[p].model);
		int64_t domestic = fx_q(db, sql);
		cr_assert_leq(exported, cap_of(domestic), "%s: %s exported %lld > cap %lld", what,
			      products[p].model, (long long)exported, (long long)cap_of(domestic));
		cr_assert_eq(exported, m->exported[p], "%s: %s exported %lld, model %lld", what,
			     products[p].model, (long long)exported, (long long)m->exported[p]);
		cr_assert_eq(domestic, m->domestic[p], "%s: %s domestic", what, products[p].model);
	}

	/* every fee, recomputed */
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, units, unit_value_cents, rate_bp, fee_cents,"
					" license_id FROM shipments ORDER BY id", -1, &st, NULL),
		     SQLITE_OK);
	int64_t ns = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), units = sqlite3_column_int64(st, 1);
		int64_t value = sqlite3_column_int64(st, 2), rate = sqlite3_column_int64(st, 3);
		int64_t fee = sqlite3_column_int64(st, 4);
		cr_assert_eq(rate, 2500, "%s: shipment %lld rate %lld", what, (long long)id,
			     (long long)rate);
		cr_assert_eq(fee, expect_fee(units, value, rate),
			     "%s: shipment %lld fee %lld != %lld x %lld x %lld / 10000 half up", what,
			     (long long)id, (long long)fee, (long long)units, (long long)value,
			     (long long)rate);
		cr_assert(id >= 1 && id <= m->nship, "%s: shipment %lld unknown", what, (long long)id);
		const struct mship *sh = &m->ship[id];
		cr_assert(sh->units == units && sh->value_cents == value && sh->fee == fee &&
			  sh->license == sqlite3_column_int64(st, 5),
			  "%s: shipment %lld differs from the model", what, (long long)id);
		ns++;
	}
	sqlite3_finalize(st);
	cr_assert_eq(ns, m->nship, "%s: %lld shipments, model %lld", what, (long long)ns,
		     (long long)m->nship);

	/* serials: each once, each where the model put it */
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM serials"), m->nserials, "%s: serial count",
		     what);
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM (SELECT serial FROM serials GROUP BY serial"
			      " HAVING COUNT(*) > 1)"), 0, "%s: a serial booked twice", what);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT serial, shipment_id FROM serials", -1, &st,
					NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *serial = (const char *)sqlite3_column_text(st, 0);
		int64_t ship = serial_find(m, serial);
		cr_assert_eq(ship, sqlite3_column_int64(st, 1), "%s: serial %s in shipment %lld, "
			     "model %lld", what, serial, (long long)sqlite3_column_int64(st, 1),
			     (long long)ship);
	}
	sqlite3_finalize(st);

	/* certificates */
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, units, units_used FROM certificates"
					" ORDER BY id", -1, &st, NULL), SQLITE_OK);
	int nc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), used = sqlite3_column_int64(st, 2);
		cr_assert_leq(used, sqlite3_column_int64(st, 1), "%s: certificate %lld overused",
			      what, (long long)id);
		cr_assert(id >= 1 && id <= m->ncert);
		cr_assert_eq(used, m->cert[id - 1].used, "%s: certificate %lld used %lld, model %lld",
			     what, (long long)id, (long long)used, (long long)m->cert[id - 1].used);
		nc++;
	}
	sqlite3_finalize(st);
	cr_assert_eq(nc, m->ncert);
	sqlite3_close(db);
}

/* ---- the run ---- */

static void setup_world(struct fx *fx, struct model *m)
{
	for (int v = 0; v < NV; v++) {
		fx_party(fx, "vendor", vendors[v], "US", true);
		m->vst[v] = CT_PARTY_APPROVED;
	}
	for (int c = 0; c < NC; c++) {
		bool approve = strcmp(customers[c].id, "C-NEW") != 0;
		fx_party(fx, "customer", customers[c].id, customers[c].country, approve);
		m->cst[c] = approve ? CT_PARTY_APPROVED : CT_PARTY_PENDING;
	}
	for (int l = 0; l < NL; l++) {
		fx_party(fx, "lab", lab_ids[l], "US", true);
		m->lst[l] = CT_PARTY_APPROVED;
	}
	for (int p = 0; p < NP; p++) {
		fx_domestic(fx, vendors[products[p].vendor], products[p].model, 300);
		m->domestic[p] = 300;
		for (int b = 0; b < NB; b++) {
			fx_certify(fx, lab_ids[b % NL], products[p].model, batches[b], 600);
			m->cert[m->ncert] = (struct mcert){.id = m->ncert + 1, .lab = b % NL, .p = p,
							   .b = b, .units = 600};
			m->ncert++;
		}
	}
	m->events = fx_verify_ok(fx, "setup");
}

static void run_seed(uint64_t seed)
{
	struct fx fx;
	fx_open(&fx);
	struct model *m = calloc(1, sizeof *m);
	cr_assert_not_null(m);
	m->seed = seed;
	m->today = ct_date_from_unix(FX_NOW);
	m->valid_until = m->today + 365 - 1;
	setup_world(&fx, m);
	struct rng r = {seed};
	for (m->op = 1; m->op <= OPS_PER_SEED; m->op++) {
		int roll = (int)rrange(&r, 0, 99);
		if (roll < 34)
			op_ship(&fx, m, &r);
		else if (roll < 40)
			op_batch(&fx, m, &r);
		else if (roll < 51)
			op_apply(&fx, m, &r);
		else if (roll < 64)
			op_license_act(&fx, m, &r);
		else if (roll < 71)
			op_certify(&fx, m, &r);
		else if (roll < 78)
			op_domestic(&fx, m, &r);
		else if (roll < 88)
			op_remit(&fx, m, &r);
		else if (roll < 94)
			op_suspension(&fx, m, &r);
		else
			op_party(&fx, m, &r);
		if (m->op % CHECK_EVERY == 0)
			check_invariants(&fx, m);
	}
	m->op--;
	check_invariants(&fx, m);
	if (getenv("CT_RANDOM_STATS")) {
		fprintf(stderr, "seed %llu: booked %lld rejected %lld replayed %lld conflicts %lld "
			"invalid %lld\n", (unsigned long long)seed, (long long)m->booked,
			(long long)m->rejected, (long long)m->replayed, (long long)m->conflicts,
			(long long)m->invalid);
		for (int i = 0; i < CT_REASON_MAX_; i++)
			if (m->reasons[i])
				fprintf(stderr, "  %s %lld\n", ct_reason_name(i), (long long)m->reasons[i]);
	}
	/* The run must have exercised the interesting paths, or it proves
	 * little: bookings, replays, conflicts and most rejection reasons. */
	cr_assert_gt(m->booked, 100, "seed %llu: only %lld bookings", (unsigned long long)seed,
		     (long long)m->booked);
	cr_assert_gt(m->replayed, 5);
	cr_assert_gt(m->conflicts, 5);
	static const enum ct_reason must[] = {
		CT_REASON_LICENSE_NOT_FOUND, CT_REASON_LICENSE_NOT_ACTIVE,
		CT_REASON_LICENSE_EXPIRED, CT_REASON_SUSPENDED, CT_REASON_LICENSE_UNITS_EXCEEDED,
		CT_REASON_LAB_CERTIFICATE_MISSING, CT_REASON_VOLUME_CAP_EXCEEDED,
		CT_REASON_SERIAL_COUNT_MISMATCH, CT_REASON_SERIAL_ALREADY_SHIPPED,
	};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		cr_assert_gt(m->reasons[must[i]], 0, "seed %llu: no %s rejection",
			     (unsigned long long)seed, ct_reason_name(must[i]));
	cr_log_info("seed %llu: %d ops, %lld booked, %lld rejected, %lld replayed, %lld conflicts, "
		    "%lld bad input, %lld events", (unsigned long long)seed, m->op,
		    (long long)m->booked, (long long)m->rejected, (long long)m->replayed,
		    (long long)m->conflicts, (long long)m->invalid, (long long)m->events);
	model_free(m);
	fx_close(&fx);
}

Test(random, seed_20260115)
{
	run_seed(20260115ULL);
}

Test(random, seed_8675309)
{
	run_seed(8675309ULL);
}

/* Two connections booking against two licenses of the same product at
 * once: together they ask for more than the cap; the cap holds and every
 * unit is accounted for. */
#include <pthread.h>

struct cap_racer {
	const char *path;
	int64_t license;
	char prefix[16];
	int64_t booked_units, capped;
	int failures;
	char first_error[256];
};

static void *cap_race(void *arg)
{
	struct cap_racer *r = arg;
	struct ct_ctx ctx;
	struct ct_err err = {0};
	if (ct_ctx_open(&ctx, r->path, "racer", &err) != CT_OK) {
		snprintf(r->first_error, sizeof r->first_error, "open: %s", err.message);
		r->failures++;
		return NULL;
	}
	ctx.clock = fx_clock;
	for (int i = 0; i < 40; i++) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "%s-%02d", r->prefix, i);
		json_t *req = fx_ship_req(r->license, 8, "27000.00", "B1", NULL, fx_serials(prefix, 8));
		json_t *out = NULL;
		enum ct_rc rc = ct_svc_ship(&ctx, req, &out, &err);
		if (rc == CT_OK)
			r->booked_units += 8;
		else if (rc == CT_REJECTED && err.reason == CT_REASON_VOLUME_CAP_EXCEEDED)
			r->capped++;
		else if (!r->failures++)
			snprintf(r->first_error, sizeof r->first_error, "%s %s", ct_rc_name(rc),
				 err.message);
		json_decref(out);
		json_decref(req);
	}
	ct_ctx_close(&ctx);
	return NULL;
}

Test(random, concurrent_writers_never_exceed_the_cap)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic1 = fx_scene(&fx);  /* cap 500 H200 units */
	fx_party(&fx, "customer", "CUST-MO", "MO", true);
	int64_t lic2 = fx_license(&fx, "NVIDIA", "CUST-MO", "H200", 400);
	struct cap_racer a = {.path = fx.path, .license = lic1, .prefix = "CA"};
	struct cap_racer b = {.path = fx.path, .license = lic2, .prefix = "CB"};
	pthread_t ta, tb;
	cr_assert_eq(pthread_create(&ta, NULL, cap_race, &a), 0);
	cr_assert_eq(pthread_create(&tb, NULL, cap_race, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	cr_assert_eq(a.failures, 0, "racer a: %s", a.first_error);
	cr_assert_eq(b.failures, 0, "racer b: %s", b.first_error);
	cr_assert_eq(a.booked_units + b.booked_units, 496, "cap 500 in steps of 8: %lld + %lld",
		     (long long)a.booked_units, (long long)b.booked_units);
	cr_assert_eq(a.capped + b.capped, 80 - 62);
	sqlite3 *db = fx_db(&fx);
	cr_assert_eq(fx_q(db, "SELECT SUM(units) FROM shipments WHERE product = 'H200'"), 496);
	sqlite3_close(db);
	fx_verify_ok(&fx, "after the race");
	fx_close(&fx);
}
