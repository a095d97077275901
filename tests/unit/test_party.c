/* Party and license names, end-use sets and country codes. */
#include <string.h>

#include <criterion/criterion.h>

#include "chiptoll/license.h"
#include "chiptoll/party.h"

Test(party, roles_and_statuses)
{
	static const char *roles[] = { "vendor", "customer", "lab" };
	static const char *statuses[] = { "pending", "approved", "suspended", "revoked" };
	enum ct_role r;
	enum ct_party_status s;

	for (int i = 0; i < CT_ROLE_COUNT; i++) {
		cr_assert_str_eq(ct_role_name((enum ct_role)i), roles[i]);
		cr_assert(ct_role_parse(roles[i], &r));
		cr_assert_eq(r, (enum ct_role)i);
	}
	for (int i = 0; i < CT_PARTY_STATUS_COUNT; i++) {
		cr_assert_str_eq(ct_party_status_name((enum ct_party_status)i), statuses[i]);
		cr_assert(ct_party_status_parse(statuses[i], &s));
		cr_assert_eq(s, (enum ct_party_status)i);
	}
	cr_assert_not(ct_role_parse("Vendor", &r));
	cr_assert_not(ct_role_parse("", &r));
	cr_assert_not(ct_role_parse(NULL, &r));
	cr_assert_not(ct_party_status_parse("active", &s));
}

Test(party, license_statuses)
{
	static const char *names[] = { "pending", "approved", "denied", "suspended", "revoked",
				       "expired" };
	enum ct_license_status s;

	for (int i = 0; i < CT_LIC_STATUS_COUNT; i++) {
		cr_assert_str_eq(ct_license_status_name((enum ct_license_status)i), names[i]);
		cr_assert(ct_license_status_parse(names[i], &s));
		cr_assert_eq(s, (enum ct_license_status)i);
	}
	cr_assert_not(ct_license_status_parse("active", &s));
	cr_assert_not(ct_license_status_parse(NULL, &s));
}

Test(party, end_uses_parse)
{
	char bad[CT_ID_MAX];
	unsigned u = 0;

	cr_assert(ct_end_uses_parse("training,inference", &u, bad));
	cr_assert_eq(u, (unsigned)(CT_USE_TRAINING | CT_USE_INFERENCE));
	cr_assert(ct_end_uses_parse("military", &u, bad));
	cr_assert_eq(u, (unsigned)CT_USE_MILITARY);
	cr_assert(ct_end_uses_parse("cloud,research,cloud", &u, bad));
	cr_assert_eq(u, (unsigned)(CT_USE_CLOUD | CT_USE_RESEARCH));
	cr_assert(ct_end_uses_parse("training,inference,research,cloud,military", &u, bad));
	cr_assert_eq(u, (unsigned)CT_USE_ALL);

	cr_assert_not(ct_end_uses_parse("training,weapons", &u, bad));
	cr_assert_str_eq(bad, "weapons");
	cr_assert_not(ct_end_uses_parse("training, cloud", &u, bad));
	cr_assert_str_eq(bad, " cloud");
	cr_assert_not(ct_end_uses_parse("training,,cloud", &u, bad));
	cr_assert_str_eq(bad, "");
	cr_assert_not(ct_end_uses_parse("training,", &u, bad));
	cr_assert_not(ct_end_uses_parse("", &u, bad));
	cr_assert_not(ct_end_uses_parse("Training", &u, bad));
	cr_assert_str_eq(bad, "Training");

	char longitem[200];

	memset(longitem, 'x', sizeof(longitem) - 1);
	longitem[sizeof(longitem) - 1] = '\0';
	cr_assert_not(ct_end_uses_parse(longitem, &u, bad));
	cr_assert_eq(strlen(bad), CT_ID_MAX - 1);
}

Test(party, end_uses_format)
{
	char buf[64];
	unsigned u;
	char bad[CT_ID_MAX];

	ct_end_uses_format(CT_USE_MILITARY | CT_USE_TRAINING, buf);
	cr_assert_str_eq(buf, "training,military");
	ct_end_uses_format(0, buf);
	cr_assert_str_eq(buf, "");
	ct_end_uses_format(CT_USE_ALL, buf);
	cr_assert_str_eq(buf, "training,inference,research,cloud,military");
	for (unsigned bits = 1; bits <= CT_USE_ALL; bits++) {
		ct_end_uses_format(bits, buf);
		cr_assert(ct_end_uses_parse(buf, &u, bad));
		cr_assert_eq(u, bits);
	}
}

Test(party, country_codes)
{
	cr_assert(ct_country_valid("CN"));
	cr_assert(ct_country_valid("US"));
	cr_assert_not(ct_country_valid("cn"));
	cr_assert_not(ct_country_valid("C"));
	cr_assert_not(ct_country_valid("CHN"));
	cr_assert_not(ct_country_valid(""));
	cr_assert_not(ct_country_valid("C1"));
	cr_assert_not(ct_country_valid(NULL));
}
