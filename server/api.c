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

/* Epoch seconds, or YYYY-MM-DD[THH:MM:SS[Z]] in UTC. */
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

/* since= and until= into *since and *until (0 when absent); false after
 * sending a 400 into *ret. */
bool
api_range(struct http *h, int64_t *since, int64_t *until, enum MHD_Result *ret)
{
	const char *names[2] = { "since", "until" };
	int64_t *outs[2] = { since, until };
	for (int i = 0; i < 2; i++) {
		const char *v = http_arg(h, names[i]);
		*outs[i] = 0;
		if (v && *v && !api_time(v, outs[i])) {
			char msg[128];
			snprintf(msg, sizeof(msg),
				 "%s: epoch seconds or YYYY-MM-DD[THH:MM:SSZ]", names[i]);
			*ret = http_error(h, MHD_HTTP_BAD_REQUEST, "bad_request", msg, NULL, NULL);
			return false;
		}
	}
	return true;
}

/* limit= (default def, at most max); false after a 400. */
bool
api_limit(struct http *h, size_t def, size_t max, size_t *out, enum MHD_Result *ret)
{
	const char *v = http_arg(h, "limit");
	*out = def;
	if (!v)
		return true;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n < 1 || n > max) {
		char msg[64];
		snprintf(msg, sizeof(msg), "limit: 1 to %zu", max);
		*ret = http_error(h, MHD_HTTP_BAD_REQUEST, "bad_request", msg, NULL, NULL);
		return false;
	}
	*out = n;
	return true;
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
http_event_json(void *arg, const struct bk_event *ev)
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

enum MHD_Result
api_stats(struct http *h)
{
	static const char *const bys[] = { "reason", "destination", "senderdomain",
		"provider", "day", "hour", NULL };
	const char *by = http_arg(h, "by");
	bool ok = false;
	for (int i = 0; by && bys[i]; i++)
		ok |= !strcmp(by, bys[i]);
	if (!ok)
		return http_error(h, MHD_HTTP_BAD_REQUEST, "bad_request",
				  "by: reason, destination, senderdomain, provider, day or hour",
				  NULL, NULL);
	int64_t since, until;
	enum MHD_Result ret;
	if (!api_range(h, &since, &until, &ret))
		return ret;
	json_t *rows = json_array();
	if (!rows)
		return MHD_NO;
	struct bk_store_err err = { 0 };
	struct bk_store *st = store_get(h->s);
	int rc = bk_store_stats(st, by, since, until, stat_row, rows, &err);
	store_put(h->s, st);
	if (rc < 0) {
		json_decref(rows);
		return http_error(h, http_store_status(rc), "store", err.msg, NULL, NULL);
	}
	json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "by", by,
			      "since", since ? json_integer(since) : json_null(),
			      "until", until ? json_integer(until) : json_null(),
			      "rows", rows);
	return http_json(h, MHD_HTTP_OK, o, NULL, NULL);
}

/* ---- GET /v1/events ---- */

#define EVENTS_DEFAULT 100
#define EVENTS_MAX 1000

enum MHD_Result
api_events(struct http *h)
{
	struct bk_event_filter f = {
		.address = http_arg(h, "address"),
		.domain = http_arg(h, "domain"),
		.reason = http_arg(h, "reason"),
		.evclass = http_arg(h, "class"),
		.channel = http_arg(h, "channel"),
	};
	enum MHD_Result ret;
	if (!api_range(h, &f.since, &f.until, &ret))
		return ret;
	size_t limit;
	if (!api_limit(h, EVENTS_DEFAULT, EVENTS_MAX, &limit, &ret))
		return ret;
	char addr[330];
	if (f.address && *f.address &&
	    (strlen(f.address) > 320 || !bk_store_normalize(f.address, addr, sizeof(addr))))
		return http_error(h, MHD_HTTP_BAD_REQUEST, "bad_address",
				  "address: not an e-mail address", NULL, NULL);
	static const char *const classes[] = { "hard", "soft", "complaint",
		"senderside", "delivered", "other", NULL };
	if (f.evclass && *f.evclass) {
		bool ok = false;
		for (int i = 0; classes[i]; i++)
			ok |= !strcmp(f.evclass, classes[i]);
		if (!ok)
			return http_error(h, MHD_HTTP_BAD_REQUEST, "bad_request",
					  "class: hard, soft, complaint, senderside, delivered or other",
					  NULL, NULL);
	}
	long long before = 0;
	const char *cur = http_arg(h, "cursor");
	if (cur && *cur) {
		char id[64], rest[64];
		char *end;
		if (!api_cursor_read(cur, "ev", id, rest, sizeof(id)) ||
		    (before = strtoll(id, &end, 10)) <= 0 || *end)
			return http_error(h, MHD_HTTP_BAD_REQUEST, "bad_cursor",
					  "the cursor is not one this server gave", NULL, NULL);
	}
	json_t *events = json_array();
	if (!events)
		return MHD_NO;
	struct bk_store_err err = { 0 };
	long long next = 0;
	struct bk_store *st = store_get(h->s);
	int rc = bk_store_events_page(st, &f, before, limit, http_event_json, events,
				      &next, &err);
	store_put(h->s, st);
	if (rc < 0) {
		json_decref(events);
		return http_error(h, rc == BK_STORE_EINVAL ? MHD_HTTP_BAD_REQUEST
							   : http_store_status(rc),
				  rc == BK_STORE_EINVAL ? "bad_request" : "store", err.msg,
				  NULL, NULL);
	}
	json_t *nc = json_null();
	if (next) {
		char id[32];
		snprintf(id, sizeof(id), "%lld", next);
		char *c = api_cursor_make("ev", id, NULL);
		if (!c) {
			json_decref(events);
			return MHD_NO;
		}
		nc = json_string(c);
		free(c);
	}
	return http_json(h, MHD_HTTP_OK, json_pack("{s:o, s:o}", "events", events,
						   "next", nc), NULL, NULL);
}
