/* SPDX-License-Identifier: BSD-2-Clause */
/* api.c - the reading calls of the HTTP API (docs/api.md): GET /v1/stats
 * and GET /v1/events (filters, cursor paging), and the helpers the other
 * calls share (times, limits, opaque cursors, an event as JSON). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "server/api.h"

/* ---- arguments ---- */

int
api_arg(const struct bk_http_req *rq, struct bk_http_resp *rs, const char *name,
	char *out, size_t outlen)
{
	int r = bk_http_arg(rq, name, out, outlen);
	if (r < 0) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s: bad percent-encoding, or too long", name);
		bk_http_error(rs, 400, "bad_request", msg);
		return -1;
	}
	return r > 0 && *out ? 1 : 0;
}

bool
api_time(const char *s, int64_t *out)
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

int
api_range(const struct bk_http_req *rq, struct bk_http_resp *rs, int64_t *since,
	  int64_t *until)
{
	const char *names[2] = { "since", "until" };
	int64_t *outs[2] = { since, until };
	for (int i = 0; i < 2; i++) {
		char v[64];
		*outs[i] = 0;
		int r = api_arg(rq, rs, names[i], v, sizeof(v));
		if (r < 0)
			return -1;
		if (r > 0 && !api_time(v, outs[i])) {
			char msg[128];
			snprintf(msg, sizeof(msg),
				 "%s: epoch seconds or YYYY-MM-DD[THH:MM:SSZ]", names[i]);
			bk_http_error(rs, 400, "bad_request", msg);
			return -1;
		}
	}
	return 0;
}

int
api_limit(const struct bk_http_req *rq, struct bk_http_resp *rs, size_t def,
	  size_t max, size_t *out)
{
	char v[32];
	*out = def;
	int r = bk_http_arg(rq, "limit", v, sizeof(v));
	if (r == 0)
		return 0;
	char *end;
	errno = 0;
	unsigned long n = r > 0 ? strtoul(v, &end, 10) : 0;
	if (r < 0 || errno || end == v || *end || v[0] == '-' || n < 1 || n > max) {
		char msg[64];
		snprintf(msg, sizeof(msg), "limit: 1 to %zu", max);
		bk_http_error(rs, 400, "bad_request", msg);
		return -1;
	}
	*out = n;
	return 0;
}

/* ---- cursors: base64url of "KIND\x1fFIELD\x1fFIELD" ---- */

char *
api_cursor_make(const char *kind, const char *f1, const char *f2)
{
	char raw[700];
	int n = snprintf(raw, sizeof(raw), "%s\x1f%s\x1f%s", kind, f1, f2 ? f2 : "");
	if (n < 0 || (size_t)n >= sizeof(raw))
		return NULL;
	char *out = malloc(4 * ((size_t)n / 3 + 1) + 1);
	if (!out)
		return NULL;
	int m = EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)raw, n);
	while (m > 0 && out[m - 1] == '=')
		m--;
	out[m] = '\0';
	for (int i = 0; i < m; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	return out;
}

/* Splits a cursor of that kind into f1 and f2 (bufsz bytes each). */
bool
api_cursor_read(const char *c, const char *kind, char *f1, char *f2, size_t bufsz)
{
	size_t n = strlen(c);
	if (!n || n > 900)
		return false;
	char b64[912];
	for (size_t i = 0; i < n; i++) {
		char ch = c[i];
		if (ch == '-')
			ch = '+';
		else if (ch == '_')
			ch = '/';
		else if (!isalnum((unsigned char)ch))
			return false;
		b64[i] = ch;
	}
	while (n % 4)
		b64[n++] = '=';
	b64[n] = '\0';
	unsigned char raw[700];
	int m = EVP_DecodeBlock(raw, (unsigned char *)b64, (int)n);
	if (m < 0)
		return false;
	/* EVP_DecodeBlock counts the padding as zero bytes */
	for (size_t i = n; i > 0 && b64[i - 1] == '='; i--)
		m--;
	raw[m] = '\0';
	if (memchr(raw, '\0', (size_t)m))
		return false;
	char *a = strchr((char *)raw, '\x1f');
	char *b = a ? strchr(a + 1, '\x1f') : NULL;
	if (!a || !b || strchr(b + 1, '\x1f'))
		return false;
	*a = *b = '\0';
	if (strcmp((char *)raw, kind) || strlen(a + 1) >= bufsz || strlen(b + 1) >= bufsz)
		return false;
	strcpy(f1, a + 1);
	strcpy(f2, b + 1);
	return true;
}

/* ---- an event as JSON ---- */

int
api_event_json(void *arg, const struct bk_event *ev)
{
	json_t *arr = arg;
	const struct bk_record *r = &ev->rec;
#define S(x) ((x) ? (x) : "")
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
			      " s:s, s:s, s:s, s:b, s:s, s:s, s:s}",
			      "id", (json_int_t)ev->id,
			      "key", S(ev->key), "channel", S(ev->channel),
			      "ingested", (json_int_t)ev->ingested,
			      "timestamp", (json_int_t)r->timestamp,
			      "recipient", S(r->recipient), "addresser", S(r->addresser),
			      "action", S(r->action), "reason", S(r->reason),
			      "deliverystatus", S(r->deliverystatus),
			      "replycode", S(r->replycode),
			      "diagnosticcode", S(r->diagnosticcode),
			      "rhost", S(r->rhost), "decodedby", S(r->decodedby),
			      "class", S(ev->evclass),
			      "hardbounce", r->hardbounce, "subject", S(r->subject),
			      "destination", S(r->destination),
			      "senderdomain", S(r->senderdomain));
#undef S
	if (!o)
		return -1;
	return json_array_append_new(arr, o) ? -1 : 0;
}

/* ---- GET /v1/stats ---- */

static int
stat_row(void *arg, const struct bk_stat_row *row)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "key", row->key, "events", (json_int_t)row->events,
			      "hard", (json_int_t)row->hard, "soft", (json_int_t)row->soft,
			      "complaint", (json_int_t)row->complaint,
			      "senderside", (json_int_t)row->senderside,
			      "delivered", (json_int_t)row->delivered,
			      "other", (json_int_t)row->other,
			      "addresses", (json_int_t)row->addresses);
	if (!o)
		return -1;
	return json_array_append_new(arg, o) ? -1 : 0;
}

static int
store_error(struct bk_http_resp *rs, int rc, const struct bk_store_err *err)
{
	if (rc == BK_STORE_EINVAL)
		return bk_http_error(rs, 400, "bad_request", err->msg);
	return bk_http_error(rs, api_store_status(rc), "store", err->msg);
}

int
api_stats(struct bk_server *s, const struct bk_http_req *rq,
	  struct bk_http_resp *rs)
{
	static const char *const bys[] = { "reason", "destination", "senderdomain",
		"provider", "day", "hour", NULL };
	char by[16];
	int r = api_arg(rq, rs, "by", by, sizeof(by));
	if (r < 0)
		return 0;
	bool ok = false;
	for (int i = 0; r > 0 && bys[i]; i++)
		ok |= !strcmp(by, bys[i]);
	if (!ok)
		return bk_http_error(rs, 400, "bad_request",
				     "by: reason, destination, senderdomain, provider, day or hour");
	int64_t since, until;
	if (api_range(rq, rs, &since, &until) < 0)
		return 0;
	json_t *rows = json_array();
	if (!rows)
		return -1;
	struct bk_store_err err = { 0 };
	struct bk_store *st = bk_server_store(s);
	if (!st) {
		json_decref(rows);
		return bk_http_error(rs, 503, "store", "the store could not be opened");
	}
	int rc = bk_store_stats(st, by, since, until, stat_row, rows, &err);
	bk_server_release(s, st);
	if (rc < 0) {
		json_decref(rows);
		return store_error(rs, rc, &err);
	}
	json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "by", by,
			      "since", since ? json_integer(since) : json_null(),
			      "until", until ? json_integer(until) : json_null(),
			      "rows", rows);
	return bk_http_json(rs, 200, o);
}

/* ---- GET /v1/events ---- */

#define EVENTS_DEFAULT 100
#define EVENTS_MAX 1000

int
api_events(struct bk_server *s, const struct bk_http_req *rq,
	   struct bk_http_resp *rs)
{
	char addr[330], dom[256], reason[64], cls[16], chan[32], cur[128];
	struct bk_event_filter f;
	memset(&f, 0, sizeof(f));
	int r;
	if ((r = api_arg(rq, rs, "address", addr, sizeof(addr))) < 0)
		return 0;
	if (r) {
		char norm[330];
		if (strlen(addr) > 320 || !bk_store_normalize(addr, norm, sizeof(norm)))
			return bk_http_error(rs, 400, "bad_address",
					     "address: not an e-mail address");
		f.address = addr;
	}
	if ((r = api_arg(rq, rs, "domain", dom, sizeof(dom))) < 0)
		return 0;
	f.domain = r ? dom : NULL;
	if ((r = api_arg(rq, rs, "reason", reason, sizeof(reason))) < 0)
		return 0;
	f.reason = r ? reason : NULL;
	if ((r = api_arg(rq, rs, "channel", chan, sizeof(chan))) < 0)
		return 0;
	f.channel = r ? chan : NULL;
	if ((r = api_arg(rq, rs, "class", cls, sizeof(cls))) < 0)
		return 0;
	if (r) {
		static const char *const classes[] = { "hard", "soft", "complaint",
			"senderside", "delivered", "other", NULL };
		bool ok = false;
		for (int i = 0; classes[i]; i++)
			ok |= !strcmp(cls, classes[i]);
		if (!ok)
			return bk_http_error(rs, 400, "bad_request",
					     "class: hard, soft, complaint, senderside, delivered or other");
		f.evclass = cls;
	}
	if (api_range(rq, rs, &f.since, &f.until) < 0)
		return 0;
	size_t limit;
	if (api_limit(rq, rs, EVENTS_DEFAULT, EVENTS_MAX, &limit) < 0)
		return 0;
	long long before = 0;
	if ((r = bk_http_arg(rq, "cursor", cur, sizeof(cur))) != 0) {
		char id[64], rest[64];
		char *end;
		if (r < 0 || !api_cursor_read(cur, "ev", id, rest, sizeof(id)) ||
		    (before = strtoll(id, &end, 10)) <= 0 || *end)
			return bk_http_error(rs, 400, "bad_cursor",
					     "the cursor is not one this server gave");
	}
	json_t *events = json_array();
	if (!events)
		return -1;
	struct bk_store_err err = { 0 };
	long long next = 0;
	struct bk_store *st = bk_server_store(s);
	if (!st) {
		json_decref(events);
		return bk_http_error(rs, 503, "store", "the store could not be opened");
	}
	int rc = bk_store_events_page(st, &f, before, limit, api_event_json, events,
				      &next, &err);
	bk_server_release(s, st);
	if (rc < 0) {
		json_decref(events);
		return store_error(rs, rc, &err);
	}
	json_t *nc = json_null();
	if (next) {
		char id[32];
		snprintf(id, sizeof(id), "%lld", next);
		char *c = api_cursor_make("ev", id, NULL);
		if (!c) {
			json_decref(events);
			return -1;
		}
		nc = json_string(c);
		free(c);
	}
	return bk_http_json(rs, 200, json_pack("{s:o, s:o}", "events", events, "next", nc));
}
