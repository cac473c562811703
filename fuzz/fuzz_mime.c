/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_mime.c - the MIME walk over any bytes as a message: multiparts,
 * transfer encodings, charsets, nesting, with low limits. */
#include "fuzz.h"
#include "mail/mime.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bk_limits lim = { 1u << 20, 65536, 1000, 4096, 16,
					      200, 4u << 20, 100 };
	static struct bk_charsets *cs;
	struct bk_arena a;
	struct bk_hdrs h;
	struct bk_sv body;
	struct bk_flat f;
	unsigned warn = 0;
	if (!cs)
		cs = bk_charsets_new();
	bk_arena_init(&a, 64u << 20);
	struct bk_sv in = bk_text_normalize(&a, bk_sv_make((const char *)data, size), false);
	if (in.p && bk_hdrs_parse(&a, in, &lim, &h, &body, &warn)) {
		struct bk_mime_in mi = { &a, cs, &lim, &warn };
		bk_mime_flatten(&mi, &h, body, &f);
	}
	bk_arena_free(&a);
	return 0;
}
