/* SPDX-License-Identifier: BSD-2-Clause */
/* transcript.c - SMTP session transcripts quoted in bounces (dsn.h).
 *
 *   ... while talking to mx.example.org.:
 *   >>> MAIL From:<neko@example.jp> SIZE=1024
 *   >>> RCPT To:<kijitora@example.org>
 *   >>> DATA
 *   <<< 250 2.1.0 <neko@example.jp>... Sender ok
 *   <<< 550 5.1.1 <kijitora@example.org>... User unknown
 *   <<< 503 5.0.0 Need RCPT (recipient)
 *
 * Replies answer the commands in the order they were sent (RFC 2920 3.1: a
 * pipelining client sends several before it reads).  A reply with no
 * command waiting answers the one answered last (DATA gets 354, then the
 * final reply), or the connection (the greeting) when there was none.  A
 * line of other text ends the run: commands still waiting then count as
 * unanswered.
 */
#include "dsn.h"

enum { ST_NONE, ST_ARROWS, ST_INOUT };
enum { L_OTHER, L_CLIENT, L_SERVER };

static const struct {
	struct bk_sv client, server;
} labels[] = {
	[ST_ARROWS] = { BK_SVI(">>>"), BK_SVI("<<<") },
	[ST_INOUT] = { BK_SVI("In:"), BK_SVI("Out:") },
};

/* RFC 5321 4.1, RFC 2033 (LHLO), RFC 3030 (BDAT), Postfix XCLIENT/XFORWARD */
static const struct bk_sv commands[] = {
	BK_SVI("HELO"), BK_SVI("EHLO"), BK_SVI("LHLO"), BK_SVI("MAIL"),
	BK_SVI("RCPT"), BK_SVI("DATA"), BK_SVI("BDAT"), BK_SVI("RSET"),
	BK_SVI("VRFY"), BK_SVI("EXPN"), BK_SVI("NOOP"), BK_SVI("QUIT"),
	BK_SVI("HELP"), BK_SVI("AUTH"), BK_SVI("STARTTLS"), BK_SVI("ETRN"),
	BK_SVI("XFORWARD"), BK_SVI("XCLIENT"),
};

/* A line and the deeper-indented lines that continue it. */
struct item {
	int kind;		/* L_CLIENT, L_SERVER, L_OTHER */
	struct bk_sv body;	/* after the label, trimmed */
};

static size_t
indent(struct bk_sv line)
{
	size_t i = 0;
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	return i;
}

/* Whose line it is; the first label seen fixes the style. */
static int
line_label(struct bk_smtp_reader *r, struct bk_sv line, struct bk_sv *body)
{
	struct bk_sv t = bk_sv_ltrim(line);
	for (int st = ST_ARROWS; st <= ST_INOUT; st++) {
		if (r->style != ST_NONE && r->style != st)
			continue;
		for (int kind = L_CLIENT; kind <= L_SERVER; kind++) {
			struct bk_sv l = kind == L_CLIENT ? labels[st].client
							  : labels[st].server;
			struct bk_sv after = bk_sv_from(t, l.n);
			if (!bk_sv_starts(t, l) ||
			    (after.n && !bk_is_space((unsigned char)after.p[0])))
				continue;
			r->style = st;
			*body = bk_sv_trim(after);
			return kind;
		}
	}
	return L_OTHER;
}

static bool
read_item(struct bk_smtp_reader *r, struct item *it)
{
	struct bk_sv line, next, ignored;
	if (!bk_sv_next_line(&r->rest, &line))
		return false;
	it->kind = line_label(r, line, &it->body);
	if (it->kind == L_OTHER)
		return true;
	size_t ind = indent(line);
	struct bk_sv peek = r->rest;
	while (bk_sv_next_line(&peek, &next) && bk_sv_trim(next).n &&
	       indent(next) > ind && line_label(r, next, &ignored) == L_OTHER) {
		it->body.n = (size_t)(next.p + next.n - it->body.p);
		r->rest = peek;
	}
	it->body = bk_sv_rtrim(it->body);
	return true;
}

/* MAIL FROM:<a@b> SIZE=1, RCPT TO: a@b -> a@b */
static struct bk_sv
path_arg(struct bk_sv rest)
{
	long lt = bk_sv_findc(rest, '<');
	if (lt >= 0) {
		struct bk_sv in = bk_sv_from(rest, (size_t)lt + 1);
		long gt = bk_sv_findc(in, '>');
		return gt < 0 ? bk_sv_trim(in) : bk_sv_slice(in, 0, (size_t)gt);
	}
	struct bk_sv v = bk_sv_ltrim(bk_sv_cut(rest, ':', &rest));
	if (!v.p)
		return BK_SV("");
	size_t e = 0;
	while (e < v.n && !bk_is_space((unsigned char)v.p[e]))
		e++;
	return bk_sv_slice(v, 0, e);
}

static struct bk_smtp_step
parse_command(struct bk_sv body)
{
	struct bk_smtp_step s = { BK_SVI(""), BK_SVI(""), BK_SVI(""),
				  BK_SVI(""), BK_SVI("") };
	if (bk_sv_eq(body, BK_SV("."))) {	/* the end of the data */
		s.command = BK_SV("DATA");
		return s;
	}
	size_t e = 0;
	while (e < body.n && bk_is_alpha((unsigned char)body.p[e]))
		e++;
	struct bk_sv word = bk_sv_slice(body, 0, e);
	struct bk_sv rest = bk_sv_trim(bk_sv_from(body, e));
	s.argument = rest;
	for (size_t i = 0; i < BK_NELEM(commands); i++)
		if (bk_sv_ieq(word, commands[i]))
			s.command = commands[i];
	if (bk_sv_eq(s.command, BK_SV("MAIL")) ||
	    bk_sv_eq(s.command, BK_SV("RCPT")))
		s.argument = path_arg(rest);
	else if (!s.command.n)
		s.argument = body;
	return s;
}

static void
push(struct bk_smtp_reader *r, struct bk_sv body)
{
	r->pending[r->npending++] = parse_command(body);
}

static struct bk_smtp_step
pop(struct bk_smtp_reader *r)
{
	struct bk_smtp_step s = r->pending[0];
	r->npending--;
	memmove(&r->pending[0], &r->pending[1], r->npending * sizeof(s));
	return s;
}

/* "550-..." (more lines follow), "550 ..." or "550": the code; "" when
 * the line has none. */
static struct bk_sv
reply_code(struct bk_sv body, bool *more)
{
	*more = false;
	if (body.n < 3 || body.p[0] < '1' || body.p[0] > '5' ||
	    !bk_is_digit((unsigned char)body.p[1]) ||
	    !bk_is_digit((unsigned char)body.p[2]))
		return BK_SV("");
	if (body.n > 3 && body.p[3] != '-' && !bk_is_space((unsigned char)body.p[3]))
		return BK_SV("");
	*more = body.n > 3 && body.p[3] == '-';
	return bk_sv_slice(body, 0, 3);
}

/* The lines of a reply, labels dropped, joined by one space. */
static struct bk_sv
join_lines(struct bk_smtp_reader *r, struct bk_sv span)
{
	struct bk_sv rest = span, line, body;
	struct bk_sb sb;
	bk_sb_init(&sb, r->arena, span.n);
	while (bk_sv_next_line(&rest, &line)) {
		if (line_label(r, line, &body) == L_OTHER)
			body = bk_sv_trim(line);
		if (!body.n)
			continue;
		if (sb.n)
			bk_sb_addc(&sb, ' ');
		bk_sb_addsv(&sb, body);
	}
	return bk_sb_sv(&sb);
}

/* The status in a reply, as a view into it. */
static struct bk_sv
status_in(struct bk_sv text, struct bk_sv reply)
{
	char st[BK_STATUS_MAX];
	if (!bk_status_find(text, reply.n ? reply.p[0] : 0, st))
		return BK_SV("");
	struct bk_sv want = bk_sv_c(st), rest = text;
	for (long at; (at = bk_sv_find(rest, want)) >= 0;) {
		size_t i = (size_t)(rest.p - text.p) + (size_t)at;
		if (i == 0 || !(bk_is_digit((unsigned char)text.p[i - 1]) ||
				text.p[i - 1] == '.'))
			return bk_sv_slice(text, i, i + want.n);
		rest = bk_sv_from(text, i + 1);
	}
	return BK_SV("");
}

/* A reply starting with the server line first; the lines that say more
 * follow ("550-") are part of it. */
static void
read_reply(struct bk_smtp_reader *r, struct bk_sv first, struct bk_smtp_step *s)
{
	bool more;
	struct bk_sv span = first;
	s->reply = reply_code(first, &more);
	while (more) {
		struct bk_sv save = r->rest;
		struct item it;
		if (!read_item(r, &it) || it.kind != L_SERVER) {
			r->rest = save;
			break;
		}
		reply_code(it.body, &more);
		span.n = (size_t)(it.body.p + it.body.n - span.p);
	}
	s->text = span;
	if (bk_sv_findc(span, '\n') >= 0) {
		s->text = join_lines(r, span);
		if (!s->text.n)
			s->text = bk_sv_trim(bk_sv_ibefore(first, BK_SV("\n")));
	}
	s->status = status_in(s->text, s->reply);
}

/* The reply answers the oldest command waiting, else the last answered. */
static void
answer(struct bk_smtp_reader *r, struct bk_sv first, struct bk_smtp_step *s)
{
	if (r->npending) {
		r->last = pop(r);
	} else if (!r->last.command.p) {
		r->last = parse_command(BK_SV(""));
		r->last.command = BK_SV("CONN");
	}
	*s = r->last;
	read_reply(r, first, s);
}

void
bk_smtp_reader_init(struct bk_smtp_reader *r, struct bk_sv text,
		    struct bk_arena *a)
{
	memset(r, 0, sizeof(*r));
	r->rest = text;
	r->arena = a;
}

bool
bk_smtp_next(struct bk_smtp_reader *r, struct bk_smtp_step *s)
{
	struct item it;
	for (;;) {
		if (r->drain && r->npending) {
			*s = pop(r);
			return true;
		}
		r->drain = false;
		if (!read_item(r, &it)) {
			if (!r->npending)
				return false;
			r->drain = true;
		} else if (it.kind == L_OTHER) {
			r->drain = true;
		} else if (it.kind == L_CLIENT) {
			if (r->npending == BK_SMTP_PENDING) {
				*s = pop(r);
				push(r, it.body);
				return true;
			}
			push(r, it.body);
		} else {
			answer(r, it.body, s);
			return true;
		}
	}
}

bool
bk_smtp_failed(const struct bk_smtp_step *s)
{
	return s->reply.n == 3 && (s->reply.p[0] == '4' || s->reply.p[0] == '5');
}
