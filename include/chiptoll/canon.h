/* A writer of canonical JSON text: compact, keys in strcmp order, ASCII
 * only (\uXXXX escapes, upper-case hex), exactly what jansson prints with
 * JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII. The booking path uses
 * it to write audit payloads without building and freeing a jansson tree
 * per shipment; tests hold it byte-identical to jansson's output.
 *
 * The caller writes keys in ascending strcmp order; the writer asserts it. */
#ifndef CHIPTOLL_CANON_H
#define CHIPTOLL_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CT_CANON_DEPTH 16

struct ct_canon {
	char *buf;          /* NUL-terminated text; owned: ct_canon_free */
	size_t len, cap;
	bool oom;           /* an allocation failed: the text is incomplete */
	int depth;
	bool after_key;     /* a key was written; its value comes next */
	bool need_comma[CT_CANON_DEPTH];
	const char *last_key[CT_CANON_DEPTH];
};

void ct_canon_init(struct ct_canon *w);
void ct_canon_free(struct ct_canon *w);
void ct_canon_obj_begin(struct ct_canon *w);
void ct_canon_obj_end(struct ct_canon *w);
void ct_canon_arr_begin(struct ct_canon *w);
void ct_canon_arr_end(struct ct_canon *w);
/* The key must outlive the object being written (string literals do). */
void ct_canon_key(struct ct_canon *w, const char *key);
/* s must be valid UTF-8. */
void ct_canon_str(struct ct_canon *w, const char *s);
void ct_canon_int(struct ct_canon *w, int64_t v);
void ct_canon_bool(struct ct_canon *w, bool v);
void ct_canon_null(struct ct_canon *w);
/* Appends already-canonical JSON text as one value. */
void ct_canon_raw(struct ct_canon *w, const char *text, size_t len);

#endif
