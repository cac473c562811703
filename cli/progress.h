/* SPDX-License-Identifier: BSD-2-Clause */
/* progress.h - what a long run shows on standard error, for every command
 * that reads many messages (parse, ingest):
 *
 *   - a progress line (messages, records, rate, elapsed) while stderr is a
 *     terminal and standard output is not (records written to the same
 *     screen would tear it), redrawn at most four times a second, cleared
 *     at the end and before any other message;
 *   - per-message warnings (truncated MIME structure, unknown charset, a
 *     limit reached) counted by kind, each printed only when verbose;
 *   - at the end, a summary (messages, records, records per reason,
 *     inputs skipped, warnings by kind) on a terminal or when asked for;
 *     otherwise one line that counts the warnings, if any.
 *
 * Quiet silences all of it but errors (an asked-for summary still
 * prints).  No colour is used, so NO_COLOR has nothing to turn off.
 *
 *	struct progress *pr = progress_new("parse", flags);
 *	for each message decoded:
 *		progress_records(pr, recs, n);	  // or a tally, with threads
 *		progress_message(pr, origin, nth, warnings, n);
 *	for each input skipped: warnx_(...); progress_skipped(pr);
 *	progress_finish(pr);
 *
 * Not thread-safe: one thread calls these (the one that writes output);
 * worker threads count reasons into their own struct progress_tally. */
#ifndef BK_PROGRESS_H
#define BK_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncekit/bouncekit.h"

enum {
	PROGRESS_QUIET = 1,	/* -q: errors only */
	PROGRESS_VERBOSE = 2,	/* -v: each per-message warning too */
	PROGRESS_SUMMARY = 4,	/* --summary: the summary even off a terminal */
	PROGRESS_NOTTY = 8,	/* as if stderr were not a terminal (tests) */
	PROGRESS_NOSTDOUT = 16,	/* the command writes nothing on stdout: a
				 * terminal there does not stop the line */
};

/* Records per reason, counted where the records are (one per thread). */
#define PROGRESS_REASONS 64
struct progress_tally {
	unsigned long n[PROGRESS_REASONS];
};

struct progress;

/* cmd names the command in messages ("parse").  NULL when out of memory. */
struct progress *progress_new(const char *cmd, unsigned flags);

/* Count the reasons of n records into t (thread-safe once a progress
 * exists: the reason table is read-only). */
void progress_tally_add(struct progress_tally *t, const struct bk_record *recs,
			size_t n);
/* Add a tally to the run's counts and zero it. */
void progress_tally_merge(struct progress *p, struct progress_tally *t);
/* The same for records at hand, in the calling thread. */
void progress_records(struct progress *p, const struct bk_record *recs,
		      size_t n);

/* One message decoded (nth 0 when not in an mbox): its warning bits (enum
 * bk_warning) and record count.  Prints each warning when verbose; redraws
 * the progress line when it is due. */
void progress_message(struct progress *p, const char *origin,
		      unsigned long nth, unsigned warnings, size_t nrecords);
/* One input that could not be read or was skipped (reported by the
 * caller with warnx_()). */
void progress_skipped(struct progress *p);
/* An input that held no message: a warning, unless quiet. */
void progress_empty(struct progress *p, const char *msg);

/* Clear the progress line, print the summary or the warning count, free. */
void progress_finish(struct progress *p);

/* Clear the progress line of the running command, if one is drawn, so
 * that a message can be written (warnx_ calls it). */
void progress_clear_line(void);

#endif
