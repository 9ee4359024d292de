/*
 * Telling a new finding that is a comeback from a first-time one, as the
 * scanner inserts it: `reissued` when a newer revision of the advisory
 * raised the fixed version and the host has a version from the old fix up
 * to below the new one (it received the superseded fix); else `regressed`
 * when the host had this advisory's finding for this package fixed before
 * (downgraded, reinstalled, rolled back). The reissued fixes are read once
 * per scan; a host with no closed finding costs one lookup in all.
 */
#ifndef HFX_SCAN_REOPEN_H
#define HFX_SCAN_REOPEN_H

#include "scan/host_match.h"
#include "store/finding_store.h"

#define REOPEN_REASON_MAX 512

struct reissue;

struct reopen {
	struct reissue *r; /* sorted by advisory id, then package */
	size_t n, cap;
	struct buf strings;
	bool loaded;
	sqlite3_int64 host;   /* the host any_closed is for; 0: none yet */
	bool any_closed;
};

void reopen_init(struct reopen *ro);
void reopen_release(struct reopen *ro);

/*
 * Sets f->reopened and f->reopen_reason (written into reason) for the new
 * finding f of job j, or leaves them NULL. Reads the reissued fixes on the
 * first call, through s.
 */
int reopen_classify(struct reopen *ro, struct store *s, struct finding_writer *w,
		    const struct host_job *j, struct finding_new *f,
		    char reason[REOPEN_REASON_MAX], struct err *e);

#endif
