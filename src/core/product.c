/* Products and their ECCN 3A090 classification (REGIME.md §3). */
#include <math.h>
#include <string.h>

#include "chiptoll/product.h"

static const struct {
	const char *name;
	int bits;
} precisions[CT_PREC_COUNT] = {
	[CT_FP64] = { "fp64", 64 },
	[CT_FP32] = { "fp32", 32 },
	[CT_TF32] = { "tf32", 32 }, /* 19 significant bits, but 3A090 counts 32 */
	[CT_FP16] = { "fp16", 16 },
	[CT_BF16] = { "bf16", 16 },
	[CT_FP8]  = { "fp8", 8 },
	[CT_INT8] = { "int8", 8 },
	[CT_FP6]  = { "fp6", 6 },
	[CT_FP4]  = { "fp4", 4 },
};

const char *ct_precision_name(enum ct_precision p)
{
	if ((int)p < 0 || p >= CT_PREC_COUNT)
		return "unknown";
	return precisions[p].name;
}

int ct_precision_bits(enum ct_precision p)
{
	if ((int)p < 0 || p >= CT_PREC_COUNT)
		return 0;
	return precisions[p].bits;
}

void ct_product_init(struct ct_product *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < CT_PREC_COUNT; i++)
		p->rate[i] = NAN;
	p->bw_gbs = NAN;
	p->mem_gb = NAN;
	p->die_mm2 = NAN;
	p->datacenter = 1;
	p->us_available = CT_DATE_NONE;
}

const char *ct_eccn_name(enum ct_eccn e)
{
	switch (e) {
	case CT_ECCN_NONE:		return "none";
	case CT_ECCN_3A090A:		return "3A090.a";
	case CT_ECCN_3A090B:		return "3A090.b";
	case CT_ECCN_UNDETERMINED:	return "undetermined";
	}
	return "unknown";
}

static enum ct_eccn classify(double tpp, double pd, int datacenter,
			     const struct ct_eccn_thresholds *t)
{
	if (tpp >= t->a_tpp)
		return CT_ECCN_3A090A;
	/* The note to 3A090: parts not designed or marketed for data centers
	 * are out below this TPP, whatever their density. */
	if (!datacenter && tpp < t->nondc_tpp)
		return CT_ECCN_NONE;
	/* Below the lowest TPP any density branch needs, density is moot. */
	if (tpp < t->a_pd_tpp)
		return CT_ECCN_NONE;
	/* Every remaining branch depends on density: never guess it. */
	if (isnan(pd))
		return CT_ECCN_UNDETERMINED;
	if (pd >= t->a_pd)
		return CT_ECCN_3A090A;
	if ((tpp >= t->b_tpp_low && pd >= t->b_pd_low) || pd >= t->b_pd_alt)
		return CT_ECCN_3A090B;
	return CT_ECCN_NONE;
}

void ct_classify(const struct ct_product *p, const struct ct_eccn_thresholds *t,
		 struct ct_classification *out)
{
	double tpp = 0;
	bool any = false;
	enum ct_precision from = CT_FP64;

	for (int i = 0; i < CT_PREC_COUNT; i++) {
		double r = p->rate[i];
		double v;

		if (isnan(r))
			continue;
		v = r * precisions[i].bits;
		any = true;
		/* Strictly greater: on a tie the earlier precision stays. */
		if (v > tpp) {
			tpp = v;
			from = (enum ct_precision)i;
		}
	}
	out->tpp_from = from;
	if (!any) {
		/* No compute figure at all: TPP is unknown, not zero, and no
		 * class or ceiling can be judged until the vendor supplies one. */
		out->tpp = NAN;
		out->pd = NAN;
		out->eccn = CT_ECCN_UNDETERMINED;
		return;
	}
	out->tpp = tpp;
	out->pd = (!isnan(p->die_mm2) && p->die_mm2 > 0) ? tpp / p->die_mm2 : NAN;
	out->eccn = classify(tpp, out->pd, p->datacenter, t);
}
