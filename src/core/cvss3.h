/*
 * CVSS v3.0 and v3.1 vectors: parsing and the base, temporal and
 * environmental scores, computed exactly as the FIRST specifications
 * (section 7 of each; Appendix A "Roundup" for v3.1) and their reference
 * calculators compute them, including the floating-point artefacts the
 * published scores depend on. Not CVSS v2 or v4.0, and no vector output.
 */
#ifndef HFX_CORE_CVSS3_H
#define HFX_CORE_CVSS3_H

#include <stddef.h>

#include "base/err.h"

/* The metrics, in the order the specification lists them. */
enum cvss3_metric {
	CVSS3_AV, CVSS3_AC, CVSS3_PR, CVSS3_UI, CVSS3_S, CVSS3_C, CVSS3_I, CVSS3_A,
	CVSS3_E, CVSS3_RL, CVSS3_RC,
	CVSS3_CR, CVSS3_IR, CVSS3_AR,
	CVSS3_MAV, CVSS3_MAC, CVSS3_MPR, CVSS3_MUI, CVSS3_MS, CVSS3_MC, CVSS3_MI, CVSS3_MA,
	CVSS3_NMETRICS
};

/* Longest vector accepted: every metric once is about 130 bytes. */
#define CVSS3_VECTOR_MAX 256

struct cvss3 {
	int minor;      /* 0 for "CVSS:3.0/", 1 for "CVSS:3.1/" */
	double base, temporal, environmental; /* one decimal each, 0.0 to 10.0 */
	/* The value letter of each metric ('N', 'L', ...); 'X' (Not Defined)
	 * for temporal and environmental metrics absent from the vector. */
	char metric[CVSS3_NMETRICS];
};

/*
 * Parses the vector s[0..len) (no terminator needed) and computes its
 * three scores into *ret. The prefix "CVSS:3.0/" or "CVSS:3.1/" and the
 * eight base metrics are required; metrics may come in any order (feeds
 * reorder them), each at most once. Temporal and environmental metrics
 * are optional; when absent those scores equal what the specification
 * gives for Not Defined (the base score when none is set).
 * Returns 0, or ERR_INPUT with a message naming the bad metric; *ret is
 * untouched on failure.
 */
int cvss3_parse(const char *s, size_t len, struct cvss3 *ret, struct err *e);

/*
 * The qualitative rating of a score: "None" (0.0), "Low" (0.1-3.9),
 * "Medium" (4.0-6.9), "High" (7.0-8.9) or "Critical" (9.0-10.0). Scores
 * between bands (3.95) go to the lower band; never NULL. Static string.
 */
const char *cvss_severity(double score);

#endif
