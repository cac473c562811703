/* SPDX-License-Identifier: BSD-2-Clause */
/* logread.h - reading an MTA's delivery log into the store: the line
 * splitter and the sink shared by `ingest --log` (logread.c) and
 * `watch --log` (logwatch.c). */
#ifndef BK_CLI_LOGREAD_H
#define BK_CLI_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "intake/maillog.h"

struct bk_store;
struct bk_policy;

/* Lines longer than this are reported and skipped. */
#define LINES_MAX 65536

/* Complete lines out of a byte stream; a torn (unfinished) last line is
 * held in buf until its end comes. */
struct lines {
	char *buf;
	size_t len, cap;	/* the unfinished line held */
	unsigned long lineno;	/* of the last complete line */
	bool skipping;		/* inside an overlong line */
	unsigned long long fed;	/* bytes fed */
};
/* p NULL: an overlong line (number lineno) was skipped.  Non-zero stops. */
typedef int (*lines_fn)(void *arg, const char *p, size_t n, unsigned long lineno);
void lines_init(struct lines *l);
void lines_free(struct lines *l);
/* Returns 0, fn's non-zero return, or -1 when memory ran out. */
int lines_feed(struct lines *l, const char *p, size_t n, lines_fn fn, void *arg);
/* Bytes fed up to the end of the last complete (or skipped) line. */
unsigned long long lines_done(const struct lines *l);

/* Where the items of the log lines go. */
struct log_sink {
	struct bk_store *st;
	struct maillog *ml;
	enum maillog_mta mta;
	const char *name;	/* the file, for origins and reports */
	bool verbose;
	bool partial;		/* some input could not be read */
	int stop;		/* an exit status that stops the run */
	unsigned long long torn, long_lines, deliveries;
	/* the log being read as the store knows it (bk_store_log_source),
	 * -1 before its first line; the line being read */
	int src;
	unsigned long line;
};
/* A lines_fn over a struct log_sink; its line 1 makes the log known to
 * the store (log_source) unless k->src is already set. */
int log_line(void *arg, const char *p, size_t n, unsigned long lineno);
/* The log whose first line is first (n bytes) into k->src; non-zero (and
 * k->stop set) when the store failed. */
int log_source(struct log_sink *k, const char *first, size_t n);

int ingest_log(const char *url, const struct bk_policy *pol, enum maillog_mta mta,
	       const char *host, int year, char **paths, int npaths, size_t batch, bool quiet,
	       bool verbose);

/* `watch --log` (logwatch.c). */
int watch_log(const char *url, const struct bk_policy *pol, enum maillog_mta mta,
	      const char *host, int year, const char *state, unsigned poll_ms,
	      unsigned retry_ms, bool once, bool quiet, bool verbose, char **paths,
	      int npaths);

#endif
