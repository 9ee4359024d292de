/*
 * CVSS v4.0 vectors: parsing, the MacroVector (EQ1..EQ6) and the score,
 * computed exactly as FIRST's reference calculator
 * (RedHatProductSecurity/cvss-v4-calculator) computes them: the lookup of
 * the MacroVector's score, the interpolation by severity distance towards
 * the next lower MacroVectors, and its rounding, floating-point artefacts
 * included. Not CVSS v2 or v3 (core/cvss3.h, which also has the severity
 * bands, cvss_severity()), and no vector output.
 */
#ifndef HFX_CORE_CVSS4_H
#define HFX_CORE_CVSS4_H

#include <stddef.h>

#include "base/err.h"

/* The metrics, in the order the specification lists them. */
enum cvss4_metric {
	/* base, required */
	CVSS4_AV, CVSS4_AC, CVSS4_AT, CVSS4_PR, CVSS4_UI,
	CVSS4_VC, CVSS4_VI, CVSS4_VA, CVSS4_SC, CVSS4_SI, CVSS4_SA,
	/* threat */
	CVSS4_E,
	/* environmental: the modified ones in the order of the base ones */
	CVSS4_CR, CVSS4_IR, CVSS4_AR,
	CVSS4_MAV, CVSS4_MAC, CVSS4_MAT, CVSS4_MPR, CVSS4_MUI,
	CVSS4_MVC, CVSS4_MVI, CVSS4_MVA, CVSS4_MSC, CVSS4_MSI, CVSS4_MSA,
	/* supplemental: never part of the score */
	CVSS4_S, CVSS4_AU, CVSS4_R, CVSS4_V, CVSS4_RE, CVSS4_U,
	CVSS4_NMETRICS
};

/* Longest vector accepted: every metric once, longest values, is 178 bytes. */
#define CVSS4_VECTOR_MAX 256

struct cvss4 {
	double score;          /* one decimal, 0.0 to 10.0 */
	/*
	 * The six EQ digits ("001100") whose score the lookup started from;
	 * "" when the vector has no impact at all (VC, VI, VA, SC, SI and SA
	 * all None after the modified metrics), which scores 0.0 without a
	 * lookup, as in the reference.
	 */
	char macrovector[7];
	/*
	 * The value letter of each metric as written ('N', 'L', ...; 'X' when
	 * absent or Not Defined). U (Provider Urgency) keeps the first letter
	 * of its word: 'C'lear, 'G'reen, 'A'mber, 'R'ed.
	 */
	char metric[CVSS4_NMETRICS];
};

/*
 * Parses the vector s[0..len) (no terminator needed) and computes its
 * MacroVector and score into *ret. The prefix "CVSS:4.0/" and the eleven
 * base metrics are required; threat, environmental and supplemental
 * metrics are optional, with 'X' meaning Not Defined. Metrics may come in
 * any order (feeds reorder them), each at most once, names and values
 * case-sensitive as in the specification.
 * Returns 0, or ERR_INPUT with a message naming the bad metric ("CVSS
 * vector '...': metric AT: invalid value 'Q'"); *ret is untouched on
 * failure.
 */
int cvss4_parse(const char *s, size_t len, struct cvss4 *ret, struct err *e);

/*
 * The reference tables, generated into cvss4_tables.c by
 * scripts/gen_cvss4_tables.py. Public only so that the unit test can
 * compare them with the published JSON; everything else calls
 * cvss4_parse().
 */
struct cvss4_macro {
	char mv[7];            /* six EQ digits */
	double score;
};
#define CVSS4_LOOKUP_N 270
/* Every MacroVector that exists, sorted by mv. */
extern const struct cvss4_macro cvss4_lookup[CVSS4_LOOKUP_N];

/* Highest severity vectors per EQ level, e.g. "AV:N/PR:N/UI:N/", in the
 * reference's order, each list ended by NULL; EQ3 by EQ3 then EQ6. */
#define CVSS4_MAX_ALT 5
extern const char *const cvss4_max_eq1[3][CVSS4_MAX_ALT + 1];
extern const char *const cvss4_max_eq2[2][CVSS4_MAX_ALT + 1];
extern const char *const cvss4_max_eq3[3][2][CVSS4_MAX_ALT + 1];
extern const char *const cvss4_max_eq4[3][CVSS4_MAX_ALT + 1];
extern const char *const cvss4_max_eq5[3][CVSS4_MAX_ALT + 1];

/* Depth of each EQ level in steps; 0 where the level does not exist. */
extern const int cvss4_max_severity_eq1[3];
extern const int cvss4_max_severity_eq2[2];
extern const int cvss4_max_severity_eq3eq6[3][2];
extern const int cvss4_max_severity_eq4[3];
extern const int cvss4_max_severity_eq5[3];

/* The level of each value of a scored metric: level[i] is for values[i]. */
struct cvss4_levels {
	char metric[3];
	char values[5];
	double level[4];
};
#define CVSS4_LEVELS_N 15
extern const struct cvss4_levels cvss4_severity_levels[CVSS4_LEVELS_N];
extern const double cvss4_step;

#endif
