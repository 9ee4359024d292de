/*
 * The news: events built from the store's candidates (store/notify_store.h)
 * and the policy (min-priority, the rings' failure budgets), each with its
 * notify_sent key. See notify.h; the keys are listed in docs/NOTIFY.md.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "decide/decide.h"
#include "store/notify_store.h"

static const char *const kind_names[NOTIFY_NKINDS] = {
	[NOTIFY_NEW] = "new",           [NOTIFY_PRIORITY] = "priority",
	[NOTIFY_OVERDUE] = "overdue",   [NOTIFY_REISSUED] = "reissued",
	[NOTIFY_REGRESSED] = "regressed", [NOTIFY_DEPLOY] = "deploy",
	[NOTIFY_HALT] = "halt",
};

const char *notify_kind_name(enum notify_kind k)
{
	return (unsigned)k < NOTIFY_NKINDS ? kind_names[k] : "?";
}

void notify_digest_release(struct notify_digest *d)
{
	if (!d)
		return;
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

int notify_digest_add(struct notify_digest *d, const struct notify_event *ev, struct err *e)
{
	if (d->n >= NOTIFY_EVENTS_MAX) {
		d->truncated = true;
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct notify_event *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return err_set(e, ERR_NOMEM, "out of memory");
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *ev;
	if ((unsigned)ev->kind < NOTIFY_NKINDS)
		d->count[ev->kind]++;
	return 0;
}

/*
 * Copies src (NULL: "") into dst of size bytes: control characters become
 * blanks, so that no data can start a line or a header of its own, and a
 * cut falls on a UTF-8 character boundary.
 */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; src && src[n] && n + 1 < size; n++)
		dst[n] = (unsigned char)src[n] < ' ' || src[n] == 0x7f ? ' ' : src[n];
	if (src && src[n])
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--; /* src[n] continues a character: cut before its start */
	dst[n] = '\0';
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "web1,db1" (in no order) as "db1, web1", cut at a whole name. */
static int copy_hosts(char *dst, size_t size, const char *list, struct err *e)
{
	char *copy = strdup(list), **names = NULL;
	size_t n = 1, o = 0;

	for (const char *c = list; *c; c++)
		n += *c == ',';
	if (copy)
		names = calloc(n, sizeof(*names));
	if (!names) {
		free(copy);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	n = 0;
	for (char *c = copy, *next; c; c = next) {
		next = strchr(c, ',');
		if (next)
			*next++ = '\0';
		names[n++] = c;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	dst[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]) + (i ? 2 : 0);

		if (o + len >= size)
			break;
		o += (size_t)snprintf(dst + o, size - o, "%s%s", i ? ", " : "", names[i]);
	}
	copy_text(dst, size, dst);
	free(names);
	free(copy);
	return 0;
}

struct gather {
	const struct policy *p;
	struct store *s;
	struct decide_view view; /* which decision stands for a finding */
	struct notify_digest part[NOTIFY_NKINDS]; /* by kind, concatenated at the end */
	size_t total;
	bool truncated;
};

static int add(struct gather *g, const struct notify_event *ev, struct err *e)
{
	if (g->total >= NOTIFY_EVENTS_MAX) {
		g->truncated = true;
		return 0;
	}
	g->total++;
	return notify_digest_add(&g->part[ev->kind], ev, e);
}

static void event_init(struct notify_event *ev, enum notify_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->priority = ev->prev_priority = -1;
}

/* Below min-priority is not news yet; unranked is (nothing hides it). */
static bool wanted(const struct gather *g, int priority)
{
	return priority < 0 || priority >= g->p->notify.min_priority;
}

/* New: an advisory never announced. Priority: one announced whose highest
 * open priority is above the highest announced. */
static int advisory_cb(const struct notify_advisory_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct notify_event ev;
	bool raised = r->announced && r->priority > r->sent_priority;
	int rc;

	if ((r->announced && !raised) || !wanted(g, r->priority))
		return 0;
	event_init(&ev, raised ? NOTIFY_PRIORITY : NOTIFY_NEW);
	copy_text(ev.advisory, sizeof(ev.advisory), r->name);
	copy_text(ev.cve, sizeof(ev.cve), r->cve);
	copy_text(ev.summary, sizeof(ev.summary), r->summary);
	copy_text(ev.due, sizeof(ev.due), r->due);
	rc = copy_hosts(ev.host, sizeof(ev.host), r->hosts, e);
	if (rc)
		return rc;
	ev.priority = r->priority;
	ev.prev_priority = raised ? r->sent_priority : -1;
	ev.hosts = r->nhosts;
	ev.kev = r->kev;
	if (raised) {
		snprintf(ev.key, sizeof(ev.key), "priority:%s:%d", ev.advisory, r->priority);
	} else {
		snprintf(ev.key, sizeof(ev.key), "new:%s", ev.advisory);
		if (r->priority >= 0)
			snprintf(ev.key2, sizeof(ev.key2), "priority:%s:%d", ev.advisory,
				 r->priority);
	}
	return add(g, &ev, e);
}

static void finding_event(struct notify_event *ev, enum notify_kind kind,
			  const struct notify_finding_row *r)
{
	event_init(ev, kind);
	ev->finding = r->id;
	copy_text(ev->advisory, sizeof(ev->advisory), r->advisory);
	copy_text(ev->cve, sizeof(ev->cve), r->cve);
	copy_text(ev->host, sizeof(ev->host), r->host);
	copy_text(ev->package, sizeof(ev->package), r->package);
	copy_text(ev->due, sizeof(ev->due), r->due);
	copy_text(ev->reason, sizeof(ev->reason), r->reason);
	ev->priority = r->priority;
}

/* Overdue is not news where the committee decided not to deploy for now
 * (defer, accept-risk, not-affected, mitigated): that decision stands. */
static int overdue_cb(const struct notify_finding_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct decide_state st;
	struct notify_event ev;

	decide_view_state(&g->view, r->host_id, r->advisory, r->aliases ? r->aliases : "",
			  r->priority, &st);
	if (st.status == DECIDE_STANDS && !decide_action_deploys(st.rec->action))
		return 0;
	finding_event(&ev, NOTIFY_OVERDUE, r);
	snprintf(ev.key, sizeof(ev.key), "overdue:%lld", (long long)r->id);
	return add(ctx, &ev, e);
}

/* The key holds a digest of the reason: a finding that comes back again,
 * for another reason, is news again. */
static int reopened_cb(const struct notify_finding_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	const char *reason = r->reason ? r->reason : "";
	char digest[SHA256_HEX_LEN + 1];
	struct notify_event ev;
	bool sent = false;
	int rc;

	finding_event(&ev, strcmp(r->reopened, "reissued") ? NOTIFY_REGRESSED : NOTIFY_REISSUED,
		      r);
	sha256_hex(reason, strlen(reason), digest);
	snprintf(ev.key, sizeof(ev.key), "%s:%lld:%.12s", notify_kind_name(ev.kind),
		 (long long)r->id, digest);
	rc = notify_is_sent(g->s, ev.key, &sent, e);
	return rc || sent ? rc : add(g, &ev, e);
}

static int job_cb(const struct notify_job_row *r, void *ctx, struct err *e)
{
	struct notify_event ev;

	event_init(&ev, NOTIFY_DEPLOY);
	ev.job = r->id;
	ev.plan = r->plan_id;
	ev.wave = r->wave;
	copy_text(ev.host, sizeof(ev.host), r->host);
	copy_text(ev.ring, sizeof(ev.ring), r->ring);
	copy_text(ev.state, sizeof(ev.state), r->state);
	copy_text(ev.reason, sizeof(ev.reason), r->reason);
	snprintf(ev.key, sizeof(ev.key), "deploy:%lld:%s", (long long)r->id, ev.state);
	return add(ctx, &ev, e);
}

/* Halted: more failed jobs than the ring's max-failures (deploy/deploy.c
 * stops the plan there). */
static int wave_cb(const struct notify_wave_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct notify_event ev;
	int tolerated = policy_ring_settings(g->p, r->ring).max_failures;

	if (r->failed <= tolerated)
		return 0;
	event_init(&ev, NOTIFY_HALT);
	ev.plan = r->plan_id;
	ev.wave = r->wave;
	ev.failed = r->failed;
	ev.tolerated = tolerated;
	copy_text(ev.ring, sizeof(ev.ring), r->ring);
	snprintf(ev.key, sizeof(ev.key), "halt:%lld:%d", (long long)r->plan_id, r->wave);
	return add(g, &ev, e);
}

static int join_parts(struct gather *g, struct notify_digest *d, struct err *e)
{
	int rc = 0;

	for (size_t k = 0; k < NOTIFY_NKINDS && !rc; k++)
		for (size_t i = 0; i < g->part[k].n && !rc; i++)
			rc = notify_digest_add(d, &g->part[k].v[i], e);
	d->truncated = g->truncated;
	return rc;
}

int notify_gather(struct store *s, const struct policy *p, struct notify_digest *ret,
		  struct err *e)
{
	struct gather g = { .p = p, .s = s };
	struct notify_digest d = { 0 };
	char today[16];
	int rc;

	store_now(d.now);
	snprintf(today, sizeof(today), "%.10s", d.now);
	rc = decide_view_load(&g.view, s, p, e);
	if (!rc)
		rc = notify_advisories(s, advisory_cb, &g, e);
	if (!rc)
		rc = notify_overdue(s, today, p->notify.min_priority, overdue_cb, &g, e);
	if (!rc)
		rc = notify_reopened(s, p->notify.min_priority, reopened_cb, &g, e);
	if (!rc)
		rc = notify_failed_jobs(s, job_cb, &g, e);
	if (!rc)
		rc = notify_failed_waves(s, wave_cb, &g, e);
	if (!rc)
		rc = join_parts(&g, &d, e);
	decide_view_release(&g.view);
	for (size_t k = 0; k < NOTIFY_NKINDS; k++)
		notify_digest_release(&g.part[k]);
	if (rc) {
		notify_digest_release(&d);
		return rc;
	}
	*ret = d;
	return 0;
}
