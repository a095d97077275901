/* The regime as data: one policy version parsed from its JSON document
 * (data/policy/NAME.json, format "chiptoll-policy/1"). Pure: parsing takes
 * text, never a file name. */
#ifndef CHIPTOLL_POLICY_H
#define CHIPTOLL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chiptoll/date.h"
#include "chiptoll/limits.h"
#include "chiptoll/product.h"
#include "chiptoll/rc.h"

struct ct_country_set {
	char cc[CT_COUNTRIES_MAX][3];
	int n;
};
bool ct_country_set_has(const struct ct_country_set *s, const char *cc);

struct ct_program {
	char id[CT_ID_MAX];
	char name[CT_NAME_MAX];
	char source[CT_TEXT_MAX];           /* citation */
	ct_date effective_from;
	ct_date effective_until;             /* inclusive; CT_DATE_NONE = open */
	/* Products covered: by name, or by technical ceiling, or both (either
	 * suffices). */
	char named[CT_NAMED_PRODUCTS_MAX][CT_ID_MAX];
	int n_named;
	bool has_ceiling;
	double max_tpp;                      /* covered when TPP < max_tpp */
	double max_bw_gbs;                   /* and bandwidth < max_bw_gbs */
	ct_date us_available_by;             /* CT_DATE_NONE: no requirement */
	struct ct_country_set destinations;
	char route_from[3];                  /* "" any; "US": exports from the US only */
	bool lab_certificate_required;
	bool has_cap;
	int32_t cap_ratio_bp;                /* exported <= floor(domestic x ratio) */
	int32_t rate_bp;                     /* fee rate */
	char fee_basis[CT_ID_MAX];           /* "declared_value" */
};

struct ct_policy {
	char version[CT_ID_MAX];
	char title[CT_NAME_MAX];
	ct_date published;
	struct ct_eccn_thresholds eccn;
	char eccn_source[CT_TEXT_MAX];
	struct ct_country_set d5;            /* Country Group D:5 */
	struct ct_country_set hq_restricted; /* D:5 plus Macau: HQ test */
	struct ct_country_set remote_access; /* remote-access paragraph */
	unsigned prohibited_end_uses;        /* ct_end_use bits */
	int32_t license_validity_days;       /* default validity of a license */
	struct ct_program programs[CT_PROGRAMS_MAX];
	int n_programs;
};

/* Parses and validates a policy document. On failure returns CT_EINVAL and
 * writes into err a sentence naming the field ("programs[1].fee.rate_bp:
 * must be an integer from 0 to 10000"). *out is caller-owned (free()). */
enum ct_rc ct_policy_parse(const char *text, size_t len, struct ct_policy **out,
			   char *err, size_t errlen);

const struct ct_program *ct_policy_find_program(const struct ct_policy *p, const char *id);
/* Is the program in force on date d (from <= d <= until)? */
bool ct_program_in_force(const struct ct_program *prog, ct_date d);
/* Does the program cover the product technically (named, or under the
 * ceiling)? Availability in the US is a separate test. */
bool ct_program_covers_product(const struct ct_program *prog, const struct ct_product *p,
			       const struct ct_classification *c);
/* Does the product meet the program's US-availability date (if any)? */
bool ct_program_availability_ok(const struct ct_program *prog, const struct ct_product *p);

#endif
