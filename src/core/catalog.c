/* The product catalog CSV (data/products.csv): RFC 4180 text to products.
 *
 * The CSV reader is written by hand rather than taken from a library: the
 * subset needed (quoted fields, doubled quotes, CRLF or LF) is small, and
 * every refusal must carry the line number and the column, which generic
 * readers (libcsv) do not report in a form a person can act on. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiptoll/catalog.h"
#include "chiptoll/date.h"
#include "chiptoll/limits.h"
#include "chiptoll/product.h"
#include "chiptoll/rc.h"

#include "ascii.h"

/* More fields than any valid header can have: 18 columns, and an unknown
 * extra column is refused by name long before this matters. */
#define CSV_FIELDS_MAX 64

/* How much of a bad cell is echoed in a message. */
#define ECHO_MAX 48

enum col_kind { COL_TEXT, COL_RATE, COL_FIGURE, COL_YESNO, COL_DATE };

struct column {
	const char *name;
	enum col_kind kind;
	size_t off;        /* COL_TEXT: char array; COL_FIGURE: double */
	size_t size;       /* COL_TEXT: the array's size */
	const char *limit; /* COL_TEXT: the limit's name, for the message */
	int prec;          /* COL_RATE */
	const char *unit;  /* COL_RATE, COL_FIGURE: what a number means */
};

#define TEXT(n, m, l) { n, COL_TEXT, offsetof(struct ct_product, m), \
			sizeof(((struct ct_product *)0)->m), l, 0, NULL }
#define RATE(n, p, u) { n, COL_RATE, 0, 0, NULL, p, u }
#define FIGURE(n, m, u) { n, COL_FIGURE, offsetof(struct ct_product, m), 0, NULL, 0, u }

/* The header in its documented order; a file may order columns freely. */
static const struct column columns[] = {
	TEXT("vendor", vendor, "CT_ID_MAX"),
	TEXT("model", model, "CT_ID_MAX"),
	TEXT("name", name, "CT_NAME_MAX"),
	RATE("fp64", CT_FP64, "dense TFLOPS"),
	RATE("fp32", CT_FP32, "dense TFLOPS"),
	RATE("tf32", CT_TF32, "dense TFLOPS"),
	RATE("fp16", CT_FP16, "dense TFLOPS"),
	RATE("bf16", CT_BF16, "dense TFLOPS"),
	RATE("fp8", CT_FP8, "dense TFLOPS"),
	RATE("int8", CT_INT8, "dense TOPS"),
	RATE("fp6", CT_FP6, "dense TFLOPS"),
	RATE("fp4", CT_FP4, "dense TFLOPS"),
	FIGURE("bw_gbs", bw_gbs, "GB/s"),
	FIGURE("mem_gb", mem_gb, "GB"),
	FIGURE("die_mm2", die_mm2, "mm2"),
	{ "datacenter", COL_YESNO, 0, 0, NULL, 0, NULL },
	{ "us_available", COL_DATE, 0, 0, NULL, 0, NULL },
	TEXT("source", source, "CT_TEXT_MAX"),
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* Formats into err, tolerating a NULL or empty buffer so callers that only
 * want the rc need not supply one. Always returns CT_EINVAL for brevity at
 * call sites. */
__attribute__((format(printf, 3, 4)))
static enum ct_rc fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return CT_EINVAL;
}

/* A bad cell may be a whole 4 KB line; echo only its start. */
static int echo_len(const char *s)
{
	size_t n = strlen(s);

	return n > ECHO_MAX ? ECHO_MAX : (int)n;
}

static const char *echo_more(const char *s)
{
	return strlen(s) > ECHO_MAX ? "..." : "";
}

/* ---- RFC 4180 records ---- */

struct csv {
	const char *p, *end;
	unsigned long line; /* physical line of p, 1-based */
};

struct record {
	unsigned long line; /* where the record starts */
	int nfields;
	size_t off[CSV_FIELDS_MAX];
	/* Decoded fields, each NUL-terminated. Decoding drops separators and
	 * quotes, so fields plus terminators never exceed the raw length + 1. */
	char buf[CT_CSV_LINE_MAX + 1];
};

static const char *field(const struct record *r, int i)
{
	return r->buf + r->off[i];
}

/* Reads one record into r. Returns 1 for a record, 0 at the end of the
 * text, or CT_EINVAL's negation (-1) with err set. Blank lines are skipped:
 * they carry no product and hand-edited files often end with a few. */
static int csv_read(struct csv *c, struct record *r, char *err, size_t errlen)
{
	const char *start;
	size_t out = 0;

	while (c->p < c->end) {
		if (*c->p == '\n') {
			c->p++;
		} else if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
			c->p += 2;
		} else {
			break;
		}
		c->line++;
	}
	if (c->p == c->end)
		return 0;

	r->line = c->line;
	r->nfields = 0;
	start = c->p;

	/* Content bytes count against the limit; the terminator does not. */
#define OVER(q) ((size_t)((q) - start) >= CT_CSV_LINE_MAX)
#define TOO_LONG() do { \
		fail(err, errlen, "line %lu: longer than %u bytes (CT_CSV_LINE_MAX)", \
		     r->line, (unsigned)CT_CSV_LINE_MAX); \
		return -1; \
	} while (0)

	for (;;) {
		if (r->nfields == CSV_FIELDS_MAX) {
			fail(err, errlen, "line %lu: more than %d fields", r->line, CSV_FIELDS_MAX);
			return -1;
		}
		r->off[r->nfields++] = out;

		if (c->p < c->end && *c->p == '"') {
			unsigned long qline = c->line;

			if (OVER(c->p))
				TOO_LONG();
			c->p++;
			for (;;) {
				if (c->p == c->end) {
					fail(err, errlen, "line %lu: unterminated quoted field (opened on line %lu)",
					     r->line, qline);
					return -1;
				}
				if (OVER(c->p))
					TOO_LONG();
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						if (OVER(c->p + 1))
							TOO_LONG();
						r->buf[out++] = '"';
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\0') {
					fail(err, errlen, "line %lu: NUL byte in the text", c->line);
					return -1;
				}
				/* A quoted newline is data; count it so later
				 * messages still name the right physical line. */
				if (*c->p == '\n')
					c->line++;
				r->buf[out++] = *c->p++;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				fail(err, errlen, "line %lu: '%c' after a closing quote (a quote inside a quoted field is written \"\")",
				     c->line, *c->p);
				return -1;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				if (OVER(c->p))
					TOO_LONG();
				/* RFC 4180 allows quotes only around a whole
				 * field; a stray one is usually a broken edit. */
				if (*c->p == '"') {
					fail(err, errlen, "line %lu: quote inside an unquoted field (quote the whole field)",
					     c->line);
					return -1;
				}
				if (*c->p == '\0') {
					fail(err, errlen, "line %lu: NUL byte in the text", c->line);
					return -1;
				}
				r->buf[out++] = *c->p++;
			}
		}
		r->buf[out++] = '\0';

		if (c->p == c->end)
			return 1; /* the final newline is optional */
		if (*c->p == ',') {
			if (OVER(c->p))
				TOO_LONG();
			c->p++;
			continue;
		}
		if (*c->p == '\n') {
			c->p++;
			c->line++;
			return 1;
		}
		/* *c->p == '\r' */
		if (c->p + 1 < c->end && c->p[1] == '\n') {
			c->p += 2;
			c->line++;
			return 1;
		}
		fail(err, errlen, "line %lu: carriage return not followed by a line feed", c->line);
		return -1;
	}
#undef TOO_LONG
#undef OVER
}

/* ---- cells ---- */

enum num_rc { NUM_OK, NUM_NOT_NUMBER, NUM_NOT_POSITIVE, NUM_TOO_BIG };

/* Strict: the whole cell is a finite decimal number in (0, CT_RATE_MAX].
 * strtod alone would also take leading spaces, hex, "nan" and "inf", none
 * of which belong in a catalog; the character filter keeps them out.
 * chiptoll never sets LC_NUMERIC, so '.' is the decimal point; under a
 * locale that says otherwise the cell is refused, never misread. */
static enum num_rc parse_number(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s)
		return NUM_NOT_NUMBER;
	for (const char *q = s; *q; q++) {
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
		      *q == '+' || *q == '-'))
			return NUM_NOT_NUMBER;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end)
		return NUM_NOT_NUMBER;
	/* Overflow is too big; underflow (1e-400) is as good as zero. */
	if (errno == ERANGE)
		return v > 1.0 ? NUM_TOO_BIG : NUM_NOT_POSITIVE;
	if (!isfinite(v))
		return NUM_NOT_NUMBER;
	if (!(v > 0.0))
		return NUM_NOT_POSITIVE;
	if (v > CT_RATE_MAX)
		return NUM_TOO_BIG;
	*out = v;
	return NUM_OK;
}

static enum ct_rc set_cell(struct ct_product *p, const struct column *col, const char *cell,
			   unsigned long line, char *err, size_t errlen)
{
	double v = NAN;
	size_t n;

	switch (col->kind) {
	case COL_TEXT:
		n = strlen(cell);
		if (n >= col->size)
			return fail(err, errlen, "line %lu: column %s: %zu bytes, longer than the limit of %zu (%s)",
				    line, col->name, n, col->size - 1, col->limit);
		memcpy((char *)p + col->off, cell, n + 1);
		return CT_OK;

	case COL_RATE:
	case COL_FIGURE:
		/* Empty means unknown (or not supported): NAN, never 0. */
		if (*cell) {
			switch (parse_number(cell, &v)) {
			case NUM_OK:
				break;
			case NUM_NOT_NUMBER:
				return fail(err, errlen, "line %lu: column %s: '%.*s%s' is not a number (%s expected)",
					    line, col->name, echo_len(cell), cell, echo_more(cell), col->unit);
			case NUM_NOT_POSITIVE:
				return fail(err, errlen,
					    "line %lu: column %s: '%.*s%s' must be greater than 0 (%s expected; leave the cell empty when unknown)",
					    line, col->name, echo_len(cell), cell, echo_more(cell), col->unit);
			case NUM_TOO_BIG:
				return fail(err, errlen, "line %lu: column %s: '%.*s%s' is above the limit of %.0f %s (CT_RATE_MAX)",
					    line, col->name, echo_len(cell), cell, echo_more(cell),
					    CT_RATE_MAX, col->unit);
			}
		}
		if (col->kind == COL_RATE)
			p->rate[col->prec] = v;
		else
			*(double *)((char *)p + col->off) = v;
		return CT_OK;

	case COL_YESNO:
		/* Exact words: "Y", "1" or "true" would be guesses about intent. */
		if (!strcmp(cell, "yes")) {
			p->datacenter = 1;
		} else if (!strcmp(cell, "no")) {
			p->datacenter = 0;
		} else {
			return fail(err, errlen, "line %lu: column %s: '%.*s%s' is not yes or no",
				    line, col->name, echo_len(cell), cell, echo_more(cell));
		}
		return CT_OK;

	case COL_DATE:
		if (!*cell) {
			p->us_available = CT_DATE_NONE;
			return CT_OK;
		}
		if (!ct_date_parse(cell, &p->us_available))
			return fail(err, errlen, "line %lu: column %s: '%.*s%s' is not a date (YYYY-MM-DD expected, or empty)",
				    line, col->name, echo_len(cell), cell, echo_more(cell));
		return CT_OK;
	}
	return fail(err, errlen, "line %lu: column %s: internal error", line, col->name);
}

/* ---- duplicate models ---- */

/* Models compare ignoring ASCII case: "h200" and "H200" would be the same
 * product to a person typing it. Open addressing keeps a large (or
 * hostile) file linear rather than quadratic. */
struct seen_slot {
	unsigned long line; /* 0: empty slot */
	char model[CT_ID_MAX];
};

struct seen {
	struct seen_slot *slots;
	size_t cap, count; /* cap is a power of two */
};

static uint64_t model_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)ct_ascii_lower((unsigned char)*s);
		h *= 1099511628211ull;
	}
	return h;
}

static struct seen_slot *seen_find(struct seen *t, const char *model)
{
	size_t i = (size_t)model_hash(model) & (t->cap - 1);

	while (t->slots[i].line && ct_ascii_casecmp(t->slots[i].model, model))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static bool seen_grow(struct seen *t)
{
	struct seen old = *t;
	size_t cap = old.cap ? old.cap * 2 : 64;

	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		*t = old;
		return false;
	}
	t->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].line)
			*seen_find(t, old.slots[i].model) = old.slots[i];
	}
	free(old.slots);
	return true;
}

/* ---- the catalog ---- */

enum text_kind {
	TEXT_ID,    /* one word: no spaces, no control characters */
	TEXT_LINE,  /* one line: no control characters */
	TEXT_FREE,  /* free text: tabs and newlines allowed */
};

static bool has_control(const char *s, enum text_kind kind)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (kind == TEXT_FREE && (c == '\t' || c == '\n'))
			continue;
		if (c < 0x20 || c == 0x7f || (kind == TEXT_ID && c == ' '))
			return true;
	}
	return false;
}

static enum ct_rc check_text(const char *v, size_t size, const char *name, const char *limit,
			     bool required, enum text_kind kind, char *err, size_t errlen)
{
	/* The struct may come from a front end, not from this parser: do not
	 * trust it to be terminated. */
	if (!memchr(v, '\0', size))
		return fail(err, errlen, "%s: longer than the limit of %zu bytes (%s)", name, size - 1, limit);
	if (required && !*v)
		return fail(err, errlen, "%s: empty; it is required", name);
	/* Control characters break tables, logs and the audit payload; a
	 * space in an id breaks the command line that names it. */
	if (has_control(v, kind))
		return fail(err, errlen, "%s: '%.*s%s' contains %s", name, echo_len(v), v, echo_more(v),
			    kind == TEXT_ID ? "a space or control character (ids are one word: H200, MI308X)"
					    : "a control character");
	return CT_OK;
}

static enum ct_rc check_figure(double v, const char *name, char *err, size_t errlen)
{
	if (isnan(v))
		return CT_OK;
	if (!isfinite(v) || !(v > 0.0) || v > CT_RATE_MAX)
		return fail(err, errlen, "%s: %g is out of range: give a number > 0 and <= %.0f (CT_RATE_MAX), or leave it unknown",
			    name, v, CT_RATE_MAX);
	return CT_OK;
}

enum ct_rc ct_product_validate(const struct ct_product *p, char *err, size_t errlen)
{
	enum ct_rc rc;

	/* Vendors are names with spaces ("Moore Threads"); models are typed. */
	if ((rc = check_text(p->vendor, sizeof(p->vendor), "vendor", "CT_ID_MAX", true, TEXT_LINE, err, errlen)) ||
	    (rc = check_text(p->model, sizeof(p->model), "model", "CT_ID_MAX", true, TEXT_ID, err, errlen)) ||
	    (rc = check_text(p->name, sizeof(p->name), "name", "CT_NAME_MAX", false, TEXT_LINE, err, errlen)) ||
	    (rc = check_text(p->source, sizeof(p->source), "source", "CT_TEXT_MAX", false, TEXT_FREE, err, errlen)))
		return rc;
	for (int i = 0; i < CT_PREC_COUNT; i++) {
		if ((rc = check_figure(p->rate[i], ct_precision_name((enum ct_precision)i), err, errlen)))
			return rc;
	}
	if ((rc = check_figure(p->bw_gbs, "bw_gbs", err, errlen)) ||
	    (rc = check_figure(p->mem_gb, "mem_gb", err, errlen)) ||
	    (rc = check_figure(p->die_mm2, "die_mm2", err, errlen)))
		return rc;
	if (p->datacenter != 0 && p->datacenter != 1)
		return fail(err, errlen, "datacenter: %d is neither 1 (yes) nor 0 (no)", p->datacenter);
	if (p->us_available != CT_DATE_NONE &&
	    (p->us_available < ct_date_from_ymd(1900, 1, 1) ||
	     p->us_available > ct_date_from_ymd(9999, 12, 31)))
		return fail(err, errlen, "us_available: date outside 1900-01-01..9999-12-31");
	return CT_OK;
}

/* Maps header fields to columns: colmap[field] = column index. */
static enum ct_rc read_header(const struct record *r, int colmap[CSV_FIELDS_MAX],
			      char *err, size_t errlen)
{
	int where[NCOLUMNS];

	for (size_t c = 0; c < NCOLUMNS; c++)
		where[c] = -1;
	for (int i = 0; i < r->nfields; i++) {
		const char *name = field(r, i);
		size_t c;

		for (c = 0; c < NCOLUMNS; c++) {
			if (!strcmp(name, columns[c].name))
				break;
		}
		if (c == NCOLUMNS)
			return fail(err, errlen,
				    "line %lu: unknown column '%.*s%s' (the columns are vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,bw_gbs,mem_gb,die_mm2,datacenter,us_available,source)",
				    r->line, echo_len(name), name, echo_more(name));
		if (where[c] >= 0)
			return fail(err, errlen, "line %lu: column %s appears twice (fields %d and %d)",
				    r->line, columns[c].name, where[c] + 1, i + 1);
		where[c] = i;
		colmap[i] = (int)c;
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		if (where[c] < 0)
			return fail(err, errlen, "line %lu: missing column %s (every column is required; leave cells empty when unknown)",
				    r->line, columns[c].name);
	}
	return CT_OK;
}

enum ct_rc ct_catalog_parse(const char *text, size_t len, ct_catalog_row_fn fn, void *arg,
			    char *err, size_t errlen)
{
	struct csv c;
	struct record *r = NULL;
	struct seen seen = { 0 };
	struct ct_product p;
	int colmap[CSV_FIELDS_MAX];
	size_t rows = 0;
	enum ct_rc rc = CT_OK;
	int got, ncols;

	if (err && errlen)
		err[0] = '\0';
	if (!text && len)
		return fail(err, errlen, "no text to parse");

	c.p = text;
	c.end = text + len;
	c.line = 1;
	/* Spreadsheets save CSV with a UTF-8 byte order mark. */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		c.p += 3;

	/* 4 KB of record is too much stack for a library that may run on
	 * small server threads. */
	r = malloc(sizeof(*r));
	if (!r) {
		rc = CT_ENOMEM;
		fail(err, errlen, "out of memory");
		goto done;
	}

	got = csv_read(&c, r, err, errlen);
	if (got < 0) {
		rc = CT_EINVAL;
		goto done;
	}
	if (got == 0) {
		rc = fail(err, errlen, "no products: the catalog is empty (a header line and at least one product expected)");
		goto done;
	}
	if ((rc = read_header(r, colmap, err, errlen)))
		goto done;
	ncols = r->nfields;

	while ((got = csv_read(&c, r, err, errlen)) > 0) {
		struct seen_slot *slot;

		if (r->nfields != ncols) {
			rc = fail(err, errlen, "line %lu: %d fields, but the header has %d",
				  r->line, r->nfields, ncols);
			goto done;
		}
		ct_product_init(&p);
		for (int i = 0; i < ncols; i++) {
			if ((rc = set_cell(&p, &columns[colmap[i]], field(r, i), r->line, err, errlen)))
				goto done;
		}
		if ((rc = ct_product_validate(&p, err, errlen))) {
			/* Prefix the line; the message names the column. */
			char msg[256];

			snprintf(msg, sizeof(msg), "%s", err && errlen ? err : "");
			fail(err, errlen, "line %lu: column %s", r->line, msg);
			goto done;
		}

		if (seen.count * 2 >= seen.cap && !seen_grow(&seen)) {
			rc = CT_ENOMEM;
			fail(err, errlen, "line %lu: out of memory", r->line);
			goto done;
		}
		slot = seen_find(&seen, p.model);
		if (slot->line) {
			rc = fail(err, errlen, "line %lu: model %s appears twice (first on line %lu)",
				  r->line, p.model, slot->line);
			goto done;
		}
		slot->line = r->line;
		memcpy(slot->model, p.model, sizeof(slot->model));
		seen.count++;
		rows++;

		if (fn && (rc = fn(&p, arg)) != CT_OK) {
			/* Keep a message the callback may have written
			 * through arg into the same buffer. */
			if (err && errlen && !err[0])
				snprintf(err, errlen, "line %lu: product %s refused (%s)",
					 r->line, p.model, ct_rc_name(rc));
			goto done;
		}
	}
	if (got < 0) {
		rc = CT_EINVAL;
		goto done;
	}
	if (rows == 0)
		rc = fail(err, errlen, "no products: the catalog has a header but no product lines");

done:
	free(seen.slots);
	free(r);
	return rc;
}
