/*
 * CVSS v4.0: every vector of the published test set
 * (vectors/cvss/cvss40_scores.tsv, scored by FIRST's reference
 * calculator) gets the reference's score and MacroVector; the tables
 * embedded in src/core/cvss4_tables.c equal the published JSON; and bad
 * vectors are refused with a message naming the metric.
 *
 * The published data is in ../shared/data (or $HFX_SHARED_DATA); without
 * it only the hand-written cases run and the exit status is 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss4.h"
#include "testutil.h"

/* Parses s (from an exact-size heap copy, so ASan sees overreads). */
static int parse(const char *s, struct cvss4 *ret, struct err *e)
{
	size_t len = strlen(s);
	char *copy = exact_copy(s, len);
	int rc = cvss4_parse(copy, len, ret, e);

	free(copy);
	return rc;
}

static void expect_score(const char *vector, double score, const char *mv)
{
	struct cvss4 c;
	struct err e = { "" };

	if (parse(vector, &c, &e))
		fail_msg("%s: %s", vector, e.msg);
	if (c.score != score || strcmp(c.macrovector, mv))
		fail_msg("%s: got %.1f %s, want %.1f %s", vector, c.score, c.macrovector, score,
			 mv);
}

static void test_examples(void **state)
{
	(void)state;
	/* The specification's and the calculator's own examples. */
	expect_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0,
		     "000100");
	expect_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3,
		     "000200");
	expect_score("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "");
	/* Modified metrics and the threat metric change the MacroVector. */
	expect_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A",
		     8.7, "100200");
	expect_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 8.1,
		     "000220");
	expect_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S", 8.9,
		     "002001");
	/* Order is free; X is the same as absent; supplemental metrics do
	 * not score. */
	expect_score("CVSS:4.0/SA:H/SI:H/SC:H/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N/E:X/CR:X/"
		     "U:Amber/RE:H", 10.0, "000100");
}

static void test_metrics_kept(void **state)
{
	struct cvss4 c;
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse("CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:L/VI:N/VA:H/SC:L/SI:N/SA:L/"
			       "E:P/MSI:S/U:Clear/R:I", &c, &e), 0);
	assert_int_equal(c.metric[CVSS4_AV], 'A');
	assert_int_equal(c.metric[CVSS4_UI], 'P');
	assert_int_equal(c.metric[CVSS4_E], 'P');
	assert_int_equal(c.metric[CVSS4_MSI], 'S');
	assert_int_equal(c.metric[CVSS4_MSA], 'X');
	assert_int_equal(c.metric[CVSS4_U], 'C');
	assert_int_equal(c.metric[CVSS4_R], 'I');
	assert_int_equal(c.metric[CVSS4_CR], 'X');
}

/* Reads one TSV line into its five fields; false at the end of input. */
static bool read_row(FILE *f, char *line, size_t size, char *field[5])
{
	size_t n;

	if (!fgets(line, (int)size, f))
		return false;
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[--n] = '\0';
	field[0] = line;
	for (int i = 1; i < 5; i++) {
		char *tab = field[i - 1] ? strchr(field[i - 1], '\t') : NULL;

		if (tab)
			*tab++ = '\0';
		field[i] = tab;
	}
	if (!field[4])
		fail_msg("malformed row: %s", line);
	return true;
}

static void test_published_vectors(void **state)
{
	const char *path = shared_path("vectors/cvss/cvss40_scores.tsv");
	char line[512], *field[5];
	int rows = 0, bad = 0, differs = 0, zero = 0;
	FILE *f;

	(void)state;
	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(read_row(f, line, sizeof(line), field));
	assert_string_equal(field[0], "vector");
	assert_string_equal(field[2], "score_if_plain_float_rounding");
	assert_string_equal(field[3], "macrovector");
	while (read_row(f, line, sizeof(line), field)) {
		struct cvss4 c;
		struct err e = { "" };
		double want = strtod(field[1], NULL), plain = strtod(field[2], NULL);

		rows++;
		differs += want != plain;
		zero += field[3][0] == '\0';
		if (parse(field[0], &c, &e)) {
			print_error("%s (%s): %s\n", field[0], field[4], e.msg);
			bad++;
		} else if (c.score != want || strcmp(c.macrovector, field[3])) {
			print_error("%s (%s): got %.1f %s, want %s %s\n", field[0], field[4],
				    c.score, c.macrovector, field[1], field[3]);
			bad++;
		}
	}
	fclose(f);
	/* The whole file was read, including the rows where plain float
	 * rounding gives 0.1 less and those that score 0.0 without a lookup. */
	assert_true(rows >= 1694);
	assert_true(differs >= 6);
	assert_true(zero > 0);
	assert_int_equal(bad, 0);
}

static json_t *load_tables(void)
{
	const char *path = shared_path("vectors/cvss/cvss40_tables.json");
	json_error_t jerr;
	json_t *t;

	assert_non_null(path);
	t = json_load_file(path, 0, &jerr);
	if (!t)
		fail_msg("%s: %s", path, jerr.text);
	return t;
}

static void test_lookup_table(void **state)
{
	json_t *t = load_tables(), *lookup = json_object_get(t, "cvss_lookup_global"), *score;
	const char *mv;
	size_t i;

	(void)state;
	assert_true(json_is_object(lookup));
	assert_int_equal(json_object_size(lookup), CVSS4_LOOKUP_N);
	json_object_foreach(lookup, mv, score) {
		for (i = 0; i < CVSS4_LOOKUP_N; i++)
			if (!strcmp(cvss4_lookup[i].mv, mv))
				break;
		if (i == CVSS4_LOOKUP_N)
			fail_msg("MacroVector %s is not embedded", mv);
		if (cvss4_lookup[i].score != json_number_value(score))
			fail_msg("MacroVector %s: %g embedded, %g published", mv,
				 cvss4_lookup[i].score, json_number_value(score));
	}
	/* Sorted and unique, which the binary search relies on. */
	for (i = 1; i < CVSS4_LOOKUP_N; i++)
		assert_true(strcmp(cvss4_lookup[i - 1].mv, cvss4_lookup[i].mv) < 0);
	json_decref(t);
}

/* The NULL-terminated list have[] equals the JSON array want, in order. */
static void same_list(const char *what, const char *const *have, json_t *want)
{
	size_t i;

	if (!json_is_array(want))
		fail_msg("%s: not in the JSON", what);
	for (i = 0; i < json_array_size(want); i++) {
		const char *w = json_string_value(json_array_get(want, i));

		assert_true(i < CVSS4_MAX_ALT);
		if (!have[i] || !w || strcmp(have[i], w))
			fail_msg("%s[%zu]: '%s' embedded, '%s' published", what, i,
				 have[i] ? have[i] : "(none)", w ? w : "(none)");
	}
	if (have[i])
		fail_msg("%s: '%s' embedded, not published", what, have[i]);
}

static void test_max_composed(void **state)
{
	json_t *t = load_tables(), *mc = json_object_get(t, "max_composed");
	const char *const (*simple[])[CVSS4_MAX_ALT + 1] = {
		cvss4_max_eq1, cvss4_max_eq2, NULL, cvss4_max_eq4, cvss4_max_eq5,
	};
	const int levels[] = { 3, 2, 3, 3, 3 };
	char key[16], what[48];

	(void)state;
	assert_int_equal(json_object_size(mc), 5);
	for (int eq = 0; eq < 5; eq++) {
		json_t *byeq;

		snprintf(key, sizeof(key), "eq%d", eq + 1);
		byeq = json_object_get(mc, key);
		assert_non_null(byeq);
		for (int lvl = 0; lvl < levels[eq]; lvl++) {
			json_t *want;

			snprintf(key, sizeof(key), "%d", lvl);
			want = json_object_get(byeq, key);
			if (eq != 2) {
				snprintf(what, sizeof(what), "eq%d/%d", eq + 1, lvl);
				same_list(what, simple[eq][lvl], want);
				continue;
			}
			for (int eq6 = 0; eq6 < 2; eq6++) {
				json_t *w = json_object_get(want, eq6 ? "1" : "0");

				snprintf(what, sizeof(what), "eq3/%d/%d", lvl, eq6);
				if (w)
					same_list(what, cvss4_max_eq3[lvl][eq6], w);
				else
					assert_null(cvss4_max_eq3[lvl][eq6][0]);
			}
			assert_int_equal(json_object_size(want), lvl == 2 ? 1 : 2);
		}
		assert_int_equal(json_object_size(byeq), levels[eq]);
	}
	json_decref(t);
}

static int severity_of(json_t *ms, const char *eq, int lvl, int eq6)
{
	char key[16];
	json_t *v = json_object_get(ms, eq);

	snprintf(key, sizeof(key), "%d", lvl);
	v = json_object_get(v, key);
	if (eq6 >= 0) {
		snprintf(key, sizeof(key), "%d", eq6);
		v = json_object_get(v, key);
	}
	return v ? (int)json_integer_value(v) : 0;
}

static void test_max_severity_levels_step(void **state)
{
	json_t *t = load_tables(), *ms = json_object_get(t, "max_severity");
	json_t *sl = json_object_get(t, "severity_levels"), *values;
	const char *metric;
	size_t k = 0;

	(void)state;
	assert_int_equal(json_object_size(ms), 5);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cvss4_max_severity_eq1[i], severity_of(ms, "eq1", i, -1));
		assert_int_equal(cvss4_max_severity_eq4[i], severity_of(ms, "eq4", i, -1));
		assert_int_equal(cvss4_max_severity_eq5[i], severity_of(ms, "eq5", i, -1));
		for (int eq6 = 0; eq6 < 2; eq6++)
			assert_int_equal(cvss4_max_severity_eq3eq6[i][eq6],
					 severity_of(ms, "eq3eq6", i, eq6));
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(cvss4_max_severity_eq2[i], severity_of(ms, "eq2", i, -1));

	/* severity_levels, in the JSON's order (the scorer sums by position). */
	assert_int_equal(json_object_size(sl), CVSS4_LEVELS_N);
	json_object_foreach(sl, metric, values) {
		const struct cvss4_levels *r = &cvss4_severity_levels[k++];
		const char *value;
		json_t *level;
		size_t i = 0;

		assert_string_equal(r->metric, metric);
		assert_int_equal(strlen(r->values), json_object_size(values));
		json_object_foreach(values, value, level) {
			assert_int_equal(strlen(value), 1);
			assert_int_equal(r->values[i], value[0]);
			if (r->level[i] != json_number_value(level))
				fail_msg("%s:%s: %g embedded, %g published", metric, value,
					 r->level[i], json_number_value(level));
			i++;
		}
	}
	assert_true(cvss4_step == json_number_value(json_object_get(t, "step")));
	json_decref(t);
}

static void refuse(const char *vector, const char *why)
{
	struct cvss4 c, sentinel;
	struct err e = { "" };

	memset(&c, 0x5a, sizeof(c));
	sentinel = c;
	assert_int_equal(parse(vector, &c, &e), ERR_INPUT);
	if (!strstr(e.msg, why))
		fail_msg("%s: message '%s' lacks '%s'", vector, e.msg, why);
	assert_true(!strncmp(e.msg, "CVSS vector '", 13));
	assert_memory_equal(&c, &sentinel, sizeof(c));
}

static void test_refusals(void **state)
{
	const char *base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
	char long_vector[400];

	(void)state;
	refuse("CVSS:4.0/AV:N/AC:L/AT:Q/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	       "metric AT: invalid value 'Q'");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/AT:N",
	       "metric AT: given twice");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
	       "metric SA: missing");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:N",
	       "unknown metric 'XX'");
	/* X is Not Defined, which a base metric cannot be. */
	refuse("CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	       "metric AV: invalid value 'X'");
	/* S(afety) only in the modified metrics. */
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
	       "metric SI: invalid value 'S'");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
	       "metric MSC: invalid value 'S'");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear",
	       "metric U: invalid value 'clear'");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:",
	       "metric E: invalid value ''");
	refuse("CVSS:4.0/av:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	       "unknown metric 'av'");
	refuse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/",
	       "'' is not METRIC:VALUE");
	refuse("CVSS:4.0/AV:N//AC:L", "'' is not METRIC:VALUE");
	refuse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "does not start with 'CVSS:4.0/'");
	refuse("", "does not start with");
	refuse("CVSS:4.0/", "is not METRIC:VALUE");
	/* Hostile bytes are shown escaped, never raw. */
	refuse("CVSS:4.0/AV:N/AC:\x1b[31m", "metric AC: invalid value '\\x1b[31m'");

	snprintf(long_vector, sizeof(long_vector), "%s%0*d", base, 250, 0);
	refuse(long_vector, "longer than 256 bytes");
}

/* The failure reports where the value ends: a vector cut inside its
 * buffer is read only up to len. */
static void test_explicit_length(void **state)
{
	const char *full = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:NXYZ";
	struct cvss4 c;
	struct err e = { "" };
	size_t len = strlen(full) - 3;
	char *copy = exact_copy(full, len);

	(void)state;
	assert_int_equal(cvss4_parse(copy, len, &c, &e), 0);
	assert_true(c.score == 9.3);
	assert_int_equal(cvss4_parse(copy, len - 1, &c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "metric SA: invalid value ''"));
	free(copy);
}

int main(void)
{
	const struct CMUnitTest own[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_metrics_kept),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_explicit_length),
	};
	const struct CMUnitTest published[] = {
		cmocka_unit_test(test_published_vectors),
		cmocka_unit_test(test_lookup_table),
		cmocka_unit_test(test_max_composed),
		cmocka_unit_test(test_max_severity_levels_step),
	};
	int failed = cmocka_run_group_tests_name("cvss4", own, NULL, NULL);

	if (!shared_path("vectors/cvss/cvss40_scores.tsv") ||
	    !shared_path("vectors/cvss/cvss40_tables.json"))
		return failed ? 1 : 77;
	failed += cmocka_run_group_tests_name("cvss4_published", published, NULL, NULL);
	return failed ? 1 : 0;
}
