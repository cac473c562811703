/* phrases_ja.c - Japanese phrases per reason, as Japanese MTAs, mobile
 * carriers and localised Exchange servers write them. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "ユーザが存在しません"),
	BK_PH(USERUNKNOWN, "ユーザーが存在しません"),
	BK_PH(USERUNKNOWN, "宛先不明"),
	BK_PH(USERUNKNOWN, "存在しないアドレス"),
	BK_PH(MAILBOXFULL, "メールボックスがいっぱい"),
	BK_PH(MAILBOXFULL, "容量超過"),
	BK_PH(MAILBOXFULL, "容量オーバー"),
};

const struct bk_phrase_table bk_phrases_ja = { "ja", rows, BK_NELEM(rows) };
