/*
 * Unit tests for the package URL parser (src/inventory/purl.c).
 *
 * The purl-spec test suite (the vectors/purl test files) is run case by case:
 * "parse" cases must fail or yield exactly the expected parts, "validate"
 * cases must re-serialise to the expected canonical string, "build" cases
 * must format (or fail) from the given parts. One "recommended" case
 * contradicts a "required" one (see test_vectors_rpm); the required one
 * wins, and the test asserts that choice. Inline cases cover the grammar
 * and each error. Inputs are parsed from heap copies of exactly their
 * length, so that AddressSanitizer flags a read past the end.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA) for the vectors; the inline
 * cases run without it, and the binary then exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/purl.h"

static bool data_skipped;

/* Parses a heap copy of s without its NUL; returns the parse result. */
static int parse_copy(const char *s, struct purl *p, struct err *e)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = purl_parse(copy, len, p, e);
	free(copy);
	return r;
}

static void parse_ok(const char *s, struct purl *p)
{
	struct err e = { "" };

	if (parse_copy(s, p, &e))
		fail_msg("'%s': %s", s, e.msg);
}

/* Parsing s fails with ERR_INPUT, a message containing want, and leaves
 * the output untouched. */
static void parse_fails(const char *s, const char *want)
{
	struct purl p, sentinel;
	struct err e = { "" };
	int r;

	memset(&p, 0x5a, sizeof(p));
	sentinel = p;
	r = parse_copy(s, &p, &e);
	if (r != ERR_INPUT)
		fail_msg("'%s': expected ERR_INPUT, got %d", s, r);
	if (!strstr(e.msg, want))
		fail_msg("'%s': message '%s' lacks '%s'", s, e.msg, want);
	assert_memory_equal(&p, &sentinel, sizeof(p));
}

static void assert_canonical(const struct purl *p, const char *want)
{
	char out[PURL_INPUT_MAX * 3];
	struct err e = { "" };

	if (purl_format(p, out, sizeof(out), &e))
		fail_msg("format: %s", e.msg);
	assert_string_equal(out, want);
}

/* ---- the purl-spec test suite ---- */

struct tally {
	size_t parse, validate, build, examples;
};

static struct tally tally;

static json_t *load_json(const char *rel)
{
	const char *path = shared_path(rel);
	struct buf b;
	struct err e = { "" };
	json_error_t jerr;
	json_t *root;

	if (!path) {
		data_skipped = true;
		return NULL;
	}
	buf_init(&b, 1u << 20);
	if (buf_read_file(&b, path, &e))
		fail_msg("%s", e.msg);
	root = json_loadb(b.data, b.len, 0, &jerr);
	if (!root)
		fail_msg("%s: %s", rel, jerr.text);
	buf_release(&b);
	return root;
}

/* A part of an expected output: JSON null is an absent part, "". */
static const char *part(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static void check_parse_case(const char *input, const json_t *want, bool failure)
{
	const json_t *wq = json_object_get(want, "qualifiers");
	const char *k;
	json_t *v;
	struct purl p;

	if (failure) {
		parse_fails(input, "");
		return;
	}
	parse_ok(input, &p);
	assert_string_equal(p.type, part(want, "type"));
	assert_string_equal(p.ns, part(want, "namespace"));
	assert_string_equal(p.name, part(want, "name"));
	assert_string_equal(p.version, part(want, "version"));
	assert_string_equal(p.subpath, part(want, "subpath"));
	assert_int_equal(p.nqualifiers, json_is_object(wq) ? json_object_size(wq) : 0);
	json_object_foreach((json_t *)wq, k, v) {
		const char *got = purl_qualifier(&p, k);

		if (!got)
			fail_msg("'%s': qualifier '%s' missing", input, k);
		assert_string_equal(got, json_string_value(v));
	}
}

static void check_validate_case(const char *input, const json_t *want, bool failure)
{
	struct purl p;

	if (failure) {
		parse_fails(input, "");
		return;
	}
	parse_ok(input, &p);
	assert_true(json_is_string(want));
	assert_canonical(&p, json_string_value(want));
}

/* Builds a purl from the parts object in; false when a part is refused. */
static bool build(const json_t *in, struct purl *p)
{
	const json_t *q = json_object_get(in, "qualifiers");
	struct err e = { "" };
	const char *k;
	json_t *v;

	purl_init(p);
	snprintf(p->type, sizeof(p->type), "%s", part(in, "type"));
	snprintf(p->ns, sizeof(p->ns), "%s", part(in, "namespace"));
	snprintf(p->name, sizeof(p->name), "%s", part(in, "name"));
	snprintf(p->version, sizeof(p->version), "%s", part(in, "version"));
	snprintf(p->subpath, sizeof(p->subpath), "%s", part(in, "subpath"));
	json_object_foreach((json_t *)q, k, v)
		if (purl_add_qualifier(p, k, json_string_value(v), &e)) {
			assert_true(e.msg[0] != '\0');
			return false;
		}
	return true;
}

static void check_build_case(const json_t *in, const json_t *want, bool failure)
{
	char out[1024];
	struct err e = { "" };
	struct purl p;
	bool built = build(in, &p);

	if (failure) {
		assert_true(!built || purl_format(&p, out, sizeof(out), &e) == ERR_INPUT);
		return;
	}
	assert_true(built);
	assert_canonical(&p, json_string_value(want));
}

/*
 * Runs every case of one test file. skip_input names the one case (a
 * "recommended" validate case) whose expectation the required cases
 * contradict; it is checked by the caller instead.
 */
static void run_suite(const char *rel, const char *skip_input)
{
	json_t *root = load_json(rel), *tests, *t;
	size_t i;

	if (!root)
		return;
	tests = json_object_get(root, "tests");
	assert_true(json_is_array(tests) && json_array_size(tests) > 0);
	json_array_foreach(tests, i, t) {
		const char *type = json_string_value(json_object_get(t, "test_type"));
		const json_t *in = json_object_get(t, "input");
		const json_t *want = json_object_get(t, "expected_output");
		bool failure = json_is_true(json_object_get(t, "expected_failure"));

		assert_non_null(type);
		if (!strcmp(type, "parse")) {
			check_parse_case(json_string_value(in), want, failure);
			tally.parse++;
		} else if (!strcmp(type, "validate")) {
			if (skip_input && !strcmp(json_string_value(in), skip_input))
				continue;
			check_validate_case(json_string_value(in), want, failure);
			tally.validate++;
		} else if (!strcmp(type, "build")) {
			check_build_case(in, want, failure);
			tally.build++;
		} else {
			fail_msg("%s: tests[%zu]: unknown test_type '%s'", rel, i, type);
		}
	}
	json_decref(root);
}

/* The examples of a type definition parse, with that type. */
static void run_examples(const char *rel)
{
	json_t *root = load_json(rel), *ex, *x;
	const char *type;
	struct purl p;
	size_t i;

	if (!root)
		return;
	type = json_string_value(json_object_get(root, "type"));
	ex = json_object_get(root, "examples");
	assert_true(type && json_array_size(ex) > 0);
	json_array_foreach(ex, i, x) {
		parse_ok(json_string_value(x), &p);
		assert_string_equal(p.type, type);
		tally.examples++;
	}
	json_decref(root);
}

static void test_vectors_specification(void **state)
{
	(void)state;
	run_suite("vectors/purl/specification-test.json", NULL);
}

static void test_vectors_deb(void **state)
{
	(void)state;
	run_suite("vectors/purl/deb-test.json", NULL);
	run_examples("vectors/purl/deb-definition.json");
}

static void test_vectors_apk(void **state)
{
	(void)state;
	run_suite("vectors/purl/apk-test.json", NULL);
	run_examples("vectors/purl/apk-definition.json");
}

/*
 * rpm-test.json holds a "required" parse case saying that
 * "pkg:Rpm/...?Arch=i386&Distro=fedora-25" must fail (uppercase qualifier
 * keys), and a "recommended" validate case turning that same input into
 * "pkg:rpm/...?arch=i386&distro=fedora-25". Both cannot hold: hfx follows
 * the required case (an SBOM with such keys is not what a tool following
 * the spec writes), so the recommended one is asserted to fail instead.
 */
static void test_vectors_rpm(void **state)
{
	static const char contradicted[] =
		"pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25";

	(void)state;
	run_suite("vectors/purl/rpm-test.json", contradicted);
	run_examples("vectors/purl/rpm-definition.json");
	parse_fails(contradicted, "qualifier key 'Arch': uppercase letter 'A'");
}

/* ---- inline cases ---- */

static void test_parts(void **state)
{
	struct purl p;

	(void)state;
	parse_ok("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12", &p);
	assert_string_equal(p.type, "deb");
	assert_string_equal(p.ns, "debian");
	assert_string_equal(p.name, "curl");
	assert_string_equal(p.version, "7.88.1-10+deb12u5");
	assert_string_equal(purl_qualifier(&p, "arch"), "amd64");
	assert_string_equal(purl_qualifier(&p, "distro"), "debian-12");
	assert_null(purl_qualifier(&p, "epoch"));
	assert_null(purl_qualifier(&p, "arc"));
	assert_string_equal(p.subpath, "");

	/* '+' is not a space (purl is not form encoding); ':' needs no escape. */
	parse_ok("pkg:deb/debian/bsdutils@1:2.29.2-1+deb9u1?upstream=util-linux%402.29", &p);
	assert_string_equal(p.version, "1:2.29.2-1+deb9u1");
	assert_string_equal(purl_qualifier(&p, "upstream"), "util-linux@2.29");

	/* Type lowercased; scheme in any case; slashes after "pkg:" ignored. */
	parse_ok("PKG://RPM/redhat/openssl@3.0.7-24.el9?epoch=1", &p);
	assert_string_equal(p.type, "rpm");
	assert_string_equal(p.ns, "redhat");
	assert_string_equal(p.name, "openssl");

	/* No namespace, no version. */
	parse_ok("pkg:generic/openssl", &p);
	assert_string_equal(p.ns, "");
	assert_string_equal(p.name, "openssl");
	assert_string_equal(p.version, "");

	/* An npm scope is a namespace, not a version, with or without one. */
	parse_ok("pkg:npm/@angular/core", &p);
	assert_string_equal(p.ns, "@angular");
	assert_string_equal(p.name, "core");
	assert_string_equal(p.version, "");
	parse_ok("pkg:npm/%40angular/core@16.0.0", &p);
	assert_string_equal(p.ns, "@angular");
	assert_string_equal(p.version, "16.0.0");

	/* Several namespace segments; empty ones and trailing '/' dropped (so
	 * that, as the spec's algorithm has it, "pkg:deb/debian/" is named
	 * "debian"). */
	parse_ok("pkg:golang/github.com//package-url/packageurl-go@v0.1.1//", &p);
	assert_string_equal(p.ns, "github.com/package-url");
	assert_string_equal(p.name, "packageurl-go");
	assert_string_equal(p.version, "v0.1.1");

	/* Subpath: '.', '..' and empty segments dropped, segments decoded. */
	parse_ok("pkg:golang/google.golang.org/genproto#/googleapis/./../api%20x//annotations/", &p);
	assert_string_equal(p.subpath, "googleapis/api x/annotations");
	assert_string_equal(p.name, "genproto");

	/* Qualifiers: sorted, empty values absent, empty pairs skipped. */
	parse_ok("pkg:rpm/fedora/curl@7.50.3?distro=fedora-25&&epoch=&arch=i386", &p);
	assert_int_equal(p.nqualifiers, 2);
	assert_string_equal(purl_qualifier_key(&p, 0), "arch");
	assert_string_equal(purl_qualifier_value(&p, 0), "i386");
	assert_string_equal(purl_qualifier_key(&p, 1), "distro");
	assert_null(purl_qualifier_key(&p, 2));
	assert_null(purl_qualifier_value(&p, 2));
	assert_null(purl_qualifier(&p, "epoch"));
	/* A value may hold '=' and '/'. */
	parse_ok("pkg:generic/x?download_url=https://a.example/x%3Fy=1", &p);
	assert_string_equal(purl_qualifier(&p, "download_url"), "https://a.example/x?y=1");
	/* UTF-8 is taken as it is. */
	parse_ok("pkg:generic/caf\xc3\xa9@1", &p);
	assert_string_equal(p.name, "caf\xc3\xa9");
}

static void test_canonical(void **state)
{
	struct purl p;

	(void)state;
	parse_ok("pkg:RPM/fedora/centerim@4.22.10-1.el6?epoch=1&arch=i686&distro=fedora-25", &p);
	assert_canonical(&p, "pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1");
	parse_ok("pkg://npm/@angular/core@16.0.0#/a/./b/", &p);
	assert_canonical(&p, "pkg:npm/%40angular/core@16.0.0#a/b");
	parse_ok("pkg:generic/a%20b@1%2B2?k=x%2Cy%26z%3D", &p);
	assert_canonical(&p, "pkg:generic/a%20b@1%2B2?k=x%2Cy%26z%3D");
}

static void test_bad_inputs(void **state)
{
	(void)state;
	parse_fails("", "empty");
	parse_fails("deb/debian/curl@1", "no scheme");
	parse_fails("pkgx:deb/debian/curl@1", "scheme 'pkgx' is not 'pkg'");
	parse_fails("pkg:curl@1", "no '/' after the type");
	parse_fails("pkg:/debian", "no '/' after the type");
	parse_fails("pkg://x", "no '/' after the type");
	parse_fails("pkg:/deb", "no '/' after the type");
	parse_fails("pkg:/x/", "no name");
	parse_fails("pkg://deb/", "no name");
	parse_fails("pkg:3d/x", "type '3d': starts with a digit");
	parse_fails("pkg:d_b/x", "type 'd_b': invalid character '_'");
	parse_fails("pkg:abcdefghijabcdefghijabcdefghijab/x", "type 'abcdefghij");
	parse_fails("pkg:deb/debian/@1.0", "no name");
	parse_fails("pkg:deb/debian/curl@", "empty version after '@'");
	parse_fails("pkg:deb/debian/curl@1.0?arch", "qualifier 'arch': no '='");
	parse_fails("pkg:deb/debian/curl@1.0?=x", "qualifier with an empty key");
	parse_fails("pkg:deb/debian/curl@1.0?1arch=x", "qualifier key '1arch': starts with a digit");
	parse_fails("pkg:deb/debian/curl@1.0?ar%63h=x", "qualifier key 'ar%63h': invalid character '%'");
	parse_fails("pkg:deb/debian/curl@1.0?Arch=x", "uppercase letter 'A'");
	parse_fails("pkg:deb/debian/curl@1.0?arch=x&arch=y", "qualifier key 'arch' given twice");
	parse_fails("pkg:deb/debian/curl@1.0?arch=%zz", "qualifier 'arch': invalid percent-encoding '%zz'");
	parse_fails("pkg:deb/debian/curl@1.0%2", "version: invalid percent-encoding '%2'");
	parse_fails("pkg:deb/debian/curl@1.0%", "version: invalid percent-encoding '%'");
	parse_fails("pkg:deb/debian/cu%00rl@1.0", "name: '%00' decodes to a NUL byte");
	parse_fails("pkg:deb/deb%2Fian/curl", "namespace: '%2F' decodes to '/' inside a segment");
	parse_fails("pkg:generic/x#a%2fb", "subpath: '%2f' decodes to '/'");
	parse_fails("pkg:deb/debian/curl@1.0 ", "unencoded space at byte 24");
	parse_fails("pkg:deb/debian/curl@1.0\tx", "control character at byte 24");
	parse_fails("pkg:deb/debian/cu\x7frl", "control character at byte 18");
}

/* A NUL byte inside the given length is data, and is refused. */
static void test_explicit_length(void **state)
{
	static const char s[] = "pkg:deb/debian/curl@1\0?arch=x";
	struct err e = { "" };
	struct purl p;

	(void)state;
	assert_int_equal(purl_parse(s, sizeof(s) - 1, &p, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "control character at byte 22"));
	/* Only len bytes are read: the '?' after them is not seen. */
	assert_int_equal(purl_parse(s, 21, &p, &e), 0);
	assert_string_equal(p.version, "1");
	assert_int_equal(p.nqualifiers, 0);
}

static void test_limits(void **state)
{
	char s[PURL_INPUT_MAX + 64], msg[128];
	struct purl p;
	size_t n;

	(void)state;
	/* A name of PURL_NAME_MAX - 1 bytes fits; one more does not. */
	n = (size_t)snprintf(s, sizeof(s), "pkg:generic/");
	memset(s + n, 'a', PURL_NAME_MAX - 1);
	s[n + PURL_NAME_MAX - 1] = '\0';
	parse_ok(s, &p);
	assert_int_equal(strlen(p.name), PURL_NAME_MAX - 1);
	s[n + PURL_NAME_MAX - 1] = 'a';
	s[n + PURL_NAME_MAX] = '\0';
	snprintf(msg, sizeof(msg), "name: longer than %u bytes once decoded", PURL_NAME_MAX - 1);
	parse_fails(s, msg);

	/* Escapes count once decoded: 255 x "%41" is a 255-byte name. */
	n = (size_t)snprintf(s, sizeof(s), "pkg:generic/");
	for (size_t i = 0; i < PURL_NAME_MAX - 1; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%%41");
	parse_ok(s, &p);
	assert_int_equal(strlen(p.name), PURL_NAME_MAX - 1);
	assert_int_equal(p.name[0], 'A');

	/* The whole input. */
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	memcpy(s, "pkg:generic/", 12);
	snprintf(msg, sizeof(msg), "%zu bytes, more than the limit of %u", sizeof(s) - 1,
		 PURL_INPUT_MAX);
	parse_fails(s, msg);

	/* The number of qualifiers. */
	n = (size_t)snprintf(s, sizeof(s), "pkg:generic/x?");
	for (unsigned i = 0; i <= PURL_QUALIFIERS_MAX; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "k%u=v&", i);
	snprintf(msg, sizeof(msg), "more than %u qualifiers", PURL_QUALIFIERS_MAX);
	parse_fails(s, msg);

	/* Their total size. */
	n = (size_t)snprintf(s, sizeof(s), "pkg:generic/x?a=");
	memset(s + n, 'v', PURL_QDATA_MAX - 4);
	n += PURL_QDATA_MAX - 4;
	s[n] = '\0';
	parse_ok(s, &p); /* "a\0" + value + "\0" = PURL_QDATA_MAX - 1 bytes */
	snprintf(s + n, sizeof(s) - n, "&b=1");
	parse_fails(s, "qualifiers: longer than");
}

static void test_build_and_format(void **state)
{
	char out[64], before[64];
	struct err e = { "" };
	struct purl p;

	(void)state;
	purl_init(&p);
	memcpy(p.type, "DEB", 4);
	memcpy(p.ns, "debian", 7);
	memcpy(p.name, "curl", 5);
	memcpy(p.version, "1:7.0+b1", 9);
	assert_int_equal(purl_add_qualifier(&p, "distro", "debian-12", &e), 0);
	assert_int_equal(purl_add_qualifier(&p, "arch", "amd64", &e), 0);
	assert_int_equal(purl_add_qualifier(&p, "epoch", "", &e), 0); /* absent */
	assert_int_equal(purl_add_qualifier(&p, "arch", "i386", &e), ERR_INPUT);
	assert_string_equal(e.msg, "qualifier key 'arch' given twice");
	assert_int_equal(purl_add_qualifier(&p, "in production", "true", &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "invalid character ' '"));
	assert_canonical(&p, "pkg:deb/debian/curl@1:7.0%2Bb1?arch=amd64&distro=debian-12");

	/* Too small a buffer: ERR_NOMEM, out untouched. */
	memset(out, 'x', sizeof(out));
	memcpy(before, out, sizeof(out));
	assert_int_equal(purl_format(&p, out, 20, &e), ERR_NOMEM);
	assert_memory_equal(out, before, sizeof(out));
	assert_int_equal(purl_format(&p, out, 58, &e), ERR_NOMEM);
	assert_int_equal(purl_format(&p, out, 59, &e), 0);
	assert_int_equal(strlen(out), 58);

	/* Invalid parts. */
	p.name[0] = '\0';
	assert_int_equal(purl_format(&p, out, sizeof(out), &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "no name"));
	purl_init(&p);
	memcpy(p.name, "x", 2);
	assert_int_equal(purl_format(&p, out, sizeof(out), &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "empty type"));
	memcpy(p.type, "a/b", 4);
	assert_int_equal(purl_format(&p, out, sizeof(out), &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "invalid character '/'"));
}

/* Parse, format, parse again: the same parts, the same canonical form. */
static void test_round_trip(void **state)
{
	static const char *const inputs[] = {
		"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3",
		"pkg:rpm/redhat/dbus@1.12.20-8.el9?arch=x86_64&distro=rhel-9.6&epoch=1&upstream=dbus-1.12.20-8.el9.src.rpm",
		"pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib",
		"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io%2Frelease",
		"pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
		"pkg:generic/%E2%82%AC/x%25y@%7E1#a%20b/c",
	};
	char once[1024], twice[1024];
	struct err e = { "" };
	struct purl a, b;

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		parse_ok(inputs[i], &a);
		assert_int_equal(purl_format(&a, once, sizeof(once), &e), 0);
		parse_ok(once, &b);
		assert_int_equal(purl_format(&b, twice, sizeof(twice), &e), 0);
		assert_string_equal(once, twice);
		assert_string_equal(a.ns, b.ns);
		assert_string_equal(a.name, b.name);
		assert_string_equal(a.version, b.version);
		assert_string_equal(a.subpath, b.subpath);
		assert_int_equal(a.nqualifiers, b.nqualifiers);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_explicit_length),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_build_and_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_vectors_specification),
		cmocka_unit_test(test_vectors_deb),
		cmocka_unit_test(test_vectors_apk),
		cmocka_unit_test(test_vectors_rpm),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	fprintf(stderr, "purl vectors: %zu parse, %zu validate, %zu build cases, "
		"%zu type examples checked\n", tally.parse, tally.validate, tally.build,
		tally.examples);
	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
