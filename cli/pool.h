/* SPDX-License-Identifier: BSD-2-Clause */
/* pool.h - decode in N threads, write in input order (pool.c). */
#ifndef BK_POOL_H
#define BK_POOL_H

#include "bouncekit/bouncekit.h"

struct pool;
struct progress;

/* nthreads 1 decodes inline in the caller's thread.  Messages, records
 * and warnings are counted, and skipped inputs reported, through progress
 * (progress.h), in input order.  explain: every parser of the pool
 * explains its records (bk_parser_set_explain). */
struct pool *pool_new(unsigned nthreads, const struct bk_options *opt,
		      bool explain, enum bk_format fmt, struct bk_writer *w,
		      struct progress *progress);
/* Decode a message (copied when threaded); its records and messages are
 * written in submission order. */
void pool_submit(struct pool *p, const struct bk_input *in);
/* Report a source error in order; fatal stops the run, partial sets the
 * exit status 1; neither is a warning (an empty input). */
void pool_error(struct pool *p, const char *msg, bool fatal, bool partial);
bool pool_fatal(const struct pool *p);
/* Wait for everything, write it, free the pool. */
void pool_finish(struct pool *p, bool *partial, bool *fatal);

#endif
