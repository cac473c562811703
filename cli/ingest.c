/* SPDX-License-Identifier: BSD-2-Clause */
/* ingest.c - `bouncekit ingest`: decode messages (or import Sisimai's JSON
 * records) into the store, in batches of one transaction each.  A problem
 * with one input is reported and the rest goes in; a store that is down or
 * locked stops the run with exit status 75 (nothing of the unfinished
 * batch is written). */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "intake/intake.h"
#include "logread.h"
#include "progress.h"
#include "hooks/hooks.h"
#include "store/store.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit ingest [OPTIONS] PATH...\n"
"       bouncekit ingest [OPTIONS] --records FILE\n"
"       bouncekit ingest --pipe [--sender ADDR] [--recipient ADDR]... -\n"
"       bouncekit ingest --log postfix|exim|sendmail [--log-host NAME] FILE...\n"
"\n"
"Decode bounce messages and store one event per failed recipient, updating\n"
"each address's state and verdict (see bouncekit query).  PATH is a message\n"
"file, an mbox, a Maildir, a directory, or - for standard input.  The same\n"
"message stored twice is one event.  With --records, import Sisimai's JSON\n"
"output (an array, as `sisimai dump` or --format json write, or one object\n"
"a line); records that fail validation are reported with file and line or\n"
"index, and skipped.\n"
"\n"
"options:\n"
"  --db URL             the store (default $BOUNCEKIT_DB, else bouncekit.db):\n"
"                       a path, sqlite:PATH, mysql://..., postgresql://...\n"
"  -j, --jobs N         decode with N threads\n"
"  --records FILE       import Sisimai JSON records (- for standard input)\n"
"  --channel NAME       file (default), pipe (default for -), watch, lmtp,\n"
"                       log or webhook\n"
"  --batch N            records per transaction (5000)\n"
"  --policy KEY=VALUE   a policy setting (repeatable; see bouncekit(1));\n"
"                       default: the store's own (set by db recompute)\n"
"  --policy-file PATH   policy settings, KEY=VALUE lines\n"
"  -r, --recursive      descend into sub-directories of plain directories\n"
"  -q, --quiet          errors only: no progress, warnings or summary\n"
"  -v, --verbose        each message's decoding warnings too\n"
"  -h, --help           this help\n"
"\n"
"As an MTA's pipe (Postfix pipe, Exim pipe transport, an alias): --pipe, or\n"
"any of the four options below, with the single PATH -, reads ONE message\n"
"from standard input and exits with a sysexits status the MTA understands:\n"
"0 stored, or accepted as not a bounce; 75 (EX_TEMPFAIL) the store is\n"
"unavailable, locked or refuses, or the message could not be kept: nothing\n"
"was written, the MTA queues it and retries; 65 (EX_DATAERR) the message can\n"
"never be read (empty, over the size limit).\n"
"  --pipe               one message from an MTA on standard input\n"
"  --sender ADDR        the envelope sender (Postfix ${sender})\n"
"  --recipient ADDR     the envelope recipient (${recipient}); repeatable\n"
"  --verp-delimiters XY VERP: X separates the bounce address from the\n"
"                       encoded recipient, Y stands for its '@' (default +=:\n"
"                       bounces+user=example.org@sender.example); '' turns it\n"
"                       off.  It confirms a decoded recipient, supplies a\n"
"                       missing one, and turns a bounce the decoders cannot\n"
"                       read into an 'undefined' event for that recipient\n"
"  --keep-unparsed DIR  keep each message that gave no decoded record as a\n"
"                       file in DIR (the envelope as Return-Path and\n"
"                       X-Original-To fields first)\n"
"\n");
	fprintf(f,
"The MTA's delivery log (--log; FILE - for standard input): each failed or\n"
"deferred recipient becomes an event (channel log), classified like a bounce's\n"
"diagnostic; the deferrals and the final failure of one queue id and\n"
"recipient, and the bounce message the MTA sends for it, are one event; each\n"
"delivery is counted per destination, sender domain and day (bouncekit\n"
"stats), once: a log read again (known by its first line) counts only the\n"
"lines it had not counted.  Lines it cannot read are counted (-v names them\n"
"with file:line) and skipped; so is a torn last line.\n"
"  --log MTA            postfix (syslog or maillog_file), exim (main log) or\n"
"                       sendmail (syslog)\n"
"  --log-host NAME      the MTA's host name for joining its bounce messages\n"
"                       (default: the syslog line's host; for Exim, this\n"
"                       host's name)\n"
"  --log-year YEAR      the year of syslog dates, which have none (default:\n"
"                       this year, or the last for a date in the future)\n"
"\n"
"The summary (stderr): messages, records, events new, duplicates skipped,\n"
"addresses newly suppressed; with -v also the batches written and the\n"
"statements it took (each a round trip to a database server).\n"
"\n"
"exit status: 0 everything went in; 1 some input could not be read or was\n"
"skipped; 2 usage error; 3 a store error (bad file, refused); 75 the store\n"
"is unavailable (down, locked): retry later.\n");
}

enum { OPT_DB = 256, OPT_RECORDS, OPT_CHANNEL, OPT_BATCH, OPT_POLICY, OPT_POLICY_FILE,
	OPT_PIPE, OPT_SENDER, OPT_RECIPIENT, OPT_VERP, OPT_KEEP, OPT_LOG, OPT_LOG_HOST, OPT_LOG_YEAR };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "jobs", required_argument, NULL, 'j' },
	{ "records", required_argument, NULL, OPT_RECORDS },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "policy-file", required_argument, NULL, OPT_POLICY_FILE },
	{ "recursive", no_argument, NULL, 'r' },
	{ "pipe", no_argument, NULL, OPT_PIPE },
	{ "sender", required_argument, NULL, OPT_SENDER },
	{ "recipient", required_argument, NULL, OPT_RECIPIENT },
	{ "verp-delimiters", required_argument, NULL, OPT_VERP },
	{ "keep-unparsed", required_argument, NULL, OPT_KEEP },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-host", required_argument, NULL, OPT_LOG_HOST },
	{ "log-year", required_argument, NULL, OPT_LOG_YEAR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct run {
	struct bk_store *st;
	struct progress *pr;	/* progress line and summary (progress.h) */
	const char *channel;
	int stop;		/* 0, or the exit status that stops the run */
	bool partial;
	unsigned long long messages;
	pthread_mutex_t mu;	/* with threads: the store, pr and the counts */
};

int
store_exit(int rc)
{
	switch (rc) {
	case BK_STORE_OK: return EXIT_OK;
	case BK_STORE_ETEMP: return EXIT_TEMPFAIL;
	case BK_STORE_EINVAL: return EXIT_USAGE;
	case BK_STORE_EREFUSED: return EXIT_PARTIAL;
	default: return EXIT_FATAL;
	}
}

/* One input that could not be read or decoded (under the lock when
 * threaded). */
static void
skipped(struct run *r)
{
	r->partial = true;
	if (r->pr)
		progress_skipped(r->pr);
}

/* Add one message's records (under the lock when threaded). */
static void
add_records(struct run *r, const struct bk_record *recs, int n,
	    const char *origin, unsigned long nth, unsigned warnings,
	    const char *data, size_t len)
{
	/* the MTA host and queue id the bounce names: its records join the
	 * same failure read from the MTA's log (docs/store.md) */
	char join[400] = "";
	if (n > 0)
		intake_join(data, len, join, sizeof(join));
	for (int i = 0; i < n && !r->stop; i++) {
		struct bk_store_err err = { 0, "" };
		/* a provider's event: its class and its own key */
		const struct bk_hook_rec *h = cli_hook_of(&recs[i]);
		struct bk_store_addx x = { h ? h->provider_class : NULL,
					   h && h->key[0] ? h->key : NULL };
		int rc = h ? bk_store_add_x(r->st, &recs[i], r->channel, &x, &err)
			   : bk_store_add_join(r->st, &recs[i], r->channel, join, &err);
		if (rc == BK_STORE_EINVAL) {
			warnx_("%s: skipped: %s", recs[i].origin, err.msg);
			skipped(r);
		} else if (rc < 0) {
			warnx_("ingest: %s", err.msg);
			r->stop = store_exit(rc);
		}
	}
	r->messages++;
	if (r->pr) {
		progress_records(r->pr, recs, (size_t)n);
		progress_message(r->pr, origin, nth, warnings, (size_t)n);
	}
}

/* ---- Threads: the main thread reads, N workers decode, adds are serial ---- */

struct job {
	char *data;
	size_t len;
	char *origin;
	unsigned long nth;
};

struct queue {
	struct job *v;
	size_t cap, head, n;
	bool done;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_get;
	struct run *run;
	const struct bk_options *opt;
};

static void *
worker(void *arg)
{
	struct queue *q = arg;
	struct bk_err e = { 0, "" };
	struct bk_parser *p = bk_parser_new(q->opt, &e);
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (!q->n && !q->done)
			pthread_cond_wait(&q->can_get, &q->mu);
		if (!q->n) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		struct job j = q->v[q->head];
		q->head = (q->head + 1) % q->cap;
		q->n--;
		pthread_cond_signal(&q->can_put);
		pthread_mutex_unlock(&q->mu);
		const struct bk_record *recs = NULL;
		int n = p ? cli_decode(p, j.data, j.len, j.origin, &recs, &e) : BK_ENOMEM;
		unsigned w = p && n >= 0 ? cli_warnings(p) : 0;
		pthread_mutex_lock(&q->run->mu);
		if (n < 0) {
			warnx_("%s: %s", j.origin, p ? e.msg : "out of memory");
			skipped(q->run);
			q->run->messages++;
		} else {
			add_records(q->run, recs, n, j.origin, j.nth, w, j.data, j.len);
		}
		pthread_mutex_unlock(&q->run->mu);
		free(j.data);
		free(j.origin);
	}
	bk_parser_free(p);
	return NULL;
}

static void
ingest_path(struct run *r, const char *path, const struct bk_source_opts *so,
	    struct bk_parser *p, struct queue *q)
{
	struct bk_source *src;
	struct bk_err err = { 0, "" };
	struct bk_input in;
	if (bk_source_open(&src, path, so, &err) < 0) {
		if (q)
			pthread_mutex_lock(&r->mu);
		warnx_("%s", err.msg);
		skipped(r);
		if (q)
			pthread_mutex_unlock(&r->mu);
		return;
	}
	for (;;) {
		if (q)
			pthread_mutex_lock(&r->mu);
		bool stop = r->stop != 0;
		if (q)
			pthread_mutex_unlock(&r->mu);
		if (stop)
			break;
		int rc = bk_source_next(src, &in, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (q)
				pthread_mutex_lock(&r->mu);
			if (rc == BK_EEMPTY && r->pr) {
				progress_empty(r->pr, err.msg);
			} else {
				warnx_("%s", err.msg);
				skipped(r);
			}
			if (q)
				pthread_mutex_unlock(&r->mu);
			if (rc == BK_ENOMEM)
				break;
			continue;
		}
		if (!q) {
			const struct bk_record *recs;
			int n = cli_decode(p, in.data, in.len, in.origin, &recs, &err);
			if (n < 0) {
				warnx_("%s: %s", in.origin, err.msg);
				skipped(r);
				r->messages++;
				continue;
			}
			add_records(r, recs, n, in.origin, in.nth, cli_warnings(p),
				    in.data, in.len);
			continue;
		}
		struct job j = { malloc(in.len ? in.len : 1), in.len, strdup(in.origin), in.nth };
		if (!j.data || !j.origin) {
			free(j.data);
			free(j.origin);
			warnx_("out of memory");
			r->stop = EXIT_FATAL;
			break;
		}
		memcpy(j.data, in.data, in.len);
		pthread_mutex_lock(&q->mu);
		while (q->n == q->cap)
			pthread_cond_wait(&q->can_put, &q->mu);
		q->v[(q->head + q->n) % q->cap] = j;
		q->n++;
		pthread_cond_signal(&q->can_get);
		pthread_mutex_unlock(&q->mu);
	}
	bk_source_close(src);
}

/* ---- Sisimai JSON records ---- */

static const char *
jstr(json_t *o, const char *key, char *buf, size_t n)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return "";
}

/* One Sisimai record (v5 field names; v4's smtpagent and softbounce are
 * read too).  Returns NULL when it is valid, else what is wrong. */
static const char *
import_one(struct run *r, json_t *o, const char *origin)
{
	if (!json_is_object(o))
		return "not a JSON object";
	struct bk_record rec;
	char b[24][32];
	memset(&rec, 0, sizeof(rec));
	json_t *ts = json_object_get(o, "timestamp");
	if (json_is_integer(ts)) {
		rec.timestamp = (int64_t)json_integer_value(ts);
	} else if (json_is_string(ts)) {
		char *end;
		const char *t = json_string_value(ts);
		errno = 0;
		rec.timestamp = strtoll(t, &end, 10);
		if (errno || end == t || *end)
			return "bad timestamp (not epoch seconds)";
	} else {
		return "missing or bad timestamp";
	}
	if (rec.timestamp <= 0 || rec.timestamp > 4102444800LL)
		return "timestamp out of range";
	json_t *rc = json_object_get(o, "recipient");
	if (!json_is_string(rc) || !strchr(json_string_value(rc), '@'))
		return "missing or bad recipient";
	json_t *rs = json_object_get(o, "reason");
	if (rs && !json_is_string(rs))
		return "reason is not a string";
	rec.recipient = json_string_value(rc);
	rec.timezoneoffset = jstr(o, "timezoneoffset", b[0], 32);
	rec.origin = jstr(o, "origin", b[1], 32);
	if (!*rec.origin)
		rec.origin = origin;
	rec.addresser = jstr(o, "addresser", b[2], 32);
	rec.senderdomain = jstr(o, "senderdomain", b[3], 32);
	rec.destination = jstr(o, "destination", b[4], 32);
	rec.alias = jstr(o, "alias", b[5], 32);
	rec.action = jstr(o, "action", b[6], 32);
	rec.deliverystatus = jstr(o, "deliverystatus", b[7], 32);
	rec.replycode = jstr(o, "replycode", b[8], 32);
	rec.reason = jstr(o, "reason", b[9], 32);
	rec.diagnosticcode = jstr(o, "diagnosticcode", b[10], 32);
	rec.diagnostictype = jstr(o, "diagnostictype", b[11], 32);
	rec.command = jstr(o, "command", b[12], 32);
	rec.lhost = jstr(o, "lhost", b[13], 32);
	rec.rhost = jstr(o, "rhost", b[14], 32);
	rec.messageid = jstr(o, "messageid", b[15], 32);
	rec.listid = jstr(o, "listid", b[16], 32);
	rec.subject = jstr(o, "subject", b[17], 32);
	rec.feedbacktype = jstr(o, "feedbacktype", b[18], 32);
	rec.feedbackid = jstr(o, "feedbackid", b[19], 32);
	rec.decodedby = jstr(o, "decodedby", b[20], 32);
	if (!*rec.decodedby)
		rec.decodedby = jstr(o, "smtpagent", b[20], 32);
	rec.token = jstr(o, "token", b[21], 32);
	rec.timestampsource = jstr(o, "timestampsource", b[22], 32);
	json_t *hb = json_object_get(o, "hardbounce");
	json_t *sb = json_object_get(o, "softbounce");
	if (hb)
		rec.hardbounce = json_is_true(hb) || (json_is_integer(hb) && json_integer_value(hb) > 0);
	else if (json_is_integer(sb))
		rec.hardbounce = json_integer_value(sb) == 0;
	if (!*rec.senderdomain && *rec.addresser) {
		const char *at = strrchr(rec.addresser, '@');
		rec.senderdomain = at ? at + 1 : "";
	}
	if (!*rec.destination) {
		const char *at = strrchr(rec.recipient, '@');
		rec.destination = at ? at + 1 : "";
	}
	char *catch_json = NULL;
	json_t *c = json_object_get(o, "catch");
	if (c && !json_is_null(c))
		catch_json = json_dumps(c, JSON_COMPACT | JSON_ENCODE_ANY);
	rec.catch_json = catch_json;
	struct bk_store_err err = { 0, "" };
	int src = bk_store_add(r->st, &rec, r->channel, &err);
	free(catch_json);
	if (src == BK_STORE_EINVAL)
		return "bad recipient";
	if (src < 0) {
		warnx_("ingest: %s", err.msg);
		r->stop = store_exit(src);
	}
	r->messages++;
	if (r->pr) {
		progress_records(r->pr, &rec, 1);
		progress_message(r->pr, origin, 0, 0, 1);
	}
	return NULL;
}

static void
import_records(struct run *r, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	const char *name = strcmp(path, "-") ? path : "<STDIN>";
	if (!f) {
		warnx_("%s: %s", path, strerror(errno));
		skipped(r);
		return;
	}
	int c;
	while ((c = getc(f)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		;
	if (c != EOF)
		ungetc(c, f);
	if (c == '[') {
		json_error_t je;
		json_t *all = json_loadf(f, 0, &je);
		if (!all) {
			warnx_("%s:%d: bad JSON: %s", name, je.line, je.text);
			skipped(r);
		} else {
			size_t i;
			json_t *o;
			json_array_foreach(all, i, o) {
				if (r->stop)
					break;
				const char *why = import_one(r, o, name);
				if (why) {
					warnx_("%s: record %zu: %s: skipped", name, i, why);
					skipped(r);
				}
			}
			json_decref(all);
		}
	} else {
		/* one object a line */
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		unsigned long no = 0;
		while (!r->stop && (n = getline(&line, &cap, f)) >= 0) {
			no++;
			size_t k = (size_t)n;
			while (k && (line[k - 1] == '\n' || line[k - 1] == '\r' ||
				     line[k - 1] == ' '))
				k--;
			if (!k)
				continue;
			json_error_t je;
			json_t *o = json_loadb(line, k, 0, &je);
			const char *why = o ? import_one(r, o, name) : NULL;
			if (!o) {
				warnx_("%s:%lu: bad JSON: %s: skipped", name, no, je.text);
				skipped(r);
			} else if (why) {
				warnx_("%s:%lu: %s: skipped", name, no, why);
				skipped(r);
			}
			json_decref(o);
		}
		free(line);
	}
	if (ferror(f)) {
		warnx_("%s: %s", name, strerror(errno));
		skipped(r);
	}
	if (f != stdin)
		fclose(f);
}

/* Options shared by the store commands: --db, --policy, --policy-file. */
int
store_open_cli(struct bk_store **st, const char *url, unsigned flags,
	       const struct bk_policy *pol)
{
	struct bk_store_err err = { 0, "" };
	int rc = bk_store_open(st, url, flags, pol, &err);
	if (rc < 0) {
		warnx_("%s", err.msg);
		return store_exit(rc);
	}
	return EXIT_OK;
}

int
policy_option(struct bk_policy *pol, int opt, const char *arg)
{
	struct bk_store_err err = { 0, "" };
	int rc = opt == 'P' ? bk_policy_set(pol, arg, &err)
			    : bk_policy_load(pol, arg, &err);
	if (rc < 0) {
		warnx_("%s", err.msg);
		return -1;
	}
	return 0;
}

bool
policy_defaults(struct bk_policy *pol)
{
	bk_policy_init(pol);
	const char *f = getenv("BOUNCEKIT_POLICY");
	if (f && *f) {
		struct bk_store_err err = { 0, "" };
		if (bk_policy_load(pol, f, &err) < 0) {
			warnx_("BOUNCEKIT_POLICY: %s (ignored)", err.msg);
			bk_policy_init(pol);
			return false;
		}
		return true;
	}
	return false;
}

void
intake_opts_init(struct intake_opts *o, struct bk_policy *pol)
{
	o->url = NULL;
	o->verp = "+=";
	o->pol = pol;
	o->given = policy_defaults(pol);
}

int
intake_opt(struct intake_opts *o, const char *cmd, int c, const char *arg)
{
	switch (c) {
	case OPT_INTAKE_DB:
		o->url = arg;
		return 1;
	case OPT_INTAKE_POLICY:
	case OPT_INTAKE_POLICY_FILE:
		if (policy_option(o->pol, c == OPT_INTAKE_POLICY ? 'P' : 'F', arg) < 0)
			return -1;
		o->given = true;
		return 1;
	case OPT_INTAKE_VERP:
		if (*arg && (strlen(arg) != 2 || arg[0] == arg[1] || strchr(arg, '@'))) {
			opt_bad_value(cmd, "--verp-delimiters",
				      "two different characters (not '@'), or ''");
			return -1;
		}
		o->verp = arg;
		return 1;
	default:
		return 0;
	}
}

const struct bk_policy *
intake_policy(const struct intake_opts *o)
{
	return o->given ? o->pol : NULL;
}

int
cmd_ingest(int argc, char **argv)
{
	const char *url = NULL, *records = NULL, *channel = NULL;
	struct bk_source_opts so = { false, 0 };
	struct bk_policy pol;
	unsigned jobs = 1;
	size_t batch = 0;
	bool quiet = false, verbose = false;
	int c;
	bool given = policy_defaults(&pol);
	const char *logmta = NULL, *loghost = NULL;
	int logyear = 0;
	struct pipe_opts po;
	memset(&po, 0, sizeof(po));
	po.verp = "+=";
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:rqvh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_DB: url = optarg; break;
		case 'j':
			jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 256) {
				warnx_("ingest: bad value '%s' for -j", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_RECORDS: records = optarg; break;
		case OPT_CHANNEL: channel = optarg; break;
		case OPT_BATCH:
			batch = strtoul(optarg, &end, 10);
			if (*end || batch < 1) {
				warnx_("ingest: bad value '%s' for --batch", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_POLICY:
			if (policy_option(&pol, 'P', optarg) < 0)
				return EXIT_USAGE;
			given = true;
			break;
		case OPT_POLICY_FILE:
			if (policy_option(&pol, 'F', optarg) < 0)
				return EXIT_USAGE;
			given = true;
			break;
		case 'r': so.recursive = true; break;
		case OPT_PIPE: po.pipe = true; break;
		case OPT_SENDER: po.sender = optarg; po.pipe = true; break;
		case OPT_RECIPIENT:
			if (po.nrcpt == sizeof(po.rcpts) / sizeof(po.rcpts[0])) {
				warnx_("ingest: at most %zu --recipient",
				       sizeof(po.rcpts) / sizeof(po.rcpts[0]));
				return EXIT_USAGE;
			}
			po.rcpts[po.nrcpt++] = optarg;
			po.pipe = true;
			break;
		case OPT_VERP:
			if (*optarg && (strlen(optarg) != 2 || optarg[0] == optarg[1] ||
					strchr(optarg, '@'))) {
				warnx_("ingest: --verp-delimiters: two different characters "
				       "(not '@'), or '' for none");
				return EXIT_USAGE;
			}
			po.verp = optarg;
			po.pipe = true;
			break;
		case OPT_KEEP: po.keep = optarg; po.pipe = true; break;
		case OPT_LOG: logmta = optarg; break;
		case OPT_LOG_HOST: loghost = optarg; break;
		case OPT_LOG_YEAR:
			logyear = (int)strtol(optarg, &end, 10);
			if (*end || logyear < 1970 || logyear > 9999) {
				warnx_("ingest: bad value '%s' for --log-year", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if ((optind >= argc) == !records) {
		usage(stderr);
		return EXIT_USAGE;
	}
	static const char *const channels[] = { "file", "pipe", "watch", "lmtp",
		"log", "webhook", NULL };
	if (channel) {
		bool ok = false;
		for (int i = 0; channels[i]; i++)
			ok |= !strcmp(channel, channels[i]);
		if (!ok) {
			warnx_("ingest: --channel: file, pipe, watch, lmtp, log or webhook");
			return EXIT_USAGE;
		}
	}
	if (logmta || loghost || logyear) {
		enum maillog_mta mta;
		if (!logmta || !maillog_mta_parse(logmta, &mta)) {
			warnx_("ingest: --log: postfix, exim or sendmail");
			return EXIT_USAGE;
		}
		if (records || po.pipe || jobs > 1 || channel) {
			warnx_("ingest: --log reads log files: not with --records, --pipe "
			       "and its options, -j or --channel");
			return EXIT_USAGE;
		}
		if (optind >= argc) {
			usage(stderr);
			return EXIT_USAGE;
		}
		return ingest_log(url, given ? &pol : NULL, mta, loghost, logyear,
				  argv + optind, argc - optind, batch, quiet, verbose);
	}
	if (po.pipe) {
		if (records || optind != argc - 1 || strcmp(argv[optind], "-") || jobs > 1) {
			warnx_("ingest: --pipe, --sender, --recipient, --verp-delimiters and "
			       "--keep-unparsed take the single PATH - (one message on "
			       "standard input)");
			return EXIT_USAGE;
		}
		po.quiet = quiet;
		return ingest_pipe(url, given ? &pol : NULL, channel ? channel : "pipe", &po);
	}
	struct run r;
	memset(&r, 0, sizeof(r));
	pthread_mutex_init(&r.mu, NULL);
	int rc = store_open_cli(&r.st, url, BK_STORE_OPEN_MIGRATE, given ? &pol : NULL);
	if (rc)
		return rc;
	if (bk_store_policy_differs(r.st))
		warnx_("warning: this policy is not the store's (the one its verdicts were "
		       "derived with): run 'bouncekit db recompute' with it to re-derive them all");
	if (batch)
		bk_store_set_batch(r.st, batch);
	r.pr = progress_new("ingest", (quiet ? PROGRESS_QUIET : 0) |
			     (verbose ? PROGRESS_VERBOSE : 0) | PROGRESS_NOSTDOUT);
	struct bk_options opt;
	bk_options_init(&opt);
	opt.delivered = true;	/* a delivery resets the soft count */
	so.max_message = opt.limits.message_size;
	if (!records && !quiet)
		hint_subdirs("ingest", argv + optind, argc - optind, so.recursive);
	if (records) {
		r.channel = channel ? channel : strcmp(records, "-") ? "file" : "pipe";
		import_records(&r, records);
	} else if (jobs == 1) {
		struct bk_err e = { 0, "" };
		struct bk_parser *p = bk_parser_new(&opt, &e);
		if (!p) {
			warnx_("%s", e.msg);
			bk_store_close(r.st);
			return EXIT_FATAL;
		}
		for (int i = optind; i < argc && !r.stop; i++) {
			r.channel = channel ? channel : strcmp(argv[i], "-") ? "file" : "pipe";
			ingest_path(&r, argv[i], &so, p, NULL);
		}
		bk_parser_free(p);
	} else {
		struct queue q;
		memset(&q, 0, sizeof(q));
		q.cap = jobs * 4;
		q.v = calloc(q.cap, sizeof(*q.v));
		q.run = &r;
		q.opt = &opt;
		pthread_mutex_init(&q.mu, NULL);
		pthread_cond_init(&q.can_put, NULL);
		pthread_cond_init(&q.can_get, NULL);
		pthread_t *t = calloc(jobs, sizeof(*t));
		unsigned started = 0;
		if (q.v && t)
			for (; started < jobs; started++)
				if (pthread_create(&t[started], NULL, worker, &q))
					break;
		if (!started) {
			warnx_("cannot start threads");
			r.stop = EXIT_FATAL;
		}
		for (int i = optind; i < argc && !r.stop; i++) {
			r.channel = channel ? channel : strcmp(argv[i], "-") ? "file" : "pipe";
			ingest_path(&r, argv[i], &so, NULL, &q);
		}
		pthread_mutex_lock(&q.mu);
		q.done = true;
		pthread_cond_broadcast(&q.can_get);
		pthread_mutex_unlock(&q.mu);
		for (unsigned i = 0; i < started; i++)
			pthread_join(t[i], NULL);
		free(t);
		free(q.v);
	}
	if (!r.stop) {
		struct bk_store_err err = { 0, "" };
		int frc = bk_store_flush(r.st, &err);
		if (frc < 0) {
			warnx_("ingest: %s", err.msg);
			r.stop = store_exit(frc);
		}
	}
	const struct bk_ingest_stats *s = bk_store_stats_ingest(r.st);
	char up[24] = "";
	if (r.pr)
		progress_finish(r.pr);
	if (!quiet)
		fprintf(stderr, "ingest: %llu %s, %llu records, %llu events new, "
			"%llu duplicates skipped, %llu addresses newly suppressed%s%s%s\n",
			r.messages, records ? "records read" : "messages", s->records,
			s->events_new, s->duplicates, s->suppressed_new,
			s->upgraded ? ", deferrals made final: " : "",
			s->upgraded ? (snprintf(up, sizeof(up), "%llu", s->upgraded), up) : "",
			r.stop ? " (stopped: the last batch was not written)" : "");
	if (!quiet && verbose && s->records)
		fprintf(stderr, "ingest: %llu batches, %llu statements (round trips to a"
			" server): %.3f a record\n", s->batches, s->statements,
			(double)s->statements / (double)s->records);
	bk_store_close(r.st);
	return r.stop ? r.stop : r.partial ? EXIT_PARTIAL : EXIT_OK;
}
