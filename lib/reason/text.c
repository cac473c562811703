/* SPDX-License-Identifier: BSD-2-Clause */
/* text.c - classify a free text (an SMTP reply, a log line) as if it were
 * the diagnostic of a bounce: for `bouncekit classify` and for callers
 * that only have webhook or log texts.  Any length: the text is squeezed
 * into a copy of its own size. */
#include <stdio.h>
#include <stdlib.h>

#include "bouncekit/bouncekit.h"
#include "reason.h"

static int
classify_text(const char *text, size_t len, struct bk_verdict *out,
	      char **explain)
{
	char status[BK_STATUS_MAX] = "", reply[4] = "";
	struct bk_trace trace;

	memset(out, 0, sizeof(*out));
	if (explain)
		*explain = NULL;
	/* the usual text fits on the stack; a longer one gets a copy of its
	 * own size */
	char small[4096];
	char *buf = len < sizeof(small) ? small : malloc(len + 1);
	if (!buf)
		return -1;
	/* squeeze white space, as for a record's diagnosticcode */
	struct bk_sv t = bk_squeeze(buf, bk_sv_make(text, len));
	bk_status_find(t, 0, status);
	bk_reply_find(t, status[0], reply);
	const char *cmd = bk_command_find(t);
	struct bk_classify_in in = {
		.status = bk_sv_c(status), .replycode = bk_sv_c(reply),
		.command = bk_sv_c(cmd), .diagtype = BK_SV("SMTP"), .diag = t,
		.trace = explain ? &trace : NULL,
	};
	int r = bk_classify(&in);
	if (explain) {
		struct bk_arena a;
		bk_arena_init(&a, 0);
		const char *j = bk_trace_json(&a, &trace, "");
		*explain = j ? strdup(j) : NULL;
		bk_arena_free(&a);
	}
	bk_settle(r, NULL, t, status, reply, &out->hardbounce);
	if (buf != small)
		free(buf);
	snprintf(out->reason, sizeof(out->reason), "%s", bk_reason_name(r));
	snprintf(out->status, sizeof(out->status), "%s", status);
	snprintf(out->replycode, sizeof(out->replycode), "%s", reply);
	snprintf(out->command, sizeof(out->command), "%s", cmd);
	return r;
}

int
bk_classify_text(const char *text, size_t len, struct bk_verdict *out)
{
	return classify_text(text, len, out, NULL);
}

int
bk_classify_text_explain(const char *text, size_t len, struct bk_verdict *out,
			 char **explain)
{
	return classify_text(text, len, out, explain);
}
