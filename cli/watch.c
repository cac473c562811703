/* SPDX-License-Identifier: BSD-2-Clause */
/* watch.c - `bouncekit watch MAILDIR...`: follow Maildirs with inotify;
 * each message that arrives in new/ goes into the store (intake.h), and
 * is moved to cur/ (with ":2,") only after its events are committed.  A
 * message that gave no decoded record goes to --unparsed DIR when given.
 * A full rescan at start (messages that came while it was down), after
 * any change of the directories themselves (a Maildir removed and made
 * again: the parent is watched too), every --rescan seconds, and after a
 * store failure, every --retry seconds: a message stays in new/ until the
 * store takes it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "intake/intake.h"
#include "logread.h"
#include "store/store.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit watch [OPTIONS] MAILDIR...\n"
"       bouncekit watch --log postfix|exim|sendmail [OPTIONS] FILE...\n"
"\n"
"Follow Maildirs: each message that arrives in MAILDIR/new is decoded, its\n"
"events committed to the store, and only then moved to MAILDIR/cur (with\n"
"':2,').  A message that gave no decoded record (not a bounce) goes to\n"
"--unparsed DIR when given, else to cur/ too.  new/ is read whole at start\n"
"and rescanned every --rescan seconds; a Maildir removed and made again is\n"
"picked up again.  When the store is unavailable the messages stay in new/\n"
"and are tried again every --retry seconds.  Stops on SIGTERM or SIGINT.\n"
"\n"
"options:\n"
"  --db URL             the store (default $BOUNCEKIT_DB, else bouncekit.db)\n"
"  --policy KEY=VALUE, --policy-file PATH   as for ingest\n"
"  --unparsed DIR       where messages that gave no decoded record go\n"
"                       (the same file system as the Maildir: a rename)\n"
"  --verp-delimiters XY VERP in Delivered-To / X-Original-To (default +=,\n"
"                       '' for none); see bouncekit ingest --help\n"
"  --rescan SECS        full rescan interval (60)\n"
"  --retry SECS         retry interval after a store failure (5)\n"
"  --once               scan each new/ once and exit (no inotify)\n"
"  -q, --quiet          no log of messages on stderr\n"
"  -h, --help           this help\n"
"\n"
"With --log, follow the MTA's delivery logs instead, like tail -F (see\n"
"bouncekit ingest --log for what they give): through rotation (renamed and\n"
"made again: the old file is read to its end first; or copytruncate), and\n"
"across restarts: each file's position (inode, offset, a hash of the line\n"
"before it) is saved in a state file after each commit; a file rotated to\n"
"FILE.1 while stopped is read to its end first.  A torn last line is held\n"
"until its end is written.  Run a second watch for Maildirs beside it.\n"
"  --log MTA            postfix, exim or sendmail\n"
"  --log-host NAME, --log-year YEAR   as for ingest --log\n"
"  --state FILE         the positions (default: the SQLite store's path with\n"
"                       .logstate, else bouncekit.logstate here)\n"
"  --poll SECS          how often to look for more (0.5)\n"
"  -v, --verbose        name each unknown line with file:line\n"
"\n"
"exit status: 0 stopped by a signal (or --once done); 2 usage error; 3 a\n"
"store error at start or inotify unavailable; 75 the store is unavailable\n"
"at start (or, with --once, messages were left in new/).\n");
}

enum { OPT_UNPARSED = 256, OPT_RESCAN, OPT_RETRY, OPT_ONCE, OPT_LOG, OPT_LOG_HOST,
	OPT_LOG_YEAR, OPT_STATE, OPT_POLL };

static const struct option longopts[] = {
	INTAKE_LONGOPTS,
	{ "unparsed", required_argument, NULL, OPT_UNPARSED },
	{ "rescan", required_argument, NULL, OPT_RESCAN },
	{ "retry", required_argument, NULL, OPT_RETRY },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-host", required_argument, NULL, OPT_LOG_HOST },
	{ "log-year", required_argument, NULL, OPT_LOG_YEAR },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "poll", required_argument, NULL, OPT_POLL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct mdir {
	char path[PATH_MAX];
	char parent[PATH_MAX];
	int wd_new, wd_dir, wd_parent, wd_tmp;
};

/* A message staged, waiting for its group's commit (group commit: the
 * messages of one inotify read, or of a rescan, up to GROUP at a time, in
 * one transaction; each is moved to cur/ only after it). */
#define GROUP 256
struct pending {
	struct mdir *m;
	char name[NAME_MAX + 1];
	enum intake_result res;
	unsigned decoded, records;
};

struct watch {
	struct intake *in;
	struct pending *pend;
	size_t npend;
	struct mdir *m;
	size_t n;
	int ifd;
	const char *unparsed;
	bool quiet;
	bool tempfail;		/* a message was left in new/: retry soon */
	size_t max_size;
	unsigned long stored, unparsed_n, left;
};


static void
logw(struct watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
logw(struct watch *w, const char *fmt, ...)
{
	if (w->quiet)
		return;
	char ts[32], line[1024];
	time_t t = time(NULL);
	struct tm tm;
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s watch: %s\n", ts, line);
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* rename, or copy and unlink across file systems */
static int
move_file(const char *from, const char *to)
{
	if (rename(from, to) == 0)
		return 0;
	if (errno != EXDEV)
		return -1;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	char tmp[PATH_MAX * 3];
	snprintf(tmp, sizeof(tmp), "%s.tmp", to);
	int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t r;
	int bad = 0;
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r)
			bad = 1;
	bad |= r < 0;
	bad |= fsync(out) != 0;
	bad |= close(out) != 0;
	close(in);
	if (bad || rename(tmp, to) != 0) {
		unlink(tmp);
		return -1;
	}
	return unlink(from);
}

/* A message read, its events committed (or not): moved, or left in new/. */
static void
finish(struct watch *w, struct mdir *m, const char *name, enum intake_result res,
       unsigned decoded, unsigned records, const char *msg)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/new/%s", m->path, name);
	if (res == INTAKE_TEMPFAIL) {
		if (!w->tempfail)
			logw(w, "%s: %s: left in new/, tried again later", path, msg);
		w->tempfail = true;
		w->left++;
		return;
	}
	char to[PATH_MAX * 2 + 8];
	bool unparsed = res == INTAKE_DATAERR || decoded == 0;
	if (unparsed && w->unparsed)
		snprintf(to, sizeof(to), "%s/%s", w->unparsed, name);
	else
		snprintf(to, sizeof(to), "%s/cur/%s%s", m->path, name,
			 strstr(name, ":2,") ? "" : ":2,");
	if (move_file(path, to) != 0) {
		logw(w, "%s: stored, but cannot move it to %s: %s", path, to, strerror(errno));
		return;
	}
	if (unparsed)
		w->unparsed_n++;
	else
		w->stored++;
	logw(w, "%s: %s, %u records -> %s", name,
	     res == INTAKE_DATAERR ? "unreadable" : decoded ? "stored" :
	     records ? "stored from VERP (no decoder read it)" : "not a bounce",
	     records, to);
}

/* Commit the staged group, then move each of its messages. */
static void
commit(struct watch *w)
{
	if (!w->npend)
		return;
	char msg[600] = "";
	bool ok = intake_commit(w->in, msg, sizeof(msg)) == 0;
	for (size_t i = 0; i < w->npend; i++) {
		struct pending *p = &w->pend[i];
		finish(w, p->m, p->name, ok ? p->res : INTAKE_TEMPFAIL, p->decoded, p->records, msg);
	}
	w->npend = 0;
}

/* One message in new/: staged (committed with its group, see commit()),
 * or finished at once when it gave nothing to commit. */
static void
take(struct watch *w, struct mdir *m, const char *name)
{
	if (name[0] == '.' || strlen(name) > NAME_MAX)
		return;
	for (size_t i = 0; i < w->npend; i++)
		if (w->pend[i].m == m && !strcmp(w->pend[i].name, name))
			return;	/* already in this group */
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/new/%s", m->path, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;	/* gone: taken by another reader, or a directory */
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return;
	}
	size_t len = (size_t)sb.st_size;
	char *data = len <= w->max_size ? malloc(len ? len : 1) : NULL;
	size_t got = 0;
	if (data) {
		while (got < len) {
			ssize_t r = read(fd, data + got, len - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
	}
	close(fd);
	struct intake_outcome out = { 0 };
	enum intake_result res;
	if (!data && len <= w->max_size) {
		res = INTAKE_TEMPFAIL;
		snprintf(out.msg, sizeof(out.msg), "out of memory");
	} else {
		char rcpt[512] = "";
		const char *rcpts[1] = { rcpt };
		size_t nr = 0;
		if (data && (intake_header(data, got, "Delivered-To", rcpt, sizeof(rcpt)) ||
			     intake_header(data, got, "X-Original-To", rcpt, sizeof(rcpt))))
			nr = 1;
		res = intake_stage(w->in, data ? data : "", data ? got : len + 1, path, NULL,
				   rcpts, nr, &out);
	}
	free(data);
	if (res == INTAKE_STORED || res == INTAKE_NOTBOUNCE) {
		struct pending *p = &w->pend[w->npend++];
		p->m = m;
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->res = res;
		p->decoded = out.decoded;
		p->records = out.records;
		if (w->npend == GROUP)
			commit(w);
		return;
	}
	if (res == INTAKE_TEMPFAIL)
		commit(w);	/* what its staging added, with the group */
	finish(w, m, name, res, out.decoded, out.records, out.msg);
}

static void
scan(struct watch *w, struct mdir *m)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s/new", m->path);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	/* after a store failure the rest waits for the retry: each try would
	 * wait out the store's busy timeout again */
	while (!cli_stop && !w->tempfail && (e = readdir(d)))
		take(w, m, e->d_name);
	closedir(d);
	commit(w);
}

/* (Re)add the watches of every Maildir and read each new/ whole. */
static void
resync(struct watch *w)
{
	w->tempfail = false;
	for (size_t i = 0; i < w->n; i++) {
		struct mdir *m = &w->m[i];
		char p[PATH_MAX + 8];
		if (w->ifd >= 0) {
			m->wd_parent = inotify_add_watch(w->ifd, m->parent,
							 IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
			m->wd_dir = inotify_add_watch(w->ifd, m->path, IN_CREATE | IN_MOVED_TO |
						      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
			snprintf(p, sizeof(p), "%s/new", m->path);
			m->wd_new = inotify_add_watch(w->ifd, p, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE |
						      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
			/* link, then unlink from tmp/ (Postfix, qmail): the
			 * unlink says the link in new/ is complete */
			snprintf(p, sizeof(p), "%s/tmp", m->path);
			m->wd_tmp = inotify_add_watch(w->ifd, p, IN_DELETE | IN_ONLYDIR);
		}
		snprintf(p, sizeof(p), "%s/cur", m->path);
		struct stat sb;
		if (stat(m->path, &sb) == 0 && stat(p, &sb) != 0)
			mkdir(p, 0700);	/* a Maildir made without cur/ yet */
		scan(w, m);
	}
}

static bool
secs(const char *arg, unsigned *ms)
{
	char *end;
	double d = strtod(arg, &end);
	if (end == arg || *end || !(d >= 0.01 && d <= 86400))
		return false;
	*ms = (unsigned)(d * 1000);
	return true;
}

int
cmd_watch(int argc, char **argv)
{
	const char *unparsed = NULL;
	unsigned rescan_ms = 60000, retry_ms = 5000;
	bool once = false, quiet = false, verbose = false;
	const char *logmta = NULL, *loghost = NULL, *state = NULL;
	int logyear = 0;
	unsigned poll_ms = 500;
	struct bk_policy pol;
	struct intake_opts io;
	intake_opts_init(&io, &pol);
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qvh", longopts, NULL)) != -1) {
		int taken = intake_opt(&io, "watch", c, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (c) {
		case OPT_UNPARSED: unparsed = optarg; break;
		case OPT_RESCAN:
			if (!secs(optarg, &rescan_ms))
				return opt_bad_value("watch", "--rescan", "0.01 to 86400 seconds");
			break;
		case OPT_RETRY:
			if (!secs(optarg, &retry_ms))
				return opt_bad_value("watch", "--retry", "0.01 to 86400 seconds");
			break;
		case OPT_ONCE: once = true; break;
		case OPT_LOG: logmta = optarg; break;
		case OPT_LOG_HOST: loghost = optarg; break;
		case OPT_LOG_YEAR: {
			char *end;
			logyear = (int)strtol(optarg, &end, 10);
			if (*end || logyear < 1970 || logyear > 9999)
				return opt_bad_value("watch", "--log-year", "a year");
			break;
		}
		case OPT_STATE: state = optarg; break;
		case OPT_POLL:
			if (!secs(optarg, &poll_ms))
				return opt_bad_value("watch", "--poll", "0.01 to 86400 seconds");
			break;
		case 'v': verbose = true; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return opt_error("watch", c, argc, argv, longopts);
		}
	}
	if (logmta || loghost || logyear || state) {
		enum maillog_mta mta;
		if (!logmta || !maillog_mta_parse(logmta, &mta))
			return opt_bad_value("watch", "--log", "postfix, exim or sendmail");
		if (unparsed)
			return usage_error("watch", "--unparsed is for Maildirs, not with --log");
		if (optind >= argc)
			return usage_error("watch", "a log FILE is required");
		return watch_log(io.url, intake_policy(&io), mta, loghost, logyear, state,
				 poll_ms, retry_ms, once, quiet, verbose, argv + optind,
				 argc - optind);
	}
	if (optind >= argc)
		return usage_error("watch", "a MAILDIR is required");
	if (unparsed) {
		struct stat sb;
		if (stat(unparsed, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return usage_error("watch", "--unparsed %s: not a directory", unparsed);
	}
	struct watch w;
	memset(&w, 0, sizeof(w));
	w.pend = calloc(GROUP, sizeof(*w.pend));
	if (!w.pend) {
		warnx_("watch: out of memory");
		return EXIT_FATAL;
	}
	w.n = (size_t)(argc - optind);
	w.m = calloc(w.n, sizeof(*w.m));
	if (!w.m) {
		free(w.pend);
		warnx_("watch: out of memory");
		return EXIT_FATAL;
	}
	for (size_t i = 0; i < w.n; i++) {
		const char *a = argv[optind + (int)i];
		size_t l = strlen(a);
		while (l > 1 && a[l - 1] == '/')
			l--;
		if (l >= PATH_MAX - 16) {
			free(w.m);
			free(w.pend);
			return usage_error("watch", "%s: path too long", a);
		}
		memcpy(w.m[i].path, a, l);
		w.m[i].path[l] = '\0';
		const char *slash = strrchr(w.m[i].path, '/');
		if (!slash)
			strcpy(w.m[i].parent, ".");
		else if (slash == w.m[i].path)
			strcpy(w.m[i].parent, "/");
		else
			snprintf(w.m[i].parent, sizeof(w.m[i].parent), "%.*s",
				 (int)(slash - w.m[i].path), w.m[i].path);
		w.m[i].wd_new = w.m[i].wd_dir = w.m[i].wd_parent = w.m[i].wd_tmp = -1;
		char nd[PATH_MAX + 8];
		struct stat sb;
		snprintf(nd, sizeof(nd), "%s/new", w.m[i].path);
		if (stat(nd, &sb) != 0)
			warnx_("watch: %s: no Maildir there yet (watched until there is)", w.m[i].path);
	}
	struct bk_store *st;
	int rc = store_open_cli(&st, io.url, BK_STORE_OPEN_MIGRATE, intake_policy(&io));
	if (rc) {
		free(w.m);
		free(w.pend);
		return rc;
	}
	struct bk_options bo;
	bk_options_init(&bo);
	w.max_size = bo.limits.message_size;
	w.unparsed = unparsed;
	w.quiet = quiet;
	struct store_reopen ro = { &st, io.url, intake_policy(&io) };
	struct intake_conf ic = { "watch", NULL, io.verp, 0, store_reopen_cli, &ro };
	char err[512];
	w.in = intake_new(st, &ic, err, sizeof(err));
	if (!w.in) {
		warnx_("watch: %s", err);
		bk_store_close(st);
		free(w.m);
		free(w.pend);
		return EXIT_FATAL;
	}
	w.ifd = -1;
	if (!once) {
		w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (w.ifd < 0) {
			warnx_("watch: inotify: %s", strerror(errno));
			intake_free(w.in);
			bk_store_close(st);
			free(w.m);
			free(w.pend);
			return EXIT_FATAL;
		}
		cli_stop_on_signals();
	}
	resync(&w);
	int64_t next = now_ms() + (w.tempfail ? retry_ms : rescan_ms);
	while (!once && !cli_stop) {
		int64_t now = now_ms();
		if (now >= next) {
			resync(&w);
			next = now_ms() + (w.tempfail ? retry_ms : rescan_ms);
			continue;
		}
		struct pollfd p = { w.ifd, POLLIN, 0 };
		int pr = poll(&p, 1, (int)(next - now));
		if (pr < 0 && errno != EINTR) {
			warnx_("watch: poll: %s", strerror(errno));
			break;
		}
		if (pr <= 0)
			continue;
		char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
		ssize_t len = read(w.ifd, buf, sizeof(buf));
		bool again = false;
		for (ssize_t off = 0; len > 0 && off < len;) {
			const struct inotify_event *ev = (const void *)(buf + off);
			off += (ssize_t)(sizeof(*ev) + ev->len);
			if (ev->mask & IN_Q_OVERFLOW) {
				again = true;
				continue;
			}
			struct mdir *m = NULL, *mt = NULL;
			for (size_t i = 0; i < w.n && !m && !mt; i++) {
				if (w.m[i].wd_new == ev->wd)
					m = &w.m[i];
				else if (w.m[i].wd_tmp == ev->wd)
					mt = &w.m[i];
			}
			if (mt && (ev->mask & IN_IGNORED)) {
				again = true;	/* tmp/ went: watched again */
				continue;
			}
			if (mt) {
				/* a name gone from tmp/: when new/ holds it, the
				 * link there is complete (the unlink came before
				 * its IN_CREATE was read); else nothing to do */
				char np[PATH_MAX * 2];
				struct stat sb;
				snprintf(np, sizeof(np), "%s/new/%s", mt->path, ev->name);
				if (ev->len && (ev->mask & IN_DELETE) && stat(np, &sb) == 0 &&
				    S_ISREG(sb.st_mode))
					take(&w, mt, ev->name);
				continue;
			}
			if (m && ev->len && (ev->mask & IN_CREATE)) {
				/* a hard link from tmp/ (the Maildir way of qmail and
				 * others) is complete: taken now; a file created here
				 * is taken when it is closed (IN_CLOSE_WRITE), or by
				 * the rescan a second later (a link whose tmp/ name
				 * is already gone) */
				char np[PATH_MAX * 2];
				struct stat sb;
				snprintf(np, sizeof(np), "%s/new/%s", m->path, ev->name);
				if (stat(np, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink > 1)
					take(&w, m, ev->name);
				else if (next > now_ms() + 1000)
					next = now_ms() + 1000;
			} else if (m && ev->len && (ev->mask & (IN_MOVED_TO | IN_CLOSE_WRITE))) {
				take(&w, m, ev->name);
				if (w.tempfail && next > now_ms() + retry_ms)
					next = now_ms() + retry_ms;
			} else if (!m || (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))) {
				/* a directory came or went: watches again, and a rescan */
				again = true;
			}
		}
		commit(&w);	/* the group of this read */
		if (w.tempfail && next > now_ms() + retry_ms)
			next = now_ms() + retry_ms;
		if (again) {
			resync(&w);
			next = now_ms() + (w.tempfail ? retry_ms : rescan_ms);
		}
	}
	if (!quiet)
		fprintf(stderr, "bouncekit: watch: %lu messages stored, %lu without a record%s\n",
			w.stored, w.unparsed_n, w.tempfail ? " (some left in new/: the store failed)" : "");
	bool left = w.tempfail;
	if (w.ifd >= 0)
		close(w.ifd);
	intake_free(w.in);
	bk_store_close(st);
	free(w.m);
	free(w.pend);
	return once && left ? EXIT_TEMPFAIL : EXIT_OK;
}
