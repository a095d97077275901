/* The audit chain: an untouched database verifies with every event
 * counted; any edit made behind chiptoll's back through a second SQLite
 * connection is detected by ct_svc_audit_verify. */
#include "svc_fixture.h"

static int64_t product_count(struct fx *fx)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	FX_OK(ct_svc_product_list(&fx->ctx, &out, &err), out, &err);
	json_t *items = json_is_array(out) ? out : json_object_get(out, "products");
	cr_assert(json_is_array(items), "product list has no array");
	int64_t n = (int64_t)json_array_size(items);
	json_decref(out);
	return n;
}

static void do_ship(struct fx *fx, int64_t lic, long long units, const char *value,
		    const char *prefix, const char *key, enum ct_rc want)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	json_t *req = fx_ship_req(lic, units, value, "B1", key, fx_serials(prefix, (int)units));
	enum ct_rc rc = ct_svc_ship(&fx->ctx, req, &out, &err);
	json_decref(req);
	json_decref(out);
	cr_assert_eq(rc, want, "ship %s: %s %s", prefix, ct_rc_name(rc), err.message);
}

/* A populated database: parties, licenses (approved and denied), evidence,
 * shipments, a rejection, a remittance, a suspended party and a resumed
 * suspension; the last event is a booking. Returns the number of events
 * appended after ct_ctx_create. */
static int64_t populate(struct fx *fx, int64_t *lic_out)
{
	struct ct_err err = {0};
	json_t *out = NULL;
	int64_t lic = fx_scene(fx);  /* 3 party adds + 3 approvals + certify + domestic + apply + approve */
	int64_t events = 10;
	fx_party(fx, "customer", "CUST-S", "CN", true);
	events += 2;
	FX_OK(ct_svc_party_act(&fx->ctx, "CUST-S", "suspend", "screening hit", &out, &err), out,
	      &err);
	json_decref(out);
	events++;
	json_t *req = json_pack("{s:s, s:s, s:s, s:i, s:s}", "vendor", "NVIDIA", "customer",
				"CUST-S", "product", "H200", "units", 10, "end_uses", "training");
	cr_assert_eq(ct_svc_license_apply(&fx->ctx, req, &out, &err), CT_REJECTED);
	json_decref(req);
	json_decref(out);
	events++;
	FX_OK(ct_svc_suspend(&fx->ctx, "product:H100", "review", &out, &err), out, &err);
	int64_t sid = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	FX_OK(ct_svc_resume(&fx->ctx, sid, &out, &err), out, &err);
	json_decref(out);
	events += 2;
	do_ship(fx, lic, 8, "27000.00", "SN-A", "k-a", CT_OK);
	do_ship(fx, lic, 4, "30000.50", "SN-B", NULL, CT_OK);
	do_ship(fx, lic, 3, "1.00", "SN-A", NULL, CT_REJECTED); /* serial_already_shipped */
	events += 3;
	req = json_pack("{s:s, s:s, s:s}", "vendor", "NVIDIA", "amount", "1000.00", "ref", "W1");
	FX_OK(ct_svc_ledger_remit(&fx->ctx, req, &out, &err), out, &err);
	json_decref(req);
	json_decref(out);
	events++;
	do_ship(fx, lic, 2, "25000.00", "SN-C", NULL, CT_OK);
	events++;
	*lic_out = lic;
	return events;
}

Test(audit, untouched_database_verifies_with_every_event)
{
	struct fx fx;
	fx_open(&fx);
	int64_t base = fx_verify_ok(&fx, "fresh");
	/* ct_ctx_create: one event for the policy, one per catalog product. */
	cr_assert_eq(base, 1 + product_count(&fx), "fresh database has %lld events",
		     (long long)base);
	int64_t lic;
	int64_t appended = populate(&fx, &lic);
	cr_assert_eq(fx_verify_ok(&fx, "populated"), base + appended);
	sqlite3 *db = fx_db(&fx);
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM audit_events"), base + appended);
	cr_assert_eq(fx_q(db, "SELECT MAX(seq) FROM audit_events"), base + appended);
	sqlite3_close(db);
	/* Reads append nothing. */
	struct ct_err err = {0};
	json_t *out = NULL;
	FX_OK(ct_svc_license_show(&fx.ctx, lic, &out, &err), out, &err);
	json_decref(out);
	FX_OK(ct_svc_audit_log(&fx.ctx, 5, &out, &err), out, &err);
	cr_assert_eq(json_array_size(json_object_get(out, "events")), 5);
	json_decref(out);
	cr_assert_eq(fx_verify_ok(&fx, "after reads"), base + appended);
	/* And a reopened context verifies the same. */
	ct_ctx_close(&fx.ctx);
	fx.open = false;
	cr_assert_eq(ct_ctx_open(&fx.ctx, fx.path, "auditor", &err), CT_OK, "%s", err.message);
	fx.open = true;
	fx.ctx.clock = fx_clock;
	cr_assert_eq(fx_verify_ok(&fx, "reopened"), base + appended);
	fx_close(&fx);
}

/* Populates, runs sql through a second connection (it must change at least
 * one row), and expects verify to refuse. */
static void expect_detected(const char *sql, const char *what)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic;
	populate(&fx, &lic);
	int64_t events = fx_verify_ok(&fx, "before tampering");
	sqlite3 *db = fx_db(&fx);
	fx_exec(db, sql);
	cr_assert_gt(sqlite3_total_changes(db), 0, "%s: the tampering changed nothing", what);
	sqlite3_close(db);

	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_audit_verify(&fx.ctx, &out, &err);
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	cr_expect_eq(rc, CT_REJECTED, "%s went undetected: verify -> %s %s", what, ct_rc_name(rc),
		     text ? text : "(no output)");
	if (rc == CT_REJECTED) {
		cr_expect(json_is_false(json_object_get(out, "ok")), "%s: ok is not false: %s", what,
			  text);
		json_int_t bad = json_integer_value(json_object_get(out, "first_bad_seq"));
		cr_expect_gt(bad, 0, "%s: first_bad_seq %lld", what, (long long)bad);
		cr_expect_leq(bad, events + 1, "%s: first_bad_seq %lld past the chain", what,
			      (long long)bad);
		cr_expect(json_is_string(json_object_get(out, "problem")), "%s: no problem text",
			  what);
		cr_expect(err.message[0], "%s: no message", what);
	}
	free(text);
	json_decref(out);
	fx_close(&fx);
}

#define TAMPER(name, sql) \
	Test(audit_tamper, name) { expect_detected(sql, #name); }

/* The cases the issue names. */
TAMPER(shipment_fee_updated,
       "UPDATE shipments SET fee_cents = fee_cents - 100 WHERE id = 1")
TAMPER(license_status_updated,
       "UPDATE licenses SET status = 'revoked' WHERE id = 1")
TAMPER(denied_license_approved,
       "UPDATE licenses SET status = 'approved', units_approved = 10 WHERE status = 'denied'")
TAMPER(audit_payload_updated,
       "UPDATE audit_events SET payload = replace(payload, '\"units\":8', '\"units\":80')"
       " WHERE action = 'shipment.book'")
TAMPER(last_audit_event_deleted,
       "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
TAMPER(serial_deleted,
       "DELETE FROM serials WHERE serial = 'SN-A-0003'")
TAMPER(forged_posting_inserted,
       "INSERT INTO postings(ref_kind, ref_id, vendor, account, amount_cents, post_date)"
       " VALUES ('remittance', 1, 'NVIDIA', 'vendor_fee_payable', 500000, '2026-06-01')")
TAMPER(forged_balanced_postings_inserted,
       "INSERT INTO postings(ref_kind, ref_id, vendor, account, amount_cents, post_date)"
       " VALUES ('shipment', 1, 'NVIDIA', 'government_fee_receivable', -500000, '2026-06-01'),"
       " ('shipment', 1, 'NVIDIA', 'vendor_fee_payable', 500000, '2026-06-01')")
TAMPER(party_status_updated,
       "UPDATE parties SET status = 'approved' WHERE id = 'CUST-S'")

/* More of the same family. */
TAMPER(middle_audit_event_deleted,
       "DELETE FROM audit_events WHERE seq = 5")
TAMPER(audit_actor_updated,
       "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3")
TAMPER(audit_event_appended,
       "INSERT INTO audit_events(seq, ts, actor, action, payload, prev_hash, hash)"
       " SELECT seq + 1, ts, actor, action, payload, hash, hash FROM audit_events"
       " WHERE seq = (SELECT MAX(seq) FROM audit_events)")
TAMPER(shipment_deleted_whole,
       "DELETE FROM serials WHERE shipment_id = 2;"
       " DELETE FROM postings WHERE ref_kind = 'shipment' AND ref_id = 2;"
       " DELETE FROM shipments WHERE id = 2")
TAMPER(serial_renamed,
       "UPDATE serials SET serial = 'FORGED-1' WHERE serial = 'SN-B-0001'")
TAMPER(serial_moved_to_other_shipment,
       "UPDATE serials SET shipment_id = 2 WHERE serial = 'SN-A-0000'")
TAMPER(posting_amount_updated,
       "UPDATE postings SET amount_cents = amount_cents + 1 WHERE id = 1")
TAMPER(remittance_amount_updated,
       "UPDATE remittances SET amount_cents = 1")
TAMPER(license_units_updated,
       "UPDATE licenses SET units_approved = units_approved + 1000 WHERE id = 1")
TAMPER(license_units_shipped_reset,
       "UPDATE licenses SET units_shipped = 0 WHERE id = 1")
TAMPER(certificate_units_used_reset,
       "UPDATE certificates SET units_used = 0")
TAMPER(domestic_volume_inflated,
       "UPDATE domestic_volumes SET units = units * 100")
TAMPER(suspension_resumed_at_cleared,
       "UPDATE suspensions SET resumed_at = NULL, resumed_by = NULL")
TAMPER(product_spec_updated,
       "UPDATE products SET fp8 = 100 WHERE model = 'H200'")
TAMPER(forged_shipment_inserted,
       "INSERT INTO shipments(license_id, vendor, customer, product, program, policy_version,"
       " destination, units, unit_value_cents, fee_cents, rate_bp, batch, ship_date, idem_key,"
       " request_hash, certificate_id, booked_at) SELECT license_id, vendor, customer, product,"
       " program, policy_version, destination, units, unit_value_cents, fee_cents, rate_bp,"
       " batch, ship_date, 'forged', request_hash, certificate_id, booked_at FROM shipments"
       " WHERE id = 1")
TAMPER(policy_document_updated,
       "UPDATE policy_versions SET document = replace(document, '2500', '0025')")
/* The running totals behind the volume cap: schema.c says "Derived; audit
 * verify recomputes". Zeroing them would let the cap be exceeded. */
TAMPER(export_totals_zeroed,
       "UPDATE export_totals SET units = 0")
TAMPER(export_totals_deleted,
       "DELETE FROM export_totals")

/* The issue: "Editing or deleting any stored event ... is detected". A
 * rejection's event records no row state, so when it is the last event,
 * deleting it leaves a chain that still links. */
Test(audit_tamper, last_event_deleted_when_it_is_a_rejection)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic;
	populate(&fx, &lic);
	do_ship(&fx, lic, 3, "1.00", "SN-A", NULL, CT_REJECTED);
	int64_t events = fx_verify_ok(&fx, "before");
	/* A rejection writes no row, so only an anchor kept outside the
	 * database (as an auditor would) shows the tail was cut. */
	json_t *head = NULL;
	struct ct_err herr = {0};
	cr_assert_eq(ct_svc_audit_head(&fx.ctx, &head, &herr), CT_OK);
	char anchor[96];
	snprintf(anchor, sizeof anchor, "%s", json_string_value(json_object_get(head, "anchor")));
	cr_assert_eq(json_integer_value(json_object_get(head, "seq")), events);
	json_decref(head);
	sqlite3 *db = fx_db(&fx);
	cr_assert_eq(fx_q(db, "SELECT COUNT(*) FROM audit_events WHERE seq = "
			      "(SELECT MAX(seq) FROM audit_events) AND action = 'shipment.reject'"), 1);
	fx_exec(db, "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)");
	sqlite3_close(db);
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc = ct_svc_audit_verify_anchor(&fx.ctx, anchor, &out, &err);
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	cr_expect_eq(rc, CT_REJECTED, "deleting the last event (%lld, a rejection) went "
		     "undetected: %s", (long long)events, text ? text : "");
	cr_expect_eq(json_integer_value(json_object_get(out, "first_bad_seq")), events);
	free(text);
	json_decref(out);
	fx_close(&fx);
}

/* Verify reports the first bad event, not a later one. */
Test(audit_tamper, first_bad_seq_names_the_edited_event)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic;
	populate(&fx, &lic);
	int64_t events = fx_verify_ok(&fx, "before");
	int64_t target = events - 4;
	sqlite3 *db = fx_db(&fx);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE audit_events SET ts = '2030-01-01T00:00:00Z' WHERE seq = %lld",
		 (long long)target);
	fx_exec(db, sql);
	sqlite3_close(db);
	struct ct_err err = {0};
	json_t *out = NULL;
	cr_assert_eq(ct_svc_audit_verify(&fx.ctx, &out, &err), CT_REJECTED);
	cr_assert(json_is_false(json_object_get(out, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(out, "first_bad_seq")), target);
	json_decref(out);
	fx_close(&fx);
}

/* An anchor taken from audit head verifies while the log is intact; a
 * malformed one is bad input; one whose hash differs is reported at its
 * sequence number. */
Test(audit, anchor_checks)
{
	struct fx fx;
	fx_open(&fx);
	int64_t lic;
	populate(&fx, &lic);
	json_t *head = NULL, *out = NULL;
	struct ct_err err = {0};
	cr_assert_eq(ct_svc_audit_head(&fx.ctx, &head, &err), CT_OK);
	int64_t seq = json_integer_value(json_object_get(head, "seq"));
	char anchor[96];
	snprintf(anchor, sizeof anchor, "%s", json_string_value(json_object_get(head, "anchor")));
	json_decref(head);

	cr_assert_eq(ct_svc_audit_verify_anchor(&fx.ctx, anchor, &out, &err), CT_OK, "%s",
		     err.message);
	json_decref(out);
	out = NULL;
	cr_assert_eq(ct_svc_audit_verify_anchor(&fx.ctx, "12:abc", &out, &err), CT_EINVAL);
	cr_assert_str_eq(err.field, "anchor");
	cr_assert_null(out);

	/* same sequence, another hash */
	char *colon = strchr(anchor, ':');
	colon[1] = colon[1] == '0' ? '1' : '0';
	cr_assert_eq(ct_svc_audit_verify_anchor(&fx.ctx, anchor, &out, &err), CT_REJECTED);
	cr_assert_eq(json_integer_value(json_object_get(out, "first_bad_seq")), seq);
	json_decref(out);
	fx_close(&fx);
}
