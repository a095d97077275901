/* The product catalog CSV (data/products.csv). Pure: parses text.
 *
 * Header (exact column names, any order, all required):
 *   vendor,model,name,fp64,fp32,tf32,fp16,bf16,fp8,int8,fp6,fp4,
 *   bw_gbs,mem_gb,die_mm2,datacenter,us_available,source
 * Figures are dense TFLOPS/TOPS; an empty cell is unknown. datacenter is
 * "yes" or "no"; us_available is YYYY-MM-DD or empty. RFC 4180 quoting. */
#ifndef CHIPTOLL_CATALOG_H
#define CHIPTOLL_CATALOG_H

#include <stddef.h>
#include "chiptoll/product.h"
#include "chiptoll/rc.h"

/* Called once per data row, in file order; a non-CT_OK return stops the
 * parse and is returned. */
typedef enum ct_rc (*ct_catalog_row_fn)(const struct ct_product *p, void *arg);

/* Parses the whole CSV text. On a malformed file returns CT_EINVAL and
 * writes "line N: column fp8: 'abc' is not a number" into err; rows before
 * the bad line have already been passed to fn. Duplicate models are an
 * error. */
enum ct_rc ct_catalog_parse(const char *text, size_t len, ct_catalog_row_fn fn, void *arg,
			    char *err, size_t errlen);

/* Validates one product's figures (shared by the CSV parser and the
 * `product add` command): model and vendor non-empty and within limits,
 * rates/bandwidth/memory/die area either NAN or in (0, CT_RATE_MAX].
 * On failure returns CT_EINVAL and names the field in err. */
enum ct_rc ct_product_validate(const struct ct_product *p, char *err, size_t errlen);

#endif
