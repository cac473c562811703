/* SPDX-License-Identifier: BSD-2-Clause */
/* test_api.c - the public API end to end: decoding from memory, the
 * catch hook, line-end independence, writers, sources. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"
#include "core/core.h"
#include "t.h"

static const char dsn[] =
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>\n"
	"To: <sender@example.jp>\n"
	"Date: Wed, 16 Oct 2013 14:15:35 +0900\n"
	"Subject: Returned mail: see transcript for details\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
	"\n--B\n\nThe message could not be delivered.\n"
	"--B\nContent-Type: message/delivery-status\n\n"
	"Reporting-MTA: dns; mx.example.jp\n"
	"Arrival-Date: Wed, 16 Oct 2013 14:15:34 +0900\n\n"
	"Final-Recipient: rfc822; nobody@example.org\n"
	"Action: failed\nStatus: 5.1.1\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>... User Unknown\n"
	"Last-Attempt-Date: Wed, 16 Oct 2013 14:15:35 +0900\n\n"
	"--B\nContent-Type: message/rfc822\n\n"
	"From: Sender <sender@example.jp>\nTo: nobody@example.org\n"
	"Subject: =?utf-8?B?44OG44K544OI?=\n"
	"Message-Id: <12345@example.jp>\n"
	"Date: Wed, 16 Oct 2013 14:15:30 +0900\n\nhello\n--B--\n";

static char *
convert(const char *in, const char *nl)
{
	size_t n = strlen(in), k = strlen(nl);
	char *out = malloc(n * k + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\n') {
			memcpy(o, nl, k);
			o += k;
		} else {
			*o++ = in[i];
		}
	}
	*o = '\0';
	return out;
}

T_TEST(test_decode_from_memory)
{
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	const struct bk_record *r;
	int n = bk_decode(p, dsn, strlen(dsn), "mem", &r, NULL);
	T_CHECK(n == 1);
	if (n == 1) {
		T_CHECK(strcmp(r[0].recipient, "nobody@example.org") == 0);
		T_CHECK(strcmp(r[0].addresser, "sender@example.jp") == 0);
		T_CHECK(strcmp(r[0].reason, "userunknown") == 0);
		T_CHECK(strcmp(r[0].deliverystatus, "5.1.1") == 0);
		T_CHECK(strcmp(r[0].replycode, "550") == 0);
		T_CHECK(r[0].hardbounce);
		T_CHECK(r[0].timestamp == 1381900535);
		T_CHECK(strcmp(r[0].timezoneoffset, "+0900") == 0);
		T_CHECK(strcmp(r[0].subject, "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88") == 0);
		T_CHECK(strcmp(r[0].messageid, "12345@example.jp") == 0);
		T_CHECK(strcmp(r[0].rhost, "mx.example.org") == 0);
		T_CHECK(strcmp(r[0].lhost, "mx.example.jp") == 0);
		T_CHECK(strcmp(r[0].decodedby, "RFC3464") == 0);
		T_CHECK(strcmp(r[0].origin, "mem") == 0);
		T_CHECK(strlen(r[0].token) == 40);
		T_CHECK(r[0].catch_json == NULL);
	}
	/* not a bounce: no record, no error */
	T_CHECK(bk_decode(p, "Subject: hi\n\nhello\n", 19, "mem", &r, NULL) == 0);
	T_CHECK(bk_decode(p, "", 0, "mem", &r, NULL) == 0);
	bk_parser_free(p);
}

T_TEST(test_line_ends_same_records)
{
	const char *nls[] = { "\r\n", "\r" };
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	const struct bk_record *r;
	bk_decode(p, dsn, strlen(dsn), "x", &r, NULL);
	char *want = bk_records_to_text(BK_FMT_NDJSON, r, 1);
	for (size_t i = 0; i < BK_NELEM(nls); i++) {
		char *in = convert(dsn, nls[i]);
		int n = bk_decode(p, in, strlen(in), "x", &r, NULL);
		char *got = n == 1 ? bk_records_to_text(BK_FMT_NDJSON, r, 1) : NULL;
		T_CHECK_AT(got && want && strcmp(got, want) == 0, i);
		free(got);
		free(in);
	}
	free(want);
	bk_parser_free(p);
}

static char *
hook(const struct bk_message *m, void *arg)
{
	const char *subj = bk_message_header(m, "subject", 0);
	char *out = malloc(256);
	snprintf(out, 256, "{\"n\":%d,\"returned\":%s}", *(int *)arg,
		 subj && strstr(subj, "Returned") ? "true" : "false");
	return out;
}

static char *
bad_hook(const struct bk_message *m, void *arg)
{
	(void)m;
	(void)arg;
	char *out = malloc(16);
	strcpy(out, "not \"json");
	return out;
}

T_TEST(test_catch_hook)
{
	struct bk_options o;
	int arg = 7;
	const struct bk_record *r;
	bk_options_init(&o);
	o.catch_fn = hook;
	o.catch_arg = &arg;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	T_CHECK(bk_decode(p, dsn, strlen(dsn), "x", &r, NULL) == 1);
	T_CHECK(r[0].catch_json && strcmp(r[0].catch_json, "{\"n\":7,\"returned\":true}") == 0);
	bk_parser_free(p);
	o.catch_fn = bad_hook;
	p = bk_parser_new(&o, NULL);
	T_CHECK(bk_decode(p, dsn, strlen(dsn), "x", &r, NULL) == 1);
	T_CHECK(r[0].catch_json && strcmp(r[0].catch_json, "\"not \\\"json\"") == 0);
	bk_parser_free(p);
}

T_TEST(test_size_limit)
{
	struct bk_options o;
	struct bk_err err;
	const struct bk_record *r;
	bk_options_init(&o);
	o.limits.message_size = 100;
	struct bk_parser *p = bk_parser_new(&o, NULL);
	T_CHECK(bk_decode(p, dsn, strlen(dsn), "x", &r, &err) == BK_ELIMIT);
	T_CHECK(strstr(err.msg, "size limit") != NULL);
	bk_parser_free(p);
}

T_TEST(test_writer_formats)
{
	struct bk_record r;
	memset(&r, 0, sizeof(r));
	r.recipient = "a@example.org";
	r.reason = "userunknown";
	r.diagnosticcode = "quote \" back \\ nl \n bad \xff end";
	r.timestamp = 12;
	r.hardbounce = true;
	r.catch_json = "{\"k\":1}";
	char *j = bk_records_to_text(BK_FMT_JSON, &r, 1);
	T_CHECK(j && strstr(j, "\"diagnosticcode\":\"quote \\\" back \\\\ nl \\n bad \\ufffd end\""));
	T_CHECK(j && strstr(j, "\"catch\":{\"k\":1}") && strstr(j, "\"hardbounce\":true"));
	T_CHECK(j && strstr(j, "\"timestamp\":12") && j[0] == '[');
	free(j);
	char *e = bk_records_to_text(BK_FMT_JSON, NULL, 0);
	T_CHECK(e && strcmp(e, "[]\n") == 0);
	free(e);
	char *c = bk_records_to_text(BK_FMT_CSV, &r, 1);
	T_CHECK(c && strstr(c, "\"quote \"\" back \\ nl \n bad \xef\xbf\xbd end\""));
	free(c);
	char *y = bk_records_to_text(BK_FMT_YAML, &r, 1);
	T_CHECK(y && strstr(y, "- action: \"\"\n  addresser: \"\"\n"));
	free(y);
	enum bk_format f;
	T_CHECK(bk_format_parse("ndjson", &f) == 0 && f == BK_FMT_NDJSON);
	T_CHECK(bk_format_parse("xml", &f) == BK_EINVAL);
}

static char *
write_tmp(const char *content)
{
	char *path = malloc(64);
	strcpy(path, "/tmp/bk-test-XXXXXX");
	int fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, content, strlen(content)) < 0)
			T_CHECK(false);
		close(fd);
	}
	return path;
}

T_TEST(test_source_mbox)
{
	char *path = write_tmp("From a@example.jp Thu Jan  1 00:00:00 2015\n"
			       "Subject: one\n\nbody\n>From quoted\n"
			       "From b@example.jp Thu Jan  1 00:00:00 2015\n"
			       "Subject: two\n\nbody two\n");
	struct bk_source *s;
	struct bk_input in;
	T_CHECK(bk_source_open(&s, path, NULL, NULL) == 0);
	T_CHECK(bk_source_next(s, &in, NULL) == 1);
	T_CHECK(in.nth == 1 && memmem(in.data, in.len, "\nFrom quoted", 12));
	T_CHECK(memmem(in.data, in.len, "Subject: two", 12) == NULL);
	T_CHECK(bk_source_next(s, &in, NULL) == 1);
	T_CHECK(in.nth == 2 && memmem(in.data, in.len, "Subject: two", 12));
	T_CHECK(bk_source_next(s, &in, NULL) == 0);
	bk_source_close(s);
	unlink(path);
	free(path);
}

T_TEST(test_source_errors)
{
	struct bk_source *s;
	struct bk_input in;
	struct bk_err err;
	T_CHECK(bk_source_open(&s, "/nonexistent/file", NULL, NULL) == 0);
	T_CHECK(bk_source_next(s, &in, &err) == BK_EIO);
	T_CHECK(strstr(err.msg, "/nonexistent/file") != NULL);
	T_CHECK(bk_source_next(s, &in, &err) == 0);
	bk_source_close(s);
	char *empty = write_tmp("");
	T_CHECK(bk_source_open(&s, empty, NULL, NULL) == 0);
	T_CHECK(bk_source_next(s, &in, &err) == BK_EEMPTY);
	T_CHECK(bk_source_next(s, &in, &err) == 0);
	bk_source_close(s);
	unlink(empty);
	free(empty);
	struct bk_source_opts so = { false, 10 };
	char *big = write_tmp("Subject: too big for ten bytes\n\nbody\n");
	T_CHECK(bk_source_open(&s, big, &so, NULL) == 0);
	T_CHECK(bk_source_next(s, &in, &err) == BK_ELIMIT);
	T_CHECK(bk_source_next(s, &in, &err) == 0);
	bk_source_close(s);
	unlink(big);
	free(big);
}
