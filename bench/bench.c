/* SPDX-License-Identifier: BSD-2-Clause */
/* bench.c - what `make bench` measures (bench/run.sh strings the modes
 * together; docs/performance.md reads the numbers).
 *
 *   bench [-t SECONDS] [-w] PATH...
 *	bk_decode over messages held in memory, single-threaded, repeated
 *	for at least SECONDS (default 3): emails/s, MB/s, peak RSS.  -w also
 *	serialises every record as NDJSON (into a byte counter).
 *   bench -S PATH...
 *	streaming: messages read with the library's sources (an mbox of
 *	any size in bounded memory), decoded and written as NDJSON one
 *	message at a time; emails/s, MB/s, peak RSS, time to the first record.
 *   bench -P [-t SECONDS]
 *	pathological messages built in memory, each at two sizes: MB/s at
 *	both (about equal when the cost is linear in the size).
 *   bench -G MB -o FILE PATH...
 *	write an mbox of at least MB megabytes by repeating the messages of
 *	PATH; prints "messages N bytes B".
 *   bench -x [-n RUNS] [-M MESSAGES] [-B BYTES] -- COMMAND ARGS...
 *	run COMMAND RUNS times (default 1) reading its standard output
 *	through a pipe: median wall time, time to its first output byte,
 *	its peak RSS; emails/s and MB/s when MESSAGES and BYTES are given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"

struct msg {
	char *data;
	size_t len;
};

struct msgs {
	struct msg *v;
	size_t n, cap, bytes;
};

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
peak_rss_mb(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_maxrss / 1024;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

static void
add(struct msgs *m, const char *data, size_t len)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		if (!m->v) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
	m->v[m->n].data = xmalloc(len);
	memcpy(m->v[m->n].data, data, len);
	m->v[m->n].len = len;
	m->bytes += len;
	m->n++;
}

/* Every message of the paths, copied into memory. */
static void
load(struct msgs *m, char **paths, int n)
{
	struct bk_source_opts so = { true, 0 };
	for (int i = 0; i < n; i++) {
		struct bk_source *s;
		struct bk_input in;
		int rc;
		if (bk_source_open(&s, paths[i], &so, NULL) < 0) {
			fprintf(stderr, "bench: cannot open %s\n", paths[i]);
			exit(1);
		}
		while ((rc = bk_source_next(s, &in, NULL)) != 0)
			if (rc > 0)
				add(m, in.data, in.len);
		bk_source_close(s);
	}
	if (!m->n) {
		fprintf(stderr, "bench: no messages\n");
		exit(1);
	}
}

static void
free_msgs(struct msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].data);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* An NDJSON sink: counts bytes and remembers when the first came. */
struct sink {
	size_t bytes, writes;
	double first;
};

static int
sink_write(void *ctx, const void *buf, size_t n)
{
	struct sink *s = ctx;
	(void)buf;
	if (!s->writes++)
		s->first = now();
	s->bytes += n;
	return 0;
}

static struct bk_parser *
parser(void)
{
	struct bk_options o;
	bk_options_init(&o);
	o.delivered = o.vacation = true;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

/* Decode every message of m for at least `seconds`; the time taken and
 * the rounds run. */
static double
run_rounds(struct bk_parser *p, const struct msgs *m, double seconds,
	   struct bk_writer *w, size_t *rounds, size_t *records)
{
	double t0 = now(), t;
	*rounds = *records = 0;
	do {
		for (size_t i = 0; i < m->n; i++) {
			const struct bk_record *r;
			int k = bk_decode(p, m->v[i].data, m->v[i].len, "bench",
					  &r, NULL);
			for (int j = 0; w && j < k; j++)
				bk_writer_record(w, &r[j]);
			*records += k > 0 ? (size_t)k : 0;
		}
		++*rounds;
		t = now() - t0;
	} while (t < seconds);
	return t;
}

static int
in_memory(char **paths, int n, double seconds, bool write)
{
	struct msgs m = { 0 };
	load(&m, paths, n);
	struct bk_parser *p = parser();
	struct sink sk = { 0 };
	struct bk_writer *w = write ? bk_writer_new(BK_FMT_NDJSON, sink_write, &sk)
				    : NULL;
	size_t rounds, records;
	/* one untimed round: the phrase automaton is built at first use,
	 * a start-up cost reported apart */
	run_rounds(p, &m, 0, NULL, &rounds, &records);
	double t = run_rounds(p, &m, seconds, w, &rounds, &records);
	if (w)
		bk_writer_finish(w);
	printf("messages        %zu (%.1f MB) x %zu rounds, %zu records a round\n",
	       m.n, (double)m.bytes / 1e6, rounds, records / rounds);
	printf("emails/s        %.0f\n", (double)(m.n * rounds) / t);
	printf("MB/s            %.1f\n", (double)m.bytes * (double)rounds / 1e6 / t);
	printf("peak RSS        %.1f MB (the messages held in memory included)\n",
	       peak_rss_mb(RUSAGE_SELF));
	bk_writer_free(w);
	bk_parser_free(p);
	free_msgs(&m);
	return 0;
}

/* ---- streaming ---- */

static int
streaming(char **paths, int n)
{
	struct bk_parser *p = parser();
	struct sink sk = { 0 };
	struct bk_writer *w = bk_writer_new(BK_FMT_NDJSON, sink_write, &sk);
	struct bk_source_opts so = { true, 0 };
	size_t msgs = 0, bytes = 0, records = 0;
	double t0 = now();
	for (int i = 0; i < n; i++) {
		struct bk_source *s;
		struct bk_input in;
		int rc;
		if (bk_source_open(&s, paths[i], &so, NULL) < 0) {
			fprintf(stderr, "bench: cannot open %s\n", paths[i]);
			return 1;
		}
		while ((rc = bk_source_next(s, &in, NULL)) != 0) {
			if (rc < 0)
				continue;
			const struct bk_record *r;
			int k = bk_decode(p, in.data, in.len, in.origin, &r, NULL);
			for (int j = 0; j < k; j++)
				bk_writer_record(w, &r[j]);
			records += k > 0 ? (size_t)k : 0;
			msgs++;
			bytes += in.len;
		}
		bk_source_close(s);
	}
	bk_writer_finish(w);
	double t = now() - t0;
	printf("messages        %zu (%.1f MB), %zu records, %.1f MB of NDJSON\n",
	       msgs, (double)bytes / 1e6, records, (double)sk.bytes / 1e6);
	printf("emails/s        %.0f\n", (double)msgs / t);
	printf("MB/s            %.1f\n", (double)bytes / 1e6 / t);
	printf("peak RSS        %.1f MB\n", peak_rss_mb(RUSAGE_SELF));
	printf("first record    after %.3f s of %.1f s; output in %zu writes\n",
	       sk.writes ? sk.first - t0 : 0.0, t, sk.writes);
	bk_writer_free(w);
	bk_parser_free(p);
	return 0;
}

/* ---- an mbox of a given size ---- */

static void
put(FILE *f, const char *p, size_t n)
{
	if (fwrite(p, 1, n, f) != n) {
		fprintf(stderr, "bench: write: %s\n", strerror(errno));
		exit(1);
	}
}

/* One message in mboxrd form: a From_ line, ">From " quoting.  A message
 * that begins with a From_ line of its own (a file saved from an mbox)
 * keeps it as its envelope line. */
static size_t
put_mbox_msg(FILE *f, const struct msg *m)
{
	static const char from_[] = "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n";
	const char *p = m->data, *end = m->data + m->len;
	size_t out = 0;
	if (m->len >= 5 && memcmp(p, "From ", 5) == 0) {
		const char *nl = memchr(p, '\n', m->len);
		size_t len = nl ? (size_t)(nl + 1 - p) : m->len;
		put(f, p, len);
		out += len;
		p += len;
	} else {
		out = sizeof(from_) - 1;
		put(f, from_, out);
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl + 1 : end) - p);
		const char *q = p;
		while (q < p + len && *q == '>')
			q++;
		if ((size_t)(p + len - q) >= 5 && memcmp(q, "From ", 5) == 0) {
			put(f, ">", 1);
			out++;
		}
		put(f, p, len);
		out += len;
		p += len;
	}
	if (m->len && m->data[m->len - 1] != '\n') {
		put(f, "\n", 1);
		out++;
	}
	put(f, "\n", 1);
	return out + 1;
}

static int
make_mbox(char **paths, int n, double mb, const char *out)
{
	struct msgs m = { 0 };
	load(&m, paths, n);
	FILE *f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	size_t bytes = 0, msgs = 0, want = (size_t)(mb * 1e6);
	while (bytes < want)
		for (size_t i = 0; i < m.n && bytes < want; i++, msgs++)
			bytes += put_mbox_msg(f, &m.v[i]);
	if (fclose(f) != 0) {
		fprintf(stderr, "bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	printf("messages %zu bytes %zu\n", msgs, bytes);
	free_msgs(&m);
	return 0;
}

/* ---- pathological input ---- */

struct text {
	char *p;
	size_t n, cap;
};

static void
tput(struct text *t, const char *s, size_t n)
{
	if (t->n + n > t->cap) {
		while (t->n + n > t->cap)
			t->cap = t->cap ? t->cap * 2 : 4096;
		t->p = realloc(t->p, t->cap);
		if (!t->p) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
}

static void
tputs(struct text *t, const char *s)
{
	tput(t, s, strlen(s));
}

static void
tfill(struct text *t, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tput(t, &c, 1);
}

static const char head[] =
	"From: Mail Delivery System <MAILER-DAEMON@example.org>\n"
	"To: sender@example.jp\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"Date: Thu, 1 Jan 2026 00:00:00 +0000\n";

/* Megabytes of one byte ('a', no line end): the worst for searches that
 * stop at every candidate of a needle's first byte. */
static void
gen_repeat(struct text *t, size_t size)
{
	tputs(t, head);
	tputs(t, "\n");
	tfill(t, 'a', size);
}

/* One line of `size` bytes of words, inside a DSN Diagnostic-Code. */
static void
gen_long_line(struct text *t, size_t size)
{
	tputs(t, head);
	tputs(t, "Content-Type: multipart/report; report-type=delivery-status;"
		 " boundary=\"B\"\n\n--B\n\nYour message could not be delivered.\n"
		 "--B\nContent-Type: message/delivery-status\n\n"
		 "Reporting-MTA: dns; mx.example.org\n\n"
		 "Final-Recipient: rfc822; kijitora@example.com\n"
		 "Action: failed\nStatus: 5.1.1\n"
		 "Diagnostic-Code: smtp; 550 5.1.1 user unknown ");
	static const char words[] = "mailbox unavailable 550 5.1.1 ";
	for (size_t n = 0; n < size; n += sizeof(words) - 1)
		tput(t, words, sizeof(words) - 1);
	tputs(t, "\n\n--B--\n");
}

/* A DSN for as many recipients as fit in size (each its own group). */
static void
gen_recipients(struct text *t, size_t size)
{
	tputs(t, head);
	tputs(t, "Content-Type: multipart/report; report-type=delivery-status;"
		 " boundary=\"B\"\n\n--B\n\nDelivery failed for many.\n"
		 "--B\nContent-Type: message/delivery-status\n\n"
		 "Reporting-MTA: dns; mx.example.org\n");
	char g[200];
	for (unsigned i = 0; t->n < size; i++) {
		int k = snprintf(g, sizeof(g),
				 "\nFinal-Recipient: rfc822; user%u@example.com\n"
				 "Action: failed\nStatus: 5.1.1\n"
				 "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n", i);
		tput(t, g, (size_t)k);
	}
	tputs(t, "\n--B--\n");
}

/* multipart/mixed inside multipart/mixed ... as deep as size allows
 * (past the depth limit the walk stops; the bytes are still there). */
static void
gen_nesting(struct text *t, size_t size)
{
	char b[128];
	tputs(t, head);
	size_t depth = size / 128;
	for (size_t i = 0; i < depth; i++) {
		snprintf(b, sizeof(b), "Content-Type: multipart/mixed; boundary=\"b%zu\"\n\n"
			 "--b%zu\n", i, i);
		tputs(t, b);
	}
	tputs(t, "Content-Type: text/plain\n\n550 5.1.1 <kijitora@example.com>: user unknown\n");
	for (size_t i = depth; i-- > 0;) {
		snprintf(b, sizeof(b), "--b%zu--\n", i);
		tputs(t, b);
	}
}

/* Ten thousand header fields and more: a long Received: trail. */
static void
gen_headers(struct text *t, size_t size)
{
	tputs(t, head);
	while (t->n < size)
		tputs(t, "Received: from mx.example.net (mx.example.net [192.0.2.1])"
			 " by mx.example.org with ESMTP id 1234; Thu, 1 Jan 2026\n");
	tputs(t, "\nThis is the mail system at host mx.example.org.\n\n"
		 "<kijitora@example.com>: host mx.example.com said: 550 5.1.1"
		 " user unknown (in reply to RCPT TO command)\n");
}

static const struct {
	const char *name;
	void (*gen)(struct text *, size_t);
	size_t size;	/* the small size; the large is four times it */
} patho[] = {
	{ "one repeated byte", gen_repeat, 2u << 20 },
	{ "one long line", gen_long_line, 2u << 20 },
	{ "many recipients", gen_recipients, 256u << 10 },
	{ "deep MIME nesting", gen_nesting, 256u << 10 },
	{ "many header fields", gen_headers, 256u << 10 },
};

static double
mb_per_s(struct bk_parser *p, const struct text *t, double seconds,
	 size_t *recs)
{
	struct msgs m = { 0 };
	struct msg one = { t->p, t->n };
	m.v = &one;
	m.n = 1;
	m.bytes = t->n;
	size_t rounds;
	double el = run_rounds(p, &m, seconds, NULL, &rounds, recs);
	*recs /= rounds;
	return (double)t->n * (double)rounds / 1e6 / el;
}

static int
pathological(double seconds)
{
	struct bk_parser *p = parser();
	printf("%-20s %10s %9s %10s %9s %8s\n", "case", "size", "MB/s",
	       "size x4", "MB/s", "records");
	for (size_t i = 0; i < sizeof(patho) / sizeof(patho[0]); i++) {
		struct text a = { 0 }, b = { 0 };
		patho[i].gen(&a, patho[i].size);
		patho[i].gen(&b, patho[i].size * 4);
		size_t ra, rb;
		double sa = mb_per_s(p, &a, seconds, &ra);
		double sb = mb_per_s(p, &b, seconds, &rb);
		printf("%-20s %8.1fMB %9.1f %8.1fMB %9.1f %8zu\n", patho[i].name,
		       (double)a.n / 1e6, sa, (double)b.n / 1e6, sb, rb);
		free(a.p);
		free(b.p);
	}
	printf("peak RSS        %.1f MB\n", peak_rss_mb(RUSAGE_SELF));
	bk_parser_free(p);
	return 0;
}

/* ---- a command, timed ---- */

struct run {
	double wall, first;
	size_t out;
};

static struct run
run_once(char **argv)
{
	struct run r = { 0, 0, 0 };
	int fd[2];
	if (pipe(fd) < 0) {
		perror("bench: pipe");
		exit(1);
	}
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench: fork");
		exit(1);
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		perror("bench: exec");
		_exit(127);
	}
	close(fd[1]);
	/* the output is moved from the pipe into /dev/null by splice(2),
	 * without a copy, so that this reader takes as little of the CPUs
	 * as it can from the command it measures (with two threads on two
	 * cores, a reader copying 200 MB is a third thread); read(2) where
	 * splice is not there */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	bool spl = null >= 0;
	char buf[1 << 16];
	for (;;) {
		ssize_t k;
#ifdef SPLICE_F_MOVE
		if (spl) {
			k = splice(fd[0], NULL, null, NULL, 1 << 20, SPLICE_F_MOVE);
			if (k < 0 && errno == EINVAL) {
				spl = false;
				continue;
			}
		} else
#endif
			k = read(fd[0], buf, sizeof(buf));
		if (k == 0)
			break;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		if (!r.out)
			r.first = now() - t0;
		r.out += (size_t)k;
	}
	if (null >= 0)
		close(null);
	close(fd[0]);
	int st;
	waitpid(pid, &st, 0);
	r.wall = now() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
		fprintf(stderr, "bench: %s exited with status %d\n", argv[0],
			WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return r;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int
command(char **argv, int runs, double msgs, double bytes)
{
	double *wall = xmalloc((size_t)runs * sizeof(*wall));
	struct run last = { 0, 0, 0 };
	for (int i = 0; i < runs; i++) {
		last = run_once(argv);
		wall[i] = last.wall;
	}
	qsort(wall, (size_t)runs, sizeof(*wall), cmp_double);
	double med = wall[runs / 2];
	printf("wall            %.3f s (median of %d)\n", med, runs);
	if (msgs > 0 && bytes > 0) {
		printf("emails/s        %.0f\n", msgs / med);
		printf("MB/s            %.1f\n", bytes / 1e6 / med);
	}
	printf("output          %.1f MB, the first byte after %.3f s\n",
	       (double)last.out / 1e6, last.first);
	printf("peak RSS        %.1f MB (the command)\n",
	       peak_rss_mb(RUSAGE_CHILDREN));
	free(wall);
	return 0;
}

static int
usage(void)
{
	fprintf(stderr,
		"usage: bench [-t SECONDS] [-w] PATH...\n"
		"       bench -S PATH...\n"
		"       bench -P [-t SECONDS]\n"
		"       bench -G MB -o FILE PATH...\n"
		"       bench -x [-n RUNS] [-M MESSAGES] [-B BYTES] -- COMMAND...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	double seconds = 3, mb = 0, msgs = 0, bytes = 0;
	bool write = false, stream = false, patho_ = false, exec_ = false;
	const char *out = NULL;
	int c, runs = 1;
	while ((c = getopt(argc, argv, "t:wSPG:o:xn:M:B:")) != -1) {
		switch (c) {
		case 't': seconds = atof(optarg); break;
		case 'w': write = true; break;
		case 'S': stream = true; break;
		case 'P': patho_ = true; break;
		case 'G': mb = atof(optarg); break;
		case 'o': out = optarg; break;
		case 'x': exec_ = true; break;
		case 'n': runs = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
		case 'M': msgs = atof(optarg); break;
		case 'B': bytes = atof(optarg); break;
		default: return usage();
		}
	}
	char **rest = argv + optind;
	int nrest = argc - optind;
	if (exec_)
		return nrest ? command(rest, runs, msgs, bytes) : usage();
	if (patho_)
		return pathological(seconds);
	if (!nrest)
		return usage();
	if (mb > 0)
		return out ? make_mbox(rest, nrest, mb, out) : usage();
	if (stream)
		return streaming(rest, nrest);
	return in_memory(rest, nrest, seconds, write);
}
