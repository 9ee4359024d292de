/*
 * OSV affected-range evaluation, as the OSV schema's "Evaluation" section
 * specifies: events sorted with the ecosystem's comparator ("introduced":
 * "0" before everything), `fixed` and `limit` exclusive, `last_affected`
 * inclusive; a version is affected when it is listed in `versions` or lies
 * inside any range. GIT ranges (commit hashes) never match a package
 * version. docs/MATCHING.md explains the rules with examples.
 */
#ifndef HFX_CORE_MATCH_H
#define HFX_CORE_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "core/advisory.h"
#include "core/version.h"

#define MATCH_BY_VERSIONS ((size_t)-1)

struct match {
	size_t range;                      /* index, or MATCH_BY_VERSIONS */
	const struct osv_event *introduced; /* the event that opened it, or NULL */
	const struct osv_event *closing;   /* first fixed/last_affected above v, or NULL */
	const char *fixed;                 /* the fixed version, NULL if none yet */
};

/*
 * Sorts every range's events in place, stably, with cmp for ECOSYSTEM
 * ranges and semver_cmp for SEMVER ranges. Must be done once before
 * affected_match(). Returns 0 or ERR_NOMEM.
 */
int affected_sort(struct affected *af, version_cmp_fn cmp, struct err *e);

/*
 * True when version v (length n) is affected by af, which must be sorted.
 * On true, *ret (if given) says which range matched and the fix.
 */
bool affected_match(const struct affected *af, version_cmp_fn cmp,
		    const char *v, size_t n, struct match *ret);

/*
 * One line for `findings --explain`: which range matched and which
 * comparisons decided it, e.g. "range 0 (ECOSYSTEM): 1.0-1 >= introduced 0,
 * 1.0-1 < fixed 1.0-2 (dpkg)". Always NUL-terminates buf.
 */
void match_explain(const struct affected *af, const struct match *m,
		   const char *v, const char *comparator, char *buf, size_t len);

typedef int (*raised_fix_cb)(const char *old_fixed, const char *new_fixed, void *ctx,
			     struct err *e);

/*
 * Compares one package's entries in two revisions of an advisory: each
 * fixed version of old that new no longer lists, and that new replaces by
 * a higher one (its lowest fixed version above it, in a range of the same
 * type), is reported as cb(old_fixed, new_fixed) - a reissued fix. A fix
 * that was dropped without a higher one, or lowered, is not. GIT ranges
 * are ignored. Returns 0 or the first non-zero cb result.
 */
int affected_raised_fixes(const struct affected *old, const struct affected *new_,
			  version_cmp_fn cmp, raised_fix_cb cb, void *ctx, struct err *e);

#endif
