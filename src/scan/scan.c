/*
 * Scanning hosts; see scan.h. For each host: read its packages (ordered so
 * that the binaries of one source package come together), match each
 * distinct (source, source version) once against the index, emit one
 * finding per binary package, then reconcile with the host's open findings.
 */
#include "scan/scan.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "core/match.h"
#include "scan/index.h"
#include "store/finding_store.h"
#include "store/host_store.h"

#define REASON_MAX 512
#define HOST_ARENA_MAX (256u << 20)

/* One binary package of the host being scanned: offsets into the arena. */
struct pkg {
	size_t name, version, arch, source, source_version;
};

/* A match of one (source, source version) against one index entry. */
struct hit {
	const struct index_entry *entry;
	struct match m;
	char reason[REASON_MAX];
};

struct host_scan {
	struct buf arena;
	struct pkg *pkgs;
	size_t npkgs, cap;
	struct hit *hits;
	size_t nhits, hits_cap;
};

static int arena_add(struct buf *b, const char *s, size_t len, size_t *ret, struct err *e)
{
	*ret = b->len;
	if (buf_append(b, s, len, e) || buf_append(b, "", 1, e))
		return ERR_NOMEM;
	return 0;
}

static int collect_pkg(const struct host_pkg *p, void *ctx, struct err *e)
{
	struct host_scan *hs = ctx;
	struct pkg *k;

	if (hs->npkgs == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 1024;
		struct pkg *np = realloc(hs->pkgs, cap * sizeof(*np));

		if (!np)
			return err_set(e, ERR_NOMEM, "out of memory reading packages");
		hs->pkgs = np;
		hs->cap = cap;
	}
	k = &hs->pkgs[hs->npkgs];
	if (arena_add(&hs->arena, p->name, p->name_len, &k->name, e) ||
	    arena_add(&hs->arena, p->version, p->version_len, &k->version, e) ||
	    arena_add(&hs->arena, p->arch, p->arch_len, &k->arch, e) ||
	    arena_add(&hs->arena, p->source, p->source_len, &k->source, e) ||
	    arena_add(&hs->arena, p->source_version, p->source_version_len,
		      &k->source_version, e))
		return ERR_NOMEM;
	hs->npkgs++;
	return 0;
}

static const char *at(const struct host_scan *hs, size_t off)
{
	return hs->arena.data + off;
}

/* Matches one (key, version) against the index into hs->hits. */
static int match_key(struct host_scan *hs, const struct scan_index *idx, const char *key,
		     const char *version, struct err *e)
{
	size_t n, vlen = strlen(version);
	const struct index_entry *ent = scan_index_find(idx, key, strlen(key), &n);

	hs->nhits = 0;
	for (size_t i = 0; i < n; i++) {
		struct match m;
		struct hit *h;

		if (!affected_match(&ent[i].af, idx->eco->cmp, version, vlen, &m))
			continue;
		if (hs->nhits == hs->hits_cap) {
			size_t cap = hs->hits_cap ? hs->hits_cap * 2 : 64;
			struct hit *nh = realloc(hs->hits, cap * sizeof(*nh));

			if (!nh)
				return err_set(e, ERR_NOMEM, "out of memory matching");
			hs->hits = nh;
			hs->hits_cap = cap;
		}
		h = &hs->hits[hs->nhits++];
		h->entry = &ent[i];
		h->m = m;
		match_explain(&ent[i].af, &m, version, idx->eco->comparator, h->reason,
			      sizeof(h->reason));
	}
	return 0;
}

/* Open findings sorted for lookup by (advisory, package, arch). */
static int key_order(const void *pa, const void *pb)
{
	const struct finding_key *a = pa, *b = pb;
	int r;

	if (a->advisory_id != b->advisory_id)
		return a->advisory_id < b->advisory_id ? -1 : 1;
	r = strcmp(a->package, b->package);
	return r ? r : strcmp(a->arch, b->arch);
}

static struct finding_key *find_open(struct finding_key *keys, size_t n,
				     sqlite3_int64 adv, const char *pkg, const char *arch)
{
	struct finding_key probe = { .advisory_id = adv, .package = (char *)pkg,
				     .arch = (char *)arch };

	return bsearch(&probe, keys, n, sizeof(*keys), key_order);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

struct reconcile {
	struct finding_writer *w;
	struct finding_key *open;
	bool *seen;
	size_t nopen;
	long new_, still_open;
	long fixable, no_fix;
	const char *now;
};

static int emit(struct reconcile *rc, const struct finding_new *f, struct err *e)
{
	struct finding_key *k = find_open(rc->open, rc->nopen, f->advisory_id, f->package,
					  f->arch);

	if (!strcmp(f->status, "fixable"))
		rc->fixable++;
	else
		rc->no_fix++;
	if (!k) {
		rc->new_++;
		return finding_insert(rc->w, f, rc->now, e);
	}
	rc->seen[k - rc->open] = true;
	rc->still_open++;
	if (same_str(k->installed_version, f->installed_version) &&
	    same_str(k->fixed_version, f->fixed_version) && same_str(k->status, f->status))
		return 0;
	return finding_update(rc->w, k->id, f, e);
}

static int emit_group(struct host_scan *hs, struct reconcile *rc, sqlite3_int64 host_id,
		      size_t first, size_t end, struct err *e)
{
	for (size_t p = first; p < end; p++) {
		const struct pkg *k = &hs->pkgs[p];

		for (size_t i = 0; i < hs->nhits; i++) {
			const struct hit *h = &hs->hits[i];
			struct finding_new f = {
				.host_id = host_id,
				.advisory_id = h->entry->advisory_id,
				.package = at(hs, k->name),
				.arch = at(hs, k->arch),
				.installed_version = at(hs, k->version),
				.source = at(hs, k->source),
				.source_version = at(hs, k->source_version),
				.fixed_version = h->m.fixed,
				.status = h->m.fixed ? "fixable" : "no-fix-yet",
				.reason = h->reason,
			};
			int r = emit(rc, &f, e);

			if (r)
				return r;
		}
	}
	return 0;
}

/* Advisories keyed by source match every binary of that source at once;
 * keyed by binary, each package is its own group. */
static size_t group_end(const struct host_scan *hs, size_t first, bool by_source)
{
	const struct pkg *a = &hs->pkgs[first];
	size_t end = first + 1;

	while (by_source && end < hs->npkgs &&
	       !strcmp(at(hs, hs->pkgs[end].source), at(hs, a->source)) &&
	       !strcmp(at(hs, hs->pkgs[end].source_version), at(hs, a->source_version)))
		end++;
	return end;
}

static int match_host(struct host_scan *hs, const struct scan_index *idx,
		      struct reconcile *rc, sqlite3_int64 host_id, struct err *e)
{
	bool by_source = idx->eco->by_source;

	for (size_t p = 0; p < hs->npkgs;) {
		const struct pkg *k = &hs->pkgs[p];
		size_t end = group_end(hs, p, by_source);
		int r = match_key(hs, idx, at(hs, by_source ? k->source : k->name),
				  at(hs, by_source ? k->source_version : k->version), e);

		if (!r)
			r = emit_group(hs, rc, host_id, p, end, e);
		if (r)
			return r;
		p = end;
	}
	return 0;
}

static int resolve_unseen(struct reconcile *rc, long *ret_resolved, struct err *e)
{
	long resolved = 0;

	for (size_t i = 0; i < rc->nopen; i++) {
		if (rc->seen[i])
			continue;
		if (finding_resolve(rc->w, rc->open[i].id, rc->now, e))
			return ERR_DB;
		resolved++;
	}
	*ret_resolved = resolved;
	return 0;
}

struct run {
	struct store *s;
	struct finding_writer w;
	struct scan_index **indexes;
	size_t nindexes;
	struct host_scan hs;
	scan_host_cb cb;
	void *cb_ctx;
	struct scan_totals t;
	char now[32];
};

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

static int scan_one(const struct host *h, void *ctx, struct err *e)
{
	struct run *r = ctx;
	struct reconcile rc = { .w = &r->w, .now = r->now };
	struct scan_index *idx = NULL;
	long resolved = 0;
	int ret;

	ret = index_for(r, h->ecosystem, &idx, e);
	if (ret)
		return err_prefix(e, ret, "host '%s'", h->name);
	buf_reset(&r->hs.arena);
	r->hs.npkgs = 0;
	ret = host_packages(r->s, h->id, collect_pkg, &r->hs, e);
	if (!ret)
		ret = finding_open_keys(r->s, h->id, &rc.open, &rc.nopen, e);
	if (ret)
		return ret;
	qsort(rc.open, rc.nopen, sizeof(*rc.open), key_order);
	rc.seen = calloc(rc.nopen + 1, sizeof(*rc.seen));
	if (!rc.seen)
		ret = err_set(e, ERR_NOMEM, "out of memory");
	if (!ret)
		ret = match_host(&r->hs, idx, &rc, h->id, e);
	if (!ret)
		ret = resolve_unseen(&rc, &resolved, e);
	if (!ret)
		ret = finding_log_scan(&r->w, h->id, r->now, rc.new_, rc.still_open, resolved, e);
	if (!ret)
		ret = host_set_scanned(r->s, h->id, r->now, e);
	free(rc.seen);
	finding_keys_free(rc.open, rc.nopen);
	if (ret)
		return ret;
	r->t.hosts++;
	r->t.new_ += rc.new_;
	r->t.still_open += rc.still_open;
	r->t.resolved += resolved;
	r->t.fixable += rc.fixable;
	r->t.no_fix += rc.no_fix;
	if (r->cb)
		r->cb(h->name, rc.new_, rc.still_open, resolved, r->cb_ctx);
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

int scan_run(struct store *s, const char *const *names, size_t n, scan_host_cb cb,
	     void *ctx, struct scan_totals *ret, struct err *e)
{
	struct run r = { .s = s, .cb = cb, .cb_ctx = ctx };
	int rc;

	buf_init(&r.hs.arena, HOST_ARENA_MAX);
	store_now(r.now);
	rc = store_begin(s, e);
	if (!rc)
		rc = finding_writer_init(&r.w, s, e);
	if (!rc)
		rc = n ? scan_named(&r, names, n, e) : host_list(s, scan_one, &r, e);
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
	buf_release(&r.hs.arena);
	return rc;
}
