/* Every limit on input read from outside chiptoll, in one place.
 * A value past a limit is refused with a message that names the limit. */
#ifndef CHIPTOLL_LIMITS_H
#define CHIPTOLL_LIMITS_H

#define CT_ID_MAX            64      /* party, program, model, batch ids (bytes) */
#define CT_NAME_MAX          256     /* legal names, product names (bytes) */
#define CT_TEXT_MAX          1024    /* reasons, references, free text (bytes) */
#define CT_SERIAL_MAX        64      /* one chip serial number (bytes) */
#define CT_KEY_MAX           128     /* idempotency key (bytes) */
#define CT_LINE_MAX          (4u << 20) /* one JSON Lines record (bytes) */
#define CT_POLICY_FILE_MAX   (1u << 20) /* a policy document (bytes) */
#define CT_CSV_LINE_MAX      4096    /* one line of a product catalog CSV */
#define CT_JSON_DEPTH_MAX    16      /* nesting accepted in any JSON input */

#define CT_UNITS_MAX         1000000          /* units in one shipment or license */
#define CT_SERIALS_MAX       CT_UNITS_MAX     /* serials per shipment */
#define CT_USD_MAX_CENTS     100000000000LL   /* 1,000,000,000.00 USD per amount */
#define CT_RATE_MAX          1000000.0        /* dense TFLOPS/TOPS, GB/s, GB, mm2 */

#define CT_PROGRAMS_MAX      32      /* programs in one policy version */
#define CT_COUNTRIES_MAX     64      /* countries in one country list */
#define CT_NAMED_PRODUCTS_MAX 64     /* named products in one program */
#define CT_REASONS_MAX       16      /* reasons reported for one decision */
#define CT_LIST_LIMIT_MAX    100000  /* rows one list command returns */

/* Restricted-party list files (OFAC SDN, CSL, BIS DPL). The largest real
 * record is 3.7 KB (an Entity List row); a record may span lines inside
 * quotes, so the limit is on the record. */
#define CT_LIST_FILE_MAX     (64u << 20) /* one list file (bytes) */
#define CT_LIST_RECORD_MAX   16384   /* one CSV/TSV record, all its lines (bytes) */
#define CT_LIST_FIELDS_MAX   64      /* columns in one record */
#define CT_LIST_ENTRIES_MAX  200000  /* entries in one list version */
#define CT_LIST_NAMES_MAX    256     /* names and aliases of one entry */
#define CT_LIST_SOURCE_MAX   64      /* a list source name (bytes) */

#endif
