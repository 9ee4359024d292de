/*
 * Scanning hosts; see scan.h. The main thread lists the hosts, skips those
 * whose inputs did not change, and applies each scanned host's changes on
 * the writing connection, in host order, in one transaction. Worker
 * threads, each with its own read-only connection, compute the hosts'
 * matches and changes ahead of it (scan/host_match.c), at most a window of
 * hosts ahead, so memory stays bounded whatever the fleet's size.
 *
 * The workers read what was committed before the scan began: the main
 * thread only writes findings of hosts that the workers are done with.
 */
#include "scan/scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess/rank.h"
#include "audit/audit.h"
#include "base/timefmt.h"
#include "scan/host_match.h"
#include "scan/index.h"
#include "scan/reopen.h"
#include "store/advisory_store.h"
#include "store/finding_store.h"
#include "store/host_store.h"

#define SCAN_KEY_VERSION "1" /* bump when matching rules change */
#define MAX_WORKERS 8
#define SLOTS_PER_WORKER 4

struct slot {
	struct host_job job;
	int rc;
	struct err e;
	bool ready;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store *s;
	struct host *todo;            /* hosts to match, in order */
	const struct scan_index **idx; /* the index of each */
	size_t ntodo, next, applied;
	struct slot *slots;
	size_t nslots;
	bool stop;
};

struct run {
	struct store *s;
	const struct scan_opts *o;
	struct host *hosts;
	size_t nhosts, hosts_cap;
	bool *skip;
	struct scan_index **indexes;
	size_t nindexes;
	struct scan_totals t;
	char now[32];
	sqlite3_int64 generation;
	struct ranker rank;  /* loaded for the first new finding, or stale ranks */
	bool rank_loaded;
	json_t *deltas;      /* host -> [new, resolved], for the audit log */
	struct reopen reopen; /* telling comebacks from first-time findings */
};

/* Claims the next host within the window, or returns false when done. */
static bool claim(struct pool *p, size_t *ret)
{
	bool ok;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->ntodo && p->next >= p->applied + p->nslots)
		pthread_cond_wait(&p->cv, &p->mu);
	ok = !p->stop && p->next < p->ntodo;
	if (ok)
		*ret = p->next++;
	pthread_mutex_unlock(&p->mu);
	return ok;
}

static void publish(struct pool *p, struct slot *sl, int rc)
{
	pthread_mutex_lock(&p->mu);
	sl->rc = rc;
	sl->ready = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct finding_reader fr = { 0 };
	struct store *rd = NULL;
	struct err e = { "" };
	size_t i;
	int rc = store_open_reader(p->s, &rd, &e);

	if (!rc)
		rc = finding_reader_init(&fr, rd, &e);
	while (claim(p, &i)) {
		struct slot *sl = &p->slots[i % p->nslots];

		sl->job.h = p->todo[i];
		sl->job.idx = p->idx[i];
		if (!rc)
			rc = host_job_run(&sl->job, rd, &fr, &sl->e);
		else
			sl->e = e; /* the connection failed: every host reports it */
		publish(p, sl, rc);
		if (rc)
			break;
	}
	finding_reader_release(&fr);
	store_close(rd);
	return NULL;
}

/* Waits for host i's result; returns its slot. */
static struct slot *await(struct pool *p, size_t i)
{
	struct slot *sl = &p->slots[i % p->nslots];

	pthread_mutex_lock(&p->mu);
	while (!sl->ready)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return sl;
}

static void release_slot(struct pool *p, struct slot *sl)
{
	pthread_mutex_lock(&p->mu);
	sl->ready = false;
	p->applied++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* The ranker, loaded when first needed: a rescan that adds nothing does
 * not read every advisory's threat facts. */
static int ranker_of(struct run *r, struct err *e)
{
	int rc = 0;

	if (!r->rank_loaded)
		rc = ranker_init(&r->rank, r->s, r->o->policy, r->o->actor, e);
	r->rank_loaded = !rc;
	return rc;
}

static int apply(struct finding_writer *w, struct run *r, const struct host_job *j,
		 struct err *e)
{
	char due[DATE_LEN + 1], since[DATE_LEN + 1], reason[REOPEN_REASON_MAX];
	int rc = 0;

	for (size_t i = 0; i < j->nchanges && !rc; i++) {
		const struct change *c = &j->changes[i];
		struct finding_new f;

		if (c->kind == CHANGE_RESOLVE) {
			bool withdrawn = false;

			rc = finding_resolve(w, c->id, r->now, &withdrawn, e);
			r->t.withdrawn += withdrawn;
			continue;
		}
		host_job_finding(j, c->hit, &f);
		if (c->kind == CHANGE_INSERT) {
			struct assess_rank rank;

			rc = ranker_of(r, e);
			if (!rc)
				rc = reopen_classify(&r->reopen, r->s, w, j, &f, reason, e);
			if (rc)
				break;
			r->t.reissued += f.reopened && !strcmp(f.reopened, "reissued");
			r->t.regressed += f.reopened && !strcmp(f.reopened, "regressed");
			ranker_rank_new(&r->rank, j->h.id, f.advisory_id, &rank);
			date_format(rank.due, due);
			date_format(rank.since, since);
			f.priority = (int)rank.priority;
			f.due = due;
			f.since = since;
			rc = finding_insert(w, &f, r->now, e);
		} else {
			rc = finding_update(w, c->id, &f, e);
		}
	}
	if (!rc)
		rc = finding_log_scan(w, j->h.id, r->now, j->c.new_, j->c.still_open, j->c.resolved,
				      e);
	return rc;
}

static void scan_key(const struct run *r, const struct host *h, char ret[64])
{
	snprintf(ret, 64, "%s/%lld/%lld", SCAN_KEY_VERSION, (long long)r->generation,
		 (long long)h->inventory_gen);
}

/* Records one host's result (groups: see host_match.c; NULL when the host
 * was not matched) and reports it. */
static int finish_host(struct run *r, struct host *h, const struct scan_counts *c,
		       const char *groups, struct err *e)
{
	int rc;

	scan_key(r, h, h->scan_key);
	snprintf(h->scanned_at, sizeof(h->scanned_at), "%s", r->now);
	h->fixable = c->fixable;
	h->no_fix = c->no_fix;
	rc = host_set_scanned(r->s, h, groups, e);
	if (rc)
		return rc;
	r->t.hosts++;
	r->t.new_ += c->new_;
	r->t.still_open += c->still_open;
	r->t.resolved += c->resolved;
	r->t.fixable += c->fixable;
	r->t.no_fix += c->no_fix;
	if ((c->new_ || c->resolved) &&
	    json_object_set_new(r->deltas, h->name, json_pack("[I, I]", (json_int_t)c->new_,
							      (json_int_t)c->resolved)))
		return err_set(e, ERR_NOMEM, "out of memory");
	if (r->o->cb)
		r->o->cb(h->name, c->new_, c->still_open, c->resolved, r->o->ctx);
	return 0;
}

static int index_for(struct run *r, const struct host *h, struct scan_index **ret,
		     struct err *e)
{
	struct scan_index **p;
	int rc;

	for (size_t i = 0; i < r->nindexes; i++)
		if (!strcmp(r->indexes[i]->ecosystem, h->ecosystem))
			return *ret = r->indexes[i], 0;
	p = realloc(r->indexes, (r->nindexes + 1) * sizeof(*p));
	if (!p)
		return err_set(e, ERR_NOMEM, "out of memory");
	r->indexes = p;
	rc = scan_index_load(r->s, h->ecosystem, &r->indexes[r->nindexes], e);
	if (rc)
		return err_prefix(e, rc, "host '%s'", h->name);
	*ret = r->indexes[r->nindexes++];
	return 0;
}

static int add_host(const struct host *h, void *ctx, struct err *e)
{
	struct run *r = ctx;

	if (r->nhosts == r->hosts_cap) {
		size_t cap = r->hosts_cap ? r->hosts_cap * 2 : 64;
		struct host *nh = realloc(r->hosts, cap * sizeof(*nh));

		if (!nh)
			return err_set(e, ERR_NOMEM, "out of memory listing hosts");
		r->hosts = nh;
		r->hosts_cap = cap;
	}
	r->hosts[r->nhosts++] = *h;
	return 0;
}

static int list_hosts(struct run *r, struct err *e)
{
	const struct scan_opts *o = r->o;
	struct host h;
	int rc = 0;

	if (!o->nnames)
		return host_list(r->s, add_host, r, e);
	for (size_t i = 0; i < o->nnames && !rc; i++) {
		bool seen = false;

		/* A host named twice is scanned once: its worker reads what was
		 * committed before the scan, not the first pass's changes. */
		for (size_t k = 0; k < r->nhosts && !seen; k++)
			seen = !strcmp(r->hosts[k].name, o->names[i]);
		if (seen)
			continue;
		rc = host_get(r->s, o->names[i], &h, e);
		if (!rc)
			rc = add_host(&h, r, e);
	}
	return rc;
}

/* Splits the hosts into skipped and to-match, loading their indexes. */
static int plan(struct run *r, struct pool *p, struct err *e)
{
	char key[64];
	int rc = 0;

	r->skip = calloc(r->nhosts + 1, sizeof(*r->skip));
	p->todo = calloc(r->nhosts + 1, sizeof(*p->todo));
	p->idx = calloc(r->nhosts + 1, sizeof(*p->idx));
	if (!r->skip || !p->todo || !p->idx)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < r->nhosts && !rc; i++) {
		struct scan_index *idx = NULL;

		scan_key(r, &r->hosts[i], key);
		r->skip[i] = (!r->o->full && !strcmp(key, r->hosts[i].scan_key)) ||
			     !r->hosts[i].ecosystem[0]; /* no advisory feed for its OS */
		if (r->skip[i])
			continue;
		rc = index_for(r, &r->hosts[i], &idx, e);
		p->todo[p->ntodo] = r->hosts[i];
		p->idx[p->ntodo++] = idx;
	}
	return rc;
}

/* Applies every host in order: skipped ones as they are, matched ones as
 * their workers deliver them. */
static int apply_all(struct run *r, struct pool *p, struct err *e)
{
	struct finding_writer w;
	size_t t = 0;
	int rc = finding_writer_init(&w, r->s, e);

	for (size_t i = 0; i < r->nhosts && !rc; i++) {
		struct host *h = &r->hosts[i];
		struct scan_counts c = { .fixable = h->fixable, .no_fix = h->no_fix };
		struct slot *sl;

		if (r->skip[i] && !h->ecosystem[0]) {
			r->t.unsupported++;
			continue;
		}
		if (r->skip[i]) {
			/* Nothing it depends on changed: its open findings stand. */
			c.still_open = c.fixable + c.no_fix;
			r->t.skipped++;
			rc = finish_host(r, h, &c, NULL, e);
			continue;
		}
		sl = await(p, t++);
		rc = sl->rc;
		if (rc)
			*e = sl->e;
		else if (!sl->job.unchanged)
			rc = apply(&w, r, &sl->job, e);
		if (!rc)
			rc = finish_host(r, h, &sl->job.c, sl->job.unchanged ? NULL :
					 sl->job.groups.data ? sl->job.groups.data : "",
					 e);
		release_slot(p, sl);
	}
	finding_writer_release(&w);
	return rc;
}

static size_t worker_count(size_t ntodo)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return (size_t)n < ntodo ? (size_t)n : ntodo;
}

static int run_pool(struct run *r, struct pool *p, struct err *e)
{
	pthread_t threads[MAX_WORKERS];
	size_t nw = worker_count(p->ntodo), started = 0;
	int rc = 0;

	p->nslots = nw ? nw * SLOTS_PER_WORKER : 1;
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	if (!p->slots)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < p->nslots; i++)
		host_job_init(&p->slots[i].job);
	for (; started < nw; started++)
		if (pthread_create(&threads[started], NULL, worker, p) != 0) {
			rc = err_set(e, ERR_IO, "cannot start a scan thread");
			break;
		}
	if (!rc && !started && p->ntodo)
		rc = err_set(e, ERR_IO, "no scan thread");
	if (!rc)
		rc = apply_all(r, p, e);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (size_t i = 0; i < p->nslots; i++)
		host_job_release(&p->slots[i].job);
	free(p->slots);
	return rc;
}

/* The audit record of the run: totals, and [new, resolved] per host that
 * changed. */
static int audit_scan(struct run *r, struct err *e)
{
	const struct scan_totals *t = &r->t;
	json_t *d = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}", "hosts",
			      (json_int_t)t->hosts, "skipped", (json_int_t)t->skipped, "new",
			      (json_int_t)t->new_, "still_open", (json_int_t)t->still_open,
			      "resolved", (json_int_t)t->resolved, "reissued",
			      (json_int_t)t->reissued, "regressed", (json_int_t)t->regressed,
			      "withdrawn", (json_int_t)t->withdrawn, "changed", r->deltas);
	int rc = d ? audit_append(r->s, r->o->actor, "scan", "hosts", d, e)
		   : err_set(e, ERR_NOMEM, "out of memory");

	json_decref(d);
	return rc;
}

int scan_run(struct store *s, const struct scan_opts *o, struct scan_totals *ret,
	     struct err *e)
{
	struct run r = { .s = s, .o = o, .deltas = json_object() };
	struct pool p = { .s = s };
	bool current = false;
	int rc;

	reopen_init(&r.reopen);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	store_now(r.now);
	rc = store_begin(s, e);
	/* Stale ranks first, so that the findings this scan adds are not
	 * read back and ranked twice. */
	if (!rc)
		rc = assess_ranks_current(s, o->policy, &current, e);
	if (!rc && !current && !(rc = ranker_of(&r, e)))
		rc = ranker_refresh(&r.rank, 0, e);
	if (!rc)
		rc = advisory_generation(s, &r.generation, e);
	if (!rc)
		rc = list_hosts(&r, e);
	if (!rc)
		rc = plan(&r, &p, e);
	if (!rc)
		rc = run_pool(&r, &p, e);
	if (!rc)
		rc = audit_scan(&r, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	else
		*ret = r.t;
	ranker_release(&r.rank);
	reopen_release(&r.reopen);
	json_decref(r.deltas);
	for (size_t i = 0; i < r.nindexes; i++)
		scan_index_free(r.indexes[i]);
	free(r.indexes);
	free(r.hosts);
	free(r.skip);
	free(p.todo);
	free(p.idx);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
