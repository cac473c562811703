/* SPDX-License-Identifier: BSD-2-Clause */
/* viewcheck.c - the events GET /v1/addresses/{address} shows
 * (bk_store_address_view: on SQLite from the recent events kept with the
 * address's state, schema 10) against the same events read from the
 * events' table (bk_store_address_events), for each address read from
 * stdin, at several limits: the same events, in the same order, with the
 * same columns.
 *
 * usage: viewcheck-test URL < ADDRESSES
 * Prints a "FAIL" line for each difference, and "viewcheck: N passed,
 * N failed" (one check an address and limit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define MAXEV 64

struct ev {
	long long id;
	long long ingested, ts;
	int hard;
	char *s[18];
};

struct list {
	size_t n;
	struct ev e[MAXEV];
};

static int
add(void *arg, const struct bk_event *e)
{
	struct list *l = arg;
	if (l->n == MAXEV)
		return 0;
	struct ev *v = &l->e[l->n++];
	const struct bk_record *r = &e->rec;
	const char *s[18] = {
		e->key, e->channel, e->evclass, r->addresser, r->senderdomain,
		r->recipient, r->destination, r->action, r->deliverystatus,
		r->replycode, r->reason, r->diagnosticcode, r->command, r->rhost,
		r->subject, r->feedbacktype, r->decodedby, e->address,
	};
	v->id = e->id;
	v->ingested = e->ingested;
	v->ts = r->timestamp;
	v->hard = r->hardbounce;
	for (int i = 0; i < 18; i++)
		v->s[i] = strdup(s[i] ? s[i] : "(null)");
	return 0;
}

static void
clear(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; k < 18; k++)
			free(l->e[i].s[k]);
	l->n = 0;
}

/* "" when equal, else what differs */
static const char *
differ(const struct list *a, const struct list *b, char *buf, size_t n)
{
	if (a->n != b->n) {
		snprintf(buf, n, "%zu events, the table has %zu", a->n, b->n);
		return buf;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct ev *x = &a->e[i], *y = &b->e[i];
		if (x->id != y->id || x->ingested != y->ingested || x->ts != y->ts ||
		    x->hard != y->hard) {
			snprintf(buf, n, "event %zu: id %lld ts %lld, the table's id %lld ts %lld",
				 i, x->id, x->ts, y->id, y->ts);
			return buf;
		}
		for (int k = 0; k < 18; k++)
			if (strcmp(x->s[k], y->s[k])) {
				snprintf(buf, n, "event %zu, column %d: '%.60s', the table's '%.60s'",
					 i, k, x->s[k], y->s[k]);
				return buf;
			}
	}
	return "";
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: viewcheck-test URL < ADDRESSES\n");
		return 2;
	}
	struct bk_store *st;
	struct bk_store_err err = { 0 };
	if (bk_store_open(&st, argv[1], 0, NULL, &err) < 0) {
		fprintf(stderr, "viewcheck: %s\n", err.msg);
		return 1;
	}
	static struct list view, table;
	static const size_t limits[] = { 1, 2, 19, 20, 21, MAXEV };
	int pass = 0, fail = 0;
	char line[400], why[300];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
			struct bk_addr_state s;
			clear(&view);
			clear(&table);
			if (bk_store_address_view(st, line, (int64_t)time(NULL), limits[k], &s,
						  add, &view, &err) < 0 ||
			    bk_store_address_events(st, line, limits[k], add, &table, &err) < 0) {
				printf("FAIL viewcheck %s: %s\n", line, err.msg);
				fail++;
				continue;
			}
			const char *d = differ(&view, &table, why, sizeof(why));
			if (*d) {
				printf("FAIL viewcheck %s, limit %zu: %s\n", line, limits[k], d);
				fail++;
			} else {
				pass++;
			}
		}
	}
	clear(&view);
	clear(&table);
	bk_store_close(st);
	printf("viewcheck: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
