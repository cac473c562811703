/* SPDX-License-Identifier: BSD-2-Clause */
/* parser.c - the entry point (bk_decode): load the message, run the
 * decoders (lib/decode/) in priority order, and when none understands it,
 * look for a bounce forwarded as an attachment and try again on that (one
 * level deep); then the record builder (lib/report/) turns what the
 * decoder found into records.  The only folder that calls both. */
#include "parser.h"

#include <stdlib.h>

void
bk_options_init(struct bk_options *o)
{
	memset(o, 0, sizeof(*o));
	o->limits.message_size = 64u << 20;
	o->limits.header_size = 1u << 20;
	o->limits.header_count = 10000;
	o->limits.line_length = 1u << 20;
	o->limits.mime_depth = 64;
	o->limits.mime_parts = 10000;
	o->limits.decoded_size = 64u << 20;
	o->limits.recipients = 10000;
}

static void
fill_limits(struct bk_limits *l)
{
	struct bk_options d;
	bk_options_init(&d);
	if (!l->message_size)
		l->message_size = d.limits.message_size;
	if (!l->header_size)
		l->header_size = d.limits.header_size;
	if (!l->header_count)
		l->header_count = d.limits.header_count;
	if (!l->line_length)
		l->line_length = d.limits.line_length;
	if (!l->mime_depth)
		l->mime_depth = d.limits.mime_depth;
	if (!l->mime_parts)
		l->mime_parts = d.limits.mime_parts;
	if (!l->decoded_size)
		l->decoded_size = d.limits.decoded_size;
	if (!l->recipients)
		l->recipients = d.limits.recipients;
}

struct bk_parser *
bk_parser_new(const struct bk_options *opt, struct bk_err *err)
{
	struct bk_parser *p = bk_calloc(1, sizeof(*p));
	if (!p) {
		bk_err_set(err, BK_ENOMEM, "out of memory");
		return NULL;
	}
	if (opt)
		p->opt = *opt;
	else
		bk_options_init(&p->opt);
	fill_limits(&p->opt.limits);
	p->cs = bk_charsets_new();
	if (!p->cs) {
		bk_free(p);
		bk_err_set(err, BK_ENOMEM, "out of memory");
		return NULL;
	}
	/* the arena holds the message copy, its decoded text and records:
	 * a few times the message size at most (no cap when that does not
	 * fit in a size_t: huge limits must not wrap round to a tiny cap) */
	size_t ms = p->opt.limits.message_size, ds = p->opt.limits.decoded_size;
	size_t cap = ms > (SIZE_MAX - ds) / 4 ? 0 : ms * 4 + ds;
	bk_arena_init(&p->arena, cap);
	p->rep.arena = &p->arena;
	p->rep.opt = &p->opt;
	p->rep.cs = p->cs;
	p->rep.warn = &p->warn;
	return p;
}

void
bk_parser_free(struct bk_parser *p)
{
	if (!p)
		return;
	bk_arena_free(&p->arena);
	bk_charsets_free(p->cs);
	free(p->rep.catch_json);
	bk_free(p);
}

void
bk_parser_set_explain(struct bk_parser *p, bool on)
{
	p->rep.explain = on;
}

unsigned
bk_parser_warnings(const struct bk_parser *p)
{
	return p->warn;
}

const char *
bk_warning_name(unsigned bit)
{
	switch (bit) {
	case BK_W_HEADER_SIZE: return "header size limit";
	case BK_W_HEADER_COUNT: return "header count limit";
	case BK_W_LINE_LENGTH: return "line length limit";
	case BK_W_MIME_DEPTH: return "MIME depth limit";
	case BK_W_MIME_PARTS: return "MIME part count limit";
	case BK_W_DECODED_SIZE: return "decoded size limit";
	case BK_W_RECIPIENTS: return "recipient count limit";
	case BK_W_CHARSET: return "unknown charset or invalid bytes";
	case BK_W_TRUNCATED: return "truncated MIME structure";
	default: return "warning";
	}
}

/* Cut lines longer than the limit (a 10 MB line costs the same as any
 * other 10 MB, but no decoder needs more than the start of a line). */
static struct bk_sv
cut_long_lines(struct bk_parser *p, struct bk_sv s)
{
	size_t max = p->opt.limits.line_length;
	bool longline = false;
	if (s.n <= max)
		return s;	/* no line can be longer than the message */
	for (const char *q = s.p, *end = s.p + s.n; q < end;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		size_t len = (size_t)((nl ? nl : end) - q);
		if (len > max) {
			longline = true;
			break;
		}
		q += len + 1;
	}
	if (!longline)
		return s;
	p->warn |= BK_W_LINE_LENGTH;
	char *out = bk_arena_alloc(&p->arena, s.n + 1);
	if (!out)
		return s;
	size_t o = 0, col = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '\n')
			col = 0;
		else if (col++ >= max)
			continue;
		out[o++] = s.p[i];
	}
	out[o] = '\0';
	return bk_sv_make(out, o);
}

/* A message whose header block is empty (it starts with the blank line,
 * after an mbox "From " line): lost every field, it is still read. */
static bool
empty_head(struct bk_sv raw)
{
	struct bk_sv line;
	if (bk_sv_starts(raw, BK_SV("From ")))
		bk_sv_next_line(&raw, &line);
	return raw.n > 1 && raw.p[0] == '\n';
}

static bool
msg_load(struct bk_parser *p, struct bk_msg *m, struct bk_sv data,
	    const char *origin)
{
	memset(m, 0, sizeof(*m));
	m->arena = &p->arena;
	m->cs = p->cs;
	m->origin = origin;
	m->lim = &p->opt.limits;
	m->warn = &p->warn;
	m->raw = bk_text_normalize(&p->arena, data, false);
	if (!m->raw.p)
		return false;
	m->raw = cut_long_lines(p, m->raw);
	if (!bk_hdrs_parse(&p->arena, m->raw, &p->opt.limits, &m->hdrs,
			   &m->body, &p->warn) && !empty_head(m->raw))
		return false;
	/* every Received: value, one per line, in one view: a decoder
	 * looking for its host name there searches once instead of once per
	 * field */
	m->received = bk_hdrs_join(&m->hdrs, BK_SV("received"));
	struct bk_sv subj = bk_msg_header(m, BK_SV("subject"));
	m->subject = subj.p ? bk_rfc2047_decode(p->cs, &p->arena, subj, &p->warn)
			    : bk_sv_make("", 0);
	m->from = bk_msg_header(m, BK_SV("from"));
	if (!m->from.p)
		m->from = bk_sv_make("", 0);
	m->missing = (bk_sv_trim(m->subject).n ? 0 : BK_MISSING_SUBJECT) |
		     (bk_sv_trim(m->from).n ? 0 : BK_MISSING_FROM) |
		     (m->received.p ? 0 : BK_MISSING_RECEIVED);
	struct bk_mime_in in = { &p->arena, p->cs, &p->opt.limits, &p->warn };
	bk_mime_flatten(&in, &m->hdrs, m->body, &m->flat);
	return !p->arena.failed;
}

/* A bounce forwarded by a person or a ticket system: the first attached
 * message that is itself a message (headers and all). */
static bool
forwarded_bounce(const struct bk_msg *m, struct bk_sv *inner)
{
	struct bk_sv o = m->flat.orig;
	if (!o.p || o.n < 128 || !bk_looks_like_header(o))
		return false;
	*inner = o;
	return true;
}

int
bk_decode(struct bk_parser *p, const void *data, size_t len,
	  const char *origin, const struct bk_record **recs, struct bk_err *err)
{
	struct bk_msg m, inner;
	struct bk_dctx dc;
	const char *by;

	bk_arena_reset(&p->arena);
	p->warn = 0;
	p->rep.recs = NULL;
	p->rep.nrecs = 0;
	*recs = NULL;
	if (len > p->opt.limits.message_size)
		return bk_err_set(err, BK_ELIMIT,
				  "message of %zu bytes is over the size limit of %zu",
				  len, p->opt.limits.message_size);
	if (!msg_load(p, &m, bk_sv_make(data, len), origin ? origin : ""))
		goto nomem_or_none;
	by = bk_run_decoders(&m, &dc);
	if (!by) {
		struct bk_sv fwd;
		if (p->arena.failed)
			goto nomem_or_none;
		if (!forwarded_bounce(&m, &fwd) ||
		    !msg_load(p, &inner, fwd, m.origin))
			goto nomem_or_none;
		by = bk_run_decoders(&inner, &dc);
		if (!by)
			goto nomem_or_none;
		m = inner;
	}
	int n = bk_make_records(&p->rep, &m, &dc, by);
	if (n < 0 || p->arena.failed)
		return bk_err_set(err, BK_ENOMEM,
				  "out of memory (or over the memory cap) decoding the message");
	*recs = p->rep.recs;
	return n;

nomem_or_none:
	if (p->arena.failed)
		return bk_err_set(err, BK_ENOMEM,
				  "out of memory (or over the memory cap) decoding the message");
	return 0;
}
