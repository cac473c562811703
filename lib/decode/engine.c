/* SPDX-License-Identifier: BSD-2-Clause */
/* engine.c - try the decoders over a message, in priority order. */
#include "decode.h"

#include "decode_priv.h"

static int
try_decoder(const struct bk_decoder *d, struct bk_msg *m, struct bk_dctx *dc)
{
	memset(dc, 0, sizeof(*dc));
	dc->m = m;
	dc->arena = m->arena;
	dc->max = m->lim->recipients;
	if (d->decode(dc, m) == BK_DECODED && dc->n > 0)
		return 1;
	return m->arena->failed ? -1 : 0;
}

/* The decoders in order; the first that finds a recipient wins.  When
 * the message lacks a Subject, From or Received: field that the match of
 * a decoder reads, a second pass tries, in order, the decoders before
 * the one that took it (all, when none did) whose match failed and now
 * stands on other marks instead (bk_msg_lenient, bk_msg_absent); the
 * first pass's result is kept when none of them decodes it.  A complete
 * message takes one pass, as before. */
const char *
bk_run_decoders(struct bk_msg *m, struct bk_dctx *dc)
{
	bool matched[BK_DI__COUNT];
	const struct bk_decoder *found = NULL;
	size_t found_at = 0;
	for (size_t i = 0; i < bk_decoder_count; i++) {
		const struct bk_decoder *d = bk_decoder_list[i];
		matched[i] = d->match(m);
		if (!matched[i])
			continue;
		int r = try_decoder(d, m, dc);
		if (r < 0)
			return NULL;
		if (r > 0) {
			if (!m->missing)
				return d->name;
			found = d;
			found_at = i;
			break;
		}
	}
	if (!m->missing) {
		memset(dc, 0, sizeof(*dc));
		return NULL;
	}
	struct bk_dctx kept = *dc;
	size_t upto = found ? found_at : bk_decoder_count;
	m->lenient = m->missing;
	for (size_t i = 0; i < upto; i++) {
		const struct bk_decoder *d = bk_decoder_list[i];
		if (matched[i] || !d->match(m))
			continue;
		int r = try_decoder(d, m, dc);
		if (r != 0) {
			m->lenient = 0;
			return r > 0 ? d->name : NULL;
		}
	}
	m->lenient = 0;
	if (found) {
		*dc = kept;
		return found->name;
	}
	memset(dc, 0, sizeof(*dc));
	return NULL;
}
