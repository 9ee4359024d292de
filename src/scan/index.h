/*
 * The advisory index of one ecosystem, in memory for a scan: every
 * affected entry of every current, not withdrawn advisory, with its events
 * sorted by the ecosystem's comparator, ordered by package name so that a
 * package's advisories are found by binary search.
 */
#ifndef HFX_SCAN_INDEX_H
#define HFX_SCAN_INDEX_H

#include <stddef.h>

#include <sqlite3.h>

#include "core/advisory.h"
#include "core/ecosystem.h"
#include "store/store.h"

struct index_entry {
	sqlite3_int64 advisory_id;
	char *advisory;
	struct affected af; /* af.package is the key */
};

struct scan_index {
	char ecosystem[96];
	const struct ecosystem *eco;
	struct index_entry *entries;
	size_t n, cap;
};

int scan_index_load(struct store *s, const char *ecosystem, struct scan_index **ret,
		    struct err *e);
void scan_index_free(struct scan_index *idx);

/* The entries for one package: *ret_n entries starting at the returned
 * pointer (NULL when there are none). */
const struct index_entry *scan_index_find(const struct scan_index *idx, const char *pkg,
					  size_t len, size_t *ret_n);

#endif
