/* SPDX-License-Identifier: BSD-2-Clause */
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

/* The reason a status names by itself (RFC 3463 meaning), or -1
 * (status.c). */
int bk_status_reason(struct bk_sv status);

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

/* ---- the evidence chain (--explain) ----
 * Filled by bk_classify() only when the caller passes one: a step of the
 * order, the reason it pointed at, the table and row (or rule) behind it. */
struct bk_trace_item {
	const char *step;	/* "format", "lda", "provider", "status", ... */
	int reason;		/* enum bk_reason, -1 when none */
	const char *table;	/* "format.exim", "provider.microsoft", ... */
	int row;		/* the row of table, -1 when none */
	const char *code;	/* a code the rule names, NULL when none */
	struct bk_sv rule;	/* the rule's text, p NULL when none */
	const char *const *pieces;	/* a phrase's pieces (4, NULL-padded) */
	const char *why;	/* a rejected step: why it did not decide */
};

#define BK_TRACE_MAX 16
struct bk_trace {
	struct bk_trace_item decided;
	struct bk_trace_item rejected[BK_TRACE_MAX];
	unsigned nrej;
	/* what a provider table matched last (provider.c) */
	int m_row;
	const char *m_code, *m_text;
};

/* The trace of the bk_classify() running on this thread, NULL when none:
 * the provider matchers note the row they matched there. */
extern _Thread_local struct bk_trace *bk_trace_cur;
static inline void
bk_trace_match(int row, const char *code, const char *text)
{
	struct bk_trace *t = bk_trace_cur;
	if (t) {
		t->m_row = row;
		t->m_code = code;
		t->m_text = text;
	}
}

/* The first row of the phrase tables of reason r (not a veto row) that
 * occurs in text, for an explanation: its table ("phrases.en") and row
 * index and its pieces.  false when none does. */
bool bk_phrase_which(struct bk_sv text, int r, const char **table, int *row,
		     const char *const **pieces);

/* The trace as a JSON object ({"decoder":...}) in the arena; NULL when
 * memory ran out. */
const char *bk_trace_json(struct bk_arena *a, const struct bk_trace *t,
			  const char *decoder);

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
	struct bk_trace *trace;	/* NULL: no explanation (no cost) */
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
