/* SPDX-License-Identifier: BSD-2-Clause */
/* html.c - the text of an HTML part, for bounces sent as HTML only.
 * A linear scan: tags are dropped, <script> and <style> bodies too, a few
 * entities are decoded, and line-breaking tags become line ends. */
#include "mail.h"

static const struct {
	const char *ent;
	const char *txt;
} entities[] = {
	{ "&lt;", "<" },   { "&gt;", ">" },    { "&amp;", "&" },
	{ "&quot;", "\"" }, { "&#39;", "'" },  { "&apos;", "'" },
	{ "&nbsp;", " " }, { "&#160;", " " },
};

static const struct bk_sv breaks[] = {
	BK_SVI("br"), BK_SVI("/p"), BK_SVI("p"), BK_SVI("/div"), BK_SVI("div"),
	BK_SVI("/tr"), BK_SVI("tr"), BK_SVI("li"), BK_SVI("/li"),
	BK_SVI("/h1"), BK_SVI("/h2"), BK_SVI("/h3"), BK_SVI("/table"),
	BK_SVI("/td"),
};

static bool
tag_is(struct bk_sv tag, const struct bk_sv *list, size_t n)
{
	size_t e = 0;
	while (e < tag.n && !bk_is_space((unsigned char)tag.p[e]) &&
	       tag.p[e] != '>' && !(tag.p[e] == '/' && e > 0))
		e++;
	struct bk_sv name = bk_sv_slice(tag, 0, e);
	for (size_t i = 0; i < n; i++)
		if (bk_sv_ieq(name, list[i]))
			return true;
	return false;
}

struct bk_sv
bk_html_to_text(struct bk_arena *a, struct bk_sv in)
{
	struct bk_sb sb;
	bk_sb_init(&sb, a, in.n);
	size_t i = 0;
	while (i < in.n) {
		/* text up to the next tag or entity, copied whole */
		size_t run = i;
		while (run < in.n && in.p[run] != '<' && in.p[run] != '&')
			run++;
		if (run > i) {
			bk_sb_add(&sb, in.p + i, run - i);
			i = run;
			if (i == in.n)
				break;
		}
		char c = in.p[i];
		if (c == '<') {
			struct bk_sv rest = bk_sv_from(in, i + 1);
			long close = bk_sv_findc(rest, '>');
			if (close < 0)
				break;
			struct bk_sv tag = bk_sv_slice(rest, 0, (size_t)close);
			i += (size_t)close + 2;
			if (bk_sv_istarts(tag, BK_SV("script")) ||
			    bk_sv_istarts(tag, BK_SV("style"))) {
				struct bk_sv r = bk_sv_from(in, i);
				long end = bk_sv_ifind(r, bk_sv_istarts(tag, BK_SV("script"))
							 ? BK_SV("</script")
							 : BK_SV("</style"));
				i = end < 0 ? in.n : i + (size_t)end;
				continue;
			}
			if (tag_is(tag, breaks, BK_NELEM(breaks)))
				bk_sb_addc(&sb, '\n');
			else
				bk_sb_addc(&sb, ' ');
			continue;
		}
		if (c == '&') {
			size_t k;
			for (k = 0; k < BK_NELEM(entities); k++) {
				struct bk_sv e = bk_sv_c(entities[k].ent);
				if (bk_sv_istarts(bk_sv_from(in, i), e)) {
					bk_sb_add(&sb, entities[k].txt,
						  strlen(entities[k].txt));
					i += e.n;
					break;
				}
			}
			if (k < BK_NELEM(entities))
				continue;
		}
		bk_sb_addc(&sb, c);
		i++;
	}
	return bk_sb_sv(&sb);
}
