/*
 * One host's scan without writing; see host_match.h. The order of work:
 * read the host's distinct (package, version) pairs as the ecosystem's
 * advisories name them, match each against the index, digest each
 * package's matches, and compare the digests with the last scan's
 * ("groups", kept on the host row). Only the packages whose digest changed
 * (or that are gone) have their open findings read and diffed: after a
 * feed delta a host costs its matching plus the few packages it touches,
 * not a read of every open finding.
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
	buf_init(&j->groups, HOST_ARENA_MAX);
	buf_init(&j->last, HOST_ARENA_MAX);
}

void host_job_release(struct host_job *j)
{
	buf_release(&j->arena);
	buf_release(&j->groups);
	buf_release(&j->last);
	sha256_free(j->hash);
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
	k->changed = false;
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
			/* An advisory naming the package in several affected entries
			 * (AlmaLinux lists one per module stream) is one finding
			 * (entries of one advisory are adjacent): one with a fix wins,
			 * and of fixes the highest, so that upgrading past it fixes
			 * every entry. */
			if (last && last->pkg == p && last->ent->advisory_id == ent[i].advisory_id) {
				if (m.fixed && (!last->fixed ||
				    idx->eco->cmp(m.fixed, strlen(m.fixed), last->fixed,
						  strlen(last->fixed)) > 0))
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

/* The end of the run of packages with the name of pkgs[p]. */
static size_t group_end(const struct host_job *j, size_t p)
{
	size_t end = p + 1;

	while (end < j->npkgs && !strcmp(at(j, j->pkgs[end].name), at(j, j->pkgs[p].name)))
		end++;
	return end;
}

/* One line per package name with a digest of everything the findings
 * store about its matches, in package order (as the packages come). */
static int build_groups(struct host_job *j, struct err *e)
{
	char hex[SHA256_HEX_LEN + 1];
	size_t h = 0;

	buf_reset(&j->groups);
	if (!j->hash && !(j->hash = sha256_init()))
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t p = 0, end; p < j->npkgs; p = end) {
		end = group_end(j, p);
		for (; h < j->nhits && j->hits[h].pkg < end; h++) {
			const struct hit *t = &j->hits[h];
			const char *ver = at(j, j->pkgs[t->pkg].version);
			const char *fixed = t->fixed ? t->fixed : "";

			sha256_update(j->hash, &t->ent->advisory_id, sizeof(t->ent->advisory_id));
			sha256_update(j->hash, ver, strlen(ver) + 1);
			sha256_update(j->hash, fixed, strlen(fixed) + 1);
		}
		sha256_next(j->hash, hex);
		j->pkgs[p].line = j->groups.len;
		/* 64 bits of the digest tell a changed package apart. */
		if (buf_appendf(&j->groups, e, "%s\t%.16s", at(j, j->pkgs[p].name), hex))
			return ERR_NOMEM;
		j->pkgs[p].line_len = j->groups.len - j->pkgs[p].line;
		if (buf_append(&j->groups, "\n", 1, e))
			return ERR_NOMEM;
	}
	return 0;
}

/* Open findings come sorted by (package, advisory, version), in byte
 * order, which strcmp agrees with for these NUL-free strings. */
static int key_cmp(const struct host_job *j, const struct finding_key *k, const char *pkg,
		   sqlite3_int64 adv, const char *ver)
{
	int r = strcmp(at(j, k->package), pkg);

	if (r)
		return r;
	if (k->advisory_id != adv)
		return k->advisory_id < adv ? -1 : 1;
	return ver ? strcmp(at(j, k->version), ver) : 0;
}

/* The first open finding at or after (pkg, adv[, ver]); ver NULL matches
 * any version. Returns an index, j->nopen when there is none. */
static size_t lower_bound(const struct host_job *j, const char *pkg, sqlite3_int64 adv,
			  const char *ver)
{
	size_t lo = 0, hi = j->nopen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(j, &j->open[mid], pkg, adv, ver) < 0)
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
	i = lower_bound(j, f.package, f.advisory_id, f.version);
	if (i == j->nopen || key_cmp(j, &j->open[i], f.package, f.advisory_id, f.version))
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
	for (size_t i = lower_bound(j, f.package, f.advisory_id, NULL);
	     i < j->nopen && !key_cmp(j, &j->open[i], f.package, f.advisory_id, NULL); i++) {
		if (j->seen[i])
			continue;
		j->seen[i] = true;
		j->c.still_open++;
		return add_change(j, CHANGE_UPDATE, j->open[i].id, hit, e);
	}
	j->c.new_++;
	return add_change(j, CHANGE_INSERT, 0, hit, e);
}

/* Byte order of a NUL-terminated name and a name of known length. */
static int name_cmp(const char *name, const char *o, size_t olen)
{
	size_t n = strlen(name);
	int r = memcmp(name, o, n < olen ? n : olen);

	return r ? r : (n > olen) - (n < olen);
}

static int read_package(struct host_job *j, struct finding_reader *r, const char *name,
			struct err *e)
{
	return finding_open_keys(r, j->h.id, name, &j->arena, &j->open, &j->open_cap, &j->nopen, e);
}

/* A package's findings are read when its group line changed, and so are
 * those of a package that is gone; marks the packages to diff. */
static int merge_step(struct host_job *j, struct finding_reader *r, size_t p, size_t end,
		      char *o, size_t olen, int c, struct err *e)
{
	char *tab = memchr(o, '\t', olen);
	int rc;

	if (c > 0) {
		if (!tab)
			return 0;
		*tab = '\0'; /* the old line's name, NUL-terminated in place */
		rc = read_package(j, r, o, e);
		*tab = '\t';
		return rc;
	}
	if (c == 0 && j->pkgs[p].line_len == olen &&
	    !memcmp(j->groups.data + j->pkgs[p].line, o, olen))
		return 0;
	for (size_t q = p; q < end; q++)
		j->pkgs[q].changed = true;
	return read_package(j, r, at(j, j->pkgs[p].name), e);
}

/* Reads the open findings of the changed packages: all of them when there
 * is no last scan to compare with, else those of each package whose line
 * differs or that is gone. Both lists are in package order: a merge, which
 * also keeps the findings read in (package, advisory, version) order. */
static int read_changed(struct host_job *j, struct finding_reader *r, struct err *e)
{
	char *o = j->last.data, *oend = o + j->last.len;
	int rc = 0;

	if (!j->last.len) {
		for (size_t p = 0; p < j->npkgs; p++)
			j->pkgs[p].changed = true;
		return finding_open_keys(r, j->h.id, NULL, &j->arena, &j->open, &j->open_cap,
					 &j->nopen, e);
	}
	for (size_t p = 0, end = 0; !rc && (p < j->npkgs || o < oend); p = end) {
		char *nl = o < oend ? memchr(o, '\n', (size_t)(oend - o)) : NULL;
		size_t olen = nl ? (size_t)(nl - o) : 0;
		char *tab = nl ? memchr(o, '\t', olen) : NULL;
		int c;

		if (o < oend && !nl) {
			o = oend; /* a damaged last line: ignore it */
			continue;
		}
		if (p >= j->npkgs)
			c = 1;
		else if (!nl)
			c = -1;
		else
			c = name_cmp(at(j, j->pkgs[p].name), o, tab ? (size_t)(tab - o) : olen);
		end = c <= 0 ? group_end(j, p) : p;
		rc = merge_step(j, r, p, end, o, olen, c, e);
		if (c >= 0)
			o = nl + 1;
	}
	return rc;
}

static int diff_open(struct host_job *j, struct finding_reader *r, struct err *e)
{
	size_t npending = 0;
	int rc = read_changed(j, r, e);

	if (!rc)
		rc = grow((void **)&j->seen, &j->seen_cap, j->nopen + j->nhits + 1, sizeof(bool), e);
	if (rc)
		return rc;
	memset(j->seen, 0, (j->nopen + j->nhits) * sizeof(bool));
	/* Exact matches first, so that a moved version never takes a finding
	 * that another match holds at its own version; the flags after the
	 * open findings' mark the matches left for the second pass. */
	for (size_t i = 0; i < j->nhits && !rc; i++) {
		if (!j->pkgs[j->hits[i].pkg].changed) {
			j->c.still_open++;
			continue;
		}
		if (!match_exact(j, i, &rc, e)) {
			j->seen[j->nopen + i] = true;
			npending++;
		}
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
		rc = build_groups(j, e);
	if (!rc)
		rc = host_scan_groups(s, j->h.id, &j->last, e);
	if (rc)
		return err_prefix(e, rc, "host '%s'", j->h.name);
	if (j->last.len == j->groups.len && !memcmp(j->last.data, j->groups.data, j->groups.len)) {
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
