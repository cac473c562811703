/* SPDX-License-Identifier: BSD-2-Clause */
/* dash.c - the dashboard's pages and scripts (embedded at build time by
 * tools/uiembed.c: server/ui/ and Debian's Chart.js), with the headers
 * that keep hostile bounce text inert in a browser, and the two API calls
 * its pages need besides the rest of the API: GET /v1/reasons (the
 * taxonomy and what each reason means) and POST /v1/classify (the
 * classifier's verdict and explanation of a text, used to explain stored
 * events, whose explanation the store does not keep). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bouncekit/bouncekit.h"
#include "server/dash.h"

/* default-src 'self' and no 'unsafe-inline' anywhere: an injected <script>
 * or on* attribute does not run, an injected <style> does not apply */
static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void
bk_reply_header(struct bk_reply *r, const char *name, const char *value)
{
	if (r->nh >= BK_REPLY_HEADERS)
		return;
	r->hname[r->nh] = name;
	snprintf(r->hval[r->nh], sizeof(r->hval[0]), "%s", value);
	r->nh++;
}

void
bk_reply_secure(struct bk_reply *r)
{
	bk_reply_header(r, "Content-Security-Policy", csp);
	bk_reply_header(r, "X-Content-Type-Options", "nosniff");
	bk_reply_header(r, "X-Frame-Options", "DENY");
	bk_reply_header(r, "Referrer-Policy", "same-origin");
	bk_reply_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static const struct bk_ui_asset *
asset(const char *path)
{
	for (size_t i = 0; i < bk_ui_nassets; i++)
		if (!strcmp(bk_ui_assets[i].path, path))
			return &bk_ui_assets[i];
	return NULL;
}

bool
bk_dash_path(const char *path)
{
	return !strcmp(path, "/") || !strncmp(path, "/ui/", 4) ||
	       !strcmp(path, "/favicon.ico") ||
	       !strcmp(path, "/login") || !strcmp(path, "/logout") ||
	       !strcmp(path, "/session");
}

static int
text_reply(struct bk_reply *out, unsigned status, const char *text)
{
	out->status = status;
	out->ctype = "text/plain; charset=utf-8";
	out->body = strdup(text);
	if (!out->body)
		return -1;
	out->len = strlen(text);
	bk_reply_header(out, "Cache-Control", "no-store");
	bk_reply_secure(out);
	return 0;
}

/* An If-None-Match header that names etag (or "*"). */
static bool
etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	size_t el = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, el))
			return true;
		const char *c = strchr(p, ',');
		if (!c)
			break;
		p = c;
	}
	return false;
}

int
bk_dash_handle(const struct bk_dreq *q, struct bk_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(q->path, "/login"))
		return bk_session_login(q, out);
	if (!strcmp(q->path, "/logout"))
		return bk_session_logout(q, out);
	if (!strcmp(q->path, "/session"))
		return bk_session_info(q, out);
	const struct bk_ui_asset *a = asset(q->path);
	if (!a)
		return text_reply(out, 404, "no such page\n");
	if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD")) {
		bk_reply_header(out, "Allow", "GET, HEAD");
		return text_reply(out, 405, "GET or HEAD\n");
	}
	bk_reply_header(out, "ETag", a->etag);
	/* kept, but asked again each time: an upgrade shows at once */
	bk_reply_header(out, "Cache-Control", "no-cache");
	bk_reply_secure(out);
	out->ctype = a->ctype;
	if (etag_matches(q->header(q->ctx, "If-None-Match"), a->etag)) {
		out->status = 304;
		return 0;
	}
	out->status = 200;
	out->body = malloc(a->len ? a->len : 1);
	if (!out->body)
		return -1;
	memcpy(out->body, a->data, a->len);
	out->len = a->len;
	return 0;
}

/* ---- GET /v1/reasons, POST /v1/classify ---- */

bool
bk_dash_api_path(const char *path, const char **method)
{
	if (!strcmp(path, "/v1/reasons")) {
		*method = "GET";
		return true;
	}
	if (!strcmp(path, "/v1/classify")) {
		*method = "POST";
		return true;
	}
	return false;
}

static int
json_out(struct bk_reply *out, unsigned status, json_t *v)
{
	char *t = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!t)
		return -1;
	size_t n = strlen(t);
	char *b = realloc(t, n + 2);
	if (!b) {
		free(t);
		return -1;
	}
	b[n] = '\n';
	b[n + 1] = '\0';
	out->status = status;
	out->ctype = "application/json";
	out->body = b;
	out->len = n + 1;
	bk_reply_header(out, "Cache-Control", "no-store");
	bk_reply_header(out, "X-Content-Type-Options", "nosniff");
	return 0;
}

static int
reasons(struct bk_reply *out)
{
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	json_t *arr = json_array();
	if (!arr)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", list[i].name,
							 "meaning", list[i].meaning,
							 "hard", list[i].hard))) {
			json_decref(arr);
			return -1;
		}
	return json_out(out, 200, json_pack("{s:o}", "reasons", arr));
}

#define CLASSIFY_MAX 8192	/* bytes of text: a diagnostic code, not a message */

static int
classify(const struct bk_dreq *q, struct bk_reply *out)
{
	json_error_t jerr;
	json_t *in = json_loadb(q->body ? q->body : "", q->len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *t = json_is_object(in) ? json_object_get(in, "text") : NULL;
	if (!json_is_string(t)) {
		json_decref(in);
		return json_out(out, 400, json_pack("{s:s, s:s}", "error", in ? "bad_request" : "bad_json",
						     "message", "expected {\"text\": \"...\"}"));
	}
	size_t len = json_string_length(t);
	if (len > CLASSIFY_MAX) {
		json_decref(in);
		return json_out(out, 413, json_pack("{s:s, s:s}", "error", "too_large", "message",
						     "at most 8192 bytes of text"));
	}
	struct bk_verdict v;
	char *why = NULL;
	int rc = bk_classify_text_explain(json_string_value(t), len, &v, &why);
	json_decref(in);
	json_t *ex = why ? json_loads(why, 0, NULL) : NULL;
	free(why);
	if (rc < 0 || !ex) {
		json_decref(ex);
		return -1;
	}
	return json_out(out, 200,
			json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "reason", v.reason,
				  "status", v.status, "replycode", v.replycode, "command",
				  v.command, "hardbounce", v.hardbounce, "explain", ex));
}

int
bk_dash_api(const struct bk_dreq *q, struct bk_reply *out)
{
	memset(out, 0, sizeof(*out));
	return !strcmp(q->path, "/v1/reasons") ? reasons(out) : classify(q, out);
}
