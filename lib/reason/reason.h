/* reason.h - the reason taxonomy and the one classifier every decoder
 * shares (SPEC 4, 5). */
#ifndef BK_REASON_H
#define BK_REASON_H

#include <stdint.h>

#include "core/core.h"
#include "dsn/dsn.h"

enum bk_reason {
#define BK_REASON(id, name, hard, pseudo, meaning) BK_R_##id,
#include "reasons.def"
#undef BK_REASON
	BK_R__COUNT
};

typedef uint64_t bk_reason_set;
#define BK_RBIT(r) ((bk_reason_set)1 << (r))

const char *bk_reason_name(int r);
/* The reason called name, or -1. */
int bk_reason_by_name(struct bk_sv name);
bool bk_reason_hard(int r);
/* The pseudo status for a reason: "5.0.9NN" or "4.0.9NN" into out[8]
 * (empty when the reason has none). */
void bk_reason_pseudo(int r, bool temporary, char out[8]);

/* Which reasons have a phrase that occurs in text (any case). */
bk_reason_set bk_phrases_match(struct bk_sv text);
/* true when a phrase of reason r occurs in text. */
static inline bool
bk_phrase_in(bk_reason_set set, int r)
{
	return (set & BK_RBIT(r)) != 0;
}

/* What the classifier decides on: the fields of one record as decoded. */
struct bk_said;
struct bk_classify_in {
	/* what the format states: a row of its table (rule.h), or none */
	const struct bk_said *said;
	struct bk_sv status;	/* RFC 3463 status, may be empty */
	struct bk_sv replycode;
	struct bk_sv command;
	struct bk_sv diagtype;	/* "SMTP", "X-UNIX", ... */
	struct bk_sv diag;	/* the diagnostic text, squeezed */
	struct bk_sv action;
	struct bk_sv rhost;
	struct bk_sv recipient;
	struct bk_sv decodedby;
};

/* Decide the reason (enum bk_reason).  The order of the rules lives here
 * and only here; see docs/classifier.md. */
int bk_classify(const struct bk_classify_in *in);

/* The reason a local delivery agent's message states (lda.c), or -1. */
int bk_lda_reason(struct bk_sv diag, struct bk_sv command);

/* The status, hard/soft verdict and reply code of a record whose reason
 * is decided: the one place where they are computed (classify.c).
 * status (in and out) is the settled RFC 3463 status, "" when none: then
 * the pseudo status of the reason is written there.  reply (in and out)
 * is cleared for feedback and vacation.  diag is the cleaned diagnostic;
 * said what the format stated (may be NULL). */
void bk_settle(int reason, const struct bk_said *said, struct bk_sv diag,
	       char status[BK_STATUS_MAX], char reply[4], bool *hard);

/* Hard bounce rule (SPEC 4): reason and the status/diagnostic text. */
bool bk_is_hard(int reason, struct bk_sv status_and_diag);
/* Does the text say the failure is permanent / temporary? */
bool bk_text_permanent(struct bk_sv text);
bool bk_text_temporary(struct bk_sv text);

#endif
