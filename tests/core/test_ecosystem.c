/*
 * The OS -> OSV ecosystem table: exact ecosystem strings for real
 * os-release values (PRODUCT.md: "Debian:12", "Ubuntu:22.04:LTS",
 * "AlmaLinux:9", "Rocky Linux:9", "Alpine:v3.19"), which comparator and
 * which package name each uses, and refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/ecosystem.h"

static void expect(const char *id, const char *version_id, const char *want,
		   const char *comparator, bool by_source)
{
	struct err e = { "" };
	char name[96];
	const struct ecosystem *eco = ecosystem_for_os(id, version_id, name, sizeof(name), &e);

	if (!eco)
		fail_msg("%s %s: %s", id, version_id, e.msg);
	assert_string_equal(name, want);
	assert_string_equal(eco->comparator, comparator);
	assert_int_equal(eco->by_source, by_source);
	assert_ptr_equal(ecosystem_find(name), eco);
}

static void test_known_releases(void **state)
{
	(void)state;
	expect("debian", "12", "Debian:12", "dpkg", true);
	expect("debian", "11.9", "Debian:11", "dpkg", true);
	expect("ubuntu", "22.04", "Ubuntu:22.04:LTS", "dpkg", true);
	expect("ubuntu", "24.04", "Ubuntu:24.04:LTS", "dpkg", true);
	expect("ubuntu", "24.10", "Ubuntu:24.10", "dpkg", true);
	expect("ubuntu", "23.04", "Ubuntu:23.04", "dpkg", true);
	expect("almalinux", "9.3", "AlmaLinux:9", "rpm", false);
	expect("rocky", "9.2", "Rocky Linux:9", "rpm", false);
	expect("rhel", "9.3", "Red Hat:enterprise_linux:9", "rpm", false);
	expect("alpine", "3.19.1", "Alpine:v3.19", "apk", true);
	expect("alpine", "3.20", "Alpine:v3.20", "apk", true);
}

static void refuse(const char *id, const char *version_id, const char *why)
{
	struct err e = { "" };
	char name[96];

	assert_null(ecosystem_for_os(id, version_id, name, sizeof(name), &e));
	assert_non_null(strstr(e.msg, why));
}

static void test_refusals(void **state)
{
	(void)state;
	refuse("debian", NULL, "no numeric VERSION_ID");
	refuse("debian", "", "no numeric VERSION_ID");
	refuse("alpine", "3", "no numeric VERSION_ID");
	refuse("ubuntu", "jammy", "no numeric VERSION_ID");
	refuse("plan9", "4", "not supported");
	assert_null(ecosystem_find("npm"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_releases),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
