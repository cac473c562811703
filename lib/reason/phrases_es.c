/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_es.c - Spanish phrases per reason: localised Exchange NDRs
 * (es-ES), Spanish and Latin American providers' SMTP replies.
 *
 * Sources (wording only; a tag after a row names its source):
 *   [bh]      PHP-Bounce-Handler, bounce_responses.php (cfortune), its
 *             Spanish rows "Esta casilla ha expirado por falta de uso"
 *             (a mailbox closed for lack of use) and "El usuario esta en
 *             estado: inactivo";
 *   [sisimai] Spanish strings Sisimai keeps in its English lists ("no existe
 *             dicha persona", "no existe ese usuario "; they stay in
 *             phrases_en.c too);
 *   [ms]      Exchange es-ES wording: Microsoft's Spanish documentation of
 *             the MailboxFull mail tip says "Indica si el buzón del
 *             destinatario está lleno", the term its NDRs use; the NDR
 *             sentences themselves are from memory, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain Spanish wording of the reason; no sample at hand.
 *
 * Accents are often dropped by older servers ("buzon", "direccion"): the
 * forms that occur both ways have a row each.  No row starts with an
 * accented capital.  "ha expirado" is not an expired row: the [bh] text
 * uses it for a closed mailbox.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "dirección ip", "bloquead"),	/* [-] "bloqueada", "bloqueado" */
	BK_PH(BLOCKED, "direccion ip", "bloquead"),	/* [-] */
	BK_PH(BLOCKED, "lista negra"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "tiempo de espera agotado"),	/* [-] */
	BK_PH(EXPIRED, "plazo de entrega", "vencido"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "dominio no existe"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "dominio inexistente"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "dominio desconocido"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "buzón lleno"),	/* [starter] */
	BK_PH(MAILBOXFULL, "buzon lleno"),	/* [starter] */
	BK_PH(MAILBOXFULL, "buzón del destinatario está lleno"),	/* [ms] */
	BK_PH(MAILBOXFULL, "buzón está lleno"),	/* [-] */
	BK_PH(MAILBOXFULL, "buzon esta lleno"),	/* [-] */
	BK_PH(MAILBOXFULL, "casilla llena"),	/* [-] Argentina, Chile: "casilla" */
	BK_PH(MAILBOXFULL, "casilla de correo llena"),	/* [-] */
	BK_PH(MAILBOXFULL, "casilla está llena"),	/* [-] */
	BK_PH(MAILBOXFULL, "cuota excedida"),	/* [-] */
	BK_PH(MAILBOXFULL, "excedido su cuota"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "mensaje es demasiado grande"),	/* [ms] */
	BK_PH(MESGTOOBIG, "mensaje demasiado grande"),	/* [-] */
	BK_PH(MESGTOOBIG, "tamaño del mensaje excede"),	/* [-] */
	BK_PH(MESGTOOBIG, "tamaño del mensaje supera"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "no se permite la retransmisión"),	/* [-] */
	BK_PH(NORELAYING, "retransmisión denegada"),	/* [-] */
	BK_PH(NORELAYING, "relay denegado"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "infringe la directiva"),	/* [-] */
	BK_PH(POLICYVIOLATION, "por motivos de política"),	/* [-] */
	BK_PH(POLICYVIOLATION, "por razones de política"),	/* [-] */

	/* ---- rejected (the envelope sender) ---- */
	BK_PH(REJECTED, "remitente rechazado"),	/* [-] */
	BK_PH(REJECTED, "remitente no válido"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "considerado como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "considerado spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "detectado como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "identificado como spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "correo no deseado"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "casilla ha expirado por falta de uso"),	/* [bh] */
	BK_PH(SUSPEND, "usuario esta en estado: inactivo"),	/* [bh] */
	BK_PH(SUSPEND, "cuenta desactivada"),	/* [-] */
	BK_PH(SUSPEND, "cuenta suspendida"),	/* [-] */
	BK_PH(SUSPEND, "cuenta inactiva"),	/* [-] */
	BK_PH(SUSPEND, "buzón desactivado"),	/* [-] */
	BK_PH(SUSPEND, "buzon desactivado"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "error interno del servidor"),	/* [-] */
	BK_PH(SYSTEMERROR, "error del sistema"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "usuario desconocido"),	/* [starter] */
	BK_PH(USERUNKNOWN, "no existe dicha persona"),	/* [starter] [sisimai] */
	BK_PH(USERUNKNOWN, "no existe ese usuario"),	/* [sisimai] */
	BK_PH(USERUNKNOWN, "usuario no existe"),	/* [-] also "el usuario no existe" */
	BK_PH(USERUNKNOWN, "usuario inexistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinatario desconocido"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinatario no existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "cuenta no existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "buzón no existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "buzon no existe"),	/* [-] */
	BK_PH(USERUNKNOWN, "no se encontró la dirección de correo"),	/* [ms] */
	BK_PH(USERUNKNOWN, "no se ha encontrado la dirección de correo"),	/* [ms] */
	BK_PH(USERUNKNOWN, "dirección de correo electrónico no existe"),	/* [-] */
};

const struct bk_phrase_table bk_phrases_es = { "es", rows, BK_NELEM(rows) };
