/* Who may do what through the API: roles of tokens, and which rows a
 * principal may see. Pure: the server asks, the answer comes from here. */
#ifndef CHIPTOLL_ACCESS_H
#define CHIPTOLL_ACCESS_H

#include <stdbool.h>
#include "chiptoll/limits.h"

enum ct_access_role {
	CT_AR_REGULATOR, CT_AR_AUDITOR, CT_AR_VENDOR, CT_AR_CUSTOMER, CT_AR_LAB, CT_AR_COUNT
};

const char *ct_access_role_name(enum ct_access_role r);
bool ct_access_role_parse(const char *s, enum ct_access_role *out);
/* Vendor, customer and lab tokens act for one party; the others for none. */
bool ct_access_role_needs_party(enum ct_access_role r);

struct ct_principal {
	long long token_id;
	enum ct_access_role role;
	char party[CT_ID_MAX];      /* "" for regulator and auditor */
	char name[CT_NAME_MAX];
};

/* Regulators and auditors see every row. A vendor sees rows whose vendor
 * is its party, a customer rows whose customer is, a lab rows whose lab
 * is. A row another party owns is invisible (the API answers 404). */
bool ct_access_sees(const struct ct_principal *p, const char *vendor, const char *customer,
		    const char *lab);

#endif
