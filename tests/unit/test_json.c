/* SPDX-License-Identifier: BSD-2-Clause */
/* test_json.c - the one JSON reader (lib/core/json.h): in place, and its
 * strict mode. */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "t.h"

T_TEST(test_json_value)
{
	static const struct {
		const char *in, *want;	/* want NULL: no value */
	} cases[] = {
		{ "  {\"a\":1} trailing", "{\"a\":1}" },
		{ "[1,[2,{\"x\":\"]\"}]]--", "[1,[2,{\"x\":\"]\"}]]" },
		{ "\"a\\\"b\" x", "\"a\\\"b\"" },
		/* strings longer than a sixteen-byte block: escapes on and
		 * across its edges, a backslash last */
		{ "\"0123456789abcde\\\"0123456789abcd\\\\\",", "\"0123456789abcde\\\"0123456789abcd\\\\\"" },
		{ "[\"0123456789abcdef0123456789\",\"]\"]x", "[\"0123456789abcdef0123456789\",\"]\"]" },
		{ "\"0123456789abcdef0123456789\\\"", NULL },
		{ "-12.5e3,", "-12.5e3" },
		{ "true]", "true" },
		{ "{\"a\":", NULL },		/* cut off */
		{ "\"open", NULL },
		{ "", NULL },
		{ "  ", NULL },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv v = bk_json_value(bk_sv_c(cases[i].in));
		T_CHECK_AT((v.p != NULL) == (cases[i].want != NULL), i);
		if (v.p && cases[i].want)
			T_CHECK_AT(bk_sv_eq(v, bk_sv_c(cases[i].want)), i);
	}
}

T_TEST(test_json_get)
{
	static const struct {
		const char *obj, *key, *want;
	} cases[] = {
		{ "{\"a\":1,\"b\":\"x\"}", "b", "\"x\"" },
		{ "{ \"a\" : { \"b\" : 2 } , \"b\" : [3] }", "b", "[3]" },
		{ "{\"a\":{\"b\":2}}", "b", NULL },	/* only this level */
		{ "{\"k\\\"\":1,\"k\":2}", "k", "2" },
		{ "{}", "a", NULL },
		{ "[\"a\",1]", "a", NULL },		/* not an object */
		{ "{\"a\" 1,\"b\":2}", "b", NULL },	/* malformed: stop */
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv obj = bk_json_value(bk_sv_c(cases[i].obj));
		struct bk_sv v = bk_json_get(obj, cases[i].key);
		T_CHECK_AT((v.p != NULL) == (cases[i].want != NULL), i);
		if (v.p && cases[i].want)
			T_CHECK_AT(bk_sv_eq(v, bk_sv_c(cases[i].want)), i);
	}
}

T_TEST(test_json_next)
{
	struct bk_sv arr = bk_json_value(BK_SV("[ \"a\" ,{\"b\":[1,2]}, 3 ]"));
	static const char *const want[] = { "\"a\"", "{\"b\":[1,2]}", "3" };
	struct bk_sv rest = arr, e;
	size_t n = 0;
	while (bk_json_next(&rest, &e)) {
		bool ok = n < BK_NELEM(want) && bk_sv_eq(e, bk_sv_c(want[n]));
		T_CHECK_AT(ok, n);
		n++;
	}
	T_CHECK(n == BK_NELEM(want));
	rest = bk_json_value(BK_SV("[]"));
	T_CHECK(!bk_json_next(&rest, &e));
	rest = BK_SV("{\"a\":1}");
	T_CHECK(!bk_json_next(&rest, &e));
}

T_TEST(test_json_str)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "\"plain\"", "plain" },
		{ "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d" },
		{ "\"l1\\nl2\\tx\"", "l1\nl2\tx" },
		{ "\"\\u00e9\\u3042\"", "\xc3\xa9\xe3\x81\x82" },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80" },	/* pair */
		{ "\"\\ud83dx\"", "\xef\xbf\xbdx" },	/* lone high */
		{ "\"\\uzzzz\"", "\xef\xbf\xbdzzzz" },
		{ "12", NULL },
	};
	struct bk_arena a;
	bk_arena_init(&a, 1 << 20);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv s = bk_json_str(&a, bk_sv_c(cases[i].in));
		T_CHECK_AT((s.p != NULL) == (cases[i].want != NULL), i);
		if (s.p && cases[i].want)
			T_CHECK_AT(bk_sv_eq(s, bk_sv_c(cases[i].want)), i);
	}
	bk_arena_free(&a);
}

T_TEST(test_json_strict)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	/* valid JSON passes as it is */
	T_CHECK(strcmp(bk_json_valid_or_string(&a, "{\"a\":[1,2.5e3,true,null,\"\\u00e9\"]}"),
		       "{\"a\":[1,2.5e3,true,null,\"\\u00e9\"]}") == 0);
	T_CHECK(strcmp(bk_json_valid_or_string(&a, " 42 "), " 42 ") == 0);
	/* what the lenient reader walks through, the strict mode refuses:
	 * the text becomes a JSON string */
	T_CHECK(strcmp(bk_json_valid_or_string(&a, "[}"), "\"[}\"") == 0);
	T_CHECK(strcmp(bk_json_valid_or_string(&a, "{\"a\":01}"), "\"{\\\"a\\\":01}\"") == 0);
	T_CHECK(strcmp(bk_json_valid_or_string(&a, "not json"), "\"not json\"") == 0);
	T_CHECK(strcmp(bk_json_valid_or_string(&a, "[1] [2]"), "\"[1] [2]\"") == 0);
	bk_arena_free(&a);
}
