/* SPDX-License-Identifier: BSD-2-Clause */
/* test_core.c - string views, arena, buffers, SHA-1, UTF-8. */
#include "core/core.h"
#include "t.h"

T_TEST(test_sv_find)
{
	static const struct {
		const char *hay, *needle;
		long at, iat;
	} cases[] = {
		{ "User Unknown", "unknown", -1, 5 },
		{ "User Unknown", "Unknown", 5, 5 },
		{ "abc", "", 0, 0 },
		{ "ab", "abc", -1, -1 },
		{ "xxXXxY", "xy", -1, 4 },
		{ "\xe3\x81\x82 user", "USER", -1, 4 },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv h = bk_sv_c(cases[i].hay), n = bk_sv_c(cases[i].needle);
		T_CHECK_AT(bk_sv_find(h, n) == cases[i].at, i);
		T_CHECK_AT(bk_sv_ifind(h, n) == cases[i].iat, i);
	}
}

/* The searches work sixteen or thirty-two positions at a time with a tail
 * block: against the obvious loop, over texts of every length up to 100
 * made of few letters (many near misses), needles of 1 to 9 bytes. */
static long
naive_find(struct bk_sv h, struct bk_sv n, bool icase)
{
	for (size_t i = 0; i + n.n <= h.n; i++) {
		size_t k = 0;
		while (k < n.n && (icase ? bk_lower((unsigned char)h.p[i + k]) ==
					   bk_lower((unsigned char)n.p[k])
					 : h.p[i + k] == n.p[k]))
			k++;
		if (k == n.n)
			return (long)i;
	}
	return -1;
}

T_TEST(test_sv_find_blocks)
{
	static const char alpha[] = "abAB@`";
	char hay[100], nee[9];
	unsigned seed = 12345;
	int bad = 0;
	for (int round = 0; round < 3000 && !bad; round++) {
		size_t hn = (size_t)round % 100, nn = 1 + (size_t)round % 9;
		for (size_t i = 0; i < hn; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] = alpha[(seed >> 16) % 6];
		}
		for (size_t i = 0; i < nn; i++) {
			seed = seed * 1103515245u + 12345u;
			nee[i] = alpha[(seed >> 16) % 6];
		}
		struct bk_sv h = bk_sv_make(hay, hn), n = bk_sv_make(nee, nn);
		bad += bk_sv_find(h, n) != naive_find(h, n, false);
		bad += bk_sv_ifind(h, n) != naive_find(h, n, true);
	}
	T_CHECK(bad == 0);
}

/* bk_is_space is a bit mask: the six white-space bytes and no other
 * value, negative ones included. */
T_TEST(test_is_space)
{
	int bad = 0;
	for (int c = -300; c < 300; c++) {
		bool want = c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == '\f' || c == '\v';
		bad += bk_is_space(c) != want;
	}
	T_CHECK(bad == 0);
}

T_TEST(test_sv_lines)
{
	struct bk_sv rest = BK_SV("a\n\nbc\nd"), line;
	const char *want[] = { "a", "", "bc", "d" };
	size_t n = 0;
	while (bk_sv_next_line(&rest, &line)) {
		T_CHECK_AT(n < 4 && bk_sv_eq(line, bk_sv_c(want[n])), n);
		n++;
	}
	T_CHECK(n == 4);
}

T_TEST(test_sv_trim_cut)
{
	struct bk_sv head;
	T_CHECK(bk_sv_eq(bk_sv_trim(BK_SV(" \t x y \n")), BK_SV("x y")));
	struct bk_sv tail = bk_sv_cut(BK_SV("rfc822; a@b"), ';', &head);
	T_CHECK(bk_sv_eq(head, BK_SV("rfc822")) && bk_sv_eq(tail, BK_SV(" a@b")));
	tail = bk_sv_cut(BK_SV("none"), ';', &head);
	T_CHECK(tail.p == NULL && bk_sv_eq(head, BK_SV("none")));
	T_CHECK(bk_sv_istarts(BK_SV("Final-Recipient: x"), BK_SV("final-recipient")));
	T_CHECK(bk_sv_iends(BK_SV("mx.Example.COM"), BK_SV(".example.com")));
}

T_TEST(test_arena_cap)
{
	struct bk_arena a;
	bk_arena_init(&a, 1000);
	T_CHECK(bk_arena_alloc(&a, 500) != NULL);
	T_CHECK(bk_arena_alloc(&a, 600) == NULL);	/* over the cap */
	T_CHECK(a.failed);
	T_CHECK(bk_arena_alloc(&a, 1) == NULL);		/* sticky */
	bk_arena_reset(&a);
	T_CHECK(!a.failed && bk_arena_alloc(&a, 100) != NULL);
	char *big = bk_arena_alloc(&a, 800);
	T_CHECK(big != NULL);
	bk_arena_free(&a);
}

T_TEST(test_arena_many_blocks)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (int i = 0; i < 2000; i++) {
		char *p = bk_arena_alloc(&a, 1000);
		T_CHECK_AT(p != NULL, i);
		if (p)
			memset(p, 'x', 1000);
	}
	bk_arena_reset(&a);
	T_CHECK(bk_arena_alloc(&a, 10) != NULL);
	bk_arena_free(&a);
}

T_TEST(test_buf_cap)
{
	struct bk_buf b;
	bk_buf_init(&b, 10);
	bk_buf_adds(&b, "12345");
	T_CHECK(b.n == 5 && !b.failed);
	bk_buf_adds(&b, "678901");
	T_CHECK(b.failed);
	bk_buf_free(&b);
}

T_TEST(test_sha1)
{
	static const struct {
		const char *in, *hex;
	} cases[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		char out[41];
		bk_sha1_hex(cases[i].in, strlen(cases[i].in), out);
		T_CHECK_AT(strcmp(out, cases[i].hex) == 0, i);
	}
	/* lengths around the block and padding edges, "a" repeated */
	static const struct {
		size_t n;
		const char *hex;
	} runs[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
		{ 200, "e61cfffe0d9195a525fc6cf06ca2d77119c24a40" },
	};
	char a[200];
	memset(a, 'a', sizeof(a));
	/* both paths: the processor's SHA instructions (where there are
	 * some) and the portable rounds */
	for (int hw = 1; hw >= 0; hw--) {
		bk_sha1_hw(hw);
		for (size_t i = 0; i < BK_NELEM(runs); i++) {
			char out[41];
			bk_sha1_hex(a, runs[i].n, out);
			T_CHECK_AT(strcmp(out, runs[i].hex) == 0, i);
		}
	}
	bk_sha1_hw(true);
}

T_TEST(test_utf8_fix)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "\xe3\x81\x82", "\xe3\x81\x82" },
		{ "a\xffz", "a\xef\xbf\xbdz" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },	/* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xe3\x81", "\xef\xbf\xbd\xef\xbf\xbd" },	/* truncated */
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv out = bk_utf8_fix(&a, bk_sv_c(cases[i].in));
		T_CHECK_AT(bk_sv_eq(out, bk_sv_c(cases[i].want)), i);
		T_CHECK_AT(bk_utf8_valid(out), i);
	}
	bk_arena_free(&a);
}
