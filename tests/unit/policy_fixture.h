/* Test helper: the bundled policy document, read from the source tree.
 * CT_SOURCE_ROOT is defined by the build as the project root. */
#ifndef CT_TEST_POLICY_FIXTURE_H
#define CT_TEST_POLICY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "chiptoll/policy.h"

#define CT_BUNDLED_POLICY CT_SOURCE_ROOT "/data/policy/chiptoll-policy-2026-01-15.json"

/* The file's bytes, NUL-terminated; caller frees. */
static inline char *ct_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The bundled policy, parsed; caller frees. Fails the test if it does not
 * parse. */
static inline struct ct_policy *ct_test_bundled_policy(void)
{
	struct ct_policy *pol = NULL;
	char err[512];
	size_t len;
	char *text = ct_test_read_file(CT_BUNDLED_POLICY, &len);
	enum ct_rc rc = ct_policy_parse(text, len, &pol, err, sizeof(err));

	free(text);
	cr_assert_eq(rc, CT_OK, "bundled policy: %s", err);
	cr_assert_not_null(pol);
	return pol;
}

#endif
