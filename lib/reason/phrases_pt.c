/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_pt.c - Portuguese phrases per reason: Brazilian and Portuguese
 * providers' SMTP replies and notices, localised Exchange NDRs (pt-BR,
 * pt-PT).
 *
 * Sources (wording only; a tag after a row names its source):
 *   [netbit]  Netbit Internet, "Problemas comuns no envio"
 *             (https://netbit.com.br/suporte/kb_E-mail_Problemas-comuns-no-envio.php):
 *             "... a caixa postal do destinatário está cheia";
 *   [ms]      Exchange pt-BR / pt-PT wording ("caixa de correio" for
 *             mailbox); the NDR sentences are from memory, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain Portuguese wording of the reason as Brazilian
 *             providers (UOL, Terra, Locaweb, ...) and Portuguese ones word
 *             it ("utilizador" in Portugal, "usuário" in Brazil); no sample
 *             at hand.
 *
 * Accents are often dropped ("usuario", "dominio"): forms that occur both
 * ways have a row each.  Spanish rows of the same spelling (phrases_es.c,
 * "usuario inexistente", "lista negra") mean the same reason.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "endereço ip", "bloquead"),	/* [-] "bloqueado", "bloqueada" */
	BK_PH(BLOCKED, "ip bloqueado"),	/* [-] */
	BK_PH(BLOCKED, "lista negra"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "tempo limite esgotado"),	/* [-] */
	BK_PH(EXPIRED, "prazo de entrega", "expirou"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "domínio não existe"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domínio inexistente"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domínio não encontrado"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "caixa postal cheia"),	/* [starter] */
	BK_PH(MAILBOXFULL, "caixa de correio cheia"),	/* [starter] */
	BK_PH(MAILBOXFULL, "caixa postal", " está cheia"),	/* [netbit] */
	BK_PH(MAILBOXFULL, "caixa de correio", " está cheia"),	/* [ms] */
	BK_PH(MAILBOXFULL, "caixa de entrada", " cheia"),	/* [-] */
	BK_PH(MAILBOXFULL, "cota excedida"),	/* [-] */
	BK_PH(MAILBOXFULL, "excedeu a cota"),	/* [-] */
	BK_PH(MAILBOXFULL, "limite de armazenamento"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "mensagem é muito grande"),	/* [ms] */
	BK_PH(MESGTOOBIG, "mensagem muito grande"),	/* [-] */
	BK_PH(MESGTOOBIG, "tamanho da mensagem excede"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "relay não permitido"),	/* [-] */
	BK_PH(NORELAYING, "relay negado"),	/* [-] */
	BK_PH(NORELAYING, "retransmissão não permitida"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "violação de política"),	/* [-] */
	BK_PH(POLICYVIOLATION, "por motivos de política"),	/* [-] */

	/* ---- rejected (the envelope sender) ---- */
	BK_PH(REJECTED, "remetente rejeitado"),	/* [-] */
	BK_PH(REJECTED, "remetente inválido"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "considerada spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "considerada como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "identificada como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "detectada como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "classificada como spam"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "conta desativada"),	/* [-] */
	BK_PH(SUSPEND, "conta está desativada"),	/* [-] */
	BK_PH(SUSPEND, "conta", " está desativada"),	/* [-] "A conta de email do destinatário está desativada" */
	BK_PH(SUSPEND, "conta suspensa"),	/* [-] */
	BK_PH(SUSPEND, "conta inativa"),	/* [-] */
	BK_PH(SUSPEND, "caixa postal desativada"),	/* [-] */
	BK_PH(SUSPEND, "usuário inativo"),	/* [-] */
	BK_PH(SUSPEND, "usuario inativo"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "erro interno"),	/* [-] */
	BK_PH(SYSTEMERROR, "erro de sistema"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "usuário desconhecido"),	/* [starter] */
	BK_PH(USERUNKNOWN, "usuario desconhecido"),	/* [-] */
	BK_PH(USERUNKNOWN, "utilizador desconhecido"),	/* [starter] */
	BK_PH(USERUNKNOWN, "usuário inexistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "utilizador inexistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "usuário não existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "usuario nao existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinatário desconhecido"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinatário inexistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "conta não existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "caixa postal não existe"),	/* [-] */
	/* "O endereço de email que você inseriu não foi encontrado." */
	BK_PH(USERUNKNOWN, "endereço de email", "não foi encontrado"),	/* [ms] */
	BK_PH(USERUNKNOWN, "endereço de e-mail", "não foi encontrado"),	/* [ms] */
};

const struct bk_phrase_table bk_phrases_pt = { "pt", rows, BK_NELEM(rows) };
