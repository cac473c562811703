/* SPDX-License-Identifier: BSD-2-Clause */
/* viewbench.c - the store's side of GET /v1/addresses/{address}
 * (docs/performance.md, "The HTTP API"): bk_store_address_view, the call
 * the API server makes, timed without HTTP, over the store bench/serve.sh
 * makes (address i is user{i}@d{i%997}.example.com).
 *
 *   viewbench [-t THREADS] [-n CALLS] [-r RANGE] [-k CALLS_A_SNAPSHOT] URL
 *
 * Each thread opens its own store handle (as each server worker does)
 * and makes CALLS calls for random addresses among the first RANGE
 * (1000000; a small range: the same pages, from the CPU's caches), 20
 * events at most, every event's text touched; -k K: K calls share one
 * read transaction (bk_store_read_begin, as the server keeps a snapshot
 * for a worker's next call), 1: each call its own.  Prints each thread's
 * microseconds a call over the last three quarters of its calls.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static const char *url;
static long ncalls = 200000, range = 1000000, per_snapshot = 1;

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
touch(void *arg, const struct bk_event *ev)
{
	size_t *sink = arg;
	*sink += strlen(ev->rec.diagnosticcode) + strlen(ev->rec.subject) +
		 strlen(ev->rec.reason);
	return 0;
}

static void *
run(void *arg)
{
	unsigned seed = (unsigned)(size_t)arg * 7919u + 1u;
	struct bk_store *st;
	struct bk_store_err err = { 0 };
	if (bk_store_open(&st, url, 0, NULL, &err) < 0) {
		fprintf(stderr, "viewbench: %s\n", err.msg);
		exit(1);
	}
	size_t sink = 0;
	double t0 = now_s();
	for (long k = 0; k < ncalls; k++) {
		if (k == ncalls / 4)
			t0 = now_s();
		if (per_snapshot > 1 && k % per_snapshot == 0) {
			bk_store_read_end(st);
			if (bk_store_read_begin(st, &err) < 0) {
				fprintf(stderr, "viewbench: %s\n", err.msg);
				exit(1);
			}
		}
		long i = rand_r(&seed) % range;
		char a[64];
		snprintf(a, sizeof(a), "user%ld@d%ld.example.com", i, i % 997);
		struct bk_addr_state s;
		if (bk_store_address_view(st, a, (int64_t)time(NULL), 20, &s, touch,
					  &sink, &err) < 0) {
			fprintf(stderr, "viewbench: %s: %s\n", a, err.msg);
			exit(1);
		}
	}
	double us = (now_s() - t0) * 1e6 / (double)(ncalls - ncalls / 4);
	bk_store_read_end(st);
	bk_store_close(st);
	printf("thread %zu: %.2f us a call (%zu bytes of text)\n", (size_t)arg, us, sink);
	return NULL;
}

int
main(int argc, char **argv)
{
	long threads = 1;
	int c;
	while ((c = getopt(argc, argv, "t:n:r:k:")) != -1) {
		long v = optarg ? atol(optarg) : 0;
		if (v < 1) {
			fprintf(stderr, "viewbench: -%c: a number from 1\n", c);
			return 2;
		}
		switch (c) {
		case 't': threads = v > 64 ? 64 : v; break;
		case 'n': ncalls = v; break;
		case 'r': range = v; break;
		case 'k': per_snapshot = v; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: viewbench [-t THREADS] [-n CALLS] [-r RANGE] [-k CALLS_A_SNAPSHOT] URL\n");
		return 2;
	}
	url = argv[optind];
	pthread_t t[64];
	for (long i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, run, (void *)(size_t)i)) {
			fprintf(stderr, "viewbench: cannot start a thread\n");
			return 1;
		}
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}
