/*
 * Scanning hosts; see scan.h. For each host: read its packages (ordered so
 * that the binaries of one source package come together), match each
 * distinct package as the ecosystem's advisories name it (source and
 * source version for Debian) once against the index, then reconcile the
 * matches with the host's open findings: insert the new, update the
 * changed, resolve the gone.
 *
 * A host whose inventory and the advisories are both unchanged since its
 * last scan is skipped (its findings cannot differ); --full rescans all.
 */
#include "scan/scan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "core/match.h"
#include "scan/index.h"
#include "store/advisory_store.h"
#include "store/finding_store.h"
#include "store/host_store.h"

#define HOST_ARENA_MAX (256u << 20)
#define SCAN_KEY_VERSION "1" /* bump when matching rules change */

/* One package as advisories name it, with offsets into the arena. */
struct pkg {
	size_t name, version;
};

/* One match: package p of the host is affected by index entry ent. */
struct hit {
	size_t pkg;
	const struct index_entry *ent;
	const char *fixed; /* into the index; NULL: no fix yet */
};

struct host_scan {
	struct buf arena;      /* package strings, then open finding strings */
	struct pkg *pkgs;
	size_t npkgs, pkgs_cap;
	struct hit *hits;
	size_t nhits, hits_cap;
	struct finding_key *open;
	size_t nopen, open_cap;
	bool *seen;
	size_t seen_cap;
};

static const char *at(const struct host_scan *hs, size_t off)
{
	return hs->arena.data + off;
}

static int arena_add(struct buf *b, const char *s, size_t len, size_t *ret, struct err *e)
{
	*ret = b->len;
	if (buf_append(b, s, len, e) || buf_append(b, "", 1, e))
		return ERR_NOMEM;
	return 0;
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

static int collect_pkg(const char *name, size_t nlen, const char *ver, size_t vlen, void *ctx,
		       struct err *e)
{
	struct host_scan *hs = ctx;
	struct pkg *k;

	if (grow((void **)&hs->pkgs, &hs->pkgs_cap, hs->npkgs + 1, sizeof(*hs->pkgs), e))
		return ERR_NOMEM;
	k = &hs->pkgs[hs->npkgs];
	if (arena_add(&hs->arena, name, nlen, &k->name, e) ||
	    arena_add(&hs->arena, ver, vlen, &k->version, e))
		return ERR_NOMEM;
	hs->npkgs++;
	return 0;
}

/* Open findings sorted for lookup by (advisory, package). */
static int key_order(const void *pa, const void *pb, void *ctx)
{
	const struct finding_key *a = pa, *b = pb;

	if (a->advisory_id != b->advisory_id)
		return a->advisory_id < b->advisory_id ? -1 : 1;
	return strcmp(at(ctx, a->package), at(ctx, b->package));
}

static struct finding_key *find_open(struct host_scan *hs, sqlite3_int64 adv, const char *pkg)
{
	size_t lo = 0, hi = hs->nopen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct finding_key *k = &hs->open[mid];
		int r = k->advisory_id != adv ? (k->advisory_id < adv ? -1 : 1)
					      : strcmp(at(hs, k->package), pkg);

		if (r == 0)
			return &hs->open[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool same_opt(const struct host_scan *hs, size_t off, const char *s)
{
	if (off == SIZE_MAX || !s)
		return off == SIZE_MAX && !s;
	return !strcmp(at(hs, off), s);
}

struct counts {
	long new_, still_open, resolved, fixable, no_fix;
};

struct run {
	struct store *s;
	struct finding_writer w;
	struct scan_index **indexes;
	size_t nindexes;
	struct host_scan hs;
	scan_host_cb cb;
	void *cb_ctx;
	bool full;
	struct scan_totals t;
	char now[32];
	sqlite3_int64 generation;
};

static int emit(struct run *r, const struct finding_new *f, struct counts *c, struct err *e)
{
	struct host_scan *hs = &r->hs;
	struct finding_key *k = find_open(hs, f->advisory_id, f->package);

	if (f->fixed_version)
		c->fixable++;
	else
		c->no_fix++;
	if (!k) {
		c->new_++;
		return finding_insert(&r->w, f, r->now, e);
	}
	hs->seen[k - hs->open] = true;
	c->still_open++;
	if (!strcmp(at(hs, k->version), f->version) && same_opt(hs, k->fixed_version,
	    f->fixed_version) && !strcmp(at(hs, k->status), f->status))
		return 0;
	return finding_update(&r->w, k->id, f, e);
}

/* Matches every package against the index, without touching the store. */
static int match_pkgs(struct host_scan *hs, const struct scan_index *idx, struct err *e)
{
	hs->nhits = 0;
	for (size_t p = 0; p < hs->npkgs; p++) {
		const char *name = at(hs, hs->pkgs[p].name), *ver = at(hs, hs->pkgs[p].version);
		size_t n, vlen = strlen(ver);
		const struct index_entry *ent = scan_index_find(idx, name, strlen(name), &n);

		for (size_t i = 0; i < n; i++) {
			struct match m;

			if (!affected_match(&ent[i].af, idx->eco->cmp, ver, vlen, &m))
				continue;
			if (grow((void **)&hs->hits, &hs->hits_cap, hs->nhits + 1,
				 sizeof(*hs->hits), e))
				return ERR_NOMEM;
			hs->hits[hs->nhits++] = (struct hit){ p, &ent[i], m.fixed };
		}
	}
	return 0;
}

/* A digest of everything the findings store about the matches, so that a
 * rescan that finds the same can skip reading and writing them. */
static int hits_digest(const struct host_scan *hs, char ret[SHA256_HEX_LEN + 1], struct err *e)
{
	struct sha256 *h = sha256_init();

	if (!h)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < hs->nhits; i++) {
		const struct hit *t = &hs->hits[i];
		const char *name = at(hs, hs->pkgs[t->pkg].name);
		const char *ver = at(hs, hs->pkgs[t->pkg].version);
		const char *fixed = t->fixed ? t->fixed : "";

		sha256_update(h, &t->ent->advisory_id, sizeof(t->ent->advisory_id));
		sha256_update(h, name, strlen(name) + 1);
		sha256_update(h, ver, strlen(ver) + 1);
		sha256_update(h, fixed, strlen(fixed) + 1);
	}
	sha256_final(h, ret);
	return 0;
}

static int store_hits(struct run *r, const struct scan_index *idx, sqlite3_int64 host_id,
		      struct counts *c, struct err *e)
{
	struct host_scan *hs = &r->hs;

	for (size_t i = 0; i < hs->nhits; i++) {
		const struct hit *t = &hs->hits[i];
		struct finding_new f = {
			.host_id = host_id, .advisory_id = t->ent->advisory_id,
			.package = at(hs, hs->pkgs[t->pkg].name),
			.version = at(hs, hs->pkgs[t->pkg].version),
			.by_source = idx->eco->by_source,
			.fixed_version = t->fixed,
			.status = t->fixed ? "fixable" : "no-fix-yet",
		};
		int rc = emit(r, &f, c, e);

		if (rc)
			return rc;
	}
	return 0;
}

static int resolve_unseen(struct run *r, struct counts *c, struct err *e)
{
	for (size_t i = 0; i < r->hs.nopen; i++) {
		if (r->hs.seen[i])
			continue;
		if (finding_resolve(&r->w, r->hs.open[i].id, r->now, e))
			return ERR_DB;
		c->resolved++;
	}
	return 0;
}

static int index_for(struct run *r, const char *ecosystem, struct scan_index **ret,
		     struct err *e)
{
	struct scan_index **p;

	for (size_t i = 0; i < r->nindexes; i++)
		if (!strcmp(r->indexes[i]->ecosystem, ecosystem))
			return *ret = r->indexes[i], 0;
	p = realloc(r->indexes, (r->nindexes + 1) * sizeof(*p));
	if (!p)
		return err_set(e, ERR_NOMEM, "out of memory");
	r->indexes = p;
	if (scan_index_load(r->s, ecosystem, &r->indexes[r->nindexes], e))
		return ERR_INPUT;
	*ret = r->indexes[r->nindexes++];
	return 0;
}

static void count_hits(const struct host_scan *hs, struct counts *c)
{
	for (size_t i = 0; i < hs->nhits; i++)
		if (hs->hits[i].fixed)
			c->fixable++;
		else
			c->no_fix++;
}

/* Reconciles the matches with the host's open findings in the store. */
static int reconcile(struct run *r, const struct scan_index *idx, sqlite3_int64 host_id,
		     struct counts *c, struct err *e)
{
	struct host_scan *hs = &r->hs;
	int rc = finding_open_keys(&r->w, host_id, &hs->arena, &hs->open, &hs->open_cap,
				   &hs->nopen, e);

	if (!rc)
		rc = grow((void **)&hs->seen, &hs->seen_cap, hs->nopen + 1, sizeof(bool), e);
	if (rc)
		return rc;
	memset(hs->seen, 0, hs->nopen * sizeof(bool));
	if (hs->nopen)
		qsort_r(hs->open, hs->nopen, sizeof(*hs->open), key_order, hs);
	rc = store_hits(r, idx, host_id, c, e);
	return rc ? rc : resolve_unseen(r, c, e);
}

/* Matches one host; stores the differences unless the matches are the
 * same as last time. digest holds the last scan's and gets this one's. */
static int scan_host(struct run *r, const struct host *h, const struct scan_index *idx,
		     char digest[SHA256_HEX_LEN + 1], struct counts *c, struct err *e)
{
	char last[SHA256_HEX_LEN + 1];

	struct host_scan *hs = &r->hs;
	int rc;

	buf_reset(&hs->arena);
	hs->npkgs = hs->nopen = 0;
	rc = host_match_keys(r->s, h->id, idx->eco->by_source, collect_pkg, hs, e);
	if (!rc)
		rc = match_pkgs(hs, idx, e);
	snprintf(last, sizeof(last), "%s", digest);
	if (!rc)
		rc = hits_digest(hs, digest, e);
	if (rc)
		return rc;
	if (!strcmp(digest, last)) {
		count_hits(hs, c);
		c->still_open = c->fixable + c->no_fix;
		return 0;
	}
	return reconcile(r, idx, h->id, c, e);
}

static int scan_one(const struct host *host, void *ctx, struct err *e)
{
	struct run *r = ctx;
	struct scan_index *idx = NULL;
	struct counts c = { 0 };
	struct host h = *host;
	char key[64];
	int rc = 0;

	snprintf(key, sizeof(key), "%s/%lld/%lld", SCAN_KEY_VERSION, (long long)r->generation,
		 (long long)h.inventory_gen);
	if (!r->full && !strcmp(key, h.scan_key)) {
		/* Nothing it depends on changed: its open findings stand. */
		c.fixable = h.fixable;
		c.no_fix = h.no_fix;
		c.still_open = c.fixable + c.no_fix;
		r->t.skipped++;
	} else {
		rc = index_for(r, h.ecosystem, &idx, e);
		if (rc)
			return err_prefix(e, rc, "host '%s'", h.name);
		rc = scan_host(r, &h, idx, h.findings_digest, &c, e);
		if (!rc)
			rc = finding_log_scan(&r->w, h.id, r->now, c.new_, c.still_open,
					      c.resolved, e);
	}
	snprintf(h.scan_key, sizeof(h.scan_key), "%s", key);
	snprintf(h.scanned_at, sizeof(h.scanned_at), "%s", r->now);
	h.fixable = c.fixable;
	h.no_fix = c.no_fix;
	if (!rc)
		rc = host_set_scanned(r->s, &h, e);
	if (rc)
		return rc;
	r->t.hosts++;
	r->t.new_ += c.new_;
	r->t.still_open += c.still_open;
	r->t.resolved += c.resolved;
	r->t.fixable += c.fixable;
	r->t.no_fix += c.no_fix;
	if (r->cb)
		r->cb(h.name, c.new_, c.still_open, c.resolved, r->cb_ctx);
	return 0;
}

static int scan_named(struct run *r, const char *const *names, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		struct host h;
		int rc = host_get(r->s, names[i], &h, e);

		if (!rc)
			rc = scan_one(&h, r, e);
		if (rc)
			return rc;
	}
	return 0;
}

int scan_run(struct store *s, const struct scan_opts *o, struct scan_totals *ret,
	     struct err *e)
{
	struct run r = { .s = s, .cb = o->cb, .cb_ctx = o->ctx, .full = o->full };
	int rc;

	buf_init(&r.hs.arena, HOST_ARENA_MAX);
	store_now(r.now);
	rc = store_begin(s, e);
	if (!rc)
		rc = advisory_generation(s, &r.generation, e);
	if (!rc)
		rc = finding_writer_init(&r.w, s, e);
	if (!rc)
		rc = o->nnames ? scan_named(&r, o->names, o->nnames, e)
			       : host_list(s, scan_one, &r, e);
	finding_writer_release(&r.w);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	else
		*ret = r.t;
	for (size_t i = 0; i < r.nindexes; i++)
		scan_index_free(r.indexes[i]);
	free(r.indexes);
	free(r.hs.pkgs);
	free(r.hs.hits);
	free(r.hs.open);
	free(r.hs.seen);
	buf_release(&r.hs.arena);
	return rc;
}
