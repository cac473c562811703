/* phrases_pt.c - Portuguese phrases per reason. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "usuário desconhecido"),
	BK_PH(USERUNKNOWN, "utilizador desconhecido"),
	BK_PH(MAILBOXFULL, "caixa postal cheia"),
	BK_PH(MAILBOXFULL, "caixa de correio cheia"),
};

const struct bk_phrase_table bk_phrases_pt = { "pt", rows, BK_NELEM(rows) };
