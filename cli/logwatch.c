/* SPDX-License-Identifier: BSD-2-Clause */
/* logwatch.c - `bouncekit watch --log postfix|exim|sendmail FILE...`:
 * follow MTA delivery logs like `tail -F` into the store (logread.h,
 * intake/maillog.h), through rotation by rename (the old file is read to
 * its end first) and by copytruncate, and across restarts: the position
 * of each file (device, inode, offset and a hash of the line that ends
 * there) is kept in a state file, written after each commit.
 *
 * Each round (every --poll seconds, and at once while there is more to
 * read) reads what was appended, commits the events, then saves the
 * positions: a crash between the two reads those lines again, which gives
 * no event twice (the keys) and no delivery twice (the store keeps, in
 * the same transaction, how many lines of each log it has counted:
 * bk_store_log_source). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "logread.h"
#include "store/store.h"

struct follow {
	char path[PATH_MAX];
	int fd;			/* -1: not open (the file is not there) */
	dev_t dev;
	ino_t ino;
	unsigned long long start;	/* offset where lines.fed began */
	struct lines l;
	uint64_t hash;		/* of the last complete line */
	uint64_t cur;		/* running hash of the line being read */
	unsigned long long saved;	/* position last written to the state */
	bool rotated;		/* path now names another file: drain, then switch */
	bool warned;
	int src;		/* the log as the store knows it; -1: not yet */
};

struct lwatch {
	struct log_sink k;
	struct follow *f;
	size_t n;
	const char *state;
	bool quiet;
	unsigned long long items;	/* pending since the last commit */
};

static uint64_t
hash_bytes(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}
#define HASH0 0xcbf29ce484222325ULL

static unsigned long long
position(const struct follow *f)
{
	return f->start + lines_done(&f->l);
}

/* ---- The state file: one line per followed file ----
 *   PATH \t DEV \t INO \t OFFSET \t LINENO \t HASH(hex) */

static void
state_save(struct lwatch *w)
{
	if (!w->state)
		return;
	char tmp[PATH_MAX + 16];
	snprintf(tmp, sizeof(tmp), "%s.tmp", w->state);
	FILE *fp = fopen(tmp, "w");
	if (!fp) {
		warnx_("watch: %s: %s", tmp, strerror(errno));
		return;
	}
	for (size_t i = 0; i < w->n; i++) {
		struct follow *f = &w->f[i];
		fprintf(fp, "%s\t%llu\t%llu\t%llu\t%lu\t%016llx\n", f->path,
			(unsigned long long)f->dev, (unsigned long long)f->ino,
			position(f), f->l.lineno, (unsigned long long)f->hash);
		f->saved = position(f);
	}
	bool bad = fflush(fp) != 0 || fsync(fileno(fp)) != 0;
	bad |= fclose(fp) != 0;
	if (bad || rename(tmp, w->state) != 0) {
		warnx_("watch: %s: %s", w->state, strerror(errno));
		unlink(tmp);
	}
}

struct saved {
	unsigned long long dev, ino, off, hash;
	unsigned long lineno;
	bool found;
};

static struct saved
state_find(const char *state, const char *path)
{
	struct saved s;
	memset(&s, 0, sizeof(s));
	FILE *fp = state ? fopen(state, "r") : NULL;
	if (!fp)
		return s;
	char line[PATH_MAX + 200];
	while (fgets(line, sizeof(line), fp)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		if (strcmp(line, path))
			continue;
		if (sscanf(tab + 1, "%llu\t%llu\t%llu\t%lu\t%llx", &s.dev, &s.ino, &s.off,
			   &s.lineno, &s.hash) == 5)
			s.found = true;
	}
	fclose(fp);
	return s;
}

/* The hash of the line that ends just before off in fd (its '\n' at
 * off - 1); 0 when off is 0 or it cannot be read. */
static uint64_t
hash_before(int fd, unsigned long long off)
{
	if (off == 0)
		return 0;
	size_t want = off > LINES_MAX + 1 ? LINES_MAX + 1 : (size_t)off;
	char *buf = malloc(want);
	if (!buf)
		return 0;
	ssize_t got = pread(fd, buf, want, (off_t)(off - want));
	uint64_t h = 0;
	if (got == (ssize_t)want && buf[want - 1] == '\n') {
		size_t e = want - 1, b = e;
		while (b > 0 && buf[b - 1] != '\n')
			b--;
		h = hash_bytes(HASH0, buf + b, e - b);
	}
	free(buf);
	return h;
}

/* ---- Reading ---- */

/* A lines_fn: the line's hash, then the sink. */
struct feed_ctx {
	struct lwatch *w;
	struct follow *f;
};

/* A file read from a saved position: the store knows it by its first
 * line, read again here (an overlong one: by none, as log_line does). */
static int
source_from_file(struct lwatch *w, struct follow *f)
{
	char *buf = malloc(LINES_MAX + 1);
	if (!buf) {
		warnx_("watch: out of memory");
		w->k.stop = EXIT_FATAL;
		return 1;
	}
	ssize_t got = pread(f->fd, buf, LINES_MAX + 1, 0);
	const char *nl = got > 0 ? memchr(buf, '\n', (size_t)got) : NULL;
	int rc = log_source(&w->k, buf, nl ? (size_t)(nl - buf) : 0);
	free(buf);
	return rc;
}

static int
on_line(void *arg, const char *p, size_t n, unsigned long lineno)
{
	struct feed_ctx *c = arg;
	if (p) {
		c->f->hash = hash_bytes(HASH0, p, n);
		c->w->items++;
	}
	struct log_sink *k = &c->w->k;
	k->src = c->f->src;
	if (k->src < 0 && lineno > 1 && source_from_file(c->w, c->f))
		return 1;
	int rc = log_line(k, p, n, lineno);
	c->f->src = k->src;
	return rc;
}

static void
open_at(struct lwatch *w, struct follow *f, unsigned long long off,
	unsigned long lineno, uint64_t hash)
{
	(void)w;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!f->warned)
			warnx_("watch: %s: %s (followed until it is there)", f->path, strerror(errno));
		f->warned = true;
		return;
	}
	struct stat sb;
	fstat(fd, &sb);
	if (off > (unsigned long long)sb.st_size)
		off = 0, lineno = 0, hash = 0;
	lseek(fd, (off_t)off, SEEK_SET);
	lines_free(&f->l);
	lines_init(&f->l);
	f->l.lineno = lineno;
	f->fd = fd;
	f->dev = sb.st_dev;
	f->ino = sb.st_ino;
	f->start = off;
	f->hash = hash;
	f->rotated = false;
	f->warned = false;
	f->src = -1;
}

/* Read what is there; returns the bytes read (0: at the end), -1 a stop. */
static long long
drain(struct lwatch *w, struct follow *f)
{
	static char buf[1 << 20];
	long long total = 0;
	struct feed_ctx c = { w, f };
	while (f->fd >= 0 && !w->k.stop && total < (1 << 24)) {
		ssize_t got = read(f->fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			warnx_("watch: %s: %s", f->path, strerror(errno));
			return -1;
		}
		if (got == 0)
			break;
		total += got;
		w->k.name = f->path;
		if (lines_feed(&f->l, buf, (size_t)got, on_line, &c) < 0) {
			warnx_("watch: out of memory");
			w->k.stop = EXIT_FATAL;
		}
	}
	return w->k.stop ? -1 : total;
}

/* The end of a file for good (rotated away, truncated): a line it holds
 * unfinished will never be finished. */
static void
drop_torn(struct lwatch *w, struct follow *f, const char *why)
{
	if (f->l.len) {
		w->k.torn++;
		warnx_("watch: %s:%lu: a torn line (%s): skipped", f->path, f->l.lineno + 1, why);
	}
}

/* After the end of the file: was it rotated or truncated? */
static void
check_rotation(struct lwatch *w, struct follow *f, long long got)
{
	struct stat now, mine;
	if (f->fd < 0) {
		open_at(w, f, 0, 0, 0);
		return;
	}
	if (fstat(f->fd, &mine) == 0 && (unsigned long long)mine.st_size < position(f)) {
		/* copytruncate: the file was emptied under us */
		drop_torn(w, f, "the file was truncated");
		if (!w->quiet)
			warnx_("watch: %s: truncated: reading it from the start", f->path);
		lseek(f->fd, 0, SEEK_SET);
		unsigned long lineno = 0;
		lines_free(&f->l);
		lines_init(&f->l);
		f->l.lineno = lineno;
		f->start = 0;
		f->hash = 0;
		f->src = -1;	/* another log now: known by its own first line */
		return;
	}
	if (stat(f->path, &now) != 0)
		return;		/* renamed, the new one not there yet: keep the old */
	if (now.st_dev == f->dev && now.st_ino == f->ino)
		return;
	/* renamed and a new file made: the old one is read to its end (the
	 * writer may still append until it reopens), then the new one */
	if (!f->rotated || got > 0) {
		f->rotated = true;
		return;
	}
	drop_torn(w, f, "the file was rotated");
	if (!w->quiet)
		warnx_("watch: %s: rotated: following the new file", f->path);
	close(f->fd);
	f->fd = -1;
	open_at(w, f, 0, 0, 0);
}

/* Where to start a file: the saved position when the file is the same
 * (inode, and the line before the offset hashes the same); the rest of
 * PATH.1 first when that is the saved file (rotated while we were down);
 * else the start. */
static void
start_file(struct lwatch *w, struct follow *f)
{
	struct saved s = state_find(w->state, f->path);
	struct stat sb;
	bool there = stat(f->path, &sb) == 0;
	if (s.found && there && sb.st_dev == s.dev && sb.st_ino == s.ino) {
		open_at(w, f, s.off, s.lineno, s.hash);
		if (f->fd >= 0 && (s.off == 0 || hash_before(f->fd, s.off) == s.hash))
			return;
		if (f->fd >= 0) {
			warnx_("watch: %s: not the file of the saved position: reading it from the start",
			       f->path);
			close(f->fd);
			f->fd = -1;
		}
		open_at(w, f, 0, 0, 0);
		return;
	}
	if (s.found) {
		char old[PATH_MAX];
		struct stat ob;
		if (strlen(f->path) + 3 > sizeof(old))
			goto fresh;
		memcpy(old, f->path, strlen(f->path));
		memcpy(old + strlen(f->path), ".1", 3);
		if (stat(old, &ob) == 0 && ob.st_dev == s.dev && ob.st_ino == s.ino) {
			/* rotated while we were down: the rest of the old one */
			struct follow tmp;
			memset(&tmp, 0, sizeof(tmp));
			memcpy(tmp.path, old, sizeof(old));
			tmp.fd = -1;
			tmp.src = -1;
			lines_init(&tmp.l);
			open_at(w, &tmp, s.off, s.lineno, s.hash);
			if (tmp.fd >= 0 && (s.off == 0 || hash_before(tmp.fd, s.off) == s.hash)) {
				if (!w->quiet)
					warnx_("watch: %s: rotated while stopped: the rest of %s first",
					       f->path, old);
				drain(w, &tmp);
				drop_torn(w, &tmp, "the file was rotated");
			}
			if (tmp.fd >= 0)
				close(tmp.fd);
			lines_free(&tmp.l);
		}
	}
fresh:
	open_at(w, f, 0, 0, 0);
}

static int
commit(struct lwatch *w)
{
	struct bk_store_err err = { 0, "" };
	int rc = bk_store_flush(w->k.st, &err);
	if (rc < 0) {
		warnx_("watch: %s", err.msg);
		return rc;
	}
	w->items = 0;
	state_save(w);
	return 0;
}

int
watch_log(const char *url, const struct bk_policy *pol, enum maillog_mta mta,
	  const char *host, int year, const char *state, unsigned poll_ms,
	  unsigned retry_ms, bool once, bool quiet, bool verbose,
	  char **paths, int npaths)
{
	struct lwatch w;
	memset(&w, 0, sizeof(w));
	w.quiet = quiet;
	w.k.mta = mta;
	w.k.verbose = verbose;
	char statebuf[PATH_MAX];
	if (!state) {
		/* next to a SQLite store; else in the working directory */
		const char *u = url ? url : bk_store_default_url();
		if (!strstr(u, "://") || !strncmp(u, "sqlite://", 9)) {
			const char *p = !strncmp(u, "sqlite://", 9) ? u + 9 :
					!strncmp(u, "sqlite:", 7) ? u + 7 : u;
			snprintf(statebuf, sizeof(statebuf), "%.*s.logstate",
				 (int)strcspn(p, "?"), p);
		} else {
			snprintf(statebuf, sizeof(statebuf), "bouncekit.logstate");
		}
		state = statebuf;
	}
	w.state = state;
	int rc = store_open_cli(&w.k.st, url, BK_STORE_OPEN_MIGRATE, pol);
	if (rc)
		return rc;
	/* commit every round, not every 5000 records: the verdict within a
	 * second */
	bk_store_set_batch(w.k.st, 1u << 20);
	w.k.ml = maillog_new(mta, host, host != NULL);
	w.n = (size_t)npaths;
	w.f = calloc(w.n, sizeof(*w.f));
	if (!w.k.ml || !w.f) {
		warnx_("watch: out of memory");
		maillog_free(w.k.ml);
		free(w.f);
		bk_store_close(w.k.st);
		return EXIT_FATAL;
	}
	if (year)
		maillog_set_year(w.k.ml, year);
	for (size_t i = 0; i < w.n; i++) {
		snprintf(w.f[i].path, sizeof(w.f[i].path), "%s", paths[i]);
		w.f[i].fd = -1;
		w.f[i].src = -1;
		lines_init(&w.f[i].l);
		start_file(&w, &w.f[i]);
	}
	if (!once)
		cli_stop_on_signals();
	int exitc = EXIT_OK;
	bool failing = false;
	while (!w.k.stop) {
		bool more = false;
		for (size_t i = 0; i < w.n && !w.k.stop && !failing; i++) {
			long long got = drain(&w, &w.f[i]);
			if (got < 0)
				break;
			if (got >= (1 << 24))
				more = true;
			else if (!once)
				check_rotation(&w, &w.f[i], got);
		}
		if (w.k.stop == EXIT_TEMPFAIL || (w.items && commit(&w) < 0)) {
			/* the store is unavailable: the positions stay where the
			 * last commit left them; read again from there later */
			if (once) {
				exitc = EXIT_TEMPFAIL;
				break;
			}
			if (!failing)
				warnx_("watch: the store failed: trying again every %u ms", retry_ms);
			failing = true;
			w.k.stop = 0;
			poll(NULL, 0, (int)retry_ms);
			for (size_t i = 0; i < w.n; i++) {
				struct follow *f = &w.f[i];
				struct saved s = state_find(w.state, f->path);
				if (f->fd >= 0)
					close(f->fd);
				f->fd = -1;
				if (s.found && s.ino == (unsigned long long)f->ino)
					open_at(&w, f, s.off, s.lineno, s.hash);
				else
					open_at(&w, f, 0, 0, 0);
			}
			w.items = 0;
			continue;
		}
		failing = false;
		if (w.k.stop)
			break;
		if (once)
			break;
		if (cli_stop)
			break;
		if (!more)
			poll(NULL, 0, (int)poll_ms);
		if (cli_stop)
			break;
	}
	if (w.items && !w.k.stop)
		commit(&w);
	else
		state_save(&w);
	if (once)
		for (size_t i = 0; i < w.n; i++)
			if (w.f[i].l.len) {
				w.k.torn++;
				warnx_("watch: %s:%lu: the last line has no end (torn): not read yet",
				       w.f[i].path, w.f[i].l.lineno + 1);
			}
	const struct maillog_stats *ms = maillog_stats(w.k.ml);
	const struct bk_ingest_stats *s = bk_store_stats_ingest(w.k.st);
	if (!quiet)
		fprintf(stderr, "bouncekit: watch: %llu lines: %llu failed, %llu deferred, "
			"%llu delivered, %llu unknown, %llu torn; %llu events new, "
			"%llu deferrals made final, %llu duplicates skipped\n",
			ms->lines, ms->failed, ms->delayed, ms->sent, ms->unknown, w.k.torn,
			s->events_new, s->upgraded, s->duplicates);
	if (w.k.stop && exitc == EXIT_OK)
		exitc = w.k.stop;
	for (size_t i = 0; i < w.n; i++) {
		if (w.f[i].fd >= 0)
			close(w.f[i].fd);
		lines_free(&w.f[i].l);
	}
	free(w.f);
	maillog_free(w.k.ml);
	bk_store_close(w.k.st);
	return exitc;
}
