/* Reports for regulators and vendors: fees, caps, licenses. Each is a
 * table ({"columns", "rows"}) so the CLI can print it as a table, CSV or
 * JSON without knowing which report it is. */
#include <string.h>
#include "chiptoll/money.h"
#include "svc_internal.h"

static json_t *table(const char *name, const char *const *columns)
{
	json_t *cols = json_array();
	for (const char *const *col = columns; *col; col++)
		json_array_append_new(cols, json_string(*col));
	return json_pack("{s:s, s:o, s:[]}", "report", name, "columns", cols, "rows");
}

static void add_row(json_t *t, json_t *row)
{
	json_array_append_new(json_object_get(t, "rows"), row);
}

static enum ct_rc fee_row(const struct ct_fee_total *f, void *arg)
{
	char value[32], fee[32];
	ct_money_format(f->value_cents, value);
	ct_money_format(f->fee_cents, fee);
	add_row(arg, json_pack("[s, s, I, I, s, s]", f->vendor, f->program,
			       (json_int_t)f->shipments, (json_int_t)f->units, value, fee));
	return CT_OK;
}

static enum ct_rc report_fees(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	static const char *const cols[] = {"vendor", "program", "shipments", "units",
					   "declared_value", "fee", NULL};
	json_t *t = table("fees", cols);
	enum ct_rc rc = ct_store_fee_totals(c->store, fee_row, t);
	json_t *balances = NULL;
	if (rc != CT_OK) {
		json_decref(t);
		return ct_err_store(c, err, rc);
	}
	if ((rc = ct_svc_ledger_balance(c, NULL, &balances, err)) != CT_OK) {
		json_decref(t);
		return rc;
	}
	json_object_set_new(t, "balances", balances);
	*out = t;
	return CT_OK;
}

struct caps_walk {
	struct ct_ctx *c;
	struct ct_err *err;
	json_t *table;
	ct_date on;
};

static enum ct_rc cap_row(const struct ct_product *p, void *arg)
{
	struct caps_walk *w = arg;
	for (int i = 0; i < w->c->policy->n_programs; i++) {
		const struct ct_program *prog = &w->c->policy->programs[i];
		if (!prog->has_cap)
			continue;
		int64_t domestic = 0, exported = 0;
		enum ct_rc rc = ct_store_domestic_units(w->c->store, p->model, w->on, &domestic);
		if (rc == CT_OK)
			rc = ct_store_exported_units(w->c->store, p->model, prog->id, &exported);
		if (rc != CT_OK)
			return ct_err_store(w->c, w->err, rc);
		if (domestic == 0 && exported == 0)
			continue;
		int64_t cap = ct_cap_units(domestic, prog->cap_ratio_bp);
		add_row(w->table, json_pack("[s, s, s, I, I, I, I]", p->model, p->vendor, prog->id,
					    (json_int_t)domestic, (json_int_t)exported,
					    (json_int_t)cap, (json_int_t)(cap - exported)));
	}
	return CT_OK;
}

static enum ct_rc report_caps(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	static const char *const cols[] = {"product", "vendor", "program", "us_domestic_units",
					   "exported_units", "cap_units", "headroom_units", NULL};
	struct caps_walk w = {c, err, table("caps", cols), ct_ctx_today(c)};
	json_object_set_new(w.table, "date", ct_json_date(w.on));
	enum ct_rc rc = ct_store_product_each(c->store, cap_row, &w);
	if (rc != CT_OK) {
		json_decref(w.table);
		return err->message[0] ? rc : ct_err_store(c, err, rc);
	}
	*out = w.table;
	return CT_OK;
}

static enum ct_rc license_row(const struct ct_license_row *l, void *arg)
{
	add_row(arg, json_pack("[I, s, s, s, o, s, I, I, I, s]", (json_int_t)l->id, l->vendor,
			       l->customer, l->product, ct_json_opt_str(l->program),
			       ct_license_status_name(l->status), (json_int_t)l->units_requested,
			       (json_int_t)l->units_approved, (json_int_t)l->units_shipped,
			       l->reasons));
	return CT_OK;
}

static enum ct_rc report_licenses(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	static const char *const cols[] = {"license", "vendor", "customer", "product", "program",
					   "status", "requested", "approved", "shipped", "reasons",
					   NULL};
	json_t *t = table("licenses", cols);
	struct ct_license_filter all = {.status = -1};
	enum ct_rc rc = ct_store_license_each(c->store, &all, license_row, t);
	if (rc != CT_OK) {
		json_decref(t);
		return ct_err_store(c, err, rc);
	}
	json_t *by_status = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		const char *s = json_string_value(json_array_get(row, 5));
		json_t *n = json_object_get(by_status, s);
		json_object_set_new(by_status, s, json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	json_object_set_new(t, "by_status", by_status);
	*out = t;
	return CT_OK;
}

enum ct_rc ct_svc_report(struct ct_ctx *c, const char *which, json_t **out, struct ct_err *err)
{
	*out = NULL;
	if (which && strcmp(which, "fees") == 0)
		return report_fees(c, out, err);
	if (which && strcmp(which, "caps") == 0)
		return report_caps(c, out, err);
	if (which && strcmp(which, "licenses") == 0)
		return report_licenses(c, out, err);
	return ct_err_set(err, CT_EINVAL, "report", "report: must be fees, caps or licenses");
}
