/* SPDX-License-Identifier: BSD-2-Clause */
/* lmtp.c - the LMTP protocol engine (lmtp.h): a poll(2) loop, one state
 * machine per connection.  Replies are queued as commands arrive
 * (PIPELINING), written as the client reads them; a client that does not
 * read is not read from either until it does.
 *
 * Group commit: a message whose final dot arrives is staged (decoded, its
 * records added to the store's batch) and its session waits; once every
 * session with input in this turn of the loop has been read, one commit
 * writes the messages of them all, and only then does each get its
 * replies and its session go on with what it sent after the dot. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "intake/intake.h"
#include "intake/lmtp.h"

#define OUT_HIGH (64u * 1024)	/* stop reading a client with this much unread */

struct sess {
	int fd;
	unsigned id;
	char *in;
	size_t inlen, incap;
	char *out;
	size_t outlen, outcap;
	bool oom, closing, lhlo, mail, data, discard;
	bool data_over, data_long;
	char *sender;
	char **rcpts;
	size_t nrcpt;
	char *msg;
	size_t mlen, mcap;
	unsigned errors;
	int64_t last;
	unsigned long messages;
	/* a message staged, waiting for the group's commit */
	bool pending, p_kept;
	enum intake_result p_res;
	unsigned p_records;
	char p_msg[600];
};

struct server {
	const struct lmtp_conf *c;
	struct intake *in;
	struct sess **s;
	size_t n;
	unsigned next_id;
	bool dirty;		/* staged since the last commit (a session may be gone) */
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
logf_(struct server *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
logf_(struct server *sv, const char *fmt, ...)
{
	if (!sv->c->log)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sv->c->log(sv->c->log_arg, line);
}

static void
reply(struct sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
reply(struct sess *s, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t k = (size_t)n < sizeof(line) - 2 ? (size_t)n : sizeof(line) - 3;
	line[k++] = '\r';
	line[k++] = '\n';
	if (s->outlen + k > s->outcap) {
		size_t cap = s->outcap ? s->outcap : 4096;
		while (cap < s->outlen + k)
			cap *= 2;
		char *o = realloc(s->out, cap);
		if (!o) {
			s->oom = true;
			return;
		}
		s->out = o;
		s->outcap = cap;
	}
	memcpy(s->out + s->outlen, line, k);
	s->outlen += k;
}

/* Write what is queued; false when the connection is gone. */
static bool
flush_out(struct sess *s)
{
	size_t off = 0;
	while (off < s->outlen) {
		ssize_t w = send(s->fd, s->out + off, s->outlen - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0)
			return false;
		off += (size_t)w;
	}
	memmove(s->out, s->out + off, s->outlen - off);
	s->outlen -= off;
	return true;
}

static void
reset_txn(struct sess *s)
{
	free(s->sender);
	s->sender = NULL;
	for (size_t i = 0; i < s->nrcpt; i++)
		free(s->rcpts[i]);
	s->nrcpt = 0;
	free(s->msg);
	s->msg = NULL;
	s->mlen = s->mcap = 0;
	s->mail = s->data = s->data_over = s->data_long = false;
}

static void
sess_free(struct sess *s)
{
	reset_txn(s);
	free(s->rcpts);
	free(s->in);
	free(s->out);
	close(s->fd);
	free(s);
}

/* "FROM:<addr> params" after the verb: the address (brackets off) into
 * *addr (malloc'd), the rest in *params; false on bad syntax. */
static bool
path_arg(const char *arg, const char *kw, char **addr, const char **params)
{
	size_t kl = strlen(kw);
	if (strncasecmp(arg, kw, kl))
		return false;
	arg += kl;
	while (*arg == ' ')
		arg++;
	if (*arg != '<')
		return false;
	const char *end = strchr(arg, '>');
	if (!end)
		return false;
	size_t n = (size_t)(end - arg - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)arg[1 + i] <= ' ' || arg[1 + i] == 127)
			return false;
	*addr = strndup(arg + 1, n);
	if (!*addr)
		return false;
	*params = end + 1;
	while (**params == ' ')
		(*params)++;
	return true;
}

static void
bad_command(struct server *sv, struct sess *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
bad_command(struct server *sv, struct sess *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	reply(s, "%s", line);
	if (++s->errors >= sv->c->max_errors) {
		reply(s, "421 4.7.0 %s too many errors, closing", sv->c->hostname);
		s->closing = true;
	}
}

static void
command(struct server *sv, struct sess *s, char *line)
{
	const struct lmtp_conf *c = sv->c;
	char *arg = line;
	while (*arg && *arg != ' ')
		arg++;
	size_t vl = (size_t)(arg - line);
	while (*arg == ' ')
		arg++;
#define IS(v) (vl == sizeof(v) - 1 && !strncasecmp(line, v, vl))
	if (IS("LHLO")) {
		if (!*arg) {
			bad_command(sv, s, "501 5.5.4 LHLO needs a domain");
			return;
		}
		reset_txn(s);
		s->lhlo = true;
		reply(s, "250-%s", c->hostname);
		reply(s, "250-PIPELINING");
		reply(s, "250-ENHANCEDSTATUSCODES");
		reply(s, "250-8BITMIME");
		reply(s, "250 SIZE %zu", c->max_size);
	} else if (IS("HELO") || IS("EHLO")) {
		bad_command(sv, s, "500 5.5.1 this is LMTP: LHLO, not %.4s", line);
	} else if (IS("MAIL")) {
		char *addr;
		const char *params;
		if (!s->lhlo) {
			bad_command(sv, s, "503 5.5.1 LHLO first");
		} else if (s->mail) {
			bad_command(sv, s, "503 5.5.1 a transaction is open: RSET first");
		} else if (!path_arg(arg, "FROM:", &addr, &params)) {
			bad_command(sv, s, "501 5.5.4 syntax: MAIL FROM:<address>");
		} else {
			/* parameters: SIZE=n, BODY=7BIT|8BITMIME */
			char *p = strdup(params), *save = NULL;
			const char *bad = NULL;
			bool big = false;
			for (char *t = p ? strtok_r(p, " ", &save) : NULL; t && !bad;
			     t = strtok_r(NULL, " ", &save)) {
				if (!strncasecmp(t, "SIZE=", 5)) {
					char *end;
					errno = 0;
					unsigned long long z = strtoull(t + 5, &end, 10);
					if (*end || end == t + 5)
						bad = "501 5.5.4 bad SIZE";
					else if (errno || z > c->max_size)
						big = true;
				} else if (!strcasecmp(t, "BODY=8BITMIME") || !strcasecmp(t, "BODY=7BIT")) {
					;
				} else {
					bad = "555 5.5.4 unknown MAIL parameter";
				}
			}
			free(p);
			if (bad) {
				free(addr);
				bad_command(sv, s, "%s", bad);
			} else if (big) {
				free(addr);
				reply(s, "552 5.3.4 message size exceeds the limit of %zu bytes", c->max_size);
			} else {
				s->sender = addr;
				s->mail = true;
				reply(s, "250 2.1.0 sender <%s> ok", addr);
			}
		}
	} else if (IS("RCPT")) {
		char *addr;
		const char *params;
		if (!s->mail) {
			bad_command(sv, s, "503 5.5.1 MAIL first");
		} else if (!path_arg(arg, "TO:", &addr, &params)) {
			bad_command(sv, s, "501 5.5.4 syntax: RCPT TO:<address>");
		} else if (!*addr || !strchr(addr, '@') || strlen(addr) > 320) {
			free(addr);
			reply(s, "501 5.1.3 bad recipient address");
		} else if (s->nrcpt >= c->max_rcpt) {
			free(addr);
			reply(s, "452 4.5.3 too many recipients (at most %u)", c->max_rcpt);
		} else {
			char **v = realloc(s->rcpts, (s->nrcpt + 1) * sizeof(*v));
			if (!v) {
				free(addr);
				reply(s, "452 4.3.1 out of memory");
				return;
			}
			s->rcpts = v;
			s->rcpts[s->nrcpt++] = addr;
			reply(s, "250 2.1.5 recipient <%s> ok", addr);
		}
	} else if (IS("DATA")) {
		if (*arg)
			bad_command(sv, s, "501 5.5.4 DATA takes no argument");
		else if (!s->mail)
			bad_command(sv, s, "503 5.5.1 MAIL first");
		else if (!s->nrcpt)
			bad_command(sv, s, "503 5.5.1 no valid recipients");
		else {
			s->data = true;
			reply(s, "354 2.0.0 go ahead, end with <CRLF>.<CRLF>");
		}
	} else if (IS("RSET")) {
		reset_txn(s);
		reply(s, "250 2.0.0 ok");
	} else if (IS("NOOP")) {
		reply(s, "250 2.0.0 ok");
	} else if (IS("VRFY")) {
		reply(s, "252 2.5.0 cannot verify, but will accept");
	} else if (IS("QUIT")) {
		reply(s, "221 2.0.0 %s closing", c->hostname);
		s->closing = true;
	} else {
		bad_command(sv, s, "500 5.5.2 command not recognized");
	}
#undef IS
}

static void replies(struct server *sv, struct sess *s, enum intake_result r);

/* The final dot: staged for the group's commit (lmtp_serve), or answered
 * at once when there is nothing to commit. */
static void
end_of_data(struct server *sv, struct sess *s)
{
	const struct lmtp_conf *c = sv->c;
	s->messages++;
	if (s->data_over || s->data_long) {
		for (size_t i = 0; i < s->nrcpt; i++)
			reply(s, s->data_over ? "552 5.3.4 <%s> message size exceeds the limit of %zu bytes"
					      : "552 5.3.4 <%s> a line is longer than %zu bytes",
			      s->rcpts[i], s->data_over ? c->max_size : c->max_line);
		logf_(sv, "session %u: message %lu refused: %s", s->id, s->messages,
		      s->data_over ? "over the size limit" : "a line over the limit");
		reset_txn(s);
		return;
	}
	struct intake_outcome out;
	char origin[64];
	snprintf(origin, sizeof(origin), "lmtp:%u.%lu", s->id, s->messages);
	enum intake_result r = intake_stage(sv->in, s->msg ? s->msg : "", s->mlen, origin,
					    s->sender, (const char *const *)s->rcpts,
					    s->nrcpt, &out);
	if (r != INTAKE_DATAERR)
		sv->dirty = true;
	s->p_res = r;
	s->p_records = out.records;
	s->p_kept = out.kept;
	snprintf(s->p_msg, sizeof(s->p_msg), "%s", out.msg);
	free(s->msg);		/* staged: the text is no longer needed */
	s->msg = NULL;
	s->mcap = 0;
	if (r == INTAKE_STORED || r == INTAKE_NOTBOUNCE)
		s->pending = true;	/* answered after the commit */
	else
		replies(sv, s, r);
}

/* One reply per recipient for the message of s (its outcome in s->p_*). */
static void
replies(struct server *sv, struct sess *s, enum intake_result r)
{
	for (size_t i = 0; i < s->nrcpt; i++) {
		switch (r) {
		case INTAKE_STORED:
			reply(s, "250 2.0.0 <%s> %u records stored", s->rcpts[i], s->p_records);
			break;
		case INTAKE_NOTBOUNCE:
			reply(s, "250 2.0.0 <%s> accepted, not a bounce%s", s->rcpts[i],
			      s->p_kept ? " (kept)" : "");
			break;
		case INTAKE_TEMPFAIL:
			reply(s, "451 4.3.0 <%s> the store is unavailable: try again later", s->rcpts[i]);
			break;
		case INTAKE_DATAERR:
			reply(s, "554 5.6.0 <%s> the message cannot be read", s->rcpts[i]);
			break;
		}
	}
	static const char *const what[] = { "stored", "not a bounce", "temporary failure",
		"unreadable" };
	logf_(sv, "session %u: message %lu from <%s>, %zu recipients, %zu bytes: %s, %u records%s%s",
	      s->id, s->messages, s->sender ? s->sender : "", s->nrcpt, s->mlen, what[r],
	      s->p_records, *s->p_msg ? ": " : "", s->p_msg);
	s->pending = false;
	reset_txn(s);
}

static void process(struct server *sv, struct sess *s);

/* The group's commit: the messages staged in this turn written in one
 * transaction, then each answered (451 4.3.0 for all when it failed), and
 * each session goes on with what it sent after the dot, which may stage
 * another message: again until none does.  True when a session is left
 * to close (the loop then does not wait in poll). */
static bool
group_commit(struct server *sv)
{
	bool closing = false;
	for (;;) {
		size_t n = 0;
		for (size_t i = 0; i < sv->n; i++)
			n += sv->s[i]->pending;
		if (!n && !sv->dirty)
			return closing;
		char msg[600] = "";
		bool ok = intake_commit(sv->in, msg, sizeof(msg)) == 0;
		sv->dirty = false;
		for (size_t i = 0; i < sv->n; i++) {
			struct sess *s = sv->s[i];
			if (!s->pending)
				continue;
			if (!ok)
				snprintf(s->p_msg, sizeof(s->p_msg), "%s", msg);
			replies(sv, s, ok ? s->p_res : INTAKE_TEMPFAIL);
			process(sv, s);
			flush_out(s);
			closing |= s->closing;
		}
	}
}

/* One line of DATA (without its line end). */
static void
data_line(struct server *sv, struct sess *s, const char *line, size_t n)
{
	if (n == 1 && line[0] == '.') {
		s->data = false;
		end_of_data(sv, s);
		return;
	}
	if (n && line[0] == '.') {	/* dot-unstuffing */
		line++;
		n--;
	}
	if (s->data_over || s->data_long)
		return;
	if (s->mlen + n + 1 > sv->c->max_size) {
		s->data_over = true;
		free(s->msg);
		s->msg = NULL;
		s->mlen = s->mcap = 0;
		return;
	}
	if (s->mlen + n + 1 > s->mcap) {
		size_t cap = s->mcap ? s->mcap : 16384;
		while (cap < s->mlen + n + 1)
			cap *= 2;
		char *m = realloc(s->msg, cap);
		if (!m) {
			s->data_over = true;	/* refused, as too big for us now */
			return;
		}
		s->msg = m;
		s->mcap = cap;
	}
	memcpy(s->msg + s->mlen, line, n);
	s->mlen += n;
	s->msg[s->mlen++] = '\n';
}

/* Handle the complete lines read so far. */
static void
process(struct server *sv, struct sess *s)
{
	size_t off = 0;
	while (!s->closing && !s->pending && off < s->inlen) {
		char *p = s->in + off;
		char *nl = memchr(p, '\n', s->inlen - off);
		if (!nl)
			break;
		size_t n = (size_t)(nl - p);
		off += n + 1;
		if (s->discard) {	/* the tail of an over-long line */
			s->discard = false;
			continue;
		}
		if (n && p[n - 1] == '\r')
			n--;
		if (s->data) {
			data_line(sv, s, p, n);
		} else {
			p[n] = '\0';
			if (memchr(p, '\0', n) || n == 0)
				bad_command(sv, s, "500 5.5.2 command not recognized");
			else
				command(sv, s, p);
		}
	}
	memmove(s->in, s->in + off, s->inlen - off);
	s->inlen -= off;
	if (!s->closing && !s->pending && s->inlen == s->incap) {
		/* a full buffer without a line end: over max_line */
		if (s->data) {
			s->data_long = true;
			free(s->msg);
			s->msg = NULL;
			s->mlen = s->mcap = 0;
		} else if (!s->discard) {
			bad_command(sv, s, "500 5.5.0 line too long (at most %zu bytes)", sv->c->max_line);
		}
		s->discard = true;
		s->inlen = 0;
	}
}

static void
drop(struct server *sv, size_t i, const char *why)
{
	logf_(sv, "session %u: closed (%s)", sv->s[i]->id, why);
	sess_free(sv->s[i]);
	sv->s[i] = sv->s[--sv->n];
}

static void
accept_all(struct server *sv, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return;	/* EAGAIN, or out of descriptors: try later */
		}
		struct sess *s = NULL;
		if (sv->n < sv->c->max_sessions)
			s = calloc(1, sizeof(*s));
		if (s) {
			s->incap = sv->c->max_line;
			s->in = malloc(s->incap);
		}
		if (!s || !s->in) {
			char msg[128];
			int k = snprintf(msg, sizeof(msg), "421 4.3.2 %s too many sessions, try later\r\n",
					 sv->c->hostname);
			if (send(fd, msg, (size_t)k, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				(void)0;
			close(fd);
			if (s)
				free(s);
			logf_(sv, "a connection refused: %zu sessions", sv->n);
			continue;
		}
		s->fd = fd;
		s->id = ++sv->next_id;
		s->last = now_ms();
		reply(s, "220 %s LMTP bouncekit ready", sv->c->hostname);
		sv->s[sv->n++] = s;
		logf_(sv, "session %u: connected", s->id);
	}
}

int
lmtp_serve(int lfd, const struct lmtp_conf *conf, struct intake *in, char *err,
	   size_t errlen)
{
	struct server sv = { conf, in, NULL, 0, 0, false };
	sv.s = calloc(conf->max_sessions + 1, sizeof(*sv.s));
	struct pollfd *pfd = calloc(conf->max_sessions + 1, sizeof(*pfd));
	if (!sv.s || !pfd) {
		free(sv.s);
		free(pfd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int fl = fcntl(lfd, F_GETFL);
	fcntl(lfd, F_SETFL, fl | O_NONBLOCK);
	int rc = 0;
	bool hurry = false;	/* a session to close after the group's commit */
	while (!conf->stop || !*conf->stop) {
		int64_t now = now_ms();
		int timeout = hurry ? 0 : 1000;
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (size_t i = 0; i < sv.n; i++) {
			struct sess *s = sv.s[i];
			pfd[i + 1].fd = s->fd;
			pfd[i + 1].events = (short)((s->outlen ? POLLOUT : 0) |
						    (s->outlen < OUT_HIGH && !s->closing ? POLLIN : 0));
			pfd[i + 1].revents = 0;
			int64_t left = s->last + conf->idle_ms - now;
			if (left < timeout)
				timeout = left < 0 ? 0 : (int)left;
		}
		int nready = poll(pfd, sv.n + 1, timeout);
		if (nready < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		now = now_ms();
		size_t n = sv.n;	/* sessions polled; accepted ones come after */
		for (size_t i = n; i-- > 0;) {
			struct sess *s = sv.s[i];
			short re = pfd[i + 1].revents;
			if (re & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t r = recv(s->fd, s->in + s->inlen, s->incap - s->inlen, 0);
				if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
					drop(&sv, i, s->data ? "the client went away in DATA: nothing stored"
							     : "the client went away");
					continue;
				}
				if (r > 0) {
					s->inlen += (size_t)r;
					s->last = now;
					process(&sv, s);
				}
			}
			if (now - s->last >= (int64_t)conf->idle_ms) {
				if (!s->closing)
					reply(s, "421 4.4.2 %s idle too long, closing", conf->hostname);
				flush_out(s);
				drop(&sv, i, "idle timeout");
				continue;
			}
			if (s->oom) {
				drop(&sv, i, "out of memory");
				continue;
			}
			if (s->outlen && !flush_out(s)) {
				drop(&sv, i, "the client went away");
				continue;
			}
			if (s->closing && !s->outlen)
				drop(&sv, i, s->errors >= conf->max_errors ? "too many errors" : "quit");
		}
		hurry = group_commit(&sv);
		if (pfd[0].revents & POLLIN)
			accept_all(&sv, lfd);
		for (size_t i = n; i < sv.n; i++)
			flush_out(sv.s[i]);
	}
	while (sv.n)
		drop(&sv, sv.n - 1, "the server stops");
	free(sv.s);
	free(pfd);
	return rc;
}

int
lmtp_listen(const char *spec, char *bound, size_t boundlen, char *err,
	    size_t errlen)
{
	if (!strncmp(spec, "unix:", 5)) {
		const char *path = spec + 5;
		struct sockaddr_un sa;
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		if (!*path || strlen(path) >= sizeof(sa.sun_path)) {
			snprintf(err, errlen, "%s: a socket path of 1 to %zu bytes", spec,
				 sizeof(sa.sun_path) - 1);
			return -1;
		}
		strcpy(sa.sun_path, path);
		struct stat sb;
		if (lstat(path, &sb) == 0) {
			if (!S_ISSOCK(sb.st_mode)) {
				snprintf(err, errlen, "%s: exists and is not a socket", path);
				return -1;
			}
			unlink(path);	/* a stale socket of an earlier run */
		}
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(fd, 128) < 0) {
			snprintf(err, errlen, "%s: %s", spec, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		snprintf(bound, boundlen, "unix:%s", path);
		return fd;
	}
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(err, errlen, "%s: unix:PATH or HOST:PORT", spec);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	char *h = host;
	if (*h == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	struct addrinfo hints, *res;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int g = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &res);
	if (g) {
		snprintf(err, errlen, "%s: %s", spec, gai_strerror(g));
		return -1;
	}
	int fd = -1, e = 0;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 128) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", spec, strerror(e));
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char hb[NI_MAXHOST] = "", pb[NI_MAXSERV] = "";
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		getnameinfo((struct sockaddr *)&ss, sl, hb, sizeof(hb), pb, sizeof(pb),
			    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(bound, boundlen, strchr(hb, ':') ? "[%s]:%s" : "%s:%s", hb, pb);
	return fd;
}
