/* SPDX-License-Identifier: BSD-2-Clause */
/* format_fml.c - what FML bounces state (lib/decode/fml.c reads
 * them), and the reasons. */
#include "rule.h"

/* fml's messages in the body */
static const struct bk_rule body_phrases[] = {
	BK_RULE(" header may cause mail loop", REJECTED),
	BK_RULE("NOT MEMBER article from ", REJECTED),
	BK_RULE("reject mail from ", REJECTED),
	BK_RULE("reject spammers:", REJECTED),
	BK_RULE("You are not a member of this mailing list", REJECTED),
	BK_RULE(" has detected a loop condition so that", SYSTEMERROR),
	BK_RULE("Duplicated Message-ID", SYSTEMERROR),
	BK_RULE("Loop Back Warning:", SYSTEMERROR),
	BK_RULE("Security alert:", SECURITYERROR),
};
BK_RULE_TABLE(bk_rules_fml_body_phrases, "format.fml.body_phrases", body_phrases);

/* and in the subject */
static const struct bk_rule subject_phrases[] = {
	BK_RULE(" are not member", REJECTED),
	BK_RULE("NOT MEMBER article from ", REJECTED),
	BK_RULE("reject mail ", REJECTED),
	BK_RULE("Spam mail from a spammer is rejected", REJECTED),
	BK_RULE("fml system error message", SYSTEMERROR),
	BK_RULE("Loop Alert: ", SYSTEMERROR),
	BK_RULE("Loop Back Warning: ", SYSTEMERROR),
	BK_RULE("WARNING: UNIX FROM Loop", SYSTEMERROR),
	BK_RULE("Security Alert", SECURITYERROR),
};
BK_RULE_TABLE(bk_rules_fml_subject_phrases, "format.fml.subject_phrases", subject_phrases);
