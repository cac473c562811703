/* phrases_ru.c - Russian phrases per reason.  Cyrillic is matched as
 * written (the matcher lower-cases ASCII only), so rows list the
 * capitalised forms that start sentences too. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "пользователь не найден"),
	BK_PH(USERUNKNOWN, "Пользователь не найден"),
	BK_PH(USERUNKNOWN, "нет такого пользователя"),
	BK_PH(MAILBOXFULL, "ящик переполнен"),
};

const struct bk_phrase_table bk_phrases_ru = { "ru", rows, BK_NELEM(rows) };
