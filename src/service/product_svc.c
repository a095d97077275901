/* Products: the catalog, classification and like-for-like comparison. */
#include <math.h>
#include <string.h>
#include "chiptoll/catalog.h"
#include "svc_internal.h"

/* A figure or null when unknown (NAN). */
static json_t *opt_real(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* The classification object shared by show and classify. */
static json_t *classification_json(struct ct_ctx *c, const struct ct_product *p, ct_date on)
{
	struct ct_classification cls;
	ct_classify(p, &c->policy->eccn, &cls);
	json_t *programs = json_array();
	for (int i = 0; i < c->policy->n_programs; i++) {
		const struct ct_program *prog = &c->policy->programs[i];
		json_t *reasons = json_array(), *notes = json_array();
		char day[11];
		ct_date_format(on, day);
		if (!ct_program_in_force(prog, on)) {
			json_array_append_new(reasons, json_string("product_not_eligible"));
			json_array_append_new(notes, json_sprintf("program not in force on %s", day));
		} else if (!ct_program_covers_product(prog, p, &cls)) {
			json_array_append_new(reasons, json_string("product_not_eligible"));
			if (prog->has_ceiling)
				json_array_append_new(notes, json_sprintf(
					"needs TPP < %.0f and DRAM bandwidth < %.0f GB/s", prog->max_tpp,
					prog->max_bw_gbs));
			if (prog->n_named)
				json_array_append_new(notes, json_string("not a product the program names"));
		}
		if (ct_program_in_force(prog, on) && ct_program_covers_product(prog, p, &cls) &&
		    !ct_program_availability_ok(prog, p)) {
			char by[11];
			ct_date_format(prog->us_available_by, by);
			json_array_append_new(reasons, json_string("product_not_available_in_us"));
			json_array_append_new(notes, json_sprintf(
				"must have been commercially available in the US on %s", by));
		}
		json_array_append_new(programs, json_pack("{s:s, s:b, s:o, s:o}", "id", prog->id,
			"eligible", json_array_size(reasons) == 0, "reasons", reasons, "notes", notes));
	}
	json_t *o = json_pack("{s:o, s:o, s:s, s:o}", "tpp", opt_real(cls.tpp), "tpp_from",
			      isnan(cls.tpp) ? json_null() : json_string(ct_precision_name(cls.tpp_from)),
			      "eccn", ct_eccn_name(cls.eccn), "programs", programs);
	json_object_set_new(o, "pd", opt_real(cls.pd));
	json_object_set_new(o, "date", ct_json_date(on));
	json_object_set_new(o, "figures", json_string("dense"));
	return o;
}

struct product_walk {
	const struct ct_ctx *c;
	json_t *items;
};

static enum ct_rc list_one(const struct ct_product *p, void *arg)
{
	struct product_walk *w = arg;
	json_t *o = ct_snap_product(p);
	struct ct_classification cls;
	ct_classify(p, &w->c->policy->eccn, &cls);
	json_object_set_new(o, "tpp", opt_real(cls.tpp));
	json_object_set_new(o, "eccn", json_string(ct_eccn_name(cls.eccn)));
	json_array_append_new(w->items, o);
	return CT_OK;
}

enum ct_rc ct_svc_product_list(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	json_t *items = json_array();
	struct product_walk w = {c, items};
	enum ct_rc rc = ct_store_product_each(c->store, list_one, &w);
	if (rc != CT_OK) {
		json_decref(items);
		*out = NULL;
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "products", items);
	return CT_OK;
}

enum ct_rc ct_svc_product_show(struct ct_ctx *c, const char *model, json_t **out,
			       struct ct_err *err)
{
	struct ct_product p;
	*out = NULL;
	enum ct_rc rc = ct_product_load(c, model, NULL, &p, err);
	if (rc != CT_OK)
		return rc;
	*out = ct_snap_product(&p);
	json_object_set_new(*out, "classification", classification_json(c, &p, ct_ctx_today(c)));
	return CT_OK;
}

enum ct_rc ct_product_insert(struct ct_store *s, void *row)
{
	return ct_store_product_add(s, row);
}

json_t *ct_product_state(const void *row, char key[static 96])
{
	const struct ct_product *p = row;
	snprintf(key, 96, "product/%s", p->model);
	return ct_snap_product(p);
}

static const char *const spec_fields[] = {
	"vendor", "model", "name", "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6",
	"fp4", "bw_gbs", "mem_gb", "die_mm2", "datacenter", "us_available", "source", "date", NULL};

/* Reads the spec fields of a request into p (shared by add and classify). */
static enum ct_rc read_spec(json_t *req, struct ct_product *p, struct ct_err *err)
{
	enum ct_rc rc;
	ct_product_init(p);
	for (int i = 0; i < CT_PREC_COUNT; i++)
		if ((rc = ct_req_rate(req, ct_precision_name(i), &p->rate[i], err)) != CT_OK)
			return rc;
	if ((rc = ct_req_rate(req, "bw_gbs", &p->bw_gbs, err)) != CT_OK ||
	    (rc = ct_req_rate(req, "mem_gb", &p->mem_gb, err)) != CT_OK ||
	    (rc = ct_req_rate(req, "die_mm2", &p->die_mm2, err)) != CT_OK ||
	    (rc = ct_req_date(req, "us_available", false, CT_DATE_NONE, &p->us_available, err)) !=
		    CT_OK)
		return rc;
	json_t *dc = json_object_get(req, "datacenter");
	if (dc && !json_is_null(dc)) {
		const char *s = json_string_value(dc);
		if (json_is_boolean(dc))
			p->datacenter = json_is_true(dc);
		else if (s && strcmp(s, "yes") == 0)
			p->datacenter = 1;
		else if (s && strcmp(s, "no") == 0)
			p->datacenter = 0;
		else
			return ct_err_set(err, CT_EINVAL, "datacenter", "datacenter: must be yes or no");
	}
	return CT_OK;
}

enum ct_rc ct_svc_product_add(struct ct_ctx *c, json_t *req, json_t **out, struct ct_err *err)
{
	struct ct_product p;
	char msg[256];
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, spec_fields, err);
	if (rc != CT_OK || (rc = read_spec(req, &p, err)) != CT_OK ||
	    (rc = ct_req_str(req, "vendor", true, p.vendor, sizeof p.vendor, err)) != CT_OK ||
	    (rc = ct_req_str(req, "model", true, p.model, sizeof p.model, err)) != CT_OK ||
	    (rc = ct_req_str(req, "name", false, p.name, sizeof p.name, err)) != CT_OK ||
	    (rc = ct_req_str(req, "source", false, p.source, sizeof p.source, err)) != CT_OK)
		return rc;
	if (!p.name[0])
		snprintf(p.name, sizeof p.name, "%s", p.model);
	if (!p.source[0])
		snprintf(p.source, sizeof p.source, "entered by %s", c->actor);
	if (ct_product_validate(&p, msg, sizeof msg) != CT_OK)
		return ct_err_set(err, CT_EINVAL, NULL, "%s", msg);
	if ((rc = ct_write_audited(c, "product.add", ct_product_insert, ct_product_state, &p, err)) !=
	    CT_OK)
		return rc;
	*out = ct_snap_product(&p);
	json_object_set_new(*out, "classification", classification_json(c, &p, ct_ctx_today(c)));
	return CT_OK;
}

enum ct_rc ct_svc_product_classify(struct ct_ctx *c, json_t *req, json_t **out,
				   struct ct_err *err)
{
	struct ct_product p;
	ct_date on;
	char model[CT_ID_MAX];
	*out = NULL;
	enum ct_rc rc = ct_req_only(req, spec_fields, err);
	if (rc != CT_OK ||
	    (rc = ct_req_date(req, "date", false, ct_ctx_today(c), &on, err)) != CT_OK ||
	    (rc = ct_req_str(req, "model", false, model, sizeof model, err)) != CT_OK)
		return rc;
	if (model[0]) {
		if ((rc = ct_product_load(c, model, NULL, &p, err)) != CT_OK)
			return rc;
	} else {
		if ((rc = read_spec(req, &p, err)) != CT_OK)
			return rc;
		snprintf(p.model, sizeof p.model, "(figures given)");
		bool any = false;
		for (int i = 0; i < CT_PREC_COUNT; i++)
			any = any || !isnan(p.rate[i]);
		if (!any)
			return ct_err_set(err, CT_EINVAL, NULL,
					  "give a MODEL or at least one dense rate such as --fp8");
	}
	*out = classification_json(c, &p, on);
	json_object_set_new(*out, "model", json_string(p.model));
	return CT_OK;
}

/* A sparse rate is twice the dense one, so a precision whose TPP share is
 * about twice every other precision's stands out. */
static void sparse_warnings(const struct ct_product *p, json_t *warnings)
{
	for (int i = 0; i < CT_PREC_COUNT; i++) {
		if (isnan(p->rate[i]))
			continue;
		double mine = p->rate[i] * ct_precision_bits(i), best_other = 0;
		for (int j = 0; j < CT_PREC_COUNT; j++)
			if (j != i && !isnan(p->rate[j]) &&
			    p->rate[j] * ct_precision_bits(j) > best_other)
				best_other = p->rate[j] * ct_precision_bits(j);
		if (best_other > 0 && mine / best_other > 1.9 && mine / best_other < 2.1)
			json_array_append_new(warnings, json_sprintf(
				"%s: %s %g looks like a sparse rate (twice what the other precisions "
				"imply); use dense figures", p->model, ct_precision_name(i), p->rate[i]));
	}
}

static void add_metric(json_t *rows, const char *metric, double a, double b)
{
	json_t *ratio = (isnan(a) || isnan(b) || b == 0) ? json_null() : json_real(a / b);
	json_array_append_new(rows, json_pack("{s:s, s:o, s:o, s:o}", "metric", metric, "a",
					      opt_real(a), "b", opt_real(b), "ratio", ratio));
}

enum ct_rc ct_svc_product_compare(struct ct_ctx *c, const char *a, const char *b, json_t **out,
				  struct ct_err *err)
{
	struct ct_product pa, pb;
	struct ct_classification ca, cb;
	*out = NULL;
	enum ct_rc rc = ct_product_load(c, a, NULL, &pa, err);
	if (rc != CT_OK || (rc = ct_product_load(c, b, NULL, &pb, err)) != CT_OK)
		return rc;
	ct_classify(&pa, &c->policy->eccn, &ca);
	ct_classify(&pb, &c->policy->eccn, &cb);
	json_t *rows = json_array();
	for (int i = 0; i < CT_PREC_COUNT; i++)
		add_metric(rows, ct_precision_name(i), pa.rate[i], pb.rate[i]);
	add_metric(rows, "tpp", ca.tpp, cb.tpp);
	add_metric(rows, "bw_gbs", pa.bw_gbs, pb.bw_gbs);
	add_metric(rows, "mem_gb", pa.mem_gb, pb.mem_gb);
	json_t *warnings = json_array();
	sparse_warnings(&pa, warnings);
	sparse_warnings(&pb, warnings);
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "a", pa.model, "b", pb.model, "figures",
			 "dense", "metrics", rows, "warnings", warnings);
	return CT_OK;
}
