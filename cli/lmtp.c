/* SPDX-License-Identifier: BSD-2-Clause */
/* lmtp.c - `bouncekit lmtp --listen unix:PATH | HOST:PORT`: the LMTP
 * server of intake/lmtp.h in front of the store; each message's events
 * are committed before its recipients get 250. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "intake/intake.h"
#include "intake/lmtp.h"
#include "store/store.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit lmtp --listen unix:PATH|HOST:PORT [OPTIONS]\n"
"\n"
"An LMTP server (RFC 2033) for the MTA to deliver bounces to: each message is\n"
"decoded and its events committed to the store before each recipient gets\n"
"250; store trouble gives 451 4.3.0, so the MTA keeps the message and\n"
"retries.  Extensions: PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME, SIZE.\n"
"Several sessions at once (one thread, poll).  Stops on SIGTERM or SIGINT.\n"
"\n"
"options:\n"
"  --listen ADDR        unix:PATH (a stale socket there is replaced), or\n"
"                       HOST:PORT ([::1]:24; port 0 picks a free one)\n"
"  --db URL             the store (default $BOUNCEKIT_DB, else bouncekit.db)\n"
"  --policy KEY=VALUE, --policy-file PATH   as for ingest\n"
"  --verp-delimiters XY VERP in the recipients (default +=, '' for none);\n"
"                       see bouncekit ingest --help\n"
"  --keep-unparsed DIR  keep messages that gave no decoded record in DIR\n"
"  --hostname NAME      in the greeting (default: this host's name)\n"
"  --socket-mode MODE   the Unix socket's permissions, octal (0666 lets\n"
"                       any local MTA user connect; default: the umask's)\n"
"  --max-line N         bytes of a line with its CRLF (4096): a longer\n"
"                       command gets 500 5.5.0, a message with one 552 5.3.4\n"
"  --max-size N         bytes of a message (64 MiB): 552 5.3.4\n"
"  --max-recipients N   per transaction (100): more get 452 4.5.3\n"
"  --idle-timeout SECS  idle time before 421 4.4.2 and close (300; a\n"
"                       fraction is allowed)\n"
"  --max-sessions N     connections at once (64): more get 421 4.3.2\n"
"  -q, --quiet          no log of sessions and messages on stderr\n"
"  -h, --help           this help\n"
"\n"
"exit status: 0 stopped by a signal; 2 usage error; 3 cannot listen or a\n"
"store error; 75 the store is unavailable at start.\n");
}

enum { OPT_LISTEN = 256, OPT_KEEP, OPT_HOST, OPT_LINE, OPT_SIZE, OPT_RCPT, OPT_IDLE,
	OPT_SESS, OPT_MODE };

static const struct option longopts[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	INTAKE_LONGOPTS,
	{ "keep-unparsed", required_argument, NULL, OPT_KEEP },
	{ "hostname", required_argument, NULL, OPT_HOST },
	{ "max-line", required_argument, NULL, OPT_LINE },
	{ "max-size", required_argument, NULL, OPT_SIZE },
	{ "max-recipients", required_argument, NULL, OPT_RCPT },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "max-sessions", required_argument, NULL, OPT_SESS },
	{ "socket-mode", required_argument, NULL, OPT_MODE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};


static void
log_line(void *arg, const char *line)
{
	(void)arg;
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	fprintf(stderr, "%s lmtp: %s\n", ts, line);
}

static bool
num(const char *arg, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (*arg == '-' || end == arg || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

struct bk_store *
store_reopen_cli(void *arg, struct bk_store *old)
{
	struct store_reopen *r = arg;
	struct bk_store *st;
	struct bk_store_err err = { 0, "" };
	if (bk_store_open(&st, r->url, BK_STORE_OPEN_MIGRATE, r->pol, &err) < 0) {
		warnx_("the store, opened again after a failure: %s", err.msg);
		return NULL;
	}
	bk_store_close(old);
	*r->st = st;
	return st;
}

int
cmd_lmtp(int argc, char **argv)
{
	const char *listen_on = NULL, *keep = NULL;
	char host[256] = "localhost";
	gethostname(host, sizeof(host) - 1);
	struct lmtp_conf conf = { host, 4096, 0, 100, 300000, 64, 10, &cli_stop, log_line, NULL };
	struct bk_options bo;
	bk_options_init(&bo);
	conf.max_size = bo.limits.message_size;
	struct bk_policy pol;
	struct intake_opts io;
	intake_opts_init(&io, &pol);
	int c, mode = -1;
	unsigned long long v;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		int taken = intake_opt(&io, "lmtp", c, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (c) {
		case OPT_LISTEN: listen_on = optarg; break;
		case OPT_KEEP: keep = optarg; break;
		case OPT_HOST:
			if (!*optarg || strlen(optarg) >= sizeof(host) || strpbrk(optarg, " \r\n"))
				return opt_bad_value("lmtp", "--hostname", "a host name");
			snprintf(host, sizeof(host), "%s", optarg);
			break;
		case OPT_LINE:
			if (!num(optarg, 512, 1u << 24, &v))
				return opt_bad_value("lmtp", "--max-line", "512 to 16777216 bytes");
			conf.max_line = (size_t)v;
			break;
		case OPT_SIZE:
			if (!num(optarg, 1024, bo.limits.message_size, &v))
				return opt_bad_value("lmtp", "--max-size", "1024 to %zu bytes",
						     bo.limits.message_size);
			conf.max_size = (size_t)v;
			break;
		case OPT_RCPT:
			if (!num(optarg, 1, 100000, &v))
				return opt_bad_value("lmtp", "--max-recipients", "1 to 100000");
			conf.max_rcpt = (unsigned)v;
			break;
		case OPT_IDLE: {
			char *end;
			double d = strtod(optarg, &end);
			if (end == optarg || *end || !(d >= 0.01 && d <= 86400))
				return opt_bad_value("lmtp", "--idle-timeout", "0.01 to 86400 seconds");
			conf.idle_ms = (unsigned)(d * 1000);
			break;
		}
		case OPT_SESS:
			if (!num(optarg, 1, 10000, &v))
				return opt_bad_value("lmtp", "--max-sessions", "1 to 10000");
			conf.max_sessions = (unsigned)v;
			break;
		case OPT_MODE: {
			char *end;
			unsigned long m = strtoul(optarg, &end, 8);
			if (end == optarg || *end || m > 0777)
				return opt_bad_value("lmtp", "--socket-mode", "an octal mode (0660)");
			mode = (int)m;
			break;
		}
		case 'q': conf.log = NULL; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return opt_error("lmtp", c, argc, argv, longopts);
		}
	}
	if (optind < argc)
		return usage_error("lmtp", "unexpected argument '%s'", argv[optind]);
	if (!listen_on)
		return usage_error("lmtp", "--listen unix:PATH or HOST:PORT is required");
	struct bk_store *st;
	int rc = store_open_cli(&st, io.url, BK_STORE_OPEN_MIGRATE, intake_policy(&io));
	if (rc)
		return rc;
	struct store_reopen ro = { &st, io.url, intake_policy(&io) };
	struct intake_conf ic = { "lmtp", keep, io.verp, conf.max_size, store_reopen_cli, &ro };
	char err[512], bound[300];
	struct intake *in = intake_new(st, &ic, err, sizeof(err));
	if (!in) {
		warnx_("lmtp: %s", err);
		bk_store_close(st);
		return EXIT_FATAL;
	}
	int lfd = lmtp_listen(listen_on, bound, sizeof(bound), err, sizeof(err));
	if (lfd < 0) {
		warnx_("lmtp: cannot listen on %s", err);
		intake_free(in);
		bk_store_close(st);
		return EXIT_FATAL;
	}
	if (mode >= 0 && !strncmp(bound, "unix:", 5) && chmod(bound + 5, (mode_t)mode) != 0) {
		warnx_("lmtp: %s: %s", bound + 5, strerror(errno));
		close(lfd);
		intake_free(in);
		bk_store_close(st);
		return EXIT_FATAL;
	}
	cli_stop_on_signals();
	if (conf.log)
		fprintf(stderr, "bouncekit: lmtp: listening on %s (store %s)\n", bound,
			bk_store_driver_name(st));
	rc = lmtp_serve(lfd, &conf, in, err, sizeof(err));
	if (rc < 0)
		warnx_("lmtp: %s", err);
	close(lfd);
	if (!strncmp(listen_on, "unix:", 5))
		unlink(listen_on + 5);
	intake_free(in);
	bk_store_close(st);
	return rc < 0 ? EXIT_FATAL : EXIT_OK;
}
