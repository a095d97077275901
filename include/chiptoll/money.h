/* Money is integer cents in int64_t; rates are basis points (1/100 of 1%).
 * No floating point touches an amount. */
#ifndef CHIPTOLL_MONEY_H
#define CHIPTOLL_MONEY_H

#include <stdbool.h>
#include <stdint.h>

/* Parses a positive USD amount: digits, optionally '.' and one or two
 * decimals ("27000", "27000.5", "27000.50"). Refuses signs, exponents,
 * separators, more than two decimals, zero, and amounts above
 * CT_USD_MAX_CENTS. On failure returns false and sets *why to a static
 * sentence saying what is wrong. */
bool ct_money_parse_usd(const char *text, int64_t *cents, const char **why);
/* "2025000.00" (no separators, '-' for negatives); buf holds 32 bytes. */
void ct_money_format(int64_t cents, char buf[static 32]);
/* units x unit_value_cents x rate_bp / 10000, rounded half up to the cent,
 * computed in 128-bit integers. Inputs must be non-negative and within
 * CT_UNITS_MAX, CT_USD_MAX_CENTS and 10000 bp; the result fits int64. */
int64_t ct_fee_cents(int64_t units, int64_t unit_value_cents, int32_t rate_bp);
/* floor(base_units x ratio_bp / 10000), in 128-bit integers. */
int64_t ct_cap_units(int64_t base_units, int32_t ratio_bp);

#endif
