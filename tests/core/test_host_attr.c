/* Host attributes: validation, canonical tags, clearing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/host_attr.h"
#include "testutil.h"

static int parse(struct host_attrs *a, const char *kv, struct err *e)
{
	char *copy = exact_copy(kv, strlen(kv));
	int rc = host_attr_parse(a, copy, strlen(kv), e);

	free(copy);
	return rc;
}

static void test_valid(void **state)
{
	struct host_attrs a = { 0 };
	struct err e;

	(void)state;
	assert_int_equal(parse(&a, "exposure=dmz", &e), 0);
	assert_true(a.set[HOST_ATTR_EXPOSURE]);
	assert_string_equal(a.value[HOST_ATTR_EXPOSURE], "dmz");
	assert_int_equal(parse(&a, "criticality=critical", &e), 0);
	assert_int_equal(parse(&a, "group=web-1.eu_west", &e), 0);
	assert_int_equal(parse(&a, "ring=test", &e), 0);
	assert_int_equal(parse(&a, "tags=role=db,pci,env=prod", &e), 0);
	assert_string_equal(a.value[HOST_ATTR_TAGS], "env=prod,pci,role=db");
	assert_int_equal(parse(&a, "group=", &e), 0); /* clears */
	assert_true(a.set[HOST_ATTR_GROUP]);
	assert_string_equal(a.value[HOST_ATTR_GROUP], "");
}

static void test_invalid(void **state)
{
	static const struct { const char *kv, *msg; } cases[] = {
		{ "exposure=public", "exposure: 'public' is not one of internet|dmz|internal|isolated" },
		{ "criticality=HIGH", "criticality: 'HIGH' is not one of" },
		{ "colour=red", "unknown host attribute 'colour'" },
		{ "exposure", "'exposure' is not KEY=VALUE" },
		{ "group=a b", "group: 'a b' is not one of NAME" },
		{ "group=\x1b[31m", "group: '\\x1b[31m'" },
		{ "tags=a,,b", "tags: '' is not KEY or KEY=VALUE" },
		{ "tags=a=1,a=2", "tags: key 'a' given twice" },
		{ "tags=a=", "tags: 'a=' is not KEY or KEY=VALUE" },
		{ "tags=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", "more than 16 tags" },
	};
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct host_attrs a = { 0 };

		e.msg[0] = '\0';
		assert_int_equal(parse(&a, cases[i].kv, &e), ERR_INPUT);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("%s: message '%s' lacks '%s'", cases[i].kv, e.msg, cases[i].msg);
		for (int k = 0; k < HOST_ATTR_N; k++)
			assert_false(a.set[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
