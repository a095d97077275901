/* License and shipment decisions and suspension scopes, against the
 * bundled policy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chiptoll/decide.h"
#include "policy_fixture.h"

static struct ct_policy *pol;

static void setup(void)
{
	pol = ct_test_bundled_policy();
}

static void teardown(void)
{
	free(pol);
	pol = NULL;
}

/* One application's facts, owned together so a test edits fields freely. */
struct app {
	struct ct_product product;
	struct ct_classification cls;
	struct ct_party vendor, customer;
	char parent_hq[3];
	struct ct_license_facts f;
};

static void set_h200(struct ct_product *p)
{
	ct_product_init(p);
	strcpy(p->model, "H200");
	strcpy(p->vendor, "NVIDIA");
	p->rate[CT_FP16] = 989.5;
	p->rate[CT_FP8] = 1979;
	p->bw_gbs = 4800;
	p->die_mm2 = 814;
	p->us_available = ct_date_from_ymd(2024, 11, 18);
}

static void set_h20(struct ct_product *p)
{
	ct_product_init(p);
	strcpy(p->model, "H20");
	strcpy(p->vendor, "NVIDIA");
	p->rate[CT_FP8] = 296;
	p->bw_gbs = 4000;
	p->die_mm2 = 814;
	/* Made for China: never commercially available in the US. */
}

static void set_b200(struct ct_product *p)
{
	ct_product_init(p);
	strcpy(p->model, "B200");
	strcpy(p->vendor, "NVIDIA");
	p->rate[CT_FP8] = 4500;
	p->bw_gbs = 7700;
	p->us_available = ct_date_from_ymd(2024, 12, 1);
}

/* An application that passes every check: H200, approved vendor and
 * customer in China, exported from the US on 1 Feb 2026. */
static void app_init(struct app *a)
{
	memset(a, 0, sizeof(*a));
	set_h200(&a->product);
	strcpy(a->vendor.id, "NVIDIA");
	a->vendor.role = CT_ROLE_VENDOR;
	strcpy(a->vendor.country, "US");
	strcpy(a->vendor.hq_country, "US");
	a->vendor.status = CT_PARTY_APPROVED;
	strcpy(a->customer.id, "acme-cloud");
	a->customer.role = CT_ROLE_CUSTOMER;
	strcpy(a->customer.country, "CN");
	strcpy(a->customer.hq_country, "CN");
	a->customer.status = CT_PARTY_APPROVED;
	a->customer.end_uses = CT_USE_TRAINING | CT_USE_INFERENCE;
	a->f.policy = pol;
	a->f.product = &a->product;
	a->f.cls = &a->cls;
	a->f.vendor = &a->vendor;
	a->f.customer = &a->customer;
	a->f.parent_hq_country = a->parent_hq;
	a->f.end_uses = CT_USE_INFERENCE;
	a->f.on = ct_date_from_ymd(2026, 2, 1);
	a->f.export_from = "US";
}

static void decide(struct app *a, struct ct_decision *d)
{
	ct_classify(&a->product, &pol->eccn, &a->cls);
	ct_decide_license(&a->f, d);
}

/* Asserts the reasons are exactly the given ones, in that order. */
#define expect_reasons(d, ...) expect_reasons_(d, (int[]){ __VA_ARGS__, -1 })
static void expect_reasons_(const struct ct_decision *d, const int *want)
{
	int n = 0;

	while (want[n] >= 0)
		n++;
	if (n == 1 && want[0] == CT_REASON_NONE)
		n = 0;
	cr_assert_eq(d->n_reasons, n, "got %d reasons (first %s), want %d", d->n_reasons,
		     d->n_reasons ? ct_reason_name(d->reasons[0]) : "-", n);
	for (int i = 0; i < n; i++)
		cr_assert_eq(d->reasons[i], (enum ct_reason)want[i], "reason %d: got %s want %s",
			     i, ct_reason_name(d->reasons[i]),
			     ct_reason_name((enum ct_reason)want[i]));
}

static const struct ct_program *prog(const char *id)
{
	const struct ct_program *p = ct_policy_find_program(pol, id);

	cr_assert_not_null(p, "%s", id);
	return p;
}

TestSuite(license, .init = setup, .fini = teardown);

Test(license, passes)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);
	cr_assert_eq(d.program, prog("case-by-case-2026"));
}

Test(license, program_selection_by_date)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	set_h20(&a.product);
	a.f.on = ct_date_from_ymd(2026, 1, 14);
	decide(&a, &d);
	cr_assert_eq(d.program, prog("h20-mi308-2025"));
	expect_reasons(&d, CT_REASON_NONE);

	a.f.on = ct_date_from_ymd(2025, 8, 11);
	decide(&a, &d);
	cr_assert_eq(d.program, prog("h20-mi308-2025"));

	/* From 15 Jan 2026 the H20 falls under the ceiling program, which also
	 * wants US availability the H20 never had. */
	a.f.on = ct_date_from_ymd(2026, 1, 15);
	decide(&a, &d);
	cr_assert_eq(d.program, prog("case-by-case-2026"));
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US);

	/* Before any program: nothing to apply. */
	a.f.on = ct_date_from_ymd(2025, 8, 10);
	decide(&a, &d);
	cr_assert_null(d.program);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE);

	/* The H200 is not named in the 2025 program. */
	set_h200(&a.product);
	a.f.on = ct_date_from_ymd(2026, 1, 14);
	decide(&a, &d);
	cr_assert_null(d.program);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE);
	a.f.on = ct_date_from_ymd(2026, 1, 15);
	decide(&a, &d);
	cr_assert_eq(d.program, prog("case-by-case-2026"));
	expect_reasons(&d, CT_REASON_NONE);
}

Test(license, product_not_eligible)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	set_b200(&a.product);
	decide(&a, &d);
	cr_assert_null(d.program);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE);

	/* Unknown bandwidth: not shown to be under the ceiling. */
	set_h200(&a.product);
	a.product.bw_gbs = NAN;
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE);
}

Test(license, product_not_available_in_us)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	a.product.us_available = ct_date_from_ymd(2026, 1, 16);
	decide(&a, &d);
	cr_assert_eq(d.program, prog("case-by-case-2026"));
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US);
	a.product.us_available = ct_date_from_ymd(2026, 1, 15);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);
}

Test(license, destination_not_covered)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	strcpy(a.customer.country, "HK");
	strcpy(a.customer.hq_country, "HK");
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_DESTINATION_NOT_COVERED);

	/* Hong Kong was a destination of the 2025 program. */
	set_h20(&a.product);
	a.f.on = ct_date_from_ymd(2025, 9, 1);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);

	/* No program picked: judged against the programs in force. */
	set_b200(&a.product);
	a.f.on = ct_date_from_ymd(2026, 2, 1);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE, CT_REASON_DESTINATION_NOT_COVERED);
	a.f.on = ct_date_from_ymd(2025, 9, 1);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE);
}

Test(license, route_not_permitted)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	a.f.export_from = "TW";
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_ROUTE_NOT_PERMITTED);

	/* The 2025 program had no route restriction. */
	set_h20(&a.product);
	a.f.on = ct_date_from_ymd(2025, 9, 1);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);

	/* No program picked, and the only program in force wants US exports. */
	set_b200(&a.product);
	a.f.on = ct_date_from_ymd(2026, 2, 1);
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE, CT_REASON_ROUTE_NOT_PERMITTED);
}

Test(license, customer_not_approved)
{
	static const enum ct_party_status bad[] = { CT_PARTY_PENDING, CT_PARTY_SUSPENDED,
						    CT_PARTY_REVOKED };
	struct app a;
	struct ct_decision d;

	for (size_t i = 0; i < 3; i++) {
		app_init(&a);
		a.customer.status = bad[i];
		decide(&a, &d);
		expect_reasons(&d, CT_REASON_CUSTOMER_NOT_APPROVED);
	}
}

Test(license, customer_hq_restricted)
{
	struct app a;
	struct ct_decision d;

	/* A Chinese group's subsidiary in Singapore (also not a destination). */
	app_init(&a);
	strcpy(a.customer.country, "SG");
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_DESTINATION_NOT_COVERED, CT_REASON_CUSTOMER_HQ_RESTRICTED);

	/* A Singapore company whose ultimate parent sits in Macau. */
	strcpy(a.customer.hq_country, "SG");
	strcpy(a.parent_hq, "MO");
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_DESTINATION_NOT_COVERED, CT_REASON_CUSTOMER_HQ_RESTRICTED);

	/* Singapore all the way up: no HQ issue. */
	strcpy(a.parent_hq, "SG");
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_DESTINATION_NOT_COVERED);

	/* Located in a restricted country: the destination test judges it. */
	app_init(&a);
	strcpy(a.customer.country, "MO");
	strcpy(a.customer.hq_country, "CN");
	strcpy(a.parent_hq, "RU");
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);

	/* An unset HQ means the location. */
	app_init(&a);
	a.customer.hq_country[0] = '\0';
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);
}

Test(license, end_use_prohibited)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	a.f.end_uses = CT_USE_TRAINING | CT_USE_MILITARY;
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_END_USE_PROHIBITED);

	/* Declared by the customer, even if not requested. */
	app_init(&a);
	a.customer.end_uses |= CT_USE_MILITARY;
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_END_USE_PROHIBITED);

	app_init(&a);
	a.f.end_uses = CT_USE_ALL & ~CT_USE_MILITARY;
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_NONE);
}

Test(license, vendor_not_approved)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	a.vendor.status = CT_PARTY_PENDING;
	decide(&a, &d);
	expect_reasons(&d, CT_REASON_VENDOR_NOT_APPROVED);
}

Test(license, every_reason_in_order)
{
	struct app a;
	struct ct_decision d;

	app_init(&a);
	set_b200(&a.product);
	strcpy(a.customer.country, "SG");
	a.customer.status = CT_PARTY_PENDING;
	a.customer.end_uses = CT_USE_MILITARY;
	a.f.end_uses = CT_USE_MILITARY;
	a.vendor.status = CT_PARTY_SUSPENDED;
	a.f.export_from = "TW";
	decide(&a, &d);
	cr_assert_null(d.program);
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_ELIGIBLE, CT_REASON_DESTINATION_NOT_COVERED,
		       CT_REASON_ROUTE_NOT_PERMITTED, CT_REASON_CUSTOMER_NOT_APPROVED,
		       CT_REASON_CUSTOMER_HQ_RESTRICTED, CT_REASON_END_USE_PROHIBITED,
		       CT_REASON_VENDOR_NOT_APPROVED);

	/* With a program: availability instead of eligibility. */
	set_h200(&a.product);
	a.product.us_available = CT_DATE_NONE;
	decide(&a, &d);
	cr_assert_eq(d.program, prog("case-by-case-2026"));
	expect_reasons(&d, CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US,
		       CT_REASON_DESTINATION_NOT_COVERED, CT_REASON_ROUTE_NOT_PERMITTED,
		       CT_REASON_CUSTOMER_NOT_APPROVED, CT_REASON_CUSTOMER_HQ_RESTRICTED,
		       CT_REASON_END_USE_PROHIBITED, CT_REASON_VENDOR_NOT_APPROVED);
}

/* Shipments. */

static struct ct_shipment_facts ship_ok(void)
{
	return (struct ct_shipment_facts){
		.license_found = true,
		.license_status = CT_LIC_APPROVED,
		.valid_from = ct_date_from_ymd(2026, 2, 1),
		.valid_until = ct_date_from_ymd(2027, 1, 31),
		.ship_date = ct_date_from_ymd(2026, 3, 1),
		.suspended = false,
		.customer_status = CT_PARTY_APPROVED,
		.product_eligible = true,
		.units = 100,
		.license_units = 1000,
		.license_units_shipped = 900,
		.lab_cert_required = true,
		.lab_cert_available = true,
		.cap_applies = true,
		.cap_units = 500,
		.exported_units = 400,
		.serials_given = true,
		.n_serials = 100,
		.serial_duplicate = false,
	};
}

/* The checks in their documented order, each as a way to fail it. */
static const enum ct_reason order[] = {
	CT_REASON_LICENSE_NOT_FOUND, CT_REASON_LICENSE_NOT_ACTIVE, CT_REASON_LICENSE_SUSPENDED,
	CT_REASON_LICENSE_REVOKED, CT_REASON_LICENSE_EXPIRED, CT_REASON_SUSPENDED,
	CT_REASON_CUSTOMER_NOT_APPROVED, CT_REASON_PRODUCT_NOT_ELIGIBLE,
	CT_REASON_LICENSE_UNITS_EXCEEDED, CT_REASON_LAB_CERTIFICATE_MISSING,
	CT_REASON_VOLUME_CAP_EXCEEDED, CT_REASON_SERIAL_COUNT_MISMATCH,
	CT_REASON_SERIAL_ALREADY_SHIPPED,
};
#define N_ORDER (sizeof(order) / sizeof(order[0]))

static void break_check(struct ct_shipment_facts *f, size_t k)
{
	switch (k) {
	case 0: f->license_found = false; break;
	case 1: f->license_status = CT_LIC_PENDING; break;
	case 2: f->license_status = CT_LIC_SUSPENDED; break;
	case 3: f->license_status = CT_LIC_REVOKED; break;
	case 4: f->ship_date = f->valid_until + 1; break;
	case 5: f->suspended = true; break;
	case 6: f->customer_status = CT_PARTY_SUSPENDED; break;
	case 7: f->product_eligible = false; break;
	case 8: f->license_units_shipped = 901; break;
	case 9: f->lab_cert_available = false; break;
	case 10: f->exported_units = 401; break;
	case 11: f->n_serials = 99; break;
	case 12: f->serial_duplicate = true; break;
	default: cr_assert_fail("no check %zu", k);
	}
}

Test(shipment, passes)
{
	struct ct_shipment_facts f = ship_ok();

	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
}

Test(shipment, each_check_alone)
{
	for (size_t k = 0; k < N_ORDER; k++) {
		struct ct_shipment_facts f = ship_ok();

		break_check(&f, k);
		cr_assert_eq(ct_decide_shipment(&f), order[k], "check %zu: got %s", k,
			     ct_reason_name(ct_decide_shipment(&f)));
	}
}

Test(shipment, earlier_check_wins)
{
	for (size_t i = 0; i < N_ORDER; i++) {
		for (size_t j = i + 1; j < N_ORDER; j++) {
			struct ct_shipment_facts f = ship_ok();

			/* Break the later one first: checks 1-3 share the status
			 * field and the earlier must end up set. */
			break_check(&f, j);
			break_check(&f, i);
			cr_assert_eq(ct_decide_shipment(&f), order[i], "%zu+%zu: got %s", i, j,
				     ct_reason_name(ct_decide_shipment(&f)));
		}
	}
}

Test(shipment, license_states)
{
	struct ct_shipment_facts f = ship_ok();

	f.license_status = CT_LIC_DENIED;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_NOT_ACTIVE);
	f.license_status = CT_LIC_EXPIRED;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_EXPIRED);
	f.suspended = true;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_EXPIRED);
}

Test(shipment, validity_window_inclusive)
{
	struct ct_shipment_facts f = ship_ok();

	f.ship_date = f.valid_from;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
	f.ship_date = f.valid_until;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
	f.ship_date = f.valid_from - 1;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_EXPIRED);
	f.ship_date = f.valid_until + 1;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_EXPIRED);
	f.valid_until = CT_DATE_NONE;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
}

Test(shipment, quantities_at_the_edge)
{
	struct ct_shipment_facts f = ship_ok();

	/* Exactly filling the license and the cap is allowed. */
	f.license_units_shipped = 900;
	f.exported_units = 400;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
	f.units = 101;
	f.n_serials = 101;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_LICENSE_UNITS_EXCEEDED);
	f.license_units = 1001;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_VOLUME_CAP_EXCEEDED);
	f.cap_applies = false;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);

	f = ship_ok();
	f.lab_cert_required = false;
	f.lab_cert_available = false;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);

	f = ship_ok();
	f.serials_given = false;
	f.n_serials = 0;
	cr_assert_eq(ct_decide_shipment(&f), CT_REASON_NONE);
}

/* Scopes. */

Test(scope, parse_and_format)
{
	static const struct {
		const char *text;
		enum ct_scope_kind kind;
		const char *id;
	} ok[] = {
		{ "all", CT_SCOPE_ALL, "" },
		{ "vendor:NVIDIA", CT_SCOPE_VENDOR, "NVIDIA" },
		{ "customer:acme-cloud", CT_SCOPE_CUSTOMER, "acme-cloud" },
		{ "product:H200", CT_SCOPE_PRODUCT, "H200" },
		{ "program:case-by-case-2026", CT_SCOPE_PROGRAM, "case-by-case-2026" },
	};
	struct ct_scope s;
	char buf[CT_ID_MAX + 16];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert(ct_scope_parse(ok[i].text, &s), "%s", ok[i].text);
		cr_assert_eq(s.kind, ok[i].kind);
		cr_assert_str_eq(s.id, ok[i].id);
		ct_scope_format(&s, buf);
		cr_assert_str_eq(buf, ok[i].text);
	}
}

Test(scope, parse_refuses)
{
	static const char *bad[] = { "", "ALL", "all:", "all:x", "vendor", "vendor:", ":x",
				     "Vendor:X", "supplier:X", "vendor:a b", "vendor:\tx",
				     " vendor:x", "product:" };
	char longid[CT_ID_MAX + 16];
	struct ct_scope s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(ct_scope_parse(bad[i], &s), "should refuse '%s'", bad[i]);
	cr_assert_not(ct_scope_parse(NULL, &s));

	strcpy(longid, "vendor:");
	memset(longid + 7, 'x', CT_ID_MAX - 1);
	longid[7 + CT_ID_MAX - 1] = '\0';
	cr_assert(ct_scope_parse(longid, &s));
	cr_assert_eq(strlen(s.id), CT_ID_MAX - 1);
	strcat(longid, "x");
	cr_assert_not(ct_scope_parse(longid, &s));
}

Test(scope, covers)
{
	struct ct_scope s;

	cr_assert(ct_scope_parse("all", &s));
	cr_assert(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "p"));
	cr_assert(ct_scope_covers(&s, NULL, NULL, NULL, NULL));

	cr_assert(ct_scope_parse("vendor:NVIDIA", &s));
	cr_assert(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "p"));
	cr_assert_not(ct_scope_covers(&s, "AMD", "acme", "H200", "p"));
	cr_assert_not(ct_scope_covers(&s, "nvidia", "acme", "H200", "p"));
	cr_assert_not(ct_scope_covers(&s, NULL, "acme", "H200", "p"));

	cr_assert(ct_scope_parse("customer:acme", &s));
	cr_assert(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "p"));
	cr_assert_not(ct_scope_covers(&s, "acme", "other", "acme", "acme"));

	cr_assert(ct_scope_parse("product:h200", &s));
	cr_assert(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "p"));
	cr_assert_not(ct_scope_covers(&s, "NVIDIA", "acme", "H20", "p"));

	cr_assert(ct_scope_parse("program:case-by-case-2026", &s));
	cr_assert(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "case-by-case-2026"));
	cr_assert_not(ct_scope_covers(&s, "NVIDIA", "acme", "H200", "h20-mi308-2025"));
	cr_assert_not(ct_scope_covers(&s, "NVIDIA", "acme", "H200", NULL));
}
