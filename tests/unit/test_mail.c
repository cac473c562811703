/* SPDX-License-Identifier: BSD-2-Clause */
/* test_mail.c - line ends, headers, MIME values, encodings, charsets,
 * dates, addresses, the MIME walk. */
#include <iconv.h>

#include "mail/mail.h"
#include "mail/mime.h"
#include "t.h"

static struct bk_limits lim = { 64u << 20, 1u << 20, 10000, 1u << 20, 64,
				10000, 64u << 20, 10000 };

T_TEST(test_normalize_line_ends)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\r\nb\r\n", "a\nb\n" },
		{ "a\rb\r", "a\nb\n" },
		{ "a\r\nb\rc\nd", "a\nb\nc\nd" },
		{ "a\r\r\nb", "a\n\nb" },
		{ "plain\n", "plain\n" },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv out = bk_text_normalize(&a, bk_sv_c(cases[i].in), false);
		T_CHECK_AT(bk_sv_eq(out, bk_sv_c(cases[i].want)), i);
	}
	struct bk_sv u = bk_text_normalize(&a, BK_SV("x\n>From a\n>>From b\n"), true);
	T_CHECK(bk_sv_eq(u, BK_SV("x\nFrom a\n>From b\n")));
	bk_arena_free(&a);
}

T_TEST(test_headers)
{
	struct bk_arena a;
	struct bk_hdrs h;
	struct bk_sv body;
	unsigned warn = 0;
	bk_arena_init(&a, 0);
	struct bk_sv msg = BK_SV("From MAILER-DAEMON Thu Jan  1 00:00:00 2015\n"
		"Received: from a\n\tby b\nreceived: from c\n"
		"SUBJECT :  Hello\n   world \nbad line without colon\n"
		"X-Empty:\n\nbody\n");
	T_CHECK(bk_hdrs_parse(&a, msg, &lim, &h, &body, &warn) == 4);
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("subject")), BK_SV("Hello world")));
	T_CHECK(bk_hdrs_count(&h, BK_SV("RECEIVED")) == 2);
	T_CHECK(bk_sv_eq(bk_hdrs_get_nth(&h, BK_SV("received"), 0), BK_SV("from a by b")));
	T_CHECK(bk_sv_eq(bk_hdrs_get_nth(&h, BK_SV("received"), 1), BK_SV("from c")));
	T_CHECK(bk_hdrs_get(&h, BK_SV("x-empty")).p != NULL);
	T_CHECK(bk_hdrs_get(&h, BK_SV("x-none")).p == NULL);
	T_CHECK(h.bad == 1);
	T_CHECK(bk_sv_eq(body, BK_SV("body\n")));
	/* not a message at all */
	T_CHECK(bk_hdrs_parse(&a, BK_SV("just text\nmore\n"), &lim, &h, &body, &warn) == 0);
	/* header count limit */
	struct bk_limits small = lim;
	small.header_count = 2;
	warn = 0;
	bk_hdrs_parse(&a, BK_SV("A: 1\nB: 2\nC: 3\n\nx"), &small, &h, &body, &warn);
	T_CHECK(h.n == 2 && (warn & BK_W_HEADER_COUNT));
	/* a parameter continued without folding white space (Exchange) */
	bk_hdrs_parse(&a, BK_SV("Content-Type: multipart/alternative; x=y;\n"
				"boundary=\"b:1\"\nX-A: 1\n\nx"), &lim, &h, &body, &warn);
	T_CHECK(h.n == 2 && h.bad == 0);
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("content-type")),
			 BK_SV("multipart/alternative; x=y; boundary=\"b:1\"")));
	/* names read eight bytes at a time: a bad byte anywhere in a long
	 * name, white space before the colon, no colon at all */
	bk_hdrs_parse(&a, BK_SV("X-A-Rather-Long-Field-Name: 1\n"
				"X-Another-Long-Name\t : 2\n"
				"X-Long-Name-With\x80" "Byte: 3\n"
				"X-Long-Name With-Space: 4\n"
				"X-Long-Name-Without-A-Colon\n"
				"X-Name-Exactly-16: 5\n\nx"), &lim, &h, &body, &warn);
	T_CHECK(h.n == 3 && h.bad == 3);
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("x-a-rather-long-field-name")), BK_SV("1")));
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("x-another-long-name")), BK_SV("2")));
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("x-name-exactly-16")), BK_SV("5")));
	/* an indexed block (eight fields or more): a name's fields linked */
	bk_hdrs_parse(&a, BK_SV("Received: 1\nA: a\nB: b\nreceived: 2\nC: c\n"
				"D: d\nE: e\nRECEIVED: 3\nF: f\n\nx"),
		      &lim, &h, &body, &warn);
	T_CHECK(h.index != NULL && bk_hdrs_count(&h, BK_SV("received")) == 3);
	T_CHECK(bk_sv_eq(bk_hdrs_get_nth(&h, BK_SV("Received"), 2), BK_SV("3")));
	T_CHECK(bk_hdrs_get_nth(&h, BK_SV("received"), 3).p == NULL);
	T_CHECK(bk_hdrs_count(&h, BK_SV("f")) == 1 && bk_hdrs_count(&h, BK_SV("g")) == 0);
	/* only the names asked for are kept; the others still count */
	bk_hdrs_parse_only(&a, BK_SV("A: 1\nSubject: s\nB: 2\n\nx"), &lim, &h,
			   &body, &warn, BK_HDR_WANT("subject"));
	T_CHECK(bk_sv_eq(bk_hdrs_get(&h, BK_SV("subject")), BK_SV("s")));
	T_CHECK(bk_sv_eq(body, BK_SV("x")));
	bk_arena_free(&a);
}

T_TEST(test_mime_params)
{
	static const struct {
		const char *ct, *name, *want;
	} cases[] = {
		{ "multipart/report; boundary=\"abc def\"", "boundary", "abc def" },
		{ "text/plain; CHARSET=iso-2022-jp", "charset", "iso-2022-jp" },
		{ "text/plain; charset=\"a\\\"b\"", "charset", "a\"b" },
		{ "text/plain", "charset", NULL },
		{ "application/x; name*=utf-8''%E3%81%82.txt", "name", "\xe3\x81\x82.txt" },
		{ "application/x; name*0=\"abc\"; name*1=\"def\"", "name", "abcdef" },
		{ "application/x; name*1=\"def\"; name*0=\"abc\"", "name", "abcdef" },
		{ "multipart/mixed;boundary=b1;x=y", "boundary", "b1" },
		/* a parameter without "=" is skipped (it once left the
		 * caller reading an unset name) */
		{ "multipart/report; junk; boundary=b2", "boundary", "b2" },
		{ "multipart/report; junk", "boundary", NULL },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv v = bk_mime_param(&a, bk_sv_c(cases[i].ct), cases[i].name);
		if (cases[i].want)
			T_CHECK_AT(v.p && bk_sv_eq(v, bk_sv_c(cases[i].want)), i);
		else
			T_CHECK_AT(v.p == NULL, i);
	}
	T_CHECK(bk_sv_eq(bk_mime_type(&a, BK_SV(" Multipart/Report ; x")),
			 BK_SV("multipart/report")));
	bk_arena_free(&a);
}

T_TEST(test_transfer_decodings)
{
	static const struct {
		const char *in, *want;
		int kind;	/* 0 base64, 1 qp body, 2 qp header */
	} cases[] = {
		{ "aGVsbG8=", "hello", 0 },
		{ "aGVs\nbG8g\r\nd29y bGQ=", "hello world", 0 },
		{ "!!!", "", 0 },
		{ "a=3Db=\nc", "a=bc", 1 },
		{ "soft=  \nbreak", "softbreak", 1 },
		{ "bad=ZZescape", "bad=ZZescape", 1 },
		{ "a_b=20c", "a b c", 2 },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv in = bk_sv_c(cases[i].in);
		struct bk_sv out = cases[i].kind == 0 ? bk_base64_decode(&a, in)
				 : bk_qp_decode(&a, in, cases[i].kind == 2);
		T_CHECK_AT(bk_sv_eq(out, bk_sv_c(cases[i].want)), i);
	}
	bk_arena_free(&a);
}

T_TEST(test_rfc2047_and_charsets)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "=?utf-8?B?44OQ44Km44Oz44K5?=", "\xe3\x83\x90\xe3\x82\xa6\xe3\x83\xb3\xe3\x82\xb9" },
		{ "=?ISO-8859-1?Q?Andr=E9?= Pirard", "Andr\xc3\xa9 Pirard" },
		{ "=?utf-8?q?a?= =?utf-8?q?b?=", "ab" },
		/* ISO-2022-JP split across two words */
		{ "=?ISO-2022-JP?B?GyRCJCIbKEI=?=", "\xe3\x81\x82" },
		{ "=?unknown-x?Q?abc?=", "abc" },
		{ "=?utf-8?B?broken", "=?utf-8?B?broken" },
	};
	struct bk_arena a;
	struct bk_charsets *cs = bk_charsets_new();
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		unsigned warn = 0;
		struct bk_sv out = bk_rfc2047_decode(cs, &a, bk_sv_c(cases[i].in), &warn);
		T_CHECK_AT(bk_sv_eq(out, bk_sv_c(cases[i].want)), i);
	}
	unsigned warn = 0;
	struct bk_sv sj = bk_to_utf8(cs, &a, BK_SV("Shift_JIS"), BK_SV("\x82\xa0"), &warn);
	T_CHECK(bk_sv_eq(sj, BK_SV("\xe3\x81\x82")) && !warn);
	struct bk_sv bad = bk_to_utf8(cs, &a, BK_SV("utf-8"), BK_SV("a\xff"), &warn);
	T_CHECK(bk_utf8_valid(bad) && (warn & BK_W_CHARSET));
	/* Windows-1252 by table, as iconv's CP1252 reads it: 0x80 is the
	 * euro sign, 0x81 undefined (U+FFFD and a warning) */
	warn = 0;
	struct bk_sv w1 = bk_to_utf8(cs, &a, BK_SV("ISO-8859-1"),
				     BK_SV("caf\xe9 \x80\x9f ok"), &warn);
	T_CHECK(bk_sv_eq(w1, BK_SV("caf\xc3\xa9 \xe2\x82\xac\xc5\xb8 ok")) && !warn);
	struct bk_sv w2 = bk_to_utf8(cs, &a, BK_SV("windows-1252"),
				     BK_SV("a\x81z"), &warn);
	T_CHECK(bk_sv_eq(w2, BK_SV("a\xef\xbf\xbdz")) && (warn & BK_W_CHARSET));
	/* UTF-8 under a Latin-1 label stays UTF-8 (no "caf\xc3\x83\xc2\xa9") */
	warn = 0;
	struct bk_sv w3 = bk_to_utf8(cs, &a, BK_SV("iso-8859-1"),
				     BK_SV("caf\xc3\xa9 \xe9\x82\xae\xe4\xbb\xb6"), &warn);
	T_CHECK(bk_sv_eq(w3, BK_SV("caf\xc3\xa9 \xe9\x82\xae\xe4\xbb\xb6")) && !warn);
	bk_charsets_free(cs);
	bk_arena_free(&a);
}

/* The native ISO-2022-JP reader: what it takes, and what it leaves to
 * iconv (false), malformed escape sequences included. */
T_TEST(test_iso2022jp)
{
	static const struct {
		const char *in, *want;	/* want NULL: left to iconv */
	} cases[] = {
		{ "plain\n", "plain\n" },
		{ "\x1b$B$\"\x1b(B!", "\xe3\x81\x82!" },
		{ "\x1b$@$\"", "\xe3\x81\x82" },	/* JIS C 6226, no way back */
		{ "\x1b(J\\~a", "\xc2\xa5\xe2\x80\xbe" "a" },	/* Roman */
		{ "a\x1b$B!!!\"\x1b(Bb", "a\xe3\x80\x80\xe3\x80\x81" "b" },
		{ "\x1b$B", "" },
		{ "\x1b", NULL },		/* ESC at the end */
		{ "\x1b$", NULL },
		{ "\x1b(", NULL },
		{ "\x1b$Z$\"", NULL },		/* no such set */
		{ "\x1b(I1", NULL },		/* half-width katakana */
		{ "\x1b$(Q$\"", NULL },		/* JIS X 0213 */
		{ "\x1b$B$", NULL },		/* half a character */
		{ "\x1b$B$\"\n", NULL },	/* a line end between pairs */
		{ "\x1b$B\x7f\x21", NULL },
		{ "\x1b$B\x22\x2f", NULL },	/* a cell JIS X 0208 leaves empty */
		{ "caf\xe9", NULL },		/* 8-bit */
		{ "a\x0e" "b", NULL },		/* SO */
		{ "0123456789abcdef\x0f", NULL },	/* SI after a long run */
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv out = BK_SV_NULL;
		bool ok = bk_iso2022jp_to_utf8(&a, bk_sv_c(cases[i].in), &out);
		T_CHECK_AT(ok == (cases[i].want != NULL), i);
		if (ok && cases[i].want)
			T_CHECK_AT(bk_sv_eq(out, bk_sv_c(cases[i].want)), i);
	}
	bk_arena_free(&a);
}

/* Whatever the native reader takes, iconv reads the same, and reads
 * without error: texts made of random pieces (escape sequences known and
 * not, pairs, line ends, the bytes Roman changes, 8-bit bytes). */
T_TEST(test_iso2022jp_like_iconv)
{
	static const char *const pieces[] = {
		"\x1b(B", "\x1b(J", "\x1b$B", "\x1b$@", "\x1b(I", "\x1b$(Q",
		"\x1b", "$\"", "F|", "K\\", "!!", "t&", "\x22\x2f", "\n", "\\",
		"~", "ab", "\x0e", "\x80", "\t", "0",
	};
	iconv_t cd = iconv_open("UTF-8", "ISO-2022-JP-3");
	T_CHECK(cd != (iconv_t)-1);
	if (cd == (iconv_t)-1)
		return;
	struct bk_arena a;
	bk_arena_init(&a, 0);
	unsigned seed = 2022, taken = 0, bad = 0;
	for (int round = 0; round < 20000; round++) {
		char in[64], want[256];
		size_t n = 0;
		int k = 1 + round % 8;
		for (int j = 0; j < k; j++) {
			seed = seed * 1103515245u + 12345u;
			const char *pc = pieces[(seed >> 16) % BK_NELEM(pieces)];
			memcpy(in + n, pc, strlen(pc));
			n += strlen(pc);
		}
		struct bk_sv out;
		bk_arena_reset(&a);
		if (!bk_iso2022jp_to_utf8(&a, bk_sv_make(in, n), &out))
			continue;
		taken++;
		char *ip = in, *op = want;
		size_t il = n, ol = sizeof(want);
		iconv(cd, NULL, NULL, NULL, NULL);
		bool ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
			  iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1;
		bad += !ok || !bk_sv_eq(out, bk_sv_make(want, (size_t)(op - want)));
	}
	T_CHECK(bad == 0);
	T_CHECK(taken > 1000);	/* the test did test something */
	iconv_close(cd);
	bk_arena_free(&a);
}

T_TEST(test_dates)
{
	static const struct {
		const char *in;
		long long epoch;
		int off;
	} cases[] = {
		{ "Wed, 16 Oct 2013 14:15:35 +0900", 1381900535, 540 },
		{ "16 Oct 2013 14:15:35 +0900 (JST)", 1381900535, 540 },
		{ "Wed, 16 Oct 13 05:15:35 GMT", 1381900535, 0 },
		{ "Wed, 16 Oct 2013 01:15:35 EDT", 1381900535, -240 },
		{ "Wed Oct 16 05:15:35 2013", 1381900535, 0 },
		{ "2013-10-16 14:15:35 +0900", 1381900535, 540 },
		{ "2013-10-16T05:15:35Z", 1381900535, 0 },
		{ "Wed, 16-Oct-2013 14:15:35 +0900", 1381900535, 540 },
		{ "Wed, 16 Oct 2013 14:15 +0900", 1381900500, 540 },
		{ "Thursday, 16 Oct 2013 05:15:35 UT", 1381900535, 0 },
		{ "Wed, 16 Oct 2013 05:15:35 Z", 1381900535, 0 },
		{ "Wed, 16 Oct 113 05:15:35 GMT", 1381900535, 0 },
		/* the common form read in one go, and its near misses that the
		 * general reader takes the same way */
		{ "Sun, 6 Oct 2013 14:15:35 -0130", 1381074335, -90 },
		{ "Wed, 16 Oct 2013 23:59:60 +0000", 1381967999, 0 },
		{ "Wed, 16 Oct 2013 14:15:35 +0900 (JST) x", 1381900535, 540 },
		{ "Wed, 16 Oct 2013 14:15:35 +0900abc", 1381900535, 540 },
		{ "Mar, 16 Oct 2013 14:15:35 +0900", 1363410935, 540 },
		{ "Wed, 16 Oct 2013 24:15:35 +0900", -1, 0 },
		{ "garbage", -1, 0 },
		{ "", -1, 0 },
		{ "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7-10-16 14:15:35", -1, 0 },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		int64_t t;
		int off;
		bool ok = bk_date_parse(bk_sv_c(cases[i].in), &t, &off);
		if (cases[i].epoch < 0) {
			T_CHECK_AT(!ok, i);
			continue;
		}
		T_CHECK_AT(ok && t == cases[i].epoch && off == cases[i].off, i);
	}
	char z[6];
	bk_date_offset_str(-330, z);
	T_CHECK(strcmp(z, "-0530") == 0);
}

T_TEST(test_addresses)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Kijitora <kijitora@example.jp>", "kijitora@example.jp" },
		{ "rfc822; User@Example.ORG", "user@example.org" },
		{ "neko@example.com (Neko Cat)", "neko@example.com" },
		{ "\"Nyaan, Neko\" <nyaan@example.net>", "nyaan@example.net" },
		{ "\"a b\"@example.com", "\"a b\"@example.com" },
		{ "<<kijitora@example.jp>>", "kijitora@example.jp" },
		{ "mailto:x@example.jp.", "x@example.jp" },
		{ "(comment a@b.c) real@example.org", "real@example.org" },
		{ "user@[192.0.2.1]", "user@[192.0.2.1]" },
		{ "no address here", NULL },
		{ "a@b", NULL },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv v = bk_addr_find(&a, bk_sv_c(cases[i].in));
		if (cases[i].want)
			T_CHECK_AT(v.p && bk_sv_eq(v, bk_sv_c(cases[i].want)), i);
		else
			T_CHECK_AT(v.p == NULL, i);
	}
	T_CHECK(bk_sv_eq(bk_addr_domain(BK_SV("a@example.jp")), BK_SV("example.jp")));
	/* bk_addr_valid looks at sixteen bytes at a time, the last sixteen
	 * overlapping: a special byte anywhere, and mixed case */
	static const struct {
		const char *in;
		bool ok;
	} valid[] = {
		{ "Kijitora.Neko@Example.JP", true },
		{ "kijitora.neko@example.jp\x7f", false },
		{ "kijitora.neko@example.jp;", false },
		{ "kijitora.nekoneko@exa mple.jp", false },
		{ "kijitora,neko.nyaan@example.jp", false },
		{ "kijitora.neko.nyaan@example\tjp", false },
		{ "\"kijitora <neko> nyaan\"@example.jp", true },
		{ "\"kijitora neko nyaa\"@exam>ple.jp", false },
		{ "abcdefghijklmno@p.q", true },
		{ "abcdefghijklmno@p.\x01", false },
		{ "\xe3\x81\x82\xe3\x81\x84kijitora@example.jp", true },
	};
	for (size_t i = 0; i < BK_NELEM(valid); i++)
		T_CHECK_AT(bk_addr_valid(bk_sv_c(valid[i].in)) == valid[i].ok, i);
	bk_arena_free(&a);
}

static struct bk_flat
flatten(struct bk_arena *a, struct bk_charsets *cs, const char *msg,
	const struct bk_limits *l, unsigned *warn)
{
	struct bk_hdrs h;
	struct bk_sv body;
	struct bk_flat f;
	bk_hdrs_parse(a, bk_sv_c(msg), l, &h, &body, warn);
	struct bk_mime_in in = { a, cs, l, warn };
	bk_mime_flatten(&in, &h, body, &f);
	return f;
}

T_TEST(test_mime_walk)
{
	struct bk_arena a;
	struct bk_charsets *cs = bk_charsets_new();
	unsigned warn = 0;
	bk_arena_init(&a, 0);
	struct bk_flat f = flatten(&a, cs,
		"Content-Type: multipart/report; boundary=\"b1\"\n\n"
		"preamble\n--b1\nContent-Type: multipart/alternative; boundary=b2\n\n"
		"--b2\nContent-Type: text/plain; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: quoted-printable\n\nCaf=E9\n"
		"--b2\nContent-Type: text/html\n\n<p>HTML</p>\n--b2--\n"
		"--b1\nContent-Type: message/delivery-status\n\n"
		"Final-Recipient: rfc822; a@example.org\n\n"
		"--b1\nContent-Type: message/rfc822\n\nFrom: x@example.jp\n\nhi\n"
		"--b1--\nepilogue\n", &lim, &warn);
	T_CHECK(bk_sv_contains(f.text, BK_SV("Caf\xc3\xa9")));
	T_CHECK(!bk_sv_contains(f.text, BK_SV("HTML")));	/* alternative */
	T_CHECK(!bk_sv_contains(f.text, BK_SV("preamble")));
	T_CHECK(f.dsn.p && bk_sv_starts(f.dsn, BK_SV("Final-Recipient:")));
	T_CHECK(f.orig.p && bk_sv_starts(f.orig, BK_SV("From: x@example.jp")));
	T_CHECK(bk_sv_contains(f.text, BK_SV("Content-Type: message/rfc822\n")));
	T_CHECK(warn == 0);
	bk_arena_free(&a);
	bk_charsets_free(cs);
}

T_TEST(test_mime_limits)
{
	struct bk_arena a;
	struct bk_charsets *cs = bk_charsets_new();
	bk_arena_init(&a, 0);
	/* a boundary that never closes */
	unsigned warn = 0;
	struct bk_flat f = flatten(&a, cs,
		"Content-Type: multipart/mixed; boundary=x\n\n--x\n\nfirst\n--x\n\nsecond\n",
		&lim, &warn);
	T_CHECK(bk_sv_contains(f.text, BK_SV("second")) && (warn & BK_W_TRUNCATED));
	/* nesting deeper than the limit */
	struct bk_limits shallow = lim;
	shallow.mime_depth = 2;
	warn = 0;
	f = flatten(&a, cs,
		"Content-Type: multipart/mixed; boundary=a\n\n--a\n"
		"Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		"Content-Type: multipart/mixed; boundary=c\n\n--c\n\ndeep\n--c--\n--b--\n--a--\n",
		&shallow, &warn);
	T_CHECK((warn & BK_W_MIME_DEPTH) && !bk_sv_contains(f.text, BK_SV("deep")));
	/* "--abc-1" is no delimiter of "abc" */
	warn = 0;
	f = flatten(&a, cs,
		"Content-Type: multipart/mixed; boundary=abc\n\n--abc\n"
		"Content-Type: multipart/mixed; boundary=abc-1\n\n--abc-1\n\ninner\n--abc-1--\n"
		"--abc--\n", &lim, &warn);
	T_CHECK(bk_sv_contains(f.text, BK_SV("inner")) && warn == 0);
	bk_arena_free(&a);
	bk_charsets_free(cs);
}

T_TEST(test_html_to_text)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	struct bk_sv t = bk_html_to_text(&a, BK_SV("<p>a &amp; b</p><script>x</script>c<br>d"));
	T_CHECK(bk_sv_contains(t, BK_SV("a & b")) && !bk_sv_contains(t, BK_SV("x")));
	T_CHECK(bk_sv_contains(t, BK_SV("c\nd")));
	bk_arena_free(&a);
}
