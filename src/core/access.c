/* Roles and row visibility for the API. */
#include <string.h>
#include "chiptoll/access.h"

static const char *const role_names[CT_AR_COUNT] = {
	[CT_AR_REGULATOR] = "regulator", [CT_AR_AUDITOR] = "auditor", [CT_AR_VENDOR] = "vendor",
	[CT_AR_CUSTOMER] = "customer", [CT_AR_LAB] = "lab",
};

const char *ct_access_role_name(enum ct_access_role r)
{
	return r < CT_AR_COUNT ? role_names[r] : "unknown";
}

bool ct_access_role_parse(const char *s, enum ct_access_role *out)
{
	for (int i = 0; s && i < CT_AR_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum ct_access_role)i;
			return true;
		}
	return false;
}

bool ct_access_role_needs_party(enum ct_access_role r)
{
	return r == CT_AR_VENDOR || r == CT_AR_CUSTOMER || r == CT_AR_LAB;
}

static bool owns(const char *party, const char *owner)
{
	return owner && *owner && strcmp(party, owner) == 0;
}

bool ct_access_sees(const struct ct_principal *p, const char *vendor, const char *customer,
		    const char *lab)
{
	switch (p->role) {
	case CT_AR_REGULATOR:
	case CT_AR_AUDITOR:
		return true;
	case CT_AR_VENDOR:
		return owns(p->party, vendor);
	case CT_AR_CUSTOMER:
		return owns(p->party, customer);
	case CT_AR_LAB:
		return owns(p->party, lab);
	case CT_AR_COUNT:
		break;
	}
	return false;
}
