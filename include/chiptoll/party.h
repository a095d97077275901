/* Parties: vendors, customers and labs, and their declared end uses. */
#ifndef CHIPTOLL_PARTY_H
#define CHIPTOLL_PARTY_H

#include <stdbool.h>
#include "chiptoll/limits.h"

enum ct_role { CT_ROLE_VENDOR, CT_ROLE_CUSTOMER, CT_ROLE_LAB, CT_ROLE_COUNT };
enum ct_party_status { CT_PARTY_PENDING, CT_PARTY_APPROVED, CT_PARTY_SUSPENDED,
		       CT_PARTY_REVOKED, CT_PARTY_STATUS_COUNT };

/* End uses as bits, so a set fits one int. */
enum ct_end_use {
	CT_USE_TRAINING = 1 << 0, CT_USE_INFERENCE = 1 << 1, CT_USE_RESEARCH = 1 << 2,
	CT_USE_CLOUD = 1 << 3, CT_USE_MILITARY = 1 << 4,
};
#define CT_USE_ALL 0x1f

const char *ct_role_name(enum ct_role r);
bool ct_role_parse(const char *s, enum ct_role *out);
const char *ct_party_status_name(enum ct_party_status s);
bool ct_party_status_parse(const char *s, enum ct_party_status *out);
/* "training,inference" <-> bits. Parse refuses unknown or empty items and
 * sets *bad to the offending item (static or pointing into a buffer of
 * CT_ID_MAX bytes the caller passes as badbuf). */
bool ct_end_uses_parse(const char *csv, unsigned *out, char badbuf[static CT_ID_MAX]);
/* Writes "training,inference" into buf (at most 64 bytes used). */
void ct_end_uses_format(unsigned uses, char buf[static 64]);
/* Parses one end-use name; false if unknown. */
bool ct_end_use_parse_one(const char *name, unsigned *bit);

struct ct_party {
	char id[CT_ID_MAX];
	enum ct_role role;
	char name[CT_NAME_MAX];
	char name_zh[CT_NAME_MAX];
	char country[3];      /* where it is located (ISO 3166 alpha-2) */
	char hq_country[3];   /* headquarters; same as country when not given */
	char parent[CT_ID_MAX]; /* ultimate parent party id, "" when none */
	enum ct_party_status status;
	unsigned end_uses;
	char status_reason[CT_TEXT_MAX];
};

/* True for two upper-case ASCII letters. */
bool ct_country_valid(const char *cc);

#endif
