/* Decisions: pure functions from facts to reasons. The service layer
 * gathers the facts from the store; these functions only judge them. */
#ifndef CHIPTOLL_DECIDE_H
#define CHIPTOLL_DECIDE_H

#include <stdbool.h>
#include <stdint.h>
#include "chiptoll/license.h"
#include "chiptoll/party.h"
#include "chiptoll/policy.h"

struct ct_decision {
	const struct ct_program *program;   /* the program applied; NULL if none */
	enum ct_reason reasons[CT_REASONS_MAX];
	int n_reasons;                      /* 0: passes the automatic checks */
};

struct ct_license_facts {
	const struct ct_policy *policy;
	const struct ct_product *product;
	const struct ct_classification *cls;
	const struct ct_party *vendor;
	const struct ct_party *customer;
	const char *parent_hq_country;      /* ultimate (top) parent's HQ, "" if none */
	unsigned end_uses;                  /* requested on the license */
	ct_date on;                         /* first day of validity */
	const char *export_from;            /* "US" ... */
};

/* Every failing automatic check of a license application, in the order of
 * enum ct_reason, and the program picked: the first program in force on
 * the date that covers the product technically. */
void ct_decide_license(const struct ct_license_facts *f, struct ct_decision *out);

struct ct_shipment_facts {
	bool license_found;
	enum ct_license_status license_status;
	ct_date valid_from, valid_until, ship_date;
	bool suspended;                 /* an active suspension covers it */
	enum ct_party_status customer_status;
	bool product_eligible;          /* program in force and covering on ship_date */
	int64_t units;
	int64_t license_units;          /* approved */
	int64_t license_units_shipped;
	bool lab_cert_required;
	bool lab_cert_available;
	bool cap_applies;
	int64_t cap_units;              /* floor(domestic x ratio) */
	int64_t exported_units;         /* before this shipment */
	bool serials_given;
	int64_t n_serials;
	bool serial_duplicate;          /* shipped before, or twice in this request */
};

/* The first failing check, in the documented order; CT_REASON_NONE when the
 * shipment may be booked. */
enum ct_reason ct_decide_shipment(const struct ct_shipment_facts *f);

/* Suspension scopes: "all", "vendor:ID", "customer:ID", "product:MODEL",
 * "program:ID". */
enum ct_scope_kind { CT_SCOPE_ALL, CT_SCOPE_VENDOR, CT_SCOPE_CUSTOMER, CT_SCOPE_PRODUCT,
		     CT_SCOPE_PROGRAM };
struct ct_scope {
	enum ct_scope_kind kind;
	char id[CT_ID_MAX];
};
bool ct_scope_parse(const char *text, struct ct_scope *out);
void ct_scope_format(const struct ct_scope *s, char buf[static CT_ID_MAX + 16]);
bool ct_scope_covers(const struct ct_scope *s, const char *vendor, const char *customer,
		     const char *product, const char *program);

#endif
