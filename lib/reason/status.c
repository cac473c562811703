/* SPDX-License-Identifier: BSD-2-Clause */
/* status.c - what an RFC 3463 status names by itself: the reason the
 * classifier reads at the "status" steps of its order (classify.c).  The
 * codes are found in text by lib/dsn/status.c; their meaning for a
 * reason lives here, beside the other tables of reasons. */
#include "reason.h"

/* What each status means by itself (RFC 3463, RFC 5248 registry, RFC 7505,
 * RFC 7372); codes that say too little to decide (X.0.0, 4.3.0, 4.4.0,
 * 4.5.0, 4.7.0, ...) are absent on purpose. */
static const struct {
	uint32_t code;		/* class * 10^6 + subject * 10^3 + detail */
	int reason;
} status_reasons[] = {
#define S(c, s, d, r) { (c) * 1000000u + (s) * 1000u + (d), BK_R_##r }
	S(2, 1, 5, DELIVERED), S(4, 1, 6, HASMOVED), S(4, 1, 7, REJECTED),
	S(4, 1, 8, REJECTED), S(4, 1, 9, SYSTEMERROR), S(4, 2, 1, BLOCKED),
	S(4, 2, 2, MAILBOXFULL), S(4, 2, 3, EXCEEDLIMIT), S(4, 2, 4, FILTERED),
	S(4, 3, 1, SYSTEMFULL), S(4, 3, 2, NOTACCEPT), S(4, 3, 3, SYSTEMERROR),
	S(4, 3, 5, SYSTEMERROR), S(4, 4, 1, EXPIRED), S(4, 4, 2, NETWORKERROR),
	S(4, 4, 3, SYSTEMERROR), S(4, 4, 4, NETWORKERROR),
	S(4, 4, 5, SYSTEMFULL), S(4, 4, 6, NETWORKERROR), S(4, 4, 7, EXPIRED),
	S(4, 4, 8, NETWORKERROR), S(4, 5, 3, SYSTEMERROR),
	S(4, 5, 5, SYSTEMERROR), S(4, 6, 0, CONTENTERROR),
	S(4, 6, 2, CONTENTERROR), S(4, 6, 5, CONTENTERROR),
	S(4, 7, 1, BLOCKED), S(4, 7, 2, BLOCKED), S(4, 7, 5, SECURITYERROR),
	S(4, 7, 6, SECURITYERROR), S(4, 7, 7, SECURITYERROR),
	S(4, 7, 12, SECURITYERROR), S(4, 7, 15, SECURITYERROR),
	S(4, 7, 16, MESGTOOBIG), S(4, 7, 24, AUTHFAILURE),
	S(4, 7, 25, REQUIREPTR), S(4, 7, 26, AUTHFAILURE),
	S(5, 1, 0, USERUNKNOWN), S(5, 1, 1, USERUNKNOWN),
	S(5, 1, 2, HOSTUNKNOWN), S(5, 1, 3, USERUNKNOWN), S(5, 1, 4, FILTERED),
	S(5, 1, 6, HASMOVED), S(5, 1, 7, REJECTED), S(5, 1, 8, REJECTED),
	S(5, 1, 9, SYSTEMERROR), S(5, 1, 10, NOTACCEPT), S(5, 2, 0, FILTERED),
	S(5, 2, 1, FILTERED), S(5, 2, 2, MAILBOXFULL), S(5, 2, 3, EXCEEDLIMIT),
	S(5, 2, 4, FILTERED), S(5, 3, 0, SYSTEMERROR), S(5, 3, 1, SYSTEMFULL),
	S(5, 3, 2, NOTACCEPT), S(5, 3, 3, SYSTEMERROR), S(5, 3, 4, MESGTOOBIG),
	S(5, 3, 5, SYSTEMERROR), S(5, 4, 0, NETWORKERROR),
	S(5, 4, 3, SYSTEMERROR), S(5, 4, 4, HOSTUNKNOWN),
	S(5, 5, 2, SYNTAXERROR), S(5, 5, 3, TOOMANYCONN),
	S(5, 5, 4, SYSTEMERROR), S(5, 5, 5, SYSTEMERROR),
	S(5, 5, 6, SYNTAXERROR), S(5, 6, 0, CONTENTERROR),
	S(5, 6, 1, CONTENTERROR), S(5, 6, 2, CONTENTERROR),
	S(5, 6, 3, CONTENTERROR), S(5, 6, 5, CONTENTERROR),
	S(5, 6, 6, CONTENTERROR), S(5, 6, 7, CONTENTERROR),
	S(5, 6, 8, CONTENTERROR), S(5, 6, 9, CONTENTERROR),
	S(5, 7, 0, SECURITYERROR), S(5, 7, 1, SECURITYERROR),
	S(5, 7, 2, SECURITYERROR), S(5, 7, 3, SECURITYERROR),
	S(5, 7, 4, SECURITYERROR), S(5, 7, 5, SECURITYERROR),
	S(5, 7, 6, SECURITYERROR), S(5, 7, 7, SECURITYERROR),
	S(5, 7, 8, SECURITYERROR), S(5, 7, 9, SECURITYERROR),
	S(5, 7, 10, SECURITYERROR), S(5, 7, 11, SECURITYERROR),
	S(5, 7, 13, SUSPEND), S(5, 7, 14, SECURITYERROR),
	S(5, 7, 15, SECURITYERROR), S(5, 7, 16, MESGTOOBIG),
	S(5, 7, 17, HASMOVED), S(5, 7, 18, HASMOVED),
	S(5, 7, 19, SECURITYERROR), S(5, 7, 20, AUTHFAILURE),
	S(5, 7, 21, AUTHFAILURE), S(5, 7, 22, AUTHFAILURE),
	S(5, 7, 23, AUTHFAILURE), S(5, 7, 24, AUTHFAILURE),
	S(5, 7, 25, REQUIREPTR), S(5, 7, 26, AUTHFAILURE),
	S(5, 7, 27, NOTACCEPT), S(5, 7, 28, SPAMDETECTED),
	S(5, 7, 29, AUTHFAILURE), S(5, 7, 30, FAILEDSTARTTLS),
#undef S
};

/* "C.S.D" as one number (see the table), 0 when it is not one. */
static uint32_t
status_key(struct bk_sv s)
{
	uint32_t part[3] = { 0, 0, 0 };
	size_t k = 0, digits = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '.' && digits && k < 2) {
			k++;
			digits = 0;
		} else if (bk_is_digit(c) && digits < 3 &&
			   !(digits == 1 && part[k] == 0)) {
			/* no leading zero: "5.1.01" is not "5.1.1" */
			part[k] = part[k] * 10 + (c - '0');
			digits++;
		} else {
			return 0;
		}
	}
	if (k != 2 || !digits)
		return 0;
	return part[0] * 1000000u + part[1] * 1000u + part[2];
}

int
bk_status_reason(struct bk_sv status)
{
	if (status.n < 5 || status.n > 7)
		return -1;
	uint32_t key = status_key(status);
	/* the table is in strictly increasing order: binary search */
	size_t lo = 0, hi = BK_NELEM(status_reasons);
	while (key && lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (status_reasons[mid].code == key)
			return status_reasons[mid].reason;
		if (status_reasons[mid].code < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
