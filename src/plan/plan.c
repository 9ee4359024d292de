/*
 * Gathering a plan's upgrades and storing the schedule; see plan.h.
 * Memory: one entry per host with something to deploy, and its packages.
 */
#include "plan/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/tz.h"
#include "base/timefmt.h"
#include "core/ecosystem.h"
#include "core/reboot.h"
#include "core/window.h"
#include "decide/decide.h"
#include "plan/schedule.h"
#include "store/assess_store.h"
#include "store/plan_store.h"

/* One package upgrade of a host: the highest fixed version any of its
 * advisories needs (the later fix supersedes the earlier). */
struct upgrade {
	char *name, *arch, *from, *to, *source;
	char *advisories;   /* space-separated, each once */
};

struct host_plan {
	sqlite3_int64 id;
	char *name, *group, *ring, *ecosystem;
	struct window_set windows;
	bool has_windows;
	const struct tz *tz;
	int64_t due;         /* the earliest due date of its findings, as an instant */
	bool expedite;
	struct upgrade *ups;
	size_t nups, cap;
};

struct gather {
	struct store *s;
	const struct policy *p;
	const struct plan_opts *o;
	struct decide_view view;
	struct binary_reader bins;
	struct host_plan *hosts;   /* by host id; used when ups != NULL */
	size_t nhosts;
	/* time zones loaded once each */
	struct tz **zones;
	char **zone_names;
	size_t nzones;
	/* the finding being merged */
	const struct candidate_row *cur;
	struct host_plan *hp;
};

static char *dup(const char *s)
{
	return strdup(s ? s : "");
}

static int load_zone(struct gather *g, const char *name, const struct tz **ret, struct err *e)
{
	struct tz *z = NULL;
	struct tz **zs;
	char **ns;

	if (!*name)
		name = "UTC";
	for (size_t i = 0; i < g->nzones; i++)
		if (!strcmp(g->zone_names[i], name))
			return *ret = g->zones[i], 0;
	if (tz_load(name, &z, e))
		return ERR_INPUT;
	zs = realloc(g->zones, (g->nzones + 1) * sizeof(*zs));
	if (zs)
		g->zones = zs;
	ns = realloc(g->zone_names, (g->nzones + 1) * sizeof(*ns));
	if (ns)
		g->zone_names = ns;
	if (!zs || !ns || !(ns[g->nzones] = strdup(name))) {
		tz_free(z);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	zs[g->nzones++] = z;
	*ret = z;
	return 0;
}

static int load_host(const struct host_context_row *h, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct host_plan *hp;

	if (h->id <= 0 || (size_t)h->id >= g->nhosts)
		return 0;
	hp = &g->hosts[h->id];
	hp->id = h->id;
	hp->name = dup(h->name);
	hp->group = dup(h->group);
	hp->ring = dup(h->ring);
	hp->ecosystem = dup(h->ecosystem);
	hp->due = INT64_MAX;
	if (!hp->name || !hp->group || !hp->ring || !hp->ecosystem)
		return err_set(e, ERR_NOMEM, "out of memory");
	if (h->window[0]) {
		if (window_parse(h->window, strlen(h->window), &hp->windows, e))
			return err_prefix(e, ERR_INPUT, "host %s", h->name);
		hp->has_windows = true;
	}
	if (load_zone(g, h->tz, &hp->tz, e))
		return err_prefix(e, ERR_INPUT, "host %s", h->name);
	return 0;
}

/* Whether the finding's advisory is one --only names. */
static bool selected(const struct plan_opts *o, const struct candidate_row *r)
{
	if (!o->nonly)
		return true;
	for (size_t i = 0; i < o->nonly; i++) {
		size_t n = strlen(o->only[i]);

		if (!strcmp(o->only[i], r->advisory))
			return true;
		for (const char *a = r->aliases; (a = strstr(a, o->only[i])); a += n)
			if ((a == r->aliases || a[-1] == ' ') && (a[n] == ' ' || !a[n]))
				return true;
	}
	return false;
}

static int add_advisory(struct upgrade *u, const char *adv, struct err *e)
{
	size_t n = strlen(adv), have = strlen(u->advisories);
	char *grown;

	for (const char *a = u->advisories; (a = strstr(a, adv)); a += n)
		if ((a == u->advisories || a[-1] == ' ') && (a[n] == ' ' || !a[n]))
			return 0;
	grown = realloc(u->advisories, have + n + 2);
	if (!grown)
		return err_set(e, ERR_NOMEM, "out of memory");
	if (have)
		grown[have++] = ' ';
	memcpy(grown + have, adv, n + 1);
	u->advisories = grown;
	return 0;
}

/* Merges one binary package of the current finding into its host's list. */
static int merge_binary(const struct binary_row *b, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct host_plan *hp = g->hp;
	const struct ecosystem *eco = ecosystem_find(hp->ecosystem);
	const char *to = g->cur->fixed_version;
	struct upgrade *u = NULL;

	for (size_t i = 0; i < hp->nups; i++)
		if (!strcmp(hp->ups[i].name, b->name) && !strcmp(hp->ups[i].arch, b->arch))
			u = &hp->ups[i];
	if (!u) {
		if (hp->nups == hp->cap) {
			size_t ncap = hp->cap ? hp->cap * 2 : 8;
			struct upgrade *v = realloc(hp->ups, ncap * sizeof(*v));

			if (!v)
				return err_set(e, ERR_NOMEM, "out of memory");
			hp->ups = v;
			hp->cap = ncap;
		}
		u = &hp->ups[hp->nups++];
		*u = (struct upgrade){ dup(b->name), dup(b->arch), dup(b->version), dup(to),
				       dup(b->source), dup("") };
		if (!u->name || !u->arch || !u->from || !u->to || !u->source || !u->advisories)
			return err_set(e, ERR_NOMEM, "out of memory");
	} else if (eco && eco->cmp(to, strlen(to), u->to, strlen(u->to)) > 0) {
		char *t = dup(to);

		if (!t)
			return err_set(e, ERR_NOMEM, "out of memory");
		free(u->to);
		u->to = t;
	}
	return add_advisory(u, g->cur->advisory, e);
}

static int candidate(const struct candidate_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct host_plan *hp;
	struct decide_state st;
	int64_t day;

	if (r->host_id <= 0 || (size_t)r->host_id >= g->nhosts || !selected(g->o, r))
		return 0;
	decide_view_state(&g->view, r->host_id, r->advisory, r->aliases, r->priority, &st);
	if (!(st.status == DECIDE_AUTO ||
	      (st.status == DECIDE_STANDS && decide_action_deploys(st.rec->action))))
		return 0;
	hp = &g->hosts[r->host_id];
	if (!hp->name)
		return 0;
	if (st.status == DECIDE_STANDS && st.rec->action == DECIDE_EXPEDITE)
		hp->expedite = true;
	if (r->due && date_parse(r->due, &day) && (day + 1) * 86400 < hp->due)
		hp->due = (day + 1) * 86400; /* due by the end of that day, UTC */
	g->cur = r;
	g->hp = hp;
	return binary_reader_each(&g->bins, r->host_id, r->package, r->version, r->by_source,
				  merge_binary, g, e);
}

static bool host_reboots(const struct host_plan *hp)
{
	for (size_t i = 0; i < hp->nups; i++)
		if (package_needs_reboot(hp->ups[i].name))
			return true;
	return false;
}

/* Counts each group's hosts (all of them, not only those with a job). */
static long group_size(const struct gather *g, const char *group)
{
	long n = 0;

	for (size_t i = 1; i < g->nhosts; i++)
		n += g->hosts[i].name && !strcmp(g->hosts[i].group, group);
	return n;
}

static int store_job(struct plan_writer *w, const struct host_plan *hp,
		     const struct sched_host *sh, struct plan_summary *sum, struct err *e)
{
	char start[INSTANT_LEN + 1], end[INSTANT_LEN + 1], due[INSTANT_LEN + 1];
	struct job_new j = { hp->name, hp->ring[0] ? hp->ring : NULL, start, end, NULL, sh->ring,
			     sh->reboot, sh->emergency, sh->late };
	int rc;

	instant_format(sh->start, start);
	instant_format(sh->end, end);
	if (hp->due != INT64_MAX) {
		instant_format(hp->due, due);
		j.due = due;
	}
	rc = plan_writer_job(w, &j, e);
	for (size_t i = 0; !rc && i < hp->nups; i++) {
		const struct upgrade *u = &hp->ups[i];

		rc = plan_writer_package(w, u->name, u->arch, u->from, u->to, u->source,
					 u->advisories, package_rollback(hp->ecosystem), e);
		sum->packages++;
	}
	sum->jobs++;
	sum->reboots += sh->reboot;
	return rc;
}

static int store_exception(struct plan_writer *w, const struct host_plan *hp,
			   const struct sched_host *sh, struct plan_summary *sum, struct err *e)
{
	char earliest[INSTANT_LEN + 1], due[INSTANT_LEN + 1];

	if (sh->placed)
		instant_format(sh->start, earliest);
	if (hp->due != INT64_MAX)
		instant_format(hp->due, due);
	sum->exceptions++;
	sum->late += sh->late;
	return plan_writer_exception(w, hp->name, sh->reason, sh->placed ? earliest : NULL,
				     hp->due != INT64_MAX ? due : NULL, e);
}

static void release(struct gather *g)
{
	for (size_t i = 0; g->hosts && i < g->nhosts; i++) {
		struct host_plan *hp = &g->hosts[i];

		for (size_t k = 0; k < hp->nups; k++) {
			free(hp->ups[k].name);
			free(hp->ups[k].arch);
			free(hp->ups[k].from);
			free(hp->ups[k].to);
			free(hp->ups[k].source);
			free(hp->ups[k].advisories);
		}
		free(hp->ups);
		free(hp->name);
		free(hp->group);
		free(hp->ring);
		free(hp->ecosystem);
	}
	for (size_t i = 0; i < g->nzones; i++) {
		tz_free(g->zones[i]);
		free(g->zone_names[i]);
	}
	free(g->zones);
	free(g->zone_names);
	free(g->hosts);
	binary_reader_release(&g->bins);
	decide_view_release(&g->view);
}

static int gather(struct gather *g, struct err *e)
{
	sqlite3_int64 max_adv, max_host;
	int rc = assess_max_ids(g->s, &max_adv, &max_host, e);

	if (rc)
		return rc;
	g->nhosts = (size_t)max_host + 1;
	g->hosts = calloc(g->nhosts, sizeof(*g->hosts));
	if (!g->hosts)
		return err_set(e, ERR_NOMEM, "out of memory");
	rc = decide_view_load(&g->view, g->s, g->p, e);
	if (!rc)
		rc = binary_reader_init(&g->bins, g->s, e);
	if (!rc)
		rc = host_context_list(g->s, load_host, g, e);
	if (!rc)
		rc = plan_candidates(g->s, g->p->nrules == 0, candidate, g, e);
	return rc;
}

/* The hosts with upgrades, as the scheduler takes them; a host whose ring
 * the policy does not know is an exception right away (ring -1). */
static int to_schedule(struct gather *g, struct sched_host **ret, struct host_plan ***ret_hp,
		       size_t *ret_n, struct err *e)
{
	size_t n = 0;

	for (size_t i = 1; i < g->nhosts; i++)
		n += g->hosts[i].nups > 0;
	*ret = calloc(n ? n : 1, sizeof(**ret));
	*ret_hp = calloc(n ? n : 1, sizeof(**ret_hp));
	if (!*ret || !*ret_hp)
		return err_set(e, ERR_NOMEM, "out of memory");
	n = 0;
	for (size_t i = 1; i < g->nhosts; i++) {
		struct host_plan *hp = &g->hosts[i];

		if (!hp->nups)
			continue;
		(*ret_hp)[n] = hp;
		(*ret)[n++] = (struct sched_host){
			.name = hp->name, .group = hp->group,
			.ring = policy_ring_index(g->p, hp->ring),
			.group_size = group_size(g, hp->group),
			.windows = hp->has_windows ? &hp->windows : NULL, .tz = hp->tz,
			.due = hp->due, .expedite = hp->expedite, .reboot = host_reboots(hp),
		};
	}
	*ret_n = n;
	return 0;
}

static int audit_plan(struct store *s, const char *actor, const struct plan_summary *sum,
		      const char *start, struct err *e)
{
	char object[32];
	json_t *d = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "start", start, "jobs",
			      (json_int_t)sum->jobs, "packages", (json_int_t)sum->packages,
			      "reboots", (json_int_t)sum->reboots, "exceptions",
			      (json_int_t)sum->exceptions, "late", (json_int_t)sum->late);
	int rc;

	snprintf(object, sizeof(object), "plan:%lld", (long long)sum->id);
	rc = d ? audit_append(s, actor, "plan.create", object, d, e)
	       : err_set(e, ERR_NOMEM, "out of memory");
	json_decref(d);
	return rc;
}

/* Stores the plan: jobs of ringed hosts in order, then exceptions. */
static int persist(struct gather *g, struct sched_host *sh, struct host_plan **hps, size_t n,
		   const char *start, struct plan_summary *sum, struct err *e)
{
	struct plan_writer w;
	struct plan_new pn = { g->o->actor, start, NULL, NULL, g->o->horizon_days };
	char digest[65], only[1024] = "";
	size_t o = 0;
	int rc = policy_digest(g->p, digest, e);

	for (size_t i = 0; i < g->o->nonly && o < sizeof(only); i++)
		o += (size_t)snprintf(only + o, sizeof(only) - o, "%s%s", i ? " " : "",
				      g->o->only[i]);
	pn.only = g->o->nonly ? only : NULL;
	pn.policy_digest = digest;
	if (rc || (rc = plan_writer_begin(&w, g->s, &pn, e)))
		return rc;
	sum->id = w.plan_id;
	for (size_t i = 0; !rc && i < n; i++) {
		struct host_plan *hp = hps[i];

		/* The ring as planned: a host without one is in the default ring. */
		if (sh[i].ring >= 0 && strcmp(hp->ring, g->p->rings[sh[i].ring])) {
			char *ring = strdup(g->p->rings[sh[i].ring]);

			if (!ring)
				rc = err_set(e, ERR_NOMEM, "out of memory");
			free(hp->ring);
			hp->ring = ring;
		}
		if (!rc && sh[i].placed)
			rc = store_job(&w, hp, &sh[i], sum, e);
		if (!rc && (!sh[i].placed || sh[i].late))
			rc = store_exception(&w, hp, &sh[i], sum, e);
	}
	plan_writer_release(&w);
	sum->hosts = (long)n;
	return rc ? rc : audit_plan(g->s, g->o->actor, sum, start, e);
}

int plan_create(struct store *s, const struct policy *p, const struct plan_opts *o,
		struct plan_summary *ret, struct err *e)
{
	struct plan_opts opts = *o;
	struct gather g = { .s = s, .p = p, .o = &opts };
	struct plan_summary sum = { 0 };
	struct sched_host *sh = NULL, *ringed = NULL;
	struct host_plan **hps = NULL;
	size_t n = 0;
	char start[INSTANT_LEN + 1];
	int rc;

	if (!opts.horizon_days)
		opts.horizon_days = p->horizon_days;
	instant_format(o->from, start);
	rc = gather(&g, e);
	if (!rc)
		rc = to_schedule(&g, &sh, &hps, &n, e);
	/* Hosts in an unknown ring are not scheduled; schedule() sees the rest. */
	if (!rc && !(ringed = calloc(n ? n : 1, sizeof(*ringed))))
		rc = err_set(e, ERR_NOMEM, "out of memory");
	if (!rc) {
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (sh[i].ring >= 0)
				ringed[k++] = sh[i];
		rc = schedule(p, o->from, o->from + (int64_t)opts.horizon_days * 86400, ringed, k,
			      e);
		for (size_t i = 0, j = 0; !rc && i < n; i++) {
			if (sh[i].ring >= 0)
				sh[i] = ringed[j++];
			else
				snprintf(sh[i].reason, sizeof(sh[i].reason), "ring '%.64s' is not in the "
					 "policy's [rollout] rings", hps[i]->ring);
		}
	}
	if (!rc)
		rc = persist(&g, sh, hps, n, start, &sum, e);
	if (!rc)
		*ret = sum;
	free(ringed);
	free(sh);
	free(hps);
	release(&g);
	return rc;
}

int plan_approve(struct store *s, sqlite3_int64 id, const char *actor, struct err *e)
{
	char object[32];
	int rc = plan_set_approved(s, id, actor, e);

	snprintf(object, sizeof(object), "plan:%lld", (long long)id);
	return rc ? rc : audit_append(s, actor, "plan.approve", object, NULL, e);
}
