/* Party roles, statuses, end uses and country codes. */
#include <string.h>

#include "chiptoll/party.h"

static const char *const role_names[CT_ROLE_COUNT] = {
	[CT_ROLE_VENDOR] = "vendor",
	[CT_ROLE_CUSTOMER] = "customer",
	[CT_ROLE_LAB] = "lab",
};

static const char *const status_names[CT_PARTY_STATUS_COUNT] = {
	[CT_PARTY_PENDING] = "pending",
	[CT_PARTY_APPROVED] = "approved",
	[CT_PARTY_SUSPENDED] = "suspended",
	[CT_PARTY_REVOKED] = "revoked",
};

/* In bit order, which is also the order ct_end_uses_format writes. */
static const struct {
	const char *name;
	unsigned bit;
} end_uses[] = {
	{ "training", CT_USE_TRAINING },
	{ "inference", CT_USE_INFERENCE },
	{ "research", CT_USE_RESEARCH },
	{ "cloud", CT_USE_CLOUD },
	{ "military", CT_USE_MILITARY },
};
#define N_END_USES (sizeof(end_uses) / sizeof(end_uses[0]))

const char *ct_role_name(enum ct_role r)
{
	if ((int)r < 0 || r >= CT_ROLE_COUNT)
		return "unknown";
	return role_names[r];
}

bool ct_role_parse(const char *s, enum ct_role *out)
{
	for (int i = 0; s && i < CT_ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum ct_role)i;
			return true;
		}
	}
	return false;
}

const char *ct_party_status_name(enum ct_party_status s)
{
	if ((int)s < 0 || s >= CT_PARTY_STATUS_COUNT)
		return "unknown";
	return status_names[s];
}

bool ct_party_status_parse(const char *s, enum ct_party_status *out)
{
	for (int i = 0; s && i < CT_PARTY_STATUS_COUNT; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum ct_party_status)i;
			return true;
		}
	}
	return false;
}

bool ct_end_use_parse_one(const char *name, unsigned *bit)
{
	for (size_t i = 0; name && i < N_END_USES; i++) {
		if (strcmp(name, end_uses[i].name) == 0) {
			*bit = end_uses[i].bit;
			return true;
		}
	}
	return false;
}

/* Copies one item of length n into badbuf, truncated to fit. */
static void set_bad(char badbuf[static CT_ID_MAX], const char *item, size_t n)
{
	if (n > CT_ID_MAX - 1)
		n = CT_ID_MAX - 1;
	memcpy(badbuf, item, n);
	badbuf[n] = '\0';
}

bool ct_end_uses_parse(const char *csv, unsigned *out, char badbuf[static CT_ID_MAX])
{
	const char *p = csv;
	unsigned uses = 0;

	badbuf[0] = '\0';
	if (!csv)
		return false;
	/* Items are not trimmed: "training, cloud" is refused on " cloud" so
	 * that what is stored is exactly what was typed. */
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char item[CT_ID_MAX];
		unsigned bit;

		if (n == 0 || n >= sizeof(item)) {
			set_bad(badbuf, p, n);
			return false;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (!ct_end_use_parse_one(item, &bit)) {
			set_bad(badbuf, p, n);
			return false;
		}
		uses |= bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = uses;
	return true;
}

void ct_end_uses_format(unsigned uses, char buf[static 64])
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_END_USES; i++) {
		size_t n;

		if (!(uses & end_uses[i].bit))
			continue;
		if (len)
			buf[len++] = ',';
		n = strlen(end_uses[i].name);
		memcpy(buf + len, end_uses[i].name, n);
		len += n;
		buf[len] = '\0';
	}
}

bool ct_country_valid(const char *cc)
{
	return cc && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z' &&
	       cc[2] == '\0';
}
