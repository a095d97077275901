/* License and shipment decisions, and suspension scopes.
 *
 * These judge facts the service layer has gathered; they read no store and
 * no clock, so each rule is tested by filling in a struct. */
#include <string.h>

#include "chiptoll/decide.h"
#include "core/ascii.h"

static bool route_ok(const struct ct_program *prog, const char *export_from)
{
	if (!prog->route_from[0])
		return true;
	return export_from && strcmp(prog->route_from, export_from) == 0;
}

/* Is the customer, or its ultimate parent, headquartered in a restricted
 * country while located outside them? Entities located in such a country
 * are judged by the destination test instead; this catches the foreign
 * subsidiary of a restricted group (91 FR 1684). */
static bool hq_restricted(const struct ct_policy *pol, const struct ct_party *cust,
			  const char *parent_hq)
{
	const char *hq = cust->hq_country[0] ? cust->hq_country : cust->country;
	bool restricted = ct_country_set_has(&pol->hq_restricted, hq);

	if (parent_hq && parent_hq[0] && ct_country_set_has(&pol->hq_restricted, parent_hq))
		restricted = true;
	return restricted && !ct_country_set_has(&pol->hq_restricted, cust->country);
}

/*
 * The program is the first in file order that is in force on f->on and
 * covers the product technically; later checks judge against it.
 *
 * Without a program, the destination and route checks still run so that
 * the applicant learns everything wrong at once, but against the programs
 * in force on the date, since no single program applies:
 *   - destination_not_covered when no in-force program lists the country;
 *   - route_not_permitted when no in-force program permits the route (a
 *     program without route restriction permits any).
 * With no program in force at all there is nothing to compare with, and
 * product_not_eligible alone says so.
 */
void ct_decide_license(const struct ct_license_facts *f, struct ct_decision *out)
{
	const struct ct_policy *pol = f->policy;
	const struct ct_program *prog = NULL;
	bool fails[CT_REASON_MAX_] = { false };
	int n_in_force = 0;
	bool any_dest = false, any_route = false;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < pol->n_programs; i++) {
		const struct ct_program *p = &pol->programs[i];

		if (!ct_program_in_force(p, f->on))
			continue;
		n_in_force++;
		if (ct_country_set_has(&p->destinations, f->customer->country))
			any_dest = true;
		if (route_ok(p, f->export_from))
			any_route = true;
		if (!prog && ct_program_covers_product(p, f->product, f->cls))
			prog = p;
	}

	if (prog) {
		if (!ct_program_availability_ok(prog, f->product))
			fails[CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US] = true;
		if (!ct_country_set_has(&prog->destinations, f->customer->country))
			fails[CT_REASON_DESTINATION_NOT_COVERED] = true;
		if (!route_ok(prog, f->export_from))
			fails[CT_REASON_ROUTE_NOT_PERMITTED] = true;
	} else {
		fails[CT_REASON_PRODUCT_NOT_ELIGIBLE] = true;
		if (n_in_force > 0 && !any_dest)
			fails[CT_REASON_DESTINATION_NOT_COVERED] = true;
		if (n_in_force > 0 && !any_route)
			fails[CT_REASON_ROUTE_NOT_PERMITTED] = true;
	}
	if (f->customer->status != CT_PARTY_APPROVED)
		fails[CT_REASON_CUSTOMER_NOT_APPROVED] = true;
	if (hq_restricted(pol, f->customer, f->parent_hq_country))
		fails[CT_REASON_CUSTOMER_HQ_RESTRICTED] = true;
	if ((f->end_uses | f->customer->end_uses) & pol->prohibited_end_uses)
		fails[CT_REASON_END_USE_PROHIBITED] = true;
	if (f->vendor->status != CT_PARTY_APPROVED)
		fails[CT_REASON_VENDOR_NOT_APPROVED] = true;

	out->program = prog;
	for (int r = 1; r < CT_REASON_MAX_ && out->n_reasons < CT_REASONS_MAX; r++)
		if (fails[r])
			out->reasons[out->n_reasons++] = (enum ct_reason)r;
}

/* The order is part of the contract: the cheapest, most basic fact first,
 * so a shipment against a revoked license says so rather than complaining
 * about serials. */
enum ct_reason ct_decide_shipment(const struct ct_shipment_facts *f)
{
	if (!f->license_found)
		return CT_REASON_LICENSE_NOT_FOUND;
	switch (f->license_status) {
	case CT_LIC_PENDING:
	case CT_LIC_DENIED:
		return CT_REASON_LICENSE_NOT_ACTIVE;
	case CT_LIC_SUSPENDED:
		return CT_REASON_LICENSE_SUSPENDED;
	case CT_LIC_REVOKED:
		return CT_REASON_LICENSE_REVOKED;
	case CT_LIC_EXPIRED:
		return CT_REASON_LICENSE_EXPIRED;
	case CT_LIC_APPROVED:
	case CT_LIC_STATUS_COUNT:
		break;
	}
	if (f->license_status != CT_LIC_APPROVED)
		return CT_REASON_LICENSE_NOT_ACTIVE;
	if (f->ship_date == CT_DATE_NONE ||
	    (f->valid_from != CT_DATE_NONE && f->ship_date < f->valid_from) ||
	    (f->valid_until != CT_DATE_NONE && f->ship_date > f->valid_until))
		return CT_REASON_LICENSE_EXPIRED;
	if (f->suspended)
		return CT_REASON_SUSPENDED;
	if (f->customer_status != CT_PARTY_APPROVED)
		return CT_REASON_CUSTOMER_NOT_APPROVED;
	if (!f->product_eligible)
		return CT_REASON_PRODUCT_NOT_ELIGIBLE;
	if (f->license_units_shipped + f->units > f->license_units)
		return CT_REASON_LICENSE_UNITS_EXCEEDED;
	if (f->lab_cert_required && !f->lab_cert_available)
		return CT_REASON_LAB_CERTIFICATE_MISSING;
	if (f->cap_applies && f->exported_units + f->units > f->cap_units)
		return CT_REASON_VOLUME_CAP_EXCEEDED;
	if (f->serials_given && f->n_serials != f->units)
		return CT_REASON_SERIAL_COUNT_MISMATCH;
	if (f->serial_duplicate)
		return CT_REASON_SERIAL_ALREADY_SHIPPED;
	return CT_REASON_NONE;
}

static const struct {
	const char *name;
	enum ct_scope_kind kind;
} scope_kinds[] = {
	{ "vendor", CT_SCOPE_VENDOR },
	{ "customer", CT_SCOPE_CUSTOMER },
	{ "product", CT_SCOPE_PRODUCT },
	{ "program", CT_SCOPE_PROGRAM },
};
#define N_SCOPE_KINDS (sizeof(scope_kinds) / sizeof(scope_kinds[0]))

bool ct_scope_parse(const char *text, struct ct_scope *out)
{
	const char *colon, *id;
	size_t klen, idlen;

	if (!text)
		return false;
	if (strcmp(text, "all") == 0) {
		out->kind = CT_SCOPE_ALL;
		out->id[0] = '\0';
		return true;
	}
	colon = strchr(text, ':');
	if (!colon)
		return false;
	klen = (size_t)(colon - text);
	id = colon + 1;
	idlen = strlen(id);
	if (idlen == 0 || idlen > CT_ID_MAX - 1)
		return false;
	/* Control characters and spaces in an id can only be a mistake, and
	 * would make the scope ambiguous when printed. */
	for (const char *s = id; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	for (size_t i = 0; i < N_SCOPE_KINDS; i++) {
		if (strlen(scope_kinds[i].name) == klen &&
		    strncmp(scope_kinds[i].name, text, klen) == 0) {
			out->kind = scope_kinds[i].kind;
			memcpy(out->id, id, idlen + 1);
			return true;
		}
	}
	return false;
}

void ct_scope_format(const struct ct_scope *s, char buf[static CT_ID_MAX + 16])
{
	const char *kind = NULL;
	size_t klen, idlen;

	for (size_t i = 0; i < N_SCOPE_KINDS; i++)
		if (scope_kinds[i].kind == s->kind)
			kind = scope_kinds[i].name;
	if (!kind) {
		memcpy(buf, "all", 4);
		return;
	}
	klen = strlen(kind);
	idlen = strnlen(s->id, CT_ID_MAX - 1);
	memcpy(buf, kind, klen);
	buf[klen] = ':';
	memcpy(buf + klen + 1, s->id, idlen);
	buf[klen + 1 + idlen] = '\0';
}

static bool same(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

bool ct_scope_covers(const struct ct_scope *s, const char *vendor, const char *customer,
		     const char *product, const char *program)
{
	switch (s->kind) {
	case CT_SCOPE_ALL:
		return true;
	case CT_SCOPE_VENDOR:
		return same(vendor, s->id);
	case CT_SCOPE_CUSTOMER:
		return same(customer, s->id);
	case CT_SCOPE_PRODUCT:
		/* Models match ignoring case everywhere (programs, catalog). */
		return product && ct_ascii_casecmp(product, s->id) == 0;
	case CT_SCOPE_PROGRAM:
		return same(program, s->id);
	}
	return false;
}
