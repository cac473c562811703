/* SPDX-License-Identifier: BSD-2-Clause */
/* charset.c - conversion of any charset to UTF-8 with iconv(3), and
 * RFC 2047 encoded words.  Converters are opened once per parser and kept
 * (iconv_open costs more than converting a typical part). */
#include "mail.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>

#define CS_SLOTS 16
#define CS_NAME 40

struct cs_slot {
	char name[CS_NAME];	/* lower-cased label */
	iconv_t cd;		/* (iconv_t)-1 when the label is unknown */
};

struct bk_charsets {
	struct cs_slot slot[CS_SLOTS];
	unsigned n, next;
};

struct bk_charsets *
bk_charsets_new(void)
{
	return bk_calloc(1, sizeof(struct bk_charsets));
}

void
bk_charsets_free(struct bk_charsets *cs)
{
	if (!cs)
		return;
	for (unsigned i = 0; i < cs->n; i++)
		if (cs->slot[i].cd != (iconv_t)-1)
			iconv_close(cs->slot[i].cd);
	bk_free(cs);
}

/* Labels seen in mail that iconv does not know as such, or that are
 * better read as a superset (WHATWG Encoding Standard practice). */
static const struct {
	const char *label, *iconv;
} aliases[] = {
	{ "shift_jis", "CP932" },	{ "shift-jis", "CP932" },
	{ "sjis", "CP932" },		{ "x-sjis", "CP932" },
	{ "windows-31j", "CP932" },	{ "cp932", "CP932" },
	{ "iso-2022-jp", "ISO-2022-JP-3" },
	{ "euc-jp", "EUC-JP-MS" },	{ "x-euc-jp", "EUC-JP-MS" },
	{ "ks_c_5601-1987", "CP949" },	{ "euc-kr", "CP949" },
	{ "gb2312", "GB18030" },	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },		{ "big5", "BIG5-HKSCS" },
	{ "iso-8859-1", "CP1252" },	{ "latin1", "CP1252" },
	{ "unicode-1-1-utf-7", "UTF-7" },
};

/* Labels read as UTF-8: 8-bit bytes under "us-ascii" or "unknown" labels
 * are far more often UTF-8 than anything else. */
static const struct bk_sv utf8_labels[] = {
	BK_SVI("utf-8"), BK_SVI("utf8"), BK_SVI("x-utf-8"), BK_SVI("us-ascii"),
	BK_SVI("ascii"), BK_SVI("ansi_x3.4-1968"), BK_SVI("x-unknown"),
	BK_SVI("unknown-8bit"), BK_SVI("unknown"), BK_SVI("default"),
};

static bool
is_utf8_label(struct bk_sv l)
{
	for (size_t i = 0; i < BK_NELEM(utf8_labels); i++)
		if (bk_sv_ieq(l, utf8_labels[i]))
			return true;
	return false;
}

static iconv_t
open_label(const char *label)
{
	for (size_t i = 0; i < BK_NELEM(aliases); i++) {
		if (strcmp(label, aliases[i].label) == 0) {
			iconv_t cd = iconv_open("UTF-8", aliases[i].iconv);
			if (cd != (iconv_t)-1)
				return cd;
			break;
		}
	}
	return iconv_open("UTF-8", label);
}

static iconv_t
lookup(struct bk_charsets *cs, struct bk_sv label)
{
	char name[CS_NAME];
	if (label.n == 0 || label.n >= CS_NAME)
		return (iconv_t)-1;
	for (size_t i = 0; i < label.n; i++)
		name[i] = (char)bk_lower((unsigned char)label.p[i]);
	name[label.n] = '\0';
	for (unsigned i = 0; i < cs->n; i++)
		if (strcmp(cs->slot[i].name, name) == 0)
			return cs->slot[i].cd;
	struct cs_slot *s;
	if (cs->n < CS_SLOTS) {
		s = &cs->slot[cs->n++];
	} else {
		s = &cs->slot[cs->next];
		cs->next = (cs->next + 1) % CS_SLOTS;
		if (s->cd != (iconv_t)-1)
			iconv_close(s->cd);
	}
	memcpy(s->name, name, label.n + 1);
	s->cd = open_label(name);
	return s->cd;
}

/* No byte >= 0x80 and no ESC (ISO-2022 shifts): sixteen bytes at a time
 * with SSE2, else eight. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool
plain_ascii(struct bk_sv s)
{
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i esc = _mm_set1_epi8(0x1b);
	for (; i + 16 <= s.n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s.p + i));
		if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, esc))))
			return false;
	}
#endif
	for (; i + 8 <= s.n; i += 8) {
		uint64_t w;
		memcpy(&w, s.p + i, 8);
		/* a byte >= 0x80, or a byte equal to 0x1b */
		uint64_t x = w ^ 0x1b1b1b1b1b1b1b1bull;
		uint64_t esc8 = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
		if ((w & 0x8080808080808080ull) || esc8)
			return false;
	}
	for (; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x80 || c == 0x1b)
			return false;
	}
	return true;
}

static struct bk_sv
convert(iconv_t cd, struct bk_arena *a, struct bk_sv in, unsigned *warn)
{
	size_t cap = in.n * 4 + 16;
	char *out = bk_arena_alloc(a, cap);
	if (!out)
		return BK_SV_NULL;
	iconv(cd, NULL, NULL, NULL, NULL);
	char *ip = (char *)(uintptr_t)in.p, *op = out;
	size_t il = in.n, ol = cap - 1;
	while (il > 0) {
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG || ol < 4)
			break;	/* cannot happen with 4x room; stop safely */
		/* EILSEQ or EINVAL: replace one byte and go on */
		*warn |= BK_W_CHARSET;
		memcpy(op, "\xef\xbf\xbd", 3);
		op += 3;
		ol -= 3;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* flush the shift state of stateful encodings */
	iconv(cd, NULL, NULL, &op, &ol);
	*op = '\0';
	return bk_sv_make(out, (size_t)(op - out));
}

/* Windows-1252, which mail labelled ISO-8859-1 really is (aliases above),
 * converted by table: iconv costs ten times more per byte.  0x80-0x9f as
 * the Encoding Standard maps them; the five bytes it leaves undefined are
 * invalid, as for iconv's CP1252. */
static const uint16_t cp1252_hi[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static const struct bk_sv cp1252_labels[] = {
	BK_SVI("iso-8859-1"), BK_SVI("latin1"), BK_SVI("windows-1252"),
	BK_SVI("cp1252"),
};

static bool
is_cp1252_label(struct bk_sv l)
{
	for (size_t i = 0; i < BK_NELEM(cp1252_labels); i++)
		if (bk_sv_ieq(l, cp1252_labels[i]))
			return true;
	return false;
}

/* The length of the run of ASCII bytes at p, eight at a time. */
static size_t
ascii_run(const char *p, size_t n)
{
	size_t i = 0;
	uint64_t w;
	while (i + 8 <= n) {
		memcpy(&w, p + i, 8);
		if (w & 0x8080808080808080ull)
			break;
		i += 8;
	}
	while (i < n && (unsigned char)p[i] < 0x80)
		i++;
	return i;
}

static size_t
put_utf8(char *o, unsigned u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | u >> 12);
	o[1] = (char)(0x80 | (u >> 6 & 0x3f));
	o[2] = (char)(0x80 | (u & 0x3f));
	return 3;
}

static struct bk_sv
from_cp1252(struct bk_arena *a, struct bk_sv in, unsigned *warn)
{
	char *out = bk_arena_alloc(a, in.n * 3 + 1);
	if (!out)
		return BK_SV_NULL;
	size_t o = 0;
	for (size_t i = 0; i < in.n; i++) {
		size_t run = ascii_run(in.p + i, in.n - i);
		memcpy(out + o, in.p + i, run);
		o += run;
		i += run;
		if (i == in.n)
			break;
		unsigned char c = (unsigned char)in.p[i];	/* 0x80 or above */
		unsigned u = c >= 0xa0 ? c : cp1252_hi[c & 0x1f];
		if (!u) {
			u = 0xfffd;
			*warn |= BK_W_CHARSET;
		}
		o += put_utf8(out + o, u);
	}
	out[o] = '\0';
	return bk_sv_make(out, o);
}

/* ISO-2022-JP (RFC 1468), read natively: iconv spends a hundred
 * instructions a character on it, and it is the commonest label that is
 * not ASCII, UTF-8 or Latin in Japanese bounces.  The common part of it
 * only: ASCII (ESC ( B), JIS X 0201 Roman (ESC ( J) and JIS X 0208
 * (ESC $ B, ESC $ @), the table made from iconv's ISO-2022-JP-3 by
 * tools/jisgen.c.  Anything else (another set, SO/SI, an 8-bit byte, a
 * byte outside 0x21-0x7e between two-byte characters, a cell the table
 * leaves empty) returns false, and iconv reads the whole text as before:
 * the output is iconv's either way. */
extern const uint16_t bk_jis0208[94 * 94];

enum jis_set { JIS_ASCII, JIS_ROMAN, JIS_0208 };

/* The set an escape sequence at p (after the ESC) designates; false for
 * one the native reader does not know. */
static bool
jis_escape(const char *p, const char *end, enum jis_set *set)
{
	if (end - p < 2)
		return false;
	if (p[0] == '(' && (p[1] == 'B' || p[1] == 'J')) {
		*set = p[1] == 'B' ? JIS_ASCII : JIS_ROMAN;
		return true;
	}
	if (p[0] == '$' && (p[1] == 'B' || p[1] == '@')) {
		*set = JIS_0208;
		return true;
	}
	return false;
}

/* Bytes of ASCII or JIS X 0201 Roman from p up to the next ESC: copied
 * into o, the yen sign and the overline of Roman as UTF-8.  Returns the
 * bytes written, or -1 at a byte the native reader does not take. */
static long
jis_single(char *o, const char **pp, const char *end, enum jis_set set)
{
	const char *p = *pp;
	size_t k = 0;
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	/* ASCII eight bytes at a time while none is 8-bit, ESC, SO or SI */
	while (set == JIS_ASCII && end - p >= 8) {
		uint64_t w, e, s;
		memcpy(&w, p, 8);
		e = w ^ (ones * 0x1b);
		s = (w | ones) ^ (ones * 0x0f);
		if ((w | ((e - ones) & ~e) | ((s - ones) & ~s)) & high)
			break;
		memcpy(o + k, p, 8);
		k += 8;
		p += 8;
	}
	for (; p < end && *p != 0x1b; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80 || c == 0x0e || c == 0x0f)
			return -1;
		if (set == JIS_ROMAN && (c == 0x5c || c == 0x7e))
			k += put_utf8(o + k, c == 0x5c ? 0xa5 : 0x203e);
		else
			o[k++] = (char)c;
	}
	*pp = p;
	return (long)k;
}

/* JIS X 0208 characters from p up to the next ESC, as UTF-8 into o.
 * Returns the bytes written, or -1 at a pair outside the table. */
static long
jis_double(char *o, const char **pp, const char *end)
{
	const unsigned char *p = (const unsigned char *)*pp;
	const unsigned char *e = (const unsigned char *)end;
	size_t k = 0;
	for (; p < e && *p != 0x1b; p += 2) {
		unsigned c = (unsigned)p[0] - 0x21, d = e - p >= 2 ? (unsigned)p[1] - 0x21 : 94;
		unsigned u = c < 94 && d < 94 ? bk_jis0208[c * 94 + d] : 0;
		if (!u)
			return -1;
		k += put_utf8(o + k, u);
	}
	*pp = (const char *)p;
	return (long)k;
}

bool
bk_iso2022jp_to_utf8(struct bk_arena *a, struct bk_sv in, struct bk_sv *out)
{
	/* at most three bytes out for each byte in (0x7e in Roman) */
	char *buf = bk_arena_alloc(a, in.n * 3 + 1);
	if (!buf)
		return false;
	enum jis_set set = JIS_ASCII;
	const char *p = in.p, *end = in.p + in.n;
	size_t o = 0;
	while (p < end) {
		if (*p == 0x1b) {
			if (!jis_escape(p + 1, end, &set))
				return false;
			p += 3;
			continue;
		}
		long k = set == JIS_0208 ? jis_double(buf + o, &p, end)
					 : jis_single(buf + o, &p, end, set);
		if (k < 0)
			return false;
		o += (size_t)k;
	}
	buf[o] = '\0';
	*out = bk_sv_make(buf, o);
	return true;
}

struct bk_sv
bk_to_utf8(struct bk_charsets *cs, struct bk_arena *a, struct bk_sv charset,
	   struct bk_sv in, unsigned *warn)
{
	charset = bk_sv_trim(charset);
	if (in.n == 0)
		return in;
	if (plain_ascii(in) && !bk_sv_istarts(charset, BK_SV("utf-7")))
		return in;
	if (charset.n == 0 || is_utf8_label(charset)) {
		struct bk_sv out = bk_utf8_fix(a, in);
		if (out.p != in.p && charset.n)
			*warn |= BK_W_CHARSET;
		return out;
	}
	/* 8-bit text under a Latin-1 label that is all valid UTF-8 was
	 * written as UTF-8 by a mailer that labels every part ISO-8859-1:
	 * read as Windows-1252 it would turn "\xc3\xa9" (e acute) into two
	 * letters.  Real Latin-1 text is almost never valid UTF-8 (an accented
	 * letter before an ASCII one is an invalid sequence). */
	if (is_cp1252_label(charset))
		return bk_utf8_valid(in) ? in : from_cp1252(a, in, warn);
	struct bk_sv jp;
	if (bk_sv_ieq(charset, BK_SV("iso-2022-jp")) &&
	    bk_iso2022jp_to_utf8(a, in, &jp))
		return jp;
	iconv_t cd = lookup(cs, charset);
	if (cd == (iconv_t)-1) {
		*warn |= BK_W_CHARSET;
		return bk_utf8_fix(a, in);
	}
	struct bk_sv out = convert(cd, a, in, warn);
	return out.p ? bk_utf8_fix(a, out) : out;
}

/* ---- RFC 2047 ---- */

struct eword {
	struct bk_sv charset, text;
	char enc;		/* 'B' or 'Q' */
	size_t end;		/* offset just after "?=" */
};

/* Parse an encoded word "=?charset?X?text?=" at s[i]. */
static bool
parse_eword(struct bk_sv s, size_t i, struct eword *w)
{
	if (i + 8 > s.n || s.p[i] != '=' || s.p[i + 1] != '?')
		return false;
	size_t k = i + 2, c0 = k;
	while (k < s.n && k - c0 < 64 && s.p[k] != '?' &&
	       !bk_is_space((unsigned char)s.p[k]))
		k++;
	if (k + 3 >= s.n || s.p[k] != '?' || s.p[k + 2] != '?')
		return false;
	w->charset = bk_sv_slice(s, c0, k);
	long star = bk_sv_findc(w->charset, '*');	/* RFC 2231 language */
	if (star >= 0)
		w->charset.n = (size_t)star;
	w->enc = (char)(s.p[k + 1] & ~0x20);
	if (w->enc != 'B' && w->enc != 'Q')
		return false;
	size_t t0 = k + 3;
	struct bk_sv rest = bk_sv_from(s, t0);
	/* encoded words are short (RFC 2047 2: at most 75 characters); a
	 * bounded look keeps a text full of "=?" linear */
	long end = bk_sv_find(bk_sv_slice(rest, 0, 1024), BK_SV("?="));
	if (end < 0)
		return false;
	w->text = bk_sv_slice(rest, 0, (size_t)end);
	w->end = t0 + (size_t)end + 2;
	return true;
}

static struct bk_sv
decode_eword(struct bk_arena *a, const struct eword *w)
{
	return w->enc == 'B' ? bk_base64_decode(a, w->text)
			     : bk_qp_decode(a, w->text, true);
}

struct bk_sv
bk_rfc2047_decode(struct bk_charsets *cs, struct bk_arena *a, struct bk_sv in,
		  unsigned *warn)
{
	if (bk_sv_find(in, BK_SV("=?")) < 0)
		return bk_utf8_fix(a, in);
	struct bk_sb sb;
	bk_sb_init(&sb, a, in.n);
	size_t i = 0;
	while (i < in.n) {
		struct eword w;
		if (!parse_eword(in, i, &w)) {
			bk_sb_addc(&sb, in.p[i++]);
			continue;
		}
		/* Join adjacent words of one charset before converting, so a
		 * multibyte character split across words survives. */
		struct bk_sb raw;
		bk_sb_init(&raw, a, w.text.n);
		bk_sb_addsv(&raw, decode_eword(a, &w));
		i = w.end;
		for (;;) {
			size_t k = i;
			while (k < in.n && bk_is_space((unsigned char)in.p[k]))
				k++;
			struct eword nw;
			if (!parse_eword(in, k, &nw) ||
			    !bk_sv_ieq(nw.charset, w.charset))
				break;
			bk_sb_addsv(&raw, decode_eword(a, &nw));
			i = nw.end;
		}
		/* white space between a word and a different-charset word
		 * is dropped too (RFC 2047 6.2) */
		size_t k = i;
		while (k < in.n && bk_is_space((unsigned char)in.p[k]))
			k++;
		struct eword nw;
		if (k > i && parse_eword(in, k, &nw))
			i = k;
		bk_sb_addsv(&sb, bk_to_utf8(cs, a, w.charset, bk_sb_sv(&raw), warn));
	}
	return bk_utf8_fix(a, bk_sb_sv(&sb));
}
