/*
 * Unit tests for the CycloneDX XML parser (src/inventory/sbom_xml.c).
 *
 * Real SBOMs (syft's, from osv-scanner's test suite, in ../shared/data)
 * are parsed whole, with expectations counted by other means (grep -c of
 * '<purl>pkg:deb/' and '<purl>pkg:apk/': see each comment); a
 * hand-written CycloneDX 1.6 BOM in tests/inventory/fixtures/ covers rpm,
 * nesting, CDATA and source rpms. Inline cases cover hostile and broken
 * XML (DOCTYPE, entities, wrong root) and each kind of bad purl,
 * asserting the code and the line and element path the message names.
 * Every input is parsed from a heap copy of exactly its length, so that
 * AddressSanitizer flags a read past the end.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA) for the real files; the
 * other cases run without it, and the binary then exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/sbom_xml.h"

#define COLLECT_MAX_PKGS 256
#include "sink_collect.h"
#define FIXTURES "tests/inventory/fixtures/"
#define GOLDEN "golden/osv-scanner-offline/"

static bool data_skipped;

static int parse_len(const char *text, size_t len, struct collect *c, struct err *e)
{
	return collect_parse(sbom_cyclonedx_xml_parse, "bom.xml", text, len, c, e);
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

/* Parses a file; false (and a skip) when it is shared data that is absent. */
static bool parse_file(const char *path, struct collect *c, struct err *e, int *ret)
{
	struct buf b;

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(&b, 16u << 20);
	assert_int_equal(buf_read_file(&b, path, e), 0);
	assert_true(sbom_cyclonedx_xml_looks_like(b.data, b.len));
	*ret = parse_len(b.data, b.len, c, e);
	buf_release(&b);
	return true;
}

static void assert_fails(const char *text, int code, const char *want1, const char *want2)
{
	struct collect *c = collect_new();
	struct err e;
	int r = parse(text, c, &e);

	if (r != code)
		fail_msg("expected %d, got %d (%s) for %s", code, r, e.msg, text);
	if (strncmp(e.msg, "bom.xml: ", 9))
		fail_msg("message does not name the file: %s", e.msg);
	if (want1 && !strstr(e.msg, want1))
		fail_msg("'%s' not in: %s", want1, e.msg);
	if (want2 && !strstr(e.msg, want2))
		fail_msg("'%s' not in: %s", want2, e.msg);
	assert_int_equal(c->n, 0);
	assert_int_equal(c->os_calls, 0);
	free(c);
}

#define BOM_HEAD "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n"
#define ONE_PURL(purl) BOM_HEAD "<components>\n<component type=\"library\">\n" \
	"<name>x</name>\n<purl>" purl "</purl>\n</component>\n</components>\n</bom>\n"

/*
 * syft's Debian 9 image BOM: 136 components, 132 with a pkg:deb purl
 * (grep -c '<purl>pkg:deb/'), the others golang and generic; the OS from
 * its operating-system component (debian, 9).
 */
static void test_postgres_stretch(void **state)
{
	struct collect *c = collect_new();
	struct err e;
	int r;

	(void)state;
	if (!parse_file(shared_path(GOLDEN "postgres-stretch.cdx.xml"), c, &e, &r)) {
		free(c);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(c->n, 132);
	assert_int_equal(c->os_calls, 1);
	assert_int_equal(c->os_at, 0);
	assert_string_equal(c->os.id, "debian");
	assert_string_equal(c->os.version_id, "9");
	/* upstream=util-linux%402.29.2-1+deb9u1: name@version, percent-decoded. */
	collect_assert_pkg(c, "bsdutils", "1:2.29.2-1+deb9u1", "amd64", "util-linux", "2.29.2-1+deb9u1");
	collect_assert_pkg(c, "libc6", "2.24-11+deb9u4", "amd64", "glibc", "2.24-11+deb9u4");
	collect_assert_pkg(c, "openssl", "1.1.0l-1~deb9u5", "amd64", "openssl", "1.1.0l-1~deb9u5");
	collect_assert_pkg(c, "adduser", "3.115", "all", "adduser", "3.115");
	assert_int_equal(collect_find(c, "adduser")->line, 18);
	free(c);
}

/* syft's Alpine 3.17.2 BOM: 14 pkg:apk purls; with-duplicates.cdx.xml lists
 * two of its packages twice (16), and both are reported. */
static void test_alpine(void **state)
{
	struct collect *c = collect_new();
	struct err e;
	int r;

	(void)state;
	if (!parse_file(shared_path(GOLDEN "alpine.cdx.xml"), c, &e, &r)) {
		free(c);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(c->n, 14);
	assert_string_equal(c->os.id, "alpine");
	assert_string_equal(c->os.version_id, "3.17.2");
	collect_assert_pkg(c, "libcrypto3", "3.0.8-r0", "x86_64", "openssl", "3.0.8-r0");
	collect_assert_pkg(c, "zlib", "1.2.10-r0", "x86_64", "zlib", "1.2.10-r0");
	memset(c, 0, sizeof(*c));
	if (!parse_file(shared_path(GOLDEN "with-duplicates.cdx.xml"), c, &e, &r)) {
		free(c);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(c->n, 16);
	free(c);
}

/*
 * bad-purls.cdx.xml: "pkg:pypi/", "pkg:///" and "/" are skipped (not deb,
 * rpm or apk), but component 14 (line 481) claims apk and has no name.
 * Its OS component has an empty name: ignored.
 */
static void test_bad_purls(void **state)
{
	struct collect *c = collect_new();
	struct err e;
	int r;

	(void)state;
	if (!parse_file(shared_path(GOLDEN "bad-purls.cdx.xml"), c, &e, &r)) {
		free(c);
		return;
	}
	assert_int_equal(r, ERR_INPUT);
	assert_non_null(strstr(e.msg, "line 492: components/component[14]/purl: invalid purl "
				      "'pkg:apk/alpine/@1.36.1-r27"));
	assert_int_equal(c->n, 0);
	free(c);
}

/*
 * The hand-written Rocky 9.3 BOM: 6 rpm purls (xmllint: count of purls
 * starting "pkg:rpm/"), one of them a source rpm (arch=src): 5 packages,
 * one nested under a pypi component, one in CDATA, one with whitespace
 * around it.
 */
static void test_rocky_fixture(void **state)
{
	struct collect *c = collect_new();
	struct err e;
	int r;

	(void)state;
	assert_true(parse_file(FIXTURES "cyclonedx_rocky9.xml", c, &e, &r));
	assert_int_equal(r, 0);
	assert_int_equal(c->n, 5);
	assert_int_equal(c->os_calls, 1);
	assert_string_equal(c->os.id, "rocky");
	assert_string_equal(c->os.version_id, "9.3");
	collect_assert_pkg(c, "bash", "5.1.8-6.el9_1", "x86_64", "bash", "5.1.8-6.el9_1");
	collect_assert_pkg(c, "openssl-libs", "1:3.0.7-24.el9", "x86_64", "openssl", "1:3.0.7-24.el9");
	collect_assert_pkg(c, "tzdata", "2023c-1.el9", "noarch", "tzdata", "2023c-1.el9");
	collect_assert_pkg(c, "python3-urllib3", "1.26.5-3.el9", "noarch", "python-urllib3",
		   "1.26.5-3.el9");
	collect_assert_pkg(c, "vim-minimal", "2:8.2.2637-20.el9_1", "x86_64", "vim",
		   "2:8.2.2637-20.el9_1");
	assert_null(collect_find(c, "vim"));
	/* Document order, nested components where they stand. */
	assert_string_equal(c->pkgs[3].name, "python3-urllib3");
	free(c);
}

static void test_os_and_versions(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	/* No operating-system component: the first distro qualifier. */
	assert_int_equal(parse(ONE_PURL("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&amp;"
					"epoch=0&amp;distro=debian-12"), c, &e), 0);
	assert_string_equal(c->os.id, "debian");
	assert_string_equal(c->os.version_id, "12");
	collect_assert_pkg(c, "curl", "7.88.1-10+deb12u5", "amd64", "curl", "7.88.1-10+deb12u5");
	memset(c, 0, sizeof(*c));
	/* trivy's Alpine distro qualifier is a bare version. */
	assert_int_equal(parse(ONE_PURL("pkg:apk/alpine/musl@1.2.3-r0?distro=3.16.0"), c, &e), 0);
	assert_string_equal(c->os.id, "alpine");
	assert_string_equal(c->os.version_id, "3.16.0");
	collect_assert_pkg(c, "musl", "1.2.3-r0", "", "musl", "1.2.3-r0");
	memset(c, 0, sizeof(*c));
	/* A deb epoch qualifier goes before the version. */
	assert_int_equal(parse(ONE_PURL("pkg:deb/ubuntu/login@4.8.1-2ubuntu2?epoch=1"), c, &e), 0);
	collect_assert_pkg(c, "login", "1:4.8.1-2ubuntu2", "", "login", "1:4.8.1-2ubuntu2");
	assert_int_equal(c->os_calls, 0);
	memset(c, 0, sizeof(*c));
	/* rpm epoch written into the version, and trivy's family names. */
	assert_int_equal(parse(BOM_HEAD "<metadata><component type=\"operating-system\">"
			       "<name>redhat</name><version>9.4</version></component></metadata>"
			       "<components><component type=\"library\"><name>a</name>"
			       "<purl>pkg:rpm/redhat/a@1:2.0-3.el9?arch=aarch64</purl></component>"
			       "</components></bom>", c, &e), 0);
	assert_string_equal(c->os.id, "rhel");
	assert_string_equal(c->os.version_id, "9.4");
	collect_assert_pkg(c, "a", "1:2.0-3.el9", "aarch64", "a", "1:2.0-3.el9");
	memset(c, 0, sizeof(*c));
	/* An empty BOM, and one with only non-OS packages, report nothing. */
	assert_int_equal(parse(BOM_HEAD "</bom>", c, &e), 0);
	assert_int_equal(parse(ONE_PURL("pkg:npm/%40angular/core@16.0.0"), c, &e), 0);
	assert_int_equal(c->n, 0);
	assert_int_equal(c->os_calls, 0);
	/* Namespace 1.4 and 1.6 read like 1.5. */
	assert_int_equal(parse("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>"
			       "<component type=\"library\"><name>b</name><purl>pkg:apk/alpine/"
			       "b@1.0-r1</purl></component></components></bom>", c, &e), 0);
	assert_int_equal(c->n, 1);
	free(c);
}

/* A purl longer than purl.h accepts: skipped unless it claims deb, rpm or apk. */
static void test_long_purl(void **state)
{
	static const char head[] = BOM_HEAD "<components><component><purl>";
	static const char tail[] = "</purl></component></components></bom>";
	size_t fill = 9000, hl = strlen(head), tl = strlen(tail);
	char *doc = malloc(hl + 20 + fill + tl + 1);
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	assert_non_null(doc);
	memcpy(doc, head, hl);
	memcpy(doc + hl, "pkg:generic/a@1?x=", 18);
	memset(doc + hl + 18, 'y', fill);
	memcpy(doc + hl + 18 + fill, tail, tl + 1);
	assert_int_equal(parse(doc, c, &e), 0);
	assert_int_equal(c->n, 0);
	memcpy(doc + hl, "pkg:deb/debian/a@1?x=", 21);
	assert_int_equal(parse(doc, c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "components/component[1]/purl: 'pkg:deb/debian/a@1?x=yyy"));
	assert_non_null(strstr(e.msg, "longer than 8192 bytes"));
	free(doc);
	free(c);
}

static void test_hostile_xml(void **state)
{
	(void)state;
	/* Billion laughs: refused at the DOCTYPE, before any entity is declared. */
	assert_fails("<?xml version=\"1.0\"?>\n<!DOCTYPE bom [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		     "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
		     "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component>"
		     "<name>&c;</name><purl>pkg:deb/debian/&c;@1</purl></component></components>"
		     "</bom>", ERR_INPUT, "bom.xml: a DOCTYPE declaration", NULL);
	/* XXE. */
	assert_fails("<?xml version=\"1.0\"?>\n<!DOCTYPE bom SYSTEM \"file:///etc/passwd\">\n"
		     "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>", ERR_INPUT,
		     "DOCTYPE", NULL);
	/* An entity reference with no declaration is not well-formed. */
	assert_fails(ONE_PURL("pkg:deb/debian/a@1&xxe;"), ERR_INPUT, "bom.xml: line 6: ",
		     "xxe");
	assert_fails("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>",
		     ERR_INPUT, "bom.xml: line 1: ", NULL);
	assert_fails("", ERR_INPUT, "bom.xml: line ", NULL);
	assert_fails("<bom><components/></bom>", ERR_INPUT, "not a CycloneDX BOM", NULL);
	assert_fails("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.7\"/>", ERR_INPUT,
		     "not a CycloneDX BOM", NULL);
	assert_fails("<sbom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>", ERR_INPUT,
		     "not a CycloneDX BOM", NULL);
	assert_fails("\xff\xfe<\x00b\x00", ERR_INPUT, "bom.xml: line ", NULL);
}

static void test_bad_purls_inline(void **state)
{
	(void)state;
	assert_fails(ONE_PURL("pkg:deb/debian/a?arch=amd64"), ERR_INPUT,
		     "line 4: components/component[1]/purl: ", "has no version");
	assert_fails(ONE_PURL("pkg:deb/debian/a@x1"), ERR_INPUT,
		     "components/component[1]/purl: invalid deb version 'x1'", NULL);
	assert_fails(ONE_PURL("pkg:deb/debian/a@1:2.0?epoch=2"), ERR_INPUT,
		     "epoch qualifier 2 disagrees with the version '1:2.0'", NULL);
	assert_fails(ONE_PURL("pkg:deb/debian/a@1?epoch=x"), ERR_INPUT,
		     "invalid epoch qualifier 'x'", NULL);
	assert_fails(ONE_PURL("pkg:rpm/redhat/a@2.0?arch=x86_64"), ERR_INPUT,
		     "invalid rpm version '2.0': expected VERSION-RELEASE", NULL);
	assert_fails(ONE_PURL("pkg:rpm/redhat/a@2.0-1?upstream=a.src.rpm"), ERR_INPUT,
		     "invalid upstream qualifier 'a.src.rpm'", NULL);
	assert_fails(ONE_PURL("pkg:rpm/redhat/a@1:2.0-1?epoch=3"), ERR_INPUT,
		     "epoch qualifier 3 disagrees", NULL);
	assert_fails(ONE_PURL("pkg:apk/alpine/a@1.0.0.x"), ERR_INPUT,
		     "invalid apk version '1.0.0.x'", NULL);
	assert_fails(ONE_PURL("pkg:apk/alpine/a%20b@1.0-r0"), ERR_INPUT,
		     "invalid package name 'a b'", NULL);
	assert_fails(ONE_PURL("pkg:deb/debian/a@1%ZZ"), ERR_INPUT, "invalid purl 'pkg:deb", NULL);
	assert_fails(ONE_PURL("PKG://RPM/x@1-1?Arch=i386"), ERR_INPUT, "invalid purl", NULL);
	/* Nested path, 1-based at each level; checked before anything is reported. */
	assert_fails(BOM_HEAD "<components>\n<component><purl>pkg:apk/alpine/ok@1.0-r0</purl>"
		     "</component>\n<component><name>p</name><components>\n"
		     "<component><purl>pkg:apk/alpine/b@bad</purl></component>"
		     "</components></component>\n</components></bom>", ERR_INPUT,
		     "line 6: components/component[2]/components/component[1]/purl: invalid apk "
		     "version 'bad'", NULL);
	assert_fails(BOM_HEAD "<components><component type=\"operating-system\"><name>debian"
		     "</name><version>12</version></component><component type=\"operating-system\">"
		     "<name>ubuntu</name><version>22.04</version></component></components></bom>",
		     ERR_INPUT, "components/component[2]: a second operating system", NULL);
	assert_fails(BOM_HEAD "<components><component type=\"operating-system\"><name>deb ian"
		     "</name></component></components></bom>", ERR_INPUT,
		     "components/component[1]/name: invalid OS name 'deb ian'", NULL);
}

static void test_callback_stops(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	c->stop_after = 1;
	assert_int_equal(parse(ONE_PURL("pkg:apk/alpine/a@1.0-r0"), c, &e), ERR_STATE);
	assert_int_equal(c->n, 1);
	assert_string_equal(e.msg, "bom.xml: line 4: components/component[1]: stopped after 1");
	free(c);
}

static void test_looks_like(void **state)
{
	static const char *const yes[] = {
		BOM_HEAD "</bom>",
		"\xEF\xBB\xBF  <bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
	};
	static const char *const no[] = {
		"{\"bomFormat\":\"CycloneDX\",\"$schema\":\"http://cyclonedx.org/schema/bom/1.5\"}",
		"<cvrfdoc xmlns=\"http://www.icasi.org/CVRF/schema/cvrf/1.1\"/>",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		char *copy = strdup(yes[i]);

		assert_true(sbom_cyclonedx_xml_looks_like(copy, strlen(copy)));
		free(copy);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		char *copy = strdup(no[i]);

		assert_false(sbom_cyclonedx_xml_looks_like(copy, strlen(copy)));
		free(copy);
	}
	assert_false(sbom_cyclonedx_xml_looks_like(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postgres_stretch),
		cmocka_unit_test(test_alpine),
		cmocka_unit_test(test_bad_purls),
		cmocka_unit_test(test_rocky_fixture),
		cmocka_unit_test(test_os_and_versions),
		cmocka_unit_test(test_long_purl),
		cmocka_unit_test(test_hostile_xml),
		cmocka_unit_test(test_bad_purls_inline),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_looks_like),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	return r ? r : data_skipped ? 77 : 0;
}
