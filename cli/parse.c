/* SPDX-License-Identifier: BSD-2-Clause */
/* parse.c - `bouncekit parse`: decode files, mboxes, Maildirs, directories
 * and standard input; write records as JSON, NDJSON, YAML or CSV.  A
 * problem with one input is reported on stderr with its path and the batch
 * goes on; the exit status says whether everything was read. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pool.h"
#include "progress.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit parse [OPTIONS] PATH...\n"
"\n"
"Decode bounce messages into one record per failed recipient.  PATH is a\n"
"message file, an mbox, a Maildir, a directory of message files, or - for\n"
"standard input (one message or an mbox).  A file that starts with '{' or\n"
"'[' is read as an email service provider's event payload (Amazon SES,\n"
"SendGrid, Mailgun, Postmark, SparkPost; docs/webhooks.md).\n"
"\n"
"options:\n"
"  --delivered          also emit records of successful deliveries (2.x)\n"
"  --vacation           also emit records of auto-replies\n"
"  --explain            add to each record why it has its reason: an\n"
"                       \"explain\" object (JSON, NDJSON, YAML; docs/record.md)\n"
"  -f, --format FMT     json (default: one array), ndjson, yaml or csv\n"
"  -r, --recursive      descend into sub-directories of plain directories\n"
"  -j, --jobs N         decode with N threads (output keeps the input order)\n"
"  -q, --quiet          errors only: no progress, warnings or summary\n"
"  -v, --verbose        print each message's warnings (truncated MIME\n"
"                       structure, unknown charset, a limit reached);\n"
"                       without it they are counted and summarised\n"
"  --summary            print the end-of-run summary (messages, records,\n"
"                       records per reason, inputs skipped, warnings by\n"
"                       kind) even when stderr is not a terminal\n"
"  --max-size N         largest message, bytes (K, M, G suffixes; 64M)\n"
"  --max-header-size N  largest header block (1M)\n"
"  --max-headers N      most header fields in a block (10000)\n"
"  --max-line N         longest line; longer ones are cut (1M)\n"
"  --max-depth N        deepest MIME nesting (64)\n"
"  --max-parts N        most MIME parts in a message (10000)\n"
"  --max-decoded N      most decoded text per message (64M)\n"
"  --max-recipients N   most records per message (10000)\n"
"  -h, --help           this help\n"
"\n"
"On a terminal, a progress line and a summary are shown on stderr.\n"
"\n"
"exit status: 0 everything was read (an empty file is only a warning);\n"
"1 some input could not be read or was skipped (each one reported on\n"
"stderr); 2 usage error; 3 the output could not be written or memory ran\n"
"out.\n");
}

enum {
	OPT_DELIVERED = 256, OPT_VACATION, OPT_EXPLAIN, OPT_MAX_SIZE, OPT_MAX_HEADER_SIZE,
	OPT_MAX_HEADERS, OPT_MAX_LINE, OPT_MAX_DEPTH, OPT_MAX_PARTS,
	OPT_MAX_DECODED, OPT_MAX_RECIPIENTS, OPT_SUMMARY,
};

static const struct option longopts[] = {
	{ "delivered", no_argument, NULL, OPT_DELIVERED },
	{ "vacation", no_argument, NULL, OPT_VACATION },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "format", required_argument, NULL, 'f' },
	{ "recursive", no_argument, NULL, 'r' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "max-header-size", required_argument, NULL, OPT_MAX_HEADER_SIZE },
	{ "max-headers", required_argument, NULL, OPT_MAX_HEADERS },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-parts", required_argument, NULL, OPT_MAX_PARTS },
	{ "max-decoded", required_argument, NULL, OPT_MAX_DECODED },
	{ "max-recipients", required_argument, NULL, OPT_MAX_RECIPIENTS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "64M" -> 67108864; false when not a positive size. */
static bool
parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || v == 0)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || v > (SIZE_MAX >> shift))
		return false;
	*out = (size_t)(v << shift);
	return true;
}

static bool
parse_count(const char *s, unsigned *out)
{
	size_t v;
	if (!parse_size(s, &v) || v > 100000000)
		return false;
	*out = (unsigned)v;
	return true;
}

static void
run_path(struct pool *pool, const char *path, const struct bk_source_opts *so)
{
	struct bk_source *src;
	struct bk_err err = { 0, "" };
	struct bk_input in;

	if (bk_source_open(&src, path, so, &err) < 0) {
		pool_error(pool, err.msg, err.code == BK_ENOMEM, true);
		return;
	}
	while (!pool_fatal(pool)) {
		int rc = bk_source_next(src, &in, &err);
		if (rc == 0)
			break;
		if (rc > 0) {
			pool_submit(pool, &in);
			continue;
		}
		/* one item could not be read: say so, go on */
		pool_error(pool, err.msg, rc == BK_ENOMEM, rc != BK_EEMPTY);
		if (rc == BK_ENOMEM)
			break;
	}
	bk_source_close(src);
}

/* Output into a pipe: make the pipe hold 1 MiB (Linux gives 64 KiB) where
 * the system allows it, so that the decoder writes on while the reader
 * waits for a CPU instead of stopping at every write for it to drain. */
static void
widen_output_pipe(void)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    fcntl(STDOUT_FILENO, F_GETPIPE_SZ) < (1 << 20))
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
#endif
}

int
cmd_parse(int argc, char **argv)
{
	struct bk_options opt;
	struct bk_source_opts so = { false, 0 };
	enum bk_format fmt = BK_FMT_JSON;
	bool partial = false, fatal = false, explain = false;
	unsigned jobs = 1, pflags = 0;
	int c;

	bk_options_init(&opt);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:j:rqvh", longopts, NULL)) != -1) {
		bool ok = true;
		const char *want = "a positive number";
		switch (c) {
		case OPT_DELIVERED: opt.delivered = true; break;
		case OPT_VACATION: opt.vacation = true; break;
		case OPT_EXPLAIN: explain = true; break;
		case 'f':
			if (bk_format_parse(optarg, &fmt) == 0)
				break;
			return opt_bad_value("parse", "format",
					     "unknown format '%s' (json, ndjson, "
					     "yaml, csv)", optarg);
		case 'r': so.recursive = true; break;
		case 'q': pflags |= PROGRESS_QUIET; break;
		case 'v': pflags |= PROGRESS_VERBOSE; break;
		case OPT_SUMMARY: pflags |= PROGRESS_SUMMARY; break;
		case 'j':
			ok = parse_count(optarg, &jobs) && jobs <= 256;
			want = "a number of threads, 1 to 256";
			break;
		case OPT_MAX_SIZE: ok = parse_size(optarg, &opt.limits.message_size); break;
		case OPT_MAX_HEADER_SIZE: ok = parse_size(optarg, &opt.limits.header_size); break;
		case OPT_MAX_HEADERS: ok = parse_count(optarg, &opt.limits.header_count); break;
		case OPT_MAX_LINE: ok = parse_size(optarg, &opt.limits.line_length); break;
		case OPT_MAX_DEPTH: ok = parse_count(optarg, &opt.limits.mime_depth); break;
		case OPT_MAX_PARTS: ok = parse_count(optarg, &opt.limits.mime_parts); break;
		case OPT_MAX_DECODED: ok = parse_size(optarg, &opt.limits.decoded_size); break;
		case OPT_MAX_RECIPIENTS: ok = parse_count(optarg, &opt.limits.recipients); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return opt_error("parse", c, argc, argv, longopts);
		}
		if (!ok) {
			if (c >= OPT_MAX_SIZE && c <= OPT_MAX_RECIPIENTS &&
			    c != OPT_MAX_HEADERS && c != OPT_MAX_DEPTH &&
			    c != OPT_MAX_PARTS && c != OPT_MAX_RECIPIENTS)
				want = "a positive size in bytes, with K, M or G";
			return opt_bad_value("parse", opt_name(longopts, c),
					     "bad value '%s' (%s)", optarg, want);
		}
	}
	if (optind >= argc)
		return usage_error("parse", "no PATH to read (- for standard input)");
	so.max_message = opt.limits.message_size;
	widen_output_pipe();

	struct bk_writer *w = bk_writer_new(fmt, write_stdout, NULL);
	struct progress *pr = w ? progress_new("parse", pflags) : NULL;
	struct pool *pool = pr ? pool_new(jobs, &opt, explain, fmt, w, pr)
			       : NULL;
	if (!pool) {
		warnx_("out of memory");
		progress_finish(pr);
		bk_writer_free(w);
		return EXIT_FATAL;
	}
	if (!(pflags & PROGRESS_QUIET))
		hint_subdirs("parse", argv + optind, argc - optind, so.recursive);
	for (int i = optind; i < argc && !pool_fatal(pool); i++)
		run_path(pool, argv[i], &so);
	pool_finish(pool, &partial, &fatal);
	if (!fatal && bk_writer_finish(w) < 0)
		fatal = true;
	if (fatal)
		warnx_("cannot write output: %s", strerror(errno ? errno : EIO));
	progress_finish(pr);
	bk_writer_free(w);
	return fatal ? EXIT_FATAL : partial ? EXIT_PARTIAL : EXIT_OK;
}
