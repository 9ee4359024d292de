/*
 * Which vector ranks an advisory: OSV severity lists (record and affected
 * entries, parsed by feed/osv.c) scored with core/cvss3.c and cvss4.c,
 * the highest score winning; invalid and unscored types skipped; the
 * distribution's own rating kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/severity.h"
#include "feed/osv.h"
#include "testutil.h"

static void parse(const char *json, struct advisory *a)
{
	struct err e;
	char *copy = exact_copy(json, strlen(json));

	if (osv_parse(copy, strlen(json), a, NULL, &e))
		fail_msg("%s", e.msg);
	free(copy);
}

static void test_pick(void **state)
{
	struct advisory a = { 0 };
	struct cvss_pick p;

	(void)state;
	parse("{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\","
	      "\"database_specific\":{\"severity\":\"Important\"},"
	      "\"severity\":[{\"type\":\"CVSS_V2\",\"score\":\"AV:N/AC:L/Au:N/C:C/I:C/A:C\"},"
	      "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H\"}],"
	      "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"p\"},"
	      "\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"},"
	      "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X\"}]}]}", &a);
	assert_int_equal(a.nseverities, 4);
	assert_int_equal(a.severities[0].affected, -1);
	assert_int_equal(a.severities[2].affected, 0);
	assert_string_equal(a.rating, "Important");
	severity_pick(&a, &p);
	/* v2 is not scored, the invalid v3 (A:X) is skipped; v4 9.3 beats v3 7.8. */
	assert_int_equal(p.index, 2);
	assert_true(p.score == 9.3);
	assert_true(p.automatable);
	advisory_release(&a);
}

static void test_automatable(void **state)
{
	static const struct { const char *type, *vector; bool automatable; } cases[] = {
		{ "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", true },
		{ "CVSS_V3", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", true },
		{ "CVSS_V3", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false },
		{ "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", false },
		{ "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", false },
		{ "CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", false },
		{ "CVSS_V4", "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct osv_severity s = { (char *)cases[i].type, (char *)cases[i].vector, -1 };
		struct cvss_pick p;
		struct err e;

		assert_int_equal(severity_score(&s, &p, &e), 0);
		assert_int_equal(p.automatable, cases[i].automatable);
	}
}

static void test_none(void **state)
{
	struct advisory a = { 0 };
	struct cvss_pick p;
	struct osv_severity bad = { "CVSS_V3", "CVSS:3.1/AV:Q", -1 }, word = { "Ubuntu", "high", -1 };
	struct err e;

	(void)state;
	parse("{\"id\":\"X-2\",\"modified\":\"2024-01-01T00:00:00Z\","
	      "\"database_specific\":{\"severity\":[1]}}", &a);
	severity_pick(&a, &p);
	assert_int_equal(p.index, -1);
	assert_null(a.rating); /* not a string: not a rating */
	advisory_release(&a);
	assert_int_equal(severity_score(&bad, &p, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "AV"));
	assert_int_equal(severity_score(&word, &p, &e), ERR_STATE);
}

static void test_malformed(void **state)
{
	static const char *const records[] = {
		"{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\",\"severity\":{}}",
		"{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\",\"severity\":[1]}",
		"{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\",\"severity\":[{\"type\":\"CVSS_V3\"}]}",
		"{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"severity\":[{\"type\":1,\"score\":\"x\"}]}]}",
	};
	static const char *const paths[] = { "severity: not an array", "severity[0]: not an object",
		"severity[0].score: missing", "affected[0].severity[0].type" };

	(void)state;
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		struct advisory a = { 0 };
		struct err e;

		assert_int_equal(osv_parse(records[i], strlen(records[i]), &a, NULL, &e), ERR_INPUT);
		if (!strstr(e.msg, paths[i]))
			fail_msg("'%s' lacks '%s'", e.msg, paths[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_automatable),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
