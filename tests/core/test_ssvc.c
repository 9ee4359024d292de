/*
 * The SSVC deployer decision against every row of the published table
 * (vectors/ssvc/deployer_patch_application_priority_1_0_0.csv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ssvc.h"
#include "testutil.h"

static const char *csv_path;

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	fail_msg("unknown value '%s' in the table", s);
	return -1;
}

static void test_every_row(void **state)
{
	static const char *const expl[] = { "none", "public poc", "active" };
	static const char *const expo[] = { "small", "controlled", "open" };
	static const char *const autom[] = { "no", "yes" };
	static const char *const impact[] = { "low", "medium", "high", "very high" };
	char line[256], e[32], x[32], a[32], h[32], want[32];
	FILE *f = fopen(csv_path, "r");
	int rows = 0, failures = 0, id;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		enum ssvc_priority got;

		if (sscanf(line, "%d,%31[^,],%31[^,],%31[^,],%31[^,],%31[^\r\n]", &id, e, x, a, h,
			   want) != 6)
			fail_msg("unreadable row: %s", line);
		got = ssvc_deployer((enum ssvc_exploitation)lookup(e, expl, 3),
				    (enum ssvc_exposure)lookup(x, expo, 3), lookup(a, autom, 2) == 1,
				    (enum ssvc_impact)lookup(h, impact, 4));
		if (strcmp(ssvc_priority_name(got), want)) {
			fprintf(stderr, "row %d (%s, %s, %s, %s): %s, expected %s\n", id, e, x, a, h,
				ssvc_priority_name(got), want);
			failures++;
		}
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 72);
	assert_int_equal(failures, 0);
}

static void test_order(void **state)
{
	(void)state;
	assert_true(SSVC_DEFER < SSVC_SCHEDULED && SSVC_SCHEDULED < SSVC_OUT_OF_CYCLE &&
		    SSVC_OUT_OF_CYCLE < SSVC_IMMEDIATE);
	assert_int_equal(ssvc_deployer(SSVC_EXPLOIT_ACTIVE, SSVC_EXPOSURE_OPEN, true,
				       SSVC_IMPACT_VERY_HIGH), SSVC_IMMEDIATE);
	assert_int_equal(ssvc_deployer(SSVC_EXPLOIT_NONE, SSVC_EXPOSURE_SMALL, false,
				       SSVC_IMPACT_LOW), SSVC_DEFER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row),
		cmocka_unit_test(test_order),
	};
	static char path[4096];

	csv_path = shared_path("vectors/ssvc/deployer_patch_application_priority_1_0_0.csv");
	if (!csv_path)
		return 77;
	snprintf(path, sizeof(path), "%s", csv_path);
	csv_path = path;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
