/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_ru.c - Russian phrases per reason: Russian providers (Mail.Ru,
 * Yandex, Rambler) and MTAs with Russian replies, localised Exchange NDRs
 * (ru-RU).
 *
 * Sources (wording only; a tag after a row names its source):
 *   [ms]      Exchange ru-RU wording ("Почтовый ящик получателя
 *             переполнен", "адрес электронной почты ... не найден"); from
 *             memory of such NDRs, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain Russian wording of the reason as Russian MTAs and
 *             providers write it; no sample at hand.
 * Not rows on purpose: the openings of the Mail.Ru and Yandex notices in the
 * Sisimai set-of-emails (lhost-mailru-*, lhost-yandex-*: "К сожалению, Ваше
 * письмо не может быть доставлено одному или нескольким получателям",
 * "Рекомендуем Вам проверить корректность указания адресов получателей"),
 * which every such notice has, whatever the reason.
 *
 * The matcher lower-cases ASCII only: Cyrillic is compared as written, so
 * a phrase that can start a sentence has a row for the capitalised form
 * too.  "ё" is often written "е": both forms have rows where they occur.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "ip-адрес", "заблокирован"),	/* [-] "Ваш IP-адрес заблокирован" */
	BK_PH(BLOCKED, "ip адрес", "заблокирован"),	/* [-] */
	BK_PH(BLOCKED, "в черном списке"),	/* [-] */
	BK_PH(BLOCKED, "в чёрном списке"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "истекло время"),	/* [-] */
	BK_PH(EXPIRED, "Истекло время"),	/* [-] */
	BK_PH(EXPIRED, "время ожидания истекло"),	/* [-] */
	BK_PH(EXPIRED, "Время ожидания истекло"),	/* [-] */
	BK_PH(EXPIRED, "срок доставки истек"),	/* [-] */
	BK_PH(EXPIRED, "срок доставки истёк"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "домен не существует"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "Домен не существует"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "домен не найден"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "Домен не найден"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "несуществующий домен"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "Несуществующий домен"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "неизвестный домен"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "Неизвестный домен"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "ящик переполнен"),	/* [starter] "Почтовый ящик переполнен" */
	BK_PH(MAILBOXFULL, "Ящик переполнен"),	/* [-] */
	BK_PH(MAILBOXFULL, "ящик получателя переполнен"),	/* [ms] */
	BK_PH(MAILBOXFULL, "ящик заполнен"),	/* [-] */
	BK_PH(MAILBOXFULL, "Ящик заполнен"),	/* [-] */
	BK_PH(MAILBOXFULL, "превышена квота"),	/* [-] */
	BK_PH(MAILBOXFULL, "Превышена квота"),	/* [-] */
	BK_PH(MAILBOXFULL, "квота превышена"),	/* [-] */
	BK_PH(MAILBOXFULL, "Квота превышена"),	/* [-] */
	BK_PH(MAILBOXFULL, "недостаточно места в почтовом ящике"),	/* [-] */
	BK_PH(MAILBOXFULL, "Недостаточно места в почтовом ящике"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "слишком большой размер"),	/* [-] */
	BK_PH(MESGTOOBIG, "Слишком большой размер"),	/* [-] */
	BK_PH(MESGTOOBIG, "размер сообщения превышает"),	/* [-] */
	BK_PH(MESGTOOBIG, "Размер сообщения превышает"),	/* [-] */
	BK_PH(MESGTOOBIG, "размер письма превышает"),	/* [-] */
	BK_PH(MESGTOOBIG, "Размер письма превышает"),	/* [-] */
	BK_PH(MESGTOOBIG, "сообщение слишком велико"),	/* [ms] */
	BK_PH(MESGTOOBIG, "Сообщение слишком велико"),	/* [ms] */
	BK_PH(MESGTOOBIG, "письмо слишком большое"),	/* [-] */
	BK_PH(MESGTOOBIG, "Письмо слишком большое"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "ретрансляция запрещена"),	/* [-] */
	BK_PH(NORELAYING, "Ретрансляция запрещена"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "нарушение политики"),	/* [-] */
	BK_PH(POLICYVIOLATION, "Нарушение политики"),	/* [-] */
	BK_PH(POLICYVIOLATION, "политикой безопасности"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "похоже на спам"),	/* [-] */
	BK_PH(SPAMDETECTED, "Похоже на спам"),	/* [-] */
	BK_PH(SPAMDETECTED, "признано спамом"),	/* [-] */
	BK_PH(SPAMDETECTED, "Признано спамом"),	/* [-] */
	BK_PH(SPAMDETECTED, "распознано как спам"),	/* [-] */
	BK_PH(SPAMDETECTED, "классифицировано как спам"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "ящик заблокирован"),	/* [-] */
	BK_PH(SUSPEND, "Ящик заблокирован"),	/* [-] */
	BK_PH(SUSPEND, "ящик отключен"),	/* [-] */
	BK_PH(SUSPEND, "ящик отключён"),	/* [-] */
	BK_PH(SUSPEND, "учетная запись отключена"),	/* [-] */
	BK_PH(SUSPEND, "Учетная запись отключена"),	/* [-] */
	BK_PH(SUSPEND, "учётная запись отключена"),	/* [-] */
	BK_PH(SUSPEND, "Учётная запись отключена"),	/* [-] */
	BK_PH(SUSPEND, "пользователь заблокирован"),	/* [-] */
	BK_PH(SUSPEND, "Пользователь заблокирован"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "внутренняя ошибка"),	/* [-] */
	BK_PH(SYSTEMERROR, "Внутренняя ошибка"),	/* [-] */
	BK_PH(SYSTEMERROR, "системная ошибка"),	/* [-] */
	BK_PH(SYSTEMERROR, "Системная ошибка"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "пользователь не найден"),	/* [starter] */
	BK_PH(USERUNKNOWN, "Пользователь не найден"),	/* [starter] */
	BK_PH(USERUNKNOWN, "нет такого пользователя"),	/* [starter] */
	BK_PH(USERUNKNOWN, "Нет такого пользователя"),	/* [-] */
	BK_PH(USERUNKNOWN, "такого пользователя нет"),	/* [-] */
	BK_PH(USERUNKNOWN, "Такого пользователя нет"),	/* [-] */
	BK_PH(USERUNKNOWN, "неизвестный пользователь"),	/* [-] */
	BK_PH(USERUNKNOWN, "Неизвестный пользователь"),	/* [-] */
	BK_PH(USERUNKNOWN, "получатель не найден"),	/* [-] */
	BK_PH(USERUNKNOWN, "Получатель не найден"),	/* [-] */
	BK_PH(USERUNKNOWN, "адресат не найден"),	/* [-] */
	BK_PH(USERUNKNOWN, "Адресат не найден"),	/* [-] */
	BK_PH(USERUNKNOWN, "ящик не существует"),	/* [-] "Почтовый ящик не существует" */
	BK_PH(USERUNKNOWN, "Ящик не существует"),	/* [-] */
	BK_PH(USERUNKNOWN, "адрес не существует"),	/* [-] */
	BK_PH(USERUNKNOWN, "Адрес не существует"),	/* [-] */
	BK_PH(USERUNKNOWN, "несуществующий адрес"),	/* [-] */
	BK_PH(USERUNKNOWN, "Несуществующий адрес"),	/* [-] */
	/* "Введенный адрес электронной почты не найден." */
	BK_PH(USERUNKNOWN, "адрес электронной почты", "не найден"),	/* [ms] */
	BK_PH(USERUNKNOWN, "найти введенный адрес"),	/* [ms] "Не удается найти ..." */
	BK_PH(USERUNKNOWN, "найти введённый адрес"),	/* [ms] */
};

const struct bk_phrase_table bk_phrases_ru = { "ru", rows, BK_NELEM(rows) };
