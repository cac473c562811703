/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h - the bouncekit command: a table of subcommands, each in its own
 * file, built only on the public API. */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <signal.h>
#include <stdio.h>

#include "bouncekit/bouncekit.h"

/* Exit statuses (documented in bouncekit(1) and README). */
enum {
	EXIT_OK = 0,		/* everything was read */
	EXIT_PARTIAL = 1,	/* some input could not be read or was skipped */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_FATAL = 3,		/* output failed, out of memory, a store error */
	EXIT_TEMPFAIL = 75,	/* the store is unavailable: retry (EX_TEMPFAIL) */
};

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* Set by SIGTERM and SIGINT once cli_stop_on_signals() ran: the
 * long-running commands (lmtp, watch) finish what they hold and exit. */
extern volatile sig_atomic_t cli_stop;
void cli_stop_on_signals(void);

int cmd_parse(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_reasons(int argc, char **argv);
int cmd_decoders(int argc, char **argv);

/* The store's commands (ingest.c, store_cmd.c). */
int cmd_ingest(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_suppress(int argc, char **argv);
int cmd_unsuppress(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_prune(int argc, char **argv);
/* The HTTP API (serve_cmd.c, server/). */
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
/* Real-time intake (lmtp.c; docs/intake.md). */
int cmd_lmtp(int argc, char **argv);
int cmd_watch(int argc, char **argv);
struct bk_store;
struct bk_policy;
/* intake's reopen (intake/intake.h) for lmtp and watch: the store at url
 * opened again (with pol), the old one closed, *st updated; NULL (the
 * failure logged) when it cannot be (lmtp.c). */
struct store_reopen {
	struct bk_store **st;
	const char *url;
	const struct bk_policy *pol;
};
struct bk_store *store_reopen_cli(void *arg, struct bk_store *old);
/* enum bk_store_rc -> exit status */
int store_exit(int rc);
/* Open a store, reporting a failure; returns 0 or the exit status. */
int store_open_cli(struct bk_store **st, const char *url, unsigned flags,
		   const struct bk_policy *pol);
/* --policy KEY=VALUE ('P') or --policy-file PATH ('F'); -1 reported. */
int policy_option(struct bk_policy *pol, int opt, const char *arg);
/* The defaults, then $BOUNCEKIT_POLICY (a policy file) when set: true
 * when it was (a policy is given, not the store's own). */
bool policy_defaults(struct bk_policy *pol);

/* The options the intake commands lmtp and watch share (ingest.c):
 * --db URL, --policy KEY=VALUE, --policy-file PATH, --verp-delimiters XY.
 * INTAKE_LONGOPTS are their entries of a getopt_long table (with
 * <getopt.h>); intake_opt() takes getopt's code c (and optarg) when it is
 * one of them. */
enum { OPT_INTAKE_DB = 0x1000, OPT_INTAKE_POLICY, OPT_INTAKE_POLICY_FILE,
       OPT_INTAKE_VERP };
#define INTAKE_LONGOPTS \
	{ "db", required_argument, NULL, OPT_INTAKE_DB }, \
	{ "policy", required_argument, NULL, OPT_INTAKE_POLICY }, \
	{ "policy-file", required_argument, NULL, OPT_INTAKE_POLICY_FILE }, \
	{ "verp-delimiters", required_argument, NULL, OPT_INTAKE_VERP }
struct intake_opts {
	const char *url;	/* --db; NULL: the default store */
	const char *verp;	/* "+=" unless given; "": none */
	struct bk_policy *pol;	/* the defaults ($BOUNCEKIT_POLICY), then the options */
	bool given;		/* a policy was given: open the store with it */
};
void intake_opts_init(struct intake_opts *o, struct bk_policy *pol);
/* 1: c was one of them, taken; 0: it was not; -1: a bad value, reported
 * as for cmd (the command then exits with EXIT_USAGE). */
int intake_opt(struct intake_opts *o, const char *cmd, int c, const char *arg);
/* The policy to open the store with: o->pol when given, else NULL (the
 * store's own). */
const struct bk_policy *intake_policy(const struct intake_opts *o);

/* `ingest --pipe`: one message from an MTA on standard input, sysexits
 * (pipe.c). */
struct pipe_opts {
	bool pipe, quiet;
	const char *sender, *verp, *keep;
	const char *rcpts[64];
	size_t nrcpt;
};
int ingest_pipe(const char *url, const struct bk_policy *pol,
		const char *channel, const struct pipe_opts *po);
/* sysexits.h's, for MTAs */
enum { EXIT_DATAERR = 65 };

/* bk_decode(), or for an input that starts with '{' or '[' the records
 * of a provider's event payload (hookin.c, docs/webhooks.md); and the
 * warnings of the last decode in the thread. */
int cli_decode(struct bk_parser *p, const void *data, size_t len, const char *origin,
	       const struct bk_record **recs, struct bk_err *err);
unsigned cli_warnings(const struct bk_parser *p);
/* The provider's class and event key of a record cli_decode() gave in
 * this thread (NULL for a mail message's). */
struct bk_hook_rec;
const struct bk_hook_rec *cli_hook_of(const struct bk_record *r);

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

/* Before the paths are read: each directory among them named without -r
 * that holds sub-directories and no file (not a Maildir: a tree of
 * folders, as a corpus's maildir/) gives nothing; a note on stderr says
 * so and names -r (args.c).  The source's own rules: a Maildir has cur/
 * or new/, names starting with '.' are not read. */
void hint_subdirs(const char *cmd, char **paths, int n, bool recursive);

/* Write all of buf to fd 1; 0 or -1 (errno set). */
int write_stdout(void *ctx, const void *buf, size_t n);

#endif
