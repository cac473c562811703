/* SPDX-License-Identifier: BSD-2-Clause */
/* delivery.c - the deliveries a bounce lists (delivery.h): recipients,
 * their diagnostic text, and the RFC 3464 reader that fills them from
 * delivery-status fields. */
#include "delivery.h"

#include "bouncekit/bouncekit.h"

struct bk_dlv *
bk_rcpt_find(struct bk_dctx *dc, struct bk_sv addr)
{
	for (size_t i = 0; i < dc->n; i++)
		if (bk_sv_ieq(dc->v[i].recipient, addr))
			return &dc->v[i];
	return NULL;
}

struct bk_dlv *
bk_rcpt_add(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv addr = bk_addr_find(dc->arena, text);
	if (!addr.p)
		return NULL;
	if (dc->n >= dc->max) {
		*dc->m->warn |= BK_W_RECIPIENTS;
		return NULL;
	}
	if (!bk_arena_grow(dc->arena, (void **)&dc->v, &dc->cap, dc->n + 1,
			   sizeof(*dc->v)))
		return NULL;
	struct bk_dlv *d = &dc->v[dc->n++];
	memset(d, 0, sizeof(*d));
	d->recipient = addr;
	return d;
}

/* Appending to the text that the last join made, still as it was left
 * (same holder, same view), writes after it in its buffer; any other view
 * of that buffer ends before, so none sees the change.  Otherwise the text
 * is copied into a buffer of twice the size. */
void
bk_text_join(struct bk_dctx *dc, struct bk_sv *acc, struct bk_sv text)
{
	text = bk_sv_trim(text);
	if (text.n == 0)
		return;
	if (acc->n == 0) {
		*acc = text;
		return;
	}
	size_t need = acc->n + 1 + text.n;
	char *buf;
	if (acc == dc->join.acc && acc->p == dc->join.p &&
	    acc->n == dc->join.n && need < dc->join.cap) {
		buf = (char *)(uintptr_t)acc->p;
	} else {
		size_t cap = need < 64 ? 128 : need * 2;
		if (!(buf = bk_arena_alloc(dc->arena, cap)))
			return;
		memcpy(buf, acc->p, acc->n);
		dc->join.acc = acc;
		dc->join.p = buf;
		dc->join.cap = cap;
	}
	buf[acc->n] = ' ';
	memcpy(buf + acc->n + 1, text.p, text.n);
	buf[need] = '\0';
	*acc = bk_sv_make(buf, need);
	dc->join.n = need;
}

void
bk_dlv_diag_add(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv text)
{
	bk_text_join(dc, &d->diag, text);
}

size_t
bk_rcpt_add_list(struct bk_dctx *dc, struct bk_sv list)
{
	struct bk_sv item;
	size_t n = dc->n;
	while (list.p) {
		list = bk_sv_cut(list, ',', &item);
		bk_rcpt_add(dc, item);
	}
	return dc->n - n;
}

struct bk_sv
bk_dctx_keep(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv v = bk_arena_sv(dc->arena, text);
	return v.p ? v : bk_sv_make("", 0);
}

void
bk_dctx_fill(struct bk_dctx *dc, size_t off, struct bk_sv v)
{
	if (v.n == 0)
		return;
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_sv *f = (struct bk_sv *)((char *)&dc->v[i] + off);
		if (f->n == 0)
			*f = v;
	}
}

/* The per-message fields of a DSN, applied to every recipient it lists. */
struct permsg {
	struct bk_sv lhost, date, rfrom;
};

bool
bk_dlv_set_field(struct bk_dlv *d, enum bk_dsn_field f, struct bk_sv v)
{
	switch (f) {
	case BK_DF_ACTION:
		d->action = v;
		return true;
	case BK_DF_STATUS:
		d->status = v;
		return true;
	case BK_DF_REMOTE_MTA:
		d->rhost = v;
		return true;
	case BK_DF_LAST_ATTEMPT_DATE:
		d->date = v;
		d->datekind = BK_DATE_LAST_ATTEMPT;
		return true;
	default:
		return false;
	}
}

static void
dsn_per_recipient(struct bk_dctx *dc, struct bk_dlv *d, enum bk_dsn_field f,
		  struct bk_sv type, struct bk_sv v)
{
	if (bk_dlv_set_field(d, f, v))
		return;
	switch (f) {
	case BK_DF_DIAGNOSTIC_CODE:
		if (type.n)
			d->spec = type;
		bk_dlv_diag_add(dc, d, v);
		break;
	case BK_DF_X_ACTUAL_RECIPIENT:
		/* "|IFS=' ' && exec procmail ...": a program, not an alias */
		if (bk_sv_findc(v, ' ') >= 0)
			break;
		/* fall through */
	case BK_DF_ORIGINAL_RECIPIENT: {
		struct bk_sv a = bk_addr_find(dc->arena, v);
		if (a.p && !bk_sv_ieq(a, d->recipient))
			d->alias = a;
		break;
	}
	default:
		break;
	}
}

/* Per-recipient fields met before their group's Final-Recipient (RFC 3464
 * fixes no order inside a group) wait in a scratch delivery; they go to
 * the Final-Recipient that follows, or, at the end of the group, to the
 * recipient before them.  Fields already set are kept. */
static void
held_flush(struct bk_dlv *to, struct bk_dlv *held)
{
#define KEEP(f) if (to && !to->f.n) to->f = held->f
	KEEP(action); KEEP(status); KEEP(rhost); KEEP(diag);
	KEEP(spec); KEEP(date); KEEP(alias);
#undef KEEP
	memset(held, 0, sizeof(*held));
}

/* The end of a group: fields held for a Final-Recipient that never came
 * belong to the group's Original-Recipient when there is one (some MTAs
 * write no Final-Recipient), else to the recipient before them. */
static struct bk_dlv *
group_end(struct bk_dctx *dc, struct bk_dlv *d, struct bk_dlv *held,
	  struct bk_sv *orig)
{
	if (orig->p && (held->action.n || held->status.n || held->diag.n)) {
		struct bk_dlv *nd = bk_rcpt_add(dc, *orig);
		*orig = BK_SV_NULL;
		if (nd) {
			held_flush(nd, held);
			return nd;
		}
	}
	held_flush(d, held);
	return d;
}

size_t
bk_dsn_read(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv rest = text, line, type, v;
	struct permsg pm = { BK_SV_NULL, BK_SV_NULL, BK_SV_NULL };
	struct bk_dlv *d = NULL, held;
	struct bk_sv pending_orig = BK_SV_NULL;
	size_t first = dc->n;
	enum bk_dsn_field last = BK_DF_NONE;
	bool open = false;	/* a recipient group is open (no blank line) */

	memset(&held, 0, sizeof(held));
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_dlv *to = open ? d : &held;
		if (line.n && (line.p[0] == ' ' || line.p[0] == '\t')) {
			/* a continuation of the previous field */
			if (last == BK_DF_DIAGNOSTIC_CODE && to)
				bk_dlv_diag_add(dc, to, line);
			continue;
		}
		if (last == BK_DF_DIAGNOSTIC_CODE && to && bk_line_is_reply(line)) {
			/* "550-..." lines of a multi-line reply, not indented */
			bk_dlv_diag_add(dc, to, line);
			continue;
		}
		if (bk_sv_trim(line).n == 0) {
			d = group_end(dc, d, &held, &pending_orig);
			open = false;
			last = BK_DF_NONE;
			continue;
		}
		enum bk_dsn_field f = bk_dsn_field(line, &type, &v);
		last = f;
		switch (f) {
		case BK_DF_NONE:
			continue;
		case BK_DF_REPORTING_MTA:
			pm.lhost = v;
			continue;
		case BK_DF_RECEIVED_FROM_MTA:
			pm.rfrom = v;
			continue;
		case BK_DF_ARRIVAL_DATE:
			pm.date = v;
			continue;
		case BK_DF_ORIGINAL_RECIPIENT:
			/* RFC 3464 2.3: it precedes the Final-Recipient it
			 * belongs to; some MTAs put it after */
			if (d && open && !d->alias.n)
				dsn_per_recipient(dc, d, f, type, v);
			else
				pending_orig = v;
			continue;
		case BK_DF_FINAL_RECIPIENT: {
			struct bk_dlv *nd = bk_rcpt_add(dc, v);
			if (!nd && pending_orig.p && !bk_addr_find(dc->arena, v).p) {
				/* "x400; /S=kijitora/...": the Original-Recipient
				 * before it names the recipient */
				nd = bk_rcpt_add(dc, pending_orig);
				pending_orig = BK_SV_NULL;
			}
			/* a Final-Recipient that names no address ("***@***",
			 * masked) opens no group: its fields wait for the
			 * Original-Recipient that may follow */
			open = nd != NULL;
			d = nd;
			held_flush(nd, &held);
			if (nd && pending_orig.p)
				dsn_per_recipient(dc, d, BK_DF_ORIGINAL_RECIPIENT,
						  BK_SV_NULL, pending_orig);
			pending_orig = BK_SV_NULL;
			continue;
		}
		default:
			if (to)
				dsn_per_recipient(dc, to, f, type, v);
		}
	}
	group_end(dc, d, &held, &pending_orig);
	/* an Original-Recipient without a Final-Recipient stands for one */
	if (dc->n == first && pending_orig.p)
		bk_rcpt_add(dc, pending_orig);
	for (size_t i = first; i < dc->n; i++) {
		struct bk_dlv *x = &dc->v[i];
		if (!x->lhost.n)
			x->lhost = pm.lhost;
		if (!x->date.n) {
			x->date = pm.date;
			x->datekind = BK_DATE_ARRIVAL;
		} else {
			x->arrival = pm.date;	/* when the other is garbage */
		}
	}
	return dc->n - first;
}

static bool
merge_field(struct bk_dlv *d, enum bk_dsn_field f, struct bk_sv type,
	    struct bk_sv v)
{
	if (bk_dlv_set_field(d, f, v))
		return false;
	switch (f) {
	case BK_DF_DIAGNOSTIC_CODE:
		if (!d->spec.n)
			d->spec = type;
		if (d->diag.n || !v.n)
			break;
		d->diag = v;
		return true;
	default:
		break;
	}
	return false;
}

static struct bk_dlv *
merge_target(struct bk_dctx *dc, struct bk_sv v, size_t k)
{
	struct bk_sv a = bk_addr_find(dc->arena, v);
	struct bk_dlv *at = k < dc->n ? &dc->v[k] : NULL;
	/* the groups usually come in the order of the text: look there
	 * first, so that a long report stays linear */
	if (!a.p || (at && bk_sv_ieq(at->recipient, a)))
		return at;
	struct bk_dlv *d = bk_rcpt_find(dc, a);
	return d ? d : at;
}

size_t
bk_dsn_merge(struct bk_dctx *dc, struct bk_sv dsn)
{
	struct bk_sv rest = dsn, line, type, v;
	struct bk_dlv *d = NULL;
	size_t k = 0, merged = 0;
	bool took = false;	/* d's diagnostic is being read from here */

	while (bk_sv_next_line(&rest, &line)) {
		if (line.n && (line.p[0] == ' ' || line.p[0] == '\t')) {
			if (took)
				bk_text_span(&d->diag, bk_sv_trim(line));
			continue;
		}
		enum bk_dsn_field f = bk_dsn_field(line, &type, &v);
		took = false;
		if (f == BK_DF_FINAL_RECIPIENT) {
			d = merge_target(dc, v, k++);
			merged += d != NULL;
		} else if (d) {
			took = merge_field(d, f, type, v);
		}
	}
	return merged;
}
