/* License status names, as stored and shown. */
#include <string.h>

#include "chiptoll/license.h"

static const char *const names[CT_LIC_STATUS_COUNT] = {
	[CT_LIC_PENDING] = "pending",
	[CT_LIC_APPROVED] = "approved",
	[CT_LIC_DENIED] = "denied",
	[CT_LIC_SUSPENDED] = "suspended",
	[CT_LIC_REVOKED] = "revoked",
	[CT_LIC_EXPIRED] = "expired",
};

const char *ct_license_status_name(enum ct_license_status s)
{
	if ((int)s < 0 || s >= CT_LIC_STATUS_COUNT)
		return "unknown";
	return names[s];
}

bool ct_license_status_parse(const char *s, enum ct_license_status *out)
{
	for (int i = 0; s && i < CT_LIC_STATUS_COUNT; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum ct_license_status)i;
			return true;
		}
	}
	return false;
}
