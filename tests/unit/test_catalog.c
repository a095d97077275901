/* Product catalog CSV: the shipped data/products.csv and every refusal. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiptoll/catalog.h"
#include "chiptoll/date.h"
#include "chiptoll/limits.h"
#include "chiptoll/product.h"

#ifndef CT_SOURCE_ROOT
#error "the build defines CT_SOURCE_ROOT (a string: the source tree)"
#endif

#define HEADER "vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4," \
	       "bw_gbs,mem_gb,die_mm2,datacenter,us_available,source\n"
#define H200_ROW "NVIDIA,H200,H200 SXM 141GB,33.5,66.9,494.7,989.5,989.5,1979,1979,,," \
		 "4800,141,814,yes,2024-11-01,test\n"

#define MAX_ROWS 256

struct rows {
	size_t n;
	struct ct_product p[MAX_ROWS];
};

static enum ct_rc collect(const struct ct_product *p, void *arg)
{
	struct rows *r = arg;

	cr_assert_lt(r->n, MAX_ROWS);
	r->p[r->n++] = *p;
	return CT_OK;
}

static const struct ct_product *find(const struct rows *r, const char *model)
{
	for (size_t i = 0; i < r->n; i++) {
		if (!strcmp(r->p[i].model, model))
			return &r->p[i];
	}
	return NULL;
}

static double tpp(const struct ct_product *p)
{
	double best = 0;

	for (int i = 0; i < CT_PREC_COUNT; i++) {
		double v = p->rate[i] * ct_precision_bits((enum ct_precision)i);

		if (!isnan(v) && v > best)
			best = v;
	}
	return best;
}

static struct rows rows;
static char err[512];

static enum ct_rc parse(const char *text)
{
	memset(&rows, 0, sizeof(rows));
	memset(err, 'x', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	return ct_catalog_parse(text, strlen(text), collect, &rows, err, sizeof(err));
}

/* The H200 row with one column's cell replaced, after the header. */
static const char *with_cell(const char *column, const char *value)
{
	static char out[16384];
	static const char *names[] = {
		"vendor", "model", "name", "fp64", "fp32", "tf32", "fp16", "bf16", "fp8",
		"int8", "fp6", "fp4", "bw_gbs", "mem_gb", "die_mm2", "datacenter",
		"us_available", "source",
	};
	char row[] = H200_ROW;
	char *cell[18];
	char *s = row;
	size_t n = 0;

	row[strlen(row) - 1] = '\0';
	for (int i = 0; i < 18; i++) {
		cell[i] = s;
		s = strchr(s, ',');
		if (s)
			*s++ = '\0';
	}
	n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", HEADER);
	for (int i = 0; i < 18; i++) {
		const char *v = strcmp(names[i], column) ? cell[i] : value;

		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", i ? "," : "", v);
		cr_assert_lt(n, sizeof(out));
	}
	snprintf(out + n, sizeof(out) - n, "\n");
	return out;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_gt(n, 0);
	rewind(f);
	buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- the shipped catalog ---- */

Test(catalog_file, parses_and_has_the_named_products)
{
	size_t len;
	char *text = read_all(CT_SOURCE_ROOT "/data/products.csv", &len);
	enum ct_rc rc;
	const struct ct_product *h200, *h20, *mi308x, *mi325x;

	memset(&rows, 0, sizeof(rows));
	rc = ct_catalog_parse(text, len, collect, &rows, err, sizeof(err));
	free(text);
	cr_assert_eq(rc, CT_OK, "%s", err);
	cr_assert_geq(rows.n, 30);

	h200 = find(&rows, "H200");
	cr_assert_not_null(h200);
	cr_assert_str_eq(h200->vendor, "NVIDIA");
	cr_assert_str_eq(h200->name, "H200 SXM 141GB");
	cr_assert_float_eq(h200->rate[CT_FP64], 33.5, 1e-9);
	cr_assert_float_eq(h200->rate[CT_BF16], 989.5, 1e-9);
	cr_assert_float_eq(h200->rate[CT_FP8], 1979, 1e-9);
	cr_assert_float_eq(h200->rate[CT_INT8], 1979, 1e-9);
	cr_assert(isnan(h200->rate[CT_FP4]));
	cr_assert_float_eq(h200->bw_gbs, 4800, 1e-9);
	cr_assert_float_eq(h200->mem_gb, 141, 1e-9);
	cr_assert_float_eq(h200->die_mm2, 814, 1e-9);
	cr_assert_eq(h200->datacenter, 1);
	cr_assert_neq(h200->us_available, CT_DATE_NONE);
	cr_assert_lt(h200->us_available, ct_date_from_ymd(2026, 1, 15));
	cr_assert_float_eq(tpp(h200), 15832, 1e-6); /* dense, not 31,664 */

	h20 = find(&rows, "H20");
	cr_assert_not_null(h20);
	cr_assert_float_eq(tpp(h20), 2368, 1e-6);
	cr_assert_float_eq(h20->bw_gbs, 4000, 1e-9);
	cr_assert_eq(h20->us_available, CT_DATE_NONE); /* China-only SKU */

	mi308x = find(&rows, "MI308X");
	cr_assert_not_null(mi308x);
	cr_assert_eq(mi308x->us_available, CT_DATE_NONE);

	mi325x = find(&rows, "MI325X");
	cr_assert_not_null(mi325x);
	cr_assert_float_eq(tpp(mi325x), 20919.2, 1e-6);
	cr_assert_lt(mi325x->us_available, ct_date_from_ymd(2026, 1, 15));

	cr_assert_float_eq(tpp(find(&rows, "B200")), 36000, 1e-6);
	cr_assert_eq(find(&rows, "RTX4090")->datacenter, 0);
}

/* ---- accepted syntax ---- */

Test(catalog_syntax, one_row)
{
	cr_assert_eq(parse(HEADER H200_ROW), CT_OK, "%s", err);
	cr_assert_eq(rows.n, 1);
	cr_assert_str_eq(err, "");
	cr_assert_eq(rows.p[0].us_available, ct_date_from_ymd(2024, 11, 1));
}

Test(catalog_syntax, quotes_crlf_no_final_newline_any_order_bom)
{
	const char *text =
		"\xEF\xBB\xBF"
		"source,model,vendor,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,"
		"bw_gbs,mem_gb,die_mm2,datacenter,us_available\r\n"
		"\"Epoch AI, \"\"ML Hardware\"\"\",H20,NVIDIA,\"H20 (HGX, China)\","
		"1,44,74,148,148,296,296,,,4000,96,814,yes,\r\n"
		"\r\n"
		"\"two\nlines\",L4,NVIDIA,L4,,,,1.21e2,,,,,,,,,no,2023-03-01";

	cr_assert_eq(parse(text), CT_OK, "%s", err);
	cr_assert_eq(rows.n, 2);
	cr_assert_str_eq(rows.p[0].source, "Epoch AI, \"ML Hardware\"");
	cr_assert_str_eq(rows.p[0].name, "H20 (HGX, China)");
	cr_assert_eq(rows.p[0].us_available, CT_DATE_NONE);
	cr_assert_str_eq(rows.p[1].source, "two\nlines");
	cr_assert_float_eq(rows.p[1].rate[CT_FP16], 121, 1e-9);
	cr_assert(isnan(rows.p[1].rate[CT_BF16]));
	cr_assert(isnan(rows.p[1].die_mm2));
	cr_assert_eq(rows.p[1].datacenter, 0);
}

static enum ct_rc stop_at_second(const struct ct_product *p, void *arg)
{
	int *n = arg;

	return ++*n == 2 ? CT_ECONFLICT : CT_OK;
}

Test(catalog_syntax, callback_stops_the_parse)
{
	const char *text = HEADER H200_ROW
		"NVIDIA,H100,H100,,,,,,,,,,,,,yes,,\n"
		"NVIDIA,A100,A100,,,,,,,,,,,,,yes,,\n";
	int n = 0;

	cr_assert_eq(ct_catalog_parse(text, strlen(text), stop_at_second, &n, err, sizeof(err)),
		     CT_ECONFLICT);
	cr_assert_eq(n, 2);
	cr_assert(strstr(err, "line 3"), "%s", err);
}

Test(catalog_syntax, rows_before_an_error_are_delivered)
{
	cr_assert_eq(parse(HEADER H200_ROW "NVIDIA,H100,H100,,,,,,abc,,,,,,,yes,,\n"), CT_EINVAL);
	cr_assert_eq(rows.n, 1);
	cr_assert_str_eq(rows.p[0].model, "H200");
}

/* ---- refusals ---- */

Test(catalog_errors, bad_number)
{
	cr_assert_eq(parse(with_cell("fp8", "abc")), CT_EINVAL);
	cr_assert_str_eq(err, "line 2: column fp8: 'abc' is not a number (dense TFLOPS expected)");
	cr_assert_eq(rows.n, 0);

	/* Everything strtod alone would take but a catalog must not. */
	static const char *bad[] = {
		"nan", "NAN", "inf", "-inf", "infinity", "0x10", "0x1p3", " 5", "5 ", "1_000",
		"1e", "+", ".", "--1", "1.2.3", "5TF",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse(with_cell("bf16", bad[i])), CT_EINVAL, "'%s' accepted", bad[i]);
		cr_assert(strstr(err, "column bf16"), "%s", err);
	}
	cr_assert_eq(parse(with_cell("bw_gbs", "fast")), CT_EINVAL);
	cr_assert(strstr(err, "(GB/s expected)"), "%s", err);
}

Test(catalog_errors, negative)
{
	cr_assert_eq(parse(with_cell("fp16", "-989.5")), CT_EINVAL);
	cr_assert_str_eq(err, "line 2: column fp16: '-989.5' must be greater than 0 "
			      "(dense TFLOPS expected; leave the cell empty when unknown)");
	cr_assert_eq(parse(with_cell("mem_gb", "-1")), CT_EINVAL);
	cr_assert(strstr(err, "column mem_gb"), "%s", err);
}

Test(catalog_errors, zero)
{
	static const char *zeros[] = { "0", "0.0", "-0", "0e5", "1e-400" };

	for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		cr_assert_eq(parse(with_cell("int8", zeros[i])), CT_EINVAL, "'%s' accepted", zeros[i]);
		cr_assert(strstr(err, "must be greater than 0"), "%s", err);
	}
}

Test(catalog_errors, above_rate_max)
{
	cr_assert_eq(parse(with_cell("fp4", "1000000")), CT_OK, "%s", err);
	cr_assert_eq(parse(with_cell("fp4", "1000000.5")), CT_EINVAL);
	cr_assert(strstr(err, "CT_RATE_MAX"), "%s", err);
	cr_assert_eq(parse(with_cell("die_mm2", "1e400")), CT_EINVAL);
	cr_assert(strstr(err, "CT_RATE_MAX"), "%s", err);
}

Test(catalog_errors, unknown_column)
{
	cr_assert_eq(parse("vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,"
			   "bw_gbs,mem_gb,die_mm2,datacenter,us_available,source,price\n"
			   "NVIDIA,H200,H200,,,,,,,,,,,,,yes,,,27000\n"),
		     CT_EINVAL);
	cr_assert(strstr(err, "line 1: unknown column 'price'"), "%s", err);
	/* Names are exact. */
	cr_assert_eq(parse("Vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,"
			   "bw_gbs,mem_gb,die_mm2,datacenter,us_available,source\n"),
		     CT_EINVAL);
	cr_assert(strstr(err, "unknown column 'Vendor'"), "%s", err);
}

Test(catalog_errors, missing_column)
{
	cr_assert_eq(parse("vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp4,"
			   "bw_gbs,mem_gb,die_mm2,datacenter,us_available,source\n"
			   "NVIDIA,H200,H200,,,,,,,,,,,,yes,,\n"),
		     CT_EINVAL);
	cr_assert(strstr(err, "line 1: missing column fp6"), "%s", err);
}

Test(catalog_errors, duplicate_column)
{
	cr_assert_eq(parse("vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,"
			   "bw_gbs,mem_gb,die_mm2,datacenter,us_available,source,fp8\n"),
		     CT_EINVAL);
	cr_assert(strstr(err, "column fp8 appears twice"), "%s", err);
}

Test(catalog_errors, bad_date)
{
	static const char *bad[] = { "2024-13-01", "2023-02-29", "2024-1-1", "yesterday", "2024/11/01" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse(with_cell("us_available", bad[i])), CT_EINVAL, "'%s' accepted", bad[i]);
		cr_assert(strstr(err, "line 2: column us_available:"), "%s", err);
		cr_assert(strstr(err, "is not a date"), "%s", err);
	}
	cr_assert_eq(parse(with_cell("us_available", "2024-02-29")), CT_OK, "%s", err);
}

Test(catalog_errors, bad_datacenter)
{
	static const char *bad[] = { "maybe", "Yes", "1", "", "true" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse(with_cell("datacenter", bad[i])), CT_EINVAL, "'%s' accepted", bad[i]);
		cr_assert(strstr(err, "column datacenter"), "%s", err);
		cr_assert(strstr(err, "is not yes or no"), "%s", err);
	}
}

Test(catalog_errors, unterminated_quote)
{
	cr_assert_eq(parse(HEADER "NVIDIA,H200,\"H200 SXM,,,,,,,,,,,,,,yes,,\n"), CT_EINVAL);
	cr_assert(strstr(err, "line 2: unterminated quoted field"), "%s", err);
}

Test(catalog_errors, stray_quotes)
{
	cr_assert_eq(parse(with_cell("name", "H200 \"SXM\"")), CT_EINVAL);
	cr_assert(strstr(err, "quote inside an unquoted field"), "%s", err);
	cr_assert_eq(parse(with_cell("name", "\"H200\"x")), CT_EINVAL);
	cr_assert(strstr(err, "after a closing quote"), "%s", err);
}

Test(catalog_errors, duplicate_model)
{
	const char *text = HEADER H200_ROW
		"NVIDIA,H100,H100,,,,,,,,,,,,,yes,,\n"
		"NVIDIA,H200,H200 again,,,,,,,,,,,,,yes,,\n";

	cr_assert_eq(parse(text), CT_EINVAL);
	cr_assert_str_eq(err, "line 4: model H200 appears twice (first on line 2)");
	cr_assert_eq(rows.n, 2);
	/* A person typing h200 means the same product. */
	cr_assert_eq(parse(HEADER H200_ROW "NVIDIA,h200,x,,,,,,,,,,,,,yes,,\n"), CT_EINVAL);
	cr_assert(strstr(err, "appears twice"), "%s", err);
}

Test(catalog_errors, too_long_field)
{
	char model[CT_ID_MAX + 1];

	memset(model, 'M', CT_ID_MAX - 1);
	model[CT_ID_MAX - 1] = '\0';
	cr_assert_eq(parse(with_cell("model", model)), CT_OK, "%s", err); /* 63 bytes fit */

	model[CT_ID_MAX - 1] = 'M';
	model[CT_ID_MAX] = '\0';
	cr_assert_eq(parse(with_cell("model", model)), CT_EINVAL);
	cr_assert_str_eq(err, "line 2: column model: 64 bytes, longer than the limit of 63 (CT_ID_MAX)");

	char name[CT_NAME_MAX + 1];
	memset(name, 'n', CT_NAME_MAX);
	name[CT_NAME_MAX] = '\0';
	cr_assert_eq(parse(with_cell("name", name)), CT_EINVAL);
	cr_assert(strstr(err, "(CT_NAME_MAX)"), "%s", err);
}

Test(catalog_errors, over_long_line)
{
	/* The H200 row without its source is 98 bytes; pad the source so the
	 * line is exactly at, then one past, the limit. */
	static char source[CT_CSV_LINE_MAX + 1];
	const char *text;
	size_t base = strlen(H200_ROW) - strlen("test\n");

	memset(source, 's', CT_CSV_LINE_MAX - base);
	source[CT_CSV_LINE_MAX - base] = '\0';
	/* Too long for the source field (CT_TEXT_MAX) but not for the line. */
	text = with_cell("source", source);
	cr_assert_eq(parse(text), CT_EINVAL);
	cr_assert(strstr(err, "column source"), "%s", err);

	source[CT_CSV_LINE_MAX - base] = 's';
	source[CT_CSV_LINE_MAX - base + 1] = '\0';
	text = with_cell("source", source);
	cr_assert_eq(parse(text), CT_EINVAL);
	cr_assert_str_eq(err, "line 2: longer than 4096 bytes (CT_CSV_LINE_MAX)");

	/* Quoted content counts too. */
	static char quoted[CT_CSV_LINE_MAX + 8];
	quoted[0] = '"';
	memset(quoted + 1, 'q', CT_CSV_LINE_MAX + 2);
	quoted[CT_CSV_LINE_MAX + 3] = '"';
	quoted[CT_CSV_LINE_MAX + 4] = '\0';
	cr_assert_eq(parse(with_cell("name", quoted)), CT_EINVAL);
	cr_assert(strstr(err, "CT_CSV_LINE_MAX"), "%s", err);
}

Test(catalog_errors, header_only)
{
	cr_assert_eq(parse(HEADER), CT_EINVAL);
	cr_assert(strstr(err, "no products"), "%s", err);
	cr_assert_eq(parse(HEADER "\n\n"), CT_EINVAL);
	cr_assert(strstr(err, "no products"), "%s", err);
}

Test(catalog_errors, empty_file)
{
	cr_assert_eq(parse(""), CT_EINVAL);
	cr_assert(strstr(err, "no products"), "%s", err);
	cr_assert_eq(ct_catalog_parse(NULL, 0, collect, &rows, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "no products"), "%s", err);
}

Test(catalog_errors, field_count)
{
	cr_assert_eq(parse(HEADER "NVIDIA,H200,H200,,,\n"), CT_EINVAL);
	cr_assert_str_eq(err, "line 2: 6 fields, but the header has 18");
}

Test(catalog_errors, bare_carriage_return)
{
	cr_assert_eq(parse(HEADER "NVIDIA,H200,H200,,,,,,,,,,,,,yes,,\rNVIDIA,H100\n"), CT_EINVAL);
	cr_assert(strstr(err, "carriage return"), "%s", err);
}

Test(catalog_errors, empty_model_and_space_in_model)
{
	cr_assert_eq(parse(with_cell("model", "")), CT_EINVAL);
	cr_assert(strstr(err, "line 2: column model: empty"), "%s", err);
	cr_assert_eq(parse(with_cell("model", "H200 SXM")), CT_EINVAL);
	cr_assert(strstr(err, "line 2: column model:"), "%s", err);
	cr_assert_eq(parse(with_cell("name", "H200\tSXM")), CT_EINVAL);
	cr_assert(strstr(err, "line 2: column name:"), "%s", err);
	cr_assert(strstr(err, "control character"), "%s", err);
}

Test(catalog_errors, null_err_buffer_is_fine)
{
	const char *text = HEADER;

	cr_assert_eq(ct_catalog_parse(text, strlen(text), NULL, NULL, NULL, 0), CT_EINVAL);
}

/* ---- ct_product_validate (also used by `product add`) ---- */

Test(product_validate, accepts_a_good_product)
{
	struct ct_product p;

	ct_product_init(&p);
	strcpy(p.vendor, "AMD");
	strcpy(p.model, "MI308X");
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_OK, "%s", err);
	p.rate[CT_FP8] = CT_RATE_MAX;
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_OK, "%s", err);
}

Test(product_validate, refuses_bad_figures_and_ids)
{
	struct ct_product p;

	ct_product_init(&p);
	strcpy(p.vendor, "AMD");
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "model"), "%s", err);

	strcpy(p.model, "MI308X");
	p.rate[CT_BF16] = 0;
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "bf16"), "%s", err);

	p.rate[CT_BF16] = INFINITY;
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	p.rate[CT_BF16] = NAN;

	p.bw_gbs = -1;
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "bw_gbs"), "%s", err);
	p.bw_gbs = NAN;

	p.die_mm2 = CT_RATE_MAX * 2;
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "die_mm2"), "%s", err);
	p.die_mm2 = NAN;

	memset(p.name, 'n', sizeof(p.name)); /* unterminated */
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "name"), "%s", err);
	p.name[0] = '\0';

	strcpy(p.vendor, "Moore Threads"); /* vendors may have spaces */
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_OK, "%s", err);
	p.vendor[0] = '\0';
	cr_assert_eq(ct_product_validate(&p, err, sizeof(err)), CT_EINVAL);
	cr_assert(strstr(err, "vendor"), "%s", err);
}
