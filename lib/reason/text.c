/* text.c - classify a free text (an SMTP reply, a log line) as if it were
 * the diagnostic of a bounce: for `bouncekit classify` and for callers
 * that only have webhook or log texts. */
#include <stdio.h>

#include "bouncekit/bouncekit.h"
#include "dsn/dsn.h"
#include "reason.h"

int
bk_classify_text(const char *text, size_t len, struct bk_verdict *out)
{
	char status[BK_STATUS_MAX] = "", reply[4] = "", buf[4096];
	size_t n = 0;
	bool space = true;

	memset(out, 0, sizeof(*out));
	/* squeeze white space, as for a record's diagnosticcode */
	for (size_t i = 0; i < len && n < sizeof(buf) - 1; i++) {
		unsigned char c = (unsigned char)text[i];
		if (bk_is_space(c)) {
			if (!space)
				buf[n++] = ' ';
			space = true;
		} else {
			buf[n++] = (char)c;
			space = false;
		}
	}
	while (n && buf[n - 1] == ' ')
		n--;
	struct bk_sv t = bk_sv_make(buf, n);
	bk_status_find(t, 0, status);
	bk_reply_find(t, status[0], reply);
	const char *cmd = bk_command_find(t);
	struct bk_classify_in in = {
		.status = bk_sv_c(status), .replycode = bk_sv_c(reply),
		.command = bk_sv_c(cmd), .diagtype = BK_SV("SMTP"), .diag = t,
	};
	int r = bk_classify(&in);
	bk_settle(r, NULL, t, status, reply, &out->hardbounce);
	snprintf(out->reason, sizeof(out->reason), "%s", bk_reason_name(r));
	snprintf(out->status, sizeof(out->status), "%s", status);
	snprintf(out->replycode, sizeof(out->replycode), "%s", reply);
	snprintf(out->command, sizeof(out->command), "%s", cmd);
	return r;
}
