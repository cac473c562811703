/* SPDX-License-Identifier: BSD-2-Clause */
/* test_phrases_lang.c - the phrase tables of other languages than English
 * (lib/reason/phrases_{ja,de,fr,es,pt,it,ru,zh}.c), through the classifier.
 *
 * A phrase alone does not make every reason: a user-unknown text needs
 * status X.1.1, the RCPT command or no command stated (after DATA it
 * reads as "filtered"),
 * mailboxfull and suspend need a status.  The cases give what a decoder
 * would: status, SMTP command, diagnostic text.
 */
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "reason/reason.h"
#include "t.h"

struct lang_case {
	const char *status, *cmd, *diag, *want;
};

static void
run_cases(const struct lang_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct bk_classify_in in = {
			.status = bk_sv_c(c[i].status), .command = bk_sv_c(c[i].cmd),
			.diag = bk_sv_c(c[i].diag), .diagtype = BK_SV("SMTP"),
		};
		T_CHECK_AT(strcmp(bk_reason_name(bk_classify(&in)), c[i].want) == 0, i);
	}
}

T_TEST(test_phrases_ja)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "送信先のメールボックスが一杯のため、送信できませんでした。", "mailboxfull" },
		{ "", "RCPT", "550 宛先のメール アドレスが見つかりません", "userunknown" },
		{ "5.0.0", "RCPT", "送信先メールアドレスが見つかりませんでした。", "userunknown" },
		{ "5.0.0", "RCPT", "ユーザー Neko (kijitora@example.co.jp) は Domino ディレクトリには見つかりません。", "userunknown" },
		/* the same text with no command stated: the mailbox does not
		 * exist (docs/classifier.md); after DATA: a filter's answer */
		{ "5.0.0", "", "ユーザー Neko (kijitora@example.co.jp) は Domino ディレクトリには見つかりません。", "userunknown" },
		{ "5.0.0", "DATA", "ユーザー Neko (kijitora@example.co.jp) は Domino ディレクトリには見つかりません。", "filtered" },
		{ "5.0.0", "", "このメールアドレスは受信拒否設定により受信できません。", "filtered" },
		{ "5.0.0", "DATA", "迷惑メールと判定されたため配信できませんでした。", "spamdetected" },
		{ "", "", "メッセージのサイズが大きすぎるため配信できませんでした。", "mesgtoobig" },
		{ "4.0.0", "", "再送信を試みましたが送信先メールサーバの事由により送信できませんでした。", "expired" },
		{ "5.0.0", "", "送信先のドメインが存在しません。", "hostunknown" },
		{ "5.0.0", "", "このアカウントは停止されています。", "suspend" },
		/* au's notice names two reasons at once: none is taken */
		{ "5.0.0", "", "送信先メールアドレスが見つからないか、送信先メールサーバの事由により送信できませんでした。", "onhold" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_de)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "Das Postfach des Empfängers ist voll und kann zurzeit keine Nachrichten annehmen.", "mailboxfull" },
		{ "5.0.0", "", "550 Benutzer hat das Speichervolumen ueberschritten.", "mailboxfull" },
		{ "", "RCPT", "550 Benutzer unbekannt", "userunknown" },
		{ "5.0.0", "RCPT", "Die eingegebene E-Mail-Adresse wurde nicht gefunden.", "userunknown" },
		{ "5.0.0", "RCPT", "kijitora wurde bei example.com nicht gefunden.", "userunknown" },
		{ "5.7.1", "DATA", "550 5.7.1 Die Nachricht wurde als Spam eingestuft", "spamdetected" },
		{ "5.0.0", "", "Das Postfach wurde deaktiviert.", "suspend" },
		{ "", "CONN", "554 Ihre IP-Adresse ist auf einer Sperrliste eingetragen", "blocked" },
		{ "5.0.0", "", "Die Nachricht ist zu groß.", "mesgtoobig" },
		{ "5.0.0", "", "Die Domain existiert nicht.", "hostunknown" },
		{ "", "RCPT", "554 Relaying nicht erlaubt", "norelaying" },
		{ "5.0.0", "", "Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:", "onhold" },
		{ "5.0.0", "RCPT", "Benutzer neko (neko@example.de) nicht im Domino-Verzeichnis aufgeführt", "userunknown" },
		{ "5.0.0", "", "Benutzer neko (neko@example.de) nicht im Domino-Verzeichnis aufgeführt", "userunknown" },
		{ "5.0.0", "DATA", "Benutzer neko (neko@example.de) nicht im Domino-Verzeichnis aufgeführt", "filtered" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_fr)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages pour le moment.", "mailboxfull" },
		{ "", "RCPT", "550 Utilisateur inconnu", "userunknown" },
		{ "5.0.0", "RCPT", "L'adresse de messagerie que vous avez entrée est introuvable.", "userunknown" },
		{ "", "RCPT", "550 Cet utilisateur n’existe pas", "userunknown" },	/* U+2019 */
		{ "", "RCPT", "550 Cet utilisateur n'existe pas", "userunknown" },
		{ "5.0.0", "", "Le message est trop volumineux.", "mesgtoobig" },
		{ "5.0.0", "", "Destinataire inconnu ou boite aux lettres desactivee", "suspend" },
		{ "5.7.1", "DATA", "Message considéré comme du spam", "spamdetected" },
		{ "", "MAIL", "550 Relais refusé", "norelaying" },
		{ "5.0.0", "", "Le domaine n'existe pas", "hostunknown" },
		{ "5.0.0", "", "Échec de la remise pour ces destinataires ou groupes :", "onhold" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_es)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "El buzón del destinatario está lleno y no puede aceptar mensajes en este momento.", "mailboxfull" },
		{ "5.0.0", "", "552 Buzon lleno", "mailboxfull" },
		{ "", "RCPT", "550 El usuario no existe", "userunknown" },
		{ "5.7.1", "DATA", "554 5.7.1 Su mensaje fue rechazado por ser considerado como spam", "spamdetected" },
		{ "5.0.0", "", "Esta casilla ha expirado por falta de uso", "suspend" },
		{ "5.0.0", "", "El mensaje es demasiado grande", "mesgtoobig" },
		{ "4.0.0", "", "Tiempo de espera agotado", "expired" },
		{ "5.0.0", "", "El dominio no existe", "hostunknown" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_pt)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "552 Caixa postal cheia", "mailboxfull" },
		{ "5.0.0", "", "A caixa postal do destinatário está cheia.", "mailboxfull" },
		{ "", "RCPT", "550 Usuário inexistente", "userunknown" },
		{ "5.0.0", "RCPT", "O endereço de email que você inseriu não foi encontrado.", "userunknown" },
		{ "5.0.0", "", "Esta conta está desativada.", "suspend" },
		{ "5.0.0", "", "A conta de email do destinatário está desativada.", "suspend" },
		{ "5.0.0", "", "A mensagem é muito grande.", "mesgtoobig" },
		{ "5.0.0", "DATA", "Mensagem classificada como spam", "spamdetected" },
		{ "5.0.0", "", "O domínio não existe", "hostunknown" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_it)
{
	static const struct lang_case cases[] = {
		{ "5.0.0", "", "La casella è piena", "mailboxfull" },
		{ "5.0.0", "", "La cassetta postale del destinatario è piena.", "mailboxfull" },
		{ "", "RCPT", "550 Utente sconosciuto", "userunknown" },
		{ "5.0.0", "RCPT", "Non sono riuscito a trovare l’indirizzo e-mail che hai immesso.", "userunknown" },
		{ "", "RCPT", "554 Messaggio rifiutato dal sistema. Indirizzo destinatario sconosciuto o non abilitato alla ricezione di posta non certificata", "userunknown" },
		{ "", "CONN", "Indirizzo IP bloccato temporaneamente per sospetto abuso", "blocked" },
		{ "5.0.0", "", "Questo indirizzo e' bloccato per inutilizzo", "suspend" },
		{ "5.0.0", "", "Il messaggio è troppo grande", "mesgtoobig" },
		{ "5.7.1", "DATA", "Messaggio rilevato come spam", "spamdetected" },
		{ "5.0.0", "", "Il recapito non è riuscito per i seguenti destinatari o gruppi:", "onhold" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_ru)
{
	static const struct lang_case cases[] = {
		{ "", "RCPT", "550 Пользователь не найден", "userunknown" },
		{ "", "RCPT", "550 пользователь не найден", "userunknown" },
		{ "5.0.0", "", "Почтовый ящик получателя переполнен.", "mailboxfull" },
		{ "5.0.0", "", "Ящик переполнен", "mailboxfull" },
		{ "5.0.0", "", "Размер сообщения превышает допустимый.", "mesgtoobig" },
		{ "", "CONN", "554 Ваш IP-адрес заблокирован", "blocked" },
		{ "5.0.0", "", "Почтовый ящик заблокирован", "suspend" },
		{ "5.0.0", "", "Домен не существует", "hostunknown" },
		/* the openings of the Mail.Ru and Yandex notices say no reason */
		{ "5.0.0", "", "К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям: Рекомендуем Вам проверить корректность указания адресов получателей.", "onhold" },
		{ "5.0.0", "", "К сожалению, мы вынуждены сообщить Вам о том, что Ваше письмо не может быть отправлено одному или нескольким адресатам. Причины указаны ниже.", "onhold" },
	};
	run_cases(cases, BK_NELEM(cases));
}

T_TEST(test_phrases_zh)
{
	static const struct lang_case cases[] = {
		{ "", "RCPT", "550 用户不存在", "userunknown" },
		{ "", "RCPT", "550 用戶不存在", "userunknown" },
		{ "5.0.0", "", "收件人信箱已满", "mailboxfull" },
		{ "5.0.0", "", "郵箱已滿", "mailboxfull" },
		{ "5.0.0", "", "邮件过大", "mesgtoobig" },
		{ "", "CONN", "421 HL:REP 该IP发送行为异常，被临时禁止连接", "blocked" },
		{ "4.0.0", "DATA", "451 DT:SPM 邮件正文带有垃圾邮件特征", "spamdetected" },
		{ "5.0.0", "", "域名不存在", "hostunknown" },
		{ "5.0.0", "", "該帳號已停用", "suspend" },
	};
	run_cases(cases, BK_NELEM(cases));
}

/* No phrase of any table occurs in these: texts that say a message was not
 * delivered but not why, or English texts that must keep their own
 * reasons. */
T_TEST(test_phrases_lang_quiet)
{
	static const char *const quiet[] = {
		"次のあて先へのメッセージはエラーのため送信できませんでした。",
		"このメールと共に返信されているメールは一つ以上の宛先に対して配信できませんでした。",
		"メールサーバーとの通信中、下記の理由によりこのメールは送信できませんでした。以下のメールアドレスへの送信に失敗しました。",
		"Die Nachricht konnte nicht zugestellt werden.",
		"Votre message n'a pas pu être remis.",
		"Non è stato possibile recapitare il messaggio.",
		"Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.",
		"Delivery has failed to these recipients or groups:",
		"The email address you entered couldn't be found.",
	};
	for (size_t i = 0; i < BK_NELEM(quiet); i++)
		T_CHECK_AT(bk_phrases_match(bk_sv_c(quiet[i])) == 0, i);
}
