/* Calendar arithmetic and strict date parsing. */
#include <criterion/criterion.h>

#include "chiptoll/date.h"

static ct_date parse_ok(const char *s)
{
	ct_date d = 0;

	cr_assert(ct_date_parse(s, &d), "should parse: %s", s);
	return d;
}

Test(date, epoch_and_known_days)
{
	cr_assert_eq(parse_ok("1970-01-01"), 0);
	cr_assert_eq(parse_ok("1970-01-02"), 1);
	cr_assert_eq(parse_ok("1969-12-31"), -1);
	cr_assert_eq(parse_ok("2000-03-01"), 11017);
	/* 2026-01-15: 56 years incl. 14 leap days, plus 14 days. */
	cr_assert_eq(parse_ok("2026-01-15"), 56 * 365 + 14 + 14);
	cr_assert_eq(parse_ok("1900-01-01"), -25567);
	cr_assert_eq(ct_date_from_ymd(2026, 1, 15), parse_ok("2026-01-15"));
}

Test(date, leap_years)
{
	ct_date d;

	cr_assert(ct_date_parse("2024-02-29", &d));
	cr_assert(ct_date_parse("2000-02-29", &d));
	cr_assert_not(ct_date_parse("2025-02-29", &d));
	cr_assert_not(ct_date_parse("1900-02-29", &d));
	cr_assert_not(ct_date_parse("2100-02-29", &d));
	cr_assert_eq(parse_ok("2024-03-01") - parse_ok("2024-02-28"), 2);
	cr_assert_eq(parse_ok("2025-03-01") - parse_ok("2025-02-28"), 1);
}

Test(date, bad_formats)
{
	static const char *bad[] = {
		"", "2026-1-15", "2026-01-5", "26-01-15", "2026/01/15", "2026-01-15 ",
		" 2026-01-15", "2026-01-15T00", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-01-32", "2026-04-31", "1899-12-31", "+026-01-15", "2026-0a-15",
		"20260115", "2026-01--1", "-001-01-01",
	};
	ct_date d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(ct_date_parse(bad[i], &d), "should refuse: '%s'", bad[i]);
	cr_assert_not(ct_date_parse(NULL, &d));
	cr_assert(ct_date_parse("9999-12-31", &d));
}

Test(date, format_round_trip)
{
	static const char *days[] = { "1900-01-01", "1969-12-31", "1970-01-01", "2000-02-29",
				      "2024-02-29", "2025-08-11", "2026-01-15", "9999-12-31" };
	char buf[11];

	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		ct_date_format(parse_ok(days[i]), buf);
		cr_assert_str_eq(buf, days[i]);
	}
	ct_date_format(CT_DATE_NONE, buf);
	cr_assert_str_eq(buf, "");
}

Test(date, every_day_round_trips)
{
	/* Every day from 1900 to 2400 formats and parses back to itself, and
	 * consecutive days are consecutive numbers. */
	ct_date first = parse_ok("1900-01-01"), last = parse_ok("2400-12-31");
	char buf[11];

	for (ct_date d = first; d <= last; d++) {
		ct_date back;

		ct_date_format(d, buf);
		cr_assert(ct_date_parse(buf, &back), "%s", buf);
		cr_assert_eq(back, d, "%s", buf);
	}
}

Test(date, from_unix_floors)
{
	cr_assert_eq(ct_date_from_unix(0), 0);
	cr_assert_eq(ct_date_from_unix(86399), 0);
	cr_assert_eq(ct_date_from_unix(86400), 1);
	cr_assert_eq(ct_date_from_unix(-1), -1);
	cr_assert_eq(ct_date_from_unix(-86400), -1);
	cr_assert_eq(ct_date_from_unix(-86401), -2);
	/* 2026-01-15T12:00:00Z */
	cr_assert_eq(ct_date_from_unix(1768478400), parse_ok("2026-01-15"));
}
