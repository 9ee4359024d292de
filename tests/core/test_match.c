/*
 * OSV range evaluation (core/match.c) against the cases in
 * vectors/osv/osv_range_evaluation_cases.json, whose expectations were
 * computed with the OSV schema's pseudocode and cross-checked with
 * osv.dev's matcher; plus SemVer precedence vectors, and the fix that a
 * match reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/match.h"
#include "testutil.h"

static const char *cases_path;
static const char *semver_path;

static enum osv_event_kind kind_of(const char *k)
{
	if (!strcmp(k, "introduced"))
		return EVENT_INTRODUCED;
	if (!strcmp(k, "fixed"))
		return EVENT_FIXED;
	if (!strcmp(k, "last_affected"))
		return EVENT_LAST_AFFECTED;
	assert_string_equal(k, "limit");
	return EVENT_LIMIT;
}

/* Builds an affected entry with one range from a case's JSON. */
static void build(const json_t *c, struct affected *af)
{
	const json_t *events = json_object_get(c, "events");
	const json_t *versions = json_object_get(c, "versions");
	const char *type = json_string_value(json_object_get(c, "range_type"));
	size_t i;
	json_t *ev;

	*af = (struct affected){ 0 };
	af->nranges = 1;
	af->ranges = calloc(1, sizeof(*af->ranges));
	af->ranges->type = !strcmp(type, "SEMVER") ? RANGE_SEMVER : RANGE_ECOSYSTEM;
	af->ranges->nevents = json_array_size(events);
	af->ranges->events = calloc(af->ranges->nevents + 1, sizeof(struct osv_event));
	json_array_foreach(events, i, ev) {
		const char *key = json_object_iter_key(json_object_iter(ev));

		af->ranges->events[i].kind = kind_of(key);
		af->ranges->events[i].version = strdup(json_string_value(json_object_get(ev, key)));
	}
	af->nversions = json_array_size(versions);
	af->versions = calloc(af->nversions + 1, sizeof(char *));
	for (i = 0; i < af->nversions; i++)
		af->versions[i] = strdup(json_string_value(json_array_get(versions, i)));
}

static void test_range_cases(void **state)
{
	json_error_t jerr;
	json_t *root = json_load_file(cases_path, 0, &jerr), *c;
	size_t i, checked = 0, skipped = 0;
	int failures = 0;

	(void)state;
	assert_non_null(root);
	json_array_foreach(json_object_get(root, "cases"), i, c) {
		const char *comparator = json_string_value(json_object_get(c, "comparator"));
		const char *v = json_string_value(json_object_get(c, "query_version"));
		bool want = json_is_true(json_object_get(c, "expected_affected"));
		version_cmp_fn cmp = !strcmp(comparator, "dpkg") ? deb_vercmp :
				     !strcmp(comparator, "semver") ? semver_cmp : NULL;
		struct affected af;
		bool got;

		if (!cmp) { /* rpm comes with the RPM comparator */
			skipped++;
			continue;
		}
		build(c, &af);
		assert_int_equal(affected_sort(&af, cmp, NULL), 0);
		got = affected_match(&af, cmp, v, strlen(v), NULL);
		if (got != want) {
			fprintf(stderr, "case %zu (%s): %s affected=%d, expected %d\n", i,
				json_string_value(json_object_get(c, "source")), v, got, want);
			failures++;
		}
		affected_release(&af);
		checked++;
	}
	fprintf(stderr, "range cases: %zu checked, %zu skipped (rpm)\n", checked, skipped);
	json_decref(root);
	assert_int_equal(failures, 0);
	assert_true(checked >= 55);
}

static void test_semver_precedence(void **state)
{
	FILE *f = fopen(semver_path, "r");
	char line[1024], a[256], b[256];
	int expected, n = 0, failures = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		int r;

		if (sscanf(line, "%255[^\t]\t%255[^\t]\t%d", a, b, &expected) != 3)
			continue;
		r = semver_cmp(a, strlen(a), b, strlen(b));
		r = (r > 0) - (r < 0);
		if (r != expected) {
			fprintf(stderr, "semver %s vs %s: %d, expected %d\n", a, b, r, expected);
			failures++;
		}
		n++;
	}
	fclose(f);
	assert_int_equal(failures, 0);
	assert_true(n > 90);
}

static struct osv_event ev(enum osv_event_kind k, const char *v)
{
	return (struct osv_event){ .kind = k, .version = (char *)v };
}

/* The fix reported is the fixed event closing the matched interval, and a
 * range without one is "no fix yet". */
static void test_fix_reporting(void **state)
{
	struct osv_event evs[] = { ev(EVENT_FIXED, "2.0-1"), ev(EVENT_INTRODUCED, "0"),
				   ev(EVENT_INTRODUCED, "3.0-1"), ev(EVENT_FIXED, "1.5-1"),
				   ev(EVENT_INTRODUCED, "1.8-1") };
	struct osv_range r = { RANGE_ECOSYSTEM, 5, evs };
	struct affected af = { .nranges = 1, .ranges = &r };
	struct match m;
	char why[256];

	(void)state;
	assert_int_equal(affected_sort(&af, deb_vercmp, NULL), 0);
	assert_true(affected_match(&af, deb_vercmp, "1.0-1", 5, &m));
	assert_string_equal(m.fixed, "1.5-1");
	assert_false(affected_match(&af, deb_vercmp, "1.6-1", 5, &m));
	assert_true(affected_match(&af, deb_vercmp, "1.9-1", 5, &m));
	assert_string_equal(m.fixed, "2.0-1");
	assert_false(affected_match(&af, deb_vercmp, "2.0-1", 5, &m));
	assert_true(affected_match(&af, deb_vercmp, "1:0.1-1", 7, &m)); /* epoch 1 > 3.0 */
	assert_null(m.fixed);
	match_explain(&af, &m, "1:0.1-1", "dpkg", why, sizeof(why));
	assert_non_null(strstr(why, "no fixed or last_affected above it"));
	assert_true(affected_match(&af, deb_vercmp, "1.0-1", 5, &m));
	match_explain(&af, &m, "1.0-1", "dpkg", why, sizeof(why));
	assert_string_equal(why, "range 0 (ECOSYSTEM): 1.0-1 >= introduced 0, "
			    "1.0-1 < fixed 1.5-1 (dpkg)");
}

/* last_affected is inclusive; a version list matches exactly (dpkg
 * equality: "1.0" is "0:1.0-0"), and GIT ranges never match. */
static void test_last_affected_versions_git(void **state)
{
	struct osv_event la[] = { ev(EVENT_INTRODUCED, "1.0"), ev(EVENT_LAST_AFFECTED, "1.4") };
	struct osv_event git[] = { ev(EVENT_INTRODUCED, "0") };
	struct osv_range ranges[] = { { RANGE_GIT, 1, git }, { RANGE_ECOSYSTEM, 2, la } };
	char *versions[] = { "0:2.0-0" };
	struct affected af = { .nranges = 2, .ranges = ranges, .nversions = 1,
			       .versions = versions };
	struct match m;

	(void)state;
	assert_int_equal(affected_sort(&af, deb_vercmp, NULL), 0);
	assert_true(affected_match(&af, deb_vercmp, "1.4", 3, &m));
	assert_null(m.fixed);
	assert_false(affected_match(&af, deb_vercmp, "1.4-1", 5, &m));
	assert_false(affected_match(&af, deb_vercmp, "0.9", 3, &m));
	assert_true(affected_match(&af, deb_vercmp, "2.0", 3, &m));
	assert_int_equal(m.range, MATCH_BY_VERSIONS);
}

static int collect_raised(const char *old_fixed, const char *new_fixed, void *ctx,
			  struct err *e)
{
	char *out = ctx;
	size_t n = strlen(out);

	(void)e;
	snprintf(out + n, 256 - n, "%s->%s ", old_fixed, new_fixed);
	return 0;
}

/* Which fixes a new revision raised: a fix replaced by a higher one, in
 * each branch (dpkg order: deb12u10 is above deb12u2, digits compare as
 * numbers); not a lowered, kept or dropped one. */
static void test_raised_fixes(void **state)
{
	struct osv_event o1[] = { ev(EVENT_INTRODUCED, "0"), ev(EVENT_FIXED, "1.0-1+deb12u2"),
				  ev(EVENT_INTRODUCED, "2.0-1"), ev(EVENT_FIXED, "2.0-3") };
	struct osv_event n1[] = { ev(EVENT_INTRODUCED, "0"), ev(EVENT_FIXED, "1.0-1+deb12u10"),
				  ev(EVENT_INTRODUCED, "2.0-1"), ev(EVENT_FIXED, "2.0-3") };
	struct osv_event n2[] = { ev(EVENT_INTRODUCED, "0"), ev(EVENT_FIXED, "1.0-1+deb12u1") };
	struct osv_event n3[] = { ev(EVENT_INTRODUCED, "0"), ev(EVENT_LAST_AFFECTED, "9") };
	struct osv_range ro = { RANGE_ECOSYSTEM, 4, o1 }, rn1 = { RANGE_ECOSYSTEM, 4, n1 };
	struct osv_range rn2 = { RANGE_ECOSYSTEM, 2, n2 }, rn3 = { RANGE_ECOSYSTEM, 2, n3 };
	struct osv_range rs = { RANGE_SEMVER, 4, n1 };
	struct affected old = { .nranges = 1, .ranges = &ro };
	struct affected raised = { .nranges = 1, .ranges = &rn1 };
	struct affected lowered = { .nranges = 1, .ranges = &rn2 };
	struct affected dropped = { .nranges = 1, .ranges = &rn3 };
	struct affected semver = { .nranges = 1, .ranges = &rs };
	char out[256] = "";

	(void)state;
	assert_int_equal(affected_raised_fixes(&old, &raised, deb_vercmp, collect_raised, out,
					       NULL), 0);
	assert_string_equal(out, "1.0-1+deb12u2->1.0-1+deb12u10 ");
	out[0] = '\0';
	assert_int_equal(affected_raised_fixes(&old, &old, deb_vercmp, collect_raised, out,
					       NULL), 0);
	assert_string_equal(out, "");
	/* Lowered: 1.0-1+deb12u2 has no higher fix in the new revision's
	 * ranges, and neither has 2.0-3. */
	assert_int_equal(affected_raised_fixes(&old, &lowered, deb_vercmp, collect_raised, out,
					       NULL), 0);
	assert_string_equal(out, "");
	assert_int_equal(affected_raised_fixes(&old, &dropped, deb_vercmp, collect_raised, out,
					       NULL), 0);
	assert_string_equal(out, "");
	/* Ranges of another type are not compared with each other. */
	assert_int_equal(affected_raised_fixes(&old, &semver, deb_vercmp, collect_raised, out,
					       NULL), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_cases),
		cmocka_unit_test(test_semver_precedence),
		cmocka_unit_test(test_fix_reporting),
		cmocka_unit_test(test_last_affected_versions_git),
		cmocka_unit_test(test_raised_fixes),
	};
	static char cases[4096];

	cases_path = shared_path("vectors/osv/osv_range_evaluation_cases.json");
	if (!cases_path)
		return 77;
	snprintf(cases, sizeof(cases), "%s", cases_path);
	cases_path = cases;
	semver_path = shared_path("vectors/semver_precedence.tsv");
	if (!semver_path)
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
