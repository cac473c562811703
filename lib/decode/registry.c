/* SPDX-License-Identifier: BSD-2-Clause */
/* registry.c - the decoder list, from decoders.def. */
#include "decode_priv.h"

#include "bouncekit/bouncekit.h"

const struct bk_decoder *const bk_decoder_list[] = {
#define BK_DECODER(name) &bk_decoder_##name,
#include "decoders.def"
#undef BK_DECODER
};

const size_t bk_decoder_count = BK_NELEM(bk_decoder_list);

size_t
bk_decoders(const struct bk_decoder_info **list)
{
	/* filled on each call: cheap, and no shared state to race on */
	static _Thread_local struct bk_decoder_info
		local[BK_NELEM(bk_decoder_list) + BK_AGENTS_MAX];
	for (size_t i = 0; i < bk_decoder_count; i++) {
		local[i].name = bk_decoder_list[i]->name;
		local[i].what = bk_decoder_list[i]->what;
	}
	*list = local;
	return bk_decoder_count +
	       bk_rfc3464_agents(local + bk_decoder_count, BK_AGENTS_MAX);
}
