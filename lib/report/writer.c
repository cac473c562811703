/* SPDX-License-Identifier: BSD-2-Clause */
/* writer.c - records as JSON (one array, Sisimai's dump), NDJSON (one
 * object a line), YAML (a sequence of mappings) and CSV (RFC 4180, a header
 * row).  Field order is fixed (alphabetical, as Sisimai's JSON); output is
 * valid UTF-8 whatever the input: invalid bytes become U+FFFD. */
#include <stdio.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bouncekit/bouncekit.h"
#include "core/core.h"

/* OPT: raw JSON, the field left out when NULL (not one of Sisimai's) */
enum kind { STR, INT, BOOL, RAW, OPT };

#define FIELDS(X)                                   \
	X(action, STR)                              \
	X(addresser, STR)                           \
	X(alias, STR)                               \
	X(catch, RAW)                               \
	X(command, STR)                             \
	X(decodedby, STR)                           \
	X(deliverystatus, STR)                      \
	X(destination, STR)                         \
	X(diagnosticcode, STR)                      \
	X(diagnostictype, STR)                      \
	X(explain, OPT)                             \
	X(feedbackid, STR)                          \
	X(feedbacktype, STR)                        \
	X(hardbounce, BOOL)                         \
	X(lhost, STR)                               \
	X(listid, STR)                              \
	X(messageid, STR)                           \
	X(origin, STR)                              \
	X(reason, STR)                              \
	X(recipient, STR)                           \
	X(replycode, STR)                           \
	X(rhost, STR)                               \
	X(senderdomain, STR)                        \
	X(subject, STR)                             \
	X(timestamp, INT)                           \
	X(timestampsource, STR)                     \
	X(timezoneoffset, STR)                      \
	X(token, STR)

enum field_id {
#define X(name, kind) F_##name,
	FIELDS(X)
#undef X
	F__COUNT
};

static const struct {
	const char *name;
	enum kind kind;
} field_info[] = {
#define X(name, kind) { #name, kind },
	FIELDS(X)
#undef X
};

struct value {
	const char *s;
	long long i;
	bool b;
};

static struct value
get(const struct bk_record *r, enum field_id f)
{
	struct value v = { "", 0, false };
	switch (f) {
	case F_action: v.s = r->action; break;
	case F_addresser: v.s = r->addresser; break;
	case F_alias: v.s = r->alias; break;
	case F_catch: v.s = r->catch_json; break;
	case F_command: v.s = r->command; break;
	case F_decodedby: v.s = r->decodedby; break;
	case F_deliverystatus: v.s = r->deliverystatus; break;
	case F_destination: v.s = r->destination; break;
	case F_diagnosticcode: v.s = r->diagnosticcode; break;
	case F_diagnostictype: v.s = r->diagnostictype; break;
	case F_explain: v.s = r->explain_json; break;
	case F_feedbackid: v.s = r->feedbackid; break;
	case F_feedbacktype: v.s = r->feedbacktype; break;
	case F_hardbounce: v.b = r->hardbounce; break;
	case F_lhost: v.s = r->lhost; break;
	case F_listid: v.s = r->listid; break;
	case F_messageid: v.s = r->messageid; break;
	case F_origin: v.s = r->origin; break;
	case F_reason: v.s = r->reason; break;
	case F_recipient: v.s = r->recipient; break;
	case F_replycode: v.s = r->replycode; break;
	case F_rhost: v.s = r->rhost; break;
	case F_senderdomain: v.s = r->senderdomain; break;
	case F_subject: v.s = r->subject; break;
	case F_timestamp: v.i = (long long)r->timestamp; break;
	case F_timestampsource: v.s = r->timestampsource; break;
	case F_timezoneoffset: v.s = r->timezoneoffset; break;
	case F_token: v.s = r->token; break;
	default: break;
	}
	if (!v.s && f != F_catch && f != F_explain)
		v.s = "";
	return v;
}

/* Length of a valid UTF-8 sequence at p, 0 when invalid. */
static size_t
u8len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3
		   : c < 0xf5 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/* Does a byte go out as it is in a JSON string?  Printable ASCII but the
 * quote and the backslash. */
static inline bool
plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Does the word x hold a byte that is not plain?  A byte below 0x20, above
 * 0x7e, or equal to '"' or '\\' (the byte tricks of header.c; a borrow can
 * only mark a byte after one truly marked, so the answer is exact). */
static inline bool
special_word(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	uint64_t q = x ^ (ones * '"'), s = x ^ (ones * '\\');
	uint64_t ctl = (x - ones * 0x20) & ~x & high;
	uint64_t del = ((x + ones) | x) & high;	/* 0x7f and up */
	uint64_t quo = ((q - ones) & ~q & high) | ((s - ones) & ~s & high);
	return (ctl | del | quo) != 0;
}

static inline bool
special8(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return special_word(x);
}

/* Do the last t bytes of a string, 1 <= t < 8 of them at p, hold one that
 * is not plain?  They are read as two overlapping pieces (no byte past the
 * string is read) into a word padded with plain bytes. */
static inline bool
special_tail(const unsigned char *p, size_t t)
{
	if (t >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + t - 4, 4);
		return special_word(lo | (uint64_t)hi << 32);
	}
	/* the three bytes (some of them twice) and five plain 'a' */
	return special_word(0x6161616161000000ull | p[0] |
			    (uint64_t)p[t / 2] << 8 | (uint64_t)p[t - 1] << 16);
}

/* Copy t bytes, 1 <= t < 8, as two overlapping pieces. */
static inline void
copy_tail(char *o, const unsigned char *p, size_t t)
{
	if (t >= 4) {
		memcpy(o, p, 4);
		memcpy(o + t - 4, p + t - 4, 4);
	} else {
		o[0] = (char)p[0];
		o[t / 2] = (char)p[t / 2];
		o[t - 1] = (char)p[t - 1];
	}
}

/* One character at p[*at] that is not plain (or a plain byte among them):
 * escaped, or copied when it is valid UTF-8, else U+FFFD. */
static char *
escape_char(char *o, const unsigned char *p, size_t n, size_t *at)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = *at;
	unsigned char c = p[i];
	if (plain_byte(c)) {
		*o++ = (char)c;
		*at = i + 1;
		return o;
	}
	if (c >= 0x80) {
		size_t l = u8len(p + i, n - i);
		if (!l) {
			memcpy(o, "\\ufffd", 6);
			*at = i + 1;
			return o + 6;
		}
		for (size_t k = 0; k < l; k++)
			o[k] = (char)p[i + k];
		*at = i + l;
		return o + l;
	}
	*o++ = '\\';
	if (c == '"' || c == '\\') {
		*o++ = (char)c;
	} else if (c == '\n') {
		*o++ = 'n';
	} else if (c == '\t') {
		*o++ = 't';
	} else {
		memcpy(o, "u00", 3);
		o[3] = hex[c >> 4];
		o[4] = hex[c & 15];
		o += 5;
	}
	*at = i + 1;
	return o;
}

#if defined(__SSE2__)
/* The bytes among the sixteen at p that are not plain, a bit each (a
 * signed comparison: 0x80 and up are below 0x20 too). */
static inline unsigned
special16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m = _mm_or_si128(
		_mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f))),
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The plain bytes at p, up to the first that is not or a block of 16 or 8,
 * copied to o; how many (0 when p[0] is not plain). */
static inline size_t
plain_block(char *o, const unsigned char *p)
{
#if defined(__SSE2__)
	unsigned m = special16(p);
	memcpy(o, p, 16);	/* the room has sixteen more */
	return m ? (size_t)__builtin_ctz(m) : 16;
#else
	if (special8(p))
		return 0;
	memcpy(o, p, 8);
	return 8;
#endif
}

/* Escape the characters of p[0, n) that start in [*at, stop) into o, which
 * has room for six bytes out per byte in (\u00XX, \ufffd) and 48 more;
 * returns the end of what was written.  Plain bytes go sixteen at a time
 * (eight without SSE2), and the last few of the string in one go. */
static char *
escape(char *o, const unsigned char *p, size_t n, size_t *at, size_t stop)
{
	size_t i = *at;
	while (i < stop) {
		size_t t = n - i, k;
		if (t >= 16) {
			k = plain_block(o, p + i);
			o += k;
			i += k;
			if (k)
				continue;
		} else if (t >= 8) {
			if (!special8(p + i) && !special8(p + n - 8)) {
				memcpy(o, p + i, 8);
				memcpy(o + t - 8, p + n - 8, 8);
				o += t;
				i = n;
				break;
			}
		} else if (!special_tail(p + i, t)) {
			copy_tail(o, p + i, t);
			o += t;
			i = n;
			break;
		}
		o = escape_char(o, p, n, &i);
	}
	*at = i;
	return o;
}

/* Room for n more bytes; false when the buffer has failed. */
static inline bool
room(struct bk_buf *b, size_t n)
{
	if (!b->failed && b->n + n + 1 <= b->cap)
		return true;
	return bk_buf_reserve(b, n);
}

/* ,"name": for each field, made by the list of fields; padded to a fixed
 * size, so that a key is copied by one move of constant size. */
struct key {
	char s[24];
	unsigned char n;
};

static const struct key json_key[] = {
#define X(name, kind) { ",\"" #name "\":", sizeof(",\"" #name "\":") - 1 },
	FIELDS(X)
#undef X
};

/* A JSON (and YAML double-quoted) string after the key (when not NULL),
 * written straight into the buffer; in pieces, so that a long field does
 * not reserve six times its size. */
static void
quote_after(struct bk_buf *b, const struct key *key, const char *s)
{
	enum { PIECE = 4096 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	do {
		/* room for six bytes out per byte in, a tail of fewer than
		 * sixteen past the piece, a block of sixteen stored whole,
		 * the quotes; in smaller pieces while the buffer has room,
		 * so that it does not grow for the worst case */
		enum { SLACK = sizeof(json_key[0].s) + 64 };
		size_t k = n - i < PIECE ? n - i : PIECE;
		size_t have = b->cap > b->n + 1 ? b->cap - b->n - 1 : 0;
		size_t fit = have > SLACK ? (have - SLACK) / 6 : 0;
		if (k > fit && fit >= 64)
			k = fit;
		if (!room(b, 6 * k + SLACK))
			return;
		char *o = b->p + b->n;
		if (i == 0) {
			if (key) {
				memcpy(o, key->s, sizeof(key->s));
				o += key->n;
			}
			*o++ = '"';
		}
		o = escape(o, p, n, &i, i + k);
		if (i >= n)
			*o++ = '"';
		b->n = (size_t)(o - b->p);
		b->p[b->n] = '\0';
	} while (i < n);
}

static void
quote(struct bk_buf *b, const char *s)
{
	quote_after(b, NULL, s);
}

/* A number, without printf (a record has one). */
static void
add_int(struct bk_buf *b, long long v)
{
	char tmp[24];
	size_t n = sizeof(tmp);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v
				     : (unsigned long long)v;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--n] = '-';
	bk_buf_add(b, tmp + n, sizeof(tmp) - n);
}

static void
json_object(struct bk_buf *b, const struct bk_record *r)
{
	size_t start = b->n;
	for (int f = 0; f < F__COUNT; f++) {
		struct value v = get(r, (enum field_id)f);
		const struct key *key = &json_key[f];
		if (field_info[f].kind == STR) {
			quote_after(b, key, v.s);
			continue;
		}
		if (field_info[f].kind == OPT && !v.s)
			continue;
		bk_buf_add(b, key->s, key->n);
		switch (field_info[f].kind) {
		case INT:
			add_int(b, v.i);
			break;
		case BOOL:
			bk_buf_adds(b, v.b ? "true" : "false");
			break;
		case RAW:
		case OPT:
			bk_buf_adds(b, v.s ? v.s : "null");
			break;
		case STR:
			break;
		}
	}
	/* the first key's comma opens the object */
	if (!b->failed && b->n > start)
		b->p[start] = '{';
	bk_buf_addc(b, '}');
}

static void
yaml_record(struct bk_buf *b, const struct bk_record *r)
{
	for (int f = 0; f < F__COUNT; f++) {
		struct value v = get(r, (enum field_id)f);
		if (field_info[f].kind == OPT && !v.s)
			continue;
		bk_buf_adds(b, f ? "  " : "- ");
		bk_buf_adds(b, field_info[f].name);
		bk_buf_add(b, ": ", 2);
		switch (field_info[f].kind) {
		case STR:
			quote(b, v.s);
			break;
		case INT:
			add_int(b, v.i);
			break;
		case BOOL:
			bk_buf_adds(b, v.b ? "true" : "false");
			break;
		case RAW:	/* JSON is YAML: a flow value */
		case OPT:
			bk_buf_adds(b, v.s ? v.s : "null");
			break;
		}
		bk_buf_addc(b, '\n');
	}
}

static void
csv_cell(struct bk_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	bool q = strpbrk(s, ",\"\r\n") != NULL;
	if (q)
		bk_buf_addc(b, '"');
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80 ? 1 : u8len(p + i, n - i);
		if (!l) {
			bk_buf_add(b, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		if (p[i] == '"')
			bk_buf_addc(b, '"');
		bk_buf_add(b, p + i, l);
		i += l;
	}
	if (q)
		bk_buf_addc(b, '"');
}

static void
csv_header(struct bk_buf *b)
{
	/* the columns are Sisimai's fields: no optional one */
	for (int f = 0; f < F__COUNT; f++) {
		if (field_info[f].kind == OPT)
			continue;
		if (f)
			bk_buf_addc(b, ',');
		bk_buf_adds(b, field_info[f].name);
	}
	bk_buf_add(b, "\r\n", 2);
}

static void
csv_record(struct bk_buf *b, const struct bk_record *r)
{
	for (int f = 0; f < F__COUNT; f++) {
		struct value v = get(r, (enum field_id)f);
		char num[32];
		if (field_info[f].kind == OPT)
			continue;
		if (f)
			bk_buf_addc(b, ',');
		switch (field_info[f].kind) {
		case STR:
			csv_cell(b, v.s);
			break;
		case INT:
			snprintf(num, sizeof(num), "%lld", v.i);
			bk_buf_adds(b, num);
			break;
		case BOOL:
			bk_buf_adds(b, v.b ? "true" : "false");
			break;
		case RAW:
			csv_cell(b, v.s ? v.s : "");
			break;
		case OPT:
			break;
		}
	}
	bk_buf_add(b, "\r\n", 2);
}

struct bk_writer {
	enum bk_format fmt;
	bk_write_fn fn;
	void *ctx;
	struct bk_buf buf;
	size_t count;
	bool failed;
};

int
bk_format_parse(const char *name, enum bk_format *out)
{
	static const struct {
		const char *name;
		enum bk_format f;
	} names[] = { { "json", BK_FMT_JSON }, { "ndjson", BK_FMT_NDJSON },
		      { "jsonl", BK_FMT_NDJSON }, { "yaml", BK_FMT_YAML },
		      { "csv", BK_FMT_CSV } };
	for (size_t i = 0; i < BK_NELEM(names); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].f;
			return 0;
		}
	return BK_EINVAL;
}

struct bk_writer *
bk_writer_new(enum bk_format fmt, bk_write_fn fn, void *ctx)
{
	struct bk_writer *w = bk_calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fmt = fmt;
	w->fn = fn;
	w->ctx = ctx;
	bk_buf_init(&w->buf, 0);
	return w;
}

static int
flush(struct bk_writer *w, bool force)
{
	if (w->failed)
		return BK_EOUTPUT;
	if (w->buf.failed) {
		w->failed = true;
		return BK_ENOMEM;
	}
	if (!force && w->buf.n < 64 * 1024)
		return 0;
	if (w->buf.n && w->fn(w->ctx, w->buf.p, w->buf.n) < 0) {
		w->failed = true;
		return BK_EOUTPUT;
	}
	w->buf.n = 0;
	return 0;
}

/* What goes before the record numbered count: the document's opening or
 * a separator. */
static void
frame(struct bk_buf *b, enum bk_format fmt, size_t count)
{
	switch (fmt) {
	case BK_FMT_JSON:
		bk_buf_adds(b, count ? ",\n" : "[\n");
		break;
	case BK_FMT_YAML:
		if (!count)
			bk_buf_adds(b, "---\n");
		break;
	case BK_FMT_CSV:
		if (!count)
			csv_header(b);
		break;
	case BK_FMT_NDJSON:
		break;
	}
}

static void
body(struct bk_buf *b, enum bk_format fmt, const struct bk_record *r)
{
	switch (fmt) {
	case BK_FMT_JSON:
		json_object(b, r);
		break;
	case BK_FMT_NDJSON:
		json_object(b, r);
		bk_buf_addc(b, '\n');
		break;
	case BK_FMT_YAML:
		yaml_record(b, r);
		break;
	case BK_FMT_CSV:
		csv_record(b, r);
		break;
	}
}

int
bk_writer_record(struct bk_writer *w, const struct bk_record *r)
{
	frame(&w->buf, w->fmt, w->count);
	body(&w->buf, w->fmt, r);
	w->count++;
	return flush(w, false);
}

char *
bk_records_fragment(enum bk_format fmt, const struct bk_record *recs,
		    size_t n, size_t *len)
{
	struct bk_buf b;
	bk_buf_init(&b, 0);
	/* room for the usual records (under 1 KB each) and the escaping of
	 * a field, so that the buffer is not grown three times; what is not
	 * used is given back below */
	if (n < SIZE_MAX / 1024 - 3)
		bk_buf_reserve(&b, 1024 * (n + 3));
	for (size_t i = 0; i < n; i++) {
		if (i && fmt == BK_FMT_JSON)
			bk_buf_adds(&b, ",\n");
		body(&b, fmt, &recs[i]);
	}
	if (b.failed) {
		bk_buf_free(&b);
		return NULL;
	}
	if (!b.p)
		bk_buf_add(&b, "", 0);
	/* a fragment waits in a queue: give back the room it did not use
	 * (shrinking is done in place) */
	if (b.p && b.cap - b.n > 512) {
		char *p = bk_realloc(b.p, b.n + 1);
		if (p)
			b.p = p;
	}
	*len = b.n;
	return b.p;
}

int
bk_records_fragment_append(enum bk_format fmt, const struct bk_record *recs,
			   size_t n, char **buf, size_t *len, size_t *cap)
{
	/* the caller's buffer, grown in place: no allocation per message
	 * once it is as large as a batch's records */
	struct bk_buf b = { *buf, *len, *cap, 0, false };
	for (size_t i = 0; i < n; i++) {
		if (i && fmt == BK_FMT_JSON)
			bk_buf_adds(&b, ",\n");
		body(&b, fmt, &recs[i]);
	}
	*buf = b.p;
	*cap = b.cap;
	if (b.failed)
		return BK_ENOMEM;
	*len = b.n;
	return 0;
}

int
bk_writer_fragment(struct bk_writer *w, const char *frag, size_t len,
		   size_t nrecords)
{
	if (!nrecords)
		return 0;
	frame(&w->buf, w->fmt, w->count);
	bk_buf_add(&w->buf, frag, len);
	w->count += nrecords;
	return flush(w, false);
}

int
bk_writer_finish(struct bk_writer *w)
{
	switch (w->fmt) {
	case BK_FMT_JSON:
		bk_buf_adds(&w->buf, w->count ? "\n]\n" : "[]\n");
		break;
	case BK_FMT_YAML:
		if (!w->count)
			bk_buf_adds(&w->buf, "--- []\n");
		break;
	case BK_FMT_CSV:
		if (!w->count)
			csv_header(&w->buf);
		break;
	case BK_FMT_NDJSON:
		break;
	}
	return flush(w, true);
}

void
bk_writer_free(struct bk_writer *w)
{
	if (!w)
		return;
	bk_buf_free(&w->buf);
	bk_free(w);
}

static int
to_buf(void *ctx, const void *p, size_t n)
{
	bk_buf_add(ctx, p, n);
	return ((struct bk_buf *)ctx)->failed ? -1 : 0;
}

char *
bk_records_to_text(enum bk_format fmt, const struct bk_record *recs, size_t n)
{
	struct bk_buf out;
	bk_buf_init(&out, 0);
	struct bk_writer *w = bk_writer_new(fmt, to_buf, &out);
	if (!w)
		return NULL;
	for (size_t i = 0; i < n; i++)
		bk_writer_record(w, &recs[i]);
	int rc = bk_writer_finish(w);
	bk_writer_free(w);
	if (rc < 0 || out.failed) {
		bk_buf_free(&out);
		return NULL;
	}
	if (!out.p)
		bk_buf_add(&out, "", 0);
	return out.p;
}
