/* SPDX-License-Identifier: BSD-2-Clause */
/* engine.c - try the decoders over a message, in priority order. */
#include "decode.h"

#include "decode_priv.h"

const char *
bk_run_decoders(struct bk_msg *m, struct bk_dctx *dc)
{
	for (size_t i = 0; i < bk_decoder_count; i++) {
		const struct bk_decoder *d = bk_decoder_list[i];
		if (!d->match(m))
			continue;
		memset(dc, 0, sizeof(*dc));
		dc->m = m;
		dc->arena = m->arena;
		dc->max = m->lim->recipients;
		if (d->decode(dc, m) == BK_DECODED && dc->n > 0)
			return d->name;
		if (m->arena->failed)
			return NULL;
	}
	memset(dc, 0, sizeof(*dc));
	return NULL;
}
