/*
 * The scheduler; see schedule.h. Greedy and deterministic: rings in
 * order, within a ring the most urgent host first, each in the earliest
 * slot that fits. A slot fits when the job lies inside one occurrence of
 * the host's windows (or anywhere, for an emergency), touches no blackout
 * of its group, and the group has fewer than max-unavailable jobs running
 * at any moment of it. Every failed check moves the candidate start
 * strictly later (past the blackout, or to the end of a running job), so
 * the search always ends.
 */
#include "plan/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"

/* The jobs placed so far in one group, to keep max-unavailable. */
struct group_jobs {
	const char *name;
	int limit;
	int64_t (*iv)[2];
	size_t n, cap;
};

struct state {
	const struct policy *p;
	int64_t horizon;
	struct group_jobs *groups;
	size_t ngroups;
};

/* The number of the group's jobs running during [t, end), and the
 * earliest end among them. */
static int overlapping(const struct group_jobs *g, int64_t t, int64_t end, int64_t *ret_free)
{
	int n = 0;

	*ret_free = INT64_MAX;
	for (size_t i = 0; i < g->n; i++) {
		if (g->iv[i][0] < end && g->iv[i][1] > t) {
			n++;
			if (g->iv[i][1] < *ret_free)
				*ret_free = g->iv[i][1];
		}
	}
	return n;
}

/* Moves *t to the earliest start in [*t, span_end - d] that fits; false
 * when there is none in this span. */
static bool fit(const struct state *st, const struct group_jobs *g, const char *group,
		int64_t span_end, int64_t d, int64_t *t)
{
	for (;;) {
		int64_t past;

		if (*t + d > span_end || *t > st->horizon)
			return false;
		if (policy_blackout_at(st->p, group, *t, *t + d, &past)) {
			*t = past;
			continue;
		}
		if (overlapping(g, *t, *t + d, &past) >= g->limit) {
			*t = past;
			continue;
		}
		return true;
	}
}

/* The earliest slot in the host's windows at or after `from`. */
static int place_in_windows(const struct state *st, struct group_jobs *g,
			    struct sched_host *h, int64_t from, int64_t d, struct err *e)
{
	int64_t cursor = from;

	/* A bound on the search: a year of weekly windows is 52 occurrences
	 * per window; far more than any horizon needs. */
	for (int i = 0; i < 100000; i++) {
		struct window_occ occ;
		int64_t t;
		int rc = window_next(h->windows, h->tz, cursor, &occ);

		if (rc)
			return err_prefix(e, rc, "host %s", h->name);
		if (occ.start > st->horizon)
			break;
		t = occ.start > cursor ? occ.start : cursor;
		if (fit(st, g, h->group, occ.end, d, &t)) {
			h->placed = true;
			h->start = t;
			h->end = t + d;
			return 0;
		}
		cursor = occ.end > cursor ? occ.end : cursor + 60;
	}
	snprintf(h->reason, sizeof(h->reason), "no free slot in its windows before the horizon");
	return 0;
}

static int place(struct state *st, struct group_jobs *g, struct sched_host *h, int64_t from,
		 struct err *e)
{
	int64_t d = (int64_t)(st->p->job_minutes + (h->reboot ? st->p->reboot_minutes : 0)) * 60;
	int64_t t = from;
	int rc = 0;

	if (h->expedite && st->p->emergency_window) {
		if (fit(st, g, h->group, INT64_MAX, d, &t)) {
			h->placed = h->emergency = true;
			h->start = t;
			h->end = t + d;
		} else {
			snprintf(h->reason, sizeof(h->reason), "no free slot before the horizon");
		}
	} else if (!h->windows) {
		snprintf(h->reason, sizeof(h->reason), "no maintenance window (hfx host set %s "
			 "window=...)", h->name);
	} else {
		rc = place_in_windows(st, g, h, from, d, e);
	}
	if (rc || !h->placed)
		return rc;
	if (g->n == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 16;
		int64_t (*iv)[2] = realloc(g->iv, ncap * sizeof(*iv));

		if (!iv)
			return err_set(e, ERR_NOMEM, "out of memory planning");
		g->iv = iv;
		g->cap = ncap;
	}
	g->iv[g->n][0] = h->start;
	g->iv[g->n++][1] = h->end;
	if (h->end > h->due) {
		char due[INSTANT_LEN + 1], start[INSTANT_LEN + 1];

		instant_format(h->due, due);
		instant_format(h->start, start);
		h->late = true;
		snprintf(h->reason, sizeof(h->reason), "due %s, the earliest slot starts %s", due,
			 start);
	}
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One entry per distinct group, with its limit. */
static int build_groups(struct state *st, const struct sched_host *hosts, size_t n,
			struct err *e)
{
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	size_t k = 0;

	if (!names)
		return err_set(e, ERR_NOMEM, "out of memory planning");
	for (size_t i = 0; i < n; i++)
		names[i] = hosts[i].group;
	qsort(names, n, sizeof(*names), str_cmp);
	st->groups = calloc(n ? n : 1, sizeof(*st->groups));
	if (!st->groups) {
		free(names);
		return err_set(e, ERR_NOMEM, "out of memory planning");
	}
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(st->groups[k - 1].name, names[i]))
			st->groups[k++].name = names[i];
	st->ngroups = k;
	free(names);
	for (size_t i = 0; i < n; i++) {
		struct group_jobs *g = bsearch(&hosts[i].group, st->groups, k, sizeof(*g), str_cmp);

		g->limit = policy_max_unavailable(st->p, g->name, hosts[i].group_size);
	}
	return 0;
}

struct order {
	const struct sched_host *h;
	size_t i;
};

static int order_cmp(const void *a, const void *b)
{
	const struct sched_host *x = ((const struct order *)a)->h, *y = ((const struct order *)b)->h;

	if (x->ring != y->ring)
		return x->ring < y->ring ? -1 : 1;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp(x->name, y->name);
}

int schedule(const struct policy *p, int64_t from, int64_t horizon, struct sched_host *hosts,
	     size_t n, struct err *e)
{
	struct state st = { .p = p, .horizon = horizon };
	struct order *ord = calloc(n ? n : 1, sizeof(*ord));
	int64_t ring_start = from, ring_end = from;
	int ring = -1, rc;

	if (!ord)
		return err_set(e, ERR_NOMEM, "out of memory planning");
	for (size_t i = 0; i < n; i++)
		ord[i] = (struct order){ &hosts[i], i };
	qsort(ord, n, sizeof(*ord), order_cmp);
	rc = build_groups(&st, hosts, n, e);
	for (size_t k = 0; !rc && k < n; k++) {
		struct sched_host *h = &hosts[ord[k].i];
		struct group_jobs *g = bsearch(&h->group, st.groups, st.ngroups, sizeof(*g), str_cmp);

		/* A ring starts after the previous rings' jobs end plus their soak. */
		for (; ring < h->ring; ring++) {
			if (ring >= 0 && ring_end > ring_start)
				ring_start = ring_end + (int64_t)policy_ring_settings(p,
						p->rings[ring]).soak_hours * 3600;
		}
		rc = place(&st, g, h, ring_start, e);
		if (!rc && h->placed && h->end > ring_end)
			ring_end = h->end;
	}
	for (size_t i = 0; i < st.ngroups; i++)
		free(st.groups[i].iv);
	free(st.groups);
	free(ord);
	return rc;
}
