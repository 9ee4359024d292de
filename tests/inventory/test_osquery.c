/*
 * Unit tests for the osquery results parser (src/inventory/osquery.c).
 *
 * The three input forms are read from hand-written fixtures in
 * tests/inventory/fixtures/ (osquery_*.json, osquery_results.log), shaped
 * as osqueryi --json and osqueryd's filesystem logger write them, with
 * expectations counted from the files by other means (a python one-liner
 * over the JSON: see each comment). Inline cases cover each way an input
 * can be wrong, asserting the code and the path the message names. Every
 * input is parsed from a heap copy of exactly its length, so that
 * AddressSanitizer flags a read past the end. Needs no shared data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/osquery.h"

#define COLLECT_MAX_PKGS 64
#include "sink_collect.h"
#define FIXTURES "tests/inventory/fixtures/"

static int parse_len(const char *text, size_t len, struct collect *c, struct err *e)
{
	return collect_parse(osquery_parse, "osq.json", text, len, c, e);
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

static int parse_fixture(const char *name, struct collect *c, struct err *e)
{
	struct buf b;
	int r;

	buf_init(&b, 1u << 20);
	r = buf_read_file(&b, name, e);
	assert_int_equal(r, 0);
	assert_true(osquery_looks_like(b.data, b.len));
	r = parse_len(b.data, b.len, c, e);
	buf_release(&b);
	return r;
}

/* Fails with code, and the message holds each of the given strings. */
static void assert_fails(const char *text, int code, const char *want1, const char *want2)
{
	struct collect *c = collect_new();
	struct err e;
	int r = parse(text, c, &e);

	if (r != code)
		fail_msg("expected %d, got %d (%s) for %s", code, r, e.msg, text);
	if (strncmp(e.msg, "osq.json: ", 10))
		fail_msg("message does not name the file: %s", e.msg);
	if (want1 && !strstr(e.msg, want1))
		fail_msg("'%s' not in: %s", want1, e.msg);
	if (want2 && !strstr(e.msg, want2))
		fail_msg("'%s' not in: %s", want2, e.msg);
	/* Nothing reaches the sink from a file that fails its checks. */
	if (code == ERR_INPUT)
		assert_int_equal(c->n, 0);
	free(c);
}

/*
 * Form 1, osqueryi --json 'SELECT * FROM deb_packages'. 9 rows, of which
 * 7 have a status ending in installed/triggers-pending:
 *   python3 -c 'import json; print(sum(r["status"].split()[-1] in
 *   ("installed","triggers-pending") for r in json.load(open(F))))'
 */
static void test_deb_array(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	assert_int_equal(parse_fixture(FIXTURES "osquery_deb_packages.json", c, &e), 0);
	assert_int_equal(c->n, 7);
	assert_int_equal(c->os_calls, 0);
	collect_assert_pkg(c, "bash", "5.2.15-2+b8", "amd64", "bash", "5.2.15-2");
	collect_assert_pkg(c, "e2fsprogs", "1.47.0-2", "amd64", "e2fsprogs", "1.47.0-2");
	collect_assert_pkg(c, "libc6", "2.36-9+deb12u14", "amd64", "glibc", "2.36-9+deb12u14");
	collect_assert_pkg(c, "login", "1:4.13+dfsg1-1+deb12u1", "amd64", "shadow",
		   "1:4.13+dfsg1-1+deb12u1");
	collect_assert_pkg(c, "libsystemd0", "252.38-1~deb12u1", "amd64", "systemd", "252.38-1~deb12u1");
	collect_assert_pkg(c, "tzdata", "2025b-0+deb12u2", "all", "tzdata", "2025b-0+deb12u2");
	assert_null(collect_find(c, "linux-image-6.1.0-25-amd64")); /* config-files */
	assert_null(collect_find(c, "libdbi-perl"));                /* half-installed */
	assert_int_equal(collect_find(c, "bash")->line, 1);
	assert_int_equal(collect_find(c, "tzdata")->line, 8);
	free(c);
}

/*
 * Form 2, os_version + kernel_info + system_info + rpm_packages of a
 * Rocky Linux 9.3 host (osquery says platform "rhel"). 7 rpm rows, one
 * gpg-pubkey: 6 packages. listening_ports is another query, ignored.
 */
static void test_rpm_tables(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	assert_int_equal(parse_fixture(FIXTURES "osquery_rocky9.json", c, &e), 0);
	assert_int_equal(c->n, 6);
	assert_int_equal(c->os_calls, 1);
	assert_int_equal(c->os_at, 0);
	assert_string_equal(c->os.id, "rocky");
	assert_string_equal(c->os.version_id, "9.3");
	assert_string_equal(c->os.arch, "x86_64");
	assert_string_equal(c->os.kernel, "5.14.0-362.8.1.el9_3.x86_64");
	assert_string_equal(c->os.hostname, "db1.example.org");
	collect_assert_pkg(c, "bash", "5.1.8-6.el9", "x86_64", "bash", "5.1.8-6.el9");
	collect_assert_pkg(c, "openssl-libs", "1:3.0.7-24.el9", "x86_64", "openssl", "1:3.0.7-24.el9");
	collect_assert_pkg(c, "tzdata", "2023c-1.el9", "noarch", "tzdata", "2023c-1.el9");
	collect_assert_pkg(c, "glibc-common", "2.34-83.el9_3.7", "x86_64", "glibc", "2.34-83.el9_3.7");
	collect_assert_pkg(c, "vim-minimal", "2:8.2.2637-20.el9_3", "x86_64", "vim", "2:8.2.2637-20.el9_3");
	assert_null(collect_find(c, "gpg-pubkey"));
	free(c);
}

/*
 * Form 3, an osqueryd result log: the OS query (with --logger_numerics,
 * minor 4 for 22.04) once, the package query twice; its last snapshot
 * (3 rows) wins over the first (2 rows).
 */
static void test_result_log(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	assert_int_equal(parse_fixture(FIXTURES "osquery_results.log", c, &e), 0);
	assert_int_equal(c->os_calls, 1);
	assert_int_equal(c->os_at, 0);
	assert_string_equal(c->os.id, "ubuntu");
	assert_string_equal(c->os.version_id, "22.04");
	assert_string_equal(c->os.hostname, "web2");
	assert_int_equal(c->n, 3);
	collect_assert_pkg(c, "libssl3", "3.0.2-0ubuntu1.15", "amd64", "openssl", "3.0.2-0ubuntu1.15");
	collect_assert_pkg(c, "libpam-modules", "1.4.0-11ubuntu2.4", "amd64", "pam", "1.4.0-11ubuntu2.4");
	free(c);
}

static void test_os_forms(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	/* Debian: VERSION_ID "12" gives major 12 and osquery's default minor 0. */
	assert_int_equal(parse("[{\"platform\":\"debian\",\"major\":\"12\",\"minor\":\"0\","
			       "\"patch\":\"0\",\"arch\":\"x86_64\",\"name\":\"Debian GNU/Linux\"}]",
			       c, &e), 0);
	assert_string_equal(c->os.id, "debian");
	assert_string_equal(c->os.version_id, "12");
	memset(c, 0, sizeof(*c));
	/* AlmaLinux, through /etc/redhat-release: platform rhel. */
	assert_int_equal(parse("{\"os_version\":[{\"platform\":\"rhel\",\"name\":\"AlmaLinux\","
			       "\"major\":9,\"minor\":4}],\"rpm_packages\":[]}", c, &e), 0);
	assert_string_equal(c->os.id, "almalinux");
	assert_string_equal(c->os.version_id, "9.4");
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("[{\"platform\":\"rhel\",\"name\":\"Red Hat Enterprise Linux\","
			       "\"major\":\"8\",\"minor\":\"10\"}]", c, &e), 0);
	assert_string_equal(c->os.id, "rhel");
	assert_string_equal(c->os.version_id, "8.10");
	memset(c, 0, sizeof(*c));
	/* Alpine keeps three parts; osquery's defaults for an unknown OS give "". */
	assert_int_equal(parse("[{\"platform\":\"alpine\",\"major\":\"3\",\"minor\":\"19\","
			       "\"patch\":\"1\"}]", c, &e), 0);
	assert_string_equal(c->os.version_id, "3.19.1");
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("[{\"platform\":\"posix\",\"name\":\"Unknown\",\"major\":\"0\","
			       "\"minor\":\"0\",\"patch\":\"0\"}]", c, &e), 0);
	assert_string_equal(c->os.version_id, "");
	/* A single log entry, pretty-printed over several lines. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\n \"name\": \"os\",\n \"hostIdentifier\": \"h1\",\n"
			       " \"snapshot\": [{\"platform\": \"ubuntu\", \"major\": \"24\","
			       " \"minor\": \"04\"}]\n}\n", c, &e), 0);
	assert_string_equal(c->os.version_id, "24.04");
	assert_string_equal(c->os.hostname, "h1");
	assert_int_equal(c->n, 0);
	free(c);
}

static void test_rpm_details(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	/* Epoch "(none)", 0 and integers; source "(none)" or absent. */
	assert_int_equal(parse("[{\"name\":\"a\",\"version\":\"1.0\",\"release\":\"1\","
			       "\"epoch\":\"(none)\",\"source\":\"(none)\",\"arch\":\"x86_64\"},"
			       "{\"name\":\"b\",\"version\":\"2.0\",\"release\":\"3.el9\","
			       "\"epoch\":\"0\",\"source\":\"bb-2.0-3.el9.nosrc.rpm\"},"
			       "{\"name\":\"c\",\"version\":\"4\",\"release\":\"5\",\"epoch\":7}]",
			       c, &e), 0);
	assert_int_equal(c->n, 3);
	collect_assert_pkg(c, "a", "1.0-1", "x86_64", "a", "1.0-1");
	collect_assert_pkg(c, "b", "2.0-3.el9", "", "bb", "2.0-3.el9");
	collect_assert_pkg(c, "c", "7:4-5", "", "c", "7:4-5");
	memset(c, 0, sizeof(*c));
	/* Form 2 needs no distinguishing column: the key names the table. */
	assert_int_equal(parse("{\"deb_packages\":[{\"name\":\"x\",\"version\":\"1\"}]}", c, &e),
			 0);
	collect_assert_pkg(c, "x", "1", "", "x", "1");
	free(c);
}

static void test_bad_input(void **state)
{
	(void)state;
	assert_fails("[{\"name\":\"a\",\"version\":1,\"status\":\"install ok installed\"}]",
		     ERR_INPUT, "osq.json: [0].version: expected a string, found an integer", NULL);
	assert_fails("{\"deb_packages\":[{\"name\":\"a\",\"status\":\"install ok installed\"}]}",
		     ERR_INPUT, "deb_packages[0].version: missing", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1.0\"}]", ERR_INPUT, "[0]: cannot tell",
		     NULL);
	assert_fails("[{\"name\":\"ok\",\"version\":\"1\",\"status\":\"install ok installed\"},"
		     "\"x\"]", ERR_INPUT, "[1]: expected an object, found a string", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"revision\":\"\"},"
		     "{\"name\":\"b\",\"version\":\"1\",\"release\":\"1\"}]", ERR_INPUT,
		     "[1]: a rpm_packages row after deb_packages rows ([0])", NULL);
	assert_fails("[{\"platform\":\"debian\"},{\"platform\":\"ubuntu\"}]", ERR_INPUT,
		     "[1]: a second os_version row (the first is [0])", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"x1\",\"status\":\"install ok installed\"}]",
		     ERR_INPUT, "[0].version: invalid version 'x1'", NULL);
	assert_fails("[{\"name\":\"a b\",\"version\":\"1\",\"status\":\"install ok installed\"}]",
		     ERR_INPUT, "[0].name: invalid value 'a b'", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"status\":\"install ok gone\"}]",
		     ERR_INPUT, "[0].status: invalid status", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"status\":\"install ok installed\","
		     "\"source\":\"b (1\"}]", ERR_INPUT, "[0].source: invalid source 'b (1'", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1-2\",\"release\":\"1\"}]", ERR_INPUT,
		     "[0].version: invalid value '1-2'", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"release\":\"1\",\"epoch\":-1}]",
		     ERR_INPUT, "[0].epoch: negative number -1", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"release\":\"1\",\"epoch\":\"1x\"}]",
		     ERR_INPUT, "[0].epoch: expected a decimal number, found '1x'", NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"release\":\"1\","
		     "\"source\":\"a-1.src.rpm\"}]", ERR_INPUT, "[0].source: invalid source rpm",
		     NULL);
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"release\":\"\"}]", ERR_INPUT,
		     "[0].release: empty", NULL);
	assert_fails("[{\"name\":\"a\\u0000\",\"version\":\"1\",\"release\":\"1\"}]", ERR_INPUT,
		     "osq.json: line 1 column", "\\u0000 is not allowed");
	assert_fails("{\"deb_packages\":{}}", ERR_INPUT,
		     "deb_packages: expected an array of rows, found an object", NULL);
	assert_fails("{\"users\":[]}", ERR_INPUT, "no osquery results", NULL);
	assert_fails("[{\"name\":", ERR_INPUT, "osq.json: line 1 column", NULL);
	assert_fails("[] []", ERR_INPUT, "data after the JSON array", NULL);
	assert_fails("  \n", ERR_INPUT, "empty", NULL);
	assert_fails("name,version\n", ERR_INPUT, "expected '[' or '{'", NULL);
	assert_fails("{\"name\":\"q\",\"snapshot\":[]}\n"
		     "{\"name\":\"q\",\"columns\":{\"name\":\"a\"},\"action\":\"added\"}\n",
		     ERR_INPUT, "line 2: differential results", NULL);
	assert_fails("{\"name\":\"q\",\"snapshot\":[]}\n\n{\"name\":\"r\",\"snapshot\":[{\"x\":1}]}\n",
		     ERR_INPUT, "line 3: snapshot[0]: cannot tell", NULL);
	assert_fails("{\"name\":\"q\",\"snapshot\":[]}\n{oops\n", ERR_INPUT, "line 2: column", NULL);
	assert_fails("{\"name\":\"q\",\"snapshot\":[]}\n{\"snapshot\":[]}\n", ERR_INPUT,
		     "line 2: name: expected a string, found nothing", NULL);
	assert_fails("{\"name\":\"q\",\"diffResults\":{\"added\":[],\"removed\":[]}}", ERR_INPUT,
		     "line 1: differential results", NULL);
	/* Reported only after every row was checked: the bad last row stops all. */
	assert_fails("[{\"name\":\"a\",\"version\":\"1\",\"status\":\"install ok installed\"},"
		     "{\"name\":\"b\",\"version\":\"\",\"status\":\"install ok installed\"}]",
		     ERR_INPUT, "[1].version: empty version", NULL);
}

static void test_callback_stops(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	c->stop_after = 2;
	assert_int_equal(parse("[{\"name\":\"a\",\"version\":\"1\",\"revision\":\"\"},"
			       "{\"name\":\"b\",\"version\":\"1\",\"revision\":\"\"},"
			       "{\"name\":\"c\",\"version\":\"1\",\"revision\":\"\"}]", c, &e),
			 ERR_STATE);
	assert_int_equal(c->n, 2);
	assert_string_equal(e.msg, "osq.json: [1]: stopped after 2");
	free(c);
}

static bool looks_like(const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	bool r;

	assert_non_null(copy);
	memcpy(copy, text, len);
	r = osquery_looks_like(copy, len);
	free(copy);
	return r;
}

static void test_looks_like(void **state)
{
	(void)state;
	assert_true(looks_like("{\"os_version\":[]}"));
	assert_true(looks_like(" [{\"revision\":\"1\",\"status\":\"x\"}]"));
	assert_true(looks_like("{\"name\":\"q\",\"hostIdentifier\":\"h\",\"snapshot\":[]}"));
	assert_false(looks_like("[]"));
	assert_false(looks_like("Package: a\nStatus: install ok installed\n"));
	assert_false(looks_like("{\"bomFormat\":\"CycloneDX\",\"release\":1,\"sha1\":2}"));
	assert_false(looks_like(""));
	assert_false(osquery_looks_like(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deb_array),
		cmocka_unit_test(test_rpm_tables),
		cmocka_unit_test(test_result_log),
		cmocka_unit_test(test_os_forms),
		cmocka_unit_test(test_rpm_details),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_looks_like),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
