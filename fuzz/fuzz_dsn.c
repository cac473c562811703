/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_dsn.c - RFC 3464 fields, status and reply codes, commands, and the
 * classifier on any text. */
#include "bouncekit/bouncekit.h"
#include "dsn/dsn.h"
#include "fuzz.h"
#include "reason/reason.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_sv t = bk_sv_make((const char *)data, size), rest = t, line;
	struct bk_sv type, value;
	char st[BK_STATUS_MAX], rc[4];
	struct bk_verdict v;
	while (bk_sv_next_line(&rest, &line))
		bk_dsn_field(line, &type, &value);
	bk_status_find(t, 0, st);
	bk_reply_find(t, 0, rc);
	bk_command_find(t);
	bk_action_normalize(t);
	bk_phrases_match(t);
	bk_classify_text((const char *)data, size, &v);
	return 0;
}
