/*
 * One host's scan, computed without writing: its packages matched against
 * the index, a digest of each package's matches, and for the packages
 * whose digest differs from the last scan's, the changes to their open
 * findings. Runs on a worker thread with that thread's own read
 * connection; scan.c applies the changes on the writing connection, in
 * host order. Internal to scan/.
 */
#ifndef HFX_SCAN_HOST_MATCH_H
#define HFX_SCAN_HOST_MATCH_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/hash.h"
#include "scan/index.h"
#include "store/finding_store.h"
#include "store/host_store.h"

/* One package as advisories name it, with offsets into the arena. */
struct pkg {
	size_t name, version;
	size_t line, line_len; /* its group's line in groups (first of a name) */
	bool changed;          /* its matches differ from the last scan's */
};

/* One match: package pkg of the host is affected by index entry ent. */
struct hit {
	size_t pkg;
	const struct index_entry *ent;
	const char *fixed; /* into the index; NULL: no fix yet */
};

enum change_kind { CHANGE_INSERT, CHANGE_UPDATE, CHANGE_RESOLVE };

struct change {
	enum change_kind kind;
	sqlite3_int64 id; /* the finding updated or resolved */
	size_t hit;       /* the match inserted or updated */
};

struct scan_counts {
	long new_, still_open, resolved, fixable, no_fix;
};

/* A host's scan: inputs, reusable buffers and the result. */
struct host_job {
	struct host h;                  /* in: the host */
	const struct scan_index *idx;   /* in */
	struct buf arena;               /* package and open finding strings */
	struct pkg *pkgs;
	size_t npkgs, pkgs_cap;
	struct hit *hits;
	size_t nhits, hits_cap;
	struct finding_key *open;
	size_t nopen, open_cap;
	bool *seen;
	size_t seen_cap;
	struct change *changes;
	size_t nchanges, changes_cap;
	struct buf groups;               /* out: "package<TAB>digest\n" per package */
	struct buf last;                 /* the last scan's groups */
	struct sha256 *hash;
	bool unchanged;                  /* out: same matches as last time */
	struct scan_counts c;            /* out */
};

void host_job_init(struct host_job *j);
void host_job_release(struct host_job *j);

/* Computes j's result from j->h and j->idx, reading through s and r. */
int host_job_run(struct host_job *j, struct store *s, struct finding_reader *r,
		 struct err *e);

/* The finding a change inserts or updates. */
void host_job_finding(const struct host_job *j, size_t hit, struct finding_new *ret);

#endif
