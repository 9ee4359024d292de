/*
 * Unit tests for the CycloneDX and SPDX JSON readers
 * (src/inventory/sbom.c).
 *
 * Real SBOMs from other scanners' test suites and from osv-scanner's
 * golden files are parsed whole. The number of packages is checked
 * against a count made here by other means: a plain jansson walk over the
 * document, taking every purl that starts "pkg:deb/", "pkg:rpm/" or
 * "pkg:apk/", less source packages and rpm gpg-pubkey entries, found by
 * substring (no purl parsing). The OS and a few packages per file are
 * checked against values read off the files by hand.
 *
 * osv-scanner's Debian 9 and Alpine 3.17 golden SBOMs are CycloneDX XML
 * (sbom_xml.c reads those): their <purl> texts are taken out with string
 * search and wrapped into a minimal CycloneDX JSON document, so that the
 * purls of real syft output (upstream qualifiers, epochs, distro) go
 * through this reader too.
 *
 * Inline documents cover each error with the field path it must name.
 * Inputs are parsed from heap copies of exactly their length, so that
 * AddressSanitizer flags a read past the end.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA) for the real files; the
 * inline cases run without it, and the binary then exits 77 (skip).
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
#include "inventory/sbom.h"

static bool data_skipped;

/* What one reported package looked like, copied out of the callback. */
struct seen_pkg {
	char name[256];
	char version[300];
	char arch[64];
	char source[256];
	char source_version[300];
	size_t line;
};

struct collect {
	struct inv_os os;
	int os_calls;
	size_t pkgs_before_os;
	size_t n, cap;
	struct seen_pkg *pkgs;
	size_t stop_after; /* 0: never stop */
};

/* copy_span(), for a span that must hold no NUL byte. */
static void copy_span_no_nul(char *dst, size_t size, const char *s, size_t len)
{
	copy_span(dst, size, s, len);
	assert_null(memchr(dst, '\0', len));
}

static int on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->os = *os;
	c->os_calls++;
	c->pkgs_before_os = c->n;
	return 0;
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	if (c->stop_after && c->n == c->stop_after)
		return err_set(e, ERR_IO, "stopped by the sink");
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->pkgs = realloc(c->pkgs, c->cap * sizeof(*c->pkgs));
		assert_non_null(c->pkgs);
	}
	s = &c->pkgs[c->n++];
	copy_span_no_nul(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span_no_nul(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span_no_nul(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span_no_nul(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span_no_nul(s->source_version, sizeof(s->source_version),
			 p->source_version, p->source_version_len);
	s->line = p->line;
	return 0;
}

typedef int (*parse_fn)(const char *data, size_t len, const char *filename,
			const struct inv_sink *sink, struct err *e);

/* Parses a heap copy of data[0..len) into c (reset first). */
static int run(parse_fn fn, const char *data, size_t len, struct collect *c, struct err *e)
{
	struct inv_sink sink = { on_os, on_pkg, NULL, c };
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, data, len);
	free(c->pkgs);
	*c = (struct collect){ .stop_after = c->stop_after };
	e->msg[0] = '\0';
	r = fn(copy, len, "x.json", &sink, e);
	free(copy);
	return r;
}

static void ok(parse_fn fn, const char *json, struct collect *c)
{
	struct err e = { "" };

	if (run(fn, json, strlen(json), c, &e))
		fail_msg("%s\n  in %s", e.msg, json);
	if (c->os_calls)
		assert_int_equal(c->pkgs_before_os, 0);
	assert_true(c->os_calls <= 1);
}

/* Parsing fails with code, message == want exactly (or starting with it
 * when prefix), and the sink saw nothing. */
static void fails_code(parse_fn fn, const char *json, int code, const char *want, bool prefix)
{
	struct collect c = { 0 };
	struct err e = { "" };
	int r = run(fn, json, strlen(json), &c, &e);

	if (r != code)
		fail_msg("expected %d, got %d (%s)\n  in %s", code, r, e.msg, json);
	if (prefix ? strncmp(e.msg, want, strlen(want)) : strcmp(e.msg, want))
		fail_msg("message\n  '%s'\nexpected%s\n  '%s'", e.msg, prefix ? " to start" : "",
			 want);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.os_calls, 0);
	free(c.pkgs);
}

static void fails(parse_fn fn, const char *json, const char *want)
{
	fails_code(fn, json, ERR_INPUT, want, false);
}

static const struct seen_pkg *find(const struct collect *c, const char *name, const char *arch)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->pkgs[i].name, name) && (!arch || !strcmp(c->pkgs[i].arch, arch)))
			return &c->pkgs[i];
	fail_msg("package %s (%s) not reported", name, arch ? arch : "any arch");
	return NULL;
}

static void assert_pkg(const struct collect *c, const char *name, const char *arch,
		       const char *version, const char *source, const char *source_version)
{
	const struct seen_pkg *p = find(c, name, arch);

	assert_string_equal(p->version, version);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
}

/* ---- the independent count ---- */

/* Whether the purl s has the qualifier exactly "key=value". */
static bool has_qualifier(const char *s, const char *kv)
{
	const char *q = strchr(s, '?');
	size_t n = strlen(kv);

	while (q) {
		q++;
		if (!strncmp(q, kv, n) && (q[n] == '&' || q[n] == '#' || q[n] == '\0'))
			return true;
		q = strchr(q, '&');
	}
	return false;
}

static bool counted(const char *purl)
{
	if (!strncmp(purl, "pkg:rpm/", 8))
		return !strstr(purl, "/gpg-pubkey@") && !has_qualifier(purl, "arch=src") &&
		       !has_qualifier(purl, "arch=nosrc");
	if (!strncmp(purl, "pkg:deb/", 8))
		return !has_qualifier(purl, "arch=source");
	return !strncmp(purl, "pkg:apk/", 8);
}

static size_t count_cdx(const json_t *obj)
{
	const json_t *comps = json_object_get(obj, "components"), *c;
	size_t i, n = 0;

	json_array_foreach(comps, i, c) {
		const char *purl = json_string_value(json_object_get(c, "purl"));

		n += purl && counted(purl);
		n += count_cdx(c);
	}
	return n;
}

/* SPDX: a package counts by its first OS purl. */
static size_t count_spdx(const json_t *root)
{
	const json_t *pkgs = json_object_get(root, "packages"), *pk, *ref;
	size_t i, j, n = 0;

	json_array_foreach(pkgs, i, pk) {
		json_array_foreach(json_object_get(pk, "externalRefs"), j, ref) {
			const char *t = json_string_value(json_object_get(ref, "referenceType"));
			const char *l = json_string_value(json_object_get(ref, "referenceLocator"));

			if (t && l && !strcmp(t, "purl") &&
			    (!strncmp(l, "pkg:deb/", 8) || !strncmp(l, "pkg:rpm/", 8) ||
			     !strncmp(l, "pkg:apk/", 8))) {
				n += counted(l);
				break;
			}
		}
	}
	return n;
}

/* ---- real files ---- */

static bool read_shared(const char *rel, struct buf *b)
{
	const char *path = shared_path(rel);
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(b, SBOM_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s", e.msg);
	return true;
}

/*
 * Parses data (of file rel) with fn into c; asserts the package count
 * equals the independent one (at least want_min) and the OS.
 */
static void check_doc(const char *rel, const char *data, size_t len, bool spdx,
		      size_t want_min, const char *os_id, const char *os_version,
		      struct collect *c)
{
	parse_fn fn = spdx ? sbom_spdx_json_parse : sbom_cyclonedx_json_parse;
	struct err e = { "" };
	json_error_t jerr;
	json_t *root = json_loadb(data, len, 0, &jerr);
	size_t want;

	assert_non_null(root);
	want = spdx ? count_spdx(root) : count_cdx(root);
	json_decref(root);
	assert_true(want >= want_min);
	if (run(fn, data, len, c, &e))
		fail_msg("%s: %s", rel, e.msg);
	assert_int_equal(c->n, want);
	assert_int_equal(c->os_calls, os_id ? 1 : 0);
	if (os_id) {
		assert_int_equal(c->pkgs_before_os, 0);
		assert_string_equal(c->os.id, os_id);
		assert_string_equal(c->os.version_id, os_version);
	}
	/* The sniffers pick the right reader. */
	assert_true(spdx ? sbom_spdx_json_looks_like(data, len) :
		    sbom_cyclonedx_json_looks_like(data, len));
	assert_false(spdx ? sbom_cyclonedx_json_looks_like(data, len) :
		     sbom_spdx_json_looks_like(data, len));
	fprintf(stderr, "  %s: %zu OS packages (independent count %zu), OS %s %s\n", rel,
		c->n, want, os_id ? os_id : "-", os_version ? os_version : "-");
}

static bool check_file(const char *rel, bool spdx, size_t want_min, const char *os_id,
		       const char *os_version, struct collect *c)
{
	struct buf b;

	if (!read_shared(rel, &b))
		return false;
	check_doc(rel, b.data, b.len, spdx, want_min, os_id, os_version, c);
	buf_release(&b);
	return true;
}

static void test_trivy_cyclonedx(void **state)
{
	struct collect c = { 0 };

	(void)state;
	/* An apk package before the operating-system component; Trivy's
	 * SrcName/SrcVersion properties give the source. */
	if (!check_file("fixtures/trivy/pkg/sbom/cyclonedx/testdata/happy/bom.json", false, 1,
			"alpine", "3.16.0", &c))
		return;
	assert_pkg(&c, "musl", "", "1.2.3-r0", "musl", "1.2.3-r0");
	assert_int_equal(c.pkgs[0].line, 1);
	check_file("fixtures/trivy/pkg/fanal/artifact/sbom/testdata/bom.json", false, 1,
		   "alpine", "3.16.0", &c);
	check_file("fixtures/trivy/pkg/fanal/artifact/sbom/testdata/bom-missing-refs.json",
		   false, 1, "alpine", "3.16.0", &c);
	check_file("fixtures/trivy/pkg/fanal/artifact/sbom/testdata/os-only-bom.json", false, 0,
		   "alpine", "3.16.0", &c);
	assert_int_equal(c.n, 0);
	free(c.pkgs);
}

static void test_trivy_spdx(void **state)
{
	struct collect c = { 0 };

	(void)state;
	/* SPDX 2.2: the OS is the SPDXRef-OperatingSystem-* package. */
	if (!check_file("fixtures/trivy/pkg/sbom/spdx/testdata/happy/bom.json", true, 1,
			"alpine", "3.16.0", &c))
		return;
	assert_pkg(&c, "musl", "", "1.2.3-r0", "musl", "1.2.3-r0");
	free(c.pkgs);
}

/*
 * Red Hat's SBOM of the ubi9 image index: 1507 rpm purls, of which 551
 * are source rpms (arch=src) and 2 gpg-pubkey; four architectures; 119
 * with an epoch qualifier; distro=rhel-9.6 on 188 of them.
 */
static void test_claircore_ubi(void **state)
{
	struct collect c = { 0 };
	size_t epochs = 0;

	(void)state;
	if (!check_file("fixtures/claircore/purl/testdata/ubi_latest_spdx.json", true, 900,
			"rhel", "9.6", &c))
		return;
	assert_int_equal(c.n, 1507 - 551 - 2);
	assert_pkg(&c, "dbus", "x86_64", "1:1.12.20-8.el9", "dbus", "1:1.12.20-8.el9");
	assert_pkg(&c, "alternatives", "x86_64", "1.24-2.el9", "chkconfig", "1.24-2.el9");
	assert_pkg(&c, "acl", "aarch64", "2.3.1-4.el9", "acl", "2.3.1-4.el9");
	for (size_t i = 0; i < c.n; i++) {
		assert_true(strcmp(c.pkgs[i].arch, "src") && strcmp(c.pkgs[i].name, "gpg-pubkey"));
		epochs += strchr(c.pkgs[i].version, ':') != NULL;
	}
	assert_true(epochs > 0);
	free(c.pkgs);
}

static void test_osv_scanner_json(void **state)
{
	struct collect c = { 0 };

	(void)state;
	/* osv-scalibr: distro=3.22.0 (a bare version), origin=. */
	if (!check_file("golden/osv-scanner-offline/alpine-zlib-16.cdx.json", false, 1,
			"alpine", "3.22.0", &c))
		return;
	assert_pkg(&c, "zlib", "x86_64", "1.2.12-r1", "zlib", "1.2.12-r1");
	/* osv-scalibr SPDX: an Ubuntu code name, an escaped epoch, source=.
	 * The package is "libpcre3" but its purl names "pcre3": the purl is
	 * what is read (the source, which Ubuntu advisories name, agrees). */
	check_file("golden/osv-scanner-offline/only-unimportant.spdx.json", true, 1, "ubuntu",
		   "20.04", &c);
	assert_pkg(&c, "pcre3", "amd64", "2:8.39-12ubuntu0.1", "pcre3", "2:8.39-12ubuntu0.1");
	free(c.pkgs);
}

/* The <purl> texts of an XML BOM, XML-unescaped, as a CycloneDX JSON
 * document; *ret_n is the number of OS purls among them. */
static char *wrap_xml_purls(const char *xml, size_t *ret_n)
{
	json_t *root = json_pack("{s:s, s:s, s:[]}", "bomFormat", "CycloneDX",
				 "specVersion", "1.4", "components");
	const char *s = xml;
	char *out;

	assert_non_null(root);
	*ret_n = 0;
	while ((s = strstr(s, "<purl>"))) {
		const char *end = strstr(s, "</purl>");
		char text[2048];
		size_t n = 0;

		assert_non_null(end);
		for (s += 6; s < end; s++) {
			static const char *const ents[][2] = {
				{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
				{ "&quot;", "\"" }, { "&apos;", "'" },
			};
			size_t k;

			assert_true(n + 1 < sizeof(text));
			for (k = 0; k < 5; k++)
				if (!strncmp(s, ents[k][0], strlen(ents[k][0])))
					break;
			if (k < 5) {
				text[n++] = ents[k][1][0];
				s += strlen(ents[k][0]) - 1;
			} else {
				text[n++] = *s;
			}
		}
		text[n] = '\0';
		*ret_n += (!strncmp(text, "pkg:deb/", 8) || !strncmp(text, "pkg:rpm/", 8) ||
			   !strncmp(text, "pkg:apk/", 8));
		assert_int_equal(json_array_append_new(json_object_get(root, "components"),
						       json_pack("{s:s, s:s}", "type", "library",
								 "purl", text)), 0);
	}
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	assert_non_null(out);
	return out;
}

static bool check_xml_purls(const char *rel, const char *os_id, const char *os_version,
			    struct collect *c)
{
	struct buf b;
	char *json;
	size_t n;

	if (!read_shared(rel, &b))
		return false;
	json = wrap_xml_purls(b.data, &n);
	check_doc(rel, json, strlen(json), false, 1, os_id, os_version, c);
	assert_int_equal(c->n, n);
	free(json);
	buf_release(&b);
	return true;
}

static void test_osv_scanner_xml_purls(void **state)
{
	struct collect c = { 0 };

	(void)state;
	/* syft, Debian 9: 132 deb purls, distro=debian-9 on most (not all:
	 * hostname has none), upstream= with and without a version. */
	if (!check_xml_purls("golden/osv-scanner-offline/postgres-stretch.cdx.xml", "debian",
			     "9", &c))
		return;
	assert_int_equal(c.n, 132);
	assert_pkg(&c, "bsdutils", "amd64", "1:2.29.2-1+deb9u1", "util-linux", "2.29.2-1+deb9u1");
	assert_pkg(&c, "hostname", "amd64", "3.18+b1", "hostname", "3.18");
	assert_pkg(&c, "adduser", "all", "3.115", "adduser", "3.115");
	/* syft, Alpine 3.17.2: upstream= is the origin. */
	check_xml_purls("golden/osv-scanner-offline/alpine-3.17.2.cdx.xml", "alpine", "3.17.2", &c);
	assert_int_equal(c.n, 14);
	assert_pkg(&c, "busybox-binsh", "x86_64", "1.36.1-r27", "busybox", "1.36.1-r27");
	check_xml_purls("golden/osv-scanner-offline/alpine.cdx.xml", "alpine", "3.17.2", &c);
	free(c.pkgs);
}

/* ---- inline documents ---- */

#define CDX(comps) "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[" comps "]}"
#define SPDX(pkgs) "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[" pkgs "]}"
#define PURL(p) "{\"type\":\"library\",\"purl\":\"" p "\"}"
#define REF(p) "{\"externalRefs\":[{\"referenceType\":\"purl\",\"referenceLocator\":\"" p "\"}]}"

static void test_cdx_fields(void **state)
{
	struct collect c = { 0 };

	(void)state;
	ok(sbom_cyclonedx_json_parse, CDX(
		PURL("pkg:npm/%zz-not-read")
		"," PURL("pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12")
		",{\"type\":\"library\",\"name\":\"x\"}"
		",{\"type\":\"library\",\"version\":\"2.0-1\",\"purl\":\"pkg:deb/debian/nover?upstream=src%40\"}"
		"," PURL("pkg:rpm/fedora/bash@5.2-1.fc39?epoch=0&upstream=bash-5.2-1.fc39.src.rpm")
		"," PURL("pkg:rpm/fedora/x@1.0-1?epoch=002&arch=noarch&upstream=weird-name")
		"," PURL("pkg:rpm/fedora/x@1.0-1?arch=src")
		"," PURL("pkg:rpm/fedora/gpg-pubkey@fd431d51-4ae0493b")
		"," PURL("pkg:deb/debian/curl@7.88.1-10?arch=source")
		"," PURL("pkg:deb/debian/libc6@2.36-9?epoch=1")
		"," PURL("pkg:deb/debian/tzdata@1:2024a-0?epoch=1&source=tz")
		"," PURL("pkg:apk/alpine/busybox@1.36.1-r5?upstream=busybox-src&epoch=7")
		",{\"type\":\"application\",\"components\":[" PURL("pkg:apk/alpine/zlib@1.3-r0") "]}"
		",{\"type\":\"operating-system\",\"name\":\"Debian\",\"version\":\"12\"}"), &c);
	assert_int_equal(c.n, 8);
	assert_string_equal(c.os.id, "debian");
	assert_string_equal(c.os.version_id, "12");
	assert_pkg(&c, "curl", "amd64", "7.88.1-10", "curl", "7.88.1-10");
	assert_int_equal(c.pkgs[0].line, 2);
	/* The component's version when the purl has none; "src@" names a
	 * source without a version. */
	assert_pkg(&c, "nover", "", "2.0-1", "src", "2.0-1");
	/* Epoch 0 left out, as rpm prints it; the source rpm split. */
	assert_pkg(&c, "bash", "", "5.2-1.fc39", "bash", "5.2-1.fc39");
	/* A non-.src.rpm upstream is a bare name; the source takes the epoch. */
	assert_pkg(&c, "x", "noarch", "002:1.0-1", "weird-name", "002:1.0-1");
	assert_pkg(&c, "libc6", "", "1:2.36-9", "libc6", "1:2.36-9");
	/* An epoch in the version that agrees with the qualifier. */
	assert_pkg(&c, "tzdata", "", "1:2024a-0", "tz", "1:2024a-0");
	/* apk: no epochs. */
	assert_pkg(&c, "busybox", "", "1.36.1-r5", "busybox-src", "1.36.1-r5");
	/* Nested components are read, numbered depth-first. */
	assert_pkg(&c, "zlib", "", "1.3-r0", "zlib", "1.3-r0");
	assert_int_equal(find(&c, "zlib", NULL)->line, 14);
	free(c.pkgs);
}

static void test_cdx_trivy_properties(void **state)
{
	struct collect c = { 0 };

	(void)state;
	ok(sbom_cyclonedx_json_parse, CDX(
		"{\"purl\":\"pkg:deb/debian/libssl3@3.0.11-1~deb12u2\",\"properties\":["
		"{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"openssl\"},"
		"{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"3.0.11\"},"
		"{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"1~deb12u2\"},"
		"{\"name\":\"aquasecurity:trivy:SrcEpoch\",\"value\":\"0\"},"
		"{\"name\":\"other\",\"value\":\"x\"}]}"
		",{\"purl\":\"pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?epoch=1\",\"properties\":["
		"{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"openssl\"},"
		"{\"name\":\"aquasecurity:trivy:SrcEpoch\",\"value\":\"1\"},"
		"{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"3.0.7\"},"
		"{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"24.el9\"}]}"
		",{\"purl\":\"pkg:deb/debian/a@1?upstream=b\",\"properties\":["
		"{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"c\"}]}"), &c);
	assert_int_equal(c.n, 3);
	assert_pkg(&c, "libssl3", "", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2");
	assert_pkg(&c, "openssl-libs", "", "1:3.0.7-24.el9", "openssl", "1:3.0.7-24.el9");
	/* The purl's qualifier comes first. */
	assert_pkg(&c, "a", "", "1", "b", "1");
	assert_int_equal(c.os_calls, 0);
	free(c.pkgs);
}

static void test_os_precedence(void **state)
{
	struct collect c = { 0 };

	(void)state;
	/* The component wins over the distro qualifiers. */
	ok(sbom_cyclonedx_json_parse, CDX(
		PURL("pkg:apk/alpine/a@1-r0?distro=alpine-3.17.2")
		",{\"type\":\"operating-system\",\"name\":\"alpine\",\"version\":\"3.16.0\"}"), &c);
	assert_string_equal(c.os.version_id, "3.16.0");
	/* metadata.component, and a version from the distro of the same ID. */
	ok(sbom_cyclonedx_json_parse,
	   "{\"bomFormat\":\"CycloneDX\",\"metadata\":{\"component\":{\"type\":"
	   "\"operating-system\",\"name\":\"debian\"}},\"components\":["
	   PURL("pkg:deb/debian/a@1?distro=debian-9") "]}", &c);
	assert_string_equal(c.os.id, "debian");
	assert_string_equal(c.os.version_id, "9");
	/* ... but not from another ID's distro: no OS reported then. */
	ok(sbom_cyclonedx_json_parse, CDX(
		"{\"type\":\"operating-system\",\"name\":\"ubuntu\"},"
		PURL("pkg:deb/debian/a@1?distro=debian-9")), &c);
	assert_int_equal(c.os_calls, 0);
	assert_int_equal(c.n, 1);
	/* A name that is no os-release ID is left to the distro. */
	ok(sbom_cyclonedx_json_parse, CDX(
		"{\"type\":\"operating-system\",\"name\":\"Red Hat Enterprise Linux\"},"
		PURL("pkg:rpm/redhat/a@1-1?distro=rhel-9.3")), &c);
	assert_string_equal(c.os.id, "rhel");
	assert_string_equal(c.os.version_id, "9.3");
	/* Distro forms: a bare version with the namespace, code names. */
	ok(sbom_cyclonedx_json_parse, CDX(PURL("pkg:rpm/redhat/a@1-1?distro=9.4")), &c);
	assert_string_equal(c.os.id, "rhel");
	assert_string_equal(c.os.version_id, "9.4");
	ok(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a@1?distro=bookworm")), &c);
	assert_string_equal(c.os.version_id, "12");
	ok(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/ubuntu/a@1?distro=ubuntu-jammy")), &c);
	assert_string_equal(c.os.id, "ubuntu");
	assert_string_equal(c.os.version_id, "22.04");
	ok(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a@1?distro=sid")), &c);
	assert_int_equal(c.os_calls, 0); /* an ID without a version */
	ok(sbom_cyclonedx_json_parse,
	   CDX(PURL("pkg:rpm/opensuse/a@1-1?distro=opensuse-leap-15.5")), &c);
	assert_string_equal(c.os.id, "opensuse-leap");
	assert_string_equal(c.os.version_id, "15.5");
	/* Nothing said: no os() call. */
	ok(sbom_cyclonedx_json_parse, CDX(PURL("pkg:apk/alpine/a@1-r0")), &c);
	assert_int_equal(c.os_calls, 0);
	/* SPDX: primaryPackagePurpose. */
	ok(sbom_spdx_json_parse, SPDX(
		REF("pkg:apk/alpine/a@1-r0")
		",{\"name\":\"alpine\",\"versionInfo\":\"3.19.1\",\"primaryPackagePurpose\":"
		"\"OPERATING-SYSTEM\"}"), &c);
	assert_string_equal(c.os.id, "alpine");
	assert_string_equal(c.os.version_id, "3.19.1");
	/* A null os callback is allowed. */
	{
		struct inv_sink sink = { NULL, on_pkg, NULL, &c };
		struct err e = { "" };
		const char doc[] = CDX(PURL("pkg:apk/alpine/a@1-r0?distro=alpine-3.19.1"));

		free(c.pkgs);
		c = (struct collect){ 0 };
		assert_int_equal(sbom_cyclonedx_json_parse(doc, sizeof(doc) - 1, "x", &sink, &e), 0);
		assert_int_equal(c.n, 1);
	}
	free(c.pkgs);
}

static void test_cdx_errors(void **state)
{
	(void)state;
	fails_code(sbom_cyclonedx_json_parse, "{", ERR_INPUT, "x.json: line 1 column 1: ", true);
	fails(sbom_cyclonedx_json_parse, "[]", "x.json: not a JSON object");
	fails_code(sbom_cyclonedx_json_parse, "{\"bomFormat\":\"CycloneDX\",\"bomFormat\":\"x\"}",
		   ERR_INPUT, "x.json: line 1 column ", true);
	fails(sbom_cyclonedx_json_parse, "{}", "x.json: bomFormat: missing: not a CycloneDX document");
	fails(sbom_cyclonedx_json_parse, "{\"bomFormat\":7}", "x.json: bomFormat: not a string");
	fails(sbom_cyclonedx_json_parse, "{\"bomFormat\":\"SPDX\"}",
	      "x.json: bomFormat: 'SPDX', not 'CycloneDX'");
	fails(sbom_cyclonedx_json_parse, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"2.0\"}",
	      "x.json: specVersion: '2.0': only CycloneDX 1.x is supported");
	fails(sbom_cyclonedx_json_parse, "{\"bomFormat\":\"CycloneDX\",\"components\":{}}",
	      "x.json: components: not an array");
	fails(sbom_cyclonedx_json_parse, "{\"bomFormat\":\"CycloneDX\",\"metadata\":[]}",
	      "x.json: metadata: not an object");
	fails(sbom_cyclonedx_json_parse,
	      "{\"bomFormat\":\"CycloneDX\",\"metadata\":{\"component\":{\"type\":1}}}",
	      "x.json: metadata.component.type: not a string");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:apk/a/b@1") ",3"),
	      "x.json: components[1]: not an object");
	fails(sbom_cyclonedx_json_parse, CDX("{\"purl\":[]}"),
	      "x.json: components[0].purl: not a string");
	/* jansson refuses \u0000, so no string reaching the walk holds NUL. */
	fails_code(sbom_cyclonedx_json_parse, CDX("{\"purl\":\"pkg:deb/a/b@1\\u0000\"}"),
		   ERR_INPUT, "x.json: line 1 column ", true);
	fails(sbom_cyclonedx_json_parse,
	      CDX(PURL("pkg:npm/a@1") "," PURL("pkg:npm/b@1") "," PURL("pkg:deb/debian/a@1")
		  "," PURL("pkg:deb/debian/curl@7.88.1-10?Arch=amd64")),
	      "x.json: components[3].purl: 'pkg:deb/debian/curl@7.88.1-10?Arch=amd64': "
	      "qualifier key 'Arch': uppercase letter 'A' (keys are lowercase)");
	fails(sbom_cyclonedx_json_parse,
	      CDX("{\"components\":[" PURL("pkg:apk/a/b@1") ",{\"components\":[" PURL("pkg:RPM/x/y%") "]}]}"),
	      "x.json: components[0].components[1].components[0].purl: 'pkg:RPM/x/y%': "
	      "name: invalid percent-encoding '%' (expected '%' and two hex digits)");
	fails(sbom_cyclonedx_json_parse, CDX("{\"components\":7}"),
	      "x.json: components[0].components: not an array");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/curl")),
	      "x.json: components[0].purl: 'pkg:deb/debian/curl': no version, neither in the purl "
	      "nor in 'version'");
	fails(sbom_cyclonedx_json_parse, CDX("{\"purl\":\"pkg:deb/debian/curl\",\"version\":5}"),
	      "x.json: components[0].version: not a string");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/x@1:1.0?epoch=2")),
	      "x.json: components[0].purl: 'pkg:deb/debian/x@1:1.0?epoch=2': version '1:1.0' has "
	      "another epoch than the 'epoch' qualifier '2'");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:rpm/fedora/x@1.0-1?epoch=one")),
	      "x.json: components[0].purl: 'pkg:rpm/fedora/x@1.0-1?epoch=one': 'epoch' qualifier "
	      "'one': not a number");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a%0Ab@1")),
	      "x.json: components[0].purl: 'pkg:deb/debian/a%0Ab@1': name 'a\\x0ab': not printable "
	      "ASCII without spaces");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a@1%202")),
	      "x.json: components[0].purl: 'pkg:deb/debian/a@1%202': version '1 2': not printable "
	      "ASCII without spaces");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a@1?arch=%09")),
	      "x.json: components[0].purl: 'pkg:deb/debian/a@1?arch=%09': arch '\\x09': not "
	      "printable ASCII without spaces");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:deb/debian/a@1?upstream=%40")),
	      "x.json: components[0].purl: 'pkg:deb/debian/a@1?upstream=%40': empty source "
	      "package name");
	fails(sbom_cyclonedx_json_parse, CDX(PURL("pkg:rpm/redhat/a@1-1?upstream=a-1.src.rpm")),
	      "x.json: components[0].purl: 'pkg:rpm/redhat/a@1-1?upstream=a-1.src.rpm': "
	      "'upstream' qualifier 'a-1.src.rpm': expected NAME-VERSION-RELEASE.src.rpm");
	fails(sbom_cyclonedx_json_parse, CDX("{\"purl\":\"pkg:apk/a/b@1\",\"properties\":{}}"),
	      "x.json: components[0].properties: not an array");
	fails(sbom_cyclonedx_json_parse,
	      CDX("{\"purl\":\"pkg:apk/a/b@1\",\"properties\":[{\"name\":\"n\",\"value\":1}]}"),
	      "x.json: components[0].properties[0].value: not a string");
	/* One file, one host. */
	fails(sbom_cyclonedx_json_parse,
	      CDX("{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12\"},"
		  "{\"type\":\"operating-system\",\"name\":\"alpine\",\"version\":\"3.19\"}"),
	      "x.json: components[1]: operating system 'alpine 3.19' differs from 'debian 12' "
	      "(components[0]): an SBOM of several systems is not supported");
	fails(sbom_cyclonedx_json_parse,
	      CDX(PURL("pkg:deb/debian/a@1?distro=debian-9") "," PURL("pkg:deb/debian/b@1")
		  "," PURL("pkg:deb/debian/c@1?distro=debian-10")),
	      "x.json: components[2].purl: distro 'debian 10' differs from 'debian 9' "
	      "(components[0].purl): an SBOM of several systems is not supported");
}

/* Components nested deeper than SBOM_DEPTH_MAX fail; that deep is fine. */
static void test_cdx_depth(void **state)
{
	struct collect c = { 0 };
	struct buf b;
	struct err e = { "" };
	char *doc = NULL;

	(void)state;
	for (unsigned depth = SBOM_DEPTH_MAX; depth <= SBOM_DEPTH_MAX + 1; depth++) {
		buf_init(&b, 1u << 20);
		assert_int_equal(buf_appendf(&b, &e, "{\"bomFormat\":\"CycloneDX\""), 0);
		for (unsigned i = 0; i <= depth; i++)
			assert_int_equal(buf_appendf(&b, &e, ",\"components\":[{\"purl\":"
						     "\"pkg:apk/alpine/a%u@1-r0\"", i), 0);
		for (unsigned i = 0; i <= depth; i++)
			assert_int_equal(buf_appendf(&b, &e, "}]"), 0);
		assert_int_equal(buf_appendf(&b, &e, "}"), 0);
		doc = b.data;
		if (depth == SBOM_DEPTH_MAX) {
			ok(sbom_cyclonedx_json_parse, doc, &c);
			assert_int_equal(c.n, SBOM_DEPTH_MAX + 1);
		} else {
			assert_int_equal(run(sbom_cyclonedx_json_parse, doc, b.len, &c, &e), ERR_INPUT);
			/* The path is cut short in the message; the reason is not. */
			assert_int_equal(strncmp(e.msg, "x.json: components[0].components[0]", 35), 0);
			assert_non_null(strstr(e.msg, ": components nested more than 64 deep"));
			assert_int_equal(c.n, 0);
		}
		buf_release(&b);
	}
	free(c.pkgs);
}

static void test_spdx(void **state)
{
	struct collect c = { 0 };

	(void)state;
	ok(sbom_spdx_json_parse, SPDX(
		"{\"name\":\"x\",\"externalRefs\":[{\"referenceType\":\"cpe23Type\","
		"\"referenceLocator\":\"cpe:2.3:a:x\"},{\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:npm/x@1\"}]}"
		",{\"versionInfo\":\"1.0-1\",\"externalRefs\":[{\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:deb/debian/a?arch=amd64\"},{\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:deb/debian/alias@9\"}]}"
		",{\"name\":\"no refs\"}"), &c);
	assert_int_equal(c.n, 1);
	assert_pkg(&c, "a", "amd64", "1.0-1", "a", "1.0-1");
	assert_int_equal(c.pkgs[0].line, 2);
	ok(sbom_spdx_json_parse, "{\"spdxVersion\":\"SPDX-2.2\"}", &c);
	assert_int_equal(c.n, 0);

	fails(sbom_spdx_json_parse, "{}", "x.json: spdxVersion: missing: not an SPDX document");
	fails(sbom_spdx_json_parse, "{\"spdxVersion\":\"SPDX-3.0\"}",
	      "x.json: spdxVersion: 'SPDX-3.0': only SPDX 2.x JSON is supported");
	fails(sbom_spdx_json_parse, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":{}}",
	      "x.json: packages: not an array");
	fails(sbom_spdx_json_parse, SPDX("{},\"x\""), "x.json: packages[1]: not an object");
	fails(sbom_spdx_json_parse, SPDX("{\"versionInfo\":[]}"),
	      "x.json: packages[0].versionInfo: not a string");
	fails(sbom_spdx_json_parse, SPDX("{\"externalRefs\":{}}"),
	      "x.json: packages[0].externalRefs: not an array");
	fails(sbom_spdx_json_parse, SPDX("{\"externalRefs\":[7]}"),
	      "x.json: packages[0].externalRefs[0]: not an object");
	fails(sbom_spdx_json_parse, SPDX("{\"externalRefs\":[{\"referenceType\":\"purl\"}]}"),
	      "x.json: packages[0].externalRefs[0].referenceLocator: missing");
	fails(sbom_spdx_json_parse,
	      SPDX("{}," REF("pkg:apk/alpine/a@1-r0") ",{\"externalRefs\":[{\"referenceType\":\"cpe23Type\","
		   "\"referenceLocator\":\"x\"},{\"referenceType\":\"purl\",\"referenceLocator\":"
		   "\"pkg:rpm/redhat/x@1-1?epoch=1&epoch=2\"}]}"),
	      "x.json: packages[2].externalRefs[1].referenceLocator: "
	      "'pkg:rpm/redhat/x@1-1?epoch=1&epoch=2': qualifier key 'epoch' given twice");
	fails(sbom_spdx_json_parse,
	      SPDX("{\"name\":\"debian\",\"versionInfo\":\"12\",\"primaryPackagePurpose\":"
		   "\"OPERATING-SYSTEM\"},{\"name\":\"ubuntu\",\"versionInfo\":\"22.04\","
		   "\"SPDXID\":\"SPDXRef-OperatingSystem-1\"}"),
	      "x.json: packages[1]: operating system 'ubuntu 22.04' differs from 'debian 12' "
	      "(packages[0]): an SBOM of several systems is not supported");
}

/* A sink error stops the walk and is returned as it is. */
static void test_sink_stops(void **state)
{
	static const char doc[] = CDX(PURL("pkg:apk/alpine/a@1-r0") "," PURL("pkg:apk/alpine/b@1-r0")
				      "," PURL("pkg:apk/alpine/c@1-r0"));
	struct collect c = { .stop_after = 2 };
	struct err e = { "" };

	(void)state;
	assert_int_equal(run(sbom_cyclonedx_json_parse, doc, sizeof(doc) - 1, &c, &e), ERR_IO);
	assert_string_equal(e.msg, "stopped by the sink");
	assert_int_equal(c.n, 2);
	free(c.pkgs);
}

static void test_limits_and_length(void **state)
{
	static const char doc[] = CDX(PURL("pkg:apk/alpine/a@1-r0"));
	struct inv_sink sink = { on_os, on_pkg, NULL, NULL };
	struct collect c = { 0 };
	struct err e = { "" };
	char msg[128];

	(void)state;
	sink.ctx = &c;
	/* Checked before a byte is read. */
	assert_int_equal(sbom_cyclonedx_json_parse(doc, (size_t)SBOM_MAX + 1, "big.json", &sink, &e),
			 ERR_INPUT);
	snprintf(msg, sizeof(msg), "big.json: %zu bytes, more than the limit of %u",
		 (size_t)SBOM_MAX + 1, SBOM_MAX);
	assert_string_equal(e.msg, msg);
	/* Only len bytes are read: a cut document is not JSON. */
	assert_int_equal(run(sbom_cyclonedx_json_parse, doc, sizeof(doc) - 2, &c, &e), ERR_INPUT);
	assert_int_equal(strncmp(e.msg, "x.json: line 1 column ", 22), 0);
	assert_int_equal(c.n, 0);
	free(c.pkgs);
}

static void test_looks_like(void **state)
{
	static const char cdx[] = " \n{\"$schema\":\"x\",\"bomFormat\" :\n \"CycloneDX\"}";
	static const char spdx[] = "{\"name\":\"spdxVersion\",\"packages\":[],\"spdxVersion\": \"SPDX-2.2\"}";

	(void)state;
	assert_true(sbom_cyclonedx_json_looks_like(cdx, sizeof(cdx) - 1));
	assert_false(sbom_spdx_json_looks_like(cdx, sizeof(cdx) - 1));
	assert_true(sbom_spdx_json_looks_like(spdx, sizeof(spdx) - 1));
	assert_false(sbom_cyclonedx_json_looks_like(spdx, sizeof(spdx) - 1));
	/* Cut before the value's end, or not an object, or not the key. */
	assert_false(sbom_cyclonedx_json_looks_like(cdx, sizeof(cdx) - 4));
	assert_false(sbom_cyclonedx_json_looks_like("[{\"bomFormat\":\"CycloneDX\"}]", 27));
	assert_false(sbom_cyclonedx_json_looks_like("{\"bomFormat\":\"cyclonedx\"}", 25));
	assert_false(sbom_spdx_json_looks_like("{\"spdxVersion\":\"SPDX-3.0\"}", 26));
	assert_false(sbom_spdx_json_looks_like("{\"spdxVersion\"}", 15));
	assert_false(sbom_spdx_json_looks_like("", 0));
	assert_false(sbom_cyclonedx_json_looks_like(NULL, 0));
	assert_false(sbom_cyclonedx_json_looks_like("Package: x\n", 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cdx_fields),
		cmocka_unit_test(test_cdx_trivy_properties),
		cmocka_unit_test(test_os_precedence),
		cmocka_unit_test(test_cdx_errors),
		cmocka_unit_test(test_cdx_depth),
		cmocka_unit_test(test_spdx),
		cmocka_unit_test(test_sink_stops),
		cmocka_unit_test(test_limits_and_length),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_trivy_cyclonedx),
		cmocka_unit_test(test_trivy_spdx),
		cmocka_unit_test(test_claircore_ubi),
		cmocka_unit_test(test_osv_scanner_json),
		cmocka_unit_test(test_osv_scanner_xml_purls),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
