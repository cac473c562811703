/* SPDX-License-Identifier: BSD-2-Clause */
/* names.c - the reason table, generated from reasons.def. */
#include "reason.h"

#include "bouncekit/bouncekit.h"

static const struct bk_reason_info infos[] = {
#define BK_REASON(id, name, hard, pseudo, meaning) { name, meaning, hard, pseudo },
#include "reasons.def"
#undef BK_REASON
};

_Static_assert(BK_NELEM(infos) == BK_R__COUNT, "reasons.def");
_Static_assert(BK_R__COUNT <= 64, "bk_reason_set has 64 bits");

const char *
bk_reason_name(int r)
{
	return r >= 0 && r < BK_R__COUNT ? infos[r].name : "undefined";
}

int
bk_reason_by_name(struct bk_sv name)
{
	/* the names are in lower case: the first byte turns most away
	 * before a strlen */
	for (int r = 0; name.n && r < BK_R__COUNT; r++)
		if (bk_lower((unsigned char)name.p[0]) == infos[r].name[0] &&
		    bk_sv_ieq(name, bk_sv_c(infos[r].name)))
			return r;
	return -1;
}

bool
bk_reason_hard(int r)
{
	return r >= 0 && r < BK_R__COUNT && infos[r].hard;
}

void
bk_reason_pseudo(int r, bool temporary, char out[8])
{
	out[0] = '\0';
	if (r < 0 || r >= BK_R__COUNT || infos[r].pseudo == 0)
		return;
	/* SPEC 5: a temporary filtered is 4.0.924; the address-level reasons
	 * have no temporary form (Sisimai 5.2 leaves the status empty) */
	int nn = infos[r].pseudo;
	if (temporary && (r == BK_R_HASMOVED || r == BK_R_HOSTUNKNOWN ||
			  r == BK_R_USERUNKNOWN))
		return;
	if (temporary && r == BK_R_FILTERED)
		nn = 924;
	out[0] = temporary ? '4' : '5';
	out[1] = '.';
	out[2] = '0';
	out[3] = '.';
	out[4] = (char)('0' + nn / 100);
	out[5] = (char)('0' + nn / 10 % 10);
	out[6] = (char)('0' + nn % 10);
	out[7] = '\0';
}

size_t
bk_reasons(const struct bk_reason_info **list)
{
	*list = infos;
	return BK_NELEM(infos);
}
