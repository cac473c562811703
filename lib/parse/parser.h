/* SPDX-License-Identifier: BSD-2-Clause */
/* parser.h - the parser object (bouncekit.h's struct bk_parser): above
 * lib/decode/ and lib/report/, which it runs in turn (docs/design.md). */
#ifndef BK_PARSER_H
#define BK_PARSER_H

#include "bouncekit/bouncekit.h"
#include "decode/decode.h"
#include "mail/msg.h"
#include "report/report.h"

struct bk_parser {
	struct bk_options opt;
	struct bk_arena arena;		/* reset at each message */
	struct bk_charsets *cs;
	unsigned warn;
	struct bk_report rep;		/* the record builder's state */
};

#endif
