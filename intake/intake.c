/* SPDX-License-Identifier: BSD-2-Clause */
/* intake.c - one message with its envelope into the store (intake.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "intake/intake.h"
#include "store/store.h"

struct intake {
	struct bk_store *st;
	bool failed;		/* the last message was a temporary failure */
	unsigned staged;	/* messages staged since the last commit */
	struct intake_conf conf;
	struct bk_parser *p;
	unsigned long seq;
	struct bk_record *recs;	/* the records offered: decoded + VERP */
	size_t cap;
};

struct intake *
intake_new(struct bk_store *st, const struct intake_conf *conf, char *err,
	   size_t errlen)
{
	struct intake *in = calloc(1, sizeof(*in));
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	in->st = st;
	in->conf = *conf;
	if (!in->conf.channel)
		in->conf.channel = "pipe";
	struct bk_options opt;
	bk_options_init(&opt);
	opt.delivered = true;	/* a delivery resets the soft count */
	opt.vacation = true;	/* an auto-reply to a VERP address is no failure */
	if (conf->max_size)
		opt.limits.message_size = conf->max_size;
	in->conf.max_size = opt.limits.message_size;
	struct bk_err e = { 0, "" };
	in->p = bk_parser_new(&opt, &e);
	if (!in->p) {
		snprintf(err, errlen, "%s", e.msg);
		free(in);
		return NULL;
	}
	/* each message is committed by itself: no batch flushes in the middle */
	bk_store_set_batch(st, 1u << 20);
	return in;
}

void
intake_free(struct intake *in)
{
	if (!in)
		return;
	bk_parser_free(in->p);
	free(in->recs);
	free(in);
}

bool
intake_verp_decode(const char *addr, const char *delims, char *out,
		   size_t outlen)
{
	if (!addr || !delims || strlen(delims) < 2 || !outlen)
		return false;
	while (*addr == '<' || *addr == ' ')
		addr++;
	size_t n = strlen(addr);
	while (n && (addr[n - 1] == '>' || addr[n - 1] == ' '))
		n--;
	const char *at = memrchr(addr, '@', n);
	if (!at)
		return false;
	const char *sep = memchr(addr, delims[0], (size_t)(at - addr));
	if (!sep)
		return false;
	const char *enc = sep + 1;
	const char *eq = memrchr(enc, delims[1], (size_t)(at - enc));
	if (!eq || eq == enc || eq + 1 == at)
		return false;
	size_t ln = (size_t)(eq - enc), dn = (size_t)(at - eq - 1);
	if (ln + 1 + dn + 1 > outlen)
		return false;
	for (size_t i = 0; i < ln + 1 + dn; i++) {
		char c = i < ln ? enc[i] : i == ln ? '@' : eq[1 + i - ln - 1];
		if ((unsigned char)c <= ' ' || (c == '@' && i != ln) || c == '<' || c == '>')
			return false;
		out[i] = (char)tolower((unsigned char)c);
	}
	out[ln + 1 + dn] = '\0';
	const char *dom = out + ln + 1;
	return *dom && *dom != '.' && strchr(dom, '.') != NULL;
}

/* The value of the first header field called name in the header block of
 * data, unfolded, into buf; false when absent. */
static bool
header_value(const char *data, size_t len, const char *name, char *buf,
	     size_t buflen)
{
	size_t nl = strlen(name), i = 0;
	while (i < len) {
		const char *eol = memchr(data + i, '\n', len - i);
		size_t e = eol ? (size_t)(eol - data) : len;
		size_t l = e - i;
		if (l && data[e - 1] == '\r')
			l--;
		if (!l)
			return false;	/* end of the header block */
		if (l > nl && data[i + nl] == ':' && !strncasecmp(data + i, name, nl)) {
			size_t k = 0, j = i + nl + 1;
			for (;;) {
				for (; j < i + l && k + 1 < buflen; j++)
					buf[k++] = data[j] == '\t' ? ' ' : data[j];
				i = e + 1;
				if (i >= len || (data[i] != ' ' && data[i] != '\t'))
					break;
				eol = memchr(data + i, '\n', len - i);
				e = eol ? (size_t)(eol - data) : len;
				l = e - i;
				if (l && data[e - 1] == '\r')
					l--;
				j = i;
			}
			buf[k] = '\0';
			char *s = buf;
			while (*s == ' ')
				s++;
			memmove(buf, s, strlen(s) + 1);
			return true;
		}
		i = e + 1;
	}
	return false;
}

bool
intake_header(const char *data, size_t len, const char *name, char *buf,
	      size_t buflen)
{
	return header_value(data, len, name, buf, buflen);
}

/* The offset just after the first line of data starting with name (case
 * not minded), from off on; len when none.  Lines end in LF, CRLF or CR
 * (the same bounce comes with any of them). */
static size_t
line_starting(const char *data, size_t len, size_t off, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = off; i < len;) {
		if (len - i >= nl && !strncasecmp(data + i, name, nl))
			return i + nl;
		while (i < len && data[i] != '\n' && data[i] != '\r')
			i++;
		while (i < len && (data[i] == '\n' || data[i] == '\r'))
			i++;
	}
	return len;
}

/* The rest of the line at off, unfolded, trimmed, into buf. */
static void
line_value(const char *data, size_t len, size_t off, char *buf, size_t buflen)
{
	size_t k = 0;
	for (size_t i = off; i < len && k + 1 < buflen;) {
		if (data[i] == '\r' || data[i] == '\n') {
			size_t j = i + (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n' ? 2 : 1);
			if (j < len && (data[j] == ' ' || data[j] == '\t')) {
				i = j;	/* folded */
				continue;
			}
			break;
		}
		buf[k++] = data[i] == '\t' ? ' ' : data[i];
		i++;
	}
	buf[k] = '\0';
	char *t = buf;
	while (*t == ' ')
		t++;
	memmove(buf, t, strlen(t) + 1);
}

/* The first label of a host name, lower case, into out. */
static void
first_label(const char *h, char *out, size_t outlen)
{
	size_t k = 0;
	while (*h == ' ')
		h++;
	for (; *h && *h != '.' && *h != ' ' && *h != ';' && *h != ')' && k + 1 < outlen; h++)
		out[k++] = (char)tolower((unsigned char)*h);
	out[k] = '\0';
}

bool
intake_join(const char *data, size_t len, char *out, size_t outlen)
{
	char v[1024], host[256] = "", qid[80] = "";
	/* Postfix: X-Postfix-Queue-ID and Reporting-MTA in the report */
	size_t at = line_starting(data, len, 0, "X-Postfix-Queue-ID:");
	if (at < len) {
		line_value(data, len, at, v, sizeof(v));
		sscanf(v, "%79[A-Za-z0-9]", qid);
		size_t r = line_starting(data, len, 0, "Reporting-MTA:");
		if (r < len) {
			line_value(data, len, r, v, sizeof(v));
			const char *semi = strchr(v, ';');
			first_label(semi ? semi + 1 : v, host, sizeof(host));
		}
	} else {
		/* Exim, Sendmail: the returned message's first Received, the
		 * bouncing MTA's own: "by HOST ... id QUEUEID" */
		size_t r = line_starting(data, len, 0, "Content-Type: message/rfc822");
		if (r == len)
			r = line_starting(data, len, 0, "Content-Type: text/rfc822-headers");
		if (r == len)
			r = line_starting(data, len, 0, "------ This is a copy of the message");
		if (r == len)
			return false;
		r = line_starting(data, len, r, "Received:");
		if (r == len)
			return false;
		line_value(data, len, r, v, sizeof(v));
		const char *by = strstr(v, " by ");
		const char *id = strstr(v, " id ");
		if (!by || !id)
			return false;
		first_label(by + 4, host, sizeof(host));
		sscanf(id + 4, "%79[A-Za-z0-9-]", qid);
	}
	if (!*host || strlen(qid) < 5)
		return false;
	snprintf(out, outlen, "%s %s", host, qid);
	return true;
}

/* The Date: of the message as epoch seconds, else now. */
static int64_t
message_time(const char *data, size_t len)
{
	char v[256];
	if (header_value(data, len, "Date", v, sizeof(v))) {
		static const char *const fmts[] = { "%a, %d %b %Y %H:%M:%S %z",
			"%d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M %z", NULL };
		for (int i = 0; fmts[i]; i++) {
			struct tm tm;
			memset(&tm, 0, sizeof(tm));
			char *end = strptime(v, fmts[i], &tm);
			if (end) {
				long off = tm.tm_gmtoff;
				time_t t = timegm(&tm);
				if (t > 0)
					return (int64_t)t - off;
			}
		}
	}
	return (int64_t)time(NULL);
}

/* Write the message into keep_dir (a temporary name, then renamed), with
 * its envelope as Return-Path and X-Original-To fields first. */
static int
keep(struct intake *in, const char *data, size_t len, const char *sender,
     const char *const *rcpts, size_t nrcpt, struct intake_outcome *out)
{
	char host[256] = "localhost", tmp[4096];
	gethostname(host, sizeof(host) - 1);
	for (char *h = host; *h; h++)
		if (*h == '/' || *h == ':')
			*h = '_';
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	in->seq++;
	snprintf(out->kept_path, sizeof(out->kept_path), "%s/%lld.M%ldP%ldQ%lu.%s",
		 in->conf.keep_dir, (long long)ts.tv_sec, ts.tv_nsec / 1000,
		 (long)getpid(), in->seq, host);
	snprintf(tmp, sizeof(tmp), "%s/.tmp.%lld.%ld.%lu", in->conf.keep_dir,
		 (long long)ts.tv_sec, (long)getpid(), in->seq);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(out->msg, sizeof(out->msg), "cannot keep the message in %s: %s",
			 in->conf.keep_dir, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		snprintf(out->msg, sizeof(out->msg), "out of memory");
		return -1;
	}
	fprintf(f, "Return-Path: <%s>\n", sender ? sender : "");
	for (size_t i = 0; i < nrcpt; i++)
		fprintf(f, "X-Original-To: %s\n", rcpts[i]);
	fwrite(data, 1, len, f);
	int bad = fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, out->kept_path) != 0) {
		snprintf(out->msg, sizeof(out->msg), "cannot keep the message in %s: %s",
			 in->conf.keep_dir, strerror(errno));
		unlink(tmp);
		return -1;
	}
	out->kept = true;
	return 0;
}

/* Whether a message no decoder read is a bounce: the null envelope sender
 * (Postfix pipe writes it MAILER-DAEMON), else Return-Path: <>, else a
 * From: of MAILER-DAEMON or postmaster.  A reply from a person to a VERP
 * address is none. */
static bool
null_sender(const char *s)
{
	while (*s == '<' || *s == ' ')
		s++;
	return !*s || *s == '>' || (!strncasecmp(s, "mailer-daemon", 13) &&
		(!s[13] || s[13] == '@' || s[13] == '>'));
}

static bool
looks_like_bounce(const char *sender, const char *data, size_t len)
{
	char v[512];
	if (sender)
		return null_sender(sender);
	if (header_value(data, len, "Return-Path", v, sizeof(v)))
		return null_sender(v);
	if (header_value(data, len, "From", v, sizeof(v)))
		return strcasestr(v, "mailer-daemon") || strcasestr(v, "postmaster");
	return false;
}

static bool
push(struct intake *in, size_t n, const struct bk_record *r)
{
	if (n >= in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 16;
		struct bk_record *v = realloc(in->recs, cap * sizeof(*v));
		if (!v)
			return false;
		in->recs = v;
		in->cap = cap;
	}
	in->recs[n] = *r;
	return true;
}

enum intake_result
intake_stage(struct intake *in, const char *data, size_t len,
	     const char *origin, const char *sender, const char *const *rcpts,
	     size_t nrcpt, struct intake_outcome *out)
{
	memset(out, 0, sizeof(*out));
	size_t k = 0;
	while (k < len && (data[k] == '\n' || data[k] == '\r' || data[k] == ' ' ||
			   data[k] == '\t'))
		k++;
	if (k == len) {
		snprintf(out->msg, sizeof(out->msg), "an empty message");
		return out->result = INTAKE_DATAERR;
	}
	if (len > in->conf.max_size) {
		snprintf(out->msg, sizeof(out->msg), "a message of %zu bytes, over the limit of %zu",
			 len, in->conf.max_size);
		return out->result = INTAKE_DATAERR;
	}
	const struct bk_record *dec = NULL;
	struct bk_err e = { 0, "" };
	int n = bk_decode(in->p, data, len, origin, &dec, &e);
	if (n < 0) {
		snprintf(out->msg, sizeof(out->msg), "%s", e.msg);
		return out->result = n == BK_ENOMEM ? INTAKE_TEMPFAIL : INTAKE_DATAERR;
	}
	out->decoded = (unsigned)n;
	/* the recipients the envelope encodes (VERP) */
	char verp[8][321];
	const char *verp_env[8];
	size_t nverp = 0;
	for (size_t i = 0; i < nrcpt && nverp < 8; i++)
		if (in->conf.verp && *in->conf.verp &&
		    intake_verp_decode(rcpts[i], in->conf.verp, verp[nverp], sizeof(verp[0])))
			verp_env[nverp++] = rcpts[i];
	size_t m = 0;
	for (int i = 0; i < n; i++) {
		struct bk_record r = dec[i];
		char norm[321];
		bool has = r.recipient && bk_store_normalize(r.recipient, norm, sizeof(norm));
		if (!has && nverp == 1) {
			r.recipient = verp[0];
			const char *at = strrchr(verp[0], '@');
			r.destination = at + 1;
			out->verp_supplied++;
		} else if (has) {
			for (size_t j = 0; j < nverp; j++)
				if (!strcmp(norm, verp[j])) {
					out->verp_confirmed++;
					break;
				}
		}
		if (!push(in, m++, &r)) {
			snprintf(out->msg, sizeof(out->msg), "out of memory");
			return out->result = INTAKE_TEMPFAIL;
		}
	}
	int64_t when = 0;
	char tz[8] = "+0000", subj[256] = "";
	if (n == 0 && nverp && looks_like_bounce(sender, data, len)) {
		/* a bounce the decoders cannot read still names its recipient */
		when = message_time(data, len);
		header_value(data, len, "Subject", subj, sizeof(subj));
		for (size_t j = 0; j < nverp; j++) {
			struct bk_record r;
			memset(&r, 0, sizeof(r));
			const char *at = strrchr(verp[j], '@');
			const char *eat = strrchr(verp_env[j], '@');
			r.timestamp = when;
			r.timezoneoffset = tz;
			r.origin = origin;
			r.addresser = verp_env[j];
			r.senderdomain = eat ? eat + 1 : "";
			r.recipient = verp[j];
			r.destination = at + 1;
			r.alias = "";
			r.action = "failed";
			r.deliverystatus = "";
			r.replycode = "";
			r.reason = "undefined";
			r.diagnosticcode = "";
			r.diagnostictype = "";
			r.command = "";
			r.lhost = "";
			r.rhost = "";
			r.messageid = "";
			r.listid = "";
			r.subject = subj;
			r.feedbacktype = "";
			r.feedbackid = "";
			r.decodedby = "VERP";
			r.token = "";
			r.catch_json = NULL;
			r.timestampsource = "date";
			if (!push(in, m++, &r)) {
				snprintf(out->msg, sizeof(out->msg), "out of memory");
				return out->result = INTAKE_TEMPFAIL;
			}
			out->verp_supplied++;
		}
	}
	/* kept first: a failure after it gives a second copy, never none */
	if (n == 0 && in->conf.keep_dir &&
	    keep(in, data, len, sender, rcpts, nrcpt, out) < 0)
		return out->result = INTAKE_TEMPFAIL;
	/* after a temporary failure: the store opened again (conf.reopen),
	 * between groups only (the old store's batch holds the group's) */
	if (in->failed && !in->staged && in->conf.reopen) {
		struct bk_store *st = in->conf.reopen(in->conf.reopen_arg, in->st);
		if (st) {
			in->st = st;
			bk_store_set_batch(st, 1u << 20);
		}
	}
	in->failed = false;
	in->staged++;
	struct bk_store_err se = { 0, "" };
	char join[400] = "";
	if (n > 0)
		intake_join(data, len, join, sizeof(join));
	for (size_t i = 0; i < m; i++) {
		int rc = bk_store_add_join(in->st, &in->recs[i], in->conf.channel, join, &se);
		if (rc == BK_STORE_EINVAL)
			continue;	/* a record without a usable recipient */
		if (rc < 0) {
			/* what it added is committed with the group, or
			 * not: stored again as the same events on retry */
			snprintf(out->msg, sizeof(out->msg), "%s", se.msg);
			in->failed = true;
			return out->result = INTAKE_TEMPFAIL;
		}
		out->records++;
	}
	return out->result = out->records ? INTAKE_STORED : INTAKE_NOTBOUNCE;
}

int
intake_commit(struct intake *in, char *msg, size_t msglen)
{
	struct bk_store_err se = { 0, "" };
	in->staged = 0;
	if (bk_store_flush(in->st, &se) < 0) {
		snprintf(msg, msglen, "%s", se.msg);
		in->failed = true;
		return -1;
	}
	return 0;
}

enum intake_result
intake_message(struct intake *in, const char *data, size_t len,
	       const char *origin, const char *sender, const char *const *rcpts,
	       size_t nrcpt, struct intake_outcome *out)
{
	enum intake_result r = intake_stage(in, data, len, origin, sender, rcpts, nrcpt, out);
	if (r == INTAKE_DATAERR)
		return r;
	/* a temporary failure of the staging: what it added goes now, the
	 * message is answered as one all the same */
	char msg[sizeof(out->msg)];
	if (intake_commit(in, msg, sizeof(msg)) < 0 && r != INTAKE_TEMPFAIL) {
		snprintf(out->msg, sizeof(out->msg), "%s", msg);
		out->result = r = INTAKE_TEMPFAIL;
	}
	return r;
}
