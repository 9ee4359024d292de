/* Comebacks of findings: reissued or regressed; see reopen.h. */
#include "scan/reopen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/advisory_store.h"

#define REISSUE_STRINGS_MAX (64u << 20)

/* One reissued fix; strings are offsets into reopen.strings. */
struct reissue {
	sqlite3_int64 advisory_id;
	size_t ecosystem, package, old_fixed, new_fixed, time;
};

void reopen_init(struct reopen *ro)
{
	*ro = (struct reopen){ 0 };
	buf_init(&ro->strings, REISSUE_STRINGS_MAX);
}

void reopen_release(struct reopen *ro)
{
	free(ro->r);
	buf_release(&ro->strings);
	*ro = (struct reopen){ 0 };
}

static int keep(struct buf *b, const char *s, size_t *ret, struct err *e)
{
	*ret = b->len;
	return buf_append(b, s, strlen(s) + 1, e);
}

static int add_reissue(const struct reissue_row *row, void *ctx, struct err *e)
{
	struct reopen *ro = ctx;
	struct reissue *r;

	if (ro->n == ro->cap) {
		size_t ncap = ro->cap ? ro->cap * 2 : 64;

		r = realloc(ro->r, ncap * sizeof(*r));
		if (!r)
			return err_set(e, ERR_NOMEM, "out of memory reading reissued fixes");
		ro->r = r;
		ro->cap = ncap;
	}
	r = &ro->r[ro->n];
	r->advisory_id = row->advisory_id;
	if (keep(&ro->strings, row->ecosystem, &r->ecosystem, e) ||
	    keep(&ro->strings, row->package, &r->package, e) ||
	    keep(&ro->strings, row->old_fixed, &r->old_fixed, e) ||
	    keep(&ro->strings, row->new_fixed, &r->new_fixed, e) ||
	    keep(&ro->strings, row->time, &r->time, e))
		return ERR_NOMEM;
	ro->n++;
	return 0;
}

static const char *str(const struct reopen *ro, size_t off)
{
	return ro->strings.data + off;
}

/* The host's ecosystem is "Red Hat:enterprise_linux:9"; the entry's may be
 * a product stream of it ("...::appstream"). */
static bool same_ecosystem(const char *entry, const char *host)
{
	size_t n = strlen(host);

	return !strncmp(entry, host, n) && (!entry[n] || !strncmp(entry + n, "::", 2));
}

/* A reissued fix the host's version v sits in: old fix <= v < new fix. */
static const struct reissue *reissue_of(const struct reopen *ro, const struct host_job *j,
					const struct finding_new *f)
{
	version_cmp_fn cmp = j->idx->eco->cmp;
	size_t lo = 0, hi = ro->n, vlen = strlen(f->version);

	while (lo < hi) { /* the first entry of the advisory */
		size_t mid = lo + (hi - lo) / 2;

		if (ro->r[mid].advisory_id < f->advisory_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ro->n && ro->r[i].advisory_id == f->advisory_id; i++) {
		const struct reissue *r = &ro->r[i];
		const char *old = str(ro, r->old_fixed), *new_ = str(ro, r->new_fixed);

		if (!strcmp(str(ro, r->package), f->package) &&
		    same_ecosystem(str(ro, r->ecosystem), j->h.ecosystem) &&
		    cmp(f->version, vlen, old, strlen(old)) >= 0 &&
		    cmp(f->version, vlen, new_, strlen(new_)) < 0)
			return r;
	}
	return NULL;
}

/* True when this very scan closes finding id (the host's version moved):
 * a finding is not its own regression. */
static bool closed_now(const struct host_job *j, sqlite3_int64 id)
{
	for (size_t i = 0; i < j->nchanges; i++)
		if (j->changes[i].kind == CHANGE_RESOLVE && j->changes[i].id == id)
			return true;
	return false;
}

int reopen_classify(struct reopen *ro, struct store *s, struct finding_writer *w,
		    const struct host_job *j, struct finding_new *f,
		    char reason[REOPEN_REASON_MAX], struct err *e)
{
	const struct reissue *r;
	char version[256], at[32];
	sqlite3_int64 id = 0;
	int rc;

	f->reopened = f->reopen_reason = NULL;
	if (!ro->loaded) {
		rc = advisory_reissues(s, add_reissue, ro, e);
		if (rc)
			return rc;
		ro->loaded = true;
	}
	if ((r = reissue_of(ro, j, f))) {
		snprintf(reason, REOPEN_REASON_MAX,
			 "the advisory was revised on %.10s: fixed version raised from %s to %s; "
			 "%s has %s", str(ro, r->time), str(ro, r->old_fixed), str(ro, r->new_fixed),
			 f->package, f->version);
		f->reopened = "reissued";
		f->reopen_reason = reason;
		return 0;
	}
	if (ro->host != j->h.id) {
		rc = finding_any_closed(w, j->h.id, &ro->any_closed, e);
		if (rc)
			return rc;
		ro->host = j->h.id;
	}
	if (!ro->any_closed)
		return 0;
	rc = finding_last_fixed(w, j->h.id, f->advisory_id, f->package, &id, version,
				sizeof(version), at, sizeof(at), e);
	if (rc || !*at || closed_now(j, id))
		return rc;
	snprintf(reason, REOPEN_REASON_MAX, "fixed on %.10s (was %s), affected again at %s",
		 at, version, f->version);
	f->reopened = "regressed";
	f->reopen_reason = reason;
	return 0;
}
