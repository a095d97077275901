/* Calendar dates as days since 1970-01-01 (proleptic Gregorian, UTC). */
#ifndef CHIPTOLL_DATE_H
#define CHIPTOLL_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t ct_date;
#define CT_DATE_NONE INT32_MIN  /* "no date": open end, unknown */

/* Parses exactly YYYY-MM-DD (years 1900..9999), checking month lengths and
 * leap years. Returns false on anything else. */
bool ct_date_parse(const char *text, ct_date *out);
/* Writes YYYY-MM-DD and a NUL into buf (11 bytes); "" for CT_DATE_NONE. */
void ct_date_format(ct_date d, char buf[static 11]);
/* The UTC date of a Unix time in seconds. */
ct_date ct_date_from_unix(int64_t seconds);
ct_date ct_date_from_ymd(int y, int m, int d);

#endif
