/*
 * Unit tests for the VEX module's pure parts (src/vex/vex.c): the purl of
 * each package format and its percent-encoding, checked both as text and
 * by parsing it back with the purl parser (inventory/purl.h), which the
 * purl-spec test suite checks; the names of statuses and remediations;
 * JSON text for input that is not UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "inventory/purl.h"
#include "vex/vex.h"

/* The purl of a package, asserting success. */
static void purl_of(const char *os_id, const char *os_version, const char *name,
		    const char *version, const char *arch, char *out, size_t len)
{
	struct err e = { "" };

	if (vex_purl(os_id, os_version, name, version, arch, out, len, &e))
		fail_msg("%s %s: %s", name, version, e.msg);
}

static void expect_purl(const char *os_id, const char *os_version, const char *name,
			const char *version, const char *arch, const char *want)
{
	char got[1024];

	purl_of(os_id, os_version, name, version, arch, got, sizeof(got));
	assert_string_equal(got, want);
}

static void test_deb(void **state)
{
	(void)state;
	expect_purl("debian", "12", "libssl3", "3.0.14-1~deb12u2", "amd64",
		    "pkg:deb/debian/libssl3@3.0.14-1~deb12u2?arch=amd64&distro=debian-12");
	/* '+' is not among the characters a purl leaves as they are. */
	expect_purl("debian", "12", "tar", "1.34+dfsg-1.2+deb12u1", "amd64",
		    "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12");
	/* A dpkg epoch stays in the version: ':' needs no encoding. */
	expect_purl("debian", "12", "bind9", "1:9.18.28-1~deb12u2", "amd64",
		    "pkg:deb/debian/bind9@1:9.18.28-1~deb12u2?arch=amd64&distro=debian-12");
	expect_purl("ubuntu", "22.04", "g++-12", "12.3.0-1ubuntu1~22.04", "amd64",
		    "pkg:deb/ubuntu/g%2B%2B-12@12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04");
	/* No architecture: no qualifier, rather than an empty one. */
	expect_purl("debian", "12", "tzdata", "2024a-0+deb12u1", "",
		    "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?distro=debian-12");
}

static void test_rpm(void **state)
{
	(void)state;
	/* The rpm epoch moves to its qualifier, as the purl rpm type says. */
	expect_purl("almalinux", "9.3", "openssl", "1:3.0.7-27.el9", "x86_64",
		    "pkg:rpm/almalinux/openssl@3.0.7-27.el9?arch=x86_64&distro=almalinux-9.3&epoch=1");
	expect_purl("rocky", "8.9", "bash", "4.4.20-4.el8_6", "x86_64",
		    "pkg:rpm/rocky/bash@4.4.20-4.el8_6?arch=x86_64&distro=rocky-8.9");
	/* Not an epoch: digits not followed by ':'. */
	expect_purl("rhel", "9.4", "tzdata", "2024a-1.el9", "noarch",
		    "pkg:rpm/rhel/tzdata@2024a-1.el9?arch=noarch&distro=rhel-9.4");
}

static void test_apk_and_generic(void **state)
{
	(void)state;
	expect_purl("alpine", "3.19.1", "musl", "1.2.4_git20230717-r4", "x86_64",
		    "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
	/* An OS hfx has no package format for: generic, no qualifiers. */
	expect_purl("windows", "10", "Microsoft Edge", "120.0", "x64",
		    "pkg:generic/Microsoft%20Edge@120.0");
	expect_purl(NULL, NULL, "x", "1", "", "pkg:generic/x@1");
}

/* Every byte but letters, digits and ".-_~:" is %XX with uppercase hex,
 * and the result parses back to exactly the parts it was built from. */
static void test_encoding_round_trip(void **state)
{
	static const struct {
		const char *name, *version, *arch;
	} cases[] = {
		{ "a@b", "1.0?x#y", "amd64" },
		{ "sp ace", "1/2", "arm&64" },
		{ "pct%41", "v=1", "x86_64" },
		{ "caf\xc3\xa9", "1.0~rc1", "all" },
	};
	char out[1024];

	(void)state;
	purl_of("debian", "12", "a@b", "1.0?x#y", "amd64", out, sizeof(out));
	assert_string_equal(out, "pkg:deb/debian/a%40b@1.0%3Fx%23y?arch=amd64&distro=debian-12");
	purl_of("debian", "12", "caf\xc3\xa9", "1", "all", out, sizeof(out));
	assert_string_equal(out, "pkg:deb/debian/caf%C3%A9@1?arch=all&distro=debian-12");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct purl p;
		struct err e = { "" };

		purl_of("debian", "12", cases[i].name, cases[i].version, cases[i].arch, out,
			sizeof(out));
		if (purl_parse(out, strlen(out), &p, &e))
			fail_msg("'%s' does not parse: %s", out, e.msg);
		assert_string_equal(p.type, "deb");
		assert_string_equal(p.ns, "debian");
		assert_string_equal(p.name, cases[i].name);
		assert_string_equal(p.version, cases[i].version);
		assert_string_equal(purl_qualifier(&p, "arch"), cases[i].arch);
		assert_string_equal(purl_qualifier(&p, "distro"), "debian-12");
	}
}

static void test_limits(void **state)
{
	char small[16] = "untouched", name[PURL_NAME_MAX + 8];
	struct err e = { "" };

	(void)state;
	assert_int_equal(vex_purl("debian", "12", "zip", "3.0-13", "amd64", small, sizeof(small),
				  &e), ERR_NOMEM);
	assert_string_equal(small, "untouched");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(vex_purl("debian", "12", name, "1", "amd64", small, sizeof(small), &e),
			 ERR_INPUT);
	assert_non_null(strstr(e.msg, "name of"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vex_status_name(VEX_FIXED), "fixed");
	assert_string_equal(vex_status_name(VEX_NOT_AFFECTED), "not_affected");
	assert_string_equal(vex_status_name(VEX_UNDER_INVESTIGATION), "under_investigation");
	assert_string_equal(vex_status_name(VEX_AFFECTED), "affected");
	assert_null(vex_remedy_name(VEX_REMEDY_NONE));
	assert_string_equal(vex_remedy_name(VEX_REMEDY_VENDOR_FIX), "vendor_fix");
	assert_string_equal(vex_remedy_name(VEX_REMEDY_NONE_AVAILABLE), "none_available");
	assert_string_equal(vex_remedy_name(VEX_REMEDY_MITIGATION), "mitigation");
	assert_string_equal(vex_remedy_name(VEX_REMEDY_NO_FIX_PLANNED), "no_fix_planned");
}

static void test_json_text(void **state)
{
	json_t *j;

	(void)state;
	j = vex_json_text("caf\xc3\xa9");
	assert_string_equal(json_string_value(j), "caf\xc3\xa9");
	json_decref(j);
	/* Latin-1, not UTF-8: kept readable, and the document valid. */
	j = vex_json_text("caf\xe9 ok");
	assert_string_equal(json_string_value(j), "caf? ok");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deb),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_apk_and_generic),
		cmocka_unit_test(test_encoding_round_trip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
