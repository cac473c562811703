/* status.c - RFC 3463 enhanced status codes in free text.
 *
 * The rules for which code to keep when a bounce gives several come from
 * experience with real bounces (Sisimai's documented behaviour): the
 * "Status:" field wins unless it is vaguer (X.0.0, X.Y.0) or one of the
 * codes MTAs use as catch-alls (4.4.7, 4.7.0, 5.3.x, X.5.[1245]), and a
 * reply code's class settles a disagreement in class.
 */
#include "dsn.h"

#include "reason/reason.h"

static bool
is_ipv4_like(struct bk_sv t, size_t at)
{
	/* at points at the class digit; the candidate is followed by
	 * ".D" making it look like a dotted quad */
	size_t i = at, dots = 0;
	/* a dotted quad is at most 15 characters: look no further */
	while (i < t.n && i < at + 16 &&
	       (bk_is_digit((unsigned char)t.p[i]) || t.p[i] == '.')) {
		if (t.p[i] == '.')
			dots++;
		i++;
	}
	return dots >= 3;
}

/* Read a status at t[at]; returns its length or 0. */
static size_t
read_status(struct bk_sv t, size_t at, char out[BK_STATUS_MAX])
{
	if (at > 0) {
		unsigned char prev = (unsigned char)t.p[at - 1];
		if ((prev >= '.' && prev <= '9') || prev == 'v' || prev == 'V')
			return 0;	/* digit, '.', '/': part of a number */
	}
	if (at + 4 >= t.n)
		return 0;
	if (t.p[at + 1] != '.' || t.p[at + 2] < '0' || t.p[at + 2] > '7' ||
	    t.p[at + 3] != '.')
		return 0;
	size_t i = at + 4, d0 = i;
	while (i < t.n && i - d0 < 3 && bk_is_digit((unsigned char)t.p[i]))
		i++;
	if (i == d0 || (i < t.n && bk_is_digit((unsigned char)t.p[i])))
		return 0;
	if (is_ipv4_like(t, at))
		return 0;
	memcpy(out, t.p + at, i - at);
	out[i - at] = '\0';
	return i - at;
}

static bool
is_vague(const char *s)
{
	return strcmp(s + 1, ".0.0") == 0 || strcmp(s, "4.4.7") == 0;
}

bool
bk_status_find(struct bk_sv text, char hint, char out[BK_STATUS_MAX])
{
	char best[BK_STATUS_MAX] = "", vague[BK_STATUS_MAX] = "";
	char cand[BK_STATUS_MAX];
	bool any = false;
	for (size_t i = 0; i + 4 < text.n; i++) {
		char c = text.p[i];
		if (c != '2' && c != '4' && c != '5')
			continue;
		if (hint && c != hint)
			continue;
		size_t len = read_status(text, i, cand);
		if (!len)
			continue;
		i += len - 1;
		if (is_vague(cand)) {
			if (!vague[0])
				memcpy(vague, cand, sizeof(cand));
			continue;
		}
		if (!any) {
			memcpy(best, cand, sizeof(cand));
			any = true;
		} else {
			struct bk_sv p = bk_status_prefer(bk_sv_c(best),
							  bk_sv_c(cand), BK_SV(""));
			if (p.p != best)
				memcpy(best, cand, sizeof(cand));
		}
	}
	if (!any && !vague[0])
		return false;
	memcpy(out, any ? best : vague, BK_STATUS_MAX);
	return true;
}

bool
bk_status_valid(struct bk_sv s)
{
	char tmp[BK_STATUS_MAX];
	if (s.n < 5 || s.n > 9)
		return false;
	return read_status(s, 0, tmp) == s.n;
}

bool
bk_status_is_pseudo(struct bk_sv s)
{
	return s.n == 7 && bk_sv_starts(bk_sv_from(s, 1), BK_SV(".0.9"));
}

struct bk_sv
bk_status_prefer(struct bk_sv field, struct bk_sv code, struct bk_sv reply)
{
	if (field.n == 0)
		return code;
	if (code.n == 0)
		return field;
	if (field.n < 5)
		return code;
	if (code.n < 5)
		return field;
	/* a reply code settles a disagreement in class */
	if (reply.n && field.p[0] != code.p[0]) {
		if (reply.p[0] == field.p[0])
			return field;
		if (reply.p[0] == code.p[0])
			return code;
	}
	if (bk_sv_eq(field, code))
		return field;
	bool fz2 = bk_sv_contains(field, BK_SV(".0.0"));
	bool cz2 = bk_sv_contains(code, BK_SV(".0.0"));
	bool fz1 = bk_sv_contains(field, BK_SV(".0"));
	bool cz1 = bk_sv_contains(code, BK_SV(".0"));
	if (fz2)
		return cz2 ? field : code;
	if (fz1 && !cz1)
		return code;
	if (cz2)
		return field;
	struct bk_sv sub = bk_sv_from(field, 1);
	if (bk_sv_eq(field, BK_SV("4.4.7")) || bk_sv_eq(field, BK_SV("4.7.0")) ||
	    bk_sv_starts(field, BK_SV("5.3.")) || bk_sv_starts(sub, BK_SV(".5.1")) ||
	    bk_sv_starts(sub, BK_SV(".5.2")) || bk_sv_starts(sub, BK_SV(".5.4")) ||
	    bk_sv_starts(sub, BK_SV(".5.5")))
		return code;
	if (bk_sv_eq(field, BK_SV("5.1.1")))
		return cz1 || bk_sv_starts(code, BK_SV("5.5.")) ? field : code;
	if (bk_sv_eq(field, BK_SV("5.1.3")) && bk_sv_starts(code, BK_SV("5.7.")))
		return code;
	return field;
}

/* What each status means by itself (RFC 3463, RFC 5248 registry, RFC 7505,
 * RFC 7372); codes that say too little to decide (X.0.0, 4.3.0, 4.4.0,
 * 4.5.0, 4.7.0, ...) are absent on purpose. */
static const struct {
	const char *code;
	int reason;
} status_reasons[] = {
	{ "2.1.5", BK_R_DELIVERED },	  { "4.1.6", BK_R_HASMOVED },
	{ "4.1.7", BK_R_REJECTED },	  { "4.1.8", BK_R_REJECTED },
	{ "4.1.9", BK_R_SYSTEMERROR },	  { "4.2.1", BK_R_BLOCKED },
	{ "4.2.2", BK_R_MAILBOXFULL },	  { "4.2.3", BK_R_EXCEEDLIMIT },
	{ "4.2.4", BK_R_FILTERED },	  { "4.3.1", BK_R_SYSTEMFULL },
	{ "4.3.2", BK_R_NOTACCEPT },	  { "4.3.3", BK_R_SYSTEMERROR },
	{ "4.3.5", BK_R_SYSTEMERROR },	  { "4.4.1", BK_R_EXPIRED },
	{ "4.4.2", BK_R_NETWORKERROR },	  { "4.4.3", BK_R_SYSTEMERROR },
	{ "4.4.4", BK_R_NETWORKERROR },	  { "4.4.5", BK_R_SYSTEMFULL },
	{ "4.4.6", BK_R_NETWORKERROR },	  { "4.4.7", BK_R_EXPIRED },
	{ "4.4.8", BK_R_NETWORKERROR },	  { "4.5.3", BK_R_SYSTEMERROR },
	{ "4.5.5", BK_R_SYSTEMERROR },	  { "4.6.0", BK_R_CONTENTERROR },
	{ "4.6.2", BK_R_CONTENTERROR },	  { "4.6.5", BK_R_CONTENTERROR },
	{ "4.7.1", BK_R_BLOCKED },	  { "4.7.2", BK_R_BLOCKED },
	{ "4.7.5", BK_R_SECURITYERROR },  { "4.7.6", BK_R_SECURITYERROR },
	{ "4.7.7", BK_R_SECURITYERROR },  { "4.7.12", BK_R_SECURITYERROR },
	{ "4.7.15", BK_R_SECURITYERROR }, { "4.7.16", BK_R_MESGTOOBIG },
	{ "4.7.24", BK_R_AUTHFAILURE },	  { "4.7.25", BK_R_REQUIREPTR },
	{ "4.7.26", BK_R_AUTHFAILURE },
	{ "5.1.0", BK_R_USERUNKNOWN },	  { "5.1.1", BK_R_USERUNKNOWN },
	{ "5.1.2", BK_R_HOSTUNKNOWN },	  { "5.1.3", BK_R_USERUNKNOWN },
	{ "5.1.4", BK_R_FILTERED },	  { "5.1.6", BK_R_HASMOVED },
	{ "5.1.7", BK_R_REJECTED },	  { "5.1.8", BK_R_REJECTED },
	{ "5.1.9", BK_R_SYSTEMERROR },	  { "5.1.10", BK_R_NOTACCEPT },
	{ "5.2.0", BK_R_FILTERED },	  { "5.2.1", BK_R_FILTERED },
	{ "5.2.2", BK_R_MAILBOXFULL },	  { "5.2.3", BK_R_EXCEEDLIMIT },
	{ "5.2.4", BK_R_FILTERED },	  { "5.3.0", BK_R_SYSTEMERROR },
	{ "5.3.1", BK_R_SYSTEMFULL },	  { "5.3.2", BK_R_NOTACCEPT },
	{ "5.3.3", BK_R_SYSTEMERROR },	  { "5.3.4", BK_R_MESGTOOBIG },
	{ "5.3.5", BK_R_SYSTEMERROR },	  { "5.4.0", BK_R_NETWORKERROR },
	{ "5.4.3", BK_R_SYSTEMERROR },	  { "5.4.4", BK_R_HOSTUNKNOWN },
	{ "5.5.2", BK_R_SYNTAXERROR },	  { "5.5.3", BK_R_TOOMANYCONN },
	{ "5.5.4", BK_R_SYSTEMERROR },	  { "5.5.5", BK_R_SYSTEMERROR },
	{ "5.5.6", BK_R_SYNTAXERROR },	  { "5.6.0", BK_R_CONTENTERROR },
	{ "5.6.1", BK_R_CONTENTERROR },	  { "5.6.2", BK_R_CONTENTERROR },
	{ "5.6.3", BK_R_CONTENTERROR },	  { "5.6.5", BK_R_CONTENTERROR },
	{ "5.6.6", BK_R_CONTENTERROR },	  { "5.6.7", BK_R_CONTENTERROR },
	{ "5.6.8", BK_R_CONTENTERROR },	  { "5.6.9", BK_R_CONTENTERROR },
	{ "5.7.0", BK_R_SECURITYERROR },  { "5.7.1", BK_R_SECURITYERROR },
	{ "5.7.2", BK_R_SECURITYERROR },  { "5.7.3", BK_R_SECURITYERROR },
	{ "5.7.4", BK_R_SECURITYERROR },  { "5.7.5", BK_R_SECURITYERROR },
	{ "5.7.6", BK_R_SECURITYERROR },  { "5.7.7", BK_R_SECURITYERROR },
	{ "5.7.8", BK_R_SECURITYERROR },  { "5.7.9", BK_R_SECURITYERROR },
	{ "5.7.10", BK_R_SECURITYERROR }, { "5.7.11", BK_R_SECURITYERROR },
	{ "5.7.13", BK_R_SUSPEND },	  { "5.7.14", BK_R_SECURITYERROR },
	{ "5.7.15", BK_R_SECURITYERROR }, { "5.7.16", BK_R_MESGTOOBIG },
	{ "5.7.17", BK_R_HASMOVED },	  { "5.7.18", BK_R_HASMOVED },
	{ "5.7.19", BK_R_SECURITYERROR }, { "5.7.20", BK_R_AUTHFAILURE },
	{ "5.7.21", BK_R_AUTHFAILURE },	  { "5.7.22", BK_R_AUTHFAILURE },
	{ "5.7.23", BK_R_AUTHFAILURE },	  { "5.7.24", BK_R_AUTHFAILURE },
	{ "5.7.25", BK_R_REQUIREPTR },	  { "5.7.26", BK_R_AUTHFAILURE },
	{ "5.7.27", BK_R_NOTACCEPT },	  { "5.7.28", BK_R_SPAMDETECTED },
	{ "5.7.29", BK_R_AUTHFAILURE },	  { "5.7.30", BK_R_FAILEDSTARTTLS },
};

int
bk_status_reason(struct bk_sv status)
{
	if (status.n < 5 || status.n > 7)
		return -1;
	for (size_t i = 0; i < BK_NELEM(status_reasons); i++)
		if (bk_sv_eq(status, bk_sv_c(status_reasons[i].code)))
			return status_reasons[i].reason;
	return -1;
}
