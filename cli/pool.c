/* pool.c - decoding with N threads while keeping the output in input order.
 *
 * The reading thread copies each message into a slot of a ring of 4N
 * slots; workers, each with its own parser, decode a slot and serialise its
 * records into a fragment; the reading thread writes finished slots in
 * ring order.  At most 4N messages are in memory at once, so memory stays
 * bounded whatever the input size.  With one thread everything happens
 * inline, with no copy.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pool.h"

enum slot_state { FREE, FILLED, WORKING, DONE };

struct slot {
	enum slot_state state;
	/* input */
	char *data;
	size_t len, cap;
	char *origin;
	unsigned long nth;
	char *errmsg;		/* a source error to report, no decode */
	bool errfatal, errpartial;
	/* output */
	char *frag;
	size_t fraglen, nrecs;
	unsigned warn;
	int rc;
	char decode_err[512];
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

/* Decode one message with parser pr into the slot's output fields. */
static void
decode_into(struct pool *p, struct bk_parser *pr, struct slot *s,
	    const char *data, size_t len, const char *origin)
{
	const struct bk_record *recs;
	struct bk_err err = { 0, "" };
	s->rc = bk_decode(pr, data, len, origin, &recs, &err);
	s->warn = bk_parser_warnings(pr);
	s->nrecs = 0;
	s->frag = NULL;
	if (s->rc < 0) {
		snprintf(s->decode_err, sizeof(s->decode_err), "%s", err.msg);
		return;
	}
	if (s->rc > 0) {
		s->frag = bk_records_fragment(p->fmt, recs, (size_t)s->rc, &s->fraglen);
		if (!s->frag) {
			s->rc = BK_ENOMEM;
			snprintf(s->decode_err, sizeof(s->decode_err), "out of memory");
			return;
		}
		s->nrecs = (size_t)s->rc;
	}
}

/* Write a finished slot (called in input order). */
static void
emit(struct pool *p, struct slot *s)
{
	if (s->errmsg) {
		warnx_("%s", s->errmsg);
		p->fatal |= s->errfatal;
		p->partial |= s->errpartial;
	} else {
		report(p, s->origin, s->nth, s->warn, s->rc, s->decode_err);
		if (s->nrecs && !p->fatal &&
		    bk_writer_fragment(p->writer, s->frag, s->fraglen, s->nrecs) < 0)
			p->fatal = true;
	}
	free(s->frag);
	free(s->errmsg);
	free(s->origin);
	s->frag = s->errmsg = s->origin = NULL;
	s->state = FREE;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct bk_parser *pr = bk_parser_new(&p->opt, NULL);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* slots between take and head are FILLED or, for a source
		 * error reported in order, already DONE: skip those */
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
		if (pr) {
			decode_into(p, pr, s, s->data, s->len, s->origin);
		} else {
			s->rc = BK_ENOMEM;
			snprintf(s->decode_err, sizeof(s->decode_err), "out of memory");
		}
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

/* Write out finished slots in order; with wait, block until the slot
 * needed next is free.  Called with the lock held. */
static void
drain(struct pool *p, bool wait_for_room)
{
	for (;;) {
		while (p->tail < p->head && p->ring[p->tail % p->nslots].state == DONE) {
			struct slot *s = &p->ring[p->tail % p->nslots];
			pthread_mutex_unlock(&p->mu);
			emit(p, s);
			pthread_mutex_lock(&p->mu);
			p->tail++;
			/* error slots are never taken: keep take from
			 * pointing at a slot that may be refilled */
			if (p->take < p->tail)
				p->take = p->tail;
		}
		if (!wait_for_room || p->head - p->tail < p->nslots)
			return;
		pthread_cond_wait(&p->done, &p->mu);
	}
}

static struct slot *
claim(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	drain(p, true);
	struct slot *s = &p->ring[p->head % p->nslots];
	pthread_mutex_unlock(&p->mu);
	return s;
}

static void
publish(struct pool *p, struct slot *s, enum slot_state st)
{
	pthread_mutex_lock(&p->mu);
	s->state = st;
	p->head++;
	if (st == FILLED)
		pthread_cond_signal(&p->work);
	else
		pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
}

void
pool_submit(struct pool *p, const struct bk_input *in)
{
	if (p->nthreads == 1) {
		struct slot s;
		memset(&s, 0, sizeof(s));
		decode_into(p, p->inline_parser, &s, in->data, in->len, in->origin);
		s.origin = strdup(in->origin);
		s.nth = in->nth;
		emit(p, &s);
		return;
	}
	struct slot *s = claim(p);
	if (s->cap < in->len) {
		char *nd = realloc(s->data, in->len);
		if (!nd) {
			s->errmsg = strdup("out of memory copying a message");
			s->errfatal = true;
			publish(p, s, DONE);
			return;
		}
		s->data = nd;
		s->cap = in->len;
	}
	memcpy(s->data, in->data, in->len);
	s->len = in->len;
	s->origin = strdup(in->origin);
	s->nth = in->nth;
	s->errmsg = NULL;
	s->decode_err[0] = '\0';
	publish(p, s, FILLED);
}

void
pool_error(struct pool *p, const char *msg, bool fatal, bool partial)
{
	if (p->nthreads == 1) {
		struct slot s;
		memset(&s, 0, sizeof(s));
		s.errmsg = strdup(msg);
		s.errfatal = fatal;
		s.errpartial = partial;
		emit(p, &s);
		return;
	}
	struct slot *s = claim(p);
	s->errmsg = strdup(msg);
	s->errfatal = fatal;
	s->errpartial = partial;
	publish(p, s, DONE);
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
			free(p->ring[i].data);
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
