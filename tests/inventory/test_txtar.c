/*
 * Unit tests for the txtar archive reader (src/inventory/txtar.c).
 *
 * Inline archives cover Go's marker rules, the member names that count as
 * an inventory, the os-release choice, and messages naming the member.
 * Every input is parsed from a heap copy of exactly its length, so that
 * AddressSanitizer flags a read past the end.
 *
 * The scanners' fixtures (claircore ubi8/ubi9/httpd rpm manifests, trivy's
 * dpkg status, osv-scalibr's apk cache) must all parse, with package
 * counts found independently; they need ../shared/data (or
 * $HFX_SHARED_DATA), and without it the binary exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/txtar.h"

static bool data_skipped;

#define MAX_PKGS 1300

struct seen_pkg {
	char name[64];
	char version[64];
	char arch[16];
	char source[64];
	char source_version[64];
	size_t line;
};

struct collect {
	size_t n, nos;
	size_t pkgs_before_os;
	struct inv_os os;
	size_t stop_after; /* 0: never stop */
	struct seen_pkg pkgs[MAX_PKGS];
};

static struct collect coll; /* too big for the stack */

/* copy_span(), for a span that must point somewhere even when empty. */
static void copy_span_nonnull(char *dst, size_t size, const char *s, size_t len)
{
	assert_non_null(s);
	copy_span(dst, size, s, len);
}

static int collect_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_true(c->n < MAX_PKGS);
	s = &c->pkgs[c->n++];
	copy_span_nonnull(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span_nonnull(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span_nonnull(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span_nonnull(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span_nonnull(s->source_version, sizeof(s->source_version),
			  p->source_version, p->source_version_len);
	s->line = p->line;
	if (c->stop_after && c->n == c->stop_after)
		return err_set(e, ERR_INPUT, "stop");
	return 0;
}

static int collect_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->nos++;
	c->pkgs_before_os = c->n;
	c->os = *os;
	return 0;
}

static struct collect *reset(size_t stop_after)
{
	memset(&coll, 0, sizeof(coll));
	coll.stop_after = stop_after;
	return &coll;
}

/* Parses a heap copy of exactly len bytes. */
static int parse_len(const char *data, size_t len, struct collect *c, struct err *e)
{
	struct inv_sink sink = { collect_os, collect_pkg, NULL, c };
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, data, len);
	r = txtar_parse(copy, len, "x.txtar", &sink, e);
	free(copy);
	return r;
}

static int parse(const char *doc, struct collect *c, struct err *e)
{
	return parse_len(doc, strlen(doc), c, e);
}

static const struct seen_pkg *find(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->pkgs[i].name, name))
			return &c->pkgs[i];
	fail_msg("package %s not reported", name);
	return NULL;
}

static size_t count_named(const struct collect *c, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += !strcmp(c->pkgs[i].name, name);
	return n;
}

static void assert_pkg(const struct collect *c, const char *name, const char *version,
		       const char *source, const char *source_version)
{
	const struct seen_pkg *p = find(c, name);

	assert_string_equal(p->version, version);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
}

#define DPKG_A "Package: a\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n"
#define APK_B "P:b\nV:2.0-r0\nA:x86_64\no:bsrc\n"
#define MANIFEST_C                                                                    \
	"{\"object_type\":\"containerImageRPMManifest\",\"rpms\":[{\"name\":\"c\","  \
	"\"version\":\"3\",\"release\":\"1.el9\",\"architecture\":\"noarch\","        \
	"\"srpm_name\":\"csrc\",\"srpm_nevra\":\"csrc-2:3-1.el9.src\"}]}"

static void test_members(void **state)
{
	static const char doc[] =
		"A comment.\n-- x --\n"
		"-- var/lib/dpkg/status --\n" DPKG_A
		"\n-- etc/apk/repositories --\nhttps://dl-cdn.alpinelinux.org/alpine/v3.19/main\n"
		"-- lib/apk/db/installed --\n" APK_B
		"--   catalog/images/id/1/rpm-manifest   --\n" MANIFEST_C "\n"
		"-- usr/share/doc/var/lib/dpkg/status.txt --\nnot read\n";
	struct collect *c = reset(0);
	struct err e = { "" };

	(void)state;
	assert_true(txtar_looks_like(doc, strlen(doc)));
	assert_int_equal(parse(doc, c, &e), 0);
	/* Every kind of inventory member, in archive order. */
	assert_int_equal(c->n, 3);
	assert_string_equal(c->pkgs[0].name, "a");
	assert_string_equal(c->pkgs[1].name, "b");
	assert_string_equal(c->pkgs[2].name, "c");
	assert_pkg(c, "a", "1.0-1", "a", "1.0-1");
	assert_pkg(c, "b", "2.0-r0", "bsrc", "2.0-r0");
	assert_pkg(c, "c", "2:3-1.el9", "csrc", "2:3-1.el9");
	assert_string_equal(c->pkgs[0].arch, "amd64");
	/* Line numbers count from the member's first line. */
	assert_int_equal(c->pkgs[0].line, 1);
	assert_int_equal(c->pkgs[1].line, 1);
	assert_int_equal(c->pkgs[2].line, 0);
	assert_int_equal(c->nos, 0);
}

static void test_markers(void **state)
{
	/* "\r" before the newline, a marker in the middle of a line, "-- --"
	 * (too short) and a name only ending in the suffix are no members;
	 * the dpkg member then runs on, and is one broken stanza. */
	static const char crlf[] = "-- var/lib/dpkg/status --\r\n" DPKG_A;
	static const char mid[] = "x -- var/lib/dpkg/status --\n" DPKG_A;
	static const char near[] = "-- xvar/lib/dpkg/status --\n" DPKG_A
				   "-- var/lib/dpkg/status.d/a --\n" DPKG_A
				   "-- rpm-manifest.json --\n{}\n";
	static const char runon[] = "-- var/lib/dpkg/status --\n" DPKG_A
				    "-- --\nnot a marker\n";
	/* No newline at the end, an empty name, an empty member, blanks. */
	static const char last[] = "--  --\n-- lib/apk/db/installed --\n"
				   "-- /var/lib/dpkg/status --\n" DPKG_A
				   "-- \tvar/lib/dpkg/status\t --\nPackage: z\nStatus: install ok "
				   "installed\nVersion: 1";
	struct collect *c;
	struct err e = { "" };

	(void)state;
	c = reset(0);
	assert_int_equal(parse(crlf, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.txtar: no inventory member (looked for "
			    "var/lib/dpkg/status, lib/apk/db/installed, .../rpm-manifest)");
	assert_false(txtar_looks_like(crlf, strlen(crlf)));
	assert_int_equal(parse(mid, c, &e), ERR_INPUT);
	assert_false(txtar_looks_like(mid, strlen(mid)));
	assert_int_equal(parse(near, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.txtar: no inventory member (looked for "
			    "var/lib/dpkg/status, lib/apk/db/installed, .../rpm-manifest)");
	assert_false(txtar_looks_like(near, strlen(near)));
	assert_int_equal(parse(runon, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.txtar: member 'var/lib/dpkg/status': line 5: "
			    "package 'a': expected 'Field: value', found a line with no colon: "
			    "'-- --'");
	c = reset(0);
	assert_int_equal(parse(last, c, &e), 0);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->pkgs[1].name, "z");
	assert_string_equal(c->pkgs[1].version, "1");
}

static void test_os_release(void **state)
{
	static const char both[] = "-- usr/lib/os-release --\nID=ubuntu\nVERSION_ID=\"22.04\"\n"
				   "-- var/lib/dpkg/status --\n" DPKG_A
				   "-- image/etc/os-release --\nID=debian\nVERSION_ID=\"12\"\n"
				   "-- etc/os-release --\nID=alpine\n";
	static const char usr[] = "-- var/lib/dpkg/status --\n" DPKG_A
				  "-- usr/lib/os-release --\nID=ubuntu\nVERSION_ID=\"22.04\"\n";
	static const char bad[] = "-- etc/os-release --\nID=debian\nVERSION_ID=\"12\n"
				  "-- var/lib/dpkg/status --\n" DPKG_A;
	static const char only_os[] = "-- etc/os-release --\nID=debian\n";
	struct collect *c;
	struct err e = { "" };

	(void)state;
	/* The first etc/os-release wins over usr/lib, and comes first. */
	c = reset(0);
	assert_int_equal(parse(both, c, &e), 0);
	assert_int_equal(c->nos, 1);
	assert_int_equal(c->pkgs_before_os, 0);
	assert_string_equal(c->os.id, "debian");
	assert_string_equal(c->os.version_id, "12");
	assert_string_equal(c->os.kernel, "");
	assert_int_equal(c->n, 1);
	c = reset(0);
	assert_int_equal(parse(usr, c, &e), 0);
	assert_string_equal(c->os.id, "ubuntu");
	assert_string_equal(c->os.version_id, "22.04");
	c = reset(0);
	assert_int_equal(parse(bad, c, &e), ERR_INPUT);
	assert_true(!strncmp(e.msg, "x.txtar: member 'etc/os-release': line 2: ", 42));
	assert_int_equal(c->n, 0);
	/* An os-release alone is no inventory. */
	assert_int_equal(parse(only_os, c, &e), ERR_INPUT);
	assert_false(txtar_looks_like(only_os, strlen(only_os)));
}

static void test_member_errors(void **state)
{
	static const struct {
		const char *doc;
		const char *msg;
	} cases[] = {
		{ "head\n-- var/lib/dpkg/status --\nPackage: a\nStatus: install ok installed\n"
		  "bogus\n",
		  "x.txtar: member 'var/lib/dpkg/status': line 3: package 'a': expected "
		  "'Field: value', found a line with no colon: 'bogus'" },
		{ "-- lib/apk/db/installed --\nP:a\n\nP:b\nV:1.0-r0\n",
		  "x.txtar: member 'lib/apk/db/installed': line 1: package 'a': field 'V': "
		  "missing: every stanza needs a version" },
		{ "-- a/b/rpm-manifest --\n{\"rpms\":[{\"name\":\"x\",\"version\":\"1\","
		  "\"release\":2}]}\n",
		  "x.txtar: member 'a/b/rpm-manifest': rpms[0].release: expected a string" },
		{ "-- rpm-manifest --\n",
		  "x.txtar: member 'rpm-manifest': line 1 column 0: '[' or '{' expected near end "
		  "of file" },
		{ "-- x\x1b[31m/var/lib/dpkg/status --\nbad\n",
		  "x.txtar: member 'x\\x1b[31m/var/lib/dpkg/status': line 1: expected "
		  "'Field: value', found a line with no colon: 'bad'" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = { "" };
		int r = parse(cases[i].doc, reset(0), &e);

		if (r != ERR_INPUT || strcmp(e.msg, cases[i].msg))
			fail_msg("case %zu: got %d '%s', expected '%s'", i, r, e.msg,
				 cases[i].msg);
	}
}

static void test_callback_stops(void **state)
{
	static const char doc[] = "-- var/lib/dpkg/status --\n" DPKG_A
				  "-- lib/apk/db/installed --\n" APK_B "\nP:b2\nV:1-r0\n"
				  "-- rpm-manifest --\n" MANIFEST_C;
	struct collect *c;
	struct err e = { "" };

	(void)state;
	c = reset(2);
	assert_int_equal(parse(doc, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.txtar: member 'lib/apk/db/installed': stop");
	c = reset(4);
	assert_int_equal(parse(doc, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.txtar: member 'rpm-manifest': rpms[0]: stop");
	/* A NULL sink only validates. */
	assert_int_equal(txtar_parse(doc, strlen(doc), "x.txtar", NULL, &e), 0);
	assert_int_equal(txtar_parse("{", (size_t)TXTAR_MAX + 1, "x.txtar", NULL, &e),
			 ERR_NOMEM);
}

static void test_looks_like(void **state)
{
	static const char *const no[] = {
		"", "Package: a\nStatus: install ok installed\n", "P:a\nV:1-r0\n",
		"{\"object_type\":\"containerImageRPMManifest\"}", "-- etc/apk/arch --\nx86_64\n",
		"-- var/lib/dpkg/status", "--var/lib/dpkg/status--\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(txtar_looks_like(no[i], strlen(no[i])));
	assert_false(txtar_looks_like(NULL, 0));
	assert_true(txtar_looks_like("-- var/lib/dpkg/status --", 25));
}

/* Reads and parses a fixture; false when the data is absent. */
static bool parse_fixture(const char *rel, struct collect *c)
{
	const char *path = shared_path(rel);
	struct buf b;
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(&b, 64u << 20);
	if (buf_read_file(&b, path, &e))
		fail_msg("%s", e.msg);
	assert_true(txtar_looks_like(b.data, b.len));
	if (parse_len(b.data, b.len, c, &e))
		fail_msg("%s: %s", rel, e.msg);
	buf_release(&b);
	return true;
}

/*
 * claircore's archives hold one image's rpm-manifest for each of four
 * architectures (and catalog search results, ignored). Every manifest is
 * read, so the counts are the sums of len(json.loads(line)["rpms"]) over
 * the line after each "-- .../rpm-manifest --" marker, counted with
 * python3, none being gpg-pubkey: ubi8 178+176+175+175 = 704, ubi9
 * 178+181+179+179 = 717, httpd-24 298+296+295+296 = 1185. A noarch
 * package is reported once per manifest.
 */
static void test_claircore(void **state)
{
	struct collect *c;

	(void)state;
	c = reset(0);
	if (!parse_fixture("fixtures/claircore/rpm/testdata/package/ubi8_ubi.txtar", c))
		return;
	assert_int_equal(c->n, 704);
	assert_int_equal(c->nos, 0);
	assert_int_equal(count_named(c, "basesystem"), 4);
	/* tar and vim-minimal: the epoch of srpm_nevra (tar-2:1.30-4.el8.src). */
	assert_pkg(c, "tar", "2:1.30-4.el8", "tar", "2:1.30-4.el8");
	assert_pkg(c, "vim-minimal", "2:8.0.1763-10.el8", "vim", "2:8.0.1763-10.el8");
	assert_pkg(c, "grep", "3.1-6.el8", "grep", "3.1-6.el8");

	c = reset(0);
	if (!parse_fixture("fixtures/claircore/rpm/testdata/package/ubi9_ubi.txtar", c))
		return;
	assert_int_equal(c->n, 717);
	assert_pkg(c, "tar", "2:1.34-3.el9", "tar", "2:1.34-3.el9");
	assert_pkg(c, "vim-minimal", "2:8.2.2637-15.el9", "vim", "2:8.2.2637-15.el9");

	c = reset(0);
	if (!parse_fixture("fixtures/claircore/rhel/testdata/package/ubi9_httpd-24.txtar", c))
		return;
	assert_int_equal(c->n, 1185);
	assert_pkg(c, "perl-B", "4:1.80-479.el9", "perl", "4:5.32.1-479.el9");
}

/*
 * trivy's dpkg status member: 91 stanzas, 90 of them "install ok
 * installed" and one "deinstall ok config-files" (counted with python3,
 * splitting the member on blank lines and reading each Status:).
 */
static void test_trivy_dpkg(void **state)
{
	struct collect *c = reset(0);

	(void)state;
	if (!parse_fixture("fixtures/trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/valid.txtar", c))
		return;
	assert_int_equal(c->n, 90);
	assert_pkg(c, "fdisk", "2.31.1-0.4ubuntu3.1", "util-linux", "2.31.1-0.4ubuntu3.1");
	assert_string_equal(c->pkgs[0].name, "fdisk");
	assert_int_equal(c->pkgs[0].line, 1);
}

/*
 * osv-scalibr's apk cache: lib/apk/db/installed has three stanzas
 * (grep -c '^P:' on the member: libcurl, orb, c-ares); the repositories,
 * the two APKINDEX members and etc/apk/arch are ignored.
 */
static void test_scalibr_apk(void **state)
{
	struct collect *c = reset(0);

	(void)state;
	if (!parse_fixture("fixtures/osv-scalibr/annotator/osduplicate/apk/testdata/cache", c))
		return;
	assert_int_equal(c->n, 3);
	assert_pkg(c, "libcurl", "8.17.0-r1", "curl", "8.17.0-r1");
	/* No o: line: the package is its own origin. */
	assert_pkg(c, "orb", "1.4.10", "orb", "1.4.10");
	assert_string_equal(c->pkgs[2].name, "c-ares");
	assert_string_equal(c->pkgs[2].arch, "aarch64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_os_release),
		cmocka_unit_test(test_member_errors),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_claircore),
		cmocka_unit_test(test_trivy_dpkg),
		cmocka_unit_test(test_scalibr_apk),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
