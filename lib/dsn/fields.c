/* SPDX-License-Identifier: BSD-2-Clause */
/* fields.c - RFC 3464 delivery status fields (2.2 per message, 2.3 per
 * recipient), and the X- fields common MTAs add. */
#include "dsn.h"

/* By the length of their names (a line is turned away by its name's
 * length, and compared with one or two names at most). */
static const struct {
	struct bk_sv name;
	enum bk_dsn_field f;
} fields[] = {
	{ BK_SVI("action"), BK_DF_ACTION },
	{ BK_SVI("status"), BK_DF_STATUS },
	{ BK_SVI("remote-mta"), BK_DF_REMOTE_MTA },
	{ BK_SVI("dsn-gateway"), BK_DF_DSN_GATEWAY },
	{ BK_SVI("arrival-date"), BK_DF_ARRIVAL_DATE },
	{ BK_SVI("final-log-id"), BK_DF_FINAL_LOG_ID },
	{ BK_SVI("reporting-mta"), BK_DF_REPORTING_MTA },
	{ BK_SVI("final-recipient"), BK_DF_FINAL_RECIPIENT },
	{ BK_SVI("diagnostic-code"), BK_DF_DIAGNOSTIC_CODE },
	{ BK_SVI("x-postfix-sender"), BK_DF_NONE },
	{ BK_SVI("will-retry-until"), BK_DF_WILL_RETRY_UNTIL },
	{ BK_SVI("received-from-mta"), BK_DF_RECEIVED_FROM_MTA },
	{ BK_SVI("last-attempt-date"), BK_DF_LAST_ATTEMPT_DATE },
	{ BK_SVI("original-recipient"), BK_DF_ORIGINAL_RECIPIENT },
	{ BK_SVI("x-actual-recipient"), BK_DF_X_ACTUAL_RECIPIENT },
	{ BK_SVI("original-envelope-id"), BK_DF_ORIGINAL_ENVELOPE_ID },
};

/* by_len[n]: one more than the index of the first name of n bytes in
 * fields[], 0 when there is none (test_dsn checks it against the table). */
static const unsigned char by_len[21] = {
	[6] = 1, [10] = 3, [11] = 4, [12] = 5, [13] = 7, [15] = 8,
	[16] = 10, [17] = 12, [18] = 14, [20] = 16,
};

/* Whether name (as long as want) is want in any case; want is in lower
 * case, letters and '-'.  Eight bytes at a time, the last eight
 * overlapping: bit 0x20 is set in name where want has a letter (so that
 * 'A' and 'a' meet 'a', and nothing else does), and '-' must be '-'. */
static bool
name_is(struct bk_sv name, struct bk_sv want)
{
	const uint64_t letters = 0x4040404040404040ull;	/* a-z have 0x40 */
	size_t n = want.n;
	if (n < 8)
		return bk_ieq_n(name.p, want.p, n);
	for (size_t i = 0;; i += 8) {
		size_t at = i + 8 <= n ? i : n - 8;
		uint64_t x, w;
		memcpy(&x, name.p + at, 8);
		memcpy(&w, want.p + at, 8);
		if ((x | (w & letters) >> 1) != w)
			return false;
		if (at + 8 >= n)
			return true;
	}
}

/* Fields whose value is "type; value". */
static bool
typed(enum bk_dsn_field f)
{
	return f == BK_DF_REPORTING_MTA || f == BK_DF_DSN_GATEWAY ||
	       f == BK_DF_RECEIVED_FROM_MTA || f == BK_DF_ORIGINAL_RECIPIENT ||
	       f == BK_DF_FINAL_RECIPIENT || f == BK_DF_REMOTE_MTA ||
	       f == BK_DF_DIAGNOSTIC_CODE || f == BK_DF_X_ACTUAL_RECIPIENT;
}

enum bk_dsn_field
bk_dsn_field(struct bk_sv line, struct bk_sv *type, struct bk_sv *value)
{
	/* the longest name is 20 bytes: no need to look further */
	long colon = bk_sv_findc(bk_sv_slice(line, 0, 25), ':');
	if (colon <= 0 || colon > 24)
		return BK_DF_NONE;
	struct bk_sv name = bk_sv_rtrim(bk_sv_slice(line, 0, (size_t)colon));
	enum bk_dsn_field f = BK_DF_NONE;
	if (name.n >= BK_NELEM(by_len) || !by_len[name.n])
		return f;
	/* the names of one length start with different letters */
	for (size_t i = by_len[name.n] - 1u;
	     i < BK_NELEM(fields) && fields[i].name.n == name.n; i++)
		if (name_is(name, fields[i].name)) {
			f = fields[i].f;
			break;
		}
	if (f == BK_DF_NONE)
		return f;
	struct bk_sv v = bk_sv_trim(bk_sv_from(line, (size_t)colon + 1));
	*type = bk_sv_make(v.p, 0);
	if (typed(f)) {
		long semi = bk_sv_findc(v, ';');
		/* "smtp; 550 ..." but not "550 5.1.1 ...; ..." */
		if (semi > 0 && semi < 40 &&
		    bk_sv_findc(bk_sv_slice(v, 0, (size_t)semi), ' ') < 0) {
			*type = bk_sv_slice(v, 0, (size_t)semi);
			v = bk_sv_trim(bk_sv_from(v, (size_t)semi + 1));
		}
	}
	*value = v;
	return f;
}

static const struct {
	struct bk_sv in;
	const char *out;
} actions[] = {
	{ BK_SVI("failed"), "failed" },	      { BK_SVI("delayed"), "delayed" },
	{ BK_SVI("delivered"), "delivered" }, { BK_SVI("relayed"), "relayed" },
	{ BK_SVI("expanded"), "expanded" },   { BK_SVI("failure"), "failed" },
	{ BK_SVI("fail"), "failed" },	      { BK_SVI("expired"), "failed" },
	{ BK_SVI("deferred"), "delayed" },
	{ BK_SVI("deliverable"), "delivered" },
};

const char *
bk_action_normalize(struct bk_sv v)
{
	v = bk_sv_trim(v);
	/* "failed (bad destination mailbox address)" */
	struct bk_sv w;
	bk_sv_cut(v, ' ', &w);
	for (size_t i = 0; i < BK_NELEM(actions); i++)
		if (bk_sv_ieq(w, actions[i].in))
			return actions[i].out;
	return "";
}
