/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_header.c - the header parser: any bytes as a header block, every
 * field looked up again, limits low enough to be hit. */
#include "fuzz.h"
#include "mail/mail.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bk_limits lim = { 1u << 20, 4096, 64, 1024, 8, 64,
					      1u << 20, 100 };
	struct bk_arena a;
	struct bk_hdrs h;
	struct bk_sv body;
	unsigned warn = 0;
	bk_arena_init(&a, 16u << 20);
	struct bk_sv in = bk_text_normalize(&a, bk_sv_make((const char *)data, size), true);
	if (in.p) {
		bk_hdrs_parse(&a, in, &lim, &h, &body, &warn);
		for (size_t i = 0; i < h.n; i++) {
			bk_hdrs_get(&h, h.v[i].name);
			bk_addr_find(&a, bk_hdr_value(&h, i));
		}
	}
	bk_arena_free(&a);
	return 0;
}
