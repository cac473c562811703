/* SPDX-License-Identifier: BSD-2-Clause */
/* mime.c - the MIME walk (RFC 2045, 2046): nested multiparts, transfer
 * encodings, charsets, message parts.  Bounded by the limits: depth, part
 * count and decoded size; a boundary that never closes ends its part at the
 * end of the message. */
#include "mime.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { K_TEXT, K_ORIG, K_DSN, K_FBR, K_N };

struct walk {
	const struct bk_mime_in *in;
	struct bk_sb out;
	long off[K_N], mark[K_N];
	size_t len[K_N];
	unsigned parts;
	bool stop;
};

#define MARK_DSN BK_SVI("message/delivery-status")
#define MARK_FBR BK_SVI("message/feedback-report")
#define MARK_ORIG BK_SVI("message/rfc822")
#define MARK_HDRS BK_SVI("text/rfc822-headers")

static const struct {
	struct bk_sv type, mark;
	int kind;
} message_types[] = {
	{ BK_SVI("message/delivery-status"), MARK_DSN, K_DSN },
	{ BK_SVI("message/global-delivery-status"), MARK_DSN, K_DSN },
	{ BK_SVI("message/xdelivery-status"), MARK_DSN, K_DSN },
	{ BK_SVI("message/feedback-report"), MARK_FBR, K_FBR },
	{ BK_SVI("message/rfc822"), MARK_ORIG, K_ORIG },
	{ BK_SVI("message/global"), MARK_ORIG, K_ORIG },
	{ BK_SVI("message/partial"), MARK_ORIG, K_ORIG },
	{ BK_SVI("message/rfc822-headers"), MARK_HDRS, K_ORIG },
	{ BK_SVI("text/rfc822-headers"), MARK_HDRS, K_ORIG },
	{ BK_SVI("message/global-headers"), MARK_HDRS, K_ORIG },
};

static struct bk_sv
transfer_decode(struct walk *w, struct bk_sv cte, struct bk_sv body)
{
	struct bk_sv v;
	cte = bk_sv_trim(cte);
	if (bk_sv_ieq(cte, BK_SV("base64")))
		v = bk_base64_decode(w->in->a, body);
	else if (bk_sv_ieq(cte, BK_SV("quoted-printable")))
		v = bk_qp_decode(w->in->a, body, false);
	else
		return body;
	if (!v.p)
		return bk_sv_make("", 0);
	/* a decoded part may carry CRLF line ends of its own */
	struct bk_sv n = bk_text_normalize(w->in->a, v, false);
	return n.p ? n : v;
}

static bool
room_for(struct walk *w, size_t n)
{
	if (w->out.n + n > w->in->lim->decoded_size) {
		*w->in->warn |= BK_W_DECODED_SIZE;
		w->stop = true;
		return false;
	}
	return true;
}

static void
emit(struct walk *w, struct bk_sv mark, struct bk_sv content, int kind)
{
	if (!room_for(w, content.n + mark.n + 20))
		return;
	bool first = kind != K_TEXT && w->off[kind] < 0;
	if (first)
		w->mark[kind] = (long)w->out.n;
	if (mark.n) {
		bk_sb_add(&w->out, "Content-Type: ", 14);
		bk_sb_addsv(&w->out, mark);
		bk_sb_addc(&w->out, '\n');
	}
	if (first) {
		w->off[kind] = (long)w->out.n;
		w->len[kind] = content.n;
	}
	bk_sb_addsv(&w->out, content);
	/* end every part with a blank line */
	if (!bk_sv_ends(content, BK_SV("\n")))
		bk_sb_addc(&w->out, '\n');
	bk_sb_addc(&w->out, '\n');
}

/* A text part decoded to UTF-8. */
static struct bk_sv
decode_text(struct walk *w, struct bk_sv ctype, struct bk_sv cte,
	    struct bk_sv body)
{
	struct bk_sv v = transfer_decode(w, cte, body);
	struct bk_sv cs = ctype.p ? bk_mime_param(w->in->a, ctype, "charset")
				  : BK_SV_NULL;
	return bk_to_utf8(w->in->cs, w->in->a, cs.p ? cs : BK_SV(""), v,
			  w->in->warn);
}

static void walk_part(struct walk *w, const struct bk_hdrs *h,
		      struct bk_sv body, unsigned depth, bool alt_has_text);

/* Is the boundary at abs a delimiter line: "--" boundary at a line start,
 * then "--" for the last, then only white space? */
static bool
delim_at(struct bk_sv body, struct bk_sv bnd, size_t abs, bool *close)
{
	if (!(abs >= 2 && body.p[abs - 1] == '-' && body.p[abs - 2] == '-' &&
	      (abs == 2 || body.p[abs - 3] == '\n')))
		return false;
	size_t e = abs + bnd.n;
	*close = e + 2 <= body.n && body.p[e] == '-' && body.p[e + 1] == '-';
	size_t k = *close ? e + 2 : e;
	while (k < body.n && (body.p[k] == ' ' || body.p[k] == '\t'))
		k++;
	/* "--abc-1" is not a delimiter of boundary "abc" */
	return k >= body.n || body.p[k] == '\n';
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2 1
#include <immintrin.h>

/* next_dashes thirty-two positions at a time; stops where fewer than 34
 * bytes are left, for the SSE2 loop to finish. */
__attribute__((target("avx2"))) static size_t
dashes_avx2(const char *p, size_t n, size_t i)
{
	const __m256i lf = _mm256_set1_epi8('\n'), dash = _mm256_set1_epi8('-');
	for (; i + 34 <= n; i += 32) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 1));
		__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 2));
		__m256i m = _mm256_and_si256(_mm256_cmpeq_epi8(a, lf),
					     _mm256_and_si256(_mm256_cmpeq_epi8(b, dash),
							      _mm256_cmpeq_epi8(c, dash)));
		unsigned k = (unsigned)_mm256_movemask_epi8(m);
		if (k)
			return i + (size_t)__builtin_ctz(k);
	}
	return i;
}
#endif

/* Where the next "\n--" starts at or after i, or n when there is none
 * (i + 3 <= n for a find).  A delimiter line is one of the few lines that
 * begin with "--": thirty-two positions are tested at once (AVX2, checked
 * once) or sixteen (SSE2), so that a body costs a pass, not a call per
 * place where a byte of its boundary occurs. */
static size_t
next_dashes(const char *p, size_t n, size_t i)
{
#ifdef HAVE_AVX2
	if (i + 34 <= n && bk_have_avx2()) {
		i = dashes_avx2(p, n, i);
		if (i + 34 <= n)
			return i;	/* found */
	}
#endif
#if defined(__SSE2__)
	const __m128i lf = _mm_set1_epi8('\n'), dash = _mm_set1_epi8('-');
	for (; i + 18 <= n; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 2));
		__m128i m = _mm_and_si128(_mm_cmpeq_epi8(a, lf),
					  _mm_and_si128(_mm_cmpeq_epi8(b, dash),
							_mm_cmpeq_epi8(c, dash)));
		unsigned k = (unsigned)_mm_movemask_epi8(m);
		if (k)
			return i + (size_t)__builtin_ctz(k);
	}
#endif
	while (i + 3 <= n) {
		const char *q = memchr(p + i, '\n', n - i - 2);
		if (!q)
			return n;
		i = (size_t)(q - p);
		if (p[i + 1] == '-' && p[i + 2] == '-')
			return i;
		i++;
	}
	return n;
}

/* The next boundary line at or after pos; returns its offset or -1 and
 * sets *close when it is the closing delimiter.  Compares the boundary
 * only after "--" at a line start (next_dashes); after many such places
 * that were no match, bk_sv_find (linear) takes over. */
static long
find_delim(struct bk_sv body, struct bk_sv bnd, size_t pos, bool *close)
{
	const char *p = body.p;
	unsigned misses = 0;
	if (body.n < bnd.n)
		return -1;
	size_t last = body.n - bnd.n;
	/* the body's first line has no LF before it */
	if (pos <= 2 && last >= 2 && p[0] == '-' && p[1] == '-' &&
	    memcmp(p + 2, bnd.p, bnd.n) == 0 && delim_at(body, bnd, 2, close))
		return 0;
	size_t j = pos >= 3 ? pos - 3 : 0;
	while (misses < 32) {
		j = next_dashes(p, body.n, j);
		if (j >= body.n || j + 3 > last)
			return -1;
		size_t abs = j + 3;
		if (memcmp(p + abs, bnd.p, bnd.n) != 0)
			misses++;
		else if (delim_at(body, bnd, abs, close))
			return (long)(abs - 2);
		j++;
	}
	for (pos = j + 3; pos < body.n;) {
		long at = bk_sv_find(bk_sv_from(body, pos), bnd);
		if (at < 0)
			return -1;
		size_t abs = pos + (size_t)at;
		if (delim_at(body, bnd, abs, close))
			return (long)(abs - 2);
		pos = abs + 1;
	}
	return -1;
}

/* Does this part of an alternative hold text/plain with something to read:
 * a text part that is empty or only white space (an Exchange or Office 365
 * notice passed on by a helpdesk or forwarder, whose HTML alone names the
 * recipient and the failure) does not count, so the HTML is read. */
static bool
part_has_text_plain(struct bk_sv part)
{
	long sep = bk_sv_find(part, BK_SV("\n\n"));
	if (sep < 0)
		return false;
	struct bk_sv head = bk_sv_slice(part, 0, (size_t)sep);
	if (bk_sv_icontains(head, BK_SV("multipart/")))	/* nested: as before */
		return bk_sv_icontains(part, BK_SV("content-type: text/plain"));
	if (!bk_sv_icontains(head, BK_SV("text/plain")))
		return false;
	for (size_t i = (size_t)sep + 2; i < part.n; i++) {
		char c = part.p[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return true;
	}
	return false;
}

static void
walk_part_text(struct walk *w, struct bk_sv part, unsigned depth, bool alt)
{
	struct bk_hdrs ph;
	struct bk_sv pbody;
	if (part.n && part.p[0] == '\n') {
		memset(&ph, 0, sizeof(ph));
		pbody = bk_sv_from(part, 1);
	} else if (bk_looks_like_header(part)) {
		/* a part's Content-Type and -Transfer-Encoding are all the
		 * walk reads */
		bk_hdrs_parse_only(w->in->a, part, w->in->lim, &ph, &pbody,
				   w->in->warn,
				   BK_HDR_WANT("content-type") |
				   BK_HDR_WANT("content-transfer-encoding"));
	} else {
		/* a part without headers: plain text (seen in the wild) */
		memset(&ph, 0, sizeof(ph));
		pbody = part;
	}
	walk_part(w, &ph, pbody, depth, alt);
}

static void
walk_multipart(struct walk *w, struct bk_sv ctype, struct bk_sv mtype,
	       struct bk_sv body, unsigned depth)
{
	struct bk_sv bnd = bk_mime_param(w->in->a, ctype, "boundary");
	if (!bnd.p || bnd.n == 0 || bnd.n > 200) {
		emit(w, BK_SV_NULL, body, K_TEXT);	/* no boundary: text */
		return;
	}
	bool close = false, alt = bk_sv_eq(mtype, BK_SV("multipart/alternative"));
	long at = find_delim(body, bnd, 0, &close);
	if (at < 0) {	/* a boundary that never occurs: the body is text */
		emit(w, BK_SV_NULL, body, K_TEXT);
		return;
	}
	bool alt_text = false;
	if (alt) {	/* does this alternative offer text/plain to read? */
		bool c = false;
		for (long a = at; a >= 0 && !c && !alt_text;) {
			long eol = bk_sv_findc(bk_sv_from(body, (size_t)a), '\n');
			if (eol < 0)
				break;
			size_t start = (size_t)a + (size_t)eol + 1;
			bool nc = false;
			long next = find_delim(body, bnd, start, &nc);
			size_t end = next < 0 ? body.n : (size_t)next;
			alt_text = part_has_text_plain(bk_sv_slice(body, start, end));
			a = next;
			c = nc;
		}
	}
	while (at >= 0 && !close && !w->stop) {
		/* skip the delimiter line */
		long eol = bk_sv_findc(bk_sv_from(body, (size_t)at), '\n');
		if (eol < 0)
			break;
		size_t start = (size_t)at + (size_t)eol + 1;
		bool nclose = false;
		long next = find_delim(body, bnd, start, &nclose);
		size_t end = next < 0 ? body.n : (size_t)next;
		if (next < 0)
			*w->in->warn |= BK_W_TRUNCATED;
		if (end > start && body.p[end - 1] == '\n')
			end--;	/* the LF before the delimiter belongs to it */
		if (++w->parts > w->in->lim->mime_parts) {
			*w->in->warn |= BK_W_MIME_PARTS;
			w->stop = true;
			return;
		}
		walk_part_text(w, bk_sv_slice(body, start, end), depth + 1,
			       alt && alt_text);
		at = next;
		close = nclose;
	}
}

static void
walk_part(struct walk *w, const struct bk_hdrs *h, struct bk_sv body,
	  unsigned depth, bool alt_has_text)
{
	struct bk_sv ctype = bk_hdrs_get(h, BK_SV("content-type"));
	struct bk_sv cte = bk_hdrs_get(h, BK_SV("content-transfer-encoding"));
	struct bk_sv mtype = bk_mime_type(w->in->a, ctype.p ? ctype : BK_SV(""));
	unsigned *warn = w->in->warn;

	if (w->stop)
		return;
	if (bk_sv_starts(mtype, BK_SV("multipart/"))) {
		if (depth >= w->in->lim->mime_depth) {
			*warn |= BK_W_MIME_DEPTH;
			return;
		}
		walk_multipart(w, ctype, mtype, body, depth);
		return;
	}
	for (size_t i = 0; i < BK_NELEM(message_types); i++) {
		if (!bk_sv_eq(mtype, message_types[i].type))
			continue;
		struct bk_sv mark = message_types[i].mark;
		int kind = message_types[i].kind;
		struct bk_sv v = transfer_decode(w, cte, body);
		if (kind != K_ORIG)	/* RFC 6533: global fields are UTF-8 */
			v = bk_utf8_fix(w->in->a, v);
		emit(w, mark, v, kind);
		return;
	}
	if (!bk_sv_starts(mtype, BK_SV("text/")) && ctype.p)
		return;	/* images, applications, ...: nothing to read */
	bool html = bk_sv_eq(mtype, BK_SV("text/html"));
	if (html && alt_has_text)
		return;
	struct bk_sv v = decode_text(w, ctype, cte, body);
	if (html)
		v = bk_html_to_text(w->in->a, v);
	emit(w, BK_SV_NULL, v, K_TEXT);
}

/* The decoded size limit on the text of a single-part message: cut at a
 * character boundary (the text is valid UTF-8). */
static struct bk_sv
cap_decoded(const struct bk_mime_in *in, struct bk_sv t)
{
	size_t max = in->lim->decoded_size;
	if (t.n <= max)
		return t;
	*in->warn |= BK_W_DECODED_SIZE;
	while (max > 0 && ((unsigned char)t.p[max] & 0xc0) == 0x80)
		max--;
	return bk_sv_slice(t, 0, max);
}

static struct bk_sv
part_view(const struct walk *w, struct bk_sv text, int kind)
{
	if (w->off[kind] < 0 || text.n < (size_t)w->off[kind] + w->len[kind])
		return BK_SV_NULL;
	return bk_sv_slice(text, (size_t)w->off[kind],
			   (size_t)w->off[kind] + w->len[kind]);
}

void
bk_mime_flatten(const struct bk_mime_in *in, const struct bk_hdrs *h,
		struct bk_sv body, struct bk_flat *out)
{
	struct walk w = { .in = in };
	for (int k = 0; k < K_N; k++)
		w.off[k] = w.mark[k] = -1;
	memset(out, 0, sizeof(*out));
	out->orig = out->dsn = out->fbr = BK_SV_NULL;
	struct bk_sv ctype = bk_hdrs_get(h, BK_SV("content-type"));
	struct bk_sv mtype = bk_mime_type(in->a, ctype.p ? ctype : BK_SV(""));
	if (bk_sv_eq(mtype, BK_SV("text/plain")) && body.n <= in->lim->decoded_size) {
		/* the common single-part case: no copy when nothing changes */
		struct bk_sv cte = bk_hdrs_get(h, BK_SV("content-transfer-encoding"));
		out->text = cap_decoded(in, decode_text(&w, ctype, cte, body));
		out->orig_mark = out->text.n;
		return;
	}
	bk_sb_init(&w.out, in->a, body.n + 256);
	walk_part(&w, h, body, 0, false);
	out->text = bk_sb_sv(&w.out);
	out->nparts = w.parts;
	out->multipart = w.parts > 0;
	out->orig = part_view(&w, out->text, K_ORIG);
	out->dsn = part_view(&w, out->text, K_DSN);
	out->fbr = part_view(&w, out->text, K_FBR);
	out->orig_mark = out->orig.p ? (size_t)w.mark[K_ORIG] : out->text.n;
}
