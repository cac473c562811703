/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_ja.c - Japanese phrases per reason, as Japanese MTAs, mobile
 * carriers and localised Exchange/Domino servers write them.
 *
 * Sources (wording only; a tag after a row names its source):
 *   [ezweb]   au/EZweb notices in the Sisimai set-of-emails (BSD-2-Clause),
 *             /work/shared/corpus/sisimai/maildir/bsd/lhost-ezweb-02,-03,-05
 *             ("送信先メールアドレスが見つかりませんでした。", "再送信を試みまし
 *             たが送信先メールサーバの事由により送信できませんでした。");
 *   [kddi]    au one net notice, same corpus, lhost-kddi-01 ("送信先のメール
 *             ボックスが一杯のため、送信できませんでした。");
 *   [domino]  IBM Domino, Sisimai lib/Sisimai/Lhost/Domino.pm and corpus
 *             lhost-domino-02 ("... は Domino ディレクトリには見つかりません。");
 *   [notes]   Lotus Notes, Sisimai lib/Sisimai/Lhost/Notes.pm
 *             ("ディレクトリのリストにありません");
 *   [ms]      Microsoft Exchange / Exchange Online ja-JP NDRs, as their
 *             localisation words them ("メール アドレス", "電子メール アドレス"
 *             with a space); from memory of such NDRs, no sample at hand;
 *   [starter] the rows this table started with;
 *   [-]       the plain Japanese wording of the reason as Japanese MTA
 *             templates and provider notices phrase it; no sample at hand.
 * Not rows on purpose: the openings every notice has ("次のあて先へのメッセー
 * ジはエラーのため送信できませんでした", OCN's "一つ以上の宛先に対して配信でき
 * ませんでした", m-FILTER's "以下のメールアドレスへの送信に失敗しました") and
 * au's "送信先メールアドレスが見つからないか、送信先メールサーバの事由により"
 * which names two reasons at once (lhost-ezweb-04, -07, -08).
 *
 * Japanese has no case; full-width text is matched as it is.  A notice
 * wrapped by its MTA can break a phrase with a space: rows are short.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "ブラックリストに登録されて"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "再送信を試みましたが"),	/* [ezweb] -05 */
	BK_PH(EXPIRED, "配送期限切れ"),	/* [-] */
	BK_PH(EXPIRED, "配信期限切れ"),	/* [-] */

	/* ---- filtered (carriers' domain filtering, "受信拒否設定") ---- */
	BK_PH(FILTERED, "受信拒否"),	/* [-] */
	BK_PH(FILTERED, "指定受信"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "ドメインが存在しません"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "ドメインが見つかりません"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "ドメイン名が見つかりません"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "存在しないドメイン"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "メールボックスが一杯"),	/* [kddi] */
	BK_PH(MAILBOXFULL, "メールボックスがいっぱい"),	/* [starter] [ms] */
	BK_PH(MAILBOXFULL, "メールボックスが満杯"),	/* [-] */
	BK_PH(MAILBOXFULL, "メールボックスの容量を超え"),	/* [-] */
	BK_PH(MAILBOXFULL, "容量超過"),	/* [starter] */
	BK_PH(MAILBOXFULL, "容量オーバー"),	/* [starter] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "サイズが大きすぎ"),	/* [-] "メッセージのサイズが大きすぎ..." */
	BK_PH(MESGTOOBIG, "メッセージが大きすぎ"),	/* [-] */
	BK_PH(MESGTOOBIG, "メールが大きすぎ"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "中継を拒否"),	/* [-] */
	BK_PH(NORELAYING, "中継は許可されていません"),	/* [-] */
	BK_PH(NORELAYING, "リレーを拒否"),	/* [-] */
	BK_PH(NORELAYING, "リレーは許可されていません"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "ポリシー違反"),	/* [-] */
	BK_PH(POLICYVIOLATION, "ポリシーにより"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "迷惑メールと判定"),	/* [-] */
	BK_PH(SPAMDETECTED, "スパムと判定"),	/* [-] */
	BK_PH(SPAMDETECTED, "スパムメールと判定"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "アカウントが停止"),	/* [-] */
	BK_PH(SUSPEND, "アカウントは停止"),	/* [-] */
	BK_PH(SUSPEND, "アカウントが無効"),	/* [-] */
	BK_PH(SUSPEND, "利用停止中"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "システムエラー"),	/* [-] */
	BK_PH(SYSTEMERROR, "内部エラー"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "送信先メールアドレスが見つかりませんでした"),	/* [ezweb] */
	BK_PH(USERUNKNOWN, "メールアドレスが見つかりません"),	/* [ms] Exchange Online */
	BK_PH(USERUNKNOWN, "メール アドレスが見つかりません"),	/* [ms] also "電子メール アドレス" */
	BK_PH(USERUNKNOWN, "domino ディレクトリには見つかりません"),	/* [domino] */
	BK_PH(USERUNKNOWN, "ディレクトリのリストにありません"),	/* [notes] */
	BK_PH(USERUNKNOWN, "ユーザが存在しません"),	/* [starter] */
	BK_PH(USERUNKNOWN, "ユーザーが存在しません"),	/* [starter] */
	BK_PH(USERUNKNOWN, "アカウントが存在しません"),	/* [-] */
	BK_PH(USERUNKNOWN, "受信者が存在しません"),	/* [-] */
	BK_PH(USERUNKNOWN, "宛先不明"),	/* [starter] */
	BK_PH(USERUNKNOWN, "存在しないアドレス"),	/* [starter] */
	BK_PH(USERUNKNOWN, "存在しないメールアドレス"),	/* [-] */
};

const struct bk_phrase_table bk_phrases_ja = { "ja", rows, BK_NELEM(rows) };
