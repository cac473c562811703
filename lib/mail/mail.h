/* SPDX-License-Identifier: BSD-2-Clause */
/* mail.h - the message layer: headers (RFC 5322), MIME (RFC 2045-2049),
 * encoded words (RFC 2047), parameters (RFC 2231), charsets, dates and
 * addresses.
 *
 * Everything works on text whose line ends are already LF (see
 * bk_text_normalize()).  Headers and parts are views into that text;
 * decoded text is written once into the message's arena.
 */
#ifndef BK_MAIL_H
#define BK_MAIL_H

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <stdint.h>
#include <time.h>

#include "bouncekit/bouncekit.h"
#include "core/core.h"

/* ---- line ends ---- */

/* Convert CRLF and bare CR to LF and unquote mboxrd ">From " lines when
 * unquote is set.  Returns in (no copy) when nothing needs changing. */
struct bk_sv bk_text_normalize(struct bk_arena *a, struct bk_sv in,
			       bool unquote);

/* ---- headers ---- */

struct bk_hdr {
	struct bk_sv name;
	/* unfolded, trimmed, not decoded: read it with bk_hdr_value(),
	 * which unfolds a value that spans lines at its first reading (most
	 * folded fields, signatures and the like, are never read) */
	struct bk_sv value;
	uint32_t hash;		/* bk_hdr_hash of the name */
	uint32_t next;		/* 1 + the next field of this name, 0: none
				 * (set in indexed blocks only) */
	bool folded;		/* value is still the raw lines */
};

#define BK_HDR_SLOTS 256

struct bk_hdrs {
	struct bk_hdr *v;
	size_t n;
	unsigned bad;		/* lines skipped: no colon, bad name */
	/* bit (hash & 63) of each name present: most lookups are for names
	 * a block does not have, and this answers them without a probe */
	uint64_t names;
	/* open-addressed by name hash: 1 + the index of the first field of
	 * each name, 0 for an empty slot; NULL for small blocks (scanned) */
	uint16_t *index;
	struct bk_arena *arena;	/* where folded values are unfolded */
};

/* The value of field k, unfolded at its first reading. */
struct bk_sv bk_hdr_unfold(const struct bk_hdrs *h, size_t k);
static inline struct bk_sv
bk_hdr_value(const struct bk_hdrs *h, size_t k)
{
	return h->v[k].folded ? bk_hdr_unfold(h, k) : h->v[k].value;
}

/* A filter, not a digest: names are compared after a hash match.  The
 * length and three bytes with bit 0x20 set (so that both cases of a
 * letter hash alike; a few other bytes do too, which only costs a
 * comparison) make it O(1); it is inline and plain arithmetic so that the
 * compiler computes the hash of a literal name. */
static inline uint32_t
bk_hdr_hash(struct bk_sv name)
{
#define BK_HL(c) ((uint32_t)(c) | 0x20)
	if (name.n == 0)
		return 0;
	uint32_t h = (uint32_t)name.n * 2654435761u;
	h ^= BK_HL((unsigned char)name.p[0]) * 40503u;
	h ^= BK_HL((unsigned char)name.p[name.n / 2]) << 11;
	h ^= BK_HL((unsigned char)name.p[name.n - 1]) << 19;
	return h ^ (h >> 15);
#undef BK_HL
}

static inline uint64_t
bk_hdr_bit(uint32_t hash)
{
	return 1ull << (hash & 63);
}

/* Parse the header block at the start of text.  *body gets what follows the
 * blank line (empty when there is none).  Returns the number of fields;
 * limits raise bits in *warn. */
size_t bk_hdrs_parse(struct bk_arena *a, struct bk_sv text,
		     const struct bk_limits *lim, struct bk_hdrs *out,
		     struct bk_sv *body, unsigned *warn);

/* As bk_hdrs_parse, keeping only the fields whose name's bit
 * (bk_hdr_bit) is in want: a reader that needs a few names spares the work
 * of storing the others.  Lookups of other names may find nothing. */
size_t bk_hdrs_parse_only(struct bk_arena *a, struct bk_sv text,
			  const struct bk_limits *lim, struct bk_hdrs *out,
			  struct bk_sv *body, unsigned *warn, uint64_t want);
/* The bit of a (literal) name, for want. */
#define BK_HDR_WANT(lit) bk_hdr_bit(bk_hdr_hash(BK_SV(lit)))

/* The index of the first field called name (of that hash) at or after
 * from; h->n when there is none. */
size_t bk_hdrs_next(const struct bk_hdrs *h, struct bk_sv name, uint32_t hash,
		    size_t from);
/* The index of the next field with the name of field k, h->n when none:
 * a name's fields are walked in as many steps as there are of them. */
size_t bk_hdrs_after(const struct bk_hdrs *h, size_t k);
/* The i-th field called name; p == NULL when absent. */
struct bk_sv bk_hdrs_lookup(const struct bk_hdrs *h, struct bk_sv name,
			    uint32_t hash, size_t i);
static inline struct bk_sv
bk_hdrs_get_nth(const struct bk_hdrs *h, struct bk_sv name, size_t i)
{
	uint32_t hash = bk_hdr_hash(name);
	if (!(h->names & bk_hdr_bit(hash)))
		return BK_SV_NULL;
	return bk_hdrs_lookup(h, name, hash, i);
}
/* The first: one call fewer than bk_hdrs_get_nth (lookups are many). */
static inline struct bk_sv
bk_hdrs_get(const struct bk_hdrs *h, struct bk_sv name)
{
	uint32_t hash = bk_hdr_hash(name);
	if (!(h->names & bk_hdr_bit(hash)))
		return BK_SV_NULL;
	size_t k = bk_hdrs_next(h, name, hash, 0);
	return k < h->n ? bk_hdr_value(h, k) : BK_SV_NULL;
}
static inline bool
bk_hdrs_has(const struct bk_hdrs *h, struct bk_sv name)
{
	return bk_hdrs_get(h, name).p != NULL;
}
size_t bk_hdrs_count(const struct bk_hdrs *h, struct bk_sv name);
/* Every value of name, in order, each followed by a LF, in one view
 * (p == NULL when there is none); the fields' values become views into
 * it, so a value that spans lines is unfolded once, into the join. */
struct bk_sv bk_hdrs_join(const struct bk_hdrs *h, struct bk_sv name);

/* true when text starts like a header block ("Name: value"). */
bool bk_looks_like_header(struct bk_sv text);

/* ---- MIME values ---- */

/* The media type of a Content-Type value, lower-cased into the arena
 * ("text/plain" when empty). */
struct bk_sv bk_mime_type(struct bk_arena *a, struct bk_sv ctype);
/* A parameter value (RFC 2045 quoted strings, RFC 2231 continuations and
 * charsets), decoded; p == NULL when absent. */
struct bk_sv bk_mime_param(struct bk_arena *a, struct bk_sv ctype,
			   const char *name);

/* Transfer decodings; output in the arena, never longer than the input. */
struct bk_sv bk_base64_decode(struct bk_arena *a, struct bk_sv in);
struct bk_sv bk_qp_decode(struct bk_arena *a, struct bk_sv in, bool header);

/* ---- charsets ---- */

struct bk_charsets;	/* a cache of converters, one per parser */

struct bk_charsets *bk_charsets_new(void);
void bk_charsets_free(struct bk_charsets *cs);
/* Convert text in charset to valid UTF-8 (invalid bytes become U+FFFD).
 * Unknown charsets are read as UTF-8 and raise *warn |= BK_W_CHARSET. */
struct bk_sv bk_to_utf8(struct bk_charsets *cs, struct bk_arena *a,
			struct bk_sv charset, struct bk_sv in, unsigned *warn);

/* ISO-2022-JP read without iconv: ASCII, JIS X 0201 Roman and JIS X 0208
 * into *out (valid UTF-8, in the arena) as iconv's ISO-2022-JP-3 reads
 * them; false for text holding anything else (bk_to_utf8 then hands it to
 * iconv). */
bool bk_iso2022jp_to_utf8(struct bk_arena *a, struct bk_sv in,
			  struct bk_sv *out);

/* RFC 2047: decode the encoded words of a header value into UTF-8. */
struct bk_sv bk_rfc2047_decode(struct bk_charsets *cs, struct bk_arena *a,
			       struct bk_sv in, unsigned *warn);

/* ---- dates ---- */

/* Parse an RFC 5322 date, tolerating the obsolete and the common broken
 * forms.  Returns true and the UTC epoch and the offset in minutes. */
bool bk_date_parse(struct bk_sv s, int64_t *epoch, int *offset_min);
/* "+0900" from an offset in minutes into out[6]. */
void bk_date_offset_str(int offset_min, char out[6]);

/* ---- addresses ---- */

/* Find the first mail address in s: "Name <a@b>", "a@b (comment)",
 * "<a@b>", "rfc822; a@b", quoted local parts.  Returns a lower-cased copy in
 * the arena or p == NULL. */
struct bk_sv bk_addr_find(struct bk_arena *a, struct bk_sv s);
/* true when s is a plausible address: local@domain, no spaces, a dot in
 * the domain or a domain literal. */
bool bk_addr_valid(struct bk_sv s);
/* The domain part, after the last '@'. */
struct bk_sv bk_addr_domain(struct bk_sv addr);

/* ---- HTML ---- */

/* Text of an HTML fragment: tags dropped, common entities decoded,
 * block-level ends turned into line ends. */
struct bk_sv bk_html_to_text(struct bk_arena *a, struct bk_sv in);


/* Copy from p up to the next byte c to out at *o; returns where c is, NULL
 * when there is none (all up to end is copied).  Sixteen bytes at a time
 * with SSE2: each block is stored whole, so out must have room for 16
 * bytes past what it keeps (the callers' outputs never run ahead of their
 * inputs), and the bytes from c on are written again by the caller after
 * it; no memchr and memcpy call per stretch. */
static inline const char *
bk_copy_until(char *out, size_t *o, const char *p, const char *end, char c)
{
	size_t w = *o;
#if defined(__SSE2__)
	const __m128i cv = _mm_set1_epi8(c);
	for (; end - p >= 16; p += 16, w += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cv));
		_mm_storeu_si128((__m128i *)(void *)(out + w), v);
		if (m) {
			unsigned k = (unsigned)__builtin_ctz(m);
			*o = w + k;
			return p + k;
		}
	}
#endif
	const char *hit = memchr(p, c, (size_t)(end - p));
	size_t len = (size_t)((hit ? hit : end) - p);
	memcpy(out + w, p, len);
	*o = w + len;
	return hit;
}

#endif
