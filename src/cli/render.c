/* Human-readable output: objects as "key: value" lines, arrays of objects
 * as aligned tables, reports as tables or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Scalar to text; arrays of scalars joined by commas. Caller frees. */
static char *scalar_text(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_null(v) || !v)
		return strdup("-");
	if (json_is_array(v) && json_array_size(v) == 0)
		return strdup("(none)");
	if (json_is_array(v)) {
		size_t i, cap = 1, n = 0;
		json_t *x;
		char *out = calloc(1, 1);
		json_array_foreach(v, i, x) {
			char *s = scalar_text(x);
			size_t sl = strlen(s);
			char *grown = out ? realloc(out, cap + sl + 2) : NULL;
			if (!grown) {
				free(s);
				free(out);
				return strdup("?");
			}
			out = grown;
			cap += sl + 2;
			n += (size_t)sprintf(out + n, "%s%s", i ? "," : "", s);
			free(s);
		}
		return out;
	}
	if (json_is_real(v)) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
		return strdup(buf);
	}
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Terminal columns a UTF-8 string takes: East Asian wide characters (the
 * Chinese names of customers) take two. */
static size_t display_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = *p, extra = 0;
		if (cp >= 0xf0) { cp &= 0x07; extra = 3; }
		else if (cp >= 0xe0) { cp &= 0x0f; extra = 2; }
		else if (cp >= 0xc0) { cp &= 0x1f; extra = 1; }
		p++;
		for (; extra && (*p & 0xc0) == 0x80; extra--, p++)
			cp = (cp << 6) | (*p & 0x3f);
		bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
		w += wide ? 2 : 1;
	}
	return w;
}

/* Prints s in a column of `width`, cut at 60 columns on a character
 * boundary. */
static void print_cell(const char *s, size_t width, bool last, FILE *to)
{
	size_t used = 0;
	const char *p = s;
	while (*p) {
		const char *q = p + 1;
		while ((*q & 0xc0) == 0x80)
			q++;
		char ch[8];
		size_t n = (size_t)(q - p) < sizeof ch ? (size_t)(q - p) : sizeof ch - 1;
		memcpy(ch, p, n);
		ch[n] = '\0';
		size_t cw = display_width(ch);
		if (used + cw > 60)
			break;
		fwrite(p, 1, n, to);
		used += cw;
		p = q;
	}
	if (last) {
		fputc('\n', to);
		return;
	}
	for (; used < width + 2; used++)
		fputc(' ', to);
}

static bool is_table(json_t *v)
{
	return json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0));
}

static void print_table(json_t *rows, FILE *to)
{
	json_t *first = json_array_get(rows, 0);
	size_t ncol = json_object_size(first), i, c;
	const char **keys = calloc(ncol ? ncol : 1, sizeof *keys);
	size_t *width = calloc(ncol ? ncol : 1, sizeof *width);
	if (!keys || !width)
		goto done;
	const char *k;
	json_t *x;
	c = 0;
	json_object_foreach(first, k, x) {
		keys[c] = k;
		width[c] = display_width(k);
		c++;
	}
	json_t *row;
	json_array_foreach(rows, i, row) {
		for (c = 0; c < ncol; c++) {
			char *s = scalar_text(json_object_get(row, keys[c]));
			size_t l = display_width(s);
			if (l > width[c])
				width[c] = l > 60 ? 60 : l;
			free(s);
		}
	}
	for (c = 0; c < ncol; c++)
		print_cell(keys[c], width[c], c + 1 == ncol, to);
	json_array_foreach(rows, i, row) {
		for (c = 0; c < ncol; c++) {
			char *s = scalar_text(json_object_get(row, keys[c]));
			print_cell(s, width[c], c + 1 == ncol, to);
			free(s);
		}
	}
done:
	free(keys);
	free(width);
}

static void render_at(json_t *v, int indent, FILE *to)
{
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (json_is_object(x)) {
			fprintf(to, "%*s%s:\n", indent, "", k);
			render_at(x, indent + 2, to);
		} else if (is_table(x)) {
			fprintf(to, "%*s%s:\n", indent, "", k);
			print_table(x, to);
		} else {
			char *s = scalar_text(x);
			fprintf(to, "%*s%s: %s\n", indent, "", k, s);
			free(s);
		}
	}
}

void ct_cli_render(json_t *v, FILE *to)
{
	if (json_object_get(v, "columns") && json_object_get(v, "rows")) {
		ct_cli_render_report(v, "table", to);
		return;
	}
	/* A response holding one list ({"licenses": [...]}) prints as a table. */
	if (json_object_size(v) == 1) {
		json_t *only = json_object_iter_value(json_object_iter(v));
		if (is_table(only)) {
			print_table(only, to);
			return;
		}
		if (json_is_array(only) && json_array_size(only) == 0) {
			fprintf(to, "(none)\n");
			return;
		}
	}
	render_at(v, 0, to);
}

static void csv_cell(const char *s, FILE *to)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, to);
		return;
	}
	fputc('"', to);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', to);
		fputc(*s, to);
	}
	fputc('"', to);
}

void ct_cli_render_report(json_t *report, const char *format, FILE *to)
{
	json_t *cols = json_object_get(report, "columns"), *rows = json_object_get(report, "rows");
	if (strcmp(format, "json") == 0) {
		json_dumpf(report, to, CT_CLI_JSON_FLAGS);
		fputc('\n', to);
		return;
	}
	size_t i, j, ncol = json_array_size(cols);
	json_t *row;
	if (strcmp(format, "csv") == 0) {
		for (j = 0; j < ncol; j++) {
			if (j)
				fputc(',', to);
			csv_cell(json_string_value(json_array_get(cols, j)), to);
		}
		fputc('\n', to);
		json_array_foreach(rows, i, row) {
			for (j = 0; j < ncol; j++) {
				json_t *cell = json_array_get(row, j);
				char *s = json_is_null(cell) ? strdup("") : scalar_text(cell);
				if (j)
					fputc(',', to);
				csv_cell(s ? s : "", to);
				free(s);
			}
			fputc('\n', to);
		}
		return;
	}
	/* table: reuse the object-table printer */
	json_t *objs = json_array();
	json_array_foreach(rows, i, row) {
		json_t *o = json_object();
		for (j = 0; j < ncol; j++)
			json_object_set(o, json_string_value(json_array_get(cols, j)),
					json_array_get(row, j));
		json_array_append_new(objs, o);
	}
	fprintf(to, "%s report\n", json_string_value(json_object_get(report, "report")));
	if (json_array_size(objs))
		print_table(objs, to);
	else
		fprintf(to, "(no rows)\n");
	json_decref(objs);
	const char *k;
	json_t *x;
	json_object_foreach(report, k, x) {
		if (strcmp(k, "columns") && strcmp(k, "rows") && strcmp(k, "report")) {
			json_t *one = json_pack("{s:O}", k, x);
			render_at(one, 0, to);
			json_decref(one);
		}
	}
}
