/* SPDX-License-Identifier: BSD-2-Clause */
/* progress.c - the progress line, the warning counts and the summary of a
 * long run (progress.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

/* Redraws at most this often, and the first one only after this long: a
 * short run draws nothing. */
#define REDRAW_NS 250000000LL
#define FIRST_NS 500000000LL
#define NWARN 16		/* warning bits counted (enum bk_warning) */

struct progress {
	const char *cmd;
	unsigned flags;
	bool line;		/* draw a progress line (stderr is a terminal) */
	bool summary;		/* print the summary at the end */
	size_t drawn;		/* columns of the line on screen, 0 when none */
	long long start, next;	/* nanoseconds, monotonic */
	unsigned long messages, records, skipped, empty;
	unsigned long warned;	/* messages with at least one warning */
	unsigned long warn[NWARN];
	struct progress_tally tally;
};

/* The reasons, in taxonomy order; the last slot counts any other name. */
static const struct bk_reason_info *reasons;
static size_t nreasons;
/* The run whose line is on screen, for warnx_. */
static struct progress *active;

static long long
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct progress *
progress_new(const char *cmd, unsigned flags)
{
	struct progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (!reasons) {
		nreasons = bk_reasons(&reasons);
		if (nreasons > PROGRESS_REASONS - 1)
			nreasons = PROGRESS_REASONS - 1;
	}
	bool tty = !(flags & PROGRESS_NOTTY) && isatty(STDERR_FILENO);
	p->cmd = cmd;
	p->flags = flags;
	p->line = tty && !(flags & PROGRESS_QUIET) &&
		  ((flags & PROGRESS_NOSTDOUT) || !isatty(STDOUT_FILENO));
	p->summary = (flags & PROGRESS_SUMMARY) ||
		     (tty && !(flags & PROGRESS_QUIET));
	p->start = now_ns();
	p->next = p->start + FIRST_NS;
	if (p->line)
		active = p;
	return p;
}

static size_t
reason_slot(const char *name)
{
	/* the records' reason is the table's own string: the pointer
	 * matches first; any other text is compared */
	for (size_t i = 0; i < nreasons; i++)
		if (reasons[i].name == name)
			return i;
	for (size_t i = 0; i < nreasons; i++)
		if (reasons[i].name[0] == name[0] && !strcmp(reasons[i].name, name))
			return i;
	return PROGRESS_REASONS - 1;
}

void
progress_tally_add(struct progress_tally *t, const struct bk_record *recs,
		   size_t n)
{
	for (size_t i = 0; i < n; i++)
		t->n[reason_slot(recs[i].reason)]++;
}

void
progress_tally_merge(struct progress *p, struct progress_tally *t)
{
	for (size_t i = 0; i < PROGRESS_REASONS; i++)
		p->tally.n[i] += t->n[i];
	memset(t, 0, sizeof(*t));
}

void
progress_records(struct progress *p, const struct bk_record *recs, size_t n)
{
	progress_tally_add(&p->tally, recs, n);
}

void
progress_clear_line(void)
{
	struct progress *p = active;
	if (!p || !p->drawn)
		return;
	char blank[256];
	size_t n = p->drawn < sizeof(blank) - 2 ? p->drawn : sizeof(blank) - 2;
	blank[0] = '\r';
	memset(blank + 1, ' ', n);
	blank[n + 1] = '\r';
	fwrite(blank, 1, n + 2, stderr);
	p->drawn = 0;
}

static void
elapsed(char *buf, size_t size, long long ns)
{
	long long s = ns / 1000000000LL;
	if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60,
			 s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
}

static void
draw(struct progress *p, long long t)
{
	char el[32], line[200];
	double secs = (double)(t - p->start) / 1e9;
	elapsed(el, sizeof(el), t - p->start);
	int n = snprintf(line, sizeof(line),
			 "\rbouncekit: %s: %lu messages, %lu records, %.0f/s, %s",
			 p->cmd, p->messages, p->records,
			 secs > 0 ? (double)p->messages / secs : 0.0, el);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	size_t cols = (size_t)n - 1;
	/* blank out what a longer line left */
	while (cols < p->drawn && (size_t)n < sizeof(line) - 1) {
		line[n++] = ' ';
		cols++;
	}
	fwrite(line, 1, (size_t)n, stderr);
	p->drawn = cols;
}

void
progress_message(struct progress *p, const char *origin, unsigned long nth,
		 unsigned warnings, size_t nrecords)
{
	p->messages++;
	p->records += nrecords;
	if (warnings) {
		p->warned++;
		for (unsigned i = 0; i < NWARN; i++) {
			unsigned bit = 1u << i;
			if (!(warnings & bit))
				continue;
			p->warn[i]++;
			if (!(p->flags & PROGRESS_VERBOSE) ||
			    (p->flags & PROGRESS_QUIET))
				continue;
			if (nth)
				warnx_("warning: %s (message %lu): %s", origin,
				       nth, bk_warning_name(bit));
			else
				warnx_("warning: %s: %s", origin,
				       bk_warning_name(bit));
		}
	}
	if (p->line) {
		long long t = now_ns();
		if (t >= p->next) {
			draw(p, t);
			p->next = t + REDRAW_NS;
		}
	}
}

void
progress_skipped(struct progress *p)
{
	p->skipped++;
}

void
progress_empty(struct progress *p, const char *msg)
{
	p->empty++;
	if (!(p->flags & PROGRESS_QUIET))
		warnx_("warning: %s", msg);
}

/* "truncated MIME structure 3, unknown charset 2" into buf. */
static void
warning_list(const struct progress *p, char *buf, size_t size)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < NWARN && k < size; i++) {
		if (!p->warn[i])
			continue;
		int n = snprintf(buf + k, size - k, "%s%s %lu", k ? ", " : "",
				 bk_warning_name(1u << i), p->warn[i]);
		if (n < 0)
			break;
		k += (size_t)n;
	}
}

static void
summary(const struct progress *p, long long t)
{
	char buf[2048];
	double secs = (double)(t - p->start) / 1e9;
	warnx_("%s: %lu messages read, %lu records, %lu inputs skipped, "
	       "%lu empty, in %.2f s (%.0f messages/s)",
	       p->cmd, p->messages, p->records, p->skipped, p->empty, secs,
	       secs > 0 ? (double)p->messages / secs : 0.0);
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < PROGRESS_REASONS && k < sizeof(buf); i++) {
		if (!p->tally.n[i])
			continue;
		const char *name = i < nreasons ? reasons[i].name : "other";
		int n = snprintf(buf + k, sizeof(buf) - k, "%s%s %lu",
				 k ? ", " : "", name, p->tally.n[i]);
		if (n < 0)
			break;
		k += (size_t)n;
	}
	if (k)
		warnx_("%s: records by reason: %s", p->cmd, buf);
	warning_list(p, buf, sizeof(buf));
	if (p->warned)
		warnx_("%s: warnings: %lu messages (%s)%s", p->cmd, p->warned, buf,
		       p->flags & PROGRESS_VERBOSE ? "" : "; -v lists each");
	else
		warnx_("%s: warnings: none", p->cmd);
}

void
progress_finish(struct progress *p)
{
	if (!p)
		return;
	long long t = now_ns();
	progress_clear_line();
	if (active == p)
		active = NULL;
	if (p->summary) {
		summary(p, t);
	} else if (p->warned && !(p->flags & (PROGRESS_QUIET | PROGRESS_VERBOSE))) {
		char buf[1024];
		warning_list(p, buf, sizeof(buf));
		warnx_("%s: %lu messages with warnings (%s); -v lists each",
		       p->cmd, p->warned, buf);
	}
	free(p);
}
