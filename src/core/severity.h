/*
 * Which CVSS score ranks an advisory. A record may carry several vectors
 * (its own "severity" list and each affected entry's, CVSS v2, v3.x and
 * v4.0, from different scorers); hfx ranks by the highest score among the
 * v3.0, v3.1 and v4.0 vectors it can compute, so that no scorer's higher
 * rating is hidden. CVSS v2 vectors and rating words are kept for display
 * only. Pure logic: the vectors are scored by core/cvss3.c and cvss4.c.
 */
#ifndef HFX_CORE_SEVERITY_H
#define HFX_CORE_SEVERITY_H

#include <stdbool.h>

#include "base/err.h"
#include "core/advisory.h"

struct cvss_pick {
	long index;         /* into a->severities; -1: no usable vector */
	double score;       /* v3.x: the environmental score (the base score when the
			     * vector has only base metrics); v4.0: the score */
	bool automatable;   /* AV:N with PR:N and UI:N */
};

/*
 * Scores one severity entry: 0 and *ret filled for a valid CVSS_V3 or
 * CVSS_V4 entry; ERR_INPUT with a message naming the bad metric for an
 * invalid one; ERR_STATE ("not scored") for other types (CVSS_V2, Ubuntu).
 */
int severity_score(const struct osv_severity *s, struct cvss_pick *ret, struct err *e);

/* The highest-scoring valid vector of a (the first of equal ones). */
void severity_pick(const struct advisory *a, struct cvss_pick *ret);

#endif
