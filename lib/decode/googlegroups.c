/* SPDX-License-Identifier: BSD-2-Clause */
/* googlegroups.c - Google Groups refusing a post: the group does not exist
 * or the sender may not post to it.  The notice is in the sender's
 * language; the recipient (the group) is in X-Failed-Recipients.
 *
 *   From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
 *   Subject: Delivery Status Notification (Failure)
 *   X-Failed-Recipients: cat-lovers@googlegroups.com
 *   X-Google-Smtp-Source: ...
 *
 *   Hello kijitora@example.com,
 *
 *   We're writing to let you know that the group you tried to contact
 *   (cat-lovers) may not exist, or you may not have permission to post
 *   messages to the group. A few more details on why you weren't able to
 *   post:
 *
 *    * You might have spelled or formatted the group name incorrectly.
 *    * The owner of the group may have removed this group.
 *
 *   If you have questions related to this or any other Google Group,
 *   visit the Help Center at https://groups.google.com/support/.
 *
 *   ----- Original message -----
 *
 * Every such notice means the group refused the message: "rejected".
 */
#include "decode_priv.h"

static const struct bk_sv orig_marks[] = {
	BK_SVI("----- Original message -----"),
};

static const struct bk_sv google_daemon =
	BK_SVI("mailer-daemon@googlemail.com");
static const struct bk_sv dsn_subject = BK_SVI("Delivery Status Notification");

static bool
groups_match(const struct bk_msg *m)
{
	static const struct bk_sv own = BK_SVI("Google");
	return (bk_sv_icontains(m->from, google_daemon) ||
		bk_msg_lenient(m, BK_MISSING_FROM, own)) &&
	       (bk_sv_icontains(m->subject, dsn_subject) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own)) &&
	       bk_msg_has(m, BK_SV("x-failed-recipients")) &&
	       bk_msg_has(m, BK_SV("x-google-smtp-source"));
}

/* The greeting, the notice, the list of causes and the pointer to the
 * help centre: the first four paragraphs. */
static struct bk_sv
notice(struct bk_sv text)
{
	struct bk_sv rest = bk_sv_ltrim(text), line;
	const char *start = rest.p;
	unsigned paras = 0;
	bool in_para = false;
	while (bk_sv_next_line(&rest, &line)) {
		bool blank = bk_sv_trim(line).n == 0;
		if (blank && in_para && ++paras == 4)
			return bk_sv_make(start, (size_t)(line.p - start));
		in_para = !blank;
	}
	return bk_sv_make(start, (size_t)(text.p + text.n - start));
}

static int
groups_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv head = bk_text_before_any(text, orig_marks,
					       BK_NELEM(orig_marks));
	if (!bk_sv_icontains(head, BK_SV("groups.google.com")))
		return BK_DECLINE;
	struct bk_sv failed = bk_msg_header(m, BK_SV("x-failed-recipients"));
	if (!bk_rcpt_add_list(dc, failed))
		return BK_DECLINE;
	struct bk_sv diag = notice(head);
	for (size_t i = 0; i < dc->n; i++) {
		dc->v[i].diag = diag;
		dc->v[i].said = bk_said_row(&bk_rules_googlegroups,
					     BK_GOOGLEGROUPS_REFUSED);
	}
	dc->orig = bk_text_after_line(text, orig_marks, BK_NELEM(orig_marks));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_googlegroups = {
	.name = "GoogleGroups",
	.what = "Google Groups refusing a post to a group",
	.match = groups_match,
	.decode = groups_decode,
};
