/* Civil calendar arithmetic on days since 1970-01-01.
 *
 * Written by hand rather than with mktime/timegm: those depend on the
 * process time zone and locale, and core must be pure. The conversions
 * follow Howard Hinnant's era-based algorithm ("chrono-Compatible Low-Level
 * Date Algorithms"): shifting the year to start in March puts the leap day
 * last, so a year's day count needs no table. */
#include <string.h>

#include "chiptoll/date.h"

/* Floor division: C's '/' truncates toward zero, which is wrong for dates
 * before the epoch. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

ct_date ct_date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                       /* [0, 399] */
	int64_t mp = (m + 9) % 12;                          /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;           /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */

	return (ct_date)(era * 146097 + doe - 719468);
}

static void civil_from_days(ct_date days, int *y, int *m, int *d)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool ct_date_parse(const char *text, ct_date *out)
{
	int y, m, d;

	if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return false;
	y = digits(text, 4);
	m = digits(text + 5, 2);
	d = digits(text + 8, 2);
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	if (d > month_days(y, m))
		return false;
	*out = ct_date_from_ymd(y, m, d);
	return true;
}

static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void ct_date_format(ct_date d, char buf[static 11])
{
	int y, m, day;

	if (d == CT_DATE_NONE) {
		buf[0] = '\0';
		return;
	}
	civil_from_days(d, &y, &m, &day);
	/* Years outside 0..9999 cannot come from ct_date_parse; write a
	 * recognisably bad date rather than overflow the 11-byte buffer. */
	if (y < 0 || y > 9999)
		y = m = day = 0;
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, day, 2);
	buf[10] = '\0';
}

ct_date ct_date_from_unix(int64_t seconds)
{
	return (ct_date)floor_div(seconds, 86400);
}
