/* bench.c - throughput of bk_decode over a set of messages held in memory,
 * single-threaded: emails per second, MB per second, peak resident memory.
 *
 * usage: bench [-t SECONDS] [-w] PATH...
 *   -t  run for at least this long (default 3), repeating the set
 *   -w  also serialise every record as NDJSON (into memory)
 * Messages are read with the library's own sources (mbox, Maildir,
 * directories), copied into memory first, so disk speed is not measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"

struct msg {
	char *data;
	size_t len;
};

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sink(void *ctx, const void *buf, size_t n)
{
	(void)buf;
	*(size_t *)ctx += n;
	return 0;
}

int
main(int argc, char **argv)
{
	double seconds = 3;
	bool write = false;
	int c;
	while ((c = getopt(argc, argv, "t:w")) != -1) {
		if (c == 't')
			seconds = atof(optarg);
		else if (c == 'w')
			write = true;
		else
			return 2;
	}
	struct msg *v = NULL;
	size_t n = 0, cap = 0, bytes = 0;
	struct bk_source_opts so = { true, 0 };
	for (int i = optind; i < argc; i++) {
		struct bk_source *s;
		struct bk_input in;
		int rc;
		if (bk_source_open(&s, argv[i], &so, NULL) < 0)
			return 1;
		while ((rc = bk_source_next(s, &in, NULL)) != 0) {
			if (rc < 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				v = realloc(v, cap * sizeof(*v));
			}
			v[n].data = malloc(in.len);
			memcpy(v[n].data, in.data, in.len);
			v[n].len = in.len;
			bytes += in.len;
			n++;
		}
		bk_source_close(s);
	}
	if (!n) {
		fprintf(stderr, "bench: no messages\n");
		return 1;
	}
	struct bk_options o;
	bk_options_init(&o);
	o.delivered = o.vacation = true;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	size_t out = 0;
	struct bk_writer *w = bk_writer_new(BK_FMT_NDJSON, sink, &out);
	size_t done = 0, records = 0, rounds = 0;
	double t0 = now(), t;
	do {
		for (size_t i = 0; i < n; i++) {
			const struct bk_record *r;
			int k = bk_decode(p, v[i].data, v[i].len, "bench", &r, NULL);
			for (int j = 0; write && j < k; j++)
				bk_writer_record(w, &r[j]);
			records += k > 0 ? (size_t)k : 0;
		}
		done += n;
		rounds++;
		t = now() - t0;
	} while (t < seconds);
	bk_writer_finish(w);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("messages        %zu (%.1f MB) x %zu rounds, %zu records a round\n", n,
	       (double)bytes / 1e6, rounds, records / rounds);
	printf("emails/s        %.0f\n", (double)done / t);
	printf("MB/s            %.1f\n", (double)bytes * (double)rounds / 1e6 / t);
	printf("peak RSS        %.1f MB\n", (double)ru.ru_maxrss / 1024);
	bk_writer_free(w);
	bk_parser_free(p);
	for (size_t i = 0; i < n; i++)
		free(v[i].data);
	free(v);
	return 0;
}
