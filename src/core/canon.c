/* Canonical JSON text, written by hand because the booking path spends a
 * third of its time building jansson trees only to print them once. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chiptoll/canon.h"

void ct_canon_init(struct ct_canon *w)
{
	memset(w, 0, sizeof *w);
}

void ct_canon_free(struct ct_canon *w)
{
	free(w->buf);
	memset(w, 0, sizeof *w);
}

static void put(struct ct_canon *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 1024;
		while (w->len + n + 1 > cap)
			cap *= 2;
		char *nb = realloc(w->buf, cap);
		if (!nb) {
			w->oom = true;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Commas: an object's comma goes before its next key, an array's before
 * its next value; the value right after a key takes none. */
static void value_prefix(struct ct_canon *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->need_comma[w->depth - 1])
		put(w, ",", 1);
	w->need_comma[w->depth - 1] = true;
}

static void open_container(struct ct_canon *w, char c)
{
	value_prefix(w);
	put(w, &c, 1);
	assert(w->depth < CT_CANON_DEPTH);
	w->need_comma[w->depth] = false;
	w->last_key[w->depth] = NULL;
	w->depth++;
}

static void close_container(struct ct_canon *w, char c)
{
	assert(w->depth > 0);
	w->depth--;
	put(w, &c, 1);
}

void ct_canon_obj_begin(struct ct_canon *w) { open_container(w, '{'); }
void ct_canon_obj_end(struct ct_canon *w) { close_container(w, '}'); }
void ct_canon_arr_begin(struct ct_canon *w) { open_container(w, '['); }
void ct_canon_arr_end(struct ct_canon *w) { close_container(w, ']'); }

static void put_escaped(struct ct_canon *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	put(w, "\"", 1);
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		put(w, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		char esc[16];
		unsigned cp = *p;
		if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			put(w, esc, 2);
			p++;
			continue;
		}
		if (cp < 0x20) {
			const char *named = cp == '\b' ? "\\b" : cp == '\f' ? "\\f" : cp == '\n' ? "\\n"
					    : cp == '\r' ? "\\r" : cp == '\t' ? "\\t" : NULL;
			if (named)
				put(w, named, 2);
			else
				put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X", cp));
			p++;
			continue;
		}
		/* A UTF-8 sequence; valid input is the caller's promise. */
		int extra = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : 1;
		cp &= extra == 3 ? 0x07 : extra == 2 ? 0x0f : 0x1f;
		p++;
		for (int i = 0; i < extra && *p; i++, p++)
			cp = (cp << 6) | (*p & 0x3f);
		if (cp >= 0x10000) {
			unsigned v = cp - 0x10000;
			put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X\\u%04X",
						     0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff)));
		} else {
			put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X", cp));
		}
	}
	put(w, "\"", 1);
}

void ct_canon_key(struct ct_canon *w, const char *key)
{
	assert(w->depth > 0);
	const char *prev = w->last_key[w->depth - 1];
	assert(!prev || strcmp(prev, key) < 0);
	if (w->need_comma[w->depth - 1])
		put(w, ",", 1);
	w->need_comma[w->depth - 1] = true;
	put_escaped(w, key);
	put(w, ":", 1);
	w->last_key[w->depth - 1] = key;
	w->after_key = true;
}

void ct_canon_str(struct ct_canon *w, const char *s)
{
	value_prefix(w);
	put_escaped(w, s);
}

void ct_canon_int(struct ct_canon *w, int64_t v)
{
	char buf[24];
	value_prefix(w);
	put(w, buf, (size_t)snprintf(buf, sizeof buf, "%lld", (long long)v));
}

void ct_canon_bool(struct ct_canon *w, bool v)
{
	value_prefix(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void ct_canon_null(struct ct_canon *w)
{
	value_prefix(w);
	put(w, "null", 4);
}

void ct_canon_raw(struct ct_canon *w, const char *text, size_t len)
{
	value_prefix(w);
	put(w, text, len);
}
