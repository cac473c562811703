/* SPDX-License-Identifier: BSD-2-Clause */
/* sha1.c - SHA-1 (FIPS 180-4), only for Sisimai's record token, which is
 * an identifier, not a security measure.
 *
 * Every record computes one (two blocks), so where the processor has the
 * SHA extensions (x86 SHA-NI, checked once; the block function is in
 * simd.c) a block takes a
 * few dozen instructions instead of about 1,400; elsewhere the portable
 * rounds below. */
#include "core.h"

#include <pthread.h>

#include "simd.h"

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
sha1_block_c(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 20; i += 5)
		R5(F1, 0x5a827999u, i);
	for (int i = 20; i < 40; i += 5)
		R5(F2, 0x6ed9eba1u, i);
	for (int i = 40; i < 60; i += 5)
		R5(F3, 0x8f1bbcdcu, i);
	for (int i = 60; i < 80; i += 5)
		R5(F2, 0xca62c1d6u, i);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

#undef F1
#undef F2
#undef F3
#undef R
#undef R5


/* The block function: chosen once per process. */
typedef void block_fn(uint32_t h[5], const unsigned char *p);
static block_fn *sha1_block = sha1_block_c;
static block_fn *hw_block;	/* the processor's, when it has them */
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

static void
pick(void)
{
	if (!bk_have_sha_ni())
		return;
	hw_block = bk_sha1_block_ni;
	sha1_block = hw_block;
}

bool
bk_sha1_hw(bool allow)
{
	pthread_once(&pick_once, pick);
	sha1_block = allow && hw_block ? hw_block : sha1_block_c;
	return sha1_block != sha1_block_c;
}

/* The eight hex digits of w, most significant first: its nibbles spread
 * one a byte and turned into digits all at once. */
static void
hex8(uint32_t w, char out[8])
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = w;
	x = ((x & 0xffff0000u) << 16) | (x & 0xffffu);
	x = ((x & 0x0000ff000000ff00ull) << 8) | (x & 0x000000ff000000ffull);
	x = ((x & 0x00f000f000f000f0ull) << 4) | (x & 0x000f000f000f000full);
	/* byte i holds nibble i, from the least significant; 10 to 15 get
	 * 'a' - '0' - 10 more */
	uint64_t letter = ((x + ones * 6) >> 4) & ones;
	x += ones * '0' + letter * ('a' - '0' - 10);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
	memcpy(out, &x, 8);
#else
	for (int i = 0; i < 8; i++)
		out[i] = (char)(x >> (56 - 8 * i));
#endif
}

void
bk_sha1_hex(const void *data, size_t n, char out[41])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			  0xc3d2e1f0 };
	const unsigned char *p = data;
	pthread_once(&pick_once, pick);
	size_t whole = n - n % 64;
	for (size_t i = 0; i < whole; i += 64)
		sha1_block(h, p + i);
	/* the rest, 0x80, zeros to 56 mod 64, the bit length big-endian:
	 * one block or two */
	unsigned char last[128];
	size_t rest = n - whole, end = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	memcpy(last, p + whole, rest);
	last[rest] = 0x80;
	memset(last + rest + 1, 0, end - 8 - rest - 1);
	for (int i = 0; i < 8; i++)
		last[end - 8 + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_block(h, last);
	if (end == 128)
		sha1_block(h, last + 64);
	for (int i = 0; i < 5; i++)
		hex8(h[i], out + 8 * i);
	out[40] = '\0';
}
