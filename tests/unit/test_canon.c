/* The canonical writer must print exactly what jansson prints with the
 * flags the audit chain uses: the same state written either way must
 * hash the same. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "chiptoll/canon.h"

static const size_t FLAGS = JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY;

static void expect_same(struct ct_canon *w, json_t *tree)
{
	char *want = json_dumps(tree, FLAGS);
	cr_assert_not(w->oom);
	cr_assert_str_eq(w->buf, want);
	/* and the writer's text parses back to the same canonical text */
	json_t *back = json_loads(w->buf, JSON_DECODE_ANY, NULL);
	cr_assert_not_null(back, "writer text is not JSON: %s", w->buf);
	char *again = json_dumps(back, FLAGS);
	cr_assert_str_eq(again, want);
	free(again);
	free(want);
	json_decref(back);
	json_decref(tree);
	ct_canon_free(w);
}

Test(canon, scalars_and_escapes)
{
	static const char *strings[] = {
		"", "plain", "quote\" backslash\\ slash/", "\b\f\n\r\t", "\x01\x1f\x7f",
		"北京智谱华章科技有限公司", "é ü ß", "𝄞 astral", "mixed 中 \"x\" \n"};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		struct ct_canon w;
		ct_canon_init(&w);
		ct_canon_str(&w, strings[i]);
		expect_same(&w, json_string(strings[i]));
	}
	static const int64_t ints[] = {0, 1, -1, 202500000, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		struct ct_canon w;
		ct_canon_init(&w);
		ct_canon_int(&w, ints[i]);
		expect_same(&w, json_integer(ints[i]));
	}
}

Test(canon, nested_objects_and_arrays)
{
	struct ct_canon w;
	ct_canon_init(&w);
	ct_canon_obj_begin(&w);
	ct_canon_key(&w, "a");
	ct_canon_arr_begin(&w);
	ct_canon_arr_end(&w);
	ct_canon_key(&w, "b");
	ct_canon_obj_begin(&w);
	ct_canon_obj_end(&w);
	ct_canon_key(&w, "list");
	ct_canon_arr_begin(&w);
	ct_canon_int(&w, 1);
	ct_canon_str(&w, "two");
	ct_canon_null(&w);
	ct_canon_bool(&w, true);
	ct_canon_bool(&w, false);
	ct_canon_obj_begin(&w);
	ct_canon_key(&w, "account");
	ct_canon_str(&w, "vendor_fee_payable");
	ct_canon_key(&w, "amount_cents");
	ct_canon_int(&w, -5);
	ct_canon_obj_end(&w);
	ct_canon_arr_begin(&w);
	ct_canon_arr_end(&w);
	ct_canon_arr_end(&w);
	ct_canon_key(&w, "unit_value_cents");
	ct_canon_int(&w, 2700000);
	ct_canon_key(&w, "units");
	ct_canon_raw(&w, "8", 1);
	ct_canon_obj_end(&w);
	json_t *tree = json_pack("{s:[], s:{}, s:[i, s, n, b, b, {s:s, s:i}, []], s:i, s:i}",
				 "a", "b", "list", 1, "two", 1, 0, "account",
				 "vendor_fee_payable", "amount_cents", -5, "unit_value_cents", 2700000,
				 "units", 8);
	expect_same(&w, tree);
}

Test(canon, keys_out_of_order_abort, .signal = SIGABRT)
{
	struct ct_canon w;
	ct_canon_init(&w);
	ct_canon_obj_begin(&w);
	ct_canon_key(&w, "units");
	ct_canon_int(&w, 1);
	/* "unit_value_cents" sorts before "units": writing it after is a bug */
	ct_canon_key(&w, "unit_value_cents");
}
