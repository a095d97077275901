/* Operating errors (enum ct_rc) and rule rejections (enum ct_reason).
 *
 * ct_reason is append-only: the numbers are stable and appear in CLI exit
 * messages, the audit trail and API bodies. Never renumber or reuse. */
#ifndef CHIPTOLL_RC_H
#define CHIPTOLL_RC_H

enum ct_rc {
	CT_OK = 0,
	CT_REJECTED,   /* a rule said no; a ct_reason says which */
	CT_EINVAL,     /* bad usage or input */
	CT_ENOTFOUND,
	CT_ECONFLICT,  /* already exists, wrong state, idempotency key reused */
	CT_EIO,        /* storage failure */
	CT_ENOMEM,
};

/* Name for messages ("bad_input", ...). Never NULL. */
const char *ct_rc_name(enum ct_rc rc);
/* CLI exit code of an rc: 0 ok, 1 rejected, 2 bad input, 3 not found,
 * 4 conflict, 5 storage or internal failure. */
int ct_rc_exit_code(enum ct_rc rc);

enum ct_reason {
	CT_REASON_NONE = 0,
	/* license application */
	CT_REASON_PRODUCT_NOT_ELIGIBLE = 1,
	CT_REASON_PRODUCT_NOT_AVAILABLE_IN_US = 2,
	CT_REASON_DESTINATION_NOT_COVERED = 3,
	CT_REASON_ROUTE_NOT_PERMITTED = 4,
	CT_REASON_CUSTOMER_NOT_APPROVED = 5,
	CT_REASON_CUSTOMER_HQ_RESTRICTED = 6,
	CT_REASON_END_USE_PROHIBITED = 7,
	CT_REASON_VENDOR_NOT_APPROVED = 8,
	/* shipment booking */
	CT_REASON_LICENSE_NOT_FOUND = 20,
	CT_REASON_LICENSE_NOT_ACTIVE = 21,
	CT_REASON_LICENSE_SUSPENDED = 22,
	CT_REASON_LICENSE_REVOKED = 23,
	CT_REASON_LICENSE_EXPIRED = 24,
	CT_REASON_SUSPENDED = 25,
	CT_REASON_LICENSE_UNITS_EXCEEDED = 26,
	CT_REASON_LAB_CERTIFICATE_MISSING = 27,
	CT_REASON_VOLUME_CAP_EXCEEDED = 28,
	CT_REASON_SERIAL_COUNT_MISMATCH = 29,
	CT_REASON_SERIAL_ALREADY_SHIPPED = 30,
	CT_REASON_IDEMPOTENCY_CONFLICT = 31,
	/* ledger */
	CT_REASON_REMITTANCE_EXCEEDS_OUTSTANDING = 40,
	CT_REASON_MAX_
};

/* snake_case name ("volume_cap_exceeded"); NULL for a number never assigned. */
const char *ct_reason_name(enum ct_reason r);
/* A sentence for a person: what the rule is and what to do. Never NULL. */
const char *ct_reason_text(enum ct_reason r);
/* Inverse of ct_reason_name; CT_REASON_NONE when unknown. */
enum ct_reason ct_reason_from_name(const char *name);

#endif
