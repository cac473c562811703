/* SPDX-License-Identifier: BSD-2-Clause */
/* command.c - SMTP commands named in bounce text (RFC 5321 4.1).  "CONN"
 * is the pseudo command for a failure at connection time. */
#include "dsn.h"

static const struct bk_sv known[] = {
	BK_SVI("HELO"), BK_SVI("EHLO"), BK_SVI("MAIL"), BK_SVI("RCPT"),
	BK_SVI("DATA"), BK_SVI("QUIT"), BK_SVI("RSET"), BK_SVI("NOOP"),
	BK_SVI("VRFY"), BK_SVI("ETRN"), BK_SVI("EXPN"), BK_SVI("HELP"),
	BK_SVI("AUTH"), BK_SVI("STARTTLS"), BK_SVI("XFORWARD"), BK_SVI("CONN"),
	BK_SVI("BDAT"),
};

/* What to look for, and the command it names.  Entries without a space
 * must stand alone (not inside "DATABASE@EXAMPLE.JP").  Each text begins
 * with a command: a text that names none finds none of them. */
static const struct {
	struct bk_sv text;
	const char *cmd;
	bool alone;
} detect[] = {
	{ BK_SVI("HELO"), "HELO", true },
	{ BK_SVI("EHLO"), "EHLO", true },
	{ BK_SVI("STARTTLS"), "STARTTLS", true },
	{ BK_SVI("AUTH PLAIN"), "AUTH", false },
	{ BK_SVI("AUTH LOGIN"), "AUTH", false },
	{ BK_SVI("AUTH CRAM-"), "AUTH", false },
	{ BK_SVI("AUTH DIGEST-"), "AUTH", false },
	{ BK_SVI("MAIL F"), "MAIL", false },
	{ BK_SVI("RCPT"), "RCPT", true },
	{ BK_SVI("RCPT T"), "RCPT", false },
	{ BK_SVI("DATA"), "DATA", true },
	{ BK_SVI("QUIT"), "QUIT", true },
	{ BK_SVI("XFORWARD"), "XFORWARD", true },
};

bool
bk_command_valid(struct bk_sv s)
{
	for (size_t i = 0; i < BK_NELEM(known); i++)
		if (bk_sv_starts(s, known[i]))
			return true;
	return false;
}

static bool
alnum_or_at(unsigned char c)
{
	return bk_is_digit(c) || (c >= '@' && c <= 'Z') || (c >= '`' && c <= 'z');
}

static bool
stands_alone(struct bk_sv t, size_t at, size_t len)
{
	if (at > 0 && alnum_or_at((unsigned char)t.p[at - 1]))
		return false;
	return !(at + len < t.n && alnum_or_at((unsigned char)t.p[at + len]));
}

/* The last command (in table order) that occurs: a bounce that names
 * several ("MAIL FROM ... RCPT TO ... DATA") failed at the latest. */
const char *
bk_command_find(struct bk_sv t)
{
	const char *found = "";
	for (size_t i = 0; i < BK_NELEM(detect); i++) {
		struct bk_sv d = detect[i].text, rest = t;
		for (;;) {
			long at = bk_sv_find(rest, d);
			if (at < 0)
				break;
			size_t abs = (size_t)(rest.p - t.p) + (size_t)at;
			if (!detect[i].alone || stands_alone(t, abs, d.n)) {
				found = detect[i].cmd;
				break;
			}
			rest = bk_sv_from(t, abs + 1);
		}
	}
	return found;
}
