/* SPDX-License-Identifier: BSD-2-Clause */
/* pool.c - decoding with N threads while keeping the output in input order.
 *
 * The reading thread copies messages into batches; N - 1 workers, each
 * with its own parser, decode a whole batch and serialise its records into
 * the batch's output buffer, one fragment per message; the reading thread
 * writes finished batches in order.  The reading thread is the Nth
 * decoder: when more batches wait than the workers can take, or the ring
 * is full, it decodes the oldest waiting batch itself instead of sleeping,
 * so that N threads keep N cores busy without a thread more than there
 * are cores (on two cores, a third runnable thread costs a preemption and
 * a wake-up every few milliseconds).  Threads meet once per batch, not once
 * per message: at tens of thousands of messages a second, a lock and a
 * wake-up per message cost as much as decoding them.  The memory of a
 * batch (its messages, its output) is kept for the next batch in its slot,
 * and is only ever grown or freed by one thread at a time.  A batch closes
 * at BATCH_MSGS messages or BATCH_BYTES bytes, and the ring holds 4N
 * batches, so memory stays bounded whatever the input size.  With one
 * thread everything happens inline, with no copy: records go straight into
 * the writer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pool.h"
#include "progress.h"

#define BATCH_MSGS 64
#define BATCH_BYTES (512 * 1024)

enum slot_state { FREE, FILLING, FILLED, WORKING, DONE };

/* One message of a batch (or a source error to report in its place). */
struct item {
	/* input: offsets into the batch's buffer */
	size_t data, len, origin;
	unsigned long nth;
	char *errmsg;		/* a source error to report, no decode */
	bool errfatal, errpartial;
	/* output: offset and length in the slot's output buffer */
	size_t frag, fraglen, nrecs;
	unsigned warn;
	int rc;
	char *decode_err;	/* malloc'd, NULL when none */
};

struct slot {
	enum slot_state state;
	char *buf;		/* the messages and origins, back to back */
	size_t used, cap;
	char *out;		/* the items' fragments, back to back */
	size_t outlen, outcap;
	struct item item[BATCH_MSGS];
	size_t n;
	size_t last_origin;	/* offset of the last origin copied, or -1 */
	struct progress_tally tally;	/* the batch's records by reason */
};

struct pool {
	unsigned nthreads;
	unsigned nworkers;	/* nthreads - 1: the reading thread decodes too */
	struct bk_options opt;
	enum bk_format fmt;
	struct bk_writer *writer;
	struct progress *progress;
	bool explain;
	bool partial, fatal;
	/* threaded */
	pthread_t *threads;
	struct bk_parser *inline_parser;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct slot *ring;
	size_t nslots;
	size_t head;		/* next slot to fill */
	size_t take;		/* next slot a worker takes */
	size_t tail;		/* next slot to write */
	struct slot *filling;	/* the batch being filled (reading thread) */
	bool closing;
};

/* A message decoded (rc records) or not (rc < 0: skipped, said why). */
static void
report(struct pool *p, const char *origin, unsigned long nth, unsigned warn,
       int rc, const char *err)
{
	if (rc < 0) {
		if (nth)
			warnx_("%s (message %lu): %s", origin, nth, err);
		else
			warnx_("%s: %s", origin, err);
		p->partial = true;
		progress_skipped(p->progress);
		return;
	}
	progress_message(p->progress, origin, nth, warn, (size_t)rc);
}

static void
set_err(struct item *it, const char *msg)
{
	free(it->decode_err);
	it->decode_err = strdup(msg);
}

/* Decode one message of slot s with parser pr into the item's output
 * fields; its records are serialised straight into the slot's output
 * buffer, which is kept for the slot's next batch (no allocation per
 * message, and none freed by another thread than the one that made it:
 * the allocator's arenas are per thread, and a block freed across takes a
 * lock the other thread wants). */
static void
decode_into(struct pool *p, struct bk_parser *pr, struct slot *s,
	    struct item *it)
{
	const struct bk_record *recs;
	struct bk_err err = { 0, "" };
	it->rc = cli_decode(pr, s->buf + it->data, it->len, s->buf + it->origin,
			   &recs, &err);
	it->warn = cli_warnings(pr);
	it->nrecs = 0;
	if (it->rc < 0) {
		set_err(it, err.msg);
		return;
	}
	if (it->rc > 0) {
		it->frag = s->outlen;
		if (bk_records_fragment_append(p->fmt, recs, (size_t)it->rc,
					       &s->out, &s->outlen,
					       &s->outcap) < 0) {
			it->rc = BK_ENOMEM;
			set_err(it, "out of memory");
			return;
		}
		it->fraglen = s->outlen - it->frag;
		it->nrecs = (size_t)it->rc;
		progress_tally_add(&s->tally, recs, (size_t)it->rc);
	}
}

/* Write one finished item of slot s (called in input order). */
static void
emit(struct pool *p, const struct slot *s, struct item *it)
{
	if (it->errmsg && !it->errfatal && !it->errpartial) {
		progress_empty(p->progress, it->errmsg);
	} else if (it->errmsg) {
		warnx_("%s", it->errmsg);
		p->fatal |= it->errfatal;
		p->partial |= it->errpartial;
		progress_skipped(p->progress);
	} else {
		report(p, s->buf + it->origin, it->nth, it->warn, it->rc,
		       it->decode_err ? it->decode_err : "out of memory");
		if (it->nrecs && !p->fatal &&
		    bk_writer_fragment(p->writer, s->out + it->frag,
				       it->fraglen, it->nrecs) < 0)
			p->fatal = true;
	}
	free(it->errmsg);
	free(it->decode_err);
	memset(it, 0, sizeof(*it));
}

static void
decode_batch(struct pool *p, struct bk_parser *pr, struct slot *s)
{
	s->outlen = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct item *it = &s->item[i];
		if (it->errmsg)
			continue;
		if (pr) {
			decode_into(p, pr, s, it);
		} else {
			it->rc = BK_ENOMEM;
			set_err(it, "out of memory");
		}
	}
}

/* The oldest batch that waits for a decoder, taken; NULL when none.
 * Slots between take and head are FILLED or, holding only source errors,
 * already DONE: those are skipped.  Called with the lock held. */
static struct slot *
take_batch(struct pool *p)
{
	while (p->take < p->head &&
	       p->ring[p->take % p->nslots].state != FILLED)
		p->take++;
	if (p->take == p->head)
		return NULL;
	struct slot *s = &p->ring[p->take % p->nslots];
	p->take++;
	s->state = WORKING;
	return s;
}

/* How many batches wait for a decoder.  Called with the lock held. */
static size_t
waiting(const struct pool *p)
{
	size_t n = 0;
	for (size_t i = p->take; i < p->head; i++)
		n += p->ring[i % p->nslots].state == FILLED;
	return n;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct bk_parser *pr = bk_parser_new(&p->opt, NULL);
	if (pr && p->explain)
		bk_parser_set_explain(pr, true);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct slot *s = take_batch(p);
		if (!s) {
			if (p->closing)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		decode_batch(p, pr, s);
		pthread_mutex_lock(&p->mu);
		s->state = DONE;
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	bk_parser_free(pr);
	return NULL;
}

/* The reading thread decodes the oldest waiting batch itself; false when
 * none waits.  Called with the lock held (released while decoding). */
static bool
help(struct pool *p)
{
	struct slot *s = take_batch(p);
	if (!s)
		return false;
	pthread_mutex_unlock(&p->mu);
	decode_batch(p, p->inline_parser, s);
	pthread_mutex_lock(&p->mu);
	s->state = DONE;
	return true;
}

struct pool *
pool_new(unsigned nthreads, const struct bk_options *opt, bool explain,
	 enum bk_format fmt, struct bk_writer *w, struct progress *progress)
{
	struct pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nthreads = nthreads ? nthreads : 1;
	p->opt = *opt;
	p->explain = explain;
	p->fmt = fmt;
	p->writer = w;
	p->progress = progress;
	/* the reading thread's parser: it decodes inline with one thread,
	 * and helps the workers with more (out of memory there is reported
	 * per message, as in a worker) */
	p->inline_parser = bk_parser_new(opt, NULL);
	if (p->inline_parser && explain)
		bk_parser_set_explain(p->inline_parser, true);
	if (p->nthreads == 1) {
		if (!p->inline_parser) {
			free(p);
			return NULL;
		}
		return p;
	}
	p->nworkers = p->nthreads - 1;
	p->nslots = 4 * (size_t)p->nthreads;
	p->ring = calloc(p->nslots, sizeof(*p->ring));
	p->threads = calloc(p->nworkers, sizeof(*p->threads));
	if (!p->ring || !p->threads) {
		bk_parser_free(p->inline_parser);
		free(p->ring);
		free(p->threads);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (unsigned i = 0; i < p->nworkers; i++)
		pthread_create(&p->threads[i], NULL, worker, p);
	return p;
}

/* Write out finished slots in order.  Called with the lock held. */
static void
drain(struct pool *p)
{
	while (p->tail < p->head && p->ring[p->tail % p->nslots].state == DONE) {
		struct slot *s = &p->ring[p->tail % p->nslots];
		pthread_mutex_unlock(&p->mu);
		for (size_t i = 0; i < s->n; i++)
			emit(p, s, &s->item[i]);
		progress_tally_merge(p->progress, &s->tally);
		s->n = s->used = s->outlen = 0;
		pthread_mutex_lock(&p->mu);
		s->state = FREE;
		p->tail++;
		/* error-only slots are never taken: keep take from pointing at
		 * a slot that may be refilled */
		if (p->take < p->tail)
			p->take = p->tail;
	}
}

/* The batch being filled, a fresh one when there is none: finished
 * batches are written first, and while the ring is full the reading
 * thread decodes a waiting batch, or waits for one to finish. */
static struct slot *
filling(struct pool *p)
{
	if (p->filling)
		return p->filling;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		drain(p);
		if (p->head - p->tail < p->nslots)
			break;
		if (!help(p))
			pthread_cond_wait(&p->done, &p->mu);
	}
	struct slot *s = &p->ring[p->head % p->nslots];
	s->state = FILLING;
	pthread_mutex_unlock(&p->mu);
	s->n = s->used = 0;
	s->last_origin = (size_t)-1;
	p->filling = s;
	return s;
}

/* Hand the batch being filled to the workers (or, holding only source
 * errors, straight to the writer).  When more batches wait than there are
 * workers, the reading thread decodes one of them. */
static void
publish(struct pool *p)
{
	struct slot *s = p->filling;
	if (!s)
		return;
	bool any = false;
	for (size_t i = 0; i < s->n && !any; i++)
		any = !s->item[i].errmsg;
	p->filling = NULL;
	pthread_mutex_lock(&p->mu);
	s->state = any ? FILLED : DONE;
	p->head++;
	if (any)
		pthread_cond_signal(&p->work);
	if (waiting(p) > p->nworkers)
		help(p);
	pthread_mutex_unlock(&p->mu);
}

/* Room for n more bytes in the batch's buffer; false when out of memory. */
static bool
reserve(struct slot *s, size_t n)
{
	if (s->used + n <= s->cap)
		return true;
	size_t cap = s->cap ? s->cap : 64 * 1024;
	while (cap < s->used + n)
		cap *= 2;
	char *nb = realloc(s->buf, cap);
	if (!nb)
		return false;
	s->buf = nb;
	s->cap = cap;
	return true;
}

/* Copy the origin unless it is the one copied last (an mbox's messages
 * share it); its offset. */
static size_t
keep_origin(struct slot *s, const char *origin)
{
	if (s->last_origin != (size_t)-1 &&
	    strcmp(s->buf + s->last_origin, origin) == 0)
		return s->last_origin;
	size_t n = strlen(origin) + 1;
	memcpy(s->buf + s->used, origin, n);
	s->last_origin = s->used;
	s->used += n;
	return s->last_origin;
}

static struct item *
next_item(struct pool *p)
{
	struct slot *s = filling(p);
	struct item *it = &s->item[s->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void
close_if_full(struct pool *p)
{
	struct slot *s = p->filling;
	if (s && (s->n == BATCH_MSGS || s->used >= BATCH_BYTES))
		publish(p);
}

/* One thread: decode and write the records straight through the writer,
 * with no fragment in between. */
static void
decode_inline(struct pool *p, const struct bk_input *in)
{
	const struct bk_record *recs;
	struct bk_err err = { 0, "" };
	int rc = cli_decode(p->inline_parser, in->data, in->len, in->origin,
			   &recs, &err);
	if (rc > 0)
		progress_records(p->progress, recs, (size_t)rc);
	report(p, in->origin, in->nth, cli_warnings(p->inline_parser),
	       rc, err.msg);
	for (int i = 0; i < rc && !p->fatal; i++)
		if (bk_writer_record(p->writer, &recs[i]) < 0)
			p->fatal = true;
}

void
pool_submit(struct pool *p, const struct bk_input *in)
{
	if (p->nthreads == 1) {
		decode_inline(p, in);
		return;
	}
	struct slot *s = filling(p);
	size_t olen = strlen(in->origin) + 1;
	if (!reserve(s, in->len + olen)) {
		struct item *it = next_item(p);
		it->errmsg = strdup("out of memory copying a message");
		it->errfatal = true;
		close_if_full(p);
		return;
	}
	struct item *it = next_item(p);
	it->data = s->used;
	memcpy(s->buf + s->used, in->data, in->len);
	it->len = in->len;
	s->used += in->len;
	it->origin = keep_origin(s, in->origin);
	it->nth = in->nth;
	close_if_full(p);
}

void
pool_error(struct pool *p, const char *msg, bool fatal, bool partial)
{
	if (p->nthreads == 1) {
		struct item it;
		memset(&it, 0, sizeof(it));
		it.errmsg = strdup(msg);
		it.errfatal = fatal;
		it.errpartial = partial;
		emit(p, NULL, &it);
		return;
	}
	struct item *it = next_item(p);
	it->errmsg = strdup(msg);
	it->errfatal = fatal;
	it->errpartial = partial;
	close_if_full(p);
	/* a fatal error stops the reading: let it be written now */
	if (fatal)
		publish(p);
}

bool
pool_fatal(const struct pool *p)
{
	return p->fatal;
}

void
pool_finish(struct pool *p, bool *partial, bool *fatal)
{
	if (p->nthreads > 1) {
		publish(p);
		pthread_mutex_lock(&p->mu);
		for (;;) {
			drain(p);
			if (p->tail == p->head)
				break;
			if (!help(p))
				pthread_cond_wait(&p->done, &p->mu);
		}
		p->closing = true;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->mu);
		for (unsigned i = 0; i < p->nworkers; i++)
			pthread_join(p->threads[i], NULL);
		for (size_t i = 0; i < p->nslots; i++) {
			free(p->ring[i].buf);
			free(p->ring[i].out);
		}
		free(p->ring);
		free(p->threads);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
	}
	bk_parser_free(p->inline_parser);
	*partial = p->partial;
	*fatal = p->fatal;
	free(p);
}
