/* SPDX-License-Identifier: BSD-2-Clause */
/* metrics.c - GET /metrics in Prometheus' text exposition format
 * (version 0.0.4): requests by route and status, a latency histogram by
 * route, events stored through the API, and the addresses by verdict
 * (read from the store, cached a few seconds).  Counters are atomics: a
 * request adds to them without a lock.  Also the per-token rate limit (a
 * token bucket per token name). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/api.h"

/* the statuses counted by name; the others as "other" */
static const unsigned statuses[] = { 200, 204, 400, 401, 403, 404, 405, 409, 413,
	415, 422, 429, 500, 503 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)
/* latency buckets, seconds (le) */
static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKET (sizeof(buckets) / sizeof(buckets[0]))
#define VERDICT_CACHE_SECONDS 5

struct route_metrics {
	unsigned long long by_status[NSTATUS];
	unsigned long long bucket[NBUCKET];	/* not cumulative: summed on output */
	unsigned long long count, sum_us;
};

struct bucket {
	char name[65];
	double tokens;
	struct timespec last;
	bool used;
};

struct bk_metrics {
	size_t nroutes;		/* + 1: requests that matched no route */
	struct route_metrics *r;
	unsigned long long ingested, duplicates, limited;
	pthread_mutex_t lock;	/* the verdict cache and the rate buckets */
	time_t verdicts_at;
	struct bk_verdict_counts verdicts;
	struct bucket *b;
	size_t nb, capb;
};

struct bk_metrics *
api_metrics_new(size_t nroutes)
{
	struct bk_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nroutes = nroutes;
	m->r = calloc(nroutes + 1, sizeof(*m->r));
	if (!m->r) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void
api_metrics_free(struct bk_metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->r);
	free(m->b);
	free(m);
}

#define ADD(x, n) __atomic_add_fetch(&(x), (n), __ATOMIC_RELAXED)
#define GET(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

void
api_metrics_request(struct bk_metrics *m, int route, unsigned status, double seconds)
{
	if (!m)
		return;
	struct route_metrics *r = &m->r[route >= 0 && (size_t)route < m->nroutes
					   ? (size_t)route : m->nroutes];
	size_t si = NSTATUS - 1;
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			si = i;
	ADD(r->by_status[si], 1);
	size_t bi = NBUCKET;
	for (size_t i = 0; i < NBUCKET && bi == NBUCKET; i++)
		if (seconds <= buckets[i])
			bi = i;
	if (bi < NBUCKET)
		ADD(r->bucket[bi], 1);
	ADD(r->count, 1);
	ADD(r->sum_us, (unsigned long long)(seconds * 1e6));
}

void
api_metrics_ingested(struct bk_metrics *m, unsigned long long fresh,
		     unsigned long long dup)
{
	if (!m)
		return;
	ADD(m->ingested, fresh);
	ADD(m->duplicates, dup);
}

/* ---- the rate limit ---- */

int
api_rate_take(struct bk_metrics *m, const char *name, double rate, double burst,
	      unsigned *retry_after)
{
	if (!m || rate <= 0)
		return 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&m->lock);
	struct bucket *b = NULL;
	for (size_t i = 0; i < m->nb && !b; i++)
		if (!strcmp(m->b[i].name, name))
			b = &m->b[i];
	if (!b) {
		/* one bucket per token name: as many as there are tokens */
		if (m->nb == m->capb) {
			size_t cap = m->capb ? m->capb * 2 : 16;
			struct bucket *t = realloc(m->b, cap * sizeof(*t));
			if (!t) {
				pthread_mutex_unlock(&m->lock);
				return 0;
			}
			m->b = t;
			m->capb = cap;
		}
		b = &m->b[m->nb++];
		memset(b, 0, sizeof(*b));
		snprintf(b->name, sizeof(b->name), "%s", name);
		b->tokens = burst;
		b->last = now;
	}
	double dt = (double)(now.tv_sec - b->last.tv_sec) +
		    (double)(now.tv_nsec - b->last.tv_nsec) / 1e9;
	b->last = now;
	b->tokens += dt * rate;
	if (b->tokens > burst)
		b->tokens = burst;
	int ret = 0;
	if (b->tokens >= 1) {
		b->tokens -= 1;
	} else {
		double wait = (1 - b->tokens) / rate;
		*retry_after = (unsigned)wait + ((double)(unsigned)wait < wait);
		if (*retry_after < 1)
			*retry_after = 1;
		ret = 1;
		ADD(m->limited, 1);
	}
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* ---- GET /metrics ---- */

struct out {
	char *p;
	size_t len, cap;
	bool oom;
};

static void __attribute__((format(printf, 2, 3)))
outf(struct out *o, const char *fmt, ...)
{
	if (o->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(o->p ? o->p + o->len : NULL, o->p ? o->cap - o->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if (o->p && o->len + (size_t)n < o->cap) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = o->cap ? o->cap * 2 : 16384;
		while (cap < o->len + (size_t)n + 1)
			cap *= 2;
		char *t = realloc(o->p, cap);
		if (!t) {
			o->oom = true;
			return;
		}
		o->p = t;
		o->cap = cap;
	}
}

int
api_metrics(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	(void)rq;
	struct bk_metrics *m = api_server_metrics(s);
	if (!m)
		return bk_http_error(rs, 500, "internal", "no metrics");
	/* the verdicts: from the store, at most every few seconds */
	time_t now = time(NULL);
	struct bk_verdict_counts v;
	bool have = false;
	pthread_mutex_lock(&m->lock);
	if (m->verdicts_at && now - m->verdicts_at < VERDICT_CACHE_SECONDS) {
		v = m->verdicts;
		have = true;
	}
	pthread_mutex_unlock(&m->lock);
	if (!have) {
		struct bk_store_err err = { 0 };
		struct bk_store *st = bk_server_store(s);
		int rc = st ? bk_store_verdict_counts(st, (int64_t)now, &v, &err) : BK_STORE_ETEMP;
		bk_server_release(s, st);
		if (rc < 0)
			return bk_http_error(rs, api_store_status(rc), "store",
					     st ? err.msg : "the store could not be opened");
		pthread_mutex_lock(&m->lock);
		m->verdicts = v;
		m->verdicts_at = now;
		pthread_mutex_unlock(&m->lock);
	}
	struct out o = { 0 };
	outf(&o, "# HELP bouncekit_http_requests_total HTTP requests answered, by route and status.\n"
		 "# TYPE bouncekit_http_requests_total counter\n");
	for (size_t i = 0; i <= m->nroutes; i++) {
		const char *route = i < m->nroutes ? bk_routes[i].path : "other";
		const char *method = i < m->nroutes ? bk_routes[i].method : "";
		for (size_t k = 0; k < NSTATUS; k++) {
			unsigned long long n = GET(m->r[i].by_status[k]);
			if (!n)
				continue;
			char st[8];
			if (k < NSTATUS - 1)
				snprintf(st, sizeof(st), "%u", statuses[k]);
			else
				snprintf(st, sizeof(st), "other");
			outf(&o, "bouncekit_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
			     method, route, st, n);
		}
	}
	outf(&o, "# HELP bouncekit_http_request_duration_seconds Time to answer a request,"
		 " from its last byte to the response (the network excluded), by route.\n"
		 "# TYPE bouncekit_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= m->nroutes; i++) {
		const char *route = i < m->nroutes ? bk_routes[i].path : "other";
		const char *method = i < m->nroutes ? bk_routes[i].method : "";
		unsigned long long count = GET(m->r[i].count), cum = 0;
		if (!count)
			continue;
		for (size_t k = 0; k < NBUCKET; k++) {
			cum += GET(m->r[i].bucket[k]);
			outf(&o, "bouncekit_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
			     method, route, buckets[k], cum);
		}
		outf(&o, "bouncekit_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n"
			 "bouncekit_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
			 "bouncekit_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
		     method, route, count, method, route, (double)GET(m->r[i].sum_us) / 1e6,
		     method, route, count);
	}
	outf(&o, "# HELP bouncekit_api_events_stored_total Events stored through the API"
		 " (POST /v1/messages?store=1), not counting duplicates.\n"
		 "# TYPE bouncekit_api_events_stored_total counter\n"
		 "bouncekit_api_events_stored_total %llu\n"
		 "# HELP bouncekit_api_events_duplicate_total Events sent through the API"
		 " that were already stored.\n"
		 "# TYPE bouncekit_api_events_duplicate_total counter\n"
		 "bouncekit_api_events_duplicate_total %llu\n"
		 "# HELP bouncekit_http_rate_limited_total Requests refused by the per-token rate limit (429).\n"
		 "# TYPE bouncekit_http_rate_limited_total counter\n"
		 "bouncekit_http_rate_limited_total %llu\n",
	     GET(m->ingested), GET(m->duplicates), GET(m->limited));
	outf(&o, "# HELP bouncekit_addresses Addresses in the store by verdict now"
		 " (read from the store at most every %d s).\n"
		 "# TYPE bouncekit_addresses gauge\n"
		 "bouncekit_addresses{verdict=\"ok\"} %lld\n"
		 "bouncekit_addresses{verdict=\"suppressed\"} %lld\n"
		 "bouncekit_addresses{verdict=\"retry-after\"} %lld\n"
		 "bouncekit_addresses{verdict=\"allowed\"} %lld\n",
	     VERDICT_CACHE_SECONDS, v.ok, v.suppressed, v.retry, v.allowed);
	if (o.oom) {
		free(o.p);
		return -1;
	}
	return bk_http_text(rs, 200, "text/plain; version=0.0.4; charset=utf-8", o.p, o.len);
}
