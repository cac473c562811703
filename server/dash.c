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

/* (X-Content-Type-Options: nosniff is on every response of the server) */
int
bk_dash_secure(struct bk_http_resp *rs)
{
	return bk_http_header(rs, "Content-Security-Policy", csp) < 0 ||
		       bk_http_header(rs, "X-Frame-Options", "DENY") < 0 ||
		       bk_http_header(rs, "Referrer-Policy", "same-origin") < 0 ||
		       bk_http_header(rs, "Cross-Origin-Opener-Policy", "same-origin") < 0
		       ? -1 : 0;
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
text_reply(struct bk_http_resp *rs, unsigned status, const char *text)
{
	if (bk_http_static(rs, status, "text/plain; charset=utf-8", text, strlen(text)) < 0)
		return -1;
	return bk_dash_secure(rs);
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
bk_dash_handle(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs)
{
	const char *path = rq->path;
	if (!strcmp(path, "/login"))
		return bk_session_login(s, rq, rs);
	if (!strcmp(path, "/logout"))
		return bk_session_logout(s, rq, rs);
	if (!strcmp(path, "/session"))
		return bk_session_info(s, rq, rs);
	const struct bk_ui_asset *a = asset(path);
	if (!a)
		return text_reply(rs, 404, "no such page\n");
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return text_reply(rs, 405, "GET or HEAD\n") < 0 ? -1
			: bk_http_header(rs, "Allow", "GET, HEAD");
	bool same = etag_matches(bk_http_get_header(rq, "If-None-Match"), a->etag);
	if (bk_http_static(rs, same ? 304 : 200, a->ctype, a->data, same ? 0 : a->len) < 0 ||
	    bk_http_header(rs, "ETag", a->etag) < 0 ||
	    /* kept, but asked again each time: an upgrade shows at once */
	    bk_http_header(rs, "Cache-Control", "no-cache") < 0)
		return -1;
	return bk_dash_secure(rs);
}

/* ---- GET /v1/reasons, POST /v1/classify ---- */

int
bk_dash_reasons(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	(void)s;
	(void)rq;
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
	return bk_http_json(rs, 200, json_pack("{s:o}", "reasons", arr));
}

#define CLASSIFY_MAX 8192	/* bytes of text: a diagnostic code, not a message */

int
bk_dash_classify(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	(void)s;
	json_error_t jerr;
	json_t *in = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *t = json_is_object(in) ? json_object_get(in, "text") : NULL;
	if (!json_is_string(t)) {
		json_decref(in);
		return bk_http_error(rs, 400, in ? "bad_request" : "bad_json",
				     "expected {\"text\": \"...\"}");
	}
	size_t len = json_string_length(t);
	if (len > CLASSIFY_MAX) {
		json_decref(in);
		return bk_http_error(rs, 413, "too_large", "at most 8192 bytes of text");
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
	return bk_http_json(rs, 200,
			json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "reason", v.reason,
				  "status", v.status, "replycode", v.replycode, "command",
				  v.command, "hardbounce", v.hardbounce, "explain", ex));
}
