/*
 * One host's scan without writing; see host_match.h. The order of work:
 * read the host's distinct (package, version) pairs as the ecosystem's
 * advisories name them, match each against the index, digest the matches,
 * and only if the digest changed read the open findings and list the
 * changes (insert the new, update the changed, resolve the gone).
 */
#include "scan/host_match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"

#define HOST_ARENA_MAX (256u << 20)

void host_job_init(struct host_job *j)
{
	*j = (struct host_job){ 0 };
	buf_init(&j->arena, HOST_ARENA_MAX);
}

void host_job_release(struct host_job *j)
{
	buf_release(&j->arena);
	free(j->pkgs);
	free(j->hits);
	free(j->open);
	free(j->seen);
	free(j->changes);
	*j = (struct host_job){ 0 };
}

static const char *at(const struct host_job *j, size_t off)
{
	return j->arena.data + off;
}

static int grow(void **p, size_t *cap, size_t need, size_t size, struct err *e)
{
	size_t ncap = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return err_set(e, ERR_NOMEM, "out of memory scanning");
	*p = np;
	*cap = ncap;
	return 0;
}

static int arena_add(struct buf *b, const char *s, size_t len, size_t *ret, struct err *e)
{
	*ret = b->len;
	if (buf_append(b, s, len, e) || buf_append(b, "", 1, e))
		return ERR_NOMEM;
	return 0;
}

static int collect_pkg(const char *name, size_t nlen, const char *ver, size_t vlen, void *ctx,
		       struct err *e)
{
	struct host_job *j = ctx;
	struct pkg *k;

	if (grow((void **)&j->pkgs, &j->pkgs_cap, j->npkgs + 1, sizeof(*j->pkgs), e))
		return ERR_NOMEM;
	k = &j->pkgs[j->npkgs];
	if (arena_add(&j->arena, name, nlen, &k->name, e) ||
	    arena_add(&j->arena, ver, vlen, &k->version, e))
		return ERR_NOMEM;
	j->npkgs++;
	return 0;
}

static int match_pkgs(struct host_job *j, struct err *e)
{
	const struct scan_index *idx = j->idx;

	for (size_t p = 0; p < j->npkgs; p++) {
		const char *name = at(j, j->pkgs[p].name), *ver = at(j, j->pkgs[p].version);
		size_t n, vlen = strlen(ver);
		const struct index_entry *ent = scan_index_find(idx, name, strlen(name), &n);

		for (size_t i = 0; i < n; i++) {
			struct match m;

			struct hit *last = j->nhits ? &j->hits[j->nhits - 1] : NULL;

			if (!affected_match(&ent[i].af, idx->eco->cmp, ver, vlen, &m))
				continue;
			/* An advisory naming the package in two affected entries is
			 * one finding (entries of one advisory are adjacent); one
			 * with a fix wins, as between ranges. */
			if (last && last->pkg == p && last->ent->advisory_id == ent[i].advisory_id) {
				if (!last->fixed && m.fixed)
					last->fixed = m.fixed;
				continue;
			}
			if (grow((void **)&j->hits, &j->hits_cap, j->nhits + 1, sizeof(*j->hits), e))
				return ERR_NOMEM;
			j->hits[j->nhits++] = (struct hit){ p, &ent[i], m.fixed };
		}
	}
	return 0;
}

/* A digest of everything the findings store about the matches. */
static int hits_digest(struct host_job *j, struct err *e)
{
	struct sha256 *h = sha256_init();

	if (!h)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < j->nhits; i++) {
		const struct hit *t = &j->hits[i];
		const char *name = at(j, j->pkgs[t->pkg].name);
		const char *ver = at(j, j->pkgs[t->pkg].version);
		const char *fixed = t->fixed ? t->fixed : "";

		sha256_update(h, &t->ent->advisory_id, sizeof(t->ent->advisory_id));
		sha256_update(h, name, strlen(name) + 1);
		sha256_update(h, ver, strlen(ver) + 1);
		sha256_update(h, fixed, strlen(fixed) + 1);
	}
	sha256_final(h, j->digest);
	return 0;
}

/* Open findings come sorted by (advisory, package, version), in byte
 * order, which strcmp agrees with for these NUL-free strings. */
static int key_cmp(const struct host_job *j, const struct finding_key *k, sqlite3_int64 adv,
		   const char *pkg, const char *ver)
{
	int r;

	if (k->advisory_id != adv)
		return k->advisory_id < adv ? -1 : 1;
	r = strcmp(at(j, k->package), pkg);
	if (r || !ver)
		return r;
	return strcmp(at(j, k->version), ver);
}

/* The first open finding at or after (adv, pkg[, ver]); ver NULL matches
 * any version. Returns an index, j->nopen when there is none. */
static size_t lower_bound(const struct host_job *j, sqlite3_int64 adv, const char *pkg,
			  const char *ver)
{
	size_t lo = 0, hi = j->nopen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(j, &j->open[mid], adv, pkg, ver) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool same_opt(const struct host_job *j, size_t off, const char *s)
{
	if (off == SIZE_MAX || !s)
		return off == SIZE_MAX && !s;
	return !strcmp(at(j, off), s);
}

static int add_change(struct host_job *j, enum change_kind kind, sqlite3_int64 id, size_t hit,
		      struct err *e)
{
	if (grow((void **)&j->changes, &j->changes_cap, j->nchanges + 1, sizeof(*j->changes), e))
		return ERR_NOMEM;
	j->changes[j->nchanges++] = (struct change){ kind, id, hit };
	return 0;
}

static int update_if_changed(struct host_job *j, const struct finding_key *k, size_t hit,
			     const struct finding_new *f, struct err *e)
{
	if (!strcmp(at(j, k->version), f->version) && same_opt(j, k->fixed_version, f->fixed_version) &&
	    !strcmp(at(j, k->status), f->status))
		return 0;
	return add_change(j, CHANGE_UPDATE, k->id, hit, e);
}

/* A match with an open finding of the same version: still open. Returns
 * false when there is none. */
static bool match_exact(struct host_job *j, size_t hit, int *rc, struct err *e)
{
	struct finding_new f;
	size_t i;

	host_job_finding(j, hit, &f);
	i = lower_bound(j, f.advisory_id, f.package, f.version);
	if (i == j->nopen || key_cmp(j, &j->open[i], f.advisory_id, f.package, f.version))
		return false;
	j->seen[i] = true;
	j->c.still_open++;
	*rc = update_if_changed(j, &j->open[i], hit, &f, e);
	return true;
}

/* A match with no open finding of its version: the same advisory on the
 * same package at another version (an upgrade that is still affected)
 * carries over, keeping when it was first seen; otherwise it is new. */
static int match_moved(struct host_job *j, size_t hit, struct err *e)
{
	struct finding_new f;

	host_job_finding(j, hit, &f);
	for (size_t i = lower_bound(j, f.advisory_id, f.package, NULL);
	     i < j->nopen && !key_cmp(j, &j->open[i], f.advisory_id, f.package, NULL); i++) {
		if (j->seen[i])
			continue;
		j->seen[i] = true;
		j->c.still_open++;
		return add_change(j, CHANGE_UPDATE, j->open[i].id, hit, e);
	}
	j->c.new_++;
	return add_change(j, CHANGE_INSERT, 0, hit, e);
}

static int diff_open(struct host_job *j, struct finding_reader *r, struct err *e)
{
	size_t npending = 0;
	int rc = finding_open_keys(r, j->h.id, &j->arena, &j->open, &j->open_cap, &j->nopen, e);

	if (!rc)
		rc = grow((void **)&j->seen, &j->seen_cap, j->nopen + j->nhits + 1, sizeof(bool), e);
	if (rc)
		return rc;
	memset(j->seen, 0, (j->nopen + j->nhits) * sizeof(bool));
	/* Exact matches first, so that a moved version never takes a finding
	 * that another match holds at its own version. pending[] marks the
	 * hits left for the second pass (after the open findings' flags). */
	for (size_t i = 0; i < j->nhits && !rc; i++)
		if (!match_exact(j, i, &rc, e)) {
			j->seen[j->nopen + i] = true;
			npending++;
		}
	for (size_t i = 0; i < j->nhits && !rc && npending; i++)
		if (j->seen[j->nopen + i])
			rc = match_moved(j, i, e);
	for (size_t i = 0; i < j->nopen && !rc; i++) {
		if (j->seen[i])
			continue;
		j->c.resolved++;
		rc = add_change(j, CHANGE_RESOLVE, j->open[i].id, 0, e);
	}
	return rc;
}

int host_job_run(struct host_job *j, struct store *s, struct finding_reader *r,
		 struct err *e)
{
	int rc;

	buf_reset(&j->arena);
	j->npkgs = j->nhits = j->nopen = j->nchanges = 0;
	j->c = (struct scan_counts){ 0 };
	j->unchanged = false;
	rc = host_match_keys(s, j->h.id, j->idx->eco->by_source, collect_pkg, j, e);
	if (!rc)
		rc = match_pkgs(j, e);
	for (size_t i = 0; !rc && i < j->nhits; i++)
		if (j->hits[i].fixed)
			j->c.fixable++;
		else
			j->c.no_fix++;
	if (!rc)
		rc = hits_digest(j, e);
	if (rc)
		return err_prefix(e, rc, "host '%s'", j->h.name);
	if (!strcmp(j->digest, j->h.findings_digest)) {
		j->unchanged = true;
		j->c.still_open = j->c.fixable + j->c.no_fix;
		return 0;
	}
	rc = diff_open(j, r, e);
	return rc ? err_prefix(e, rc, "host '%s'", j->h.name) : 0;
}

void host_job_finding(const struct host_job *j, size_t hit, struct finding_new *ret)
{
	const struct hit *t = &j->hits[hit];

	*ret = (struct finding_new){
		.host_id = j->h.id, .advisory_id = t->ent->advisory_id,
		.package = at(j, j->pkgs[t->pkg].name),
		.version = at(j, j->pkgs[t->pkg].version),
		.by_source = j->idx->eco->by_source,
		.fixed_version = t->fixed,
		.status = t->fixed ? "fixable" : "no-fix-yet",
	};
}
