/* Restricted-party list files to entries (see lists.h).
 *
 * The record reader is written by hand like the catalog's: the lists need
 * quoted fields that span lines (the Entity List's addresses), a tab
 * variant (the DPL), OFAC's trailing DOS end-of-file byte, and every
 * refusal must name the file and line, which generic CSV libraries do not
 * report in a form a person can act on. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiptoll/limits.h"
#include "chiptoll/lists.h"

/* ---- errors ---- */

__attribute__((format(printf, 4, 5)))
static enum ct_rc fail(struct ct_list_error *err, const struct ct_list_text *in, long line,
		       const char *fmt, ...)
{
	char reason[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	snprintf(err->message, sizeof err->message, "%s line %ld: %s", in->name, line, reason);
	return CT_EINVAL;
}

static enum ct_rc oom(struct ct_list_error *err)
{
	snprintf(err->message, sizeof err->message, "out of memory");
	return CT_ENOMEM;
}

/* ---- growable strings ---- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static bool sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

/* Appends s after sep unless s is empty. */
static bool sb_join(struct sbuf *b, const char *sep, const char *s)
{
	if (!*s)
		return true;
	if (b->len && !sb_addn(b, sep, strlen(sep)))
		return false;
	return sb_addn(b, s, strlen(s));
}

static const char *sb_str(const struct sbuf *b)
{
	return b->p ? b->p : "";
}

/* ---- the record reader ---- */

struct reader {
	const struct ct_list_text *in;
	char delim;
	size_t pos;
	long line;                      /* line of pos, from 1 */
	long rec_line;                  /* first line of the last record */
	struct sbuf buf;                /* the record's fields, NUL-separated */
	size_t off[CT_LIST_FIELDS_MAX];
	int n;
};

static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += k + 1;
	}
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Ends the current field: trims it, checks it, records its offset. */
static enum ct_rc end_field(struct reader *r, size_t start, struct ct_list_error *err)
{
	if (r->n >= CT_LIST_FIELDS_MAX)
		return fail(err, r->in, r->rec_line, "more than %d columns", CT_LIST_FIELDS_MAX);
	char *f = r->buf.p + start;
	size_t len = r->buf.len - start;
	size_t a = 0;
	while (a < len && is_blank(f[a]))
		a++;
	while (len > a && is_blank(f[len - 1]))
		len--;
	memmove(f, f + a, len - a);
	r->buf.len = start + (len - a);
	if (!utf8_valid((const unsigned char *)f, len - a))
		return fail(err, r->in, r->rec_line, "column %d is not valid UTF-8", r->n + 1);
	if (!sb_addn(&r->buf, "", 1))
		return oom(err);
	r->off[r->n++] = start;
	return CT_OK;
}

/* What is left is only OFAC's DOS end-of-file byte (0x1a) and blanks. */
static bool at_end(const struct reader *r)
{
	const char *t = r->in->text;
	for (size_t i = r->pos; i < r->in->len; i++)
		if (t[i] != 0x1a && t[i] != '\r' && t[i] != '\n' && !is_blank(t[i]))
			return false;
	return true;
}

/* Reads one record: CT_OK with r->n fields, CT_ENOTFOUND at the end,
 * CT_EINVAL (err set) or CT_ENOMEM. Blank lines are skipped. */
static enum ct_rc next_record(struct reader *r, struct ct_list_error *err)
{
	const char *t = r->in->text;
	size_t len = r->in->len;
	for (;;) {
		if (r->pos >= len || at_end(r))
			return CT_ENOTFOUND;
		if (t[r->pos] == '\n') {
			r->pos++;
			r->line++;
		} else if (t[r->pos] == '\r' && r->pos + 1 < len && t[r->pos + 1] == '\n') {
			r->pos += 2;
			r->line++;
		} else {
			break;
		}
	}
	r->rec_line = r->line;
	r->n = 0;
	r->buf.len = 0;
	size_t rec_start = r->pos;
	for (;;) {
		size_t start = r->buf.len, p = r->pos;
		while (p < len && t[p] == ' ')
			p++;
		if (p < len && t[p] == '"') {
			p++;
			for (;;) {
				if (p >= len)
					return fail(err, r->in, r->rec_line,
						    "bad quoting: a quoted field is not closed");
				if (p - rec_start > CT_LIST_RECORD_MAX)
					return fail(err, r->in, r->rec_line,
						    "line longer than %d bytes", CT_LIST_RECORD_MAX);
				if (t[p] == '"') {
					if (p + 1 < len && t[p + 1] == '"') {
						if (!sb_addn(&r->buf, "\"", 1))
							return oom(err);
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (t[p] == '\n')
					r->line++;
				if (!sb_addn(&r->buf, t + p, 1))
					return oom(err);
				p++;
			}
			while (p < len && t[p] == ' ')
				p++;
			if (p < len && t[p] != r->delim && t[p] != '\r' && t[p] != '\n')
				return fail(err, r->in, r->line,
					    "bad quoting: text after the closing quote of column %d",
					    r->n + 1);
		} else {
			size_t s = r->pos;
			while (p < len && t[p] != r->delim && t[p] != '\r' && t[p] != '\n') {
				if (t[p] == '"')
					return fail(err, r->in, r->line,
						    "bad quoting: a quote inside unquoted column %d",
						    r->n + 1);
				p++;
			}
			if (!sb_addn(&r->buf, t + s, p - s))
				return oom(err);
		}
		if (p - rec_start > CT_LIST_RECORD_MAX)
			return fail(err, r->in, r->rec_line, "line longer than %d bytes",
				    CT_LIST_RECORD_MAX);
		enum ct_rc rc = end_field(r, start, err);
		if (rc != CT_OK)
			return rc;
		r->pos = p;
		if (p < len && t[p] == r->delim) {
			r->pos++;
			continue;
		}
		if (p < len && t[p] == '\r')
			p++;
		if (p < len && t[p] == '\n') {
			p++;
			r->line++;
		}
		r->pos = p;
		return CT_OK;
	}
}

static const char *field(const struct reader *r, int i)
{
	return i >= 0 && i < r->n ? r->buf.p + r->off[i] : "";
}

static void reader_init(struct reader *r, const struct ct_list_text *in, char delim)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->delim = delim;
	r->line = 1;
}

/* ---- OFAC SDN ---- */

/* "-0-" is OFAC's empty value. */
static const char *ofac(const char *s)
{
	return strcmp(s, "-0-") == 0 ? "" : s;
}

struct sdn_entry {
	long ent_num;
	long line;
	char *f[12];                    /* sdn.csv's columns */
	struct ct_list_name *names;
	char **notes;                   /* owned copies behind names[].text/note */
	size_t n_names, cap_names;
	struct sbuf countries, addresses;
};

struct num_idx {
	long num;
	size_t idx;
};

struct sdn {
	struct sdn_entry *e;
	size_t n, cap;
	struct num_idx *by_num;         /* e's indexes sorted by ent_num */
};

static void sdn_free(struct sdn *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct sdn_entry *x = &d->e[i];
		for (int j = 0; j < 12; j++)
			free(x->f[j]);
		for (size_t j = 0; j < x->n_names; j++) {
			free((char *)x->names[j].text);
			free((char *)x->names[j].note);
		}
		free(x->names);
		free(x->countries.p);
		free(x->addresses.p);
	}
	free(d->e);
	free(d->by_num);
}

static bool parse_num(const char *s, long *out)
{
	char *end = NULL;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
		return false;
	*out = strtol(s, &end, 10);
	return true;
}

static bool add_name(struct sdn_entry *x, const char *text, enum ct_name_kind kind,
		     const char *note)
{
	if (x->n_names == x->cap_names) {
		size_t cap = x->cap_names ? x->cap_names * 2 : 4;
		struct ct_list_name *n = realloc(x->names, cap * sizeof *n);
		if (!n)
			return false;
		x->names = n;
		x->cap_names = cap;
	}
	char *t = strdup(text), *nt = strdup(note);
	if (!t || !nt) {
		free(t);
		free(nt);
		return false;
	}
	x->names[x->n_names++] = (struct ct_list_name){t, kind, nt};
	return true;
}

static int by_num_cmp(const void *a, const void *b)
{
	long x = ((const struct num_idx *)a)->num, y = ((const struct num_idx *)b)->num;
	return (x > y) - (x < y);
}

static struct sdn_entry *sdn_find(struct sdn *d, long num)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		long v = d->by_num[mid].num;
		if (v == num)
			return &d->e[d->by_num[mid].idx];
		if (v < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static enum ct_rc sdn_read_main(struct sdn *d, const struct ct_list_text *in,
				struct ct_list_error *err)
{
	struct reader r;
	enum ct_rc rc;
	reader_init(&r, in, ',');
	while ((rc = next_record(&r, err)) == CT_OK) {
		if (r.n != 12) {
			rc = fail(err, in, r.rec_line, "%d columns, sdn.csv has 12", r.n);
			break;
		}
		if (d->n >= CT_LIST_ENTRIES_MAX) {
			rc = fail(err, in, r.rec_line, "more than %d entries", CT_LIST_ENTRIES_MAX);
			break;
		}
		long num;
		if (!parse_num(field(&r, 0), &num)) {
			rc = fail(err, in, r.rec_line, "ent_num '%.40s' is not a whole number",
				  field(&r, 0));
			break;
		}
		if (!*ofac(field(&r, 1))) {
			rc = fail(err, in, r.rec_line, "entry %ld has no name", num);
			break;
		}
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 1024;
			struct sdn_entry *e = realloc(d->e, cap * sizeof *e);
			if (!e) {
				rc = oom(err);
				break;
			}
			d->e = e;
			d->cap = cap;
		}
		struct sdn_entry *x = &d->e[d->n++];
		memset(x, 0, sizeof *x);
		x->ent_num = num;
		x->line = r.rec_line;
		for (int j = 0; j < 12; j++)
			if (!(x->f[j] = strdup(ofac(field(&r, j))))) {
				rc = oom(err);
				goto done;
			}
		if (!add_name(x, x->f[1], CT_NAME_PRIMARY, "")) {
			rc = oom(err);
			break;
		}
	}
done:
	free(r.buf.p);
	if (rc != CT_ENOTFOUND)
		return rc;
	d->by_num = malloc((d->n ? d->n : 1) * sizeof *d->by_num);
	if (!d->by_num)
		return oom(err);
	for (size_t i = 0; i < d->n; i++)
		d->by_num[i] = (struct num_idx){d->e[i].ent_num, i};
	qsort(d->by_num, d->n, sizeof *d->by_num, by_num_cmp);
	for (size_t i = 1; i < d->n; i++)
		if (d->by_num[i].num == d->by_num[i - 1].num)
			return fail(err, in, d->e[d->by_num[i].idx].line, "ent_num %ld listed twice",
				    d->by_num[i].num);
	return CT_OK;
}

/* alt.csv (cols 5) and add.csv (cols 6): rows joined to sdn.csv entries. */
static enum ct_rc sdn_read_extra(struct sdn *d, const struct ct_list_text *in, int cols,
				 const char *what, struct ct_list_error *err)
{
	struct reader r;
	enum ct_rc rc;
	reader_init(&r, in, ',');
	while ((rc = next_record(&r, err)) == CT_OK) {
		if (r.n != cols) {
			rc = fail(err, in, r.rec_line, "%d columns, %s has %d", r.n, what, cols);
			break;
		}
		long num;
		if (!parse_num(field(&r, 0), &num)) {
			rc = fail(err, in, r.rec_line, "ent_num '%.40s' is not a whole number",
				  field(&r, 0));
			break;
		}
		struct sdn_entry *x = sdn_find(d, num);
		if (!x) {
			rc = fail(err, in, r.rec_line, "unknown ent_num %ld (not in sdn.csv)", num);
			break;
		}
		if (cols == 5) {
			const char *name = ofac(field(&r, 3));
			if (!*name)
				continue;
			if (x->n_names >= CT_LIST_NAMES_MAX) {
				rc = fail(err, in, r.rec_line, "entry %ld has more than %d names", num,
					  CT_LIST_NAMES_MAX);
				break;
			}
			if (!add_name(x, name, CT_NAME_ALIAS, ofac(field(&r, 2)))) {
				rc = oom(err);
				break;
			}
		} else {
			char addr[2 * CT_LIST_RECORD_MAX + 4];
			const char *street = ofac(field(&r, 2)), *city = ofac(field(&r, 3));
			const char *country = ofac(field(&r, 4));
			snprintf(addr, sizeof addr, "%s%s%s", street, *street && *city ? ", " : "",
				 city);
			bool known = false;
			/* Countries are few per entry; a scan finds repeats. */
			if (*country && x->countries.p) {
				const char *p = x->countries.p;
				size_t cl = strlen(country);
				while (p && !known) {
					known = strncmp(p, country, cl) == 0 &&
						(p[cl] == '\0' || p[cl] == ';');
					p = strchr(p, ';');
					if (p)
						p += 2;
				}
			}
			if ((!known && !sb_join(&x->countries, "; ", country)) ||
			    !sb_join(&x->addresses, "; ", addr)) {
				rc = oom(err);
				break;
			}
		}
	}
	free(r.buf.p);
	return rc == CT_ENOTFOUND ? CT_OK : rc;
}

enum ct_rc ct_lists_parse_sdn(const struct ct_list_text *sdn, const struct ct_list_text *alt,
			      const struct ct_list_text *add, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err)
{
	struct sdn d = {0};
	enum ct_rc rc = sdn_read_main(&d, sdn, err);
	if (rc == CT_OK)
		rc = sdn_read_extra(&d, alt, 5, "alt.csv", err);
	if (rc == CT_OK)
		rc = sdn_read_extra(&d, add, 6, "add.csv", err);
	for (size_t i = 0; rc == CT_OK && i < d.n; i++) {
		struct sdn_entry *x = &d.e[i];
		char id[24];
		snprintf(id, sizeof id, "%ld", x->ent_num);
		/* SDN_Type is empty for entities. */
		struct ct_list_entry e = {
			.entry_id = id, .list = "OFAC SDN", .program = x->f[3],
			.type = *x->f[2] ? x->f[2] : "entity", .name = x->f[1],
			.country = sb_str(&x->countries), .remarks = x->f[11],
			.address = sb_str(&x->addresses), .names = x->names,
			.n_names = x->n_names, .line = x->line,
		};
		rc = fn(&e, arg);
	}
	sdn_free(&d);
	return rc;
}

/* ---- files with a header: CSL and DPL ---- */

enum col { C_SOURCE, C_ID, C_TYPE, C_PROGRAMS, C_NAME, C_ALT, C_ZH, C_ADDR, C_STREET, C_CITY,
	   C_STATE, C_POSTAL, C_COUNTRY, C_NATIONALITIES, C_CITIZENSHIPS, C_REMARKS, C_FR,
	   C_COUNT_ };

static const char *const col_names[C_COUNT_] = {
	"source", "entity_number", "type", "programs", "name", "alt_names", "name_zh",
	"addresses", "street_address", "city", "state", "postal_code", "country",
	"nationalities", "citizenships", "remarks", "fr_citation",
};

static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		if (x != *b)
			return false;
	}
	return *a == *b;
}

struct layout {
	const char *list;               /* the list name when no source column */
	const enum col *required;
	size_t n_required;
};

struct entry_buf {
	struct ct_list_name names[CT_LIST_NAMES_MAX];
	struct sbuf alts;               /* alt_names split in place */
	struct sbuf addr;
};

static enum ct_rc parse_headed(const struct ct_list_text *in, char delim,
			       const struct layout *lay, ct_list_entry_fn fn, void *arg,
			       struct ct_list_error *err)
{
	struct reader r;
	int col[C_COUNT_];
	struct entry_buf *b = calloc(1, sizeof *b);
	if (!b)
		return oom(err);
	reader_init(&r, in, delim);
	enum ct_rc rc = next_record(&r, err);
	if (rc == CT_ENOTFOUND) {
		rc = fail(err, in, r.line, "empty file: a header row is required");
		goto done;
	}
	if (rc != CT_OK)
		goto done;
	int ncols = r.n;
	for (int c = 0; c < C_COUNT_; c++) {
		col[c] = -1;
		for (int i = 0; i < r.n; i++)
			if (name_eq(field(&r, i), col_names[c]))
				col[c] = i;
	}
	for (size_t i = 0; i < lay->n_required; i++)
		if (col[lay->required[i]] < 0) {
			rc = fail(err, in, r.rec_line, "missing header column '%s'",
				  col_names[lay->required[i]]);
			goto done;
		}
	long row = 0;
	while ((rc = next_record(&r, err)) == CT_OK) {
		if (r.n != ncols) {
			rc = fail(err, in, r.rec_line, "%d columns, the header has %d", r.n, ncols);
			goto done;
		}
		if (++row > CT_LIST_ENTRIES_MAX) {
			rc = fail(err, in, r.rec_line, "more than %d entries", CT_LIST_ENTRIES_MAX);
			goto done;
		}
		const char *name = field(&r, col[C_NAME]);
		if (!*name) {
			rc = fail(err, in, r.rec_line, "the name column is empty");
			goto done;
		}
		size_t n = 0;
		b->names[n++] = (struct ct_list_name){name, CT_NAME_PRIMARY, ""};
		/* alt_names: "A; B; C", split in a copy so offsets stay put. */
		b->alts.len = 0;
		const char *alts = field(&r, col[C_ALT]);
		if (!sb_addn(&b->alts, alts, strlen(alts) + 1)) {
			rc = oom(err);
			goto done;
		}
		for (char *p = b->alts.p; p && *p;) {
			char *semi = strchr(p, ';');
			if (semi)
				*semi = '\0';
			while (is_blank(*p))
				p++;
			char *end = p + strlen(p);
			while (end > p && is_blank(end[-1]))
				*--end = '\0';
			if (*p) {
				if (n >= CT_LIST_NAMES_MAX - 1) {
					rc = fail(err, in, r.rec_line, "more than %d names",
						  CT_LIST_NAMES_MAX);
					goto done;
				}
				b->names[n++] = (struct ct_list_name){p, CT_NAME_ALIAS, ""};
			}
			p = semi ? semi + 1 : NULL;
		}
		const char *zh = field(&r, col[C_ZH]);
		if (*zh)
			b->names[n++] = (struct ct_list_name){zh, CT_NAME_ZH, ""};
		char id[24];
		snprintf(id, sizeof id, "%ld", row);
		const char *listed_id = field(&r, col[C_ID]);
		const char *country = field(&r, col[C_COUNTRY]);
		if (!*country)
			country = field(&r, col[C_NATIONALITIES]);
		if (!*country)
			country = field(&r, col[C_CITIZENSHIPS]);
		b->addr.len = 0;
		if (!sb_join(&b->addr, "", field(&r, col[C_ADDR])) ||
		    !sb_join(&b->addr, ", ", field(&r, col[C_STREET])) ||
		    !sb_join(&b->addr, ", ", field(&r, col[C_CITY])) ||
		    !sb_join(&b->addr, ", ", field(&r, col[C_STATE])) ||
		    !sb_join(&b->addr, ", ", field(&r, col[C_POSTAL]))) {
			rc = oom(err);
			goto done;
		}
		const char *remarks = field(&r, col[C_REMARKS]);
		if (!*remarks)
			remarks = field(&r, col[C_FR]);
		const char *list = field(&r, col[C_SOURCE]);
		struct ct_list_entry e = {
			.entry_id = *listed_id ? listed_id : id,
			.list = *list ? list : lay->list,
			.program = field(&r, col[C_PROGRAMS]), .type = field(&r, col[C_TYPE]),
			.name = name, .country = country, .remarks = remarks,
			.address = sb_str(&b->addr), .names = b->names, .n_names = n,
			.line = r.rec_line,
		};
		if ((rc = fn(&e, arg)) != CT_OK)
			goto done;
	}
	if (rc == CT_ENOTFOUND)
		rc = CT_OK;
done:
	free(r.buf.p);
	free(b->alts.p);
	free(b->addr.p);
	free(b);
	return rc;
}

enum ct_rc ct_lists_parse_csl(const struct ct_list_text *csl, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err)
{
	static const enum col req[] = {C_SOURCE, C_NAME, C_ALT};
	const struct layout lay = {"Consolidated Screening List", req, sizeof req / sizeof req[0]};
	return parse_headed(csl, ',', &lay, fn, arg, err);
}

enum ct_rc ct_lists_parse_dpl(const struct ct_list_text *dpl, ct_list_entry_fn fn, void *arg,
			      struct ct_list_error *err)
{
	static const enum col req[] = {C_NAME, C_STREET, C_CITY, C_COUNTRY};
	const struct layout lay = {"Denied Persons List (DPL) - Bureau of Industry and Security",
				   req, sizeof req / sizeof req[0]};
	return parse_headed(dpl, '\t', &lay, fn, arg, err);
}

bool ct_list_format_parse(const char *s, enum ct_list_format *out)
{
	static const char *const names[] = {"sdn", "csl", "dpl"};
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (enum ct_list_format)i;
			return true;
		}
	return false;
}

const char *ct_list_format_name(enum ct_list_format f)
{
	return f == CT_LIST_SDN ? "sdn" : f == CT_LIST_CSL ? "csl" : "dpl";
}

const char *ct_name_kind_name(enum ct_name_kind k)
{
	return k == CT_NAME_PRIMARY ? "primary" : k == CT_NAME_ALIAS ? "alias" : "name_zh";
}
