/* Idempotency keys: a retried request never books twice, and a key reused
 * for different content is refused. */
#include "svc_fixture.h"

static enum ct_rc ship(struct fx *fx, json_t *req, json_t **out, struct ct_err *err)
{
	memset(err, 0, sizeof *err);
	*out = NULL;
	return ct_svc_ship(&fx->ctx, req, out, err);
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

Test(idempotency, ship_replay_returns_original_and_books_nothing)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ct_err err;
	json_t *out1, *out2;
	json_t *req = fx_ship_req(lic, 8, "27000.00", "B1", "idem-1", fx_serials("SN-I", 8));
	cr_assert_eq(ship(&fx, req, &out1, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_false(json_object_get(out1, "replayed")));

	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	cr_assert_eq(ship(&fx, req, &out2, &err), CT_OK, "%s", err.message);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "replay");
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	cr_assert_eq(jint(out2, "shipment"), jint(out1, "shipment"));
	cr_assert_eq(jint(out2, "fee_cents"), jint(out1, "fee_cents"));
	cr_assert_eq(jint(out2, "units"), 8);
	cr_assert_eq(jint(out2, "rate_bp"), 2500);
	cr_assert_str_eq(json_string_value(json_object_get(out2, "fee")),
			 json_string_value(json_object_get(out1, "fee")));
	cr_assert_str_eq(json_string_value(json_object_get(out2, "program")), FX_PROGRAM);
	json_decref(out2);

	/* The same request with numbers spelt as strings (the CLI's way) is
	 * the same request. */
	json_t *req_s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "license", "1", "units", "8",
				  "unit_value", "27000", "batch", "B1", "key", "idem-1", "serials",
				  json_object_get(req, "serials"));
	json_object_set_new(req_s, "license", json_sprintf("%lld", (long long)lic));
	cr_assert_eq(ship(&fx, req_s, &out2, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	cr_assert_eq(jint(out2, "shipment"), jint(out1, "shipment"));
	json_decref(out2);
	json_decref(req_s);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "replay with string numbers");

	/* A replay still answers after the license was suspended: the
	 * original booking stands and nothing new is judged. */
	json_t *sreq = json_pack("{s:s}", "reason", "inspection"), *o = NULL;
	FX_OK(ct_svc_license_act(&fx.ctx, lic, "suspend", sreq, &o, &err), o, &err);
	json_decref(sreq);
	json_decref(o);
	fx_snapshot(&fx, &before);
	cr_assert_eq(ship(&fx, req, &out2, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	cr_assert_eq(jint(out2, "shipment"), jint(out1, "shipment"));
	json_decref(out2);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "replay after suspension");

	json_decref(out1);
	json_decref(req);
	fx_verify_ok(&fx, "end");
	fx_close(&fx);
}

Test(idempotency, ship_same_key_different_content_conflicts)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ct_err err;
	json_t *out;
	json_t *req = fx_ship_req(lic, 8, "27000.00", "B1", "idem-2", fx_serials("SN-C", 8));
	cr_assert_eq(ship(&fx, req, &out, &err), CT_OK, "%s", err.message);
	json_decref(out);

	/* Each variant differs from the booked request in one field. */
	json_t *variants[5];
	variants[0] = fx_ship_req(lic, 8, "27000.01", "B1", "idem-2", fx_serials("SN-C", 8));
	variants[1] = fx_ship_req(lic, 7, "27000.00", "B1", "idem-2", fx_serials("SN-C", 7));
	variants[2] = fx_ship_req(lic, 8, "27000.00", "B2", "idem-2", fx_serials("SN-C", 8));
	variants[3] = fx_ship_req(lic, 8, "27000.00", "B1", "idem-2", fx_serials("SN-D", 8));
	variants[4] = fx_ship_req(lic, 8, "27000.00", "B1", "idem-2", NULL);
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	for (int i = 0; i < 5; i++) {
		enum ct_rc rc = ship(&fx, variants[i], &out, &err);
		cr_assert_eq(rc, CT_ECONFLICT, "variant %d: %s", i, ct_rc_name(rc));
		cr_assert_eq(err.reason, CT_REASON_IDEMPOTENCY_CONFLICT, "variant %d: reason %d", i,
			     err.reason);
		cr_assert_null(out);
		cr_assert(strstr(err.message, "idem-2"), "message names the key: %s", err.message);
		json_decref(variants[i]);
	}
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "conflicts");
	json_decref(req);
	fx_verify_ok(&fx, "end");
	fx_close(&fx);
}

Test(idempotency, rejected_request_does_not_claim_its_key)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ct_err err;
	json_t *out = NULL;
	/* Batch B7 has no certificate yet: rejected. */
	json_t *req = fx_ship_req(lic, 8, "27000.00", "B7", "idem-3", fx_serials("SN-K", 8));
	cr_assert_eq(ship(&fx, req, &out, &err), CT_REJECTED);
	cr_assert_eq(err.reason, CT_REASON_LAB_CERTIFICATE_MISSING);
	json_decref(out);
	fx_certify(&fx, "LAB1", "H200", "B7", 100);
	/* The retry is judged afresh and books once. */
	cr_assert_eq(ship(&fx, req, &out, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_false(json_object_get(out, "replayed")));
	int64_t id = jint(out, "shipment");
	json_decref(out);
	cr_assert_eq(ship(&fx, req, &out, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_true(json_object_get(out, "replayed")));
	cr_assert_eq(jint(out, "shipment"), id);
	json_decref(out);
	json_decref(req);
	sqlite3 *db = fx_db(&fx);
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM shipments"), 1);
	sqlite3_close(db);
	fx_verify_ok(&fx, "end");
	fx_close(&fx);
}

Test(idempotency, batch_same_key_twice_books_once)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ct_err err = {0};
	json_t *reqs[5], *results[5] = {0};
	reqs[0] = fx_ship_req(lic, 8, "27000.00", "B1", "bk-1", fx_serials("SN-BA", 8));
	reqs[1] = json_deep_copy(reqs[0]);                                   /* replay */
	reqs[2] = fx_ship_req(lic, 8, "27000.00", "B1", "bk-2", fx_serials("SN-BB", 8));
	reqs[3] = fx_ship_req(lic, 8, "26000.00", "B1", "bk-2", fx_serials("SN-BB", 8)); /* conflict */
	reqs[4] = json_deep_copy(reqs[2]);                                   /* replay */
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	cr_assert_eq(ct_svc_ship_batch(&fx.ctx, reqs, 5, results, &err), CT_OK, "%s", err.message);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.shipments, before.shipments + 2, "two keys, two shipments");
	cr_assert_eq(after.serials, before.serials + 16);
	cr_assert_eq(after.postings, before.postings + 4);
	cr_assert_eq(after.units_shipped, before.units_shipped + 16);
	cr_assert_eq(after.audit, before.audit + 2);

	cr_assert(json_is_false(json_object_get(results[0], "replayed")));
	cr_assert(json_is_true(json_object_get(results[1], "replayed")));
	cr_assert_eq(jint(results[1], "shipment"), jint(results[0], "shipment"));
	cr_assert(json_is_false(json_object_get(results[2], "replayed")));
	cr_assert_neq(jint(results[2], "shipment"), jint(results[0], "shipment"));
	cr_assert_not_null(json_object_get(results[3], "error"));
	cr_assert_str_eq(json_string_value(json_object_get(results[3], "code")),
			 "idempotency_conflict");
	cr_assert(json_is_true(json_object_get(results[4], "replayed")));
	cr_assert_eq(jint(results[4], "shipment"), jint(results[2], "shipment"));
	for (int i = 0; i < 5; i++)
		json_decref(results[i]);

	/* The whole batch again: all replays or the conflict, nothing new. */
	fx_snapshot(&fx, &before);
	cr_assert_eq(ct_svc_ship_batch(&fx.ctx, reqs, 5, results, &err), CT_OK, "%s", err.message);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "batch replayed");
	for (int i = 0; i < 5; i++) {
		if (i == 3)
			cr_assert_not_null(json_object_get(results[i], "error"));
		else
			cr_assert(json_is_true(json_object_get(results[i], "replayed")), "line %d", i);
		json_decref(results[i]);
	}

	/* And single calls see the batch's keys. */
	json_t *out = NULL;
	cr_assert_eq(ct_svc_ship(&fx.ctx, reqs[0], &out, &err), CT_OK);
	cr_assert(json_is_true(json_object_get(out, "replayed")));
	json_decref(out);
	for (int i = 0; i < 5; i++)
		json_decref(reqs[i]);
	fx_verify_ok(&fx, "end");
	fx_close(&fx);
}

static enum ct_rc remit(struct fx *fx, const char *amount, const char *ref, const char *key,
			json_t **out, struct ct_err *err)
{
	json_t *req = json_pack("{s:s, s:s, s:s}", "vendor", "NVIDIA", "amount", amount, "ref", ref);
	if (key)
		json_object_set_new(req, "key", json_string(key));
	memset(err, 0, sizeof *err);
	*out = NULL;
	enum ct_rc rc = ct_svc_ledger_remit(&fx->ctx, req, out, err);
	json_decref(req);
	return rc;
}

static int64_t remitted(struct fx *fx)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	FX_OK(ct_svc_ledger_balance(&fx->ctx, "NVIDIA", &out, &err), out, &err);
	int64_t v = jint(out, "remitted_cents");
	json_decref(out);
	return v;
}

Test(idempotency, remittance_keys)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ct_err err;
	json_t *out, *out2;
	/* 8 x 27000.00 x 25% = 54000.00 owed. */
	json_t *req = fx_ship_req(lic, 8, "27000.00", "B1", "rk-ship", fx_serials("SN-RK", 8));
	cr_assert_eq(ship(&fx, req, &out, &err), CT_OK, "%s", err.message);
	json_decref(out);
	json_decref(req);

	cr_assert_eq(remit(&fx, "30000.00", "WIRE-1", "rk-1", &out, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_false(json_object_get(out, "replayed")));
	cr_assert_eq(remitted(&fx), 3000000);

	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	cr_assert_eq(remit(&fx, "30000.00", "WIRE-1", "rk-1", &out2, &err), CT_OK, "%s",
		     err.message);
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	cr_assert_eq(jint(out2, "remittance"), jint(out, "remittance"));
	cr_assert_eq(jint(out2, "amount_cents"), 3000000);
	json_decref(out2);
	/* "30000" is the same amount as "30000.00". */
	cr_assert_eq(remit(&fx, "30000", "WIRE-1", "rk-1", &out2, &err), CT_OK, "%s", err.message);
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	json_decref(out2);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "remittance replay");
	cr_assert_eq(remitted(&fx), 3000000);

	/* Different amount or reference under the same key: conflict. */
	cr_assert_eq(remit(&fx, "30000.01", "WIRE-1", "rk-1", &out2, &err), CT_ECONFLICT);
	cr_assert_eq(err.reason, CT_REASON_IDEMPOTENCY_CONFLICT);
	cr_assert_null(out2);
	cr_assert_eq(remit(&fx, "30000.00", "WIRE-9", "rk-1", &out2, &err), CT_ECONFLICT);
	cr_assert_eq(err.reason, CT_REASON_IDEMPOTENCY_CONFLICT);
	cr_assert_null(out2);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "remittance conflicts");

	/* Pay the rest; a replay of the first still answers although it would
	 * now exceed what is owed. */
	cr_assert_eq(remit(&fx, "24000.00", "WIRE-2", "rk-2", &out2, &err), CT_OK, "%s",
		     err.message);
	json_decref(out2);
	cr_assert_eq(remitted(&fx), 5400000);
	cr_assert_eq(remit(&fx, "30000.00", "WIRE-1", "rk-1", &out2, &err), CT_OK, "%s",
		     err.message);
	cr_assert(json_is_true(json_object_get(out2, "replayed")));
	json_decref(out2);
	cr_assert_eq(remitted(&fx), 5400000);
	/* A new key for more than is owed is a rule rejection. */
	cr_assert_eq(remit(&fx, "0.01", "WIRE-3", "rk-3", &out2, &err), CT_REJECTED);
	cr_assert_eq(err.reason, CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING);
	json_decref(out2);
	/* A shipment key and a remittance key live apart. */
	cr_assert_eq(remit(&fx, "0.01", "WIRE-4", "rk-ship", &out2, &err), CT_REJECTED);
	json_decref(out2);
	json_decref(out);
	fx_verify_ok(&fx, "end");
	fx_close(&fx);
}

/* Two connections retrying the same keyed requests at the same time (a
 * client that timed out and retried against another node): each key books
 * exactly once, every call answers, and the license is never oversold. */
#include <pthread.h>

#define RACE_KEYS 40

struct racer {
	const char *path;
	int64_t license;
	int fresh[RACE_KEYS];      /* responses with replayed:false per key */
	int64_t ids[RACE_KEYS];
	int failures;
	char first_error[256];
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct ct_ctx ctx;
	struct ct_err err = {0};
	if (ct_ctx_open(&ctx, r->path, "racer", &err) != CT_OK) {
		snprintf(r->first_error, sizeof r->first_error, "open: %s", err.message);
		r->failures++;
		return NULL;
	}
	ctx.clock = fx_clock;
	for (int k = 0; k < RACE_KEYS; k++) {
		char key[32], prefix[32];
		snprintf(key, sizeof key, "race-%d", k);
		snprintf(prefix, sizeof prefix, "SN-RACE-%d", k);
		json_t *req = fx_ship_req(r->license, 2, "27000.00", "B1", key, fx_serials(prefix, 2));
		json_t *out = NULL;
		enum ct_rc rc = ct_svc_ship(&ctx, req, &out, &err);
		if (rc != CT_OK) {
			if (!r->failures++)
				snprintf(r->first_error, sizeof r->first_error, "key %s: %s %s", key,
					 ct_rc_name(rc), err.message);
		} else {
			r->ids[k] = json_integer_value(json_object_get(out, "shipment"));
			r->fresh[k] += json_is_false(json_object_get(out, "replayed"));
		}
		json_decref(out);
		json_decref(req);
	}
	ct_ctx_close(&ctx);
	return NULL;
}

Test(idempotency, concurrent_retries_book_once)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct racer a = {.path = fx.path, .license = lic}, b = a;
	pthread_t ta, tb;
	cr_assert_eq(pthread_create(&ta, NULL, race, &a), 0);
	cr_assert_eq(pthread_create(&tb, NULL, race, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	cr_assert_eq(a.failures, 0, "racer a: %s", a.first_error);
	cr_assert_eq(b.failures, 0, "racer b: %s", b.first_error);
	for (int k = 0; k < RACE_KEYS; k++) {
		cr_assert_eq(a.fresh[k] + b.fresh[k], 1, "key race-%d booked %d times", k,
			     a.fresh[k] + b.fresh[k]);
		cr_assert_eq(a.ids[k], b.ids[k], "key race-%d: two shipment ids", k);
	}
	sqlite3 *db = fx_db(&fx);
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM shipments"), RACE_KEYS);
	cr_assert_eq(fx_q(db, "SELECT units_shipped FROM licenses WHERE id = 1"), 2 * RACE_KEYS);
	sqlite3_close(db);
	fx_verify_ok(&fx, "after the race");
	fx_close(&fx);
}
