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
 * must stand alone (not inside "DATABASE@EXAMPLE.JP"). */
static const struct {
	const char *text, *cmd;
} detect[] = {
	{ "HELO", "HELO" },	      { "EHLO", "EHLO" },
	{ "STARTTLS", "STARTTLS" },   { "AUTH PLAIN", "AUTH" },
	{ "AUTH LOGIN", "AUTH" },     { "AUTH CRAM-", "AUTH" },
	{ "AUTH DIGEST-", "AUTH" },   { "MAIL F", "MAIL" },
	{ "RCPT", "RCPT" },	      { "RCPT T", "RCPT" },
	{ "DATA", "DATA" },	      { "QUIT", "QUIT" },
	{ "XFORWARD", "XFORWARD" },
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
	bool any = false;
	for (size_t i = 0; i < BK_NELEM(known) && !any; i++)
		any = bk_sv_contains(t, known[i]);
	if (!any)
		return "";
	for (size_t i = 0; i < BK_NELEM(detect); i++) {
		struct bk_sv d = bk_sv_c(detect[i].text), rest = t;
		for (;;) {
			long at = bk_sv_find(rest, d);
			if (at < 0)
				break;
			size_t abs = (size_t)(rest.p - t.p) + (size_t)at;
			if (memchr(d.p, ' ', d.n) || stands_alone(t, abs, d.n)) {
				found = detect[i].cmd;
				break;
			}
			rest = bk_sv_from(t, abs + 1);
		}
	}
	return found;
}
