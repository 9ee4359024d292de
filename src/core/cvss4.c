/*
 * CVSS v4.0: the vector parser and the scoring of FIRST's reference
 * calculator (RedHatProductSecurity/cvss-v4-calculator, cvss40.js
 * calculateScore()), step by step and in the same floating-point order,
 * because published scores depend on its artefacts: the metric levels are
 * tenths (0.3 - 0.1 is 0.19999999999999998), and a mean that should be
 * 5.65 comes out a hair below it. The tables are in cvss4_tables.c.
 *
 * Not here: the severity bands (cvss_severity() in core/cvss3.c), vector
 * output, and anything about the supplemental metrics beyond checking
 * them: they never change the score.
 */
#include "core/cvss4.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"

static const char PREFIX[] = "CVSS:4.0/";

struct metric_spec {
	const char *name;
	/* The allowed values, NULL-terminated; stored as their first letter,
	 * which is unique within each metric. */
	const char *values[6];
};

/* Indexed by enum cvss4_metric; a metric is required when 'X' is not
 * among its values (the eleven base metrics). */
static const struct metric_spec SPECS[CVSS4_NMETRICS] = {
	[CVSS4_AV] = { "AV", { "N", "A", "L", "P" } },
	[CVSS4_AC] = { "AC", { "L", "H" } },
	[CVSS4_AT] = { "AT", { "N", "P" } },
	[CVSS4_PR] = { "PR", { "N", "L", "H" } },
	[CVSS4_UI] = { "UI", { "N", "P", "A" } },
	[CVSS4_VC] = { "VC", { "H", "L", "N" } },
	[CVSS4_VI] = { "VI", { "H", "L", "N" } },
	[CVSS4_VA] = { "VA", { "H", "L", "N" } },
	[CVSS4_SC] = { "SC", { "H", "L", "N" } },
	[CVSS4_SI] = { "SI", { "H", "L", "N" } },
	[CVSS4_SA] = { "SA", { "H", "L", "N" } },
	[CVSS4_E] = { "E", { "X", "A", "P", "U" } },
	[CVSS4_CR] = { "CR", { "X", "H", "M", "L" } },
	[CVSS4_IR] = { "IR", { "X", "H", "M", "L" } },
	[CVSS4_AR] = { "AR", { "X", "H", "M", "L" } },
	[CVSS4_MAV] = { "MAV", { "X", "N", "A", "L", "P" } },
	[CVSS4_MAC] = { "MAC", { "X", "L", "H" } },
	[CVSS4_MAT] = { "MAT", { "X", "N", "P" } },
	[CVSS4_MPR] = { "MPR", { "X", "N", "L", "H" } },
	[CVSS4_MUI] = { "MUI", { "X", "N", "P", "A" } },
	[CVSS4_MVC] = { "MVC", { "X", "H", "L", "N" } },
	[CVSS4_MVI] = { "MVI", { "X", "H", "L", "N" } },
	[CVSS4_MVA] = { "MVA", { "X", "H", "L", "N" } },
	[CVSS4_MSC] = { "MSC", { "X", "H", "L", "N" } },
	[CVSS4_MSI] = { "MSI", { "X", "S", "H", "L", "N" } },
	[CVSS4_MSA] = { "MSA", { "X", "S", "H", "L", "N" } },
	[CVSS4_S] = { "S", { "X", "N", "P" } },
	[CVSS4_AU] = { "AU", { "X", "N", "Y" } },
	[CVSS4_R] = { "R", { "X", "A", "U", "I" } },
	[CVSS4_V] = { "V", { "X", "D", "C" } },
	[CVSS4_RE] = { "RE", { "X", "L", "M", "H" } },
	[CVSS4_U] = { "U", { "X", "Clear", "Green", "Amber", "Red" } },
};

static bool span_is(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len == n && memcmp(s, lit, n) == 0;
}

/* The metric called s[0..len), or CVSS4_NMETRICS. */
static enum cvss4_metric metric_find(const char *s, size_t len)
{
	int i;

	for (i = 0; i < CVSS4_NMETRICS; i++)
		if (span_is(s, len, SPECS[i].name))
			break;
	return (enum cvss4_metric)i;
}

static bool metric_required(enum cvss4_metric m)
{
	return SPECS[m].values[0][0] != 'X';
}

/* The letter stored for value s[0..len) of metric m, or 0 if invalid. */
static char value_find(enum cvss4_metric m, const char *s, size_t len)
{
	for (const char *const *v = SPECS[m].values; *v; v++)
		if (span_is(s, len, *v))
			return (*v)[0];
	return 0;
}

/*
 * The value the score uses for metric m, as the reference's
 * getEffectiveMetricValue(): Not Defined E, CR, IR and AR count as their
 * worst case; a defined modified metric replaces its base metric.
 */
static char effective(const char *metric, enum cvss4_metric m)
{
	char v = metric[m];

	switch (m) {
	case CVSS4_E:
		return v == 'X' ? 'A' : v;
	case CVSS4_CR:
	case CVSS4_IR:
	case CVSS4_AR:
		return v == 'X' ? 'H' : v;
	default:
		break;
	}
	if (m <= CVSS4_SA && metric[CVSS4_MAV + m] != 'X')
		return metric[CVSS4_MAV + m];
	return v;
}

static void macrovector(const char *metric, char ret[7])
{
	char av = effective(metric, CVSS4_AV), pr = effective(metric, CVSS4_PR);
	char ui = effective(metric, CVSS4_UI), ac = effective(metric, CVSS4_AC);
	char at = effective(metric, CVSS4_AT), vc = effective(metric, CVSS4_VC);
	char vi = effective(metric, CVSS4_VI), va = effective(metric, CVSS4_VA);
	char sc = effective(metric, CVSS4_SC), si = effective(metric, CVSS4_SI);
	char sa = effective(metric, CVSS4_SA), ex = effective(metric, CVSS4_E);
	char cr = effective(metric, CVSS4_CR), ir = effective(metric, CVSS4_IR);
	char ar = effective(metric, CVSS4_AR);

	if (av == 'N' && pr == 'N' && ui == 'N')
		ret[0] = '0';
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		ret[0] = '1';
	else
		ret[0] = '2';
	ret[1] = ac == 'L' && at == 'N' ? '0' : '1';
	if (vc == 'H' && vi == 'H')
		ret[2] = '0';
	else if (vc == 'H' || vi == 'H' || va == 'H')
		ret[2] = '1';
	else
		ret[2] = '2';
	/* Only the modified metrics can be Safety; the reference reads them
	 * as given, X included. */
	if (metric[CVSS4_MSI] == 'S' || metric[CVSS4_MSA] == 'S')
		ret[3] = '0';
	else if (sc == 'H' || si == 'H' || sa == 'H')
		ret[3] = '1';
	else
		ret[3] = '2';
	ret[4] = ex == 'A' ? '0' : ex == 'P' ? '1' : '2';
	ret[5] = (cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') ||
			 (ar == 'H' && va == 'H') ? '0' : '1';
	ret[6] = '\0';
}

/* The score of MacroVector mv (six digits, possibly out of range, like
 * "302211"), or false when there is no such MacroVector. */
static bool lookup(const char mv[6], double *ret_score)
{
	size_t lo = 0, hi = CVSS4_LOOKUP_N;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(cvss4_lookup[mid].mv, mv, 6);

		if (c == 0) {
			*ret_score = cvss4_lookup[mid].score;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The score of mv with EQ digit i, and digit j when j >= 0, one lower in
 * severity (one higher in value), or false when there is none. */
static bool lookup_lower(const char *mv, int i, int j, double *ret_score)
{
	char next[6];

	memcpy(next, mv, 6);
	next[i]++;
	if (j >= 0)
		next[j]++;
	return lookup(next, ret_score);
}

/* The level of value v in row r of the levels table. */
static double level(const struct cvss4_levels *r, char v)
{
	const char *p = v ? strchr(r->values, v) : NULL;

	/* The parser only lets through values the tables know. */
	assert(p);
	return p ? r->level[p - r->values] : 0.0;
}

/*
 * Writes into maxv the values of the highest severity vector made of the
 * fragments parts[] ("AV:N/PR:N/UI:N/", ...), from the generated tables.
 */
static void max_vector(const char *const parts[5], char maxv[CVSS4_NMETRICS])
{
	for (int i = 0; i < 5; i++) {
		const char *p = parts[i];

		while (*p) {
			const char *colon = strchr(p, ':');
			enum cvss4_metric m = metric_find(p, (size_t)(colon - p));

			assert(m < CVSS4_NMETRICS && colon[1] && colon[2] == '/');
			if (m < CVSS4_NMETRICS)
				maxv[m] = colon[1];
			p = colon + 3;
		}
	}
}

/*
 * Sets dist[] to the severity distance of each scored metric (those of
 * the levels table) from the highest severity vector made of parts[], and
 * returns whether the vector nowhere exceeds it (no distance below 0).
 */
static bool distances_from(const char *metric, const char *const parts[5],
			   double dist[CVSS4_NMETRICS])
{
	char maxv[CVSS4_NMETRICS] = { 0 };
	bool below = true;

	max_vector(parts, maxv);
	for (int k = 0; k < CVSS4_LEVELS_N; k++) {
		const struct cvss4_levels *r = &cvss4_severity_levels[k];
		enum cvss4_metric m = metric_find(r->metric, strlen(r->metric));

		assert(m < CVSS4_NMETRICS);
		if (m >= CVSS4_NMETRICS)
			continue;
		dist[m] = level(r, effective(metric, m)) - level(r, maxv[m]);
		if (!(dist[m] >= 0))
			below = false;
	}
	return below;
}

/*
 * The distances from the first highest severity vector of the vector's
 * MacroVector that it nowhere exceeds (the others stay 0). As in the
 * reference, when none qualifies the distances from the last one are kept.
 */
static void distances(const char *metric, const char *mv, double dist[CVSS4_NMETRICS])
{
	const char *const *eq1 = cvss4_max_eq1[mv[0] - '0'];
	const char *const *eq2 = cvss4_max_eq2[mv[1] - '0'];
	const char *const *eq3 = cvss4_max_eq3[mv[2] - '0'][mv[5] - '0'];
	const char *const *eq4 = cvss4_max_eq4[mv[3] - '0'];
	const char *const *eq5 = cvss4_max_eq5[mv[4] - '0'];

	memset(dist, 0, CVSS4_NMETRICS * sizeof(dist[0]));
	for (int a = 0; eq1[a]; a++)
		for (int b = 0; eq2[b]; b++)
			for (int c = 0; eq3[c]; c++)
				for (int d = 0; eq4[d]; d++)
					for (int f = 0; eq5[f]; f++) {
						const char *const parts[5] = {
							eq1[a], eq2[b], eq3[c], eq4[d], eq5[f]
						};

						if (distances_from(metric, parts, dist))
							return;
					}
}

/* Math.round((x + 1e-6) * 10) / 10 of JavaScript, for 0 <= x <= 10. */
static double round_tenth(double x)
{
	/*
	 * cvss40.js rounds with roundToDecimalPlaces(): EPSILON = 10^-6 is
	 * added first, so a mean computed a hair below a half (5.6499999...)
	 * still rounds up, as the spec's half-up rounding intends. Without it
	 * six of the published vectors score 0.1 lower. Math.round rounds
	 * halves up; y - n is exact for 0 <= y < 2^52, so this is it exactly
	 * (floor(y + 0.5) is not, and would need libm).
	 */
	double y = (x + 1e-6) * 10;
	long long n = (long long)y;

	if (y - (double)n >= 0.5)
		n++;
	return (double)n / 10;
}

/*
 * The reference's calculateScore() for a vector with some impact, whose
 * MacroVector is mv: the MacroVector's score, lowered by the mean over the
 * EQs that have a next lower MacroVector of the score gap to it times the
 * vector's distance from the top of its MacroVector, relative to the
 * MacroVector's depth.
 */
static double score(const char *metric, const char *mv)
{
	int eq1 = mv[0] - '0', eq2 = mv[1] - '0', eq3 = mv[2] - '0';
	int eq4 = mv[3] - '0', eq6 = mv[5] - '0';
	double value, lower[5] = { 0, 0, 0, 0, 0 }, dist[CVSS4_NMETRICS], x;
	double d_eq[4], depth[4], norm[4] = { 0, 0, 0, 0 };
	bool has[5];
	int n = 0;

	if (!lookup(mv, &value)) {
		assert(!"every reachable MacroVector is in the table");
		return 0.0;
	}
	has[0] = lookup_lower(mv, 0, -1, &lower[0]);
	has[1] = lookup_lower(mv, 1, -1, &lower[1]);
	if (eq3 == 0 && eq6 == 0) {
		/* Two ways down (to 01 and 10): the one with the higher score,
		 * as Math.max() of the two. */
		double left = 0, right = 0;
		bool l = lookup_lower(mv, 5, -1, &left), r = lookup_lower(mv, 2, -1, &right);

		has[2] = l && r;
		lower[2] = left > right ? left : right;
	} else if (eq3 == 1 && eq6 == 0) {
		has[2] = lookup_lower(mv, 5, -1, &lower[2]);
	} else if (eq3 == 2 && eq6 == 1) {
		has[2] = lookup_lower(mv, 2, 5, &lower[2]); /* 32: never exists */
	} else {
		has[2] = lookup_lower(mv, 2, -1, &lower[2]);
	}
	has[3] = lookup_lower(mv, 3, -1, &lower[3]);
	has[4] = lookup_lower(mv, 4, -1, &lower[4]);

	distances(metric, mv, dist);
	/* Sums in the reference's order. */
	d_eq[0] = dist[CVSS4_AV] + dist[CVSS4_PR] + dist[CVSS4_UI];
	d_eq[1] = dist[CVSS4_AC] + dist[CVSS4_AT];
	d_eq[2] = dist[CVSS4_VC] + dist[CVSS4_VI] + dist[CVSS4_VA] + dist[CVSS4_CR] +
		  dist[CVSS4_IR] + dist[CVSS4_AR];
	d_eq[3] = dist[CVSS4_SC] + dist[CVSS4_SI] + dist[CVSS4_SA];
	depth[0] = cvss4_max_severity_eq1[eq1] * cvss4_step;
	depth[1] = cvss4_max_severity_eq2[eq2] * cvss4_step;
	depth[2] = cvss4_max_severity_eq3eq6[eq3][eq6] * cvss4_step;
	depth[3] = cvss4_max_severity_eq4[eq4] * cvss4_step;
	for (int i = 0; i < 4; i++) {
		if (!has[i])
			continue;
		n++;
		norm[i] = (value - lower[i]) * (d_eq[i] / depth[i]);
	}
	/* EQ5 has no distance within a MacroVector: a lower one counts in
	 * the mean with a share of 0. */
	n += has[4];
	x = value;
	if (n)
		x -= (norm[0] + norm[1] + norm[2] + norm[3]) / n;
	x = x > 10 ? 10 : x;
	x = x < 0 ? 0 : x;
	return round_tenth(x);
}

/* ERR_INPUT with "CVSS vector '<excerpt of s>': <fmt...>". */
__attribute__((format(printf, 4, 5)))
static int fail(struct err *e, const char *s, size_t len, const char *fmt, ...)
{
	char shown[SHOW_MAX], why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "CVSS vector '%s': %s", show_bytes(shown, s, len), why);
}

int cvss4_parse(const char *s, size_t len, struct cvss4 *ret, struct err *e)
{
	struct cvss4 v;
	bool seen[CVSS4_NMETRICS] = { false };
	size_t pos = sizeof(PREFIX) - 1;
	char shown[SHOW_MAX];

	if (len > CVSS4_VECTOR_MAX)
		return fail(e, s, len, "longer than %d bytes", CVSS4_VECTOR_MAX);
	if (len < pos || memcmp(s, PREFIX, pos) != 0)
		return fail(e, s, len, "does not start with '%s'", PREFIX);
	memset(&v, 0, sizeof(v));
	memset(v.metric, 'X', sizeof(v.metric));
	for (;;) {
		const char *part = s + pos, *slash = memchr(part, '/', len - pos), *colon;
		size_t plen = slash ? (size_t)(slash - part) : len - pos, vlen;
		enum cvss4_metric m;
		char val;

		colon = memchr(part, ':', plen);
		if (!colon)
			return fail(e, s, len, "'%s' is not METRIC:VALUE",
				    show_bytes(shown, part, plen));
		m = metric_find(part, (size_t)(colon - part));
		if (m == CVSS4_NMETRICS)
			return fail(e, s, len, "unknown metric '%s'",
				    show_bytes(shown, part, (size_t)(colon - part)));
		if (seen[m])
			return fail(e, s, len, "metric %s: given twice", SPECS[m].name);
		vlen = plen - (size_t)(colon + 1 - part);
		val = value_find(m, colon + 1, vlen);
		if (!val)
			return fail(e, s, len, "metric %s: invalid value '%s'", SPECS[m].name,
				    show_bytes(shown, colon + 1, vlen));
		seen[m] = true;
		v.metric[m] = val;
		if (!slash)
			break;
		pos += plen + 1;
	}
	for (int m = 0; m < CVSS4_NMETRICS; m++)
		if (metric_required((enum cvss4_metric)m) && !seen[m])
			return fail(e, s, len, "metric %s: missing", SPECS[m].name);

	/* No impact on any system: 0.0 by definition, no lookup. */
	if (effective(v.metric, CVSS4_VC) == 'N' && effective(v.metric, CVSS4_VI) == 'N' &&
	    effective(v.metric, CVSS4_VA) == 'N' && effective(v.metric, CVSS4_SC) == 'N' &&
	    effective(v.metric, CVSS4_SI) == 'N' && effective(v.metric, CVSS4_SA) == 'N') {
		v.score = 0.0;
		v.macrovector[0] = '\0';
	} else {
		macrovector(v.metric, v.macrovector);
		v.score = score(v.metric, v.macrovector);
	}
	*ret = v;
	return 0;
}
