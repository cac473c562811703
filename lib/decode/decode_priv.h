/* SPDX-License-Identifier: BSD-2-Clause */
/* decode_priv.h - what a decoder sees and what it fills in.
 *
 * A decoder only finds recipients and what the bounce says about each one
 * (status, reply code, diagnostic text, command, hosts, dates); the shared
 * classifier in lib/reason/ decides the reason, and lib/report/ turns the
 * deliveries into records.
 *
 * match() must be cheap: it looks only at the headers already indexed in
 * struct bk_msg (and at most the first bytes of the text), allocates
 * nothing, and says whether decode() is worth calling.  decode() returns
 * BK_DECODED when it found at least one recipient, BK_DECLINE otherwise;
 * a decoder that declines leaves no trace, and the next one is tried.
 */
#ifndef BK_DECODE_PRIV_H
#define BK_DECODE_PRIV_H

#include "core/core.h"
#include "dsn/delivery.h"
#include "dsn/dsn.h"
#include "mail/mail.h"
#include "mail/mime.h"
#include "mail/msg.h"
#include "reason/reason.h"
#include "reason/rule.h"

enum { BK_DECLINE = 0, BK_DECODED = 1 };

struct bk_decoder {
	const char *name;	/* the JSON "decodedby" value */
	const char *what;	/* one line for `bouncekit decoders` */
	bool (*match)(const struct bk_msg *m);
	int (*decode)(struct bk_dctx *dc, const struct bk_msg *m);
};

/* ---- helpers for decoders (recipients and the RFC 3464 reader: dsn/delivery.h) ---- */

/* For each recipient whose diagnosis holds a row of the format's table
 * (lib/reason/format_*.c), record that it states that row. */
void bk_notice_apply(struct bk_dctx *dc, const struct bk_rule_table *t);

/* The part of text before the first of the markers (case-insensitive),
 * all of text when none occurs. */
struct bk_sv bk_text_before_any(struct bk_sv text, const struct bk_sv *marks,
				size_t n);
/* The part of text after the first line that starts with one of the
 * markers; p == NULL when none. */
struct bk_sv bk_text_after_line(struct bk_sv text, const struct bk_sv *marks,
				size_t n);
/* A copy of text (in the arena) without one level of "> " quoting: a
 * bounce forwarded inline by a person.  Lines not quoted stay as they are. */
struct bk_sv bk_text_unquote(struct bk_dctx *dc, struct bk_sv text);
/* The comment of a DSN Status ("5.1.2 (550 Tried all MXs example.net)":
 * "550 Tried all MXs example.net"), RFC 3464 2.3.4; p == NULL when none.
 * An MTA without a Diagnostic-Code may state its own reason there. */
struct bk_sv bk_status_comment(struct bk_sv status);
/* For each recipient without a diagnosis, the comment of its Status
 * (not for a delayed one). */
void bk_diag_from_status(struct bk_dctx *dc);

/* ---- readers shared by a family of formats ---- */

/* qmail.c: the "<address>:" list of qmail and its clones, read after the
 * first line that holds one of starts.  Returns BK_DECODED or BK_DECLINE. */
int bk_qmail_read(struct bk_dctx *dc, const struct bk_msg *m,
		  const struct bk_sv *starts, size_t nstarts);

/* The registry (decoders.def), in priority order; generic decoders last. */
#define BK_DECODER(name) extern const struct bk_decoder bk_decoder_##name;
#include "decoders.def"
#undef BK_DECODER

extern const struct bk_decoder *const bk_decoder_list[];
extern const size_t bk_decoder_count;
/* Each decoder's place in the list: BK_DI__COUNT is their number. */
enum bk_decoder_index {
#define BK_DECODER(name) BK_DI_##name,
#include "decoders.def"
#undef BK_DECODER
	BK_DI__COUNT
};

/* The local delivery agents whose own notice, found inside a bounce by
 * RFC3464, names the records' decodedby (rfc3464.c); listed by
 * bk_decoders() after the decoders. */
#define BK_AGENTS_MAX 16
size_t bk_rfc3464_agents(struct bk_decoder_info *out, size_t max);

#endif
