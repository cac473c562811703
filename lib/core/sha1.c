/* sha1.c - SHA-1 (FIPS 180-4), only for Sisimai's record token, which is
 * an identifier, not a security measure. */
#include "core.h"

struct sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

static uint32_t
rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* Rounds unrolled five at a time with the variables renamed instead of
 * moved (the usual way to write SHA-1 without a rotation per round). */
#define F1(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F2(b, c, d) ((b) ^ (c) ^ (d))
#define F3(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
#define R(f, k, a, b, c, d, e, i) do { \
		(e) += rol(a, 5) + f(b, c, d) + (k) + w[i]; \
		(b) = rol(b, 30); \
	} while (0)
#define R5(f, k, i) do { \
		R(f, k, a, b, c, d, e, (i)); \
		R(f, k, e, a, b, c, d, (i) + 1); \
		R(f, k, d, e, a, b, c, (i) + 2); \
		R(f, k, c, d, e, a, b, (i) + 3); \
		R(f, k, b, c, d, e, a, (i) + 4); \
	} while (0)

static void
sha1_block(struct sha1 *s, const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
	for (int i = 0; i < 20; i += 5)
		R5(F1, 0x5a827999u, i);
	for (int i = 20; i < 40; i += 5)
		R5(F2, 0x6ed9eba1u, i);
	for (int i = 40; i < 60; i += 5)
		R5(F3, 0x8f1bbcdcu, i);
	for (int i = 60; i < 80; i += 5)
		R5(F2, 0xca62c1d6u, i);
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

#undef F1
#undef F2
#undef F3
#undef R
#undef R5

static void
sha1_add(struct sha1 *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n) {
		size_t take = BK_MIN(n, 64 - s->nbuf);
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf == 64) {
			sha1_block(s, s->buf);
			s->nbuf = 0;
		}
	}
}

void
bk_sha1_hex(const void *data, size_t n, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	struct sha1 s = { { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			    0xc3d2e1f0 }, 0, { 0 }, 0 };
	sha1_add(&s, data, n);
	uint64_t bits = s.len * 8;
	/* padding: 0x80, zeros to 56 mod 64, the bit length big-endian */
	unsigned char pad[72] = { 0x80 };
	size_t padlen = s.nbuf < 56 ? 56 - s.nbuf : 120 - s.nbuf;
	for (int i = 0; i < 8; i++)
		pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_add(&s, pad, padlen + 8);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 4; j++) {
			unsigned char b = (unsigned char)(s.h[i] >> (24 - 8 * j));
			out[8 * i + 2 * j] = hex[b >> 4];
			out[8 * i + 2 * j + 1] = hex[b & 15];
		}
	out[40] = '\0';
}
