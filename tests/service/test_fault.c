/* A failure in the middle of a write leaves no partial state.
 *
 * For n = 1, 2, 3, ... the n-th store call of an operation (and every one
 * after it) fails; the operation must report CT_EIO and the database must
 * be exactly as before, with an intact audit chain. The loop ends at the
 * first n the operation no longer reaches, where it succeeds. */
#include "svc_fixture.h"

typedef enum ct_rc (*fault_op)(struct fx *fx, void *arg, bool injected);

/* Runs op under fault injection at n = 1, 2, ... until it succeeds with
 * `done` as its return code; returns that n. */
static long fault_loop(struct fx *fx, const char *name, fault_op op, void *arg,
		       enum ct_rc done)
{
	for (long n = 1; n <= 500; n++) {
		struct fx_snap before, after;
		char what[96];
		snprintf(what, sizeof what, "%s with store call %ld failing", name, n);
		fx_snapshot(fx, &before);
		ct_store_fail_after(fx->ctx.store, n);
		enum ct_rc rc = op(fx, arg, true);
		ct_store_fail_after(fx->ctx.store, 0);
		if (rc == done)
			return n;
		cr_assert_eq(rc, CT_EIO, "%s: returned %s, want io error", what, ct_rc_name(rc));
		fx_snapshot(fx, &after);
		fx_snap_eq(&before, &after, what);
		fx_verify_ok(fx, what);
	}
	cr_assert_fail("%s never succeeded within 500 store calls", name);
	return -1;
}

/* ---- ct_svc_ship ---- */

struct ship_arg {
	json_t *req;
	json_t *last;     /* the successful response */
};

static enum ct_rc op_ship(struct fx *fx, void *arg, bool injected)
{
	struct ship_arg *a = arg;
	struct ct_err err = {0};
	json_t *out = NULL; /* see ship_failure_leaves_out_null for the contract */
	enum ct_rc rc = ct_svc_ship(&fx->ctx, a->req, &out, &err);
	if (rc == CT_OK || rc == CT_REJECTED) {
		json_decref(a->last);
		a->last = out;
	} else {
		cr_assert_null(out, "ship failed with %s but left *out set", ct_rc_name(rc));
		if (injected && rc == CT_EIO)
			cr_assert(err.message[0], "io error without a message");
	}
	return rc;
}

Test(fault, ship_leaves_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ship_arg a = {fx_ship_req(lic, 8, "27000.00", "B1", "fault-ship-1",
					 fx_serials("SN-FAULT", 8)), NULL};
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	long n = fault_loop(&fx, "ship", op_ship, &a, CT_OK);
	cr_assert_gt(n, 5, "a booking makes more than 5 store calls (took %ld)", n);
	fx_snapshot(&fx, &after);
	/* The booking that finally went through wrote all of it. */
	cr_assert_eq(after.shipments, before.shipments + 1);
	cr_assert_eq(after.serials, before.serials + 8);
	cr_assert_eq(after.postings, before.postings + 2);
	cr_assert_eq(after.audit, before.audit + 1);
	cr_assert_eq(after.units_shipped, before.units_shipped + 8);
	cr_assert_eq(after.cert_used, before.cert_used + 8);
	cr_assert_eq(after.export_units, before.export_units + 8);
	cr_assert_eq(json_integer_value(json_object_get(a.last, "fee_cents")), 5400000);
	cr_assert(json_is_false(json_object_get(a.last, "replayed")));
	json_decref(a.req);
	json_decref(a.last);
	a.last = NULL;

	/* And a normal booking afterwards succeeds. */
	a.req = fx_ship_req(lic, 8, "27000.00", "B1", NULL, fx_serials("SN-AFTER", 8));
	cr_assert_eq(op_ship(&fx, &a, false), CT_OK);
	fx_snapshot(&fx, &before);
	cr_assert_eq(before.shipments, after.shipments + 1);
	fx_verify_ok(&fx, "after the fault loop");
	json_decref(a.req);
	json_decref(a.last);
	fx_close(&fx);
}

/* A rejection writes an audit event: a failure there must not leave a
 * half-written event or lose the rejection silently. */
Test(fault, rejected_ship_leaves_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	/* 7 serials for 8 units: serial_count_mismatch. */
	struct ship_arg a = {fx_ship_req(lic, 8, "27000.00", "B1", NULL,
					 fx_serials("SN-REJ", 7)), NULL};
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	fault_loop(&fx, "rejected ship", op_ship, &a, CT_REJECTED);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.audit, before.audit + 1);
	cr_assert_eq(after.shipments, before.shipments);
	cr_assert_str_eq(json_string_value(json_object_get(a.last, "reason")),
			 "serial_count_mismatch");
	json_decref(a.req);
	json_decref(a.last);
	fx_verify_ok(&fx, "after");
	fx_close(&fx);
}

/* ---- ct_svc_ship_batch ---- */

#define BATCH_N 10

struct batch_arg {
	json_t *reqs[BATCH_N];
	json_t *results[BATCH_N];
	bool have_results;
};

static enum ct_rc op_batch(struct fx *fx, void *arg, bool injected)
{
	struct batch_arg *a = arg;
	struct ct_err err = {0};
	json_t *results[BATCH_N] = {0}; /* see batch_failure_leaves_results_null */
	enum ct_rc rc = ct_svc_ship_batch(&fx->ctx, a->reqs, BATCH_N, results, &err);
	if (rc == CT_OK) {
		for (int i = 0; i < BATCH_N; i++) {
			cr_assert_not_null(results[i], "result %d not set", i);
			a->results[i] = results[i];
		}
		a->have_results = true;
		return rc;
	}
	(void)injected;
	for (int i = 0; i < BATCH_N; i++)
		cr_assert_null(results[i], "batch failed (%s) but results[%d] is set",
			       ct_rc_name(rc), i);
	return rc;
}

Test(fault, ship_batch_leaves_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct batch_arg a = {0};
	/* 8 bookable, one rejected (a serial repeated inside the shipment),
	 * one bad input (zero units): every path of a batch line. */
	for (int i = 0; i < 8; i++) {
		char prefix[32], key[32];
		snprintf(prefix, sizeof prefix, "SN-B%02d", i);
		snprintf(key, sizeof key, "fault-batch-%d", i);
		a.reqs[i] = fx_ship_req(lic, 8, i % 2 ? "27000" : "31999.99", "B1",
					i % 3 ? key : NULL, fx_serials(prefix, 8));
	}
	json_t *dup = fx_serials("SN-DUP", 8);
	json_array_set_new(dup, 7, json_string("SN-DUP-0000"));
	a.reqs[8] = fx_ship_req(lic, 8, "27000.00", "B1", NULL, dup);
	a.reqs[9] = fx_ship_req(lic, 0, "27000.00", "B1", NULL, NULL);

	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	long n = fault_loop(&fx, "ship_batch", op_batch, &a, CT_OK);
	cr_assert_gt(n, 40, "a batch of 8 bookings makes more than 40 store calls (took %ld)", n);
	cr_assert(a.have_results);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.shipments, before.shipments + 8);
	cr_assert_eq(after.serials, before.serials + 64);
	cr_assert_eq(after.postings, before.postings + 16);
	cr_assert_eq(after.audit, before.audit + 9, "8 bookings and 1 rejection audited");
	cr_assert_eq(after.units_shipped, before.units_shipped + 64);
	cr_assert_eq(after.cert_used, before.cert_used + 64);
	cr_assert_eq(after.export_units, before.export_units + 64);
	for (int i = 0; i < 8; i++)
		cr_assert(json_is_integer(json_object_get(a.results[i], "shipment")), "line %d", i);
	cr_assert_str_eq(json_string_value(json_object_get(a.results[8], "reason")),
			 "serial_already_shipped");
	cr_assert_not_null(json_object_get(a.results[9], "error"));
	fx_verify_ok(&fx, "after the batch loop");
	for (int i = 0; i < BATCH_N; i++) {
		json_decref(a.reqs[i]);
		json_decref(a.results[i]);
	}
	fx_close(&fx);
}

/* ---- ct_svc_ledger_remit ---- */

struct json_arg {
	json_t *req;
	json_t *last;
};

static enum ct_rc op_remit(struct fx *fx, void *arg, bool injected)
{
	struct json_arg *a = arg;
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_ledger_remit(&fx->ctx, a->req, &out, &err);
	(void)injected;
	if (rc == CT_OK || rc == CT_REJECTED) {
		json_decref(a->last);
		a->last = out;
	} else {
		cr_assert_null(out);
	}
	return rc;
}

static int64_t outstanding(struct fx *fx, const char *vendor)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	FX_OK(ct_svc_ledger_balance(&fx->ctx, vendor, &out, &err), out, &err);
	int64_t v = json_integer_value(json_object_get(out, "outstanding_cents"));
	json_decref(out);
	return v;
}

Test(fault, ledger_remit_leaves_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	struct ship_arg s = {fx_ship_req(lic, 8, "27000.00", "B1", NULL, fx_serials("SN-R", 8)),
			     NULL};
	cr_assert_eq(op_ship(&fx, &s, false), CT_OK);
	json_decref(s.req);
	json_decref(s.last);
	cr_assert_eq(outstanding(&fx, "NVIDIA"), 5400000);

	struct json_arg a = {json_pack("{s:s, s:s, s:s, s:s}", "vendor", "NVIDIA", "amount",
				       "12345.67", "ref", "WIRE-1", "key", "fault-remit-1"), NULL};
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	fault_loop(&fx, "ledger_remit", op_remit, &a, CT_OK);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.remittances, before.remittances + 1);
	cr_assert_eq(after.postings, before.postings + 2);
	cr_assert_eq(after.audit, before.audit + 1);
	cr_assert_eq(outstanding(&fx, "NVIDIA"), 5400000 - 1234567);
	cr_assert(json_is_false(json_object_get(a.last, "replayed")));
	json_decref(a.req);
	json_decref(a.last);
	a.last = NULL;

	/* A remittance above what is owed, under faults: rejected or io error,
	 * never a partial write. */
	a.req = json_pack("{s:s, s:s, s:s}", "vendor", "NVIDIA", "amount", "999999.00", "ref",
			  "WIRE-2");
	fx_snapshot(&fx, &before);
	fault_loop(&fx, "ledger_remit too much", op_remit, &a, CT_REJECTED);
	fx_snapshot(&fx, &after);
	fx_snap_eq(&before, &after, "rejected remittance");
	json_decref(a.req);
	json_decref(a.last);
	fx_verify_ok(&fx, "after the remit loop");
	fx_close(&fx);
}

/* ---- ct_svc_license_apply ---- */

static enum ct_rc op_apply(struct fx *fx, void *arg, bool injected)
{
	struct json_arg *a = arg;
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_license_apply(&fx->ctx, a->req, &out, &err);
	(void)injected;
	if (rc == CT_OK || rc == CT_REJECTED) {
		json_decref(a->last);
		a->last = out;
	} else {
		cr_assert_null(out);
	}
	return rc;
}

Test(fault, license_apply_leaves_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	fx_scene(&fx);
	struct json_arg a = {json_pack("{s:s, s:s, s:s, s:I, s:s}", "vendor", "NVIDIA",
				       "customer", "CUST-CN", "product", "H200", "units",
				       (json_int_t)100, "end_uses", "training,inference"), NULL};
	struct fx_snap before, after;
	fx_snapshot(&fx, &before);
	fault_loop(&fx, "license_apply", op_apply, &a, CT_OK);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.licenses, before.licenses + 1);
	cr_assert_eq(after.audit, before.audit + 1);
	cr_assert_str_eq(json_string_value(json_object_get(a.last, "status")), "pending");
	json_decref(a.req);
	json_decref(a.last);
	a.last = NULL;

	/* A denied application is written too (with its reasons). */
	a.req = json_pack("{s:s, s:s, s:s, s:I, s:s}", "vendor", "NVIDIA", "customer", "CUST-CN",
			  "product", "H200", "units", (json_int_t)100, "end_uses", "military");
	fx_snapshot(&fx, &before);
	fault_loop(&fx, "license_apply denied", op_apply, &a, CT_REJECTED);
	fx_snapshot(&fx, &after);
	cr_assert_eq(after.licenses, before.licenses + 1);
	cr_assert_eq(after.audit, before.audit + 1);
	cr_assert_str_eq(json_string_value(json_object_get(a.last, "status")), "denied");
	json_decref(a.req);
	json_decref(a.last);
	fx_verify_ok(&fx, "after the apply loop");
	fx_close(&fx);
}

/* ---- the other writes, more briefly ---- */

struct misc_arg {
	int which;
	int64_t license;
	int64_t suspension;
	json_t *last;
};

static enum ct_rc op_misc(struct fx *fx, void *arg, bool injected)
{
	struct misc_arg *a = arg;
	struct ct_err err = {0};
	json_t *out = NULL, *req = NULL;
	enum ct_rc rc = CT_EINVAL;
	(void)injected;
	switch (a->which) {
	case 0:
		req = json_pack("{s:I}", "units", (json_int_t)50);
		rc = ct_svc_license_act(&fx->ctx, a->license, "approve", req, &out, &err);
		break;
	case 1:
		req = json_pack("{s:s}", "reason", "inspection");
		rc = ct_svc_license_act(&fx->ctx, a->license, "suspend", req, &out, &err);
		break;
	case 2:
		req = json_pack("{s:s, s:s, s:s, s:s}", "lab", "LAB1", "product", "H200", "batch",
				"B9", "units", "77");
		rc = ct_svc_lab_certify(&fx->ctx, req, &out, &err);
		break;
	case 3:
		req = json_pack("{s:s, s:s, s:s}", "vendor", "NVIDIA", "product", "H200", "units",
				"250");
		rc = ct_svc_domestic_record(&fx->ctx, req, &out, &err);
		break;
	case 4:
		rc = ct_svc_suspend(&fx->ctx, "customer:CUST-CN", "review", &out, &err);
		if (rc == CT_OK)
			a->suspension = json_integer_value(json_object_get(out, "id"));
		break;
	case 5:
		rc = ct_svc_resume(&fx->ctx, a->suspension, &out, &err);
		break;
	case 6:
		rc = ct_svc_party_act(&fx->ctx, "CUST-CN", "suspend", "screening hit", &out, &err);
		break;
	case 7:
		req = json_pack("{s:s, s:s, s:s, s:s}", "role", "customer", "id", "CUST-NEW", "name",
				"New Co", "country", "CN");
		rc = ct_svc_party_add(&fx->ctx, req, &out, &err);
		break;
	}
	json_decref(req);
	if (rc == CT_OK) {
		json_decref(a->last);
		a->last = out;
	} else {
		cr_assert_null(out, "op %d failed with %s but left *out", a->which, ct_rc_name(rc));
	}
	return rc;
}

Test(fault, other_writes_leave_no_partial_state)
{
	struct fx fx;
	fx_open(&fx);
	fx_scene(&fx);
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:s, s:s, s:I, s:s}", "vendor", "NVIDIA", "customer",
				"CUST-CN", "product", "H200", "units", (json_int_t)100, "end_uses",
				"training");
	FX_OK(ct_svc_license_apply(&fx.ctx, req, &out, &err), out, &err);
	struct misc_arg a = {.license = json_integer_value(json_object_get(out, "license"))};
	json_decref(req);
	json_decref(out);
	static const char *const names[] = {"license approve", "license suspend", "lab certify",
					    "domestic record", "suspend", "resume",
					    "party suspend", "party add"};
	for (a.which = 0; a.which < 8; a.which++) {
		struct fx_snap before, after;
		fx_snapshot(&fx, &before);
		fault_loop(&fx, names[a.which], op_misc, &a, CT_OK);
		fx_snapshot(&fx, &after);
		cr_assert_eq(after.audit, before.audit + 1, "%s: one audit event",
			     names[a.which]);
		json_decref(a.last);
		a.last = NULL;
	}
	fx_verify_ok(&fx, "after the other writes");
	fx_close(&fx);
}

/* ---- the failure contract of service.h: "other: ... *out NULL" and, for a
 * batch, "results are left NULL". A caller that did not pre-clear its
 * pointers must not find stale values there. ---- */

Test(fault, ship_failure_leaves_out_null)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	json_t *req = fx_ship_req(lic, 8, "27000.00", "B1", NULL, fx_serials("SN-X", 8));
	json_t stale_storage;
	json_t *stale = &stale_storage; /* compared, never dereferenced */
	for (long n = 1; n <= 3; n++) {
		struct ct_err err = {0};
		json_t *out = stale;
		ct_store_fail_after(fx.ctx.store, n);
		enum ct_rc rc = ct_svc_ship(&fx.ctx, req, &out, &err);
		ct_store_fail_after(fx.ctx.store, 0);
		cr_expect_eq(rc, CT_EIO);
		cr_expect_null(out, "ct_svc_ship returned %s with the store failing at call %ld "
			       "but left *out %s", ct_rc_name(rc), n,
			       out == stale ? "untouched (stale)" : "set");
		if (out != stale)
			json_decref(out);
	}
	json_decref(req);
	fx_close(&fx);
}

Test(fault, batch_failure_leaves_results_null)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic = fx_scene(&fx);
	json_t *reqs[4];
	for (int i = 0; i < 4; i++) {
		char prefix[16];
		snprintf(prefix, sizeof prefix, "SN-N%d", i);
		reqs[i] = fx_ship_req(lic, 8, "27000.00", "B1", NULL, fx_serials(prefix, 8));
	}
	json_t stale_storage;
	json_t *stale = &stale_storage; /* compared, never dereferenced */
	/* Call 1 is BEGIN; call 50 falls in the second line (a line with 8
	 * serials takes about 34 calls). */
	static const long points[] = {1, 50};
	for (size_t p = 0; p < 2; p++) {
		struct ct_err err = {0};
		json_t *results[4] = {stale, stale, stale, stale};
		ct_store_fail_after(fx.ctx.store, points[p]);
		enum ct_rc rc = ct_svc_ship_batch(&fx.ctx, reqs, 4, results, &err);
		ct_store_fail_after(fx.ctx.store, 0);
		cr_expect_eq(rc, CT_EIO);
		for (int i = 0; i < 4; i++)
			cr_expect_null(results[i], "store failing at call %ld: results[%d] %s",
				       points[p], i,
				       results[i] == stale ? "untouched (stale)" : "set");
	}
	for (int i = 0; i < 4; i++)
		json_decref(reqs[i]);
	fx_verify_ok(&fx, "after");
	fx_close(&fx);
}
