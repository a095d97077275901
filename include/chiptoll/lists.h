/* Restricted-party list parsers: text in, one callback per entry out.
 *
 * Pure: no files, no clock, no database. The caller reads the files and
 * stores what the callback hands it. Formats:
 *   - OFAC SDN classic CSV: sdn.csv, alt.csv, add.csv; no header; "-0-"
 *     means empty; ent_num joins them (alt: aliases; add: addresses).
 *   - Consolidated Screening List CSV with a header: the full CSL layout
 *     and the subset layout of the BIS Entity List files (source, name,
 *     alt_names, addresses, country, ... and optionally name_zh).
 *     alt_names are separated by ';'.
 *   - BIS Denied Persons List: tab-separated, quoted, with a header.
 * Every field is trimmed of surrounding blanks. A malformed input stops
 * the parse before any callback has seen a later entry, with the file
 * name, line and reason in the error; callers that must change nothing
 * on error keep their writes in a transaction. */
#ifndef CHIPTOLL_LISTS_H
#define CHIPTOLL_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include "chiptoll/rc.h"

enum ct_list_format { CT_LIST_SDN, CT_LIST_CSL, CT_LIST_DPL };

enum ct_name_kind { CT_NAME_PRIMARY, CT_NAME_ALIAS, CT_NAME_ZH };

/* One input file: a name for messages and its bytes (need not end in NUL). */
struct ct_list_text {
	const char *name;
	const char *text;
	size_t len;
};

struct ct_list_name {
	const char *text;
	enum ct_name_kind kind;
	const char *note;           /* SDN alt_type ("aka", "fka", "nka"); "" else */
};

/* Every string is non-NULL ("" when absent) and valid during the callback
 * only. names[0] is the primary name. */
struct ct_list_entry {
	const char *entry_id;       /* SDN ent_num; CSL entity_number or the row number */
	const char *list;           /* "OFAC SDN", the CSL source column, "BIS DPL" */
	const char *program;        /* SDN program, CSL programs */
	const char *type;           /* "individual", "entity", "vessel", ... or "" */
	const char *name;
	const char *country;        /* countries, "; "-separated */
	const char *remarks;
	const char *address;        /* addresses, "; "-separated */
	const struct ct_list_name *names;
	size_t n_names;
	long line;                  /* first line of the record */
};

/* Returns CT_OK to go on; anything else stops the parse and is returned. */
typedef enum ct_rc (*ct_list_entry_fn)(const struct ct_list_entry *e, void *arg);

struct ct_list_error {
	char message[512];          /* "FILE line N: reason" */
};

/* Each returns CT_OK after the last entry, CT_EINVAL for a malformed
 * input (err set), CT_ENOMEM, or what the callback returned. */
enum ct_rc ct_lists_parse_sdn(const struct ct_list_text *sdn, const struct ct_list_text *alt,
			      const struct ct_list_text *add, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err);
enum ct_rc ct_lists_parse_csl(const struct ct_list_text *csl, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err);
enum ct_rc ct_lists_parse_dpl(const struct ct_list_text *dpl, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err);

/* "sdn" | "csl" | "dpl"; false for anything else. */
bool ct_list_format_parse(const char *s, enum ct_list_format *out);
const char *ct_list_format_name(enum ct_list_format f);
const char *ct_name_kind_name(enum ct_name_kind k); /* "primary" | "alias" | "name_zh" */

#endif
