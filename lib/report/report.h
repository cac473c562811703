/* SPDX-License-Identifier: BSD-2-Clause */
/* report.h - from what a decoder found to records (fact.c).  The parser
 * (lib/parse/) owns this state and calls bk_make_records() once a
 * decoder has read a message. */
#ifndef BK_REPORT_H
#define BK_REPORT_H

#include "bouncekit/bouncekit.h"
#include "core/core.h"
#include "dsn/delivery.h"
#include "mail/msg.h"

struct bk_report {
	struct bk_arena *arena;		/* the parser's, reset at each message */
	const struct bk_options *opt;
	struct bk_charsets *cs;
	unsigned *warn;
	bool explain;			/* fill bk_record.explain_json */
	char *catch_json;		/* from the hook, malloc'd */
	struct bk_record *recs;		/* out: in the arena */
	size_t nrecs;
};

/* Turn the deliveries of dc into records (p->recs, p->nrecs); decoder is
 * the "decodedby" of the decoder that read m.  Returns the number of
 * records, -1 when memory ran out. */
int bk_make_records(struct bk_report *p, struct bk_msg *m, struct bk_dctx *dc,
		    const char *decoder);

/* ---- the record builder's steps, for the tests (fact.c) ---- */

/* Find and settle the status and reply code of one delivery: the better
 * of its Status: field and the code in diag (dsn/status.c's rule), its
 * reply code or the one in diag.  intext gets the status found in diag. */
void bk_settle_codes(struct bk_dlv *d, struct bk_sv diag,
		     char status[BK_STATUS_MAX], char reply[4],
		     char intext[BK_STATUS_MAX]);
/* The record's diagnosticcode: white space squeezed, an HTML block
 * dropped, the prefixes a multi-line reply repeats folded into one in
 * front ("550-5.7.1 ... 550 5.7.1 ..."); in the arena. */
struct bk_sv bk_clean_diag(struct bk_arena *a, struct bk_sv in,
			   const char *status, const char *reply);
/* A host name a diagnostic names ("host mx.example.org[192.0.2.1] said"),
 * p NULL when none. */
struct bk_sv bk_host_in_text(struct bk_sv t);
/* A host value tidied: the domain of an address, no brackets, the first
 * name of a list, no trailing dot. */
struct bk_sv bk_clean_host(struct bk_arena *a, struct bk_sv v);

#endif
