/* SPDX-License-Identifier: BSD-2-Clause */
/* helpers.c - what decoders share: markers in text, the rows of their
 * format's table, quoted text.  Recipients and the RFC 3464 reader are in
 * lib/dsn/delivery.c. */
#include "decode_priv.h"

struct bk_sv
bk_text_before_any(struct bk_sv text, const struct bk_sv *marks, size_t n)
{
	long at = bk_sv_ifind_any(text, marks, n, NULL);
	return at < 0 ? text : bk_sv_slice(text, 0, (size_t)at);
}

struct bk_sv
bk_text_after_line(struct bk_sv text, const struct bk_sv *marks, size_t n)
{
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line))
		if (bk_sv_istarts_any(line, marks, n))
			return rest;
	return BK_SV_NULL;
}

void
bk_notice_apply(struct bk_dctx *dc, const struct bk_rule_table *t)
{
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_said s = bk_rule_find(t, dc->v[i].diag);
		if (bk_said_any(s))
			dc->v[i].said = s;
	}
}

struct bk_sv
bk_text_unquote(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv rest = text, line;
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, text.n + 1);
	while (bk_sv_next_line(&rest, &line)) {
		if (line.n && line.p[0] == '>') {
			line = bk_sv_from(line, 1);
			if (line.n && line.p[0] == ' ')
				line = bk_sv_from(line, 1);
		}
		bk_sb_addsv(&sb, line);
		bk_sb_addc(&sb, '\n');
	}
	return bk_sb_sv(&sb);
}

struct bk_sv
bk_status_comment(struct bk_sv status)
{
	long open = bk_sv_findc(status, '(');
	if (open <= 0 || status.p[status.n - 1] != ')')
		return BK_SV_NULL;
	return bk_sv_trim(bk_sv_slice(status, (size_t)open + 1, status.n - 1));
}

void
bk_diag_from_status(struct bk_dctx *dc)
{
	for (size_t i = 0; i < dc->n; i++)
		/* a delay notice's comment explains the delay, not a failure:
		 * its reason is the delay's (expired) */
		if (!dc->v[i].diag.n &&
		    strcmp(bk_action_normalize(dc->v[i].action), "delayed") != 0) {
			struct bk_sv c = bk_status_comment(dc->v[i].status);
			if (c.n)
				bk_dlv_diag_add(dc, &dc->v[i], c);
		}
}
