/* SPDX-License-Identifier: BSD-2-Clause */
/* args.c - command-line errors in one form for every command:
 * "bouncekit: CMD: OPTION: what is wrong", exit status 2.  Commands call
 * getopt_long() with opterr = 0 and an optstring that starts with ':'. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

const char *
opt_name(const struct option *opts, int c)
{
	for (const struct option *o = opts; o && o->name; o++)
		if (o->val == c && !o->flag)
			return o->name;
	return NULL;
}

/* Is the option getopt just refused the short option c?  True when the
 * argument it came from is a cluster of short options holding it. */
static bool
was_short(int argc, char **argv, int c)
{
	for (int i = optind - 1; i <= optind && i < argc; i++) {
		const char *a = i > 0 ? argv[i] : NULL;
		if (a && a[0] == '-' && a[1] && a[1] != '-' && strchr(a + 1, c))
			return true;
	}
	return false;
}

int
opt_error(const char *cmd, int c, int argc, char **argv,
	  const struct option *opts)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	const char *name = optopt ? opt_name(opts, optopt) : NULL;
	bool shrt = optopt > 0 && optopt < 256 && was_short(argc, argv, optopt);
	if (c == ':') {
		if (shrt)
			warnx_("%s: -%c: needs a value", cmd, optopt);
		else
			warnx_("%s: --%s: needs a value", cmd,
			       name ? name : arg + strspn(arg, "-"));
	} else if (shrt) {
		warnx_("%s: -%c: unknown option", cmd, optopt);
	} else if (name) {
		warnx_("%s: --%s: takes no value", cmd, name);
	} else {
		int n = (int)strcspn(arg, "=");
		warnx_("%s: %.*s: unknown option (or ambiguous)", cmd, n, arg);
	}
	warnx_("%s: try 'bouncekit help %s'", cmd, cmd);
	return EXIT_USAGE;
}

int
opt_bad_value(const char *cmd, const char *option, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* "--db" or "db": "--db" either way (most callers give the dashes) */
	while (*option == '-')
		option++;
	warnx_("%s: --%s: %s", cmd, option, why);
	return EXIT_USAGE;
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	warnx_("%s: %s", cmd, why);
	warnx_("%s: try 'bouncekit help %s'", cmd, cmd);
	return EXIT_USAGE;
}

int
only_help(const char *cmd, int argc, char **argv, void (*usage)(FILE *))
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		return opt_error(cmd, c, argc, argv, opts);
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

volatile sig_atomic_t cli_stop;

static void
on_stop_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

void
cli_stop_on_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static void
hint_subdir(const char *cmd, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return;
	DIR *d = opendir(path);
	if (!d)
		return;		/* the source says why */
	unsigned dirs = 0, files = 0;
	bool maildir = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!strcmp(e->d_name, "cur") || !strcmp(e->d_name, "new"))
			maildir = true;
		bool dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK)
			dir = fstatat(dirfd(d), e->d_name, &sb, 0) == 0 && S_ISDIR(sb.st_mode);
		dir ? dirs++ : files++;
	}
	closedir(d);
	if (!maildir && !files && dirs)
		warnx_("%s: %s: no file in it, %u sub-director%s not read (-r reads them)",
		       cmd, path, dirs, dirs == 1 ? "y" : "ies");
}

void
hint_subdirs(const char *cmd, char **paths, int n, bool recursive)
{
	for (int i = 0; !recursive && i < n; i++)
		hint_subdir(cmd, paths[i]);
}
