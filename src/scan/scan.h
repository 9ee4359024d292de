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

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "store/store.h"

struct scan_totals {
	long hosts, skipped, new_, still_open, resolved;
	long unsupported; /* hosts whose OS has no advisory feed: not scanned */
	long fixable, no_fix; /* open findings after the scan */
	long reissued, regressed; /* of the new: comebacks (scan/reopen.h) */
	long withdrawn;           /* of the resolved: their advisory was withdrawn */
};

/* Reports each host's result as it is scanned; may be NULL. */
typedef void (*scan_host_cb)(const char *host, long new_, long still_open, long resolved,
			     void *ctx);

struct policy;

struct scan_opts {
	const struct policy *policy; /* ranks new findings (assess/rank.h) */
	const char *actor;           /* recorded in the audit log */
	const char *const *names; /* hosts to scan; all when nnames == 0 */
	size_t nnames;
	bool full;                /* rescan hosts whose inputs did not change */
	scan_host_cb cb;
	void *ctx;
};

/*
 * Scans hosts in one transaction: all hosts' findings change, or none.
 * New findings are ranked as they are stored, and every open finding is
 * re-ranked when the policy changed since the last ranking. The audit log
 * gets one record: the totals and each host's new and resolved findings.
 * *ret gets the totals.
 */
int scan_run(struct store *s, const struct scan_opts *o, struct scan_totals *ret,
	     struct err *e);

/*
 * Explains why a finding matched, as `findings --explain` shows it: the
 * range and comparisons that decide that package version is affected by
 * the advisory's current revision (recomputed, not stored).
 */
int scan_explain(struct store *s, const char *ecosystem, sqlite3_int64 advisory_id,
		 const char *package, const char *version, char *buf, size_t len,
		 struct err *e);

#endif
