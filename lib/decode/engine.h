/* SPDX-License-Identifier: BSD-2-Clause */
/* engine.h - the parser object and the stages of one decode. */
#ifndef BK_ENGINE_H
#define BK_ENGINE_H

#include "bouncekit/bouncekit.h"
#include "decode_priv.h"

struct bk_parser {
	struct bk_options opt;
	struct bk_arena arena;		/* reset at each message */
	struct bk_charsets *cs;
	unsigned warn;
	struct bk_record *recs;		/* in the arena */
	size_t nrecs;
	char *catch_json;		/* from the hook, malloc'd */
	bool explain;			/* bk_parser_set_explain() */
};

/* Read a message into m: normalise, index headers, decode the subject,
 * flatten the MIME structure.  false when it is not a message at all. */
bool bk_msg_load(struct bk_parser *p, struct bk_msg *m, struct bk_sv data,
		 const char *origin);

/* Run the decoders over m; fills dc and returns the decoder that decoded
 * it, or NULL. */
const struct bk_decoder *bk_run_decoders(struct bk_msg *m, struct bk_dctx *dc);

/* Turn the deliveries into records (lib/report/fact.c). */
int bk_make_records(struct bk_parser *p, struct bk_msg *m, struct bk_dctx *dc,
		    const struct bk_decoder *by);

#endif
