/* ECCN 3A090 classification (REGIME.md §3) and the program ceilings. */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chiptoll/policy.h"
#include "chiptoll/product.h"

/* The thresholds of 88 FR 73458, as in the bundled policy file. */
static const struct ct_eccn_thresholds T = {
	.a_tpp = 4800, .a_pd_tpp = 1600, .a_pd = 5.92, .b_tpp_low = 2400,
	.b_pd_low = 1.6, .b_pd_alt = 3.2, .nondc_tpp = 4800,
};

/* A datacenter part with one known rate and the given die (NAN unknown). */
static struct ct_product chip(enum ct_precision p, double rate, double die_mm2)
{
	struct ct_product pr;

	ct_product_init(&pr);
	strcpy(pr.model, "TEST");
	pr.rate[p] = rate;
	pr.die_mm2 = die_mm2;
	return pr;
}

static struct ct_classification classify(const struct ct_product *p)
{
	struct ct_classification c;

	ct_classify(p, &T, &c);
	return c;
}

static enum ct_eccn eccn_of(enum ct_precision p, double rate, double die_mm2)
{
	struct ct_product pr = chip(p, rate, die_mm2);

	return classify(&pr).eccn;
}

Test(classify, precision_names_and_bits)
{
	static const char *names[] = { "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8",
				       "fp6", "fp4" };
	static const int bits[] = { 64, 32, 32, 16, 16, 8, 8, 6, 4 };

	for (int i = 0; i < CT_PREC_COUNT; i++) {
		cr_assert_str_eq(ct_precision_name((enum ct_precision)i), names[i]);
		cr_assert_eq(ct_precision_bits((enum ct_precision)i), bits[i]);
	}
	cr_assert_str_eq(ct_eccn_name(CT_ECCN_NONE), "none");
	cr_assert_str_eq(ct_eccn_name(CT_ECCN_3A090A), "3A090.a");
	cr_assert_str_eq(ct_eccn_name(CT_ECCN_3A090B), "3A090.b");
	cr_assert_str_eq(ct_eccn_name(CT_ECCN_UNDETERMINED), "undetermined");
}

Test(classify, product_init_unknown)
{
	struct ct_product p;

	memset(&p, 0x5a, sizeof(p));
	ct_product_init(&p);
	for (int i = 0; i < CT_PREC_COUNT; i++)
		cr_assert(isnan(p.rate[i]));
	cr_assert(isnan(p.bw_gbs) && isnan(p.mem_gb) && isnan(p.die_mm2));
	cr_assert_eq(p.datacenter, 1);
	cr_assert_eq(p.us_available, CT_DATE_NONE);
	cr_assert_str_eq(p.model, "");
}

Test(classify, tpp_4799_and_4800)
{
	struct ct_product p = chip(CT_FP8, 599.875, NAN);
	struct ct_classification c = classify(&p);

	cr_assert_eq(c.tpp, 4799.0);
	cr_assert_eq(c.tpp_from, CT_FP8);
	cr_assert(isnan(c.pd));
	/* In the open band and no die area: density decides, and is unknown. */
	cr_assert_eq(c.eccn, CT_ECCN_UNDETERMINED);
	/* The same TPP with a low density is out. */
	cr_assert_eq(eccn_of(CT_FP8, 599.875, 4000), CT_ECCN_NONE);
	/* 4800 is .a on TPP alone, die area or not. */
	cr_assert_eq(eccn_of(CT_FP8, 600, NAN), CT_ECCN_3A090A);
	cr_assert_eq(eccn_of(CT_FP8, 600, 100000), CT_ECCN_3A090A);
}

Test(classify, pd_592_boundary)
{
	/* fp16 185 x 16 = 2960; / 500 mm2 = 5.92 exactly. */
	struct ct_product p = chip(CT_FP16, 185, 500);
	struct ct_classification c = classify(&p);

	cr_assert_eq(c.tpp, 2960.0);
	cr_assert_eq(c.pd, 5.92);
	cr_assert_eq(c.eccn, CT_ECCN_3A090A);
	/* Just below 5.92, still >= 3.2: .b. */
	cr_assert_eq(eccn_of(CT_FP16, 185, 500.001), CT_ECCN_3A090B);
	/* PD 5.92 needs TPP >= 1600: 1599.84 with a tiny die is out. */
	cr_assert_eq(eccn_of(CT_FP16, 99.99, 1), CT_ECCN_NONE);
	/* TPP exactly 1600 and PD >= 5.92: .a. */
	cr_assert_eq(eccn_of(CT_FP16, 100, 200), CT_ECCN_3A090A);
}

Test(classify, pd_32_boundary)
{
	/* TPP 1600 (below the 2400 edge), PD 3.2 exactly: .b by the alternative. */
	cr_assert_eq(eccn_of(CT_FP16, 100, 500), CT_ECCN_3A090B);
	/* Just below 3.2 with TPP < 2400: none. */
	cr_assert_eq(eccn_of(CT_FP16, 100, 500.001), CT_ECCN_NONE);
}

Test(classify, pd_16_and_tpp_2400_edge)
{
	/* TPP 2400 exactly, PD 1.6 exactly: .b. */
	struct ct_product p = chip(CT_FP16, 150, 1500);
	struct ct_classification c = classify(&p);

	cr_assert_eq(c.tpp, 2400.0);
	cr_assert_eq(c.pd, 1.6);
	cr_assert_eq(c.eccn, CT_ECCN_3A090B);
	/* TPP 2400, PD just under 1.6: none. */
	cr_assert_eq(eccn_of(CT_FP16, 150, 1500.01), CT_ECCN_NONE);
	/* TPP just under 2400 (2399.84), PD 1.6: the low range does not apply. */
	cr_assert_eq(eccn_of(CT_FP16, 149.99, 1499.9), CT_ECCN_NONE);
	/* Upper end of the TPP range: 4799 with PD 1.6002 is .b. */
	cr_assert_eq(eccn_of(CT_FP8, 599.875, 2999), CT_ECCN_3A090B);
}

Test(classify, non_datacenter_note)
{
	/* TPP 4000, PD 6: .a for a data-center part ... */
	struct ct_product p = chip(CT_FP16, 250, 4000.0 / 6);

	cr_assert_eq(classify(&p).eccn, CT_ECCN_3A090A);
	/* ... but the note takes a non-data-center part below 4800 out, */
	p.datacenter = 0;
	cr_assert_eq(classify(&p).eccn, CT_ECCN_NONE);
	/* even when its die area is unknown, */
	p.die_mm2 = NAN;
	cr_assert_eq(classify(&p).eccn, CT_ECCN_NONE);
	/* and not at 4800 or above. */
	p.rate[CT_FP16] = 300;
	cr_assert_eq(classify(&p).eccn, CT_ECCN_3A090A);
}

Test(classify, missing_die_area_only_undetermined_in_open_band)
{
	cr_assert_eq(eccn_of(CT_FP16, 99.9375, NAN), CT_ECCN_NONE);    /* 1599 */
	cr_assert_eq(eccn_of(CT_FP16, 100, NAN), CT_ECCN_UNDETERMINED); /* 1600 */
	cr_assert_eq(eccn_of(CT_FP16, 200, NAN), CT_ECCN_UNDETERMINED); /* 3200 */
	cr_assert_eq(eccn_of(CT_FP8, 599.875, NAN), CT_ECCN_UNDETERMINED);
	cr_assert_eq(eccn_of(CT_FP8, 600, NAN), CT_ECCN_3A090A);
	/* A zero die area is as good as unknown. */
	cr_assert_eq(eccn_of(CT_FP16, 200, 0), CT_ECCN_UNDETERMINED);
}

Test(classify, no_rates)
{
	struct ct_product p;
	struct ct_classification c;

	ct_product_init(&p);
	p.die_mm2 = 800;
	ct_classify(&p, &T, &c);
	/* unknown compute is not zero compute */
	cr_assert(isnan(c.tpp));
	cr_assert(isnan(c.pd));
	cr_assert_eq(c.eccn, CT_ECCN_UNDETERMINED);
}

Test(classify, tie_keeps_earlier_precision)
{
	struct ct_product p = chip(CT_BF16, 100, NAN);
	struct ct_classification c;

	p.rate[CT_FP16] = 100;
	p.rate[CT_FP4] = 400;   /* 1600 too */
	c = classify(&p);
	cr_assert_eq(c.tpp, 1600.0);
	cr_assert_eq(c.tpp_from, CT_FP16);
}

/* Dense figures; NVIDIA datasheets quote sparse FP8 as 3958. */
static struct ct_product h200(void)
{
	struct ct_product p;

	ct_product_init(&p);
	strcpy(p.model, "H200");
	p.rate[CT_FP64] = 34;
	p.rate[CT_FP32] = 67;
	p.rate[CT_TF32] = 494.5;
	p.rate[CT_FP16] = 989.5;
	p.rate[CT_BF16] = 989.5;
	p.rate[CT_FP8] = 1979;
	p.rate[CT_INT8] = 1979;
	p.bw_gbs = 4800;
	p.die_mm2 = 814;
	p.us_available = ct_date_from_ymd(2024, 11, 18);
	return p;
}

static struct ct_product h20(void)
{
	struct ct_product p;

	ct_product_init(&p);
	strcpy(p.model, "H20");
	p.rate[CT_FP16] = 148;
	p.rate[CT_BF16] = 148;
	p.rate[CT_FP8] = 296;
	p.rate[CT_INT8] = 296;
	p.bw_gbs = 4000;
	p.die_mm2 = 814;
	return p;
}

Test(classify, real_chips)
{
	struct ct_product p = h200();
	struct ct_classification c = classify(&p);

	cr_assert_eq(c.tpp, 15832.0);
	cr_assert_eq(c.tpp_from, CT_FP16); /* 989.5 x 16 = 15832 too, and fp16 comes first */
	cr_assert_eq(c.eccn, CT_ECCN_3A090A);

	p = h20();
	c = classify(&p);
	cr_assert_eq(c.tpp, 2368.0);
	cr_assert_float_eq(c.pd, 2.909, 0.001);
	cr_assert_eq(c.eccn, CT_ECCN_NONE);
}

static struct ct_program ceiling_program(void)
{
	struct ct_program prog;

	memset(&prog, 0, sizeof(prog));
	strcpy(prog.id, "ceiling");
	prog.has_ceiling = true;
	prog.max_tpp = 21000;
	prog.max_bw_gbs = 6500;
	prog.effective_until = CT_DATE_NONE;
	prog.us_available_by = CT_DATE_NONE;
	return prog;
}

static bool covered(double fp8, double bw)
{
	struct ct_program prog = ceiling_program();
	struct ct_product p = chip(CT_FP8, fp8, 800);
	struct ct_classification c = classify(&p);

	p.bw_gbs = bw;
	return ct_program_covers_product(&prog, &p, &c);
}

Test(classify, program_ceilings)
{
	cr_assert(covered(2624.875, 6000));      /* TPP 20999 */
	cr_assert_not(covered(2625, 6000));      /* TPP 21000 */
	cr_assert(covered(2000, 6499));
	cr_assert_not(covered(2000, 6500));
	cr_assert_not(covered(2000, NAN));       /* unknown bandwidth: not shown under */
	cr_assert(covered(2614.875, 6000));      /* MI325X-like: 20919 */
	cr_assert_not(covered(4500, 7700));      /* B200-like: 36000 */

	struct ct_program prog = ceiling_program();
	struct ct_product p = h200();
	struct ct_classification c = classify(&p);

	cr_assert(ct_program_covers_product(&prog, &p, &c));
}

Test(classify, named_products_ignore_case_and_ceiling)
{
	struct ct_program prog;
	struct ct_product p = h20();
	struct ct_classification c = classify(&p);

	memset(&prog, 0, sizeof(prog));
	strcpy(prog.named[0], "MI308X");
	strcpy(prog.named[1], "h20");
	prog.n_named = 2;
	cr_assert(ct_program_covers_product(&prog, &p, &c));
	strcpy(p.model, "H200");
	cr_assert_not(ct_program_covers_product(&prog, &p, &c));
	/* Named products need no figures at all. */
	p.bw_gbs = NAN;
	strcpy(p.model, "mi308x");
	cr_assert(ct_program_covers_product(&prog, &p, &c));
}

Test(classify, availability)
{
	struct ct_program prog = ceiling_program();
	struct ct_product p = h200();

	cr_assert(ct_program_availability_ok(&prog, &p)); /* no requirement */
	prog.us_available_by = ct_date_from_ymd(2026, 1, 15);
	cr_assert(ct_program_availability_ok(&prog, &p));
	p.us_available = ct_date_from_ymd(2026, 1, 15);
	cr_assert(ct_program_availability_ok(&prog, &p));
	p.us_available = ct_date_from_ymd(2026, 1, 16);
	cr_assert_not(ct_program_availability_ok(&prog, &p));
	p.us_available = CT_DATE_NONE;
	cr_assert_not(ct_program_availability_ok(&prog, &p));
}
