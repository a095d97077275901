/* Amount parsing, formatting, fee rounding and cap arithmetic. */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chiptoll/limits.h"
#include "chiptoll/money.h"

Test(money, parse_accepts)
{
	static const struct {
		const char *text;
		int64_t cents;
	} ok[] = {
		{ "27000", 2700000 },
		{ "27000.5", 2700050 },
		{ "27000.50", 2700050 },
		{ "27000.05", 2700005 },
		{ "0.01", 1 },
		{ "0.5", 50 },
		{ "1", 100 },
		{ "007", 700 },
		{ "1000000000", CT_USD_MAX_CENTS },
		{ "1000000000.00", CT_USD_MAX_CENTS },
		{ "999999999.99", CT_USD_MAX_CENTS - 1 },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t c = -1;
		const char *why = NULL;

		cr_assert(ct_money_parse_usd(ok[i].text, &c, &why), "%s: %s", ok[i].text,
			  why ? why : "");
		cr_assert_eq(c, ok[i].cents, "%s", ok[i].text);
	}
}

Test(money, parse_refuses_with_distinct_reasons)
{
	static const char *bad[] = {
		"", "-1", "+1", "1e3", "1,000", "1.234", ".5", "1.", " 1", "1 ", "0", "0.00",
		"1000000000.01", "1000000001", "12345678901234567890123", "abc", "1.2.3",
		"1_000", "0x10", "1E3", "١",
	};
	const char *whys[sizeof(bad) / sizeof(bad[0])];
	int64_t c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		whys[i] = NULL;
		cr_assert_not(ct_money_parse_usd(bad[i], &c, &whys[i]), "should refuse '%s'",
			      bad[i]);
		cr_assert_not_null(whys[i], "%s", bad[i]);
		cr_assert_gt(strlen(whys[i]), 10);
	}
	cr_assert_not(ct_money_parse_usd(NULL, &c, NULL));

	/* The kinds of mistake each get their own sentence. */
	const char *empty = whys[0], *sign = whys[1], *expo = whys[3], *sep = whys[4],
		   *decs = whys[5], *lead = whys[6], *dot = whys[7], *space = whys[8],
		   *zero = whys[10], *big = whys[12], *many = whys[14], *junk = whys[15];
	const char *kinds[] = { empty, sign, expo, sep, decs, lead, dot, space, zero, big,
				many, junk };

	for (size_t a = 0; a < sizeof(kinds) / sizeof(kinds[0]); a++)
		for (size_t b = a + 1; b < sizeof(kinds) / sizeof(kinds[0]); b++)
			cr_assert_str_neq(kinds[a], kinds[b], "%zu vs %zu", a, b);
	cr_assert_str_eq(whys[1], whys[2]);   /* - and + */
	cr_assert_str_eq(whys[10], whys[11]); /* 0 and 0.00 */
	cr_assert_str_eq(whys[12], whys[13]); /* both above the limit */
}

Test(money, format)
{
	char buf[32];

	ct_money_format(0, buf);
	cr_assert_str_eq(buf, "0.00");
	ct_money_format(5, buf);
	cr_assert_str_eq(buf, "0.05");
	ct_money_format(-525, buf);
	cr_assert_str_eq(buf, "-5.25");
	ct_money_format(-5, buf);
	cr_assert_str_eq(buf, "-0.05");
	ct_money_format(202500000, buf);
	cr_assert_str_eq(buf, "2025000.00");
	ct_money_format(INT64_MAX, buf);
	cr_assert_str_eq(buf, "92233720368547758.07");
	ct_money_format(INT64_MIN, buf);
	cr_assert_str_eq(buf, "-92233720368547758.08");
}

Test(money, fee_examples)
{
	/* 300 H200 at US$27,000.00 at 25%: US$2,025,000.00. */
	cr_assert_eq(ct_fee_cents(300, 2700000, 2500), 202500000);
	/* 25% of one US$27,000 unit is US$6,750. */
	cr_assert_eq(ct_fee_cents(1, 2700000, 2500), 675000);
	cr_assert_eq(ct_fee_cents(10, 1000000, 1500), 1500000);
	cr_assert_eq(ct_fee_cents(0, 2700000, 2500), 0);
	cr_assert_eq(ct_fee_cents(5, 2700000, 0), 0);
}

Test(money, fee_rounds_half_up)
{
	/* 1 x 2 cents x 2500 bp = 0.5 cent exactly: rounds up to 1. */
	cr_assert_eq(ct_fee_cents(1, 2, 2500), 1);
	/* 1 x 1 cent x 4999 bp = 0.4999 cent: rounds down. */
	cr_assert_eq(ct_fee_cents(1, 1, 4999), 0);
	/* 1 x 1 cent x 5000 bp = 0.5 cent: up. */
	cr_assert_eq(ct_fee_cents(1, 1, 5000), 1);
	/* 3 x 33 cents x 1500 bp = 14.85 cents: 15; x 1495 bp = 14.8005: 15;
	 * 1 x 10 cents x 1450 bp = 1.45: 1. */
	cr_assert_eq(ct_fee_cents(3, 33, 1500), 15);
	cr_assert_eq(ct_fee_cents(1, 10, 1450), 1);
	/* 1.5 cents up to 2, 2.5 to 3 (half up, not to even). */
	cr_assert_eq(ct_fee_cents(1, 3, 5000), 2);
	cr_assert_eq(ct_fee_cents(1, 5, 5000), 3);
	/* 2.4999 cents: down. */
	cr_assert_eq(ct_fee_cents(1, 5, 4999), 2);
}

Test(money, fee_max_inputs_do_not_overflow)
{
	/* 1e6 units x 1e11 cents x 10000 bp = 1e21 before the division: past
	 * int64, within int128. */
	cr_assert_eq(ct_fee_cents(CT_UNITS_MAX, CT_USD_MAX_CENTS, 10000),
		     (int64_t)CT_UNITS_MAX * CT_USD_MAX_CENTS);
	cr_assert_eq(ct_fee_cents(CT_UNITS_MAX, CT_USD_MAX_CENTS, 2500),
		     (int64_t)CT_UNITS_MAX * CT_USD_MAX_CENTS / 4);
	cr_assert_eq(ct_fee_cents(CT_UNITS_MAX, CT_USD_MAX_CENTS - 1, 1),
		     (int64_t)((CT_UNITS_MAX * (__int128)(CT_USD_MAX_CENTS - 1) + 5000) / 10000));
}

Test(money, cap_floors)
{
	cr_assert_eq(ct_cap_units(1000, 5000), 500);
	cr_assert_eq(ct_cap_units(1001, 5000), 500);
	cr_assert_eq(ct_cap_units(1, 5000), 0);
	cr_assert_eq(ct_cap_units(3, 3333), 0);
	cr_assert_eq(ct_cap_units(0, 5000), 0);
	cr_assert_eq(ct_cap_units(9999, 10000), 9999);
	cr_assert_eq(ct_cap_units(19999, 1), 1);
	cr_assert_eq(ct_cap_units(INT64_MAX, 10000), INT64_MAX);
	cr_assert_eq(ct_cap_units(INT64_MAX, 5000), INT64_MAX / 2);
}
