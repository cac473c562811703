/* SPDX-License-Identifier: BSD-2-Clause */
/* header.c - RFC 5322 header blocks, indexed once per message.
 *
 * Tolerated (bad mail is data): lines without a colon are skipped and
 * counted, white space before the colon is dropped, a header block that
 * ends without a blank line ends the message.  A leading mbox "From " line
 * is skipped.
 */
#include "mail.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* RFC 5322 3.6.8: printable ASCII except the colon. */
static bool
is_name_char(unsigned char c)
{
	return c > 32 && c < 127 && c != ':';
}

/* The length of the run of name characters at p: the first byte below
 * 33, above 126 or equal to ':' ends it.  Eight bytes at a time: each test
 * sets the top bit of a byte that fails it (the "has less / has more /
 * has zero" byte tricks), exactly for the lowest such byte, which is the
 * first on a little-endian machine. */
static inline __attribute__((always_inline)) size_t
name_len(const char *p, size_t n)
{
	size_t i = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, c;
		memcpy(&x, p + i, 8);
		c = x ^ (ones * ':');
		uint64_t below = (x - ones * 33) & ~x & high;
		uint64_t above = ((x + ones * (127 - 126)) | x) & high;
		uint64_t colon = (c - ones) & ~c & high;
		uint64_t stop = below | above | colon;
		if (stop)
			return i + (size_t)__builtin_ctzll(stop) / 8;
	}
#endif
	while (i < n && is_name_char((unsigned char)p[i]))
		i++;
	return i;
}

/* The first block of a message has a few dozen fields, a MIME part's a few:
 * room for this many at once spares most of the regrowing. */
#define FIELDS_FIRST 32

/* Unfold a value that spans lines into out (room for v.n bytes): each
 * line end and the white space after it become one space; the result is
 * trimmed.  Whole runs between line ends are copied.  Returns its length. */
static size_t
unfold_to(char *out, struct bk_sv v)
{
	size_t o = 0;
	v = bk_sv_ltrim(v);
	const char *p = v.p, *end = v.p + v.n;
	while (p < end) {
		const char *nl = bk_copy_until(out, &o, p, end, '\n');
		if (!nl)
			break;
		p = nl + 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (o && out[o - 1] != ' ')
			out[o++] = ' ';
	}
	while (o && bk_is_space((unsigned char)out[o - 1]))
		o--;
	return o;
}

static struct bk_sv
unfold(struct bk_arena *a, struct bk_sv v)
{
	char *out = bk_arena_alloc(a, v.n + 1);
	if (!out)
		return BK_SV_NULL;
	size_t o = unfold_to(out, v);
	out[o] = '\0';
	return bk_sv_make(out, o);
}

/* Parse "Name: value" at the start of line; false when it is not one.
 * White space may stand between the name and the colon.  Inline: it runs
 * for every line of every header block, and the call cost a fifth. */
static inline __attribute__((always_inline)) bool
split_field(struct bk_sv line, struct bk_sv *name, struct bk_sv *value)
{
	size_t end = name_len(line.p, line.n), i = end;
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	if (end == 0 || i >= line.n || line.p[i] != ':')
		return false;
	*name = bk_sv_make(line.p, end);
	*value = bk_sv_make(line.p + i + 1, line.n - i - 1);
	return true;
}

/* "Content-Type: multipart/alternative; differences=Content-Type;" and
 * then "boundary=..." at the start of the next line: a parameter list
 * continued without folding white space (Exchange Online does this). */
static bool
unfolded_param(struct bk_sv value, struct bk_sv line)
{
	if (!bk_sv_ends(bk_sv_rtrim(value), BK_SV(";")))
		return false;	/* the common case, decided cheaply */
	long eq = bk_sv_findc(line, '='), colon = bk_sv_findc(line, ':');
	struct bk_sv attr = bk_sv_slice(line, 0, eq < 0 ? 0 : (size_t)eq);
	return attr.n && (colon < 0 || colon > eq) && bk_sv_findc(attr, ' ') < 0;
}

/* Index the first field of each name, for O(1) lookups in the blocks that
 * decoders query again and again.  Blocks of up to 2^16 fields only. */
static void
build_index(struct bk_arena *a, struct bk_hdrs *h)
{
	h->index = NULL;
	if (h->n < 8 || h->n > 65535)
		return;
	uint16_t *ix = bk_arena_zalloc(a, BK_HDR_SLOTS * sizeof(*ix));
	uint16_t last[BK_HDR_SLOTS];	/* 1 + the last field of each slot */
	if (!ix)
		return;
	size_t used = 0;
	for (size_t k = 0; k < h->n && used < BK_HDR_SLOTS / 2; k++) {
		uint32_t s = h->v[k].hash & (BK_HDR_SLOTS - 1);
		while (ix[s] && !(h->v[ix[s] - 1].hash == h->v[k].hash &&
				  bk_sv_ieq(h->v[ix[s] - 1].name, h->v[k].name)))
			s = (s + 1) & (BK_HDR_SLOTS - 1);
		if (!ix[s]) {
			ix[s] = (uint16_t)(k + 1);
			used++;
		} else {
			/* link the fields of one name: the next in order */
			h->v[last[s] - 1].next = (uint32_t)(k + 1);
		}
		last[s] = (uint16_t)(k + 1);
	}
	if (used < BK_HDR_SLOTS / 2)
		h->index = ix;	/* else too many names: scan instead */
}

/* Past a limit the rest of the block is skipped, not read as fields, and
 * the body after it is still found.  rest starts at a line start. */
static struct bk_sv
skip_block(struct bk_sv rest)
{
	if (rest.n && rest.p[0] == '\n')
		return bk_sv_from(rest, 1);
	long at = bk_sv_find(rest, BK_SV("\n\n"));
	return at < 0 ? bk_sv_from(rest, rest.n) : bk_sv_from(rest, (size_t)at + 2);
}

size_t
bk_hdrs_parse(struct bk_arena *a, struct bk_sv text,
	      const struct bk_limits *lim, struct bk_hdrs *out,
	      struct bk_sv *body, unsigned *warn)
{
	return bk_hdrs_parse_only(a, text, lim, out, body, warn, ~(uint64_t)0);
}

/* A field is kept when its name's bit is in want; the others are passed
 * over (not unfolded, trimmed or indexed), but still count towards the
 * limit on fields.  multi: the value spans lines (only then is it
 * copied).  Inline: it runs for every field of every block. */
static inline __attribute__((always_inline)) bool
keep_field(struct bk_arena *a, struct bk_hdrs *out, size_t *cap,
	   struct bk_sv name, struct bk_sv value, bool multi, uint64_t want,
	   size_t *seen)
{
	(*seen)++;
	uint32_t hash = bk_hdr_hash(name);
	if (!(want & bk_hdr_bit(hash)))
		return true;
	if (out->n == *cap &&
	    !bk_arena_grow(a, (void **)&out->v, cap,
			   out->n < FIELDS_FIRST ? FIELDS_FIRST : out->n + 1,
			   sizeof(*out->v)))
		return false;
	struct bk_hdr *h = &out->v[out->n++];
	h->name = name;
	/* a value over several lines is unfolded when first read */
	h->value = multi ? value : bk_sv_trim(value);
	h->folded = multi;
	h->hash = hash;
	h->next = 0;
	out->names |= bk_hdr_bit(hash);
	return true;
}

size_t
bk_hdrs_parse_only(struct bk_arena *a, struct bk_sv text,
		   const struct bk_limits *lim, struct bk_hdrs *out,
		   struct bk_sv *body, unsigned *warn, uint64_t want)
{
	size_t cap = 0, seen = 0;
	struct bk_sv rest = text, line, name = BK_SV_NULL, value = BK_SV_NULL;
	bool open = false, multi = false;
	memset(out, 0, sizeof(*out));
	out->arena = a;
	*body = bk_sv_make(text.p + text.n, 0);

	if (bk_sv_starts(rest, BK_SV("From ")))
		bk_sv_next_line(&rest, &line);
	while (bk_sv_next_line(&rest, &line)) {
		if ((size_t)(line.p - text.p) > lim->header_size) {
			*warn |= BK_W_HEADER_SIZE;
			*body = line.n ? skip_block(rest) : rest;
			break;
		}
		if (line.n == 0) {
			*body = rest;
			break;
		}
		if (open && (line.p[0] == ' ' || line.p[0] == '\t' ||
			     unfolded_param(value, line))) {
			/* a continuation: extend the value to this line */
			value.n = (size_t)(line.p + line.n - value.p);
			multi = true;
			continue;
		}
		if (open && !keep_field(a, out, &cap, name, value, multi, want,
					&seen))
			break;
		open = multi = false;
		if (seen >= lim->header_count) {
			*warn |= BK_W_HEADER_COUNT;
			*body = skip_block(rest);
			break;
		}
		if (split_field(line, &name, &value))
			open = true;
		else if (seen == 0 && out->bad == 0 &&
			 !(line.p[0] == ' ' || line.p[0] == '\t'))
			return 0;	/* not a header block at all */
		else
			out->bad++;
	}
	if (open)
		keep_field(a, out, &cap, name, value, multi, want, &seen);
	build_index(a, out);
	return out->n;
}

/* Where to start looking for name: its first field, or n when absent. */
static size_t
first_of(const struct bk_hdrs *h, struct bk_sv name, uint32_t hash)
{
	if (!h->index)
		return 0;
	for (uint32_t s = hash & (BK_HDR_SLOTS - 1);; s = (s + 1) & (BK_HDR_SLOTS - 1)) {
		uint16_t k = h->index[s];
		if (!k)
			return h->n;
		if (h->v[k - 1].hash == hash && bk_sv_ieq(h->v[k - 1].name, name))
			return k - 1u;
	}
}

size_t
bk_hdrs_next(const struct bk_hdrs *h, struct bk_sv name, uint32_t hash,
	     size_t from)
{
	if (!(h->names & bk_hdr_bit(hash)))
		return h->n;
	if (from == 0 && h->index)
		return first_of(h, name, hash);	/* exact: no second look */
	for (size_t k = from; k < h->n; k++)
		if (h->v[k].hash == hash && bk_sv_ieq(h->v[k].name, name))
			return k;
	return h->n;
}

size_t
bk_hdrs_after(const struct bk_hdrs *h, size_t k)
{
	if (h->index)	/* the fields of a name are linked */
		return h->v[k].next ? h->v[k].next - 1 : h->n;
	return bk_hdrs_next(h, h->v[k].name, h->v[k].hash, k + 1);
}

struct bk_sv
bk_hdrs_lookup(const struct bk_hdrs *h, struct bk_sv name, uint32_t hash,
	       size_t i)
{
	size_t k = bk_hdrs_next(h, name, hash, 0);
	for (; k < h->n && i > 0; i--)
		k = bk_hdrs_after(h, k);
	return k < h->n ? bk_hdr_value(h, k) : BK_SV_NULL;
}

struct bk_sv
bk_hdr_unfold(const struct bk_hdrs *h, size_t k)
{
	struct bk_hdr *f = &h->v[k];	/* the block's own fields */
	if (f->folded) {
		f->value = unfold(h->arena, f->value);
		if (!f->value.p)
			f->value = bk_sv_make("", 0);
		f->folded = false;
	}
	return f->value;
}

struct bk_sv
bk_hdrs_join(const struct bk_hdrs *h, struct bk_sv name)
{
	uint32_t hash = bk_hdr_hash(name);
	size_t total = 0;
	for (size_t k = bk_hdrs_next(h, name, hash, 0); k < h->n;
	     k = bk_hdrs_after(h, k))
		total += h->v[k].value.n + 1;
	char *out = total ? bk_arena_alloc(h->arena, total) : NULL;
	if (!out)
		return BK_SV_NULL;
	size_t o = 0;
	for (size_t k = bk_hdrs_next(h, name, hash, 0); k < h->n;
	     k = bk_hdrs_after(h, k)) {
		struct bk_hdr *f = &h->v[k];
		size_t n;
		if (f->folded) {	/* unfolded straight into the join */
			n = unfold_to(out + o, f->value);
			f->folded = false;
		} else {
			n = f->value.n;
			memcpy(out + o, f->value.p, n);
		}
		f->value = bk_sv_make(out + o, n);
		o += n;
		out[o++] = '\n';
	}
	return bk_sv_make(out, o);
}

size_t
bk_hdrs_count(const struct bk_hdrs *h, struct bk_sv name)
{
	size_t c = 0;
	for (size_t k = bk_hdrs_next(h, name, bk_hdr_hash(name), 0); k < h->n;
	     k = bk_hdrs_after(h, k))
		c++;
	return c;
}

bool
bk_looks_like_header(struct bk_sv text)
{
	struct bk_sv line, name, value;
	struct bk_sv rest = text;
	if (!bk_sv_next_line(&rest, &line))
		return false;
	return split_field(line, &name, &value);
}
