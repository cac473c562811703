/* SPDX-License-Identifier: BSD-2-Clause */
/* test_limits.c - each limit of docs/limits.md: hitting it raises its
 * warning, cuts only the work it bounds, and what comes after (the body,
 * the next message) is still read; an allocation failure is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "mail/mail.h"
#include "mail/mime.h"
#include "t.h"

static const struct bk_limits lim = { 64u << 20, 1u << 20, 10000, 1u << 20,
				      64, 10000, 64u << 20, 10000 };

/* A DSN with three failed recipients. */
static const char dsn3[] =
	"From: MAILER-DAEMON@example.net\n"
	"To: s@example.com\n"
	"Date: Mon, 6 Jul 2020 08:00:00 +0000\n"
	"Subject: Delivery Status Notification (Failure)\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n"
	"\n--b\nContent-Type: text/plain\n\nFailed.\n"
	"--b\nContent-Type: message/delivery-status\n\n"
	"Reporting-MTA: dns; mx.example.net\n\n"
	"Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n\n"
	"Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.1.1\n\n"
	"Final-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.1.1\n\n"
	"--b--\n";

T_TEST(test_limit_header_size)
{
	static const struct {
		const char *in, *body;
		size_t max;
	} cases[] = {
		/* the limit falls inside the block: the body is still found */
		{ "A: 1\nB: 2\nC: 333333333333\nD: 4\n\nbody\n", "body\n", 8 },
		/* the limit falls on the blank line */
		{ "A: 1\nB: 2\n\nbody\n", "body\n", 6 },
		/* no blank line after the limit: no body */
		{ "A: 1\nB: 2\nC: 3\n", "", 6 },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_limits l = lim;
		struct bk_hdrs h;
		struct bk_sv body;
		unsigned warn = 0;
		l.header_size = cases[i].max;
		bk_hdrs_parse(&a, bk_sv_c(cases[i].in), &l, &h, &body, &warn);
		T_CHECK_AT(warn & BK_W_HEADER_SIZE, i);
		T_CHECK_AT(h.n >= 1 && h.n < 4, i);
		T_CHECK_AT(bk_sv_eq(body, bk_sv_c(cases[i].body)), i);
	}
	bk_arena_free(&a);
}

T_TEST(test_limit_header_count)
{
	struct bk_arena a;
	struct bk_hdrs h;
	struct bk_sv body;
	struct bk_limits l = lim;
	unsigned warn = 0;
	bk_arena_init(&a, 0);
	l.header_count = 2;
	bk_hdrs_parse(&a, BK_SV("A: 1\nB: 2\nC: 3\n\tfolded\nD: 4\n\nbody\n"), &l,
		      &h, &body, &warn);
	T_CHECK(h.n == 2 && (warn & BK_W_HEADER_COUNT));
	T_CHECK(!bk_hdrs_has(&h, BK_SV("c")));
	T_CHECK(bk_sv_eq(body, BK_SV("body\n")));
	bk_arena_free(&a);
}

static void
flatten(struct bk_arena *a, struct bk_charsets *cs, const char *msg,
	const struct bk_limits *l, unsigned *warn, struct bk_flat *f)
{
	struct bk_hdrs h;
	struct bk_sv body;
	bk_hdrs_parse(a, bk_sv_c(msg), l, &h, &body, warn);
	struct bk_mime_in in = { a, cs, l, warn };
	bk_mime_flatten(&in, &h, body, f);
}

T_TEST(test_limit_mime_parts)
{
	struct bk_arena a;
	struct bk_charsets *cs = bk_charsets_new();
	struct bk_limits l = lim;
	struct bk_flat f;
	unsigned warn = 0;
	bk_arena_init(&a, 0);
	l.mime_parts = 3;
	flatten(&a, cs, "Content-Type: multipart/mixed; boundary=b\n\n"
		"--b\n\none\n--b\n\ntwo\n--b\n\nthree\n--b\n\nfour\n--b\n\nfive\n"
		"--b--\n", &l, &warn, &f);
	T_CHECK(warn & BK_W_MIME_PARTS);
	T_CHECK(bk_sv_contains(f.text, BK_SV("three")));
	T_CHECK(!bk_sv_contains(f.text, BK_SV("four")));
	bk_arena_free(&a);
	bk_charsets_free(cs);
}

T_TEST(test_limit_decoded_size)
{
	struct bk_arena a;
	struct bk_charsets *cs = bk_charsets_new();
	struct bk_limits l = lim;
	struct bk_flat f;
	unsigned warn = 0;
	bk_arena_init(&a, 0);
	l.decoded_size = 16;
	/* one part whose invalid bytes grow threefold: cut, valid UTF-8 */
	flatten(&a, cs, "Content-Type: text/plain; charset=utf-8\n\n"
		"ab\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", &l, &warn, &f);
	T_CHECK(warn & BK_W_DECODED_SIZE);
	T_CHECK(f.text.n <= 16 && f.text.n >= 14 && bk_utf8_valid(f.text));
	/* a base64 part past the limit, in a multipart: decoding stops */
	warn = 0;
	l.decoded_size = 40;
	flatten(&a, cs, "Content-Type: multipart/mixed; boundary=b\n\n"
		"--b\n\nfirst\n--b\nContent-Transfer-Encoding: base64\n\n"
		"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n--b\n\nlast\n--b--\n",
		&l, &warn, &f);
	T_CHECK(warn & BK_W_DECODED_SIZE);
	T_CHECK(bk_sv_contains(f.text, BK_SV("first")));
	T_CHECK(!bk_sv_contains(f.text, BK_SV("AAAA")));
	T_CHECK(!bk_sv_contains(f.text, BK_SV("last")));
	bk_arena_free(&a);
	bk_charsets_free(cs);
}

/* RFC 2231 sections in any order, read in linear time. */
T_TEST(test_mime_param_sections)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "x; b*2=c; b*1=b; b*0=a", "abc" },
		{ "x; b*0=a; b*2=c", "a" },		/* stops at a gap */
		{ "x; b=plain; b*0=s", "plain" },	/* the first wins */
		{ "x; b*0=s; b=plain; b*1=t", "st" },
		{ "x; b*1=a; b*1=z; b*0*=utf-8''%41", "Aa" },
		{ "x; b*1=a", NULL },
		{ "x; c*0=a", NULL },
	};
	struct bk_arena a;
	bk_arena_init(&a, 0);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv got = bk_mime_param(&a, bk_sv_c(cases[i].in), "b");
		if (!cases[i].want)
			T_CHECK_AT(got.p == NULL, i);
		else
			T_CHECK_AT(bk_sv_eq(got, bk_sv_c(cases[i].want)), i);
	}
	bk_arena_free(&a);
}

/* A parser with the default limits but these two (0: the default). */
static struct bk_parser *
parser_with(unsigned recipients, size_t line_length)
{
	struct bk_options o;
	bk_options_init(&o);
	o.limits.recipients = recipients;
	o.limits.line_length = line_length;
	return bk_parser_new(&o, NULL);
}

T_TEST(test_limit_recipients)
{
	struct bk_parser *p = parser_with(2, 0);
	const struct bk_record *r;
	T_CHECK(bk_decode(p, dsn3, strlen(dsn3), "x", &r, NULL) == 2);
	T_CHECK(bk_parser_warnings(p) & BK_W_RECIPIENTS);
	/* the next message starts afresh */
	T_CHECK(bk_decode(p, dsn3, 200, "y", &r, NULL) == 0);
	T_CHECK(!(bk_parser_warnings(p) & BK_W_RECIPIENTS));
	bk_parser_free(p);
}

T_TEST(test_limit_line_length)
{
	struct bk_parser *p = parser_with(0, 40);
	const struct bk_record *r;
	/* the Content-Type line is cut: the parts are not found */
	bk_decode(p, dsn3, strlen(dsn3), "x", &r, NULL);
	T_CHECK(bk_parser_warnings(p) & BK_W_LINE_LENGTH);
	bk_parser_free(p);
}

T_TEST(test_out_of_memory)
{
	struct bk_err err;
	const struct bk_record *r;
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	int n = 0;
	/* fail the first allocation of the decode: an error, no records */
	bk_alloc_fail_at(1);
	n = bk_decode(p, dsn3, strlen(dsn3), "x", &r, &err);
	bk_alloc_fail_at(0);
	T_CHECK(n == BK_ENOMEM && r == NULL);
	T_CHECK(strstr(err.msg, "out of memory") != NULL);
	/* and the parser goes on */
	T_CHECK(bk_decode(p, dsn3, strlen(dsn3), "x", &r, &err) == 3);
	bk_parser_free(p);
}

/* An mbox whose middle message needs a bigger buffer when memory runs out:
 * that message is an error, and the next call goes on with the next one
 * (it used to fail on the same message forever). */
T_TEST(test_source_out_of_memory)
{
	char path[] = "/tmp/bk-test-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	T_CHECK(f != NULL);
	if (!f)
		return;
	fputs("From a@example.com Mon Jul  6 08:00:00 2020\nSubject: one\n\n1\n", f);
	fputs("From a@example.com Mon Jul  6 08:00:00 2020\nSubject: two\n\n", f);
	for (int i = 0; i < 20000; i++)
		fputs("0123456789012345678901234567890123456789012345678901234567890123456789\n", f);
	fputs("From a@example.com Mon Jul  6 08:00:00 2020\nSubject: three\n\n3\n", f);
	fclose(f);
	struct bk_source *s;
	struct bk_input in;
	struct bk_err err;
	T_CHECK(bk_source_open(&s, path, NULL, &err) == 0);
	T_CHECK(bk_source_next(s, &in, &err) == 1 && in.nth == 1);
	bk_alloc_fail_at(1);	/* every allocation from now on fails */
	int rc, nomem = 0, got = 0, calls = 0;
	while ((rc = bk_source_next(s, &in, &err)) != 0 && ++calls < 10) {
		if (rc == BK_ENOMEM)
			nomem++;
		else if (rc == 1 && in.nth == 3 &&
			 bk_sv_contains(bk_sv_make(in.data, in.len), BK_SV("three")))
			got++;
	}
	bk_alloc_fail_at(0);
	T_CHECK(rc == 0 && nomem == 1 && got == 1);
	bk_source_close(s);
	remove(path);
}

/* Found by fuzz_decode: an address with a raw 8-bit byte in the returned
 * message's header gave an addresser that was not UTF-8; every field of a
 * record is valid UTF-8 (fixture fuzz-decode-01 end to end). */
T_TEST(test_record_fields_utf8)
{
	static const char msg[] =
		"From: MAILER-DAEMON@example.net\n"
		"To: kijitor\xe4@example.jp\n"
		"Date: Mon, 6 Jul 2020 08:00:00 +0000\n"
		"Subject: Undelivered \xff mail\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n"
		"\n--b\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.net\n\n"
		"Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 unknown \xc0\xaf user\n\n"
		"--b\nContent-Type: message/rfc822\n\n"
		"From: kijitor\xe4@example.jp\nTo: a@example.org\nSubject: \xfe\n\nx\n"
		"--b--\n";
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	const struct bk_record *r;
	T_CHECK(bk_decode(p, msg, strlen(msg), "x", &r, NULL) == 1);
	const char *const f[] = { r->addresser, r->senderdomain, r->recipient,
				  r->subject, r->diagnosticcode, r->messageid };
	for (size_t i = 0; i < BK_NELEM(f); i++)
		T_CHECK_AT(bk_utf8_valid(bk_sv_c(f[i])), i);
	T_CHECK(strcmp(r->addresser, "kijitor\xef\xbf\xbd@example.jp") == 0);
	bk_parser_free(p);
}

/* Huge limits must not wrap round the memory cap (4 x message size +
 * decoded size) to a few bytes. */
T_TEST(test_limit_huge)
{
	struct bk_options o;
	const struct bk_record *r;
	bk_options_init(&o);
	o.limits.message_size = (size_t)1 << (sizeof(size_t) * 8 - 2);
	o.limits.decoded_size = 4096;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	T_CHECK(bk_decode(p, dsn3, strlen(dsn3), "x", &r, NULL) == 3);
	bk_parser_free(p);
}

/* A diagnostic of many lines is joined in linear time and memory: 6000
 * "-- " lines of a Mimecast notice used to be copied whole at each line
 * (quadratic: a 1 MB message ran past the memory cap after seconds). */
T_TEST(test_long_diagnostic)
{
	static const char head[] =
		"From: postmaster@example.net\nTo: s@example.com\n"
		"Date: Mon, 6 Jul 2020 08:00:00 +0000\n"
		"Subject: [Postmaster] Email Delivery Failure\n\n"
		"-- kijitora@example.org\n";
	size_t cap = sizeof(head) + 6000 * 40, n = sizeof(head) - 1;
	char *msg = malloc(cap);
	T_CHECK(msg != NULL);
	if (!msg)
		return;
	memcpy(msg, head, n);
	for (int i = 0; i < 6000; i++)
		n += (size_t)snprintf(msg + n, cap - n, "-- line %d of the problem\n", i);
	struct bk_options o;
	const struct bk_record *r;
	bk_options_init(&o);
	o.limits.message_size = 512u << 10;	/* a memory cap of 3 MB */
	o.limits.decoded_size = 1u << 20;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	T_CHECK(bk_decode(p, msg, n, "x", &r, NULL) == 1);
	T_CHECK(strlen(r->diagnosticcode) > 100000);
	bk_parser_free(p);
	free(msg);
}
