/* SPDX-License-Identifier: BSD-2-Clause */
/* test_fact.c - the record builder's steps (lib/report/fact.c): settling
 * a delivery's status and reply code, cleaning its diagnostic text,
 * finding and tidying host names. */
#include <string.h>

#include "report/report.h"
#include "t.h"

static bool
sv_is(struct bk_sv v, const char *want)
{
	return v.p && v.n == strlen(want) && memcmp(v.p, want, v.n) == 0;
}

T_TEST(test_settle_codes)
{
	static const struct {
		const char *field, *reply, *diag;
		const char *status, *rc, *intext;
	} cases[] = {
		/* the code of a commented Status: field */
		{ "5.1.1 (bad destination mailbox)", "", "", "5.1.1", "", "" },
		/* no field: the text's status and reply code */
		{ "", "", "550 5.2.2 <a@example.org>: mailbox full", "5.2.2",
		  "550", "5.2.2" },
		/* a vague field loses to the text's specific code */
		{ "5.0.0", "", "550 5.1.1 <a@example.org>: user unknown",
		  "5.1.1", "550", "5.1.1" },
		/* a specific field stands */
		{ "5.1.1", "", "550 5.0.0 rejected", "5.1.1", "550", "5.0.0" },
		/* the decoder's reply code wins over the text's */
		{ "", "452", "550 5.2.2 over quota", "5.2.2", "452", "5.2.2" },
		/* a field that is no status at all, and nothing in the text */
		{ "failed", "", "no code here", "", "", "" },
		/* an IPv4 address is not a status */
		{ "", "", "connection to 192.0.2.1 refused", "", "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bk_dlv d;
		memset(&d, 0, sizeof(d));
		d.status = bk_sv_c(cases[i].field);
		d.replycode = bk_sv_c(cases[i].reply);
		char st[BK_STATUS_MAX], rc[4], in[BK_STATUS_MAX];
		bk_settle_codes(&d, bk_sv_c(cases[i].diag), st, rc, in);
		T_CHECK_AT(strcmp(st, cases[i].status) == 0, i);
		T_CHECK_AT(strcmp(rc, cases[i].rc) == 0, i);
		T_CHECK_AT(strcmp(in, cases[i].intext) == 0, i);
	}
}

T_TEST(test_clean_diag)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	static const struct {
		const char *in, *status, *reply, *want;
	} cases[] = {
		/* white space squeezed, ends trimmed */
		{ "  550 5.1.1  user\n\tunknown  ", "5.1.1", "550",
		  "550 5.1.1 user unknown" },
		/* a multi-line reply: its code once, in front */
		{ "550-5.7.1 first line\n550-5.7.1 second line\n550 5.7.1 last",
		  "5.7.1", "550", "550 5.7.1 first line second line last" },
		/* an HTML block dropped, the text around it kept */
		{ "refused <html><body><p>x</p></body></html> try later", "", "",
		  "refused try later" },
		/* nothing to clean */
		{ "User unknown", "", "", "User unknown" },
		{ "", "", "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bk_sv out = bk_clean_diag(&a, bk_sv_c(cases[i].in),
						 cases[i].status, cases[i].reply);
		T_CHECK_AT(out.n == strlen(cases[i].want) &&
			   memcmp(out.p, cases[i].want, out.n) == 0, i);
	}
	bk_arena_free(&a);
}

T_TEST(test_hosts)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	T_CHECK(sv_is(bk_host_in_text(BK_SV("host mx.example.org[192.0.2.1] said: 550 nope")),
		      "mx.example.org"));
	T_CHECK(sv_is(bk_host_in_text(BK_SV("Remote-MTA: dns; mx2.example.net. (x)")),
		      "mx2.example.net"));
	/* an address is not a host name; nor is a word without a dot */
	T_CHECK(!bk_host_in_text(BK_SV("host 192.0.2.1 refused")).p);
	T_CHECK(!bk_host_in_text(BK_SV("from localhost said no")).p);
	T_CHECK(!bk_host_in_text(BK_SV("user unknown")).p);

	T_CHECK(sv_is(bk_clean_host(&a, BK_SV(" [mx.example.org] ")), "mx.example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("postmaster@example.org")), "example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("mx.example.org.")), "mx.example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("192.0.2.1 mx.example.org")), "mx.example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("smtp=mx.example.org")), "mx.example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("(mx.example.org)")), "mx.example.org"));
	T_CHECK(sv_is(bk_clean_host(&a, BK_SV("")), ""));
	bk_arena_free(&a);
}
