/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - `bouncekit COMMAND ...`: dispatch through a table. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "parse", "decode bounce messages into records", cmd_parse },
	{ "classify", "classify an SMTP reply or diagnostic text", cmd_classify },
	{ "reasons", "list the reasons, their meaning, hard or soft", cmd_reasons },
	{ "decoders", "list the decoders and what each handles", cmd_decoders },
	{ "ingest", "decode bounces (or import records) into the store", cmd_ingest },
	{ "query", "the verdict of addresses, with its evidence", cmd_query },
	{ "stats", "store events counted by reason, domain, provider, time", cmd_stats },
	{ "export", "export suppressed addresses or stored events", cmd_export },
	{ "suppress", "suppress an address by hand (audited)", cmd_suppress },
	{ "unsuppress", "lift a suppression (audited)", cmd_unsuppress },
	{ "allow", "never suppress an address or @domain (audited)", cmd_allow },
	{ "prune", "delete old events, keeping address state", cmd_prune },
	{ "db", "init, migrate, check or recompute the store", cmd_db },
	{ "serve", "serve the HTTP API over the store", cmd_serve },
	{ "token", "add, list or revoke the HTTP API's tokens", cmd_token },
	{ "lmtp", "an LMTP server that stores bounces as they arrive", cmd_lmtp },
	{ "watch", "follow Maildirs: store each bounce as it arrives", cmd_watch },
	{ "version", "print the version", cmd_version },
	{ "help", "show this help", cmd_help },
};

/* One write a message (stderr is unbuffered: three calls were three
 * system calls), unless it is longer than a line buffer. */
void
warnx_(const char *fmt, ...)
{
	static const char prefix[] = "bouncekit: ";
	char line[1024];
	size_t k = sizeof(prefix) - 1;
	va_list ap;
	progress_clear_line();
	memcpy(line, prefix, k);
	va_start(ap, fmt);
	int n = vsnprintf(line + k, sizeof(line) - k - 1, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(line) - k - 1) {
		line[k + (size_t)n] = '\n';
		fwrite(line, 1, k + (size_t)n + 1, stderr);
		return;
	}
	fputs(prefix, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
write_stdout(void *ctx, const void *buf, size_t n)
{
	const char *p = buf;
	(void)ctx;
	while (n) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
cmd_help(int argc, char **argv)
{
	/* `help COMMAND`: that command's --help */
	if (argc > 2)
		return usage_error("help", "unexpected argument '%s'", argv[2]);
	if (argc == 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h") &&
	    strcmp(argv[1], "help")) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name) &&
			    commands[i].run != cmd_help) {
				char *sub[] = { argv[1], (char *)"--help", NULL };
				return commands[i].run(2, sub);
			}
		warnx_("help: unknown command '%s'; try 'bouncekit help'",
		       argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: bouncekit COMMAND [OPTIONS] [ARGS]\n\n"
	       "Decode bounce messages (DSNs, NDRs, feedback reports, auto-replies)\n"
	       "into one record per failed recipient, with a reason from a fixed\n"
	       "taxonomy.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n`bouncekit help COMMAND` (or `bouncekit COMMAND --help`) describes\n"
	       "each command; see also bouncekit(1).\n");
	return EXIT_OK;
}

static void
version_usage(FILE *f)
{
	fprintf(f, "usage: bouncekit version\n\nPrint the version.\n");
}

static int
cmd_version(int argc, char **argv)
{
	int rc = argc ? only_help("version", argc, argv, version_usage) : -1;
	if (rc >= 0)
		return rc;
	printf("bouncekit %s\n", BOUNCEKIT_VERSION);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	/* a closed output pipe is reported as an error, not a signal */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(name, "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name)) {
			/* getopt's own messages (a command that leaves opterr
			 * on) start with argv[0]: give them the prefix too */
			char prog[64];
			snprintf(prog, sizeof(prog), "bouncekit: %s", name);
			argv[1] = prog;
			int rc = commands[i].run(argc - 1, argv + 1);
			if (fflush(stdout) != 0 && rc == EXIT_OK) {
				warnx_("cannot write output: %s", strerror(errno));
				rc = EXIT_FATAL;
			}
			return rc;
		}
	warnx_("unknown command '%s'; try 'bouncekit help'", name);
	return EXIT_USAGE;
}
