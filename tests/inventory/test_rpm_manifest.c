/*
 * Unit tests for the Red Hat container catalog rpm-manifest parser
 * (src/inventory/rpm_manifest.c).
 *
 * Inline documents cover the fields, the epoch taken from srpm_nevra, and
 * each kind of broken document, asserting the field path each message
 * names. Every input is parsed from a heap copy of exactly its length, so
 * that AddressSanitizer flags a read past the end.
 *
 * claircore's ubi8/ubi9 fixtures (txtar archives, each rpm-manifest member
 * one JSON line) are cut here without txtar.c, and every manifest in them
 * is parsed; they need ../shared/data (or $HFX_SHARED_DATA), and without
 * it the binary exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/rpm_manifest.h"

static bool data_skipped;

#define MAX_PKGS 320

struct seen_pkg {
	char name[128];
	char version[128];
	char arch[32];
	char source[128];
	char source_version[128];
};

struct collect {
	size_t n;
	size_t stop_after; /* 0: never stop */
	struct seen_pkg pkgs[MAX_PKGS];
};

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
	assert_int_equal(p->line, 0);
	s = &c->pkgs[c->n++];
	copy_span_nonnull(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span_nonnull(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span_nonnull(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span_nonnull(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span_nonnull(s->source_version, sizeof(s->source_version),
			  p->source_version, p->source_version_len);
	if (c->stop_after && c->n == c->stop_after)
		return err_set(e, ERR_INPUT, "stop");
	return 0;
}

static int collect_os(const struct inv_os *os, void *ctx, struct err *e)
{
	(void)os, (void)ctx, (void)e;
	fail_msg("an rpm manifest says nothing of the OS");
	return 0;
}

/* Parses a heap copy of exactly len bytes. */
static int parse_len(const char *data, size_t len, struct collect *c, struct err *e)
{
	struct inv_sink sink = { collect_os, collect_pkg, NULL, c };
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, data, len);
	r = rpm_manifest_parse(copy, len, "x.json", &sink, e);
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

static void assert_pkg(const struct collect *c, const char *name, const char *version,
		       const char *arch, const char *source, const char *source_version)
{
	const struct seen_pkg *p = find(c, name);

	assert_string_equal(p->version, version);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
}

#define RPM(name, ver, rel, arch, srpm_name, nevra)                                    \
	"{\"architecture\":\"" arch "\",\"gpg\":\"199e2f91fd431d51\",\"name\":\"" name \
	"\",\"nvra\":\"" name "-" ver "-" rel "." arch "\",\"release\":\"" rel         \
	"\",\"srpm_name\":\"" srpm_name "\",\"srpm_nevra\":\"" nevra                    \
	"\",\"summary\":\"s\",\"version\":\"" ver "\"}"

static void test_good(void **state)
{
	static const char doc[] =
		"{\"_id\":\"5cc9\",\"object_type\":\"containerImageRPMManifest\",\"rpms\":["
		RPM("tar", "1.30", "4.el8", "x86_64", "tar", "tar-2:1.30-4.el8.src") ","
		RPM("libxcrypt", "4.1.1", "4.el8", "x86_64", "libxcrypt",
		    "libxcrypt-0:4.1.1-4.el8.src") ","
		RPM("device-mapper", "1.02.155", "6.el8", "x86_64", "lvm2",
		    "lvm2-8:2.03.02-6.el8.src") ","
		"{\"name\":\"gpg-pubkey\",\"version\":\"fd431d51\",\"release\":\"4ae0493b\"},"
		RPM("python3.9-x", "3.9.16", "1.el9", "noarch", "python3.9",
		    "python3.9-3.9.16-1.el9.nosrc.rpm") ","
		RPM("fonts-filesystem", "2.0.5", "7.el9.1", "noarch", "fonts-rpm-macros",
		    "fonts-rpm-macros-01:2.0.5-7.el9.1.src")
		"],\"_links\":{}}";
	struct collect c = { 0 };
	struct err e = { "" };

	(void)state;
	assert_true(rpm_manifest_looks_like(doc, strlen(doc)));
	assert_int_equal(parse(doc, &c, &e), 0);
	/* gpg-pubkey is skipped, without its other fields checked. */
	assert_int_equal(c.n, 5);
	assert_string_equal(c.pkgs[0].name, "tar");
	/* Epochs come from the source; 0 and none are written as none, and
	 * leading zeros go. */
	assert_pkg(&c, "tar", "2:1.30-4.el8", "x86_64", "tar", "2:1.30-4.el8");
	assert_pkg(&c, "libxcrypt", "4.1.1-4.el8", "x86_64", "libxcrypt", "4.1.1-4.el8");
	assert_pkg(&c, "device-mapper", "8:1.02.155-6.el8", "x86_64", "lvm2", "8:2.03.02-6.el8");
	assert_pkg(&c, "python3.9-x", "3.9.16-1.el9", "noarch", "python3.9", "3.9.16-1.el9");
	assert_pkg(&c, "fonts-filesystem", "1:2.0.5-7.el9.1", "noarch", "fonts-rpm-macros",
		   "1:2.0.5-7.el9.1");
}

static void test_empty_and_null_sink(void **state)
{
	static const char doc[] = "{\"object_type\":\"containerImageRPMManifest\",\"rpms\":[]}";
	static const char one[] =
		"{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1-1.src") "]}";
	struct collect c = { 0 };
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse(doc, &c, &e), 0);
	assert_int_equal(c.n, 0);
	/* No object_type is fine; a NULL sink only validates. */
	assert_int_equal(rpm_manifest_parse(one, strlen(one), "x.json", NULL, &e), 0);
	assert_int_equal(rpm_manifest_parse("{\"rpms\":[{}]}", 13, "x.json", NULL, &e),
			 ERR_INPUT);
	assert_string_equal(e.msg, "x.json: rpms[0].name: missing");
}

struct bad_case {
	const char *doc;
	int code;
	const char *msg;
};

static void test_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ "", ERR_INPUT, "x.json: line 1 column 0: '[' or '{' expected near end of file" },
		{ "[]", ERR_INPUT, "x.json: expected a JSON object at the top level" },
		{ "{\"rpms\":[]} x", ERR_INPUT, "x.json: line 1 column 13: end of file expected "
					       "near 'x'" },
		{ "{\"rpms\":[],\"rpms\":[]}", ERR_INPUT,
		  "x.json: line 1 column 17: duplicate object key near '\"rpms\"'" },
		{ "{}", ERR_INPUT, "x.json: rpms: missing" },
		{ "{\"rpms\":null}", ERR_INPUT, "x.json: rpms: missing" },
		{ "{\"rpms\":{}}", ERR_INPUT, "x.json: rpms: expected an array" },
		{ "{\"object_type\":\"containerImage\",\"rpms\":[]}", ERR_INPUT,
		  "x.json: object_type: 'containerImage', not an rpm manifest "
		  "('containerImageRPMManifest')" },
		{ "{\"object_type\":1,\"rpms\":[]}", ERR_INPUT,
		  "x.json: object_type: expected a string" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1-1.src") ",3]}", ERR_INPUT,
		  "x.json: rpms[1]: expected an object" },
		{ "{\"rpms\":[{\"name\":7}]}", ERR_INPUT, "x.json: rpms[0].name: expected a string" },
		{ "{\"rpms\":[{\"name\":\"\"}]}", ERR_INPUT,
		  "x.json: rpms[0].name: empty package name" },
		{ "{\"rpms\":[{\"name\":\"a b\"}]}", ERR_INPUT,
		  "x.json: rpms[0].name: invalid package name 'a b': only letters, digits and "
		  ".-_+%{} are allowed" },
		{ "{\"rpms\":[" RPM("a", "1-2", "1", "noarch", "a", "a-1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].version: invalid version '1-2': only letters, digits and "
		  "._+%{}~^ are allowed" },
		{ "{\"rpms\":[" RPM("a", "1", "1..el9", "noarch", "a", "a-1-1.src") "]}",
		  ERR_INPUT, "x.json: rpms[0].release: invalid release '1..el9': rpm forbids '..'" },
		{ "{\"rpms\":[{\"name\":\"a\",\"version\":\"1\",\"release\":[]}]}", ERR_INPUT,
		  "x.json: rpms[0].release: expected a string" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "x86-64", "a", "a-1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].architecture: invalid architecture 'x86-64' (only letters, "
		  "digits and _)" },
		{ "{\"rpms\":[{\"name\":\"a\",\"version\":\"1\",\"release\":\"1\","
		  "\"architecture\":\"noarch\",\"srpm_name\":\"a\"}]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: missing (the package's epoch is read from it)" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1-1.src.tar") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: 'a-1-1.src.tar' does not end in '.src' or "
		  "'.nosrc'" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: 'a-1.src' is not NAME-[EPOCH:]VERSION-RELEASE.src" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-:1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: 'a-:1-1.src' is not NAME-[EPOCH:]VERSION-RELEASE"
		  ".src" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-x:1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: invalid epoch in 'a-x:1-1.src': expected a decimal "
		  "number of at most 4294967295" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-4294967296:1-1.src") "]}",
		  ERR_INPUT, "x.json: rpms[0].srpm_nevra: invalid epoch in 'a-4294967296:1-1.src': "
			     "expected a decimal number of at most 4294967295" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "-1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: empty source name" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1:-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_nevra: empty source version" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "b", "a-1-1.src") "]}", ERR_INPUT,
		  "x.json: rpms[0].srpm_name: 'b' differs from the name in srpm_nevra "
		  "'a-1-1.src'" },
		{ "{\"rpms\":[" RPM("a", "1", "1", "noarch", "a", "a-1-1.src") ","
		  "{\"name\":\"b\",\"version\":\"1\",\"release\":\"1\",\"architecture\":\"noarch\","
		  "\"srpm_nevra\":\"b-1-1.src\",\"srpm_name\":null}]}", ERR_INPUT,
		  "x.json: rpms[1].srpm_name: missing" },
		{ "{\"rpms\":[{\"name\":\"a\\u001b[31m\"}]}", ERR_INPUT,
		  "x.json: rpms[0].name: invalid package name 'a\\x1b[31m': only letters, digits "
		  "and .-_+%{} are allowed" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct collect c = { 0 };
		struct err e = { "" };
		int r = parse(cases[i].doc, &c, &e);

		if (r != cases[i].code || strcmp(e.msg, cases[i].msg))
			fail_msg("case %zu: got %d '%s', expected %d '%s'", i, r, e.msg,
				 cases[i].code, cases[i].msg);
	}
}

/* The brief's example: rpms[12].release of the wrong type. */
static void test_path_index(void **state)
{
	struct buf b;
	struct collect c = { 0 };
	struct err e = { "" };

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_append(&b, "{\"rpms\":[", 9, &e), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(buf_appendf(&b, &e, "%s" RPM("p%d", "1", "1", "noarch", "p%d",
							       "p%d-1-1.src"),
					     i ? "," : "", i, i, i, i), 0);
	assert_int_equal(buf_appendf(&b, &e, ",{\"name\":\"z\",\"version\":\"1\","
				     "\"release\":12}]}"), 0);
	assert_int_equal(parse_len(b.data, b.len, &c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.json: rpms[12].release: expected a string");
	/* Reported one by one: the twelve before it were. */
	assert_int_equal(c.n, 12);
	buf_release(&b);
}

static void test_limits(void **state)
{
	struct buf b;
	struct collect c = { 0 };
	struct err e = { "" };

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_appendf(&b, &e, "{\"rpms\":[{\"name\":\""), 0);
	for (unsigned i = 0; i <= RPM_MANIFEST_FIELD_MAX; i++)
		assert_int_equal(buf_append(&b, "a", 1, &e), 0);
	assert_int_equal(buf_appendf(&b, &e, "\"}]}"), 0);
	assert_int_equal(parse_len(b.data, b.len, &c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "x.json: rpms[0].name: 1025 bytes, longer than the limit "
			    "of 1024");
	buf_release(&b);
	assert_int_equal(rpm_manifest_parse("{", (size_t)RPM_MANIFEST_MAX + 1, "x.json", NULL,
					    &e), ERR_NOMEM);
}

static void test_callback_stops(void **state)
{
	static const char doc[] = "{\"rpms\":["
		RPM("a", "1", "1", "noarch", "a", "a-1-1.src") ","
		RPM("b", "1", "1", "noarch", "b", "b-1-1.src") ","
		RPM("c", "1", "1", "noarch", "c", "c-1-1.src") "]}";
	struct collect c = { .stop_after = 2 };
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse(doc, &c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "x.json: rpms[1]: stop");
	assert_int_equal(c.n, 2);
}

static void test_looks_like(void **state)
{
	static const char *const yes[] = {
		"  \n{\"object_type\":\"containerImageRPMManifest\"}",
		"{\"rpms\":[{\"srpm_nevra\":\"a-1-1.src\"}]}",
	};
	static const char *const no[] = {
		"", "[{\"object_type\":\"containerImageRPMManifest\"}]", "{\"rpms\":[]}",
		"{\"jsonVersion\":4,\"family\":\"redhat\"}", "Package: a\n",
		"containerImageRPMManifest",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(rpm_manifest_looks_like(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(rpm_manifest_looks_like(no[i], strlen(no[i])));
	assert_false(rpm_manifest_looks_like(NULL, 0));
}

/*
 * Each rpm-manifest member of a claircore archive (its marker line, then
 * the document on one line), parsed alone; counts[] holds, in archive
 * order, the number of rpms in each, counted with python3 (json.loads of
 * the line after each "-- .../rpm-manifest --" marker, len(d["rpms"]));
 * none of them lists gpg-pubkey.
 */
static void check_fixture(const char *rel, const size_t *counts, size_t ncounts,
			  struct collect *first)
{
	const char *path = shared_path(rel);
	static struct collect c;
	size_t found = 0;
	struct buf b;
	struct err e = { "" };
	const char *p, *end;

	if (!path) {
		data_skipped = true;
		return;
	}
	buf_init(&b, 64u << 20);
	if (buf_read_file(&b, path, &e))
		fail_msg("%s", e.msg);
	p = b.data;
	end = b.data + b.len;
	while ((p = memmem(p, (size_t)(end - p), "/rpm-manifest --\n", 17))) {
		const char *doc = p + 17, *nl = memchr(doc, '\n', (size_t)(end - doc));
		size_t len = nl ? (size_t)(nl - doc) : (size_t)(end - doc);

		assert_true(found < ncounts);
		memset(&c, 0, sizeof(c));
		assert_true(rpm_manifest_looks_like(doc, len));
		if (parse_len(doc, len, &c, &e))
			fail_msg("%s: %s", rel, e.msg);
		assert_int_equal(c.n, counts[found]);
		if (!found && first)
			*first = c;
		found++;
		p = doc + len;
	}
	assert_int_equal(found, ncounts);
	buf_release(&b);
}

static void test_ubi8(void **state)
{
	static const size_t counts[] = { 178, 176, 175, 175 }; /* x86_64 aarch64 ppc64le s390x */
	static struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	check_fixture("fixtures/claircore/rpm/testdata/package/ubi8_ubi.txtar", counts, 4, &c);
	if (data_skipped)
		return;
	/* srpm_nevra tar-2:1.30-4.el8.src, vim-2:8.0.1763-10.el8.src: binaries
	 * that the manifest lists without an epoch. */
	assert_pkg(&c, "tar", "2:1.30-4.el8", "x86_64", "tar", "2:1.30-4.el8");
	assert_pkg(&c, "vim-minimal", "2:8.0.1763-10.el8", "x86_64", "vim", "2:8.0.1763-10.el8");
	assert_pkg(&c, "libpcap", "14:1.9.0-1.el8", "x86_64", "libpcap", "14:1.9.0-1.el8");
	assert_pkg(&c, "device-mapper-libs", "8:1.02.155-6.el8", "x86_64", "lvm2",
		   "8:2.03.02-6.el8");
	assert_pkg(&c, "libmodulemd1", "1.8.0-5.el8", "x86_64", "libmodulemd", "2.0.0-5.el8");
	assert_pkg(&c, "basesystem", "11-5.el8", "noarch", "basesystem", "11-5.el8");
}

static void test_ubi9(void **state)
{
	static const size_t counts[] = { 178, 181, 179, 179 }; /* s390x x86_64 ppc64le aarch64 */
	static struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	check_fixture("fixtures/claircore/rpm/testdata/package/ubi9_ubi.txtar", counts, 4, &c);
	if (data_skipped)
		return;
	assert_pkg(&c, "tar", "2:1.34-3.el9", "s390x", "tar", "2:1.34-3.el9");
	assert_pkg(&c, "openssl-libs", "1:3.0.1-23.el9_0", "s390x", "openssl",
		   "1:3.0.1-23.el9_0");
}

static void test_httpd(void **state)
{
	static const size_t counts[] = { 298, 296, 295, 296 }; /* x86_64 ppc64le s390x aarch64 */

	(void)state;
	check_fixture("fixtures/claircore/rhel/testdata/package/ubi9_httpd-24.txtar", counts, 4,
		      NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty_and_null_sink),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_path_index),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_ubi8),
		cmocka_unit_test(test_ubi9),
		cmocka_unit_test(test_httpd),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
