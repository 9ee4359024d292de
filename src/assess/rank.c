/* Ranking findings; see rank.h. */
#include "assess/rank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/timefmt.h"

static int load_threat(const struct threat_row *row, void *ctx, struct err *e)
{
	struct ranker *r = ctx;
	struct assess_threat *t;

	(void)e;
	if (row->advisory_id < 0 || (size_t)row->advisory_id >= r->nthreats)
		return 0; /* stored after the tables were sized: none in this run */
	t = &r->threats[row->advisory_id];
	t->automatable = row->automatable;
	t->kev = row->kev_cve && row->kev_due && date_parse(row->kev_due, &t->kev_due);
	t->has_epss = row->epss_cve != NULL;
	t->epss = row->epss;
	return 0;
}

static int load_host(const struct host_context_row *h, void *ctx, struct err *e)
{
	struct ranker *r = ctx;
	struct rank_host *rh;
	enum ssvc_exposure x;
	enum ssvc_impact i;

	(void)e;
	if (h->id < 0 || (size_t)h->id >= r->nhosts)
		return 0;
	rh = &r->hosts[h->id];
	rh->exposure = policy_exposure_parse(h->exposure, &x) ? -1 : (int)x;
	rh->impact = policy_impact_parse(h->criticality, &i) ? -1 : (int)i;
	snprintf(rh->group, sizeof(rh->group), "%.63s", h->group);
	return 0;
}

static void today_of(int64_t *ret)
{
	char now[32];

	store_now(now);
	if (!date_parse(now, ret))
		*ret = 0;
}

static int ranks_current(struct store *s, const struct policy *p, char digest[65], bool *ret,
			 struct err *e)
{
	char stored[65];
	int rc = policy_digest(p, digest, e);

	if (!rc)
		rc = setting_get(s, RANK_DIGEST_SETTING, stored, sizeof(stored), e);
	if (!rc)
		*ret = !strcmp(digest, stored);
	return rc;
}

int ranker_init(struct ranker *r, struct store *s, const struct policy *p, const char *actor,
		struct err *e)
{
	sqlite3_int64 max_adv, max_host;
	bool current = false;
	int rc;

	*r = (struct ranker){ .s = s, .p = p, .actor = actor };
	today_of(&r->today);
	rc = ranks_current(s, p, r->digest, &current, e);
	if (!rc)
		rc = assess_max_ids(s, &max_adv, &max_host, e);
	if (rc)
		return rc;
	r->stale = !current;
	r->nthreats = (size_t)max_adv + 1;
	r->nhosts = (size_t)max_host + 1;
	r->threats = calloc(r->nthreats, sizeof(*r->threats));
	r->hosts = calloc(r->nhosts, sizeof(*r->hosts));
	if (!r->threats || !r->hosts) {
		ranker_release(r);
		return err_set(e, ERR_NOMEM, "out of memory ranking findings");
	}
	for (size_t i = 0; i < r->nthreats; i++)
		r->threats[i].automatable = -1;
	for (size_t i = 0; i < r->nhosts; i++)
		r->hosts[i] = (struct rank_host){ .exposure = -1, .impact = -1 };
	rc = threat_list(s, 0, load_threat, r, e);
	if (!rc)
		rc = host_context_list(s, load_host, r, e);
	if (!rc)
		rc = rank_store_init(&r->rs, s, e);
	if (rc)
		ranker_release(r);
	return rc;
}

void ranker_release(struct ranker *r)
{
	free(r->threats);
	free(r->hosts);
	rank_store_release(&r->rs);
	r->threats = NULL;
	r->hosts = NULL;
}

static const struct assess_threat no_threat = { .automatable = -1 };
static const struct rank_host no_host = { .exposure = -1, .impact = -1 };

static const struct assess_threat *threat_of(const struct ranker *r, sqlite3_int64 id)
{
	return id >= 0 && (size_t)id < r->nthreats ? &r->threats[id] : &no_threat;
}

static const struct rank_host *host_of(const struct ranker *r, sqlite3_int64 id)
{
	return id >= 0 && (size_t)id < r->nhosts ? &r->hosts[id] : &no_host;
}

void ranker_inputs(const struct ranker *r, sqlite3_int64 host_id, sqlite3_int64 advisory_id,
		   struct assess_inputs *ret)
{
	const struct rank_host *h = host_of(r, host_id);
	struct assess_host ah = { h->exposure, h->impact, h->group };

	assess_inputs(r->p, threat_of(r, advisory_id), &ah, ret);
}

static enum ssvc_priority priority_of(const struct assess_inputs *in)
{
	return ssvc_deployer(in->exploitation, in->exposure, in->automatable, in->impact);
}

void ranker_rank_new(const struct ranker *r, sqlite3_int64 host_id,
		     sqlite3_int64 advisory_id, struct assess_rank *ret)
{
	struct assess_inputs in;

	ranker_inputs(r, host_id, advisory_id, &in);
	assess_deadline(r->p, host_of(r, host_id)->group, priority_of(&in), r->today, NULL,
			r->today, threat_of(r, advisory_id), ret);
}

/* A finding whose rank changed, written after the read is done. */
struct rerank {
	sqlite3_int64 id;
	struct assess_rank rank;
};

struct refresh {
	struct ranker *r;
	struct rerank *v;
	size_t n, cap;
};

static int rerank_row(const struct rank_row *row, void *ctx, struct err *e)
{
	struct refresh *f = ctx;
	struct ranker *r = f->r;
	struct assess_rank prev, now;
	struct assess_inputs in;
	int64_t first_seen;
	bool has_prev;

	if (!date_parse(row->first_seen, &first_seen))
		first_seen = r->today;
	has_prev = row->priority >= SSVC_DEFER && row->priority <= SSVC_IMMEDIATE && row->due &&
		   row->since && date_parse(row->due, &prev.due) &&
		   date_parse(row->since, &prev.since);
	prev.priority = (enum ssvc_priority)row->priority;
	ranker_inputs(r, row->host_id, row->advisory_id, &in);
	assess_deadline(r->p, host_of(r, row->host_id)->group, priority_of(&in), first_seen,
			has_prev ? &prev : NULL, r->today,
			threat_of(r, row->advisory_id), &now);
	if (has_prev && now.priority == prev.priority && now.due == prev.due &&
	    now.since == prev.since)
		return 0;
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 64;
		struct rerank *v = realloc(f->v, ncap * sizeof(*v));

		if (!v)
			return err_set(e, ERR_NOMEM, "out of memory ranking findings");
		f->v = v;
		f->cap = ncap;
	}
	f->v[f->n++] = (struct rerank){ row->id, now };
	return 0;
}

static int refresh_host(struct refresh *f, sqlite3_int64 host_id, struct err *e)
{
	int rc;

	f->n = 0;
	rc = rank_store_host(&f->r->rs, host_id, rerank_row, f, e);
	for (size_t i = 0; !rc && i < f->n; i++) {
		char due[DATE_LEN + 1], since[DATE_LEN + 1];

		date_format(f->v[i].rank.due, due);
		date_format(f->v[i].rank.since, since);
		rc = rank_store_put(&f->r->rs, f->v[i].id, (int)f->v[i].rank.priority, due, since,
				    e);
	}
	f->r->changed += (long)f->n;
	return rc;
}

#define AUDITED_POLICY_SETTING "policy_audited"

/* Records the policy in the audit log when it is not the one recorded
 * last: the file changed outside hfx, so the person whose command first
 * ranks with it is named as noticing it. */
static int note_policy(struct ranker *r, struct err *e)
{
	char audited[65];
	json_t *d = NULL;
	struct buf text;
	int rc = setting_get(r->s, AUDITED_POLICY_SETTING, audited, sizeof(audited), e);

	if (rc || !strcmp(audited, r->digest))
		return rc;
	buf_init(&text, 1u << 20);
	rc = policy_canonical(r->p, &text, e);
	if (!rc && !(d = json_pack("{s:s, s:s%}", "digest", r->digest, "policy", text.data,
				   text.len)))
		rc = err_set(e, ERR_NOMEM, "out of memory");
	if (!rc)
		rc = audit_append(r->s, r->actor, "policy.change", "policy", d, e);
	if (!rc)
		rc = setting_put(r->s, AUDITED_POLICY_SETTING, r->digest, e);
	json_decref(d);
	buf_release(&text);
	return rc;
}

int ranker_refresh(struct ranker *r, sqlite3_int64 host_id, struct err *e)
{
	struct refresh f = { .r = r };
	int rc = 0;

	if (host_id > 0) {
		rc = refresh_host(&f, host_id, e);
	} else {
		for (size_t i = 1; !rc && i < r->nhosts; i++)
			rc = refresh_host(&f, (sqlite3_int64)i, e);
		if (!rc)
			rc = setting_put(r->s, RANK_DIGEST_SETTING, r->digest, e);
		if (!rc)
			rc = note_policy(r, e);
		if (!rc)
			r->stale = false;
	}
	free(f.v);
	return rc;
}

int assess_ranks_current(struct store *s, const struct policy *p, bool *ret, struct err *e)
{
	char digest[65];

	return ranks_current(s, p, digest, ret, e);
}

int assess_refresh(struct store *s, const struct policy *p, const char *actor,
		   enum assess_mode mode, long *ret_changed, struct err *e)
{
	struct ranker r;
	char digest[65];
	bool current = false;
	int rc = 0;

	if (ret_changed)
		*ret_changed = 0;
	if (mode == ASSESS_IF_STALE)
		rc = ranks_current(s, p, digest, &current, e);
	if (rc || current)
		return rc;
	rc = ranker_init(&r, s, p, actor, e);
	if (rc)
		return rc;
	rc = ranker_refresh(&r, 0, e);
	if (!rc && ret_changed)
		*ret_changed = r.changed;
	ranker_release(&r);
	return rc;
}

int assess_refresh_host(struct store *s, const struct policy *p, const char *actor,
			sqlite3_int64 host_id, long *ret_changed, struct err *e)
{
	struct ranker r;
	int rc = ranker_init(&r, s, p, actor, e);

	if (rc)
		return rc;
	rc = ranker_refresh(&r, r.stale ? 0 : host_id, e);
	if (!rc && ret_changed)
		*ret_changed = r.changed;
	ranker_release(&r);
	return rc;
}
