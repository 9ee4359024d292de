/* The per-ecosystem advisory index; see index.h. */
#include "scan/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "feed/osv.h"
#include "store/advisory_store.h"

static int add_entry(const struct affected_row *row, void *ctx, struct err *e)
{
	struct scan_index *idx = ctx;
	struct index_entry *ent;
	int rc;

	if (idx->n == idx->cap) {
		size_t cap = idx->cap ? idx->cap * 2 : 1024;
		struct index_entry *p = realloc(idx->entries, cap * sizeof(*p));

		if (!p)
			return err_set(e, ERR_NOMEM, "out of memory building the advisory index");
		idx->entries = p;
		idx->cap = cap;
	}
	ent = &idx->entries[idx->n];
	*ent = (struct index_entry){ .advisory_id = row->advisory_id };
	rc = osv_affected_decode(row->ranges, &ent->af, e);
	if (rc)
		return err_prefix(e, rc, "stored advisory %s", row->advisory);
	ent->advisory = strdup(row->advisory);
	ent->af.package = strdup(row->package);
	if (!ent->advisory || !ent->af.package) {
		free(ent->advisory);
		affected_release(&ent->af);
		return err_set(e, ERR_NOMEM, "out of memory building the advisory index");
	}
	idx->n++;
	return affected_sort(&ent->af, idx->eco->cmp, e);
}

int scan_index_load(struct store *s, const char *ecosystem, struct scan_index **ret,
		    struct err *e)
{
	struct scan_index *idx = calloc(1, sizeof(*idx));
	int rc;

	if (!idx)
		return err_set(e, ERR_NOMEM, "out of memory");
	snprintf(idx->ecosystem, sizeof(idx->ecosystem), "%s", ecosystem);
	idx->eco = ecosystem_find(ecosystem);
	if (!idx->eco) {
		free(idx);
		return err_set(e, ERR_INPUT, "ecosystem '%s' is not supported", ecosystem);
	}
	/* The store returns rows ordered by package: the order find relies on. */
	rc = advisory_affected_for(s, ecosystem, add_entry, idx, e);
	if (rc) {
		scan_index_free(idx);
		return rc;
	}
	*ret = idx;
	return 0;
}

void scan_index_free(struct scan_index *idx)
{
	if (!idx)
		return;
	for (size_t i = 0; i < idx->n; i++) {
		free(idx->entries[i].advisory);
		affected_release(&idx->entries[i].af);
	}
	free(idx->entries);
	free(idx);
}

/* Byte order, as SQLite's default BINARY collation sorts. */
static int key_cmp(const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a), n = alen < blen ? alen : blen;
	int r = memcmp(a, b, n);

	if (r)
		return r;
	return (alen > blen) - (alen < blen);
}

const struct index_entry *scan_index_find(const struct scan_index *idx, const char *pkg,
					  size_t len, size_t *ret_n)
{
	size_t lo = 0, hi = idx->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(idx->entries[mid].af.package, pkg, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < idx->n && key_cmp(idx->entries[end].af.package, pkg, len) == 0;)
		end++;
	*ret_n = end - lo;
	return end > lo ? &idx->entries[lo] : NULL;
}
