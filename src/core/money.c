/* USD amounts as integer cents, fee and cap arithmetic.
 *
 * Parsing is by hand rather than strtod/strtoll: floating point would
 * round amounts, and strtoll accepts signs, spaces and 0x prefixes that an
 * amount must not have. */
#include <assert.h>
#include <stddef.h>

#include "chiptoll/limits.h"
#include "chiptoll/money.h"

/* More digits than this cannot be a valid amount; stop accumulating before
 * int64 could overflow. */
#define MONEY_DIGITS_MAX 18

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return false;
}

/* Why a character stopped the number, for the message. */
static bool fail_char(const char **why, char c)
{
	if (c == 'e' || c == 'E')
		return fail(why, "exponents are not allowed: write the amount in plain digits");
	if (c == ',' || c == '_' || c == '\'' || is_space(c))
		return fail(why, "digit separators are not allowed: write 1000.00, not 1,000.00");
	if (c == '.')
		return fail(why, "more than one '.' in the amount");
	return fail(why, "not an amount: use digits with an optional '.' and one or two decimals");
}

bool ct_money_parse_usd(const char *text, int64_t *cents, const char **why)
{
	const char *s = text;
	int64_t whole = 0, frac = 0;
	int n_whole = 0, n_frac = 0;
	size_t len = 0;

	if (!text || !*text)
		return fail(why, "empty amount: give a positive amount such as 27000.00");
	while (text[len])
		len++;
	if (is_space(text[0]) || is_space(text[len - 1]))
		return fail(why, "leading or trailing spaces around the amount");
	if (*s == '-' || *s == '+')
		return fail(why, "signs are not allowed: give a positive amount without '+' or '-'");
	if (*s == '.')
		return fail(why, "at least one digit is needed before '.': write 0.50, not .50");

	for (; is_digit(*s); s++) {
		if (++n_whole > MONEY_DIGITS_MAX)
			return fail(why, "too many digits in the amount");
		whole = whole * 10 + (*s - '0');
	}
	if (n_whole == 0)
		return fail_char(why, *s);

	if (*s == '.') {
		s++;
		for (; is_digit(*s); s++) {
			if (++n_frac > 2)
				return fail(why, "more than two decimals: amounts are in whole cents");
			frac = frac * 10 + (*s - '0');
		}
		if (n_frac == 0)
			return fail(why, "'.' must be followed by one or two decimals");
		if (n_frac == 1)
			frac *= 10;
	}
	if (*s)
		return fail_char(why, *s);

	/* whole < 10^18 here, so compare before multiplying to stay in range. */
	if (whole > CT_USD_MAX_CENTS / 100 ||
	    whole * 100 + frac > CT_USD_MAX_CENTS)
		return fail(why, "amount above the limit of 1000000000.00 USD");
	if (whole == 0 && frac == 0)
		return fail(why, "amount must be greater than zero");
	*cents = whole * 100 + frac;
	return true;
}

void ct_money_format(int64_t cents, char buf[static 32])
{
	/* Work on the magnitude as unsigned so INT64_MIN formats too. */
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	char tmp[32];
	int n = 0, i = 0;

	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (cents < 0)
		tmp[n++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
}

int64_t ct_fee_cents(int64_t units, int64_t unit_value_cents, int32_t rate_bp)
{
	__int128 v;

	/* Callers validate inputs; anything else is a bug, and the 128-bit
	 * bound below only holds within these limits. */
	assert(units >= 0 && units <= CT_UNITS_MAX);
	assert(unit_value_cents >= 0 && unit_value_cents <= CT_USD_MAX_CENTS);
	assert(rate_bp >= 0 && rate_bp <= 10000);

	/* Round half up: add half the divisor before truncating. */
	v = (__int128)units * unit_value_cents * rate_bp;
	return (int64_t)((v + 5000) / 10000);
}

int64_t ct_cap_units(int64_t base_units, int32_t ratio_bp)
{
	__int128 v = (__int128)base_units * ratio_bp;
	__int128 q = v / 10000;

	/* Floor even for a negative base, which C's division would round up. */
	if (v % 10000 != 0 && v < 0)
		q--;
	return (int64_t)q;
}
