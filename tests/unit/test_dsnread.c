/* SPDX-License-Identifier: BSD-2-Clause */
/* test_dsnread.c - the RFC 3464 reader bk_dsn_read (dsn/delivery.c):
 * per-message and per-recipient fields, folded fields, several recipient
 * groups, groups without a Final-Recipient, fields out of order, and
 * garbage. */
#include <stdio.h>
#include <string.h>

#include "dsn/delivery.h"
#include "t.h"

/* A decoding context over its own arena; dc.m is only read when the
 * recipient limit is reached, which these cases stay below. */
struct ctx {
	struct bk_arena a;
	struct bk_dctx dc;
};

static void
ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	bk_arena_init(&c->a, 0);
	c->dc.arena = &c->a;
	c->dc.max = 64;
}

static size_t
read_dsn(struct ctx *c, const char *text)
{
	ctx_init(c);
	return bk_dsn_read(&c->dc, bk_sv_c(text));
}

static bool
is(struct bk_sv v, const char *want)
{
	return bk_sv_eq(v, bk_sv_c(want));
}

static bool
has(struct bk_sv v, const char *part)
{
	return bk_sv_contains(v, bk_sv_c(part));
}

T_TEST(test_dsn_read_fields)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Reporting-MTA: dns; mx.example.jp\n"
		"Received-From-MTA: dns; client.example.jp\n"
		"Arrival-Date: Thu, 29 Apr 2010 23:34:45 +0900\n"
		"\n"
		"Final-Recipient: rfc822; kijitora@example.org\n"
		"Original-Recipient: rfc822; neko@example.org\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Remote-MTA: dns; mx.example.org\n"
		"Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>... User unknown\n"
		"Last-Attempt-Date: Thu, 29 Apr 2010 23:35:01 +0900\n");
	T_CHECK(n == 1);
	T_CHECK(c.dc.n == 1);
	if (c.dc.n == 1) {
		struct bk_dlv *d = &c.dc.v[0];
		T_CHECK(is(d->recipient, "kijitora@example.org"));
		T_CHECK(is(d->alias, "neko@example.org"));
		T_CHECK(is(d->action, "failed"));
		T_CHECK(is(d->status, "5.1.1"));
		T_CHECK(has(d->rhost, "mx.example.org"));
		T_CHECK(has(d->lhost, "mx.example.jp"));
		T_CHECK(bk_sv_ieq(d->spec, BK_SV("smtp")));
		T_CHECK(is(d->diag, "550 5.1.1 <kijitora@example.org>... User unknown"));
		/* the recipient's own date, and the message's beside it */
		T_CHECK(has(d->date, "23:35:01"));
		T_CHECK(d->datekind == BK_DATE_LAST_ATTEMPT);
		T_CHECK(has(d->arrival, "23:34:45"));
	}
	bk_arena_free(&c.a);
}

/* Without a Last-Attempt-Date the Arrival-Date is the recipient's date. */
T_TEST(test_dsn_read_arrival_date)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Reporting-MTA: dns; mx.example.jp\n"
		"Arrival-Date: Thu, 29 Apr 2010 23:34:45 +0900\n"
		"\n"
		"Final-Recipient: rfc822; kijitora@example.org\n"
		"Action: failed\n"
		"Status: 5.0.0\n");
	T_CHECK(n == 1);
	if (c.dc.n == 1) {
		T_CHECK(has(c.dc.v[0].date, "23:34:45"));
		T_CHECK(c.dc.v[0].datekind == BK_DATE_ARRIVAL);
	}
	bk_arena_free(&c.a);
}

/* A Diagnostic-Code folded over indented lines, and a multi-line reply
 * whose lines are not indented ("552-...", "552 ..."). */
T_TEST(test_dsn_read_folded)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Reporting-MTA: dns; mx.example.jp\n"
		"\n"
		"Final-Recipient: rfc822; kijitora@example.org\n"
		"Action: failed\n"
		"Status: 5.2.2\n"
		"Diagnostic-Code: smtp; 552-5.2.2 The email account that you\n"
		"    tried to reach is over quota.\n"
		"\tPlease direct the recipient to the help page.\n"
		"\n"
		"Final-Recipient: rfc822; mikeneko@example.org\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to\n"
		"550-5.1.1 reach does not exist. Please try double-checking\n"
		"550 5.1.1 the recipient's email address.\n"
		"Remote-MTA: dns; mx.example.org\n");
	T_CHECK(n == 2);
	if (c.dc.n == 2) {
		struct bk_dlv *a = &c.dc.v[0], *b = &c.dc.v[1];
		T_CHECK(has(a->diag, "552-5.2.2 The email account that you"));
		T_CHECK(has(a->diag, "over quota."));
		T_CHECK(has(a->diag, "help page."));
		T_CHECK(!has(a->diag, "\n"));
		T_CHECK(has(b->diag, "tried to"));
		T_CHECK(has(b->diag, "reach does not exist"));
		T_CHECK(has(b->diag, "email address."));
		/* the field after the reply is still read */
		T_CHECK(has(b->rhost, "mx.example.org"));
	}
	bk_arena_free(&c.a);
}

/* Several groups: each its own fields, the per-message ones for all. */
T_TEST(test_dsn_read_groups)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Reporting-MTA: dns; mx.example.jp\n"
		"\n"
		"Final-Recipient: rfc822; a@example.org\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"\n"
		"Final-Recipient: rfc822; b@example.net\n"
		"Action: delayed\n"
		"Status: 4.2.2\n"
		"Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n"
		"\n"
		"Final-Recipient: rfc822; c@example.com\n"
		"Action: delivered\n"
		"Status: 2.0.0\n");
	static const struct {
		const char *rcpt, *action, *status;
	} want[] = {
		{ "a@example.org", "failed", "5.1.1" },
		{ "b@example.net", "delayed", "4.2.2" },
		{ "c@example.com", "delivered", "2.0.0" },
	};
	T_CHECK(n == BK_NELEM(want));
	for (size_t i = 0; i < BK_NELEM(want) && i < c.dc.n; i++) {
		struct bk_dlv *d = &c.dc.v[i];
		T_CHECK_AT(is(d->recipient, want[i].rcpt), i);
		T_CHECK_AT(is(d->action, want[i].action), i);
		T_CHECK_AT(is(d->status, want[i].status), i);
		T_CHECK_AT(has(d->lhost, "mx.example.jp"), i);
	}
	if (c.dc.n == 3) {
		T_CHECK(c.dc.v[0].diag.n == 0);
		T_CHECK(has(c.dc.v[1].diag, "Mailbox full"));
	}
	bk_arena_free(&c.a);
}

/* RFC 3464 fixes no order inside a group: fields before the
 * Final-Recipient are its own, and an Original-Recipient after it too. */
T_TEST(test_dsn_read_order)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Action: failed\n"
		"Status: 5.7.1\n"
		"Final-Recipient: rfc822; kijitora@example.org\n"
		"Original-Recipient: rfc822; alias@example.org\n"
		"Diagnostic-Code: smtp; 550 5.7.1 Blocked\n");
	T_CHECK(n == 1);
	if (c.dc.n == 1) {
		T_CHECK(is(c.dc.v[0].recipient, "kijitora@example.org"));
		T_CHECK(is(c.dc.v[0].action, "failed"));
		T_CHECK(is(c.dc.v[0].status, "5.7.1"));
		T_CHECK(is(c.dc.v[0].alias, "alias@example.org"));
		T_CHECK(has(c.dc.v[0].diag, "Blocked"));
	}
	bk_arena_free(&c.a);
}

/* Some MTAs write no Final-Recipient: the group's Original-Recipient is
 * the recipient and gets the group's fields. */
T_TEST(test_dsn_read_no_final_recipient)
{
	struct ctx c;
	size_t n = read_dsn(&c,
		"Reporting-MTA: dns; mx.example.jp\n"
		"\n"
		"Original-Recipient: rfc822; kijitora@example.org\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 User unknown\n");
	T_CHECK(n == 1);
	if (c.dc.n == 1) {
		T_CHECK(is(c.dc.v[0].recipient, "kijitora@example.org"));
		T_CHECK(is(c.dc.v[0].status, "5.1.1"));
		T_CHECK(has(c.dc.v[0].diag, "User unknown"));
	}
	bk_arena_free(&c.a);

	/* an X.400 Final-Recipient: the Original-Recipient names the address */
	n = read_dsn(&c,
		"Original-Recipient: rfc822; neko@example.org\n"
		"Final-Recipient: x400; /S=neko/O=example/C=jp/\n"
		"Action: failed\n"
		"Status: 5.1.1\n");
	T_CHECK(n == 1);
	if (c.dc.n == 1) {
		T_CHECK(is(c.dc.v[0].recipient, "neko@example.org"));
		T_CHECK(is(c.dc.v[0].status, "5.1.1"));
	}
	bk_arena_free(&c.a);
}

/* Nothing that names a recipient gives no recipient, and no crash. */
T_TEST(test_dsn_read_garbage)
{
	static const char *const cases[] = {
		"",
		"\n\n\n",
		"This is not a delivery status notification at all.\n",
		"Final-Recipient:\nAction: failed\nStatus: 5.1.1\n",
		"Final-Recipient: rfc822; not an address\nStatus: 5.1.1\n",
		"Final-Recipient: rfc822; ***@***\nAction: failed\n",
		":::\n: : :\nStatus\nAction:\n\tfolded with no field\n",
		"Status: 5.1.1\nAction: failed\nDiagnostic-Code: smtp; 550 x\n",
		"Reporting-MTA: dns; mx.example.jp\nArrival-Date: yesterday\n",
		"\xff\xfe\x00\x01Final-Recipient: \x80\x81@\n",
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct ctx c;
		size_t n = read_dsn(&c, cases[i]);
		T_CHECK_AT(n == 0 && c.dc.n == 0, i);
		bk_arena_free(&c.a);
	}
	/* a cut text: the group read so far is kept */
	struct ctx c;
	size_t n = read_dsn(&c,
		"Final-Recipient: rfc822; kijitora@example.org\n"
		"Action: fail");
	T_CHECK(n == 1);
	if (c.dc.n == 1)
		T_CHECK(is(c.dc.v[0].action, "fail"));
	bk_arena_free(&c.a);
}
