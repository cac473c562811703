/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h - the bouncekit command: a table of subcommands, each in its own
 * file, built only on the public API. */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdio.h>

#include "bouncekit/bouncekit.h"

/* Exit statuses (documented in bouncekit(1) and README). */
enum {
	EXIT_OK = 0,		/* everything was read */
	EXIT_PARTIAL = 1,	/* some input could not be read or was skipped */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_FATAL = 3,		/* output failed, out of memory */
};

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_parse(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_reasons(int argc, char **argv);
int cmd_decoders(int argc, char **argv);

/* Messages for people, on stderr, prefixed "bouncekit: ". */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Command-line errors (args.c), each "bouncekit: CMD: ..." and returning
 * EXIT_USAGE.  Parse with opterr = 0 and an optstring starting with ':',
 * and hand any '?' or ':' to opt_error(). */
struct option;
const char *opt_name(const struct option *opts, int c);
int opt_error(const char *cmd, int c, int argc, char **argv,
	      const struct option *opts);
int opt_bad_value(const char *cmd, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A command that takes no argument but --help: -1 to go on, else the exit
 * status (usage printed, or an error). */
int only_help(const char *cmd, int argc, char **argv, void (*usage)(FILE *));

/* Write all of buf to fd 1; 0 or -1 (errno set). */
int write_stdout(void *ctx, const void *buf, size_t n);

#endif
