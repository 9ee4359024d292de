/*
 * CVSS v3.0 / v3.1 vectors and scores; see cvss3.h.
 *
 * Published scores are what FIRST's reference calculators print, and those
 * depend on IEEE double rounding: v3.0 rounds up with ceil(x * 10) / 10, so
 * a sum that lands at 4.000000000000001 scores 4.1. Every formula below
 * therefore keeps the reference evaluation order (left-to-right products,
 * the same parenthesisation) so that the doubles, not just the reals,
 * agree. No libm: the powers have small integer exponents and the
 * roundings are done on integers, which the tests check against every
 * base vector and the published temporal/environmental examples.
 */
#include "core/cvss3.h"

#include <stdbool.h>
#include <string.h>

/*
 * One metric: its name in the vector and the values it accepts. Base
 * metrics are required; the others accept 'X' (Not Defined), which for
 * the Modified metrics means "use the base value".
 */
struct metric_def {
	const char *name;
	const char *values;
};

static const struct metric_def metric_defs[CVSS3_NMETRICS] = {
	[CVSS3_AV] = { "AV", "NALP" },   [CVSS3_AC] = { "AC", "LH" },
	[CVSS3_PR] = { "PR", "NLH" },    [CVSS3_UI] = { "UI", "NR" },
	[CVSS3_S] = { "S", "UC" },       [CVSS3_C] = { "C", "HLN" },
	[CVSS3_I] = { "I", "HLN" },      [CVSS3_A] = { "A", "HLN" },
	[CVSS3_E] = { "E", "XHFPU" },    [CVSS3_RL] = { "RL", "XUWTO" },
	[CVSS3_RC] = { "RC", "XCRU" },   [CVSS3_CR] = { "CR", "XHML" },
	[CVSS3_IR] = { "IR", "XHML" },   [CVSS3_AR] = { "AR", "XHML" },
	[CVSS3_MAV] = { "MAV", "XNALP" }, [CVSS3_MAC] = { "MAC", "XLH" },
	[CVSS3_MPR] = { "MPR", "XNLH" }, [CVSS3_MUI] = { "MUI", "XNR" },
	[CVSS3_MS] = { "MS", "XUC" },    [CVSS3_MC] = { "MC", "XHLN" },
	[CVSS3_MI] = { "MI", "XHLN" },   [CVSS3_MA] = { "MA", "XHLN" },
};

#define BASE_METRICS (CVSS3_A + 1)
#define PREFIX_LEN 9 /* "CVSS:3.x/" */

/* ---- weights (specification section 7.4) ---- */

static double w_av(char v)
{
	switch (v) {
	case 'N': return 0.85;
	case 'A': return 0.62;
	case 'L': return 0.55;
	default: return 0.2; /* P */
	}
}

static double w_ac(char v)
{
	return v == 'L' ? 0.77 : 0.44;
}

/* Privileges Required weighs more when the scope changes. */
static double w_pr(char v, bool changed)
{
	switch (v) {
	case 'N': return 0.85;
	case 'L': return changed ? 0.68 : 0.62;
	default: return changed ? 0.5 : 0.27; /* H */
	}
}

static double w_ui(char v)
{
	return v == 'N' ? 0.85 : 0.62;
}

static double w_cia(char v)
{
	switch (v) {
	case 'H': return 0.56;
	case 'L': return 0.22;
	default: return 0; /* N */
	}
}

static double w_e(char v)
{
	switch (v) {
	case 'F': return 0.97;
	case 'P': return 0.94;
	case 'U': return 0.91;
	default: return 1; /* X, H */
	}
}

static double w_rl(char v)
{
	switch (v) {
	case 'W': return 0.97;
	case 'T': return 0.96;
	case 'O': return 0.95;
	default: return 1; /* X, U */
	}
}

static double w_rc(char v)
{
	switch (v) {
	case 'R': return 0.96;
	case 'U': return 0.92;
	default: return 1; /* X, C */
	}
}

static double w_req(char v)
{
	switch (v) {
	case 'H': return 1.5;
	case 'L': return 0.5;
	default: return 1; /* X, M */
	}
}

/* ---- rounding ---- */

/*
 * v3.0 (specification 7.4, reference calculator): the smallest one-decimal
 * number >= x, as ceil(x * 10) / 10 on doubles, artefacts included.
 * x is in [0, 10], so the truncating cast is a floor.
 */
static double roundup30(double x)
{
	double v = x * 10;
	long n = (long)v;

	if ((double)n < v)
		n++;
	return (double)n / 10;
}

/*
 * v3.1 Appendix A: round x * 100000 to an integer (half up, as
 * JavaScript's Math.round), then round up to one decimal on integers so
 * that representation noise below 1e-5 no longer bumps the score. x >= 0,
 * so v - n is the exact fraction of v.
 */
static double roundup31(double x)
{
	double v = x * 100000;
	long n = (long)v;

	if (v - (double)n >= 0.5)
		n++;
	if (n % 10000 == 0)
		return (double)n / 100000;
	return (double)(n / 10000 + 1) / 10;
}

static double roundup(int minor, double x)
{
	return minor == 0 ? roundup30(x) : roundup31(x);
}

static double min10(double x)
{
	return x < 10 ? x : 10;
}

/*
 * x^n by repeated multiplication (n is 13 or 15). Not bit-identical to
 * pow() for every x, but over every reachable input the final scores
 * equal those of a Math.pow-based calculator (checked exhaustively over
 * all temporal and environmental combinations when this was written).
 */
static double power(double x, int n)
{
	double r = x;

	for (int i = 1; i < n; i++)
		r *= x;
	return r;
}

/* ---- scores (specification section 7) ---- */

static char pick(const char *m, enum cvss3_metric modified, enum cvss3_metric base)
{
	return m[modified] != 'X' ? m[modified] : m[base];
}

static void compute(struct cvss3 *c)
{
	const char *m = c->metric;
	bool changed = m[CVSS3_S] == 'C';
	double iss, impact, exploitability;
	double miss, mimpact, mexploitability, env;
	bool mchanged = pick(m, CVSS3_MS, CVSS3_S) == 'C';

	iss = 1 - ((1 - w_cia(m[CVSS3_C])) * (1 - w_cia(m[CVSS3_I])) * (1 - w_cia(m[CVSS3_A])));
	if (!changed)
		impact = 6.42 * iss;
	else
		impact = 7.52 * (iss - 0.029) - 3.25 * power(iss - 0.02, 15);
	exploitability = 8.22 * w_av(m[CVSS3_AV]) * w_ac(m[CVSS3_AC]) *
			 w_pr(m[CVSS3_PR], changed) * w_ui(m[CVSS3_UI]);
	if (impact <= 0)
		c->base = 0;
	else if (!changed)
		c->base = roundup(c->minor, min10(impact + exploitability));
	else
		c->base = roundup(c->minor, min10(1.08 * (impact + exploitability)));

	/* Kept as three products in this order, as the reference does:
	 * (base * E) * RL * RC is not always equal to base * (E * RL * RC). */
	c->temporal = roundup(c->minor, c->base * w_e(m[CVSS3_E]) * w_rl(m[CVSS3_RL]) *
						  w_rc(m[CVSS3_RC]));

	miss = 1 - ((1 - w_cia(pick(m, CVSS3_MC, CVSS3_C)) * w_req(m[CVSS3_CR])) *
		    (1 - w_cia(pick(m, CVSS3_MI, CVSS3_I)) * w_req(m[CVSS3_IR])) *
		    (1 - w_cia(pick(m, CVSS3_MA, CVSS3_A)) * w_req(m[CVSS3_AR])));
	if (miss > 0.915)
		miss = 0.915;
	if (!mchanged)
		mimpact = 6.42 * miss;
	else if (c->minor == 0)
		mimpact = 7.52 * (miss - 0.029) - 3.25 * power(miss - 0.02, 15);
	else /* v3.1 changed the environmental formula, and only it */
		mimpact = 7.52 * (miss - 0.029) - 3.25 * power(miss * 0.9731 - 0.02, 13);
	mexploitability = 8.22 * w_av(pick(m, CVSS3_MAV, CVSS3_AV)) *
			  w_ac(pick(m, CVSS3_MAC, CVSS3_AC)) *
			  w_pr(pick(m, CVSS3_MPR, CVSS3_PR), mchanged) *
			  w_ui(pick(m, CVSS3_MUI, CVSS3_UI));
	if (mimpact <= 0) {
		c->environmental = 0;
		return;
	}
	if (!mchanged)
		env = roundup(c->minor, min10(mimpact + mexploitability));
	else
		env = roundup(c->minor, min10(1.08 * (mimpact + mexploitability)));
	c->environmental = roundup(c->minor, env * w_e(m[CVSS3_E]) * w_rl(m[CVSS3_RL]) *
						     w_rc(m[CVSS3_RC]));
}

/* ---- parsing ---- */

static int find_metric(const char *name, size_t len)
{
	for (int i = 0; i < CVSS3_NMETRICS; i++)
		if (strlen(metric_defs[i].name) == len && memcmp(metric_defs[i].name, name, len) == 0)
			return i;
	return -1;
}

/*
 * The vector as the message quotes it: at most 100 bytes, with
 * non-printable bytes shown as '?', so a hostile vector cannot garble the
 * log line. out has room for 104 bytes.
 */
static void quote(char *out, const char *s, size_t len)
{
	size_t n = len > 100 ? 100 : len, i;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (n < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* Same for a short piece (a metric name or value), at most 16 bytes. */
static void quote_short(char *out, const char *s, size_t len)
{
	size_t n = len > 16 ? 16 : len, i;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (n < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* Parses the metrics after the prefix into c->metric; 0 or ERR_INPUT. */
static int parse_metrics(const char *s, size_t len, struct cvss3 *c, struct err *e)
{
	char piece[20];
	size_t pos = 0;

	if (len == 0)
		return err_set(e, ERR_INPUT, "no metrics after the prefix");
	for (;;) {
		const char *comp = s + pos, *colon, *slash;
		size_t clen, nlen, vlen;
		int id;

		slash = memchr(comp, '/', len - pos);
		clen = slash ? (size_t)(slash - comp) : len - pos;
		if (clen == 0)
			return err_set(e, ERR_INPUT, "empty metric at offset %zu", pos + PREFIX_LEN);
		colon = memchr(comp, ':', clen);
		if (!colon) {
			quote_short(piece, comp, clen);
			return err_set(e, ERR_INPUT, "metric '%s' has no ':'", piece);
		}
		nlen = (size_t)(colon - comp);
		vlen = clen - nlen - 1;
		id = find_metric(comp, nlen);
		if (id < 0) {
			quote_short(piece, comp, nlen);
			return err_set(e, ERR_INPUT, "unknown metric '%s'", piece);
		}
		/* memchr, not strchr: a NUL value byte must not match the terminator */
		if (vlen != 1 || !memchr(metric_defs[id].values, colon[1],
					 strlen(metric_defs[id].values))) {
			quote_short(piece, colon + 1, vlen);
			return err_set(e, ERR_INPUT, "metric %s: invalid value '%s'",
				       metric_defs[id].name, piece);
		}
		if (c->metric[id])
			return err_set(e, ERR_INPUT, "metric %s: defined more than once",
				       metric_defs[id].name);
		c->metric[id] = colon[1];
		if (!slash)
			break;
		pos += clen + 1;
		if (pos == len)
			return err_set(e, ERR_INPUT, "trailing '/' after metric %s",
				       metric_defs[id].name);
	}
	for (int i = 0; i < CVSS3_NMETRICS; i++) {
		if (c->metric[i])
			continue;
		if (i < BASE_METRICS)
			return err_set(e, ERR_INPUT, "metric %s: missing (base metrics are required)",
				       metric_defs[i].name);
		c->metric[i] = 'X';
	}
	return 0;
}

int cvss3_parse(const char *s, size_t len, struct cvss3 *ret, struct err *e)
{
	struct cvss3 c;
	char shown[104];
	int rc;

	memset(&c, 0, sizeof(c));
	quote(shown, s, len);
	if (len > CVSS3_VECTOR_MAX)
		return err_set(e, ERR_INPUT, "CVSS vector '%s': longer than %d bytes", shown,
			       CVSS3_VECTOR_MAX);
	if (len >= PREFIX_LEN && memcmp(s, "CVSS:3.0/", PREFIX_LEN) == 0)
		c.minor = 0;
	else if (len >= PREFIX_LEN && memcmp(s, "CVSS:3.1/", PREFIX_LEN) == 0)
		c.minor = 1;
	else
		return err_set(e, ERR_INPUT, "CVSS vector '%s': expected 'CVSS:3.0/' or 'CVSS:3.1/'",
			       shown);
	rc = parse_metrics(s + PREFIX_LEN, len - PREFIX_LEN, &c, e);
	if (rc)
		return err_prefix(e, rc, "CVSS vector '%s'", shown);
	compute(&c);
	*ret = c;
	return 0;
}

const char *cvss_severity(double score)
{
	if (!(score > 0)) /* also NaN */
		return "None";
	if (score < 4.0)
		return "Low";
	if (score < 7.0)
		return "Medium";
	if (score < 9.0)
		return "High";
	return "Critical";
}
