/*
 * The scanner: matches hosts' installed packages against the advisories of
 * their ecosystem and records the differences as findings (new, still
 * open, resolved). The matching rule itself is core/match.c; this module
 * builds the per-ecosystem advisory index, walks each host's packages
 * (through the source package where the ecosystem keys advisories so) and
 * writes the result in one transaction per run.
 *
 * Memory: the index of one ecosystem plus one host at a time.
 */
#ifndef HFX_SCAN_SCAN_H
#define HFX_SCAN_SCAN_H

#include <stddef.h>

#include "store/store.h"

struct scan_totals {
	long hosts, new_, still_open, resolved;
	long fixable, no_fix; /* open findings after the scan */
};

/* Reports each host's result as it is scanned; may be NULL. */
typedef void (*scan_host_cb)(const char *host, long new_, long still_open, long resolved,
			     void *ctx);

/*
 * Scans the named hosts (all hosts when n == 0) in one transaction: all
 * hosts' findings change, or none. *ret gets the totals.
 */
int scan_run(struct store *s, const char *const *names, size_t n, scan_host_cb cb,
	     void *ctx, struct scan_totals *ret, struct err *e);

#endif
