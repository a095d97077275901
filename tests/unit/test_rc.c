/* Reason codes are a public contract: names, numbers and exit codes. */
#include <string.h>

#include <criterion/criterion.h>

#include "chiptoll/rc.h"

static const struct {
	enum ct_reason r;
	const char *name;
} all_reasons[] = {
	{ CT_REASON_PRODUCT_NOT_ELIGIBLE, "product_not_eligible" },
	{ CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US, "product_not_available_in_us" },
	{ CT_REASON_DESTINATION_NOT_COVERED, "destination_not_covered" },
	{ CT_REASON_ROUTE_NOT_PERMITTED, "route_not_permitted" },
	{ CT_REASON_CUSTOMER_NOT_APPROVED, "customer_not_approved" },
	{ CT_REASON_CUSTOMER_HQ_RESTRICTED, "customer_hq_restricted" },
	{ CT_REASON_END_USE_PROHIBITED, "end_use_prohibited" },
	{ CT_REASON_VENDOR_NOT_APPROVED, "vendor_not_approved" },
	{ CT_REASON_LICENSE_NOT_FOUND, "license_not_found" },
	{ CT_REASON_LICENSE_NOT_ACTIVE, "license_not_active" },
	{ CT_REASON_LICENSE_SUSPENDED, "license_suspended" },
	{ CT_REASON_LICENSE_REVOKED, "license_revoked" },
	{ CT_REASON_LICENSE_EXPIRED, "license_expired" },
	{ CT_REASON_SUSPENDED, "suspended" },
	{ CT_REASON_LICENSE_UNITS_EXCEEDED, "license_units_exceeded" },
	{ CT_REASON_LAB_CERTIFICATE_MISSING, "lab_certificate_missing" },
	{ CT_REASON_VOLUME_CAP_EXCEEDED, "volume_cap_exceeded" },
	{ CT_REASON_SERIAL_COUNT_MISMATCH, "serial_count_mismatch" },
	{ CT_REASON_SERIAL_ALREADY_SHIPPED, "serial_already_shipped" },
	{ CT_REASON_IDEMPOTENCY_CONFLICT, "idempotency_conflict" },
	{ CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING, "remittance_exceeds_outstanding" },
};
#define N_REASONS (sizeof(all_reasons) / sizeof(all_reasons[0]))

Test(rc, exit_codes)
{
	cr_assert_eq(ct_rc_exit_code(CT_OK), 0);
	cr_assert_eq(ct_rc_exit_code(CT_REJECTED), 1);
	cr_assert_eq(ct_rc_exit_code(CT_EINVAL), 2);
	cr_assert_eq(ct_rc_exit_code(CT_ENOTFOUND), 3);
	cr_assert_eq(ct_rc_exit_code(CT_ECONFLICT), 4);
	cr_assert_eq(ct_rc_exit_code(CT_EIO), 5);
	cr_assert_eq(ct_rc_exit_code(CT_ENOMEM), 5);
}

Test(rc, names_never_null_and_distinct)
{
	for (int a = CT_OK; a <= CT_ENOMEM; a++) {
		cr_assert_not_null(ct_rc_name((enum ct_rc)a));
		for (int b = a + 1; b <= CT_ENOMEM; b++)
			cr_assert_str_neq(ct_rc_name((enum ct_rc)a), ct_rc_name((enum ct_rc)b));
	}
	cr_assert_str_eq(ct_rc_name(CT_EINVAL), "bad_input");
	cr_assert_not_null(ct_rc_name((enum ct_rc)99));
}

Test(rc, stable_numbers)
{
	/* Renumbering would break stored audit records and API clients. */
	cr_assert_eq(CT_REASON_PRODUCT_NOT_ELIGIBLE, 1);
	cr_assert_eq(CT_REASON_VENDOR_NOT_APPROVED, 8);
	cr_assert_eq(CT_REASON_LICENSE_NOT_FOUND, 20);
	cr_assert_eq(CT_REASON_IDEMPOTENCY_CONFLICT, 31);
	cr_assert_eq(CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING, 40);
}

Test(rc, reason_names_round_trip)
{
	for (size_t i = 0; i < N_REASONS; i++) {
		cr_assert_str_eq(ct_reason_name(all_reasons[i].r), all_reasons[i].name);
		cr_assert_eq(ct_reason_from_name(all_reasons[i].name), all_reasons[i].r);
	}
}

Test(rc, reason_texts_are_sentences)
{
	for (size_t i = 0; i < N_REASONS; i++) {
		const char *t = ct_reason_text(all_reasons[i].r);
		size_t n = strlen(t);

		cr_assert_gt(n, 20, "%s", all_reasons[i].name);
		cr_assert(t[0] >= 'A' && t[0] <= 'Z', "%s", all_reasons[i].name);
		cr_assert_eq(t[n - 1], '.', "%s", all_reasons[i].name);
	}
	cr_assert_str_eq(ct_reason_text(CT_REASON_LAB_CERTIFICATE_MISSING),
			 "No lab certificate covers this product and batch with enough units: "
			 "have a qualified US lab file one before export.");
}

Test(rc, unassigned_numbers)
{
	int assigned = 0;

	for (int r = 0; r < CT_REASON_MAX_ + 5; r++) {
		if (ct_reason_name((enum ct_reason)r))
			assigned++;
		cr_assert_not_null(ct_reason_text((enum ct_reason)r));
	}
	cr_assert_eq(assigned, (int)N_REASONS);
	cr_assert_null(ct_reason_name(CT_REASON_NONE));
	cr_assert_null(ct_reason_name((enum ct_reason)9));
	cr_assert_null(ct_reason_name((enum ct_reason)35));
	cr_assert_null(ct_reason_name(CT_REASON_MAX_));
	cr_assert_eq(ct_reason_from_name("no_such_reason"), CT_REASON_NONE);
	cr_assert_eq(ct_reason_from_name(""), CT_REASON_NONE);
	cr_assert_eq(ct_reason_from_name(NULL), CT_REASON_NONE);
	cr_assert_eq(ct_reason_from_name("Suspended"), CT_REASON_NONE);
}
