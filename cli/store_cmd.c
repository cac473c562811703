/* SPDX-License-Identifier: BSD-2-Clause */
/* store_cmd.c - the store's commands besides ingest: db, query, stats,
 * export, suppress, unsuppress, allow, prune.  Each takes --db URL and the
 * policy options; see bouncekit(1) and docs/store.md. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store/store.h"

enum { O_DB = 256, O_POLICY, O_POLICY_FILE, O_FORMAT, O_SCOPE, O_REASON,
       O_FORCE, O_BY, O_SINCE, O_UNTIL, O_SUPPRESSED, O_EVENTS, O_OLDER,
       O_HELP };

static const struct option common[] = {
	{ "db", required_argument, NULL, O_DB },
	{ "policy", required_argument, NULL, O_POLICY },
	{ "policy-file", required_argument, NULL, O_POLICY_FILE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "scope", required_argument, NULL, O_SCOPE },
	{ "reason", required_argument, NULL, O_REASON },
	{ "force", no_argument, NULL, O_FORCE },
	{ "by", required_argument, NULL, O_BY },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "suppressed", no_argument, NULL, O_SUPPRESSED },
	{ "events", no_argument, NULL, O_EVENTS },
	{ "events-older-than", required_argument, NULL, O_OLDER },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

struct args {
	const char *db, *format, *scope, *reason, *by;
	int64_t since, until;
	bool force, suppressed, events, help, pol_given;
	long older;
	struct bk_policy pol;
};

static bool
parse_time(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!errno && end != s && !*end) {
		*out = v;
		return true;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = strptime(s, "%Y-%m-%d", &tm);
	if (p && (*p == 'T' || *p == ' '))
		p = strptime(p + 1, "%H:%M:%S", &tm);
	if (p && *p == 'Z')
		p++;
	if (!p || *p)
		return false;
	*out = (int64_t)timegm(&tm);
	return true;
}

/* Returns -1 when the command line is bad (already reported). */
static int
get_args(const char *cmd, int argc, char **argv, struct args *a,
	 void (*usage)(FILE *))
{
	int c;
	memset(a, 0, sizeof(*a));
	a->older = -1;
	a->pol_given = policy_defaults(&a->pol);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", common, NULL)) != -1) {
		switch (c) {
		case O_DB: a->db = optarg; break;
		case O_POLICY:
		case O_POLICY_FILE:
			if (policy_option(&a->pol, c == O_POLICY ? 'P' : 'F', optarg) < 0)
				return -1;
			a->pol_given = true;
			break;
		case O_FORMAT: a->format = optarg; break;
		case O_SCOPE: a->scope = optarg; break;
		case O_REASON: a->reason = optarg; break;
		case O_FORCE: a->force = true; break;
		case O_BY: a->by = optarg; break;
		case O_SINCE:
		case O_UNTIL:
			if (!parse_time(optarg, c == O_SINCE ? &a->since : &a->until)) {
				warnx_("%s: bad time '%s' (YYYY-MM-DD[THH:MM:SS] or epoch seconds)",
				       cmd, optarg);
				return -1;
			}
			break;
		case O_SUPPRESSED: a->suppressed = true; break;
		case O_EVENTS: a->events = true; break;
		case O_OLDER: {
			char *end;
			a->older = strtol(optarg, &end, 10);
			if (*end || a->older < 0) {
				warnx_("%s: bad number of days '%s'", cmd, optarg);
				return -1;
			}
			break;
		}
		case 'h':
		case O_HELP: a->help = true; break;
		default: usage(stderr); return -1;
		}
	}
	if (a->help)
		usage(stdout);
	return 0;
}

static const char *
who(void)
{
	const char *u = getenv("SUDO_USER");
	if (!u || !*u)
		u = getenv("USER");
	if (!u || !*u)
		u = getenv("LOGNAME");
	return u && *u ? u : "unknown";
}

static void
iso(int64_t t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A CSV field, quoted when it holds a comma, a quote or a line end. */
static void
csv(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static int
report(int rc, const struct bk_store_err *err)
{
	if (rc < 0)
		warnx_("%s", err->msg);
	return store_exit(rc);
}

/* Every command's start: its options, --help, and between min and max
 * operands (max -1: no limit).  Returns -1 to go on, else the exit status
 * (0 after --help, 2 for a bad command line, reported). */
static int
start(const char *cmd, void (*usage)(FILE *), int argc, char **argv,
      struct args *a, int min, int max)
{
	if (get_args(cmd, argc, argv, a, usage) < 0)
		return EXIT_USAGE;
	if (a->help)
		return EXIT_OK;
	if (argc - optind < min || (max >= 0 && argc - optind > max)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

static int
bad_usage(void (*usage)(FILE *))
{
	usage(stderr);
	return EXIT_USAGE;
}

/* The store of the command line's --db, with its policy options. */
static int
open_store(struct bk_store **st, const struct args *a, unsigned flags)
{
	return store_open_cli(st, a->db, flags, a->pol_given ? &a->pol : NULL);
}

/* ---- db ---- */

static void
db_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit db init|migrate|check|recompute [--db URL] [--policy KEY=VALUE]\n"
"\n"
"  init       create the schema (a store that exists is left as it is)\n"
"  migrate    upgrade the schema to this version, in one transaction;\n"
"             refuses a newer schema\n"
"  check      the schema version, the counts, and the SQLite file's\n"
"             integrity (quick_check)\n"
"  recompute  re-derive every address's state and verdict from the events,\n"
"             the audit trail and the policy given (--policy, --policy-file,\n"
"             $BOUNCEKIT_POLICY), which becomes the store's policy; without\n"
"             one, the store's own\n"
"\n"
"exit status: 0 done; 2 usage error; 3 a store error (corrupt file, newer\n"
"schema...); 75 the store is unavailable (down, locked): retry later.\n");
}

int
cmd_db(int argc, char **argv)
{
	struct args a;
	int x = start("db", db_usage, argc, argv, &a, 1, 1);
	if (x >= 0)
		return x;
	const char *sub = argv[optind];
	struct bk_store *st;
	struct bk_store_err err = { 0, "" };
	int rc;
	if (!strcmp(sub, "init") || !strcmp(sub, "migrate")) {
		if ((rc = open_store(&st, &a, BK_STORE_OPEN_MIGRATE)))
			return rc;
		printf("schema version %d (%s)\n", BK_STORE_SCHEMA, bk_store_driver_name(st));
		bk_store_close(st);
		return EXIT_OK;
	}
	if (!strcmp(sub, "check")) {
		rc = bk_store_open(&st, a.db, 0, a.pol_given ? &a.pol : NULL, &err);
		if (rc == BK_STORE_ESCHEMA) {
			warnx_("%s", err.msg);
			return EXIT_FATAL;
		}
		if (rc < 0)
			return report(rc, &err);
		struct bk_store_info in;
		rc = bk_store_check(st, &in, &err);
		if (rc == 0)
			printf("driver %s\nschema %d\nevents %lld\naddresses %lld\n"
			       "suppressed %lld\nretry-after %lld\nallow-list %lld\naudit %lld\n",
			       bk_store_driver_name(st), in.schema, in.events, in.addresses,
			       in.suppressed, in.retry, in.allowed, in.audits);
		if (rc == 0) {
			char *pt = bk_policy_text(bk_store_policy(st));
			for (char *l = pt ? strtok(pt, "\n") : NULL; l; l = strtok(NULL, "\n"))
				printf("policy %s\n", l);
			free(pt);
		}
		bk_store_close(st);
		return report(rc, &err);
	}
	if (!strcmp(sub, "recompute")) {
		if ((rc = open_store(&st, &a, 0)))
			return rc;
		long long n = 0;
		rc = bk_store_recompute(st, &n, &err);
		if (rc == 0)
			printf("recomputed %lld addresses\n", n);
		bk_store_close(st);
		return report(rc, &err);
	}
	warnx_("db: unknown subcommand '%s' (init, migrate, check, recompute)", sub);
	return EXIT_USAGE;
}

/* ---- query ---- */

static void
query_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit query [--db URL] [--scope SENDERDOMAIN] ADDRESS...\n"
"       bouncekit query [--db URL] [--format ndjson|tsv] -\n"
"\n"
"The verdict of each address: ok, suppressed or retry-after (with the time\n"
"it ends), why (basis: hard, soft, complaint, manual; allowed, expired) and\n"
"the evidence (counts, the event that decided, the recent events).  With -,\n"
"read one address a line and write one verdict a line, streaming: NDJSON\n"
"(default) or TSV (address, verdict, until, basis, reason).\n"
"\n"
"options:\n"
"  --format FMT    text (default for ADDRESS...), json, ndjson or tsv\n"
"  --scope S       the sender domain, when the policy's scope is senderdomain\n"
"\n"
"exit status: 0 done; 1 a line was not an address; 2 usage error; 3 a\n"
"store error; 75 the store is unavailable.\n");
}

struct evctx {
	int n;
};

static int
print_event(void *arg, const struct bk_event *ev)
{
	struct evctx *c = arg;
	char t[32];
	iso(ev->rec.timestamp, t, sizeof(t));
	printf("  %s %-15s %-7s %s [%s, %s]\n", t, ev->rec.reason,
	       ev->rec.deliverystatus, ev->rec.diagnosticcode, ev->channel,
	       ev->rec.origin);
	c->n++;
	return 0;
}

static void
state_json(FILE *f, const struct bk_addr_state *s)
{
	char a[32], b[32], c[32], d[32];
	iso(s->since, a, sizeof(a));
	iso(s->until, b, sizeof(b));
	iso(s->first, c, sizeof(c));
	iso(s->last, d, sizeof(d));
	fputs("{\"address\":", f);
	json_str(f, s->address);
	fputs(",\"verdict\":", f);
	json_str(f, s->verdict);
	fputs(",\"basis\":", f);
	json_str(f, s->basis);
	fprintf(f, ",\"since\":\"%s\",\"until\":\"%s\",\"first\":\"%s\",\"last\":\"%s\","
		"\"hard\":%lld,\"soft\":%lld,\"complaint\":%lld,\"senderside\":%lld,"
		"\"delivered\":%lld,\"reason\":",
		s->since ? a : "", s->until ? b : "", s->first ? c : "",
		s->last ? d : "", s->hard, s->soft, s->complaint, s->senderside,
		s->delivered);
	json_str(f, s->last_reason);
	fputs(",\"status\":", f);
	json_str(f, s->last_status);
	fputs(",\"cause\":", f);
	json_str(f, s->cause);
	fputs("}\n", f);
}

int
cmd_query(int argc, char **argv)
{
	struct args a;
	int x = start("query", query_usage, argc, argv, &a, 1, -1);
	if (x >= 0)
		return x;
	bool stream = !strcmp(argv[optind], "-");
	const char *fmt = a.format ? a.format : stream ? "ndjson" : "text";
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "ndjson") &&
	    strcmp(fmt, "tsv")) {
		warnx_("query: --format: text, json, ndjson or tsv");
		return EXIT_USAGE;
	}
	struct bk_store *st;
	int rc = open_store(&st, &a, 0);
	if (rc)
		return rc;
	struct bk_store_err err = { 0, "" };
	int64_t now = (int64_t)time(NULL);
	bool partial = false;
	int status = EXIT_OK;
	char *line = NULL;
	size_t cap = 0;
	int ai = optind;
	static char obuf[1 << 16];
	if (stream)
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (;;) {
		const char *addr;
		if (stream) {
			ssize_t n = getline(&line, &cap, stdin);
			if (n < 0)
				break;
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (!n)
				continue;
			addr = line;
		} else {
			if (ai >= argc)
				break;
			addr = argv[ai++];
		}
		struct bk_addr_state s;
		rc = bk_store_query(st, addr, a.scope, now, &s, &err);
		if (rc == BK_STORE_EINVAL) {
			warnx_("query: %s", err.msg);
			partial = true;
			if (stream && !strcmp(fmt, "tsv"))
				printf("%s\tinvalid\t\t\t\n", addr);
			else if (stream) {
				fputs("{\"address\":", stdout);
				json_str(stdout, addr);
				fputs(",\"verdict\":\"invalid\"}\n", stdout);
			}
			continue;
		}
		if (rc < 0) {
			status = report(rc, &err);
			break;
		}
		if (!strcmp(fmt, "tsv")) {
			char u[32];
			iso(s.until, u, sizeof(u));
			printf("%s\t%s\t%s\t%s\t%s\n", s.address, s.verdict,
			       !strcmp(s.verdict, "retry-after") ? u : "", s.basis,
			       s.last_reason);
		} else if (strcmp(fmt, "text")) {
			state_json(stdout, &s);
		} else {
			char a1[32], a2[32], a3[32], a4[32];
			iso(s.since, a1, sizeof(a1));
			iso(s.until, a2, sizeof(a2));
			iso(s.first, a3, sizeof(a3));
			iso(s.last, a4, sizeof(a4));
			printf("%s: %s", s.address, s.verdict);
			if (*s.basis)
				printf(" (%s)", s.basis);
			if (!strcmp(s.verdict, "retry-after"))
				printf(" until %s", a2);
			else if (s.known && s.since)
				printf(" since %s", a1);
			printf("\n");
			if (!s.known) {
				printf("  no events for this address\n");
				continue;
			}
			printf("  counts: hard %lld, soft %lld, complaint %lld, sender-side %lld,"
			       " delivered %lld; first %s, last %s\n",
			       s.hard, s.soft, s.complaint, s.senderside, s.delivered, a3, a4);
			printf("  last: %s %s; decided by %s\n", s.last_reason,
			       s.last_status, *s.cause ? s.cause : "-");
			printf("  recent events (newest first):\n");
			struct evctx c = { 0 };
			rc = bk_store_address_events(st, addr, 10, print_event, &c, &err);
			if (rc < 0) {
				status = report(rc, &err);
				break;
			}
		}
	}
	free(line);
	bk_store_close(st);
	if (status)
		return status;
	return partial ? EXIT_PARTIAL : EXIT_OK;
}

/* ---- stats ---- */

static void
stats_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit stats --by reason|destination|senderdomain|provider|day|hour\n"
"                       [--since TIME] [--until TIME] [--format table|csv|json]\n"
"                       [--db URL] [--policy KEY=VALUE]\n"
"\n"
"Events counted by a key, each split by class under the policy: hard, soft,\n"
"complaint, sender-side (reasons that are the sender's problem: they count\n"
"against the destination and the sender domain, never the recipient),\n"
"delivered, other; and distinct recipients; and the bounce rate: hard, soft\n"
"and sender-side over those and the deliveries.  delivered also counts the\n"
"deliveries a delivery log gave (ingest --log: by destination, senderdomain\n"
"and day).  provider is the decoder that read the bounce (decodedby).  TIME: YYYY-MM-DD[THH:MM:SS] (UTC) or epoch\n"
"seconds; --until is exclusive.\n");
}

struct statctx {
	const char *fmt;
	int n;
};

/* The bounce rate: failures (hard, soft, sender-side) over failures and
 * deliveries; < 0 when there are neither. */
static double
stat_rate(const struct bk_stat_row *r)
{
	long long bad = r->hard + r->soft + r->senderside;
	return bad + r->delivered ? (double)bad / (double)(bad + r->delivered) : -1;
}

static int
print_stat(void *arg, const struct bk_stat_row *r)
{
	struct statctx *c = arg;
	double rate = stat_rate(r);
	char rt[16] = "";
	if (!strcmp(c->fmt, "csv")) {
		if (!c->n)
			printf("key,events,hard,soft,complaint,senderside,delivered,other,addresses,rate\n");
		csv(stdout, r->key, false);
		if (rate >= 0)
			snprintf(rt, sizeof(rt), "%.4f", rate);
		printf("%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%s\n", r->events, r->hard,
		       r->soft, r->complaint, r->senderside, r->delivered, r->other,
		       r->addresses, rt);
	} else if (!strcmp(c->fmt, "json")) {
		printf("%s{\"key\":", c->n ? ",\n" : "[\n");
		json_str(stdout, r->key);
		snprintf(rt, sizeof(rt), rate >= 0 ? "%.4f" : "null", rate);
		printf(",\"events\":%lld,\"hard\":%lld,\"soft\":%lld,\"complaint\":%lld,"
		       "\"senderside\":%lld,\"delivered\":%lld,\"other\":%lld,\"addresses\":%lld,"
		       "\"rate\":%s}",
		       r->events, r->hard, r->soft, r->complaint, r->senderside,
		       r->delivered, r->other, r->addresses, rt);
	} else {
		if (!c->n)
			printf("%-32s %8s %6s %6s %9s %11s %9s %6s %9s %6s\n", "key", "events",
			       "hard", "soft", "complaint", "sender-side", "delivered",
			       "other", "addresses", "rate");
		snprintf(rt, sizeof(rt), rate >= 0 ? "%.1f%%" : "-", rate * 100);
		printf("%-32s %8lld %6lld %6lld %9lld %11lld %9lld %6lld %9lld %6s\n", r->key,
		       r->events, r->hard, r->soft, r->complaint, r->senderside,
		       r->delivered, r->other, r->addresses, rt);
	}
	c->n++;
	return 0;
}

int
cmd_stats(int argc, char **argv)
{
	struct args a;
	int x = start("stats", stats_usage, argc, argv, &a, 0, 0);
	if (x >= 0)
		return x;
	const char *fmt = a.format ? a.format : "table";
	if (!a.by || (strcmp(fmt, "table") && strcmp(fmt, "csv") && strcmp(fmt, "json")))
		return bad_usage(stats_usage);
	struct bk_store *st;
	int rc = open_store(&st, &a, 0);
	if (rc)
		return rc;
	struct bk_store_err err = { 0, "" };
	struct statctx c = { fmt, 0 };
	rc = bk_store_stats(st, a.by, a.since, a.until, print_stat, &c, &err);
	if (rc == 0 && !strcmp(fmt, "json"))
		printf(c.n ? "\n]\n" : "[]\n");
	bk_store_close(st);
	return report(rc, &err);
}

/* ---- export ---- */

static void
export_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit export --suppressed|--events [--format csv|ndjson] [--db URL]\n"
"\n"
"--suppressed: every address suppressed or in a retry period now (an\n"
"allow-listed one is left out): scope, address, verdict, basis, since,\n"
"until, reason, status, counts, the deciding event.  --events: every stored\n"
"event as a record (the fields of bouncekit parse; `ingest --records`\n"
"reads the NDJSON back).  Default format: csv.\n");
}

static int
print_event_rec(void *arg, const struct bk_event *ev)
{
	return bk_writer_record(arg, &ev->rec);
}

static int
print_supp(void *arg, const struct bk_addr_state *s)
{
	const char *fmt = arg;
	if (!strcmp(fmt, "ndjson")) {
		state_json(stdout, s);
		return 0;
	}
	char a1[32], a2[32];
	iso(s->since, a1, sizeof(a1));
	iso(s->until, a2, sizeof(a2));
	csv(stdout, s->scope, false);
	csv(stdout, s->address, false);
	printf("%s,%s,%s,%s,", s->verdict, s->basis, a1, s->until ? a2 : "");
	csv(stdout, s->last_reason, false);
	csv(stdout, s->last_status, false);
	printf("%lld,%lld,%lld,", s->hard, s->soft, s->complaint);
	csv(stdout, s->cause, true);
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	struct args a;
	int x = start("export", export_usage, argc, argv, &a, 0, 0);
	if (x >= 0)
		return x;
	const char *fmt = a.format ? a.format : "csv";
	if (a.suppressed == a.events || (strcmp(fmt, "csv") && strcmp(fmt, "ndjson")))
		return bad_usage(export_usage);
	struct bk_store *st;
	int rc = open_store(&st, &a, 0);
	if (rc)
		return rc;
	struct bk_store_err err = { 0, "" };
	if (a.events) {
		struct bk_writer *w = bk_writer_new(!strcmp(fmt, "csv") ? BK_FMT_CSV : BK_FMT_NDJSON,
						    write_stdout, NULL);
		if (!w) {
			bk_store_close(st);
			return EXIT_FATAL;
		}
		fflush(stdout);
		rc = bk_store_export_events(st, print_event_rec, w, &err);
		if (rc == 0 && bk_writer_finish(w) < 0) {
			snprintf(err.msg, sizeof(err.msg), "cannot write output");
			rc = BK_STORE_EPERM;
		}
		bk_writer_free(w);
	} else {
		if (!strcmp(fmt, "csv"))
			printf("scope,address,verdict,basis,since,until,reason,status,hard,soft,complaint,cause\n");
		rc = bk_store_export_suppressed(st, (int64_t)time(NULL), print_supp,
						(void *)fmt, &err);
	}
	bk_store_close(st);
	return report(rc, &err);
}

/* ---- suppress, unsuppress, allow, prune ---- */

static void
manual_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit suppress ADDRESS --reason TEXT [--scope S] [--db URL]\n"
"       bouncekit unsuppress ADDRESS [--force] [--reason TEXT] [--scope S] [--db URL]\n"
"       bouncekit allow ADDRESS|@DOMAIN [--reason TEXT] [--db URL]\n"
"\n"
"Manual changes, each written to the audit table (who: $SUDO_USER or $USER,\n"
"when, why).  suppress: the address is suppressed until unsuppressed.\n"
"unsuppress: back to ok, its soft count reset; an address suppressed by a\n"
"complaint needs --force.  allow: the address, or every address of the\n"
"domain, is never suppressed (overrides everything).\n"
"\n"
"exit status: 0 done; 1 refused (a complaint without --force); 2 usage\n"
"error; 3 a store error; 75 the store is unavailable.\n");
}

static int
manual_cmd(const char *name, int argc, char **argv)
{
	struct args a;
	int x = start(name, manual_usage, argc, argv, &a, 1, 1);
	if (x >= 0)
		return x;
	if (!strcmp(name, "suppress") && !a.reason)
		return bad_usage(manual_usage);
	struct bk_store *st;
	int rc = open_store(&st, &a, BK_STORE_OPEN_MIGRATE);
	if (rc)
		return rc;
	struct bk_store_err err = { 0, "" };
	const char *addr = argv[optind];
	if (!strcmp(name, "suppress"))
		rc = bk_store_suppress(st, addr, a.scope, who(), a.reason, &err);
	else if (!strcmp(name, "unsuppress"))
		rc = bk_store_unsuppress(st, addr, a.scope, a.force, who(), a.reason, &err);
	else
		rc = bk_store_allow(st, addr, who(), a.reason, &err);
	bk_store_close(st);
	if (rc == 0)
		printf("%s: %s\n", addr, !strcmp(name, "suppress") ? "suppressed"
				       : !strcmp(name, "unsuppress") ? "ok" : "allowed");
	return report(rc, &err);
}

int
cmd_suppress(int argc, char **argv)
{
	return manual_cmd("suppress", argc, argv);
}

int
cmd_unsuppress(int argc, char **argv)
{
	return manual_cmd("unsuppress", argc, argv);
}

int
cmd_allow(int argc, char **argv)
{
	return manual_cmd("allow", argc, argv);
}

static void
prune_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit prune --events-older-than DAYS [--db URL]\n"
"\n"
"Delete the events whose bounce is older than DAYS days.  Address state and\n"
"verdicts are kept (a later `db recompute` derives them from the events\n"
"that remain).\n");
}

int
cmd_prune(int argc, char **argv)
{
	struct args a;
	int x = start("prune", prune_usage, argc, argv, &a, 0, 0);
	if (x >= 0)
		return x;
	if (a.older < 0)
		return bad_usage(prune_usage);
	struct bk_store *st;
	int rc = open_store(&st, &a, 0);
	if (rc)
		return rc;
	struct bk_store_err err = { 0, "" };
	long long n = 0;
	rc = bk_store_prune(st, (int64_t)time(NULL), (unsigned)a.older, &n, &err);
	bk_store_close(st);
	if (rc == 0)
		printf("pruned %lld events\n", n);
	return report(rc, &err);
}
