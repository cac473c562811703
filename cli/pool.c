/* pool.c - decoding with N threads while keeping the output in input order.
 *
 * The reading thread copies messages into batches; workers, each with its
 * own parser, decode a whole batch and serialise its records into one
 * fragment per message; the reading thread writes finished batches in
 * order.  Threads meet once per batch, not once per message: at tens of
 * thousands of messages a second, a lock and a wake-up per message cost as
 * much as decoding them.  A batch closes at BATCH_MSGS messages or
 * BATCH_BYTES bytes, and the ring holds 4N batches, so memory stays bounded
 * whatever the input size.  With one thread everything happens inline,
 * with no copy: records go straight into the writer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pool.h"

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
	/* output */
	char *frag;
	size_t fraglen, nrecs;
	unsigned warn;
	int rc;
	char *decode_err;	/* malloc'd, NULL when none */
};

struct slot {
	enum slot_state state;
	char *buf;		/* the messages and origins, back to back */
	size_t used, cap;
	struct item item[BATCH_MSGS];
	size_t n;
	size_t last_origin;	/* offset of the last origin copied, or -1 */
};

struct pool {
	unsigned nthreads;
	struct bk_options opt;
	enum bk_format fmt;
	struct bk_writer *writer;
	bool quiet;
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
		return;
	}
	for (unsigned bit = 1; !p->quiet && bit && bit <= warn; bit <<= 1) {
		if (!(warn & bit))
			continue;
		if (nth)
			warnx_("warning: %s (message %lu): %s", origin, nth,
			       bk_warning_name(bit));
		else
			warnx_("warning: %s: %s", origin, bk_warning_name(bit));
	}
}

static void
set_err(struct item *it, const char *msg)
{
	free(it->decode_err);
	it->decode_err = strdup(msg);
}

/* Decode one message with parser pr into the item's output fields. */
static void
decode_into(struct pool *p, struct bk_parser *pr, struct item *it,
	    const char *data, size_t len, const char *origin)
{
	const struct bk_record *recs;
	struct bk_err err = { 0, "" };
	it->rc = bk_decode(pr, data, len, origin, &recs, &err);
	it->warn = bk_parser_warnings(pr);
	it->nrecs = 0;
	it->frag = NULL;
	if (it->rc < 0) {
		set_err(it, err.msg);
		return;
	}
	if (it->rc > 0) {
		it->frag = bk_records_fragment(p->fmt, recs, (size_t)it->rc,
					       &it->fraglen);
		if (!it->frag) {
			it->rc = BK_ENOMEM;
			set_err(it, "out of memory");
			return;
		}
		it->nrecs = (size_t)it->rc;
	}
}

/* Write one finished item (called in input order). */
static void
emit(struct pool *p, struct item *it, const char *origin)
{
	if (it->errmsg) {
		warnx_("%s", it->errmsg);
		p->fatal |= it->errfatal;
		p->partial |= it->errpartial;
	} else {
		report(p, origin, it->nth, it->warn, it->rc,
		       it->decode_err ? it->decode_err : "out of memory");
		if (it->nrecs && !p->fatal &&
		    bk_writer_fragment(p->writer, it->frag, it->fraglen,
				       it->nrecs) < 0)
			p->fatal = true;
	}
	free(it->frag);
	free(it->errmsg);
	free(it->decode_err);
	memset(it, 0, sizeof(*it));
}

static void
decode_batch(struct pool *p, struct bk_parser *pr, struct slot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct item *it = &s->item[i];
		if (it->errmsg)
			continue;
		if (pr) {
			decode_into(p, pr, it, s->buf + it->data, it->len,
				    s->buf + it->origin);
		} else {
			it->rc = BK_ENOMEM;
			set_err(it, "out of memory");
		}
	}
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct bk_parser *pr = bk_parser_new(&p->opt, NULL);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* slots between take and head are FILLED or, holding only
		 * source errors, already DONE: skip those */
		while (p->take < p->head &&
		       p->ring[p->take % p->nslots].state != FILLED)
			p->take++;
		if (p->take == p->head) {
			if (p->closing)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		struct slot *s = &p->ring[p->take % p->nslots];
		p->take++;
		s->state = WORKING;
		pthread_mutex_unlock(&p->mu);
		decode_batch(p, pr, s);
		pthread_mutex_lock(&p->mu);
		s->state = DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	bk_parser_free(pr);
	return NULL;
}

struct pool *
pool_new(unsigned nthreads, const struct bk_options *opt, enum bk_format fmt,
	 struct bk_writer *w, bool quiet)
{
	struct pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nthreads = nthreads ? nthreads : 1;
	p->opt = *opt;
	p->fmt = fmt;
	p->writer = w;
	p->quiet = quiet;
	if (p->nthreads == 1) {
		p->inline_parser = bk_parser_new(opt, NULL);
		if (!p->inline_parser) {
			free(p);
			return NULL;
		}
		return p;
	}
	p->nslots = 4 * (size_t)p->nthreads;
	p->ring = calloc(p->nslots, sizeof(*p->ring));
	p->threads = calloc(p->nthreads, sizeof(*p->threads));
	if (!p->ring || !p->threads) {
		free(p->ring);
		free(p->threads);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_create(&p->threads[i], NULL, worker, p);
	return p;
}

/* Write out finished slots in order; with wait_for_room, block until the
 * slot needed next is free.  Called with the lock held. */
static void
drain(struct pool *p, bool wait_for_room)
{
	for (;;) {
		while (p->tail < p->head && p->ring[p->tail % p->nslots].state == DONE) {
			struct slot *s = &p->ring[p->tail % p->nslots];
			pthread_mutex_unlock(&p->mu);
			for (size_t i = 0; i < s->n; i++)
				emit(p, &s->item[i], s->buf + s->item[i].origin);
			s->n = s->used = 0;
			pthread_mutex_lock(&p->mu);
			s->state = FREE;
			p->tail++;
			/* error-only slots are never taken: keep take from
			 * pointing at a slot that may be refilled */
			if (p->take < p->tail)
				p->take = p->tail;
		}
		if (!wait_for_room || p->head - p->tail < p->nslots)
			return;
		pthread_cond_wait(&p->done, &p->mu);
	}
}

/* The batch being filled, a fresh one when there is none. */
static struct slot *
filling(struct pool *p)
{
	if (p->filling)
		return p->filling;
	pthread_mutex_lock(&p->mu);
	drain(p, true);
	struct slot *s = &p->ring[p->head % p->nslots];
	s->state = FILLING;
	pthread_mutex_unlock(&p->mu);
	s->n = s->used = 0;
	s->last_origin = (size_t)-1;
	p->filling = s;
	return s;
}

/* Hand the batch being filled to the workers (or, holding only source
 * errors, straight to the writer). */
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
	else
		pthread_cond_broadcast(&p->done);
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
	int rc = bk_decode(p->inline_parser, in->data, in->len, in->origin,
			   &recs, &err);
	report(p, in->origin, in->nth, bk_parser_warnings(p->inline_parser),
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
		emit(p, &it, "");
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
		while (p->tail < p->head) {
			drain(p, false);
			if (p->tail < p->head)
				pthread_cond_wait(&p->done, &p->mu);
		}
		p->closing = true;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->mu);
		for (unsigned i = 0; i < p->nthreads; i++)
			pthread_join(p->threads[i], NULL);
		for (size_t i = 0; i < p->nslots; i++)
			free(p->ring[i].buf);
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
