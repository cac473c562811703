/* phrases_zh.c - Chinese phrases per reason (simplified and traditional). */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "用户不存在"),
	BK_PH(USERUNKNOWN, "用戶不存在"),
	BK_PH(MAILBOXFULL, "邮箱已满"),
	BK_PH(MAILBOXFULL, "郵箱已滿"),
};

const struct bk_phrase_table bk_phrases_zh = { "zh", rows, BK_NELEM(rows) };
