/* SPDX-License-Identifier: BSD-2-Clause */
/* decode.h - what the parser (lib/parse/) asks of the decoders. */
#ifndef BK_DECODE_H
#define BK_DECODE_H

#include "dsn/delivery.h"
#include "mail/msg.h"

/* Run the decoders over m in priority order; fills dc and returns the
 * "decodedby" name of the decoder that decoded it, or NULL. */
const char *bk_run_decoders(struct bk_msg *m, struct bk_dctx *dc);

#endif
