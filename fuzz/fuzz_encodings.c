/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_encodings.c - base64, quoted-printable, RFC 2047 encoded words,
 * RFC 2231 parameters, charset conversion, dates, HTML, UTF-8 repair.
 * The first byte picks the charset label for the conversion.  The native
 * ISO-2022-JP reader must read what it takes as iconv does. */
#include <iconv.h>
#include <stdlib.h>

#include "fuzz.h"
#include "mail/mail.h"

/* Trap when the native reader takes in and iconv reads it otherwise. */
static void
jp_like_iconv(struct bk_arena *a, struct bk_sv in)
{
	static iconv_t cd = (iconv_t)-1;
	struct bk_sv out;
	if (!bk_iso2022jp_to_utf8(a, in, &out))
		return;
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "ISO-2022-JP-3");
	size_t cap = in.n * 4 + 16, il = in.n, ol = cap;
	char *want = malloc(cap), *ip = (char *)(uintptr_t)in.p, *op = want;
	if (!want)
		return;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1 ||
	    !bk_sv_eq(out, bk_sv_make(want, (size_t)(op - want))))
		__builtin_trap();
	free(want);
}

static const char *const labels[] = {
	"utf-8", "iso-2022-jp", "shift_jis", "euc-jp", "iso-8859-1",
	"windows-1252", "gb2312", "big5", "koi8-r", "utf-7", "x-unknown-label",
	"ks_c_5601-1987", "", "utf-16", "ucs-4", "iso-2022-kr",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bk_charsets *cs;
	struct bk_arena a;
	unsigned warn = 0;
	int64_t t;
	int off;
	if (!cs)
		cs = bk_charsets_new();
	if (size == 0)
		return 0;
	bk_arena_init(&a, 64u << 20);
	struct bk_sv label = bk_sv_c(labels[data[0] % BK_NELEM(labels)]);
	struct bk_sv in = bk_sv_make((const char *)data + 1, size - 1);
	bk_base64_decode(&a, in);
	bk_qp_decode(&a, in, false);
	bk_qp_decode(&a, in, true);
	struct bk_sv u = bk_to_utf8(cs, &a, label, in, &warn);
	if (u.p && !bk_utf8_valid(u))
		__builtin_trap();	/* the conversion must give valid UTF-8 */
	jp_like_iconv(&a, in);
	struct bk_sv w = bk_rfc2047_decode(cs, &a, in, &warn);
	if (w.p && !bk_utf8_valid(w))
		__builtin_trap();
	bk_mime_param(&a, in, "boundary");
	bk_mime_param(&a, in, "charset");
	bk_mime_type(&a, in);
	bk_date_parse(in, &t, &off);
	bk_html_to_text(&a, in);
	bk_utf8_fix(&a, in);
	bk_arena_free(&a);
	return 0;
}
