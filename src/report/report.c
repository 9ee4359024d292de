/*
 * Gathering the remediation report; see report.h and docs/REPORT.md.
 *
 * Seven reads, whatever the fleet's size: the hosts in scope, the open
 * findings counted by priority and age, every finding summed by
 * priority, the judged findings per group, per ring and in all, and the
 * first overdue findings. The report holds only counts, sums and three
 * bounded lists.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/ssvc.h"
#include "store/report_store.h"

const int report_priority_order[REPORT_PRIORITIES] = {
	SSVC_IMMEDIATE, SSVC_OUT_OF_CYCLE, SSVC_SCHEDULED, SSVC_DEFER, REPORT_UNRANKED,
};

const char *report_priority_name(int priority)
{
	if (priority < 0 || priority >= REPORT_UNRANKED)
		return "unranked";
	return ssvc_priority_name((enum ssvc_priority)priority);
}

const char *report_age_name(int bucket)
{
	static const char *const names[REPORT_AGES] = { "0-7", "8-30", "31-90", ">90" };

	return bucket >= 0 && bucket < REPORT_AGES ? names[bucket] : "?";
}

double report_mttr_days(const struct report_priority *p)
{
	return p->fixed ? (double)p->fixed_seconds / 86400.0 / (double)p->fixed : -1;
}

double report_exposure_days(const struct report_priority *p)
{
	return (double)p->exposure_seconds / 86400.0;
}

double report_share_ratio(const struct report_share *s)
{
	return s->eligible ? (double)s->within / (double)s->eligible : -1;
}

const char *report_days_text(double days, char *buf, size_t len)
{
	if (days < 0)
		return "-";
	snprintf(buf, len, "%.2f", days);
	return buf;
}

const char *report_share_text(const struct report_share *s, char *buf, size_t len)
{
	double q = report_share_ratio(s);

	if (q < 0)
		return "-";
	snprintf(buf, len, "%.1f%%", 100.0 * q);
	return buf;
}

void report_total(const struct report *r, struct report_priority *ret)
{
	struct report_priority t = { 0 };

	for (int i = 0; i < REPORT_PRIORITIES; i++) {
		const struct report_priority *p = &r->prio[i];

		t.open += p->open;
		t.overdue += p->overdue;
		for (int a = 0; a < REPORT_AGES; a++)
			t.ages[a] += p->ages[a];
		t.fixed += p->fixed;
		t.fixed_seconds += p->fixed_seconds;
		t.exposure_seconds += p->exposure_seconds;
	}
	*ret = t;
}

static struct report_priority *prio_of(struct report *r, int priority)
{
	return &r->prio[priority < 0 || priority >= REPORT_UNRANKED ? REPORT_UNRANKED : priority];
}

static int open_fn(const struct report_open_row *row, void *ctx, struct err *e)
{
	struct report *r = ctx;
	struct report_priority *p = prio_of(r, row->priority);

	(void)e;
	p->open += row->open;
	p->overdue += row->overdue;
	if (row->age >= 0 && row->age < REPORT_AGES)
		p->ages[row->age] += row->open;
	r->reissued += row->reissued;
	r->regressed += row->regressed;
	return 0;
}

static int closed_fn(const struct report_closed_row *row, void *ctx, struct err *e)
{
	struct report *r = ctx;
	struct report_priority *p = prio_of(r, row->priority);

	(void)e;
	p->fixed += row->fixed;
	p->fixed_seconds += row->fixed_seconds;
	p->exposure_seconds += row->exposure_seconds;
	r->withdrawn += row->withdrawn;
	return 0;
}

/* A list being filled: its array (capacity REPORT_SHARES_MAX) and count. */
struct share_list {
	struct report_share *items;
	size_t n;
	bool truncated;
};

static int share_fn(const struct report_share_row *row, void *ctx, struct err *e)
{
	struct share_list *l = ctx;
	struct report_share *sh;

	(void)e;
	if (l->n == REPORT_SHARES_MAX) {
		l->truncated = true;
		return 0;
	}
	sh = &l->items[l->n++];
	snprintf(sh->name, sizeof(sh->name), "%s", row->key ? row->key : REPORT_NO_GROUP);
	sh->eligible = row->eligible;
	sh->within = row->within;
	return 0;
}

static int load_shares(struct store *s, const struct report_scope *sc, enum report_by by,
		       struct report_share **ret, size_t *ret_n, bool *ret_truncated,
		       struct err *e)
{
	struct share_list l = { calloc(REPORT_SHARES_MAX, sizeof(*l.items)), 0, false };
	int rc;

	if (!l.items)
		return err_set(e, ERR_NOMEM, "out of memory gathering the report");
	/* One more than is kept, to tell that the list was cut. */
	rc = report_shares(s, sc, by, REPORT_SHARES_MAX + 1, share_fn, &l, e);
	if (rc) {
		free(l.items);
		return rc;
	}
	*ret = l.items;
	*ret_n = l.n;
	*ret_truncated = l.truncated;
	return 0;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

static int overdue_fn(const struct report_overdue_row *row, void *ctx, struct err *e)
{
	struct report *r = ctx;
	struct report_overdue *o;
	bool failed = false;

	if (r->noverdue == REPORT_OVERDUE_MAX)
		return 0;
	o = &r->overdue[r->noverdue++];
	o->host = dup_or_null(row->host, &failed);
	o->group = dup_or_null(row->group ? row->group : REPORT_NO_GROUP, &failed);
	o->ring = dup_or_null(row->ring, &failed);
	o->advisory = dup_or_null(row->advisory, &failed);
	o->package = dup_or_null(row->package, &failed);
	o->version = dup_or_null(row->version, &failed);
	o->fixed_version = dup_or_null(row->fixed_version, &failed);
	o->due = dup_or_null(row->due, &failed);
	o->first_seen = dup_or_null(row->first_seen, &failed);
	o->priority = row->priority;
	o->days_overdue = row->days_overdue;
	return failed ? err_set(e, ERR_NOMEM, "out of memory gathering the report") : 0;
}

static int load_counts(struct report *r, struct store *s, const struct report_scope *sc,
		       struct err *e)
{
	if (report_hosts(s, sc, &r->hosts, e))
		return ERR_DB;
	if (sc->group && !r->hosts)
		return err_set(e, ERR_INPUT, "--group '%s': no host is in this group", sc->group);
	if (report_open(s, sc, open_fn, r, e) || report_closed(s, sc, closed_fn, r, e))
		return ERR_DB;
	return 0;
}

/* The whole scope's share: one row, or none when nothing can be judged. */
static int load_all_share(struct report *r, struct store *s, const struct report_scope *sc,
			  struct err *e)
{
	struct report_share *all = NULL;
	size_t n = 0;
	bool cut;
	int rc = load_shares(s, sc, REPORT_BY_ALL, &all, &n, &cut, e);

	if (!rc && n)
		r->all = all[0];
	r->all.name[0] = '\0';
	free(all);
	return rc;
}

int report_load(struct report *r, struct store *s, const struct policy *p, const char *group,
		struct err *e)
{
	struct report_scope sc = { 0 };
	int rc;

	memset(r, 0, sizeof(*r));
	store_now(r->now);
	snprintf(r->today, sizeof(r->today), "%.10s", r->now);
	snprintf(r->group, sizeof(r->group), "%s", group ? group : "");
	snprintf(r->default_ring, sizeof(r->default_ring), "%s", p->default_ring);
	sc = (struct report_scope){ group, r->now, r->today, p->default_ring };
	r->overdue = calloc(REPORT_OVERDUE_MAX, sizeof(*r->overdue));
	if (!r->overdue)
		return err_set(e, ERR_NOMEM, "out of memory gathering the report");
	rc = report_read_begin(s, e);
	if (rc)
		goto out;
	rc = load_counts(r, s, &sc, e);
	if (!rc)
		rc = load_shares(s, &sc, REPORT_BY_GROUP, &r->groups, &r->ngroups, &r->groups_truncated, e);
	if (!rc)
		rc = load_shares(s, &sc, REPORT_BY_RING, &r->rings, &r->nrings, &r->rings_truncated, e);
	if (!rc)
		rc = load_all_share(r, s, &sc, e);
	if (!rc)
		rc = report_overdue(s, &sc, REPORT_OVERDUE_MAX, overdue_fn, r, e);
	report_read_end(s);
out:
	if (rc)
		report_release(r);
	return rc;
}

void report_release(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->overdue && i < r->noverdue; i++) {
		struct report_overdue *o = &r->overdue[i];

		free(o->host);
		free(o->group);
		free(o->ring);
		free(o->advisory);
		free(o->package);
		free(o->version);
		free(o->fixed_version);
		free(o->due);
		free(o->first_seen);
	}
	free(r->overdue);
	free(r->groups);
	free(r->rings);
	memset(r, 0, sizeof(*r));
}
