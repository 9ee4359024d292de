/*
 * Which decision applies to a finding; see decide.h. The decisions (few)
 * and the hosts' scope attributes are loaded once, so that listing
 * millions of findings costs a binary search per advisory id and alias.
 */
#include "decide/decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/tz.h"
#include "core/window.h"
#include "store/assess_store.h"
#include "store/decision_store.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

struct load {
	struct decide_view *v;
	size_t cap;
};

static int load_decision(const struct decision_row *d, void *ctx, struct err *e)
{
	struct load *l = ctx;
	struct decide_view *v = l->v;
	struct decide_rec *r;
	struct err ignored;

	if (v->nrecs == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		struct decide_rec *g = realloc(v->recs, ncap * sizeof(*g));

		if (!g)
			return err_set(e, ERR_NOMEM, "out of memory loading decisions");
		v->recs = g;
		l->cap = ncap;
	}
	r = &v->recs[v->nrecs];
	*r = (struct decide_rec){ .id = d->id, .active = !strcmp(d->state, "active"),
				  .required = d->required, .approvals = d->approvals };
	if (decide_action_parse(d->action) < 0 || decide_scope_parse(d->scope, &r->scope, &ignored))
		return 0; /* not written by this hfx: ignored rather than misread */
	r->action = (enum decide_action)decide_action_parse(d->action);
	r->next_window = d->until && !strcmp(d->until, DECIDE_NEXT_WINDOW);
	r->has_until = !r->next_window && d->until && date_parse(d->until, &r->until);
	{
		struct instant t;

		r->decided = rfc3339_parse(d->decided_at, &t) ? t.sec : 0;
	}
	r->subject = dup_or_empty(d->subject);
	r->decided_by = dup_or_empty(d->decided_by);
	r->decided_at = dup_or_empty(d->decided_at);
	r->reason = dup_or_empty(d->reason);
	r->justification = dup_or_empty(d->justification);
	v->nrecs++;
	if (!r->subject || !r->decided_by || !r->decided_at || !r->reason || !r->justification)
		return err_set(e, ERR_NOMEM, "out of memory loading decisions");
	return 0;
}

static int load_host(const struct host_context_row *h, void *ctx, struct err *e)
{
	struct decide_view *v = ctx;
	struct decide_hostctx *c;

	if (h->id <= 0 || (size_t)h->id >= v->nhosts)
		return 0;
	c = &v->hosts[h->id];
	c->name = strdup(h->name);
	c->group = strdup(h->group);
	c->ring = strdup(h->ring);
	c->tags = strdup(h->tags);
	c->window = strdup(h->window);
	c->tz = strdup(h->tz);
	c->next_after = INT64_MIN;
	if (!c->name || !c->group || !c->ring || !c->tags || !c->window || !c->tz)
		return err_set(e, ERR_NOMEM, "out of memory loading hosts");
	return 0;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct decide_rec *x = a, *y = b;
	int c = strcmp(x->subject, y->subject);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

int decide_view_load(struct decide_view *v, struct store *s, const struct policy *p,
		     struct err *e)
{
	struct load l = { v, 0 };
	sqlite3_int64 max_adv, max_host;
	char now[32];
	int rc;

	struct instant t;

	*v = (struct decide_view){ .p = p };
	store_now(now);
	if (!date_parse(now, &v->today))
		v->today = 0;
	v->now = rfc3339_parse(now, &t) ? t.sec : 0;
	rc = assess_max_ids(s, &max_adv, &max_host, e);
	if (rc)
		return rc;
	v->nhosts = (size_t)max_host + 1;
	v->hosts = calloc(v->nhosts, sizeof(*v->hosts));
	if (!v->hosts)
		return err_set(e, ERR_NOMEM, "out of memory loading hosts");
	rc = decision_list(s, false, load_decision, &l, e);
	if (!rc)
		rc = host_context_list(s, load_host, v, e);
	if (rc)
		decide_view_release(v);
	else if (v->nrecs)
		qsort(v->recs, v->nrecs, sizeof(*v->recs), rec_cmp);
	return rc;
}

void decide_view_release(struct decide_view *v)
{
	for (size_t i = 0; i < v->nrecs; i++) {
		free((char *)v->recs[i].subject);
		free((char *)v->recs[i].decided_by);
		free((char *)v->recs[i].decided_at);
		free((char *)v->recs[i].reason);
		free((char *)v->recs[i].justification);
	}
	for (size_t i = 0; v->hosts && i < v->nhosts; i++) {
		free((char *)v->hosts[i].name);
		free((char *)v->hosts[i].group);
		free((char *)v->hosts[i].ring);
		free((char *)v->hosts[i].tags);
		free((char *)v->hosts[i].window);
		free((char *)v->hosts[i].tz);
	}
	free(v->recs);
	free(v->hosts);
	*v = (struct decide_view){ 0 };
}

/* strcmp of a with s[0..len) (not terminated). */
static int subject_cmp(const char *a, const char *s, size_t len)
{
	int c = strncmp(a, s, len);

	return c ? c : a[len] != '\0';
}

/* The first decision on subject[0..len), or NULL. */
static const struct decide_rec *first_on(const struct decide_view *v, const char *subject,
					 size_t len)
{
	size_t lo = 0, hi = v->nrecs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (subject_cmp(v->recs[mid].subject, subject, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nrecs && !subject_cmp(v->recs[lo].subject, subject, len) ?
	       &v->recs[lo] : NULL;
}

/*
 * The start of the host's first window after `after`: INT64_MAX when it
 * has none (or its window or zone cannot be read: a defer then lasts
 * until revoked, the safe side). Cached per host for the last `after`.
 */
static int64_t next_window_start(struct decide_hostctx *c, int64_t after)
{
	struct window_set ws;
	struct window_occ occ;
	struct tz *z = NULL;
	struct err e;

	if (c->next_after == after)
		return c->next_start;
	c->next_after = after;
	c->next_start = INT64_MAX;
	if (!c->window || !c->window[0] || window_parse(c->window, strlen(c->window), &ws, &e) ||
	    tz_load(c->tz && c->tz[0] ? c->tz : "UTC", &z, &e))
		return c->next_start;
	/* The next window that starts after the decision, not one running then. */
	while (!window_next(&ws, z, after, &occ) && occ.start <= after)
		after = occ.end;
	if (occ.start > after)
		c->next_start = occ.start;
	tz_free(z);
	return c->next_start;
}

/* The best candidates so far, by the precedence of core/decision.h. */
struct pick {
	const struct decide_rec *stands, *pending, *expired;
};

static bool better(const struct decide_rec *a, const struct decide_rec *b)
{
	return !b || a->scope.kind > b->scope.kind ||
	       (a->scope.kind == b->scope.kind && a->id > b->id);
}

static void consider(const struct decide_view *v, struct decide_hostctx *c,
		     const struct decide_host *h, const char *subject, size_t len, struct pick *p)
{
	const struct decide_rec *r = first_on(v, subject, len);
	const struct decide_rec *end = v->recs + v->nrecs;

	for (; r && r < end && !subject_cmp(r->subject, subject, len); r++) {
		if (!decide_scope_covers(&r->scope, h))
			continue;
		if (!r->active) {
			if (better(r, p->pending))
				p->pending = r;
		} else if ((r->has_until && r->until < v->today) ||
			   (r->next_window && next_window_start(c, r->decided) <= v->now)) {
			if (better(r, p->expired))
				p->expired = r;
		} else if (better(r, p->stands)) {
			p->stands = r;
		}
	}
}

void decide_view_state(struct decide_view *v, sqlite3_int64 host_id,
		       const char *advisory, const char *aliases, int priority,
		       struct decide_state *ret)
{
	struct decide_hostctx none = { "", "", "", "", "", "", INT64_MIN, INT64_MAX };
	struct decide_hostctx *c = host_id > 0 && (size_t)host_id < v->nhosts &&
				   v->hosts[host_id].name ? &v->hosts[host_id] : &none;
	struct decide_host h = { c->name, c->group, c->tags };
	struct pick p = { 0 };

	*ret = (struct decide_state){ DECIDE_NONE, NULL, NULL };
	if (v->nrecs) {
		consider(v, c, &h, advisory, strlen(advisory), &p);
		for (const char *a = aliases; a && *a;) {
			size_t len = strcspn(a, " ");

			consider(v, c, &h, a, len, &p);
			a += len + (a[len] == ' ');
		}
	}
	if (p.stands)
		*ret = (struct decide_state){ DECIDE_STANDS, p.stands, NULL };
	else if (p.pending)
		*ret = (struct decide_state){ DECIDE_PENDING, p.pending, NULL };
	else if (p.expired)
		*ret = (struct decide_state){ DECIDE_EXPIRED, p.expired, NULL };
	else if (priority >= 0 && (ret->rule = policy_auto_approve(v->p,
			(enum ssvc_priority)priority, c->ring, c->group)))
		ret->status = DECIDE_AUTO;
}

bool decide_state_queued(const struct decide_state *st)
{
	return st->status != DECIDE_STANDS && st->status != DECIDE_AUTO;
}

void decide_state_text(const struct decide_state *st, char *buf, size_t len)
{
	const struct decide_rec *r = st->rec;
	char until[16] = "";

	if (r && r->has_until)
		date_format(r->until, until);
	else if (r && r->next_window)
		snprintf(until, sizeof(until), "%s", "next window");
	switch (st->status) {
	case DECIDE_NONE:
		snprintf(buf, len, "%s", "");
		break;
	case DECIDE_STANDS:
		snprintf(buf, len, "%s%s%s by %s", decide_action_name(r->action),
			 until[0] ? " until " : "", until, r->decided_by);
		break;
	case DECIDE_PENDING:
		snprintf(buf, len, "pending %s (%ld of %d approvers)", decide_action_name(r->action),
			 r->approvals, r->required);
		break;
	case DECIDE_EXPIRED:
		snprintf(buf, len, "expired %s (until %s)", decide_action_name(r->action), until);
		break;
	case DECIDE_AUTO:
		snprintf(buf, len, "auto-approve (rule %s)", st->rule->name);
		break;
	}
}
