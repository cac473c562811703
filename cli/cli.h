/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h - the bouncekit command: a table of subcommands, each in its own
 * file, built only on the public API. */
#ifndef BK_CLI_H
#define BK_CLI_H

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

/* Write all of buf to fd 1; 0 or -1 (errno set). */
int write_stdout(void *ctx, const void *buf, size_t n);

#endif
