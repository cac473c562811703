/* SPDX-License-Identifier: BSD-2-Clause */
/* maillog.c - Postfix, Exim and Sendmail delivery log lines into records
 * (maillog.h; the formats are in docs/intake.md). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "intake/maillog.h"

/* ---- What a queue id's arrival told: sender, Message-ID ---- */

#define QBUCKETS 65536u
#define QMAX 200000u		/* remembered queue ids; the oldest go first */

struct qent {
	struct qent *next;	/* in its bucket */
	struct qent *older, *newer; /* age list */
	char *sender, *msgid;
	char *deferred;		/* Postfix: recipients deferred, '\n' after each */
	char qid[];
};

struct maillog {
	enum maillog_mta mta;
	char host[256];
	bool force_host;
	int year;
	/* mktime() of the last hour seen, for local time stamps */
	int c_key;
	int64_t c_base;
	long c_off;
	struct qent *bucket[QBUCKETS];
	struct qent *oldest, *newest;
	size_t nq;
	struct maillog_stats stats;
	/* the record being made and its strings */
	struct bk_record rec;
	char tz[8], origin[4200], sender[330], sdomain[256], rcpt[330],
		dest[256], alias[330], action[16], status[16], reply[4],
		reason[32], command[8], diag[2048], lhost[256], rhost[256],
		msgid[256], join[300], decodedby[24];
};

static unsigned
qhash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (QBUCKETS - 1);
}

static struct qent *
qfind(struct maillog *m, const char *qid, size_t n)
{
	for (struct qent *e = m->bucket[qhash(qid, n)]; e; e = e->next)
		if (strlen(e->qid) == n && !memcmp(e->qid, qid, n))
			return e;
	return NULL;
}

static void
qdrop(struct maillog *m, struct qent *e)
{
	struct qent **pp = &m->bucket[qhash(e->qid, strlen(e->qid))];
	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		m->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		m->newest = e->older;
	free(e->sender);
	free(e->msgid);
	free(e->deferred);
	free(e);
	m->nq--;
}

static struct qent *
qget(struct maillog *m, const char *qid, size_t n)
{
	struct qent *e = qfind(m, qid, n);
	if (e || n == 0 || n > 64)
		return e;
	if (m->nq >= QMAX)
		qdrop(m, m->oldest);
	e = calloc(1, sizeof(*e) + n + 1);
	if (!e)
		return NULL;
	memcpy(e->qid, qid, n);
	unsigned h = qhash(qid, n);
	e->next = m->bucket[h];
	m->bucket[h] = e;
	e->older = m->newest;
	if (m->newest)
		m->newest->newer = e;
	else
		m->oldest = e;
	m->newest = e;
	m->nq++;
	return e;
}

static void
qset(char **slot, const char *v, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		return;
	memcpy(s, v, n);
	s[n] = '\0';
	free(*slot);
	*slot = s;
}

/* ---- Set up ---- */

bool
maillog_mta_parse(const char *name, enum maillog_mta *out)
{
	if (!strcmp(name, "postfix"))
		*out = MAILLOG_POSTFIX;
	else if (!strcmp(name, "exim"))
		*out = MAILLOG_EXIM;
	else if (!strcmp(name, "sendmail"))
		*out = MAILLOG_SENDMAIL;
	else
		return false;
	return true;
}

const char *
maillog_mta_name(enum maillog_mta m)
{
	return m == MAILLOG_POSTFIX ? "postfix" : m == MAILLOG_EXIM ? "exim" : "sendmail";
}

/* The first label of a host name, lower case: "mail.example.com" and the
 * syslog's "mail" are the same MTA. */
static void
host_label(char *out, size_t outlen, const char *h, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && h[i] != '.' && k + 1 < outlen; i++)
		out[k++] = (char)tolower((unsigned char)h[i]);
	out[k] = '\0';
}

struct maillog *
maillog_new(enum maillog_mta mta, const char *host, bool force_host)
{
	struct maillog *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->mta = mta;
	char name[256] = "";
	if (host && *host)
		snprintf(name, sizeof(name), "%s", host);
	else if (gethostname(name, sizeof(name) - 1) != 0)
		snprintf(name, sizeof(name), "localhost");
	name[sizeof(name) - 1] = '\0';
	host_label(m->host, sizeof(m->host), name, strlen(name));
	m->force_host = force_host && host && *host;
	snprintf(m->decodedby, sizeof(m->decodedby), "%s-log", maillog_mta_name(mta));
	return m;
}

void
maillog_free(struct maillog *m)
{
	if (!m)
		return;
	while (m->oldest)
		qdrop(m, m->oldest);
	free(m);
}

void
maillog_set_year(struct maillog *m, int year)
{
	m->year = year;
	m->c_key = 0;
}

const struct maillog_stats *
maillog_stats(const struct maillog *m)
{
	return &m->stats;
}

/* ---- Small text helpers over (pointer, length) ---- */

struct sv {
	const char *p;
	size_t n;
};

static bool
sv_starts(struct sv s, const char *w)
{
	size_t n = strlen(w);
	return s.n >= n && !memcmp(s.p, w, n);
}

static struct sv
sv_skip(struct sv s, size_t k)
{
	if (k > s.n)
		k = s.n;
	return (struct sv){ s.p + k, s.n - k };
}

static struct sv
sv_ltrim(struct sv s)
{
	while (s.n && (*s.p == ' ' || *s.p == '\t'))
		s.p++, s.n--;
	return s;
}

/* the offset of w in s, or -1 */
static long
sv_find(struct sv s, const char *w)
{
	size_t n = strlen(w);
	if (n == 0 || n > s.n)
		return -1;
	const char *e = s.p + s.n - n;
	for (const char *q = s.p; q <= e; q++) {
		q = memchr(q, w[0], (size_t)(e - q) + 1);
		if (!q)
			return -1;
		if (!memcmp(q, w, n))
			return q - s.p;
	}
	return -1;
}

static void
cpy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* ---- Timestamps ---- */

static int
month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (!strncmp(s, names + 3 * i, 3))
			return i;
	return -1;
}

static void
tz_text(char out[8], long off)
{
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out, 8, "%c%02ld%02ld", sign, (off / 3600) % 100, (off / 60) % 60);
}

/* "Dec  6 23:50:48" or "Dec 06 23:50:48" (syslog, Postfix's postlogd;
 * local time, no year), optionally with ".123456".  Returns the length
 * read, 0 when it is not one. */
static size_t
ts_classic(struct maillog *m, struct sv s, int64_t *ts)
{
	if (s.n < 15 || s.p[3] != ' ')
		return 0;
	int mon = month_of(s.p), day, hh, mi, ss;
	if (mon < 0)
		return 0;
	const char *d = s.p + 4;
	if (d[0] == ' ' && isdigit((unsigned char)d[1]))
		day = d[1] - '0';
	else if (digits(d, 2, &day) < 0)
		return 0;
	if (d[2] != ' ' || digits(d + 3, 2, &hh) < 0 || d[5] != ':' ||
	    digits(d + 6, 2, &mi) < 0 || d[8] != ':' || digits(d + 9, 2, &ss) < 0)
		return 0;
	size_t k = 15;
	if (k < s.n && s.p[k] == '.')
		for (k++; k < s.n && isdigit((unsigned char)s.p[k]); k++)
			;
	if (mi > 59 || ss > 60 || hh > 23 || day < 1 || day > 31)
		return 0;
	/* one mktime() an hour of log (time zones change on the hour) */
	int key = ((mon * 32 + day) * 24 + hh) + 1;
	if (key != m->c_key) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		int year = m->year ? m->year : tm.tm_year + 1900;
		struct tm t = { .tm_year = year - 1900, .tm_mon = mon, .tm_mday = day,
				.tm_hour = hh, .tm_isdst = -1 };
		time_t v = mktime(&t);
		if (!m->year && v > now + 2 * 86400) {
			/* December's lines read in January */
			t = (struct tm){ .tm_year = year - 1901, .tm_mon = mon, .tm_mday = day,
					 .tm_hour = hh, .tm_isdst = -1 };
			v = mktime(&t);
		}
		m->c_key = key;
		m->c_base = (int64_t)v;
		m->c_off = t.tm_gmtoff;
	}
	*ts = m->c_base + mi * 60 + ss;
	tz_text(m->tz, m->c_off);
	return k;
}

/* "2026-12-06T23:50:48.123456+01:00" (RFC 3339: rsyslog, journald) or
 * Exim's "2026-12-06 23:50:48[.123][ +0100]".  Without a zone: local
 * time.  Returns the length read, 0 when it is not one. */
static size_t
ts_iso(struct maillog *m, struct sv s, int64_t *ts)
{
	int y, mo, d, hh, mi, ss;
	if (s.n < 19 || digits(s.p, 4, &y) < 0 || s.p[4] != '-' ||
	    digits(s.p + 5, 2, &mo) < 0 || s.p[7] != '-' ||
	    digits(s.p + 8, 2, &d) < 0 || (s.p[10] != 'T' && s.p[10] != ' ') ||
	    digits(s.p + 11, 2, &hh) < 0 || s.p[13] != ':' ||
	    digits(s.p + 14, 2, &mi) < 0 || s.p[16] != ':' ||
	    digits(s.p + 17, 2, &ss) < 0 || mo < 1 || mo > 12)
		return 0;
	size_t k = 19;
	if (k < s.n && (s.p[k] == '.' || s.p[k] == ','))
		for (k++; k < s.n && isdigit((unsigned char)s.p[k]); k++)
			;
	struct tm t = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			.tm_hour = hh, .tm_min = mi, .tm_sec = ss, .tm_isdst = -1 };
	long off = 0;
	bool zone = false;
	size_t z = k;
	if (s.p[10] == ' ' && z + 1 < s.n && s.p[z] == ' ' &&
	    (s.p[z + 1] == '+' || s.p[z + 1] == '-'))
		z++;		/* Exim's " +0100" */
	if (z < s.n && (s.p[z] == 'Z' || s.p[z] == 'z')) {
		zone = true;
		k = z + 1;
	} else if (z + 5 <= s.n && (s.p[z] == '+' || s.p[z] == '-')) {
		int oh, om;
		size_t w = s.p[z + 3] == ':' ? 6 : 5;
		if (z + w <= s.n && digits(s.p + z + 1, 2, &oh) == 0 &&
		    digits(s.p + z + w - 2, 2, &om) == 0) {
			off = (oh * 3600L + om * 60L) * (s.p[z] == '-' ? -1 : 1);
			zone = true;
			k = z + w;
		}
	}
	if (zone) {
		*ts = (int64_t)timegm(&t) - off;
		tz_text(m->tz, off);
	} else {
		*ts = (int64_t)mktime(&t);
		tz_text(m->tz, t.tm_gmtoff);
	}
	return k;
}

/* ---- Syslog lines: TIMESTAMP HOST TAG[PID]: TEXT ---- */

struct sysline {
	int64_t ts;
	struct sv host, tag, text;
};

/* 1: split; 0: no timestamp (not a syslog line); -1: a timestamp, but no
 * "HOST TAG: " after it ("last message repeated 3 times"). */
static int
syslog_split(struct maillog *m, struct sv s, struct sysline *out)
{
	size_t k = ts_classic(m, s, &out->ts);
	if (!k)
		k = ts_iso(m, s, &out->ts);
	if (!k)
		return 0;
	s = sv_ltrim(sv_skip(s, k));
	const char *sp = memchr(s.p, ' ', s.n);
	if (!sp)
		return -1;
	out->host = (struct sv){ s.p, (size_t)(sp - s.p) };
	s = sv_ltrim(sv_skip(s, out->host.n));
	long colon = sv_find(s, ": ");
	if (colon <= 0)
		return -1;
	struct sv tag = { s.p, (size_t)colon };
	const char *br = memchr(tag.p, '[', tag.n);
	if (br)
		tag.n = (size_t)(br - tag.p);
	if (memchr(tag.p, ' ', tag.n))
		return -1;
	out->tag = tag;
	out->text = sv_skip(s, (size_t)colon + 2);
	return 1;
}

/* ---- Building a record ---- */

static void
rec_begin(struct maillog *m, int64_t ts, const char *origin, struct sv host,
	  struct sv qid, struct sv rcpt)
{
	memset(&m->rec, 0, sizeof(m->rec));
	m->rec.timestamp = ts;
	m->rec.timezoneoffset = m->tz;
	cpy(m->origin, sizeof(m->origin), origin, strlen(origin));
	/* the recipient, trimmed of its brackets */
	while (rcpt.n && (*rcpt.p == '<' || *rcpt.p == ' '))
		rcpt.p++, rcpt.n--;
	while (rcpt.n && (rcpt.p[rcpt.n - 1] == '>' || rcpt.p[rcpt.n - 1] == ' '))
		rcpt.n--;
	cpy(m->rcpt, sizeof(m->rcpt), rcpt.p, rcpt.n);
	const char *at = strrchr(m->rcpt, '@');
	cpy(m->dest, sizeof(m->dest), at ? at + 1 : "", at ? strlen(at + 1) : 0);
	for (char *q = m->dest; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	char hl[256];
	if (m->force_host || !host.n)
		snprintf(hl, sizeof(hl), "%s", m->host);
	else
		host_label(hl, sizeof(hl), host.p, host.n);
	cpy(m->lhost, sizeof(m->lhost), host.n && !m->force_host ? host.p : m->host,
	    host.n && !m->force_host ? host.n : strlen(m->host));
	snprintf(m->join, sizeof(m->join), "%s %.*s", hl, (int)(qid.n > 64 ? 64 : qid.n), qid.p);
	/* what the queue id's arrival told */
	struct qent *e = qfind(m, qid.p, qid.n);
	m->sender[0] = m->sdomain[0] = m->msgid[0] = '\0';
	if (e && e->sender) {
		snprintf(m->sender, sizeof(m->sender), "%s", e->sender);
		const char *sa = strrchr(m->sender, '@');
		snprintf(m->sdomain, sizeof(m->sdomain), "%s", sa ? sa + 1 : "");
		for (char *q = m->sdomain; *q; q++)
			*q = (char)tolower((unsigned char)*q);
	}
	if (e && e->msgid)
		snprintf(m->msgid, sizeof(m->msgid), "%s", e->msgid);
	m->alias[0] = m->rhost[0] = m->diag[0] = m->status[0] = '\0';
	m->rec.origin = m->origin;
	m->rec.recipient = m->rcpt;
	m->rec.destination = m->dest;
	m->rec.addresser = m->sender;
	m->rec.senderdomain = m->sdomain;
	m->rec.messageid = m->msgid;
	m->rec.lhost = m->lhost;
	m->rec.rhost = m->rhost;
	m->rec.alias = m->alias;
	m->rec.diagnosticcode = m->diag;
	m->rec.deliverystatus = m->status;
	m->rec.action = m->action;
	m->rec.replycode = m->reply;
	m->rec.reason = m->reason;
	m->rec.command = m->command;
	m->rec.decodedby = m->decodedby;
	m->rec.diagnostictype = "SMTP";
	m->rec.timestampsource = "log";
	m->rec.listid = m->rec.subject = m->rec.feedbacktype = m->rec.feedbackid = "";
	m->rec.token = "";
	m->action[0] = m->reply[0] = m->reason[0] = m->command[0] = '\0';
}

/* Classify the reply text with the decoders' classifier.  dsn: the status
 * the log gives (Postfix's dsn=, Sendmail's dsn=), used when the text has
 * none.  temporary: a deferral. */
static void
rec_classify(struct maillog *m, struct sv text, const char *dsn, bool temporary)
{
	cpy(m->diag, sizeof(m->diag), text.p, text.n);
	char buf[sizeof(m->diag) + 24];
	const char *t = m->diag;
	if (dsn && *dsn && !strstr(m->diag, dsn)) {
		snprintf(buf, sizeof(buf), "%s %s", dsn, m->diag);
		t = buf;
	}
	struct bk_verdict v;
	bk_classify_text(t, strlen(t), &v);
	snprintf(m->reason, sizeof(m->reason), "%s", v.reason);
	snprintf(m->status, sizeof(m->status), "%s", dsn && *dsn ? dsn : v.status);
	snprintf(m->reply, sizeof(m->reply), "%s", v.replycode);
	snprintf(m->command, sizeof(m->command), "%s", v.command);
	m->rec.hardbounce = v.hardbounce && !temporary;
	snprintf(m->action, sizeof(m->action), "%s", temporary ? "delayed" : "failed");
	if (!m->status[0])
		snprintf(m->status, sizeof(m->status), "%s", temporary ? "4.0.0" : "5.0.0");
}

static enum maillog_line
emit(struct maillog *m, enum maillog_kind kind, maillog_fn fn, void *arg, int *fnrc)
{
	if (!strchr(m->rcpt, '@'))
		return m->stats.other++, MAILLOG_L_OTHER;	/* a local name, a pipe */
	struct maillog_item it = { kind, &m->rec, m->join };
	if (kind == MAILLOG_SENT) {
		m->stats.sent++;
		snprintf(m->action, sizeof(m->action), "delivered");
		snprintf(m->reason, sizeof(m->reason), "delivered");
	} else if (kind == MAILLOG_FAILED) {
		m->stats.failed++;
	} else {
		m->stats.delayed++;
	}
	int rc = fn ? fn(arg, &it) : 0;
	if (fnrc)
		*fnrc = rc;
	return MAILLOG_L_ITEM;
}

/* ---- Postfix ----
 * TS HOST postfix/smtp[PID]: QID: to=<r>, [orig_to=<o>,] relay=R, delay=D,
 *   delays=a/b/c/d, dsn=X.Y.Z, status=bounced|deferred|sent|expired (TEXT)
 * TS HOST postfix/qmgr[PID]: QID: from=<s>, size=N, nrcpt=N (queue active)
 * TS HOST postfix/qmgr[PID]: QID: from=<s>, status=expired, returned to sender
 * TS HOST postfix/cleanup[PID]: QID: message-id=<id>
 * TS HOST postfix/qmgr[PID]: QID: removed */

/* The value of "key=" in a list of "k=v, " fields: to the next ", " (an
 * address in <> may hold one). */
static struct sv
field(struct sv s, const char *key)
{
	size_t kn = strlen(key);
	struct sv none = { NULL, 0 };
	for (size_t i = 0; i + kn <= s.n; i++) {
		if ((i == 0 || (i >= 2 && s.p[i - 1] == ' ' && s.p[i - 2] == ',')) &&
		    !memcmp(s.p + i, key, kn)) {
			struct sv v = sv_skip(s, i + kn);
			size_t e = 0;
			if (v.n && v.p[0] == '<') {
				const char *gt = memchr(v.p, '>', v.n);
				e = gt ? (size_t)(gt - v.p) + 1 : v.n;
			}
			long c = sv_find(sv_skip(v, e), ", ");
			v.n = c < 0 ? v.n : e + (size_t)c;
			return v;
		}
	}
	return none;
}

/* Remember a deferred recipient of a queue id, for its expiry. */
static void
defer_note(struct maillog *m, struct sv qid, const char *rcpt)
{
	struct qent *e = qget(m, qid.p, qid.n);
	if (!e)
		return;
	size_t have = e->deferred ? strlen(e->deferred) : 0, n = strlen(rcpt);
	if (have > 65536)
		return;
	for (const char *p = e->deferred; p && *p;) {
		const char *nl = strchr(p, '\n');
		if ((size_t)(nl - p) == n && !memcmp(p, rcpt, n))
			return;
		p = nl + 1;
	}
	char *t = realloc(e->deferred, have + n + 2);
	if (!t)
		return;
	memcpy(t + have, rcpt, n);
	t[have + n] = '\n';
	t[have + n + 1] = '\0';
	e->deferred = t;
}

struct sysline;
static enum maillog_line postfix_expired(struct maillog *m, struct sysline *l,
	const char *origin, struct sv qid, struct qent *e, maillog_fn fn,
	void *arg, int *fnrc);

static bool
is_qid(struct sv s)
{
	if (s.n < 5 || s.n > 64)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!isalnum((unsigned char)s.p[i]))
			return false;
	return true;
}

static enum maillog_line
postfix_line(struct maillog *m, struct sysline *l, const char *origin,
	     maillog_fn fn, void *arg, int *fnrc)
{
	/* postfix/smtp, postfix-out/smtp, postfix/submission/smtpd... */
	const char *slash = memrchr(l->tag.p, '/', l->tag.n);
	if (!slash || !memmem(l->tag.p, l->tag.n, "postfix", 7))
		return m->stats.other++, MAILLOG_L_OTHER;
	struct sv prog = { slash + 1, (size_t)(l->tag.p + l->tag.n - slash - 1) };
	long c = sv_find(l->text, ": ");
	struct sv qid = { l->text.p, c > 0 ? (size_t)c : 0 };
	if (c <= 0 || !is_qid(qid))
		return m->stats.other++, MAILLOG_L_OTHER;	/* connect, warning, statistics */
	struct sv rest = sv_skip(l->text, (size_t)c + 2);
	if (sv_starts(rest, "from=")) {
		struct sv from = field(rest, "from=");
		struct qent *e = qget(m, qid.p, qid.n);
		if (e && from.n >= 2)
			qset(&e->sender, from.p + 1, from.n - 2);
		struct sv st = field(rest, "status=");
		if (st.n && sv_starts(st, "expired") && e && e->deferred)
			return postfix_expired(m, l, origin, qid, e, fn, arg, fnrc);
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	if (sv_starts(rest, "message-id=")) {
		struct qent *e = qget(m, qid.p, qid.n);
		struct sv id = sv_skip(rest, 11);
		const char *sp = memchr(id.p, ' ', id.n);
		if (sp)
			id.n = (size_t)(sp - id.p);
		if (e && id.n)
			qset(&e->msgid, id.p, id.n);
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	if (sv_starts(rest, "removed")) {
		struct qent *e = qfind(m, qid.p, qid.n);
		if (e)
			qdrop(m, e);
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	if (!sv_starts(rest, "to=<"))
		return m->stats.other++, MAILLOG_L_OTHER;	/* bounce notices, "host ... said" */
	(void)prog;
	struct sv to = field(rest, "to=");
	struct sv st = field(rest, "status=");
	if (!to.n || !st.n)
		return m->stats.unknown++, MAILLOG_L_UNKNOWN;
	/* "status=bounced (TEXT)": the word, then the text in () */
	struct sv word = st;
	const char *sp = memchr(st.p, ' ', st.n);
	if (sp)
		word.n = (size_t)(sp - st.p);
	struct sv text = { NULL, 0 };
	long open = sv_find(sv_skip(rest, (size_t)(st.p - rest.p)), " (");
	if (open >= 0) {
		text = sv_skip(rest, (size_t)(st.p - rest.p) + (size_t)open + 2);
		if (text.n && text.p[text.n - 1] == ')')
			text.n--;
	}
	/* "host mx.example.net[192.0.2.1] said: 550 ...": the reply */
	struct sv reply = text;
	if (sv_starts(text, "host ")) {
		long said = sv_find(text, " said: ");
		if (said > 0)
			reply = sv_skip(text, (size_t)said + 7);
	}
	rec_begin(m, l->ts, origin, l->host, qid, to);
	struct sv orig = field(rest, "orig_to=");
	if (orig.n >= 2)
		cpy(m->alias, sizeof(m->alias), orig.p + 1, orig.n - 2);
	struct sv relay = field(rest, "relay=");
	cpy(m->rhost, sizeof(m->rhost), relay.p ? relay.p : "", relay.n);
	char dsn[16] = "";
	struct sv d = field(rest, "dsn=");
	cpy(dsn, sizeof(dsn), d.p ? d.p : "", d.n);
	if (word.n == 4 && sv_starts(word, "sent"))
		return emit(m, MAILLOG_SENT, fn, arg, fnrc);
	if (word.n == 7 && sv_starts(word, "bounced")) {
		rec_classify(m, reply, dsn, false);
		return emit(m, MAILLOG_FAILED, fn, arg, fnrc);
	}
	if (sv_starts(word, "expired")) {
		rec_classify(m, reply, dsn, false);
		return emit(m, MAILLOG_FAILED, fn, arg, fnrc);
	}
	if (sv_starts(word, "deferred") || sv_starts(word, "SOFTBOUNCE")) {
		defer_note(m, qid, m->rcpt);
		rec_classify(m, reply, dsn, true);
		return emit(m, MAILLOG_DELAYED, fn, arg, fnrc);
	}
	if (sv_starts(word, "undeliverable") || sv_starts(word, "deliverable"))
		return m->stats.other++, MAILLOG_L_OTHER;	/* address probes */
	return m->stats.unknown++, MAILLOG_L_UNKNOWN;
}

/* "QID: from=<s>, status=expired, returned to sender": the queue
 * lifetime is over, every recipient still deferred fails. */
static enum maillog_line
postfix_expired(struct maillog *m, struct sysline *l, const char *origin,
		struct sv qid, struct qent *e, maillog_fn fn, void *arg,
		int *fnrc)
{
	char *list = e->deferred;
	e->deferred = NULL;
	enum maillog_line res = MAILLOG_L_STATE;
	for (char *p = list; p && *p;) {
		char *nl = strchr(p, '\n');
		*nl = '\0';
		rec_begin(m, l->ts, origin, l->host, qid, (struct sv){ p, strlen(p) });
		static const char text[] = "4.4.7 message expired in the queue: returned to sender";
		rec_classify(m, (struct sv){ text, sizeof(text) - 1 }, "4.4.7", false);
		snprintf(m->reason, sizeof(m->reason), "expired");
		m->rec.hardbounce = false;
		res = emit(m, MAILLOG_FAILED, fn, arg, fnrc);
		if (fnrc && *fnrc)
			break;
		p = nl + 1;
	}
	free(list);
	return res;
}

/* ---- Sendmail ----
 * TS HOST sm-mta[PID]: QID: from=<s>, size=N, class=0, nrcpts=1, msgid=<id>, ...
 * TS HOST sm-mta[PID]: QID: to=<r>[,<r2>], delay=.., xdelay=.., mailer=esmtp,
 *   pri=.., relay=R, dsn=5.1.1, stat=User unknown
 *   stat=Deferred: 451 4.7.1 ..., stat=Sent (QID Message accepted ...) */

static enum maillog_line
sendmail_line(struct maillog *m, struct sysline *l, const char *origin,
	      maillog_fn fn, void *arg, int *fnrc)
{
	if (!(l->tag.n == 6 && sv_starts(l->tag, "sm-mta")) &&
	    !(l->tag.n == 8 && sv_starts(l->tag, "sendmail")) &&
	    !sv_starts(l->tag, "sm-msp"))
		return m->stats.other++, MAILLOG_L_OTHER;
	long c = sv_find(l->text, ": ");
	struct sv qid = { l->text.p, c > 0 ? (size_t)c : 0 };
	if (c <= 0 || !is_qid(qid))
		return m->stats.other++, MAILLOG_L_OTHER;
	struct sv rest = sv_skip(l->text, (size_t)c + 2);
	if (sv_starts(rest, "from=")) {
		struct sv from = field(rest, "from=");
		struct qent *e = qget(m, qid.p, qid.n);
		if (e && from.n) {
			struct sv f = from;
			if (f.n >= 2 && f.p[0] == '<')
				f.p++, f.n -= 2;
			qset(&e->sender, f.p, f.n);
		}
		struct sv id = field(rest, "msgid=");
		if (e && id.n)
			qset(&e->msgid, id.p, id.n);
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	if (!sv_starts(rest, "to="))
		return m->stats.other++, MAILLOG_L_OTHER;
	/* stat= is the last field: its text may hold ", " */
	long sp = sv_find(rest, ", stat=");
	if (sp < 0)
		return m->stats.unknown++, MAILLOG_L_UNKNOWN;
	struct sv stat = sv_skip(rest, (size_t)sp + 7);
	struct sv head = { rest.p, (size_t)sp };
	/* to=<a@x>,<b@x>, or to=a@x,b@x, : the list ends at ", " */
	struct sv to = sv_skip(head, 3);
	long e = sv_find(to, ", ");
	if (e >= 0)
		to.n = (size_t)e;
	char dsn[16] = "";
	struct sv d = field(head, "dsn=");
	cpy(dsn, sizeof(dsn), d.p ? d.p : "", d.n);
	struct sv relay = field(head, "relay=");
	enum maillog_kind kind;
	struct sv text = stat;
	if (sv_starts(stat, "Sent")) {
		kind = MAILLOG_SENT;
	} else if (sv_starts(stat, "Deferred")) {
		kind = MAILLOG_DELAYED;
		text = sv_ltrim(sv_skip(stat, stat.n > 8 && stat.p[8] == ':' ? 9 : 8));
		if (!text.n)
			text = stat;
	} else if (sv_starts(stat, "queued") || sv_starts(stat, "quarantined")) {
		return m->stats.other++, MAILLOG_L_OTHER;
	} else {
		kind = dsn[0] == '4' ? MAILLOG_DELAYED : MAILLOG_FAILED;
	}
	enum maillog_line res = MAILLOG_L_OTHER;
	/* one item per recipient of the list */
	for (size_t i = 0; i < to.n;) {
		size_t j = i;
		bool in = false;
		while (j < to.n && (in || to.p[j] != ',')) {
			if (to.p[j] == '<')
				in = true;
			else if (to.p[j] == '>')
				in = false;
			j++;
		}
		struct sv one = { to.p + i, j - i };
		rec_begin(m, l->ts, origin, l->host, qid, one);
		cpy(m->rhost, sizeof(m->rhost), relay.p ? relay.p : "", relay.n);
		if (kind != MAILLOG_SENT)
			rec_classify(m, text, dsn, kind == MAILLOG_DELAYED);
		enum maillog_line r = emit(m, kind, fn, arg, fnrc);
		if (r == MAILLOG_L_ITEM)
			res = r;
		if (fnrc && *fnrc)
			break;
		i = j + 1;
	}
	return res;
}

/* ---- Exim ----
 * TS [PID] ID <= sender@x H=... P=esmtp S=N id=MSGID
 * TS ID ** rcpt@x [<parent@x>] R=router T=transport H=host [ip]: TEXT
 * TS ID == rcpt@x R=.. T=.. defer (-44) H=..: TEXT
 * TS ID => rcpt@x R=.. T=.. H=.. C="250 ..."; -> and *> the same
 * TS ID Completed */

static bool
exim_id(struct sv s)
{
	/* 1kXyz0-0001Ab-Cd (6-6-2) or, since 4.97, 6-11-4 */
	const char *d1 = memchr(s.p, '-', s.n);
	if (!d1 || d1 - s.p != 6)
		return false;
	const char *d2 = memchr(d1 + 1, '-', (size_t)(s.p + s.n - d1 - 1));
	if (!d2)
		return false;
	size_t b = (size_t)(d2 - d1 - 1), c = (size_t)(s.p + s.n - d2 - 1);
	if (!((b == 6 && c == 2) || (b == 11 && c == 4)))
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!isalnum((unsigned char)s.p[i]) && s.p[i] != '-')
			return false;
	return true;
}

static enum maillog_line
exim_line(struct maillog *m, struct sv s, const char *origin, maillog_fn fn,
	  void *arg, int *fnrc)
{
	int64_t ts;
	size_t k = ts_iso(m, s, &ts);
	if (!k)
		return m->stats.unknown++, MAILLOG_L_UNKNOWN;
	s = sv_ltrim(sv_skip(s, k));
	if (s.n && s.p[0] == '[') {	/* log_selector +pid */
		const char *e = memchr(s.p, ']', s.n);
		if (e)
			s = sv_ltrim(sv_skip(s, (size_t)(e - s.p) + 1));
	}
	const char *sp = memchr(s.p, ' ', s.n);
	struct sv id = { s.p, sp ? (size_t)(sp - s.p) : s.n };
	if (!exim_id(id))
		return m->stats.other++, MAILLOG_L_OTHER;	/* queue runs, SMTP connections */
	struct sv rest = sv_ltrim(sv_skip(s, id.n));
	if (sv_starts(rest, "<= ")) {
		struct sv from = sv_skip(rest, 3);
		const char *e = memchr(from.p, ' ', from.n);
		if (e)
			from.n = (size_t)(e - from.p);
		struct qent *q = qget(m, id.p, id.n);
		if (q)
			qset(&q->sender, from.p, sv_starts(from, "<>") ? 0 : from.n);
		long mi = sv_find(rest, " id=");
		if (q && mi >= 0) {
			struct sv v = sv_skip(rest, (size_t)mi + 4);
			const char *e2 = memchr(v.p, ' ', v.n);
			if (e2)
				v.n = (size_t)(e2 - v.p);
			qset(&q->msgid, v.p, v.n);
		}
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	if (sv_starts(rest, "Completed")) {
		struct qent *q = qfind(m, id.p, id.n);
		if (q)
			qdrop(m, q);
		m->stats.other++;
		return MAILLOG_L_STATE;
	}
	bool fail = sv_starts(rest, "** "), defer = sv_starts(rest, "== "),
	     sent = sv_starts(rest, "=> ") || sv_starts(rest, "-> ") ||
		    sv_starts(rest, "*> ");
	if (!fail && !defer && !sent)
		return m->stats.other++, MAILLOG_L_OTHER;
	struct sv a = sv_skip(rest, 3);
	/* the address, then its parent in <> (an alias), or a local part
	 * then its address in <> */
	const char *e = memchr(a.p, ' ', a.n);
	const char *colon = NULL;
	struct sv addr = { a.p, e ? (size_t)(e - a.p) : a.n };
	if (addr.n && addr.p[addr.n - 1] == ':') {	/* "** rcpt@x: Unrouteable" */
		addr.n--;
		colon = addr.p + addr.n;
	}
	struct sv parent = { NULL, 0 };
	struct sv after = sv_ltrim(sv_skip(a, addr.n));
	if (after.n && after.p[0] == '<') {
		const char *gt = memchr(after.p, '>', after.n);
		if (gt) {
			parent = (struct sv){ after.p + 1, (size_t)(gt - after.p - 1) };
			after = sv_skip(after, parent.n + 2);
		}
	}
	if (!memchr(addr.p, '@', addr.n) && parent.n) {
		addr = parent;
		parent.n = 0;
	}
	rec_begin(m, ts, origin, (struct sv){ NULL, 0 }, id, addr);
	if (parent.n)
		cpy(m->alias, sizeof(m->alias), parent.p, parent.n);
	long h = sv_find(after, "H=");
	if (h >= 0) {
		struct sv hv = sv_skip(after, (size_t)h + 2);
		const char *he = memchr(hv.p, ' ', hv.n);
		if (he)
			hv.n = (size_t)(he - hv.p);
		if (hv.n && hv.p[hv.n - 1] == ':')
			hv.n--;
		cpy(m->rhost, sizeof(m->rhost), hv.p, hv.n);
	}
	if (sent)
		return emit(m, MAILLOG_SENT, fn, arg, fnrc);
	/* the text after the first ": " past the address */
	struct sv text;
	if (colon) {
		text = sv_ltrim(sv_skip(a, addr.n + 1));
	} else {
		long c = sv_find(after, ": ");
		text = c >= 0 ? sv_skip(after, (size_t)c + 2) : after;
	}
	rec_classify(m, text, NULL, defer);
	return emit(m, defer ? MAILLOG_DELAYED : MAILLOG_FAILED, fn, arg, fnrc);
}

enum maillog_line
maillog_feed(struct maillog *m, const char *line, size_t len,
	     const char *origin, maillog_fn fn, void *arg, int *fnrc)
{
	if (fnrc)
		*fnrc = 0;
	m->stats.lines++;
	struct sv s = { line, len };
	while (s.n && (s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n'))
		s.n--;
	if (!s.n)
		return m->stats.other++, MAILLOG_L_OTHER;
	if (m->mta == MAILLOG_EXIM)
		return exim_line(m, s, origin, fn, arg, fnrc);
	struct sysline l;
	int sp = syslog_split(m, s, &l);
	if (sp == 0)
		return m->stats.unknown++, MAILLOG_L_UNKNOWN;
	if (sp < 0)
		return m->stats.other++, MAILLOG_L_OTHER;
	if (m->mta == MAILLOG_POSTFIX)
		return postfix_line(m, &l, origin, fn, arg, fnrc);
	return sendmail_line(m, &l, origin, fn, arg, fnrc);
}
