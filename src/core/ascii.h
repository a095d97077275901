/* Locale-free ASCII helpers shared by core files. Private to src/core.
 *
 * strcasecmp follows the process locale; model names and ids must compare
 * the same whatever locale a front end sets, so core folds ASCII only. */
#ifndef CHIPTOLL_CORE_ASCII_H
#define CHIPTOLL_CORE_ASCII_H

static inline int ct_ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* 0 when a and b are equal ignoring ASCII case. */
static inline int ct_ascii_casecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && ct_ascii_lower(*x) == ct_ascii_lower(*y)) {
		x++;
		y++;
	}
	return ct_ascii_lower(*x) - ct_ascii_lower(*y);
}

#endif
