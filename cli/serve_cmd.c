/* SPDX-License-Identifier: BSD-2-Clause */
/* serve_cmd.c - `bouncekit serve` (the HTTP API, server/) and
 * `bouncekit token add|list|revoke` (its bearer tokens, kept hashed in
 * the store).  See docs/api.md and bouncekit(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "server/server.h"
#include "store/store.h"

enum { O_LISTEN = 256, O_DB, O_THREADS, O_MAXCONN, O_TIMEOUT, O_MAXBODY,
       O_SCOPE, O_HELP, O_WEBHOOKS, O_METRICS_OPEN, O_RATE, O_BURST, O_ROUTES };

static void
serve_usage(FILE *f)
{
	fprintf(f,
		"usage: bouncekit serve [--listen ADDR] [--db URL] [OPTIONS]\n\n"
		"Serve the HTTP API over the store (docs/api.md): GET /healthz,\n"
		"GET /v1/addresses/ADDRESS, POST /v1/check, POST /v1/messages[?store=1],\n"
		"GET /v1/stats?by=..., GET /v1/events, GET /v1/suppressions[?format=csv|ndjson],\n"
		"PUT and DELETE /v1/suppressions/ADDRESS, POST /v1/suppressions/import,\n"
		"GET /metrics (Prometheus); docs/openapi.yaml describes them all.\n"
		"Calls under /v1 need a bearer token (bouncekit token add), or the session\n"
		"cookie of the web dashboard served at / (sign in with a token;\n"
		"docs/dashboard.md).\n"
		"One line per request on stderr; stops on SIGINT or SIGTERM.\n\n"
		"  --listen ADDR         IPV4:PORT, [IPV6]:PORT or unix:PATH (127.0.0.1:8025;\n"
		"                        port 0: any free port, printed on stderr)\n"
		"  --db URL              the store ($BOUNCEKIT_DB, else bouncekit.db)\n"
		"  --threads N           worker threads (one a core)\n"
		"  --max-connections N   open connections at once (64)\n"
		"  --timeout SECONDS     a connection idle this long, or a request not\n"
		"                        received whole in this time, is closed (30)\n"
		"  --max-body BYTES      largest request body (1048576): else 413\n"
		"  --rate-limit N        requests a second per token (0: no limit): else 429\n"
		"  --rate-burst N        requests a token may make at once (twice the rate)\n"
		"  --metrics-open        GET /metrics without a token (for a scraper on loopback)\n"
		"  --routes              print the routes (METHOD PATH SCOPE) and exit\n"
		"  --webhooks FILE       the providers' webhooks, POST /v1/webhooks/{ses,\n"
		"                        sendgrid,mailgun,postmark,sparkpost}: their keys\n"
		"                        (KEY = VALUE lines: ses.topic, ses.auto_confirm,\n"
		"                        ses.ca_file, ses.connect_to, sendgrid.public_key,\n"
		"                        mailgun.signing_key, mailgun.window,\n"
		"                        postmark.user/.password/.token, sparkpost.user/\n"
		"                        .password/.token; docs/webhooks.md).  Without it,\n"
		"                        or without a provider's keys, its endpoint refuses\n");
}

static bool
num(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || v < lo || v > hi || s[0] == '-')
		return false;
	*out = v;
	return true;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "db", required_argument, NULL, O_DB },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "max-connections", required_argument, NULL, O_MAXCONN },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "max-body", required_argument, NULL, O_MAXBODY },
		{ "metrics-open", no_argument, NULL, O_METRICS_OPEN },
		{ "routes", no_argument, NULL, O_ROUTES },
		{ "rate-limit", required_argument, NULL, O_RATE },
		{ "rate-burst", required_argument, NULL, O_BURST },
		{ "webhooks", required_argument, NULL, O_WEBHOOKS },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct bk_server_conf conf;
	bk_server_conf_init(&conf);
	int c;
	unsigned long v;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:
			conf.listen = optarg;
			break;
		case O_DB:
			conf.db = optarg;
			break;
		case O_THREADS:
			if (!num(optarg, 1, 256, &v))
				return opt_bad_value("serve", "--threads", "1 to 256");
			conf.threads = (unsigned)v;
			break;
		case O_MAXCONN:
			if (!num(optarg, 1, 100000, &v))
				return opt_bad_value("serve", "--max-connections", "1 to 100000");
			conf.max_connections = (unsigned)v;
			break;
		case O_TIMEOUT:
			if (!num(optarg, 1, 86400, &v))
				return opt_bad_value("serve", "--timeout", "1 to 86400 seconds");
			conf.timeout = (unsigned)v;
			break;
		case O_MAXBODY:
			if (!num(optarg, 1, 1UL << 30, &v))
				return opt_bad_value("serve", "--max-body", "1 to 1073741824 bytes");
			conf.max_body = v;
			break;
		case O_WEBHOOKS:
			conf.webhooks = optarg;
			break;
		case O_ROUTES:
			bk_server_print_routes(stdout);
			return EXIT_OK;
		case O_METRICS_OPEN:
			conf.metrics_open = true;
			break;
		case O_RATE:
			if (!num(optarg, 0, 1000000, &v))
				return opt_bad_value("serve", "--rate-limit", "0 to 1000000 a second");
			conf.rate_limit = (double)v;
			break;
		case O_BURST:
			if (!num(optarg, 1, 10000000, &v))
				return opt_bad_value("serve", "--rate-burst", "1 to 10000000");
			conf.rate_burst = (double)v;
			break;
		case 'h':
		case O_HELP:
			serve_usage(stdout);
			return EXIT_OK;
		default:
			return opt_error("serve", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return usage_error("serve", "unexpected argument '%s'", argv[optind]);
	char err[600];
	if (bk_server_run(&conf, err, sizeof(err)) < 0) {
		warnx_("serve: %s", err);
		return EXIT_FATAL;
	}
	return EXIT_OK;
}

static void
token_usage(FILE *f)
{
	fprintf(f,
		"usage: bouncekit token add NAME [--scope read|write] [--db URL]\n"
		"       bouncekit token list [--db URL]\n"
		"       bouncekit token revoke NAME [--db URL]\n\n"
		"Manage the HTTP API's bearer tokens (bouncekit serve, docs/api.md).\n"
		"add prints the new token once, on stdout: the store keeps only its\n"
		"SHA-256.  A read token may query; storing a message needs write.\n\n"
		"  --scope read|write    the token's rights (read)\n"
		"  --db URL              the store ($BOUNCEKIT_DB, else bouncekit.db)\n");
}

static int
list_row(void *arg, const struct bk_token_row *t)
{
	(void)arg;
	char when[32];
	time_t tt = (time_t)t->created;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%s\t%s\t%s\n", t->name, t->scope, when);
	return 0;
}

int
cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "scope", required_argument, NULL, O_SCOPE },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = bk_store_default_url(), *scope = "read";
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_DB:
			db = optarg;
			break;
		case O_SCOPE:
			if (strcmp(optarg, "read") && strcmp(optarg, "write"))
				return opt_bad_value("token", "--scope", "read or write");
			scope = optarg;
			break;
		case 'h':
		case O_HELP:
			token_usage(stdout);
			return EXIT_OK;
		default:
			return opt_error("token", c, argc, argv, opts);
		}
	}
	if (optind >= argc)
		return usage_error("token", "add, list or revoke expected");
	const char *sub = argv[optind++];
	int want = !strcmp(sub, "list") ? 0 : (!strcmp(sub, "add") || !strcmp(sub, "revoke")) ? 1 : -1;
	if (want < 0)
		return usage_error("token", "unknown subcommand '%s'", sub);
	if (argc - optind != want)
		return usage_error("token", want ? "%s takes one NAME" : "%s takes no argument", sub);
	struct bk_store *st;
	int rc = store_open_cli(&st, db, 0, NULL);
	if (rc)
		return rc;
	struct bk_store_err err = { 0 };
	int status = EXIT_OK;
	if (!strcmp(sub, "list")) {
		rc = bk_store_token_list(st, list_row, NULL, &err);
	} else if (!strcmp(sub, "revoke")) {
		rc = bk_store_token_revoke(st, argv[optind], &err);
		if (rc == 0) {
			warnx_("token: no token named '%s'", argv[optind]);
			status = EXIT_PARTIAL;
		}
	} else {
		char tok[44], hash[65];
		if (bk_token_generate(tok) < 0 || bk_token_hash(tok, strlen(tok), hash) < 0) {
			warnx_("token: cannot make a random token");
			bk_store_close(st);
			return EXIT_FATAL;
		}
		rc = bk_store_token_add(st, argv[optind], scope, hash, &err);
		if (rc >= 0)
			printf("%s\n", tok);
	}
	bk_store_close(st);
	if (rc < 0) {
		warnx_("token: %s", err.msg);
		return store_exit(rc);
	}
	return status;
}
