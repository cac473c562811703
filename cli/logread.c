/* SPDX-License-Identifier: BSD-2-Clause */
/* logread.c - `bouncekit ingest --log postfix|exim|sendmail FILE...`: the
 * MTA's delivery log into the store (intake/maillog.h reads the lines;
 * docs/intake.md).  Each failed or deferred recipient is an event of
 * channel "log", joined by MTA host, queue id and recipient to the other
 * lines and bounce messages of the same failure (docs/store.md); each
 * delivery is counted per destination and sender domain and day.  Also
 * the line splitter that `watch --log` (logwatch.c) uses. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "logread.h"
#include "store/store.h"

/* ---- Lines out of a byte stream ---- */

void
lines_init(struct lines *l)
{
	memset(l, 0, sizeof(*l));
}

void
lines_free(struct lines *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

static int
lines_keep(struct lines *l, const char *p, size_t n)
{
	if (l->len + n > l->cap) {
		size_t cap = l->cap ? l->cap : 4096;
		while (cap < l->len + n)
			cap *= 2;
		char *t = realloc(l->buf, cap);
		if (!t)
			return -1;
		l->buf = t;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, p, n);
	l->len += n;
	return 0;
}

unsigned long long
lines_done(const struct lines *l)
{
	return l->skipping ? l->fed : l->fed - l->len;
}

int
lines_feed(struct lines *l, const char *p, size_t n, lines_fn fn, void *arg)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n, step = k + (nl ? 1 : 0);
		int rc = 0;
		l->fed += step;
		if (l->skipping) {
			if (nl) {
				l->skipping = false;
				l->lineno++;
			}
		} else if (l->len + k > LINES_MAX) {
			/* an overlong line: reported once, skipped to its end */
			l->len = 0;
			l->skipping = !nl;
			if (nl)
				l->lineno++;
			rc = fn(arg, NULL, 0, nl ? l->lineno : l->lineno + 1);
		} else if (!nl) {
			if (lines_keep(l, p, k) < 0) {
				l->fed -= step;
				return -1;
			}
		} else {
			l->lineno++;
			if (l->len) {
				if (lines_keep(l, p, k) < 0) {
					l->fed -= step;
					l->lineno--;
					return -1;
				}
				size_t total = l->len;
				l->len = 0;
				rc = fn(arg, l->buf, total, l->lineno);
			} else {
				rc = fn(arg, p, k, l->lineno);
			}
		}
		p += step;
		n -= step;
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- ingest --log ---- */

/* A store error: reported, and the run stops with its exit status. */
static int
log_fail(struct log_sink *k, int rc, const struct bk_store_err *err)
{
	warnx_("log: %s", err->msg);
	k->stop = store_exit(rc);
	return 1;
}

static int
log_item(void *arg, const struct maillog_item *it)
{
	struct log_sink *k = arg;
	struct bk_store_err err = { 0, "" };
	int rc;
	if (it->kind == MAILLOG_SENT) {
		rc = bk_store_add_delivery_at(k->st, k->src, k->line, it->rec->timestamp,
					      it->rec->destination,
					      it->rec->senderdomain, &err);
		if (rc == 0)
			k->deliveries++;
	} else {
		rc = bk_store_add_join(k->st, it->rec, "log", it->join, &err);
	}
	if (rc == BK_STORE_EINVAL) {
		if (k->verbose)
			warnx_("%s: skipped: %s", it->rec->origin, err.msg);
		return 0;
	}
	return rc < 0 ? log_fail(k, rc, &err) : 0;
}

int
log_source(struct log_sink *k, const char *first, size_t n)
{
	struct bk_store_err err = { 0, "" };
	unsigned long long counted;
	int rc = bk_store_log_source(k->st, maillog_mta_name(k->mta), first, n, k->name,
				     &k->src, &counted, &err);
	if (rc < 0)
		return log_fail(k, rc, &err);
	if (counted && k->verbose)
		warnx_("%s: its deliveries are counted up to line %llu: counted from there on",
		       k->name, counted);
	return 0;
}

/* The end of line lineno: the log's position. */
static int
log_done(struct log_sink *k, unsigned long lineno)
{
	struct bk_store_err err = { 0, "" };
	int rc = bk_store_log_read(k->st, k->src, lineno, &err);
	return rc < 0 ? log_fail(k, rc, &err) : 0;
}

int
log_line(void *arg, const char *p, size_t n, unsigned long lineno)
{
	struct log_sink *k = arg;
	/* the log is known by its first line (an overlong one: by none) */
	if (k->src < 0 && lineno == 1 && log_source(k, p ? p : "", p ? n : 0))
		return 1;
	k->line = lineno;
	if (!p) {
		k->long_lines++;
		if (k->verbose)
			warnx_("%s:%lu: a line over %d bytes: skipped", k->name, lineno,
			       LINES_MAX);
		return log_done(k, lineno);
	}
	char origin[4200];
	snprintf(origin, sizeof(origin), "%s:%lu", k->name, lineno);
	int fnrc = 0;
	enum maillog_line w = maillog_feed(k->ml, p, n, origin, log_item, k, &fnrc);
	if (w == MAILLOG_L_UNKNOWN && k->verbose)
		warnx_("%s: not a %s log line it knows: skipped", origin,
		       maillog_mta_name(k->mta));
	return fnrc ? 1 : log_done(k, lineno);
}

static void
ingest_log_file(struct log_sink *k, const char *path)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	k->name = strcmp(path, "-") ? path : "<STDIN>";
	k->src = -1;
	if (fd < 0) {
		warnx_("%s: %s", path, strerror(errno));
		k->partial = true;
		return;
	}
	struct lines l;
	lines_init(&l);
	static char buf[1 << 20];
	for (;;) {
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			warnx_("%s: %s", k->name, strerror(errno));
			k->partial = true;
			break;
		}
		if (got == 0)
			break;
		int rc = lines_feed(&l, buf, (size_t)got, log_line, k);
		if (rc < 0) {
			warnx_("out of memory");
			k->stop = EXIT_FATAL;
		}
		if (k->stop)
			break;
	}
	if (l.len && !k->stop) {
		/* a torn last line: the writer had not finished it */
		k->torn++;
		warnx_("%s:%lu: the last line has no end (torn): skipped", k->name,
		       l.lineno + 1);
	}
	lines_free(&l);
	if (fd > 0)
		close(fd);
}

int
ingest_log(const char *url, const struct bk_policy *pol, enum maillog_mta mta,
	   const char *host, int year, char **paths, int npaths, size_t batch, bool quiet,
	   bool verbose)
{
	struct log_sink k;
	memset(&k, 0, sizeof(k));
	k.mta = mta;
	k.verbose = verbose;
	int rc = store_open_cli(&k.st, url, BK_STORE_OPEN_MIGRATE, pol);
	if (rc)
		return rc;
	if (bk_store_policy_differs(k.st))
		warnx_("warning: this policy is not the store's (the one its verdicts were "
		       "derived with): run 'bouncekit db recompute' with it to re-derive them all");
	if (batch)
		bk_store_set_batch(k.st, batch);
	k.ml = maillog_new(mta, host, host != NULL);
	if (!k.ml) {
		warnx_("out of memory");
		bk_store_close(k.st);
		return EXIT_FATAL;
	}
	if (year)
		maillog_set_year(k.ml, year);
	for (int i = 0; i < npaths && !k.stop; i++)
		ingest_log_file(&k, paths[i]);
	if (!k.stop) {
		struct bk_store_err err = { 0, "" };
		int frc = bk_store_flush(k.st, &err);
		if (frc < 0) {
			warnx_("ingest: %s", err.msg);
			k.stop = store_exit(frc);
		}
	}
	const struct maillog_stats *ms = maillog_stats(k.ml);
	const struct bk_ingest_stats *s = bk_store_stats_ingest(k.st);
	char again[96] = "";
	if (s->deliveries_again)
		snprintf(again, sizeof(again), "; %llu deliveries counted before: skipped",
			 s->deliveries_again);
	if (!quiet) {
		fprintf(stderr, "ingest: %llu lines: %llu failed, %llu deferred, %llu delivered, "
			"%llu unknown, %llu torn, %llu too long; %llu records, %llu events new, "
			"%llu deferrals made final, %llu duplicates skipped, "
			"%llu addresses newly suppressed%s%s\n",
			ms->lines, ms->failed, ms->delayed, ms->sent, ms->unknown,
			k.torn, k.long_lines, s->records, s->events_new, s->upgraded,
			s->duplicates, s->suppressed_new, again,
			k.stop ? " (stopped: the last batch was not written)" : "");
		if (ms->unknown && !verbose)
			fprintf(stderr, "ingest: %llu lines were not %s log lines it knows "
				"(-v names them)\n", ms->unknown, maillog_mta_name(mta));
	}
	bool skipped = k.partial || ms->unknown || k.torn || k.long_lines;
	maillog_free(k.ml);
	bk_store_close(k.st);
	if (k.stop)
		return k.stop;
	return skipped ? EXIT_PARTIAL : EXIT_OK;
}
