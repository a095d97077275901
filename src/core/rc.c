/* Names, exit codes and sentences for operating errors and rule reasons.
 *
 * The reason table is indexed by the stable enum number so that a gap in
 * the numbering (9..19, 32..39) simply has no entry. */
#include <stddef.h>
#include <string.h>

#include "chiptoll/rc.h"

const char *ct_rc_name(enum ct_rc rc)
{
	switch (rc) {
	case CT_OK:		return "ok";
	case CT_REJECTED:	return "rejected";
	case CT_EINVAL:		return "bad_input";
	case CT_ENOTFOUND:	return "not_found";
	case CT_ECONFLICT:	return "conflict";
	case CT_EIO:		return "io_error";
	case CT_ENOMEM:		return "no_memory";
	}
	return "unknown_error";
}

int ct_rc_exit_code(enum ct_rc rc)
{
	switch (rc) {
	case CT_OK:		return 0;
	case CT_REJECTED:	return 1;
	case CT_EINVAL:		return 2;
	case CT_ENOTFOUND:	return 3;
	case CT_ECONFLICT:	return 4;
	case CT_EIO:
	case CT_ENOMEM:		return 5;
	}
	/* An rc nobody assigned is a bug somewhere; report it as internal. */
	return 5;
}

struct reason_entry {
	const char *name;
	const char *text;
};

static const struct reason_entry reasons[CT_REASON_MAX_] = {
	[CT_REASON_PRODUCT_NOT_ELIGIBLE] = { "product_not_eligible",
		"No program in force on this date covers this product: check the product's "
		"figures and the policy's named products and technical ceilings." },
	[CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US] = { "product_not_available_in_us",
		"The program requires the product to have been commercially available in the US "
		"by its cut-off date: record the US availability date if it was, otherwise the "
		"product cannot be licensed under this program." },
	[CT_REASON_DESTINATION_NOT_COVERED] = { "destination_not_covered",
		"The customer's country is not a destination of the program: only customers "
		"located in a listed destination can be licensed." },
	[CT_REASON_ROUTE_NOT_PERMITTED] = { "route_not_permitted",
		"The program only covers exports from the country it names: re-exports and "
		"exports from elsewhere need a separate license." },
	[CT_REASON_CUSTOMER_NOT_APPROVED] = { "customer_not_approved",
		"The customer is not approved: a licensing officer must vet and approve it "
		"before a license or shipment." },
	[CT_REASON_CUSTOMER_HQ_RESTRICTED] = { "customer_hq_restricted",
		"The customer or its ultimate parent is headquartered in a restricted country "
		"while located elsewhere: such entities stay under presumption of denial." },
	[CT_REASON_END_USE_PROHIBITED] = { "end_use_prohibited",
		"A requested or declared end use is prohibited by the policy: remove it from "
		"the application and the customer's declaration." },
	[CT_REASON_VENDOR_NOT_APPROVED] = { "vendor_not_approved",
		"The vendor is not approved: a licensing officer must approve it before it can "
		"apply for licenses." },
	[CT_REASON_LICENSE_NOT_FOUND] = { "license_not_found",
		"No license with this id exists for this vendor: check the license id." },
	[CT_REASON_LICENSE_NOT_ACTIVE] = { "license_not_active",
		"The license is pending or was denied: only an approved license can carry "
		"shipments." },
	[CT_REASON_LICENSE_SUSPENDED] = { "license_suspended",
		"The license is suspended: shipments resume only after a licensing officer "
		"lifts the suspension." },
	[CT_REASON_LICENSE_REVOKED] = { "license_revoked",
		"The license was revoked: apply for a new license." },
	[CT_REASON_LICENSE_EXPIRED] = { "license_expired",
		"The shipment date is outside the license's validity window: ship within it "
		"or apply for a new license." },
	[CT_REASON_SUSPENDED] = { "suspended",
		"An active suspension covers this vendor, customer, product or program: "
		"wait until a licensing officer lifts it." },
	[CT_REASON_LICENSE_UNITS_EXCEEDED] = { "license_units_exceeded",
		"This shipment would take the license past its approved quantity: ship fewer "
		"units or apply for a further license." },
	[CT_REASON_LAB_CERTIFICATE_MISSING] = { "lab_certificate_missing",
		"No lab certificate covers this product and batch with enough units: have a "
		"qualified US lab file one before export." },
	[CT_REASON_VOLUME_CAP_EXCEEDED] = { "volume_cap_exceeded",
		"This shipment would take exports of the product past the program's cap on US "
		"domestic volume: report further US domestic shipments or ship fewer units." },
	[CT_REASON_SERIAL_COUNT_MISMATCH] = { "serial_count_mismatch",
		"The number of serial numbers differs from the number of units: give exactly "
		"one serial per unit." },
	[CT_REASON_SERIAL_ALREADY_SHIPPED] = { "serial_already_shipped",
		"A serial number was shipped before or appears twice in this request: correct "
		"the serial list." },
	[CT_REASON_IDEMPOTENCY_CONFLICT] = { "idempotency_conflict",
		"This idempotency key was already used for a different request: use a new key "
		"for a new request, or resend the original request unchanged." },
	[CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING] = { "remittance_exceeds_outstanding",
		"The remittance is larger than the fee outstanding: remit at most the "
		"outstanding balance." },
};

const char *ct_reason_name(enum ct_reason r)
{
	if ((int)r <= CT_REASON_NONE || r >= CT_REASON_MAX_)
		return NULL;
	return reasons[r].name;
}

const char *ct_reason_text(enum ct_reason r)
{
	if (r == CT_REASON_NONE)
		return "No rule rejects this.";
	if ((int)r < 0 || r >= CT_REASON_MAX_ || !reasons[r].text)
		return "Unknown reason: this is a bug in chiptoll, please report it.";
	return reasons[r].text;
}

enum ct_reason ct_reason_from_name(const char *name)
{
	if (!name)
		return CT_REASON_NONE;
	for (int i = 1; i < CT_REASON_MAX_; i++)
		if (reasons[i].name && strcmp(reasons[i].name, name) == 0)
			return (enum ct_reason)i;
	return CT_REASON_NONE;
}
