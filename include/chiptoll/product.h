/* A chip product and its ECCN 3A090 classification (REGIME.md §3).
 * Rates are DENSE (no sparsity) TFLOPS or TOPS; unknown figures are NAN.
 * TPP, performance density and the class are computed, never stored. */
#ifndef CHIPTOLL_PRODUCT_H
#define CHIPTOLL_PRODUCT_H

#include "chiptoll/date.h"
#include "chiptoll/limits.h"

enum ct_precision {
	CT_FP64, CT_FP32, CT_TF32, CT_FP16, CT_BF16, CT_FP8, CT_INT8, CT_FP6, CT_FP4,
	CT_PREC_COUNT
};

/* "fp64", "tf32", ...; the names of the CLI flags and CSV columns. */
const char *ct_precision_name(enum ct_precision p);
/* Bit length counted by the TPP formula (TF32 counts as 32). */
int ct_precision_bits(enum ct_precision p);

struct ct_product {
	char model[CT_ID_MAX];    /* short unique id: "H200", "MI308X" */
	char name[CT_NAME_MAX];   /* marketing name: "H200 SXM 141GB" */
	char vendor[CT_ID_MAX];   /* vendor party id: "NVIDIA" */
	double rate[CT_PREC_COUNT]; /* dense TFLOPS/TOPS; NAN unknown or unsupported */
	double bw_gbs;            /* total DRAM bandwidth, GB/s; NAN unknown */
	double mem_gb;            /* NAN unknown */
	double die_mm2;           /* applicable logic die area; NAN unknown */
	int datacenter;           /* 1 designed or marketed for data centers, 0 not */
	ct_date us_available;     /* commercially available in the US; CT_DATE_NONE never/unknown */
	char source[CT_TEXT_MAX]; /* where the figures come from */
};

/* A product with every figure unknown, datacenter = 1. */
void ct_product_init(struct ct_product *p);

enum ct_eccn { CT_ECCN_NONE, CT_ECCN_3A090A, CT_ECCN_3A090B, CT_ECCN_UNDETERMINED };
/* "none", "3A090.a", "3A090.b", "undetermined" */
const char *ct_eccn_name(enum ct_eccn e);

/* ECCN 3A090 thresholds, from the policy file (88 FR 73458). */
struct ct_eccn_thresholds {
	double a_tpp;          /* 4800: .a on TPP alone */
	double a_pd_tpp;       /* 1600: .a needs this TPP with PD >= a_pd */
	double a_pd;           /* 5.92 */
	double b_tpp_low;      /* 2400: .b range TPP low end (inclusive) */
	double b_pd_low;       /* 1.6: with the TPP range above */
	double b_pd_alt;       /* 3.2: .b with TPP >= a_pd_tpp */
	double nondc_tpp;      /* 4800: non-datacenter parts below it are not 3A090 */
};

struct ct_classification {
	double tpp;                 /* NAN when no rate is known */
	enum ct_precision tpp_from; /* the precision reaching the maximum */
	double pd;                  /* NAN when the die area is unknown */
	enum ct_eccn eccn;
};

/* Pure: TPP = max over precisions of rate x bits; PD = TPP / die area;
 * then the 3A090 branches, "undetermined" only where an unknown die area
 * leaves the answer open, or where no compute figure is known at all. */
void ct_classify(const struct ct_product *p, const struct ct_eccn_thresholds *t,
		 struct ct_classification *out);

#endif
