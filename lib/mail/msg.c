/* SPDX-License-Identifier: BSD-2-Clause */
/* msg.c - questions about the bounce message being decoded (msg.h). */
#include "msg.h"

bool
bk_msg_header_has(const struct bk_msg *m, struct bk_sv name,
		  struct bk_sv needle)
{
	uint32_t hash = bk_hdr_hash(name);
	const struct bk_hdrs *h = &m->hdrs;
	if (hash == bk_hdr_hash(BK_SV("received")) &&
	    bk_sv_ieq(name, BK_SV("received")))
		return m->received.p && bk_sv_icontains(m->received, needle);
	for (size_t k = bk_hdrs_next(h, name, hash, 0); k < h->n;
	     k = bk_hdrs_after(h, k))
		if (bk_sv_icontains(bk_hdr_value(h, k), needle))
			return true;
	return false;
}

struct bk_sv
bk_msg_author(struct bk_arena *a, const struct bk_msg *m)
{
	struct bk_sv who = bk_addr_find(a, m->from);
	if (who.p)
		return who;
	struct bk_sv v = bk_msg_header(m, BK_SV("reply-to"));
	if (v.p && (who = bk_addr_find(a, v)).p)
		return who;
	v = bk_msg_header(m, BK_SV("sender"));
	return v.p ? bk_addr_find(a, v) : BK_SV_NULL;
}
