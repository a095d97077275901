/* License states. */
#ifndef CHIPTOLL_LICENSE_H
#define CHIPTOLL_LICENSE_H

#include <stdbool.h>

enum ct_license_status { CT_LIC_PENDING, CT_LIC_APPROVED, CT_LIC_DENIED, CT_LIC_SUSPENDED,
			 CT_LIC_REVOKED, CT_LIC_EXPIRED, CT_LIC_STATUS_COUNT };

const char *ct_license_status_name(enum ct_license_status s);
bool ct_license_status_parse(const char *s, enum ct_license_status *out);

#endif
