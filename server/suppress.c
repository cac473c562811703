/* SPDX-License-Identifier: BSD-2-Clause */
/* suppress.c - the suppression list over HTTP (docs/api.md): GET
 * /v1/suppressions (filters, cursor paging; format=csv|ndjson streams
 * every matching row), PUT and DELETE /v1/suppressions/{address} (manual
 * changes, audited with the token's name and the reason given) and POST
 * /v1/suppressions/import (CSV or NDJSON, line by line). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server/api.h"

#define SUPP_DEFAULT 100
#define SUPP_MAX 1000
#define EXPORT_PAGE 1000
#define IMPORT_ERRORS 100	/* bad lines listed in the answer (all counted) */

/* ---- strings ---- */

/* A JSON string of s, its bytes that are not UTF-8 replaced by U+FFFD
 * (addresses are bytes: jansson takes UTF-8 only). */
static json_t *
jstr(const char *s)
{
	json_t *v = json_string(s);
	if (v)
		return v;
	size_t n = strlen(s);
	char *t = malloc(3 * n + 1), *o = t;
	if (!t)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t k = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = k > 0;
		for (size_t i = 1; ok && i < k; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok) {
			json_t *one = json_stringn((const char *)p, k);
			ok = one != NULL;
			json_decref(one);
		}
		if (ok) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	v = json_string(t);
	free(t);
	return v;
}

/* A scope: "" (global) or a sender domain, [A-Za-z0-9.-], lower-cased. */
static bool
scope_ok(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in);
	if (n >= outlen || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c && !isalnum(c) && c != '.' && c != '-')
			return false;
		out[i] = (char)tolower(c);
	}
	return true;
}

static void
iso(int64_t t, char *buf, size_t n)
{
	if (!t) {
		buf[0] = '\0';
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- one suppression, as JSON and as CSV ---- */

static json_t *
supp_json(const struct bk_addr_state *a)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "address", jstr(a->address));
	json_object_set_new(o, "scope", jstr(a->scope));
	json_object_set_new(o, "verdict", json_string(a->verdict));
	json_object_set_new(o, "basis", json_string(a->basis));
	json_object_set_new(o, "since", json_integer(a->since));
	json_object_set_new(o, "until", !strcmp(a->verdict, "retry-after")
					    ? json_integer(a->until) : json_null());
	json_object_set_new(o, "reason", jstr(a->last_reason));
	json_object_set_new(o, "status", jstr(a->last_status));
	json_object_set_new(o, "hard", json_integer(a->hard));
	json_object_set_new(o, "soft", json_integer(a->soft));
	json_object_set_new(o, "complaint", json_integer(a->complaint));
	json_object_set_new(o, "cause", jstr(a->cause));
	if (json_object_size(o) != 12) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A growing buffer. */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8192;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *t = realloc(b->p, cap);
		if (!t) {
			b->oom = true;
			return;
		}
		b->p = t;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * end. */
static void
csv(struct buf *b, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		put(b, "\"", 1);
		for (; *s; s++) {
			if (*s == '"')
				put(b, "\"\"", 2);
			else
				put(b, s, 1);
		}
		put(b, "\"", 1);
	} else {
		puts_(b, s);
	}
	put(b, last ? "\n" : ",", 1);
}

static const char csv_header[] =
	"scope,address,verdict,basis,since,until,reason,status,hard,soft,complaint,cause\n";

static void
supp_csv(struct buf *b, const struct bk_addr_state *a)
{
	char t1[32], t2[32], n[96];
	iso(a->since, t1, sizeof(t1));
	iso(!strcmp(a->verdict, "retry-after") ? a->until : 0, t2, sizeof(t2));
	csv(b, a->scope, false);
	csv(b, a->address, false);
	csv(b, a->verdict, false);
	csv(b, a->basis, false);
	csv(b, t1, false);
	csv(b, t2, false);
	csv(b, a->last_reason, false);
	csv(b, a->last_status, false);
	snprintf(n, sizeof(n), "%lld,%lld,%lld,", a->hard, a->soft, a->complaint);
	puts_(b, n);
	csv(b, a->cause, true);
}

/* ---- GET /v1/suppressions ---- */

enum fmt { F_JSON, F_CSV, F_NDJSON };

/* The filters of a listing, copied (an export outlives the handler). */
struct supp_query {
	char reason[64], basis[16], verdict[16], domain[256], scope[256];
	bool scoped;
	struct bk_supp_filter f;
};

static int
read_filters(const struct bk_http_req *rq, struct bk_http_resp *rs,
	     struct supp_query *q)
{
	memset(q, 0, sizeof(*q));
	int r;
	if ((r = api_arg(rq, rs, "reason", q->reason, sizeof(q->reason))) < 0)
		return -1;
	q->f.reason = r ? q->reason : NULL;
	if ((r = api_arg(rq, rs, "class", q->basis, sizeof(q->basis))) < 0)
		return -1;
	if (r) {
		if (strcmp(q->basis, "hard") && strcmp(q->basis, "soft") &&
		    strcmp(q->basis, "complaint") && strcmp(q->basis, "manual")) {
			bk_http_error(rs, 400, "bad_request",
				      "class: hard, soft, complaint or manual");
			return -1;
		}
		q->f.basis = q->basis;
	}
	if ((r = api_arg(rq, rs, "verdict", q->verdict, sizeof(q->verdict))) < 0)
		return -1;
	if (r) {
		if (strcmp(q->verdict, "suppressed") && strcmp(q->verdict, "retry-after")) {
			bk_http_error(rs, 400, "bad_request",
				      "verdict: suppressed or retry-after");
			return -1;
		}
		q->f.verdict = q->verdict;
	}
	char tmp[256];
	if ((r = api_arg(rq, rs, "domain", tmp, sizeof(tmp))) < 0)
		return -1;
	if (r) {
		if (!scope_ok(tmp, q->domain, sizeof(q->domain))) {
			bk_http_error(rs, 400, "bad_request", "domain: not a domain name");
			return -1;
		}
		q->f.domain = q->domain;
	}
	/* scope= (empty: the global scope) */
	r = bk_http_arg(rq, "scope", tmp, sizeof(tmp));
	if (r < 0 || (r > 0 && !scope_ok(tmp, q->scope, sizeof(q->scope)))) {
		bk_http_error(rs, 400, "bad_request", "scope: empty or a domain name");
		return -1;
	}
	q->f.scope = r > 0 ? q->scope : NULL;
	if (api_range(rq, rs, &q->f.since, &q->f.until) < 0)
		return -1;
	return 0;
}

static int
add_json(void *arg, const struct bk_addr_state *a)
{
	json_t *o = supp_json(a);
	if (!o)
		return -1;
	return json_array_append_new(arg, o) ? -1 : 0;
}

/* A streamed export: pages of EXPORT_PAGE rows, read as the client reads. */
struct export {
	struct bk_server *s;
	struct supp_query q;
	enum fmt fmt;
	int64_t now;
	char scope[256], addr[321];	/* the last row given */
	bool more, header;
	struct buf b;
	size_t off;
};

static int
add_row(void *arg, const struct bk_addr_state *a)
{
	struct export *e = arg;
	if (e->fmt == F_CSV) {
		supp_csv(&e->b, a);
	} else {
		json_t *o = supp_json(a);
		char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (!t)
			return -1;
		puts_(&e->b, t);
		put(&e->b, "\n", 1);
		free(t);
	}
	snprintf(e->scope, sizeof(e->scope), "%s", a->scope);
	snprintf(e->addr, sizeof(e->addr), "%s", a->address);
	return e->b.oom ? -1 : 0;
}

static ssize_t
export_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct export *e = cls;
	if (e->off == e->b.len) {
		e->b.len = e->off = 0;
		if (!e->header) {
			e->header = true;
			if (e->fmt == F_CSV)
				puts_(&e->b, csv_header);
		}
		while (e->b.len == 0 && e->more) {
			struct bk_store_err err = { 0 };
			struct bk_store *st = bk_server_store(e->s);
			if (!st)
				return -2;	/* MHD_CONTENT_READER_END_WITH_ERROR */
			int rc = bk_store_suppressions_page(st, &e->q.f, e->now, e->scope,
							    e->addr, EXPORT_PAGE, add_row,
							    e, &e->more, &err);
			bk_server_release(e->s, st);
			if (rc < 0 || e->b.oom) {
				fprintf(stderr, "bouncekit: serve: export stopped: %s\n",
					rc < 0 ? err.msg : "out of memory");
				return -2;
			}
		}
		if (e->b.len == 0)
			return -1;	/* MHD_CONTENT_READER_END_OF_STREAM */
	}
	size_t n = e->b.len - e->off;
	if (n > max)
		n = max;
	memcpy(out, e->b.p + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static void
export_free(void *cls)
{
	struct export *e = cls;
	free(e->b.p);
	free(e);
}

/* The format: format= first, then the Accept header; JSON by default. */
static int
pick_format(const struct bk_http_req *rq, struct bk_http_resp *rs, enum fmt *f)
{
	char v[16];
	int r = api_arg(rq, rs, "format", v, sizeof(v));
	*f = F_JSON;
	if (r < 0)
		return -1;
	if (r) {
		if (!strcmp(v, "csv"))
			*f = F_CSV;
		else if (!strcmp(v, "ndjson"))
			*f = F_NDJSON;
		else if (strcmp(v, "json")) {
			bk_http_error(rs, 400, "bad_request", "format: json, csv or ndjson");
			return -1;
		}
		return 0;
	}
	const char *acc = bk_http_get_header(rq, "Accept");
	if (acc && strstr(acc, "text/csv"))
		*f = F_CSV;
	else if (acc && (strstr(acc, "application/x-ndjson") || strstr(acc, "application/ndjson")))
		*f = F_NDJSON;
	return 0;
}

int
api_suppressions(struct bk_server *s, const struct bk_http_req *rq,
		 struct bk_http_resp *rs)
{
	enum fmt fmt;
	if (pick_format(rq, rs, &fmt) < 0)
		return 0;
	struct supp_query q;
	if (read_filters(rq, rs, &q) < 0)
		return 0;
	int64_t now = (int64_t)time(NULL);
	if (fmt != F_JSON) {
		struct export *e = calloc(1, sizeof(*e));
		if (!e)
			return -1;
		e->s = s;
		e->q = q;
		/* the filter's pointers, into the copy */
		e->q.f.reason = q.f.reason ? e->q.reason : NULL;
		e->q.f.basis = q.f.basis ? e->q.basis : NULL;
		e->q.f.verdict = q.f.verdict ? e->q.verdict : NULL;
		e->q.f.domain = q.f.domain ? e->q.domain : NULL;
		e->q.f.scope = q.f.scope ? e->q.scope : NULL;
		e->fmt = fmt;
		e->now = now;
		e->more = true;
		return bk_http_stream(rs, 200, fmt == F_CSV ? "text/csv; charset=utf-8"
							    : "application/x-ndjson",
				      export_read, e, export_free);
	}
	size_t limit;
	if (api_limit(rq, rs, SUPP_DEFAULT, SUPP_MAX, &limit) < 0)
		return 0;
	char cur[1024], sc[256] = "", ad[321] = "";
	int r = bk_http_arg(rq, "cursor", cur, sizeof(cur));
	if (r < 0 || (r > 0 && !api_cursor_read(cur, "sp", sc, ad, sizeof(sc))))
		return bk_http_error(rs, 400, "bad_cursor",
				     "the cursor is not one this server gave");
	json_t *arr = json_array();
	if (!arr)
		return -1;
	struct bk_store_err err = { 0 };
	bool more = false;
	struct bk_store *st = bk_server_store(s);
	if (!st) {
		json_decref(arr);
		return bk_http_error(rs, 503, "store", "the store could not be opened");
	}
	int rc = bk_store_suppressions_page(st, &q.f, now, sc, ad, limit, add_json, arr,
					    &more, &err);
	bk_server_release(s, st);
	if (rc < 0) {
		json_decref(arr);
		return rc == BK_STORE_EINVAL ? bk_http_error(rs, 400, "bad_request", err.msg)
			: bk_http_error(rs, api_store_status(rc), "store", err.msg);
	}
	json_t *next = json_null();
	size_t n = json_array_size(arr);
	if (more && n) {
		json_t *last = json_array_get(arr, n - 1);
		/* the position: the row's own scope and address (bytes) */
		char *c = api_cursor_make("sp", json_string_value(json_object_get(last, "scope")),
					  json_string_value(json_object_get(last, "address")));
		if (!c) {
			json_decref(arr);
			return -1;
		}
		next = json_string(c);
		free(c);
	}
	return bk_http_json(rs, 200, json_pack("{s:o, s:o}", "suppressions", arr, "next", next));
}

/* ---- PUT and DELETE /v1/suppressions/{address} ---- */

/* The address's state in scope after a change, as JSON. */
static int
answer_state(struct bk_store *st, struct bk_http_resp *rs, const char *addr,
	     const char *scope)
{
	struct bk_addr_state a;
	struct bk_store_err err = { 0 };
	int rc = bk_store_query(st, addr, scope, (int64_t)time(NULL), &a, &err);
	if (rc < 0)
		return bk_http_error(rs, api_store_status(rc), "store", err.msg);
	json_t *o = json_object();
	if (!o)
		return -1;
	json_object_set_new(o, "address", jstr(addr));
	json_object_set_new(o, "scope", jstr(scope));
	json_object_set_new(o, "verdict", json_string(a.verdict));
	json_object_set_new(o, "basis", json_string(a.basis));
	json_object_set_new(o, "since", a.known ? json_integer(a.since) : json_null());
	json_object_set_new(o, "cause", json_string(a.cause));
	return bk_http_json(rs, 200, o);
}

/* reason and scope from a JSON body (PUT) or the query (DELETE, or a
 * body-less PUT); -1 after a 400. */
static int
change_args(const struct bk_http_req *rq, struct bk_http_resp *rs, bool need_reason,
	    char *reason, size_t rlen, char *scope, size_t slen, bool *force)
{
	char sc[300] = "", fz[8] = "";
	reason[0] = '\0';
	if (rq->len) {
		json_error_t jerr;
		json_t *in = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &jerr);
		if (!in) {
			char msg[256];
			snprintf(msg, sizeof(msg), "bad JSON: %s (line %d, column %d)",
				 jerr.text, jerr.line, jerr.column);
			bk_http_error(rs, 400, "bad_json", msg);
			return -1;
		}
		json_t *r = json_object_get(in, "reason"), *s = json_object_get(in, "scope"),
		       *f = json_object_get(in, "force");
		if (!json_is_object(in) || (r && !json_is_string(r)) ||
		    (s && !json_is_string(s)) || (f && !json_is_boolean(f)) ||
		    (r && strlen(json_string_value(r)) >= rlen) ||
		    (s && strlen(json_string_value(s)) >= sizeof(sc))) {
			json_decref(in);
			bk_http_error(rs, 400, "bad_request",
				      "expected {\"reason\": TEXT, \"scope\": DOMAIN, \"force\": BOOL}"
				      " (reason at most 500 bytes)");
			return -1;
		}
		if (r)
			snprintf(reason, rlen, "%s", json_string_value(r));
		if (s)
			snprintf(sc, sizeof(sc), "%s", json_string_value(s));
		if (f)
			snprintf(fz, sizeof(fz), "%s", json_is_true(f) ? "true" : "false");
		json_decref(in);
	}
	char tmp[512];
	int q;
	if (!*reason && (q = api_arg(rq, rs, "reason", tmp, sizeof(tmp))) != 0) {
		if (q < 0 || strlen(tmp) >= rlen) {
			if (q > 0)
				bk_http_error(rs, 400, "bad_request", "reason: at most 500 bytes");
			return -1;
		}
		memcpy(reason, tmp, strlen(tmp) + 1);	/* shorter than rlen: checked */
	}
	if (!*sc && (q = api_arg(rq, rs, "scope", sc, sizeof(sc))) < 0)
		return -1;
	if (!*fz && (q = api_arg(rq, rs, "force", fz, sizeof(fz))) < 0)
		return -1;
	if (need_reason && !*reason) {
		bk_http_error(rs, 400, "bad_request", "a reason is needed (it goes to the audit trail)");
		return -1;
	}
	if (!scope_ok(sc, scope, slen)) {
		bk_http_error(rs, 400, "bad_request", "scope: empty or a domain name");
		return -1;
	}
	if (force) {
		if (*fz && strcmp(fz, "true") && strcmp(fz, "false") && strcmp(fz, "1") &&
		    strcmp(fz, "0")) {
			bk_http_error(rs, 400, "bad_request", "force: true or false");
			return -1;
		}
		*force = !strcmp(fz, "true") || !strcmp(fz, "1");
	}
	return 0;
}

static int
change(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs,
       bool suppress)
{
	char addr[330], reason[501], scope[256];
	bool force = false;
	if (strlen(rq->param) > 320 || !bk_store_normalize(rq->param, addr, sizeof(addr)))
		return bk_http_error(rs, 400, "bad_address", "not an e-mail address");
	if (change_args(rq, rs, true, reason, sizeof(reason), scope, sizeof(scope),
			suppress ? NULL : &force) < 0)
		return 0;
	struct bk_store_err err = { 0 };
	struct bk_store *st = bk_server_store(s);
	if (!st)
		return bk_http_error(rs, 503, "store", "the store could not be opened");
	int rc;
	if (!suppress) {
		struct bk_addr_state a;
		rc = bk_store_query(st, addr, scope, (int64_t)time(NULL), &a, &err);
		if (rc >= 0 && strcmp(a.verdict, "suppressed") && strcmp(a.verdict, "retry-after")) {
			bk_server_release(s, st);
			return bk_http_error(rs, 404, "not_suppressed",
					     "the address is not suppressed in this scope");
		}
	}
	if (suppress)
		rc = bk_store_suppress(st, addr, scope, rq->token_name, reason, &err);
	else
		rc = bk_store_unsuppress(st, addr, scope, force, rq->token_name, reason, &err);
	int ret;
	if (rc == BK_STORE_EREFUSED)
		ret = bk_http_error(rs, 409, "complaint",
				    "suppressed by a complaint: lifted only with force=true");
	else if (rc == BK_STORE_EINVAL)
		ret = bk_http_error(rs, 400, "bad_request", err.msg);
	else if (rc < 0)
		ret = bk_http_error(rs, api_store_status(rc), "store", err.msg);
	else
		ret = answer_state(st, rs, addr, scope);
	bk_server_release(s, st);
	return ret;
}

int
api_suppress(struct bk_server *s, const struct bk_http_req *rq,
	     struct bk_http_resp *rs)
{
	return change(s, rq, rs, true);
}

int
api_unsuppress(struct bk_server *s, const struct bk_http_req *rq,
	       struct bk_http_resp *rs)
{
	return change(s, rq, rs, false);
}

/* ---- POST /v1/suppressions/import ---- */

/* The next CSV field of line (RFC 4180 quoting) into out; the position
 * after it (past the comma), or NULL at the end of the line.  *bad is set
 * for a quote that does not close. */
static const char *
csv_field(const char *p, const char *end, char *out, size_t outlen, bool *bad)
{
	size_t n = 0;
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			if (p >= end) {
				*bad = true;
				return NULL;
			}
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"') {
					p++;
				} else {
					p++;
					break;
				}
			}
			if (n + 1 < outlen)
				out[n++] = *p;
			else
				*bad = true;
			p++;
		}
		out[n] = '\0';
		if (p < end && *p != ',')
			*bad = true;
	} else {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c ? c : end;
		if ((size_t)(e - p) >= outlen)
			*bad = true;
		else {
			memcpy(out, p, (size_t)(e - p));
			out[e - p] = '\0';
		}
		p = e;
	}
	if (p < end && *p == ',')
		return p + 1;
	return NULL;
}

#define IMPORT_BATCH 500	/* suppressions a transaction */

struct import {
	json_t *errors;
	long long nerrors, applied, lines;
	struct bk_manual_item item[IMPORT_BATCH];
	long long line[IMPORT_BATCH];
	char *mem[IMPORT_BATCH];
	size_t n;
	long long failed_at;	/* the first line of a batch the store refused */
};

static void
bad_line(struct import *im, long long line, const char *msg)
{
	im->nerrors++;
	if (json_array_size(im->errors) < IMPORT_ERRORS)
		json_array_append_new(im->errors, json_pack("{s:I, s:s}", "line",
							    (json_int_t)line, "message", msg));
}

static void
batch_clear(struct import *im)
{
	for (size_t i = 0; i < im->n; i++)
		free(im->mem[i]);
	im->n = 0;
}

/* Writes the batch in one transaction: all of it, or none. */
static int
batch_flush(struct import *im, struct bk_store *st, const char *who,
	    struct bk_store_err *err)
{
	int rc = bk_store_suppress_many(st, im->item, im->n, who, err);
	if (rc < 0) {
		im->failed_at = im->line[0];
	} else {
		for (size_t i = 0; i < im->n; i++) {
			if (im->item[i].rc < 0)
				bad_line(im, im->line[i], "not an e-mail address");
			else
				im->applied++;
		}
	}
	batch_clear(im);
	return rc;
}

static int
batch_add(struct import *im, long long line, const char *addr, const char *scope,
	  const char *reason)
{
	size_t a = strlen(addr) + 1, s = strlen(scope) + 1, r = strlen(reason) + 1;
	char *m = malloc(a + s + r);
	if (!m)
		return -1;
	memcpy(m, addr, a);
	memcpy(m + a, scope, s);
	memcpy(m + a + s, reason, r);
	im->mem[im->n] = m;
	im->item[im->n] = (struct bk_manual_item){ m, m + a, m + a + s, 0 };
	im->line[im->n] = line;
	im->n++;
	return 0;
}

int
api_import(struct bk_server *s, const struct bk_http_req *rq,
	   struct bk_http_resp *rs)
{
	char v[32], defreason[501];
	int r = api_arg(rq, rs, "format", v, sizeof(v));
	if (r < 0)
		return 0;
	enum fmt fmt = F_CSV;
	const char *ct = bk_http_get_header(rq, "Content-Type");
	const char *b = rq->body ? rq->body : "";
	while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
		b++;
	if (r) {
		if (!strcmp(v, "ndjson"))
			fmt = F_NDJSON;
		else if (strcmp(v, "csv"))
			return bk_http_error(rs, 400, "bad_request", "format: csv or ndjson");
	} else if (ct && (strstr(ct, "ndjson") || strstr(ct, "application/json"))) {
		fmt = F_NDJSON;
	} else if (!(ct && strstr(ct, "text/csv")) && *b == '{') {
		fmt = F_NDJSON;
	}
	if ((r = api_arg(rq, rs, "reason", defreason, sizeof(defreason))) < 0)
		return 0;
	if (!r)
		snprintf(defreason, sizeof(defreason), "import");
	if (!rq->len)
		return bk_http_error(rs, 400, "empty",
				     "the body is the list: CSV (address[,scope[,comment]]) or NDJSON");
	struct import *imp = calloc(1, sizeof(*imp));
	if (!imp)
		return -1;
	imp->errors = json_array();
	if (!imp->errors) {
		free(imp);
		return -1;
	}
	struct bk_store *st = bk_server_store(s);
	if (!st) {
		json_decref(imp->errors);
		free(imp);
		return bk_http_error(rs, 503, "store", "the store could not be opened");
	}
	/* CSV columns: by the header when the first line has one ("address"
	 * among its fields), else address, scope, comment */
	int col_addr = 0, col_scope = 1, col_comment = 2;
	int rc = 0;
	struct bk_store_err err = { 0 };
	const char *p = rq->body, *end = rq->body + rq->len;
	long long line = 0;
	while (p < end && rc >= 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
		line++;
		if (le > p && le[-1] == '\r')
			le--;
		char addr[400] = "", scope[300] = "", comment[600] = "";
		bool blank = le == p, bad = false, skip = false;
		if (blank) {
			p = next;
			continue;
		}
		if (memchr(p, '\0', (size_t)(le - p))) {
			bad_line(imp, line, "a NUL byte");
			p = next;
			continue;
		}
		if (fmt == F_CSV) {
			char f[16][600];
			int nf = 0;
			const char *q = p;
			while (q && nf < 16) {
				q = csv_field(q, le, f[nf], sizeof(f[nf]), &bad);
				nf++;
			}
			if (q)
				bad = true;	/* more than 16 fields */
			if (line == 1 && !bad) {
				int a = -1, sc = -1, cm = -1;
				for (int i = 0; i < nf; i++) {
					if (!strcasecmp(f[i], "address"))
						a = i;
					else if (!strcasecmp(f[i], "scope"))
						sc = i;
					else if (!strcasecmp(f[i], "comment") ||
						 !strcasecmp(f[i], "note"))
						cm = i;
				}
				if (a >= 0) {
					col_addr = a;
					col_scope = sc;
					col_comment = cm;
					skip = true;
				}
			}
			if (!skip && !bad) {
				if (col_addr < nf)
					snprintf(addr, sizeof(addr), "%s", f[col_addr]);
				if (col_scope >= 0 && col_scope < nf)
					snprintf(scope, sizeof(scope), "%s", f[col_scope]);
				if (col_comment >= 0 && col_comment < nf)
					snprintf(comment, sizeof(comment), "%s", f[col_comment]);
			}
		} else {
			json_error_t jerr;
			json_t *o = json_loadb(p, (size_t)(le - p), JSON_REJECT_DUPLICATES, &jerr);
			json_t *a = o ? json_object_get(o, "address") : NULL;
			json_t *sc = o ? json_object_get(o, "scope") : NULL;
			json_t *cm = o ? json_object_get(o, "comment") : NULL;
			if (!json_is_object(o) || !json_is_string(a) || (sc && !json_is_string(sc)) ||
			    (cm && !json_is_string(cm)) ||
			    strlen(json_string_value(a)) >= sizeof(addr) ||
			    (sc && strlen(json_string_value(sc)) >= sizeof(scope)) ||
			    (cm && strlen(json_string_value(cm)) >= sizeof(comment))) {
				bad_line(imp, line, o ? "expected {\"address\": ADDRESS, \"scope\": DOMAIN,"
						       " \"comment\": TEXT}" : "not JSON");
				json_decref(o);
				p = next;
				continue;
			}
			snprintf(addr, sizeof(addr), "%s", json_string_value(a));
			if (sc)
				snprintf(scope, sizeof(scope), "%s", json_string_value(sc));
			if (cm)
				snprintf(comment, sizeof(comment), "%s", json_string_value(cm));
			json_decref(o);
		}
		p = next;
		if (skip)
			continue;
		imp->lines++;
		char norm[330], nsc[256];
		if (bad) {
			bad_line(imp, line, "bad CSV (an open quote, a field over 599 bytes"
					    " or over 16 fields)");
			continue;
		}
		if (strlen(addr) > 320 || !bk_store_normalize(addr, norm, sizeof(norm))) {
			bad_line(imp, line, "not an e-mail address");
			continue;
		}
		if (!scope_ok(scope, nsc, sizeof(nsc))) {
			bad_line(imp, line, "scope: empty or a domain name");
			continue;
		}
		if (strlen(comment) > 500) {
			bad_line(imp, line, "comment: at most 500 bytes");
			continue;
		}
		if (batch_add(imp, line, norm, nsc, *comment ? comment : defreason) < 0) {
			rc = BK_STORE_ENOMEM;
			snprintf(err.msg, sizeof(err.msg), "out of memory");
			imp->failed_at = line;
			break;
		}
		if (imp->n == IMPORT_BATCH)
			rc = batch_flush(imp, st, rq->token_name, &err);
	}
	if (rc >= 0 && imp->n)
		rc = batch_flush(imp, st, rq->token_name, &err);
	batch_clear(imp);
	bk_server_release(s, st);
	json_t *o = json_pack("{s:I, s:I, s:I, s:o}", "lines", (json_int_t)imp->lines,
			      "applied", (json_int_t)imp->applied, "failed",
			      (json_int_t)imp->nerrors, "errors", imp->errors);
	long long failed_at = imp->failed_at;
	free(imp);
	if (!o)
		return -1;
	if (rc < 0) {
		/* the store failed: the batches before were applied, this
		 * one and the rest not */
		json_object_set_new(o, "error", json_string("store"));
		json_object_set_new(o, "message", json_string(err.msg));
		json_object_set_new(o, "stopped_at_line", json_integer(failed_at));
		return bk_http_json(rs, api_store_status(rc), o);
	}
	return bk_http_json(rs, 200, o);
}
