/*
 * OSV range evaluation; see match.h. This is the one place where "is this
 * version affected?" is decided, for every ecosystem: the comparator is
 * the only thing that varies.
 */
#include "core/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_zero(const char *v)
{
	return v[0] == '0' && v[1] == '\0';
}

static version_cmp_fn range_cmp(const struct osv_range *r, version_cmp_fn cmp)
{
	return r->type == RANGE_SEMVER ? semver_cmp : cmp;
}

/* Compares an event version with v; "introduced: 0" is below everything. */
static int event_cmp(const struct osv_event *ev, version_cmp_fn cmp, const char *v, size_t n)
{
	if (ev->kind == EVENT_INTRODUCED && is_zero(ev->version))
		return -1;
	return cmp(ev->version, ev->len, v, n);
}

struct sort_item {
	struct osv_event ev;
	size_t pos;
};

static int item_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct sort_item *a = pa, *b = pb;
	version_cmp_fn cmp = *(version_cmp_fn *)ctx;
	bool az = a->ev.kind == EVENT_INTRODUCED && is_zero(a->ev.version);
	bool bz = b->ev.kind == EVENT_INTRODUCED && is_zero(b->ev.version);
	int r;

	if (az || bz)
		r = bz - az;
	else
		r = cmp(a->ev.version, a->ev.len, b->ev.version, b->ev.len);
	if (r)
		return r;
	return (a->pos > b->pos) - (a->pos < b->pos); /* stable */
}

static int range_sort(struct osv_range *r, version_cmp_fn cmp, struct err *e)
{
	struct sort_item *items;

	for (size_t i = 0; i < r->nevents; i++)
		r->events[i].len = strlen(r->events[i].version);
	if (r->nevents < 2)
		return 0;
	items = calloc(r->nevents, sizeof(*items));
	if (!items)
		return err_set(e, ERR_NOMEM, "out of memory sorting range events");
	for (size_t i = 0; i < r->nevents; i++)
		items[i] = (struct sort_item){ r->events[i], i };
	qsort_r(items, r->nevents, sizeof(*items), item_cmp, &cmp);
	for (size_t i = 0; i < r->nevents; i++)
		r->events[i] = items[i].ev;
	free(items);
	return 0;
}

int affected_sort(struct affected *af, version_cmp_fn cmp, struct err *e)
{
	for (size_t i = 0; i < af->nranges; i++) {
		struct osv_range *r = &af->ranges[i];
		int rc;

		if (r->type == RANGE_GIT) {
			for (size_t j = 0; j < r->nevents; j++)
				r->events[j].len = strlen(r->events[j].version);
			continue;
		}
		rc = range_sort(r, range_cmp(r, cmp), e);
		if (rc)
			return rc;
	}
	return 0;
}

static bool before_limits(const struct osv_range *r, version_cmp_fn cmp, const char *v, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < r->nevents; i++) {
		if (r->events[i].kind != EVENT_LIMIT)
			continue;
		any = true;
		if (event_cmp(&r->events[i], cmp, v, n) > 0)
			return true;
	}
	return !any;
}

/* The schema's walk over sorted events; fills the events that bound v. */
static bool range_match(const struct osv_range *r, version_cmp_fn cmp,
			const char *v, size_t n, struct match *m)
{
	bool affected = false;
	size_t opened = 0;

	for (size_t i = 0; i < r->nevents; i++) {
		const struct osv_event *ev = &r->events[i];
		int c = ev->kind == EVENT_LIMIT ? 0 : event_cmp(ev, cmp, v, n);

		if (ev->kind == EVENT_INTRODUCED && c <= 0) {
			affected = true;
			m->introduced = ev;
			opened = i;
		} else if (ev->kind == EVENT_FIXED && c <= 0) {
			affected = false;
		} else if (ev->kind == EVENT_LAST_AFFECTED && c < 0) {
			affected = false;
		}
	}
	if (!affected || !before_limits(r, cmp, v, n))
		return false;
	m->closing = NULL;
	m->fixed = NULL;
	for (size_t i = opened + 1; i < r->nevents; i++) {
		const struct osv_event *ev = &r->events[i];

		if (ev->kind == EVENT_FIXED || ev->kind == EVENT_LAST_AFFECTED) {
			m->closing = ev;
			if (ev->kind == EVENT_FIXED)
				m->fixed = ev->version;
			break;
		}
	}
	return true;
}

/* A version listed in `versions` with no range around it: the lowest
 * fixed event above it, in any range, is still the fix to install. */
static const char *lowest_fix_above(const struct affected *af, version_cmp_fn cmp,
				    const char *v, size_t n)
{
	const char *best = NULL;

	for (size_t i = 0; i < af->nranges; i++) {
		const struct osv_range *r = &af->ranges[i];
		version_cmp_fn rc = range_cmp(r, cmp);

		if (r->type == RANGE_GIT)
			continue;
		for (size_t j = 0; j < r->nevents; j++) {
			const char *fv = r->events[j].version;

			if (r->events[j].kind != EVENT_FIXED || rc(fv, strlen(fv), v, n) <= 0)
				continue;
			if (!best || rc(fv, strlen(fv), best, strlen(best)) < 0)
				best = fv;
		}
	}
	return best;
}

bool affected_match(const struct affected *af, version_cmp_fn cmp,
		    const char *v, size_t n, struct match *ret)
{
	struct match m = { 0 }, first = { 0 };
	bool found = false;

	/* Prefer a matching range that has a fix over one that has none. */
	for (size_t i = 0; i < af->nranges; i++) {
		const struct osv_range *r = &af->ranges[i];

		m = (struct match){ .range = i };
		if (r->type == RANGE_GIT || !range_match(r, range_cmp(r, cmp), v, n, &m))
			continue;
		if (m.fixed) {
			first = m;
			found = true;
			break;
		}
		if (!found)
			first = m;
		found = true;
	}
	if (!found) {
		for (size_t i = 0; i < af->nversions && !found; i++)
			found = cmp(af->versions[i], strlen(af->versions[i]), v, n) == 0;
		if (found)
			first = (struct match){ .range = MATCH_BY_VERSIONS,
						.fixed = lowest_fix_above(af, cmp, v, n) };
	}
	if (found && ret)
		*ret = first;
	return found;
}

void match_explain(const struct affected *af, const struct match *m,
		   const char *v, const char *comparator, char *buf, size_t len)
{
	size_t used;

	if (m->range == MATCH_BY_VERSIONS) {
		snprintf(buf, len, "%s is listed in affected versions (%s)%s%s", v,
			 comparator, m->fixed ? "; lowest fixed above: " : "; no fix",
			 m->fixed ? m->fixed : "");
		return;
	}
	used = (size_t)snprintf(buf, len, "range %zu (%s): %s >= introduced %s", m->range,
				osv_range_type_name(af->ranges[m->range].type), v,
				m->introduced ? m->introduced->version : "?");
	if (used >= len)
		return;
	if (!m->closing)
		snprintf(buf + used, len - used, ", no fixed or last_affected above it (%s)",
			 comparator);
	else if (m->closing->kind == EVENT_FIXED)
		snprintf(buf + used, len - used, ", %s < fixed %s (%s)", v,
			 m->closing->version, comparator);
	else
		snprintf(buf + used, len - used, ", %s <= last_affected %s (%s)", v,
			 m->closing->version, comparator);
}

/* True when a range of type t in af has a fixed event equal to v. */
static bool lists_fixed(const struct affected *af, enum osv_range_type t, version_cmp_fn cmp,
			const char *v)
{
	for (size_t i = 0; i < af->nranges; i++) {
		const struct osv_range *r = &af->ranges[i];

		for (size_t j = 0; r->type == t && j < r->nevents; j++)
			if (r->events[j].kind == EVENT_FIXED &&
			    !cmp(r->events[j].version, strlen(r->events[j].version), v, strlen(v)))
				return true;
	}
	return false;
}

/* The lowest fixed event above v in ranges of type t of af, or NULL. */
static const char *lowest_fixed_above(const struct affected *af, enum osv_range_type t,
				      version_cmp_fn cmp, const char *v)
{
	const char *best = NULL;

	for (size_t i = 0; i < af->nranges; i++) {
		const struct osv_range *r = &af->ranges[i];

		for (size_t j = 0; r->type == t && j < r->nevents; j++) {
			const char *f = r->events[j].version;

			if (r->events[j].kind == EVENT_FIXED &&
			    cmp(f, strlen(f), v, strlen(v)) > 0 &&
			    (!best || cmp(f, strlen(f), best, strlen(best)) < 0))
				best = f;
		}
	}
	return best;
}

int affected_raised_fixes(const struct affected *old, const struct affected *new_,
			  version_cmp_fn cmp, raised_fix_cb cb, void *ctx, struct err *e)
{
	for (size_t i = 0; i < old->nranges; i++) {
		const struct osv_range *r = &old->ranges[i];
		version_cmp_fn rc_cmp = range_cmp(r, cmp);

		if (r->type == RANGE_GIT)
			continue;
		for (size_t j = 0; j < r->nevents; j++) {
			const char *f = r->events[j].version, *to;
			int rc;

			if (r->events[j].kind != EVENT_FIXED || lists_fixed(new_, r->type, rc_cmp, f))
				continue;
			to = lowest_fixed_above(new_, r->type, rc_cmp, f);
			if (to && (rc = cb(f, to, ctx, e)))
				return rc;
		}
	}
	return 0;
}
