/*
 * Unit tests for the Vuls scan result parser (src/inventory/vuls.c).
 *
 * Every file of inventories/vuls/ (60 hosts, 13 Vuls families) is parsed
 * whole and compared with what jansson reads from the same file here, by
 * lookups rather than by the parser's iteration: the package count is
 * json_object_size(packages), each reported package is looked up by name,
 * the KBs are windowsKB.applied in order, and the OS fields are family
 * (through this file's own table), release, serverName and runningKernel.
 * Spot checks pin values read by hand from the files. Inline cases cover
 * each family, the optional fields, callbacks that stop the parse, and
 * every kind of broken input, asserting ERR_INPUT and the field path in
 * the message. Inputs are parsed from heap copies of exactly their length,
 * so that AddressSanitizer flags a read past the end.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA) for the real files; the
 * inline cases run without it, and the binary then exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <jansson.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/vuls.h"

static bool data_skipped;

#define MAX_PKGS 2048
#define MAX_KBS 1024

/* One reported package, copied out of the callback. */
struct seen_pkg {
	char name[160];
	char version[160];
	char arch[32];
	char source[160];
	char source_version[160];
};

struct collect {
	size_t nos;         /* calls of the os callback */
	size_t pkgs_before_os;
	struct inv_os os;
	size_t n;
	struct seen_pkg pkgs[MAX_PKGS];
	size_t nkb;
	char kbs[MAX_KBS][24];
	size_t stop_pkg;    /* 0: never stop; else fail on this package */
	size_t stop_kb;     /* likewise for KBs */
};

/*
 * copy_span(), but an empty span may be NULL, and a span must hold no NUL
 * byte (its length is the whole string).
 */
static void copy_span_or_null(char *dst, size_t size, const char *s, size_t len)
{
	assert_true(len < size);
	assert_true(len == 0 || s != NULL);
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
	assert_null(memchr(dst, '\0', len));
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

static int collect_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_true(c->n < MAX_PKGS);
	assert_true(p->name_len > 0 && p->source_len > 0);
	assert_non_null(p->arch);
	s = &c->pkgs[c->n++];
	copy_span_or_null(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span_or_null(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span_or_null(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span_or_null(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span_or_null(s->source_version, sizeof(s->source_version),
			  p->source_version, p->source_version_len);
	if (c->stop_pkg && c->n == c->stop_pkg)
		return err_set(e, ERR_IO, "stopped at package %zu", c->n);
	return 0;
}

static int collect_kb(const char *kb, size_t len, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	assert_true(c->nkb < MAX_KBS);
	copy_span_or_null(c->kbs[c->nkb++], sizeof(c->kbs[0]), kb, len);
	if (c->stop_kb && c->nkb == c->stop_kb)
		return err_set(e, ERR_IO, "stopped at KB %zu", c->nkb);
	return 0;
}

static struct collect *collect_new(void)
{
	struct collect *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

/* Parses a heap copy of exactly len bytes (no terminator). */
static int parse_len(const char *text, size_t len, struct collect *c, struct err *e)
{
	const struct inv_sink sink = { collect_os, collect_pkg, collect_kb, c };
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	if (len)
		memcpy(copy, text, len);
	memset(e->msg, 0, sizeof(e->msg));
	r = vuls_parse(copy, len, "t.json", &sink, e);
	free(copy);
	return r;
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

static const struct seen_pkg *find(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->pkgs[i].name, name))
			return &c->pkgs[i];
	return NULL;
}

static void assert_pkg(const struct collect *c, const char *name, const char *version,
		       const char *arch, const char *source, const char *source_version)
{
	const struct seen_pkg *p = find(c, name);

	if (!p)
		fail_msg("package '%s' not reported", name);
	assert_string_equal(p->version, version);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
}

/* Asserts that text fails with ERR_INPUT and a message containing want. */
static void assert_bad(const char *text, const char *want)
{
	struct collect *c = collect_new();
	struct err e;
	int r = parse(text, c, &e);

	if (r != ERR_INPUT || !strstr(e.msg, want))
		fail_msg("input %s\n  gave %d '%s'\n  expected ERR_INPUT and '%s'", text, r,
			 e.msg, want);
	free(c);
}

/* ---- the real files ---- */

/*
 * The os-release ID each Vuls family in the sample files must become,
 * written out again here rather than taken from the parser.
 */
static const char *expected_id(const char *family)
{
	static const char *const map[][2] = {
		{ "alma", "almalinux" }, { "amazon", "amzn" }, { "centos", "centos" },
		{ "debian", "debian" }, { "fedora", "fedora" },
		{ "opensuse", "opensuse-tumbleweed" }, { "opensuse.leap", "opensuse-leap" },
		{ "oracle", "ol" }, { "redhat", "rhel" }, { "rocky", "rocky" },
		{ "suse.linux.enterprise.server", "sles" }, { "ubuntu", "ubuntu" },
		{ "windows", "windows" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], family))
			return map[i][1];
	fail_msg("family '%s' is not in the test's table: add it", family);
	return NULL;
}

static const char *str_or_empty(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Reads a shared file; false (and a skip) when the data is absent. */
static bool read_shared(const char *rel, struct buf *b)
{
	const char *path = shared_path(rel);
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(b, VULS_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s", e.msg);
	return true;
}

/* Parses inventories/vuls/<name> into c; false when the data is absent. */
static bool parse_shared(const char *name, struct collect *c)
{
	char rel[512];
	struct err e;
	struct buf b;
	int r;

	snprintf(rel, sizeof(rel), "inventories/vuls/%s", name);
	if (!read_shared(rel, &b))
		return false;
	r = parse_len(b.data, b.len, c, &e);
	if (r)
		fail_msg("%s: %d %s", name, r, e.msg);
	assert_true(vuls_looks_like(b.data, b.len));
	buf_release(&b);
	return true;
}

#define CHECK(cond, ...) do { if (!(cond)) fail_msg(__VA_ARGS__); } while (0)

/* Checks one file's results against jansson's own reading of it. */
static void check_file(const char *dir, const char *name, size_t *ret_pkgs, size_t *ret_kbs)
{
	struct collect *c = collect_new();
	char path[1024], want[320];
	const json_t *pkgs, *kernel, *kb, *applied;
	const char *family, *kernel_rel;
	json_error_t jerr;
	json_t *root;
	bool deb, windows;
	size_t nkb, nkeys;
	int w;

	w = snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_true(w > 0 && (size_t)w < sizeof(path));
	root = json_load_file(path, 0, &jerr);
	CHECK(root, "%s: jansson: %s", name, jerr.text);
	assert_true(parse_shared(name, c));

	family = str_or_empty(root, "family");
	deb = !strcmp(family, "debian") || !strcmp(family, "ubuntu");
	windows = !strcmp(family, "windows");
	CHECK(c->nos == 1 && c->pkgs_before_os == 0, "%s: os reported %zu times", name, c->nos);
	CHECK(!strcmp(c->os.id, expected_id(family)), "%s: id %s", name, c->os.id);
	CHECK(!strcmp(c->os.version_id, str_or_empty(root, "release")), "%s: version_id %s",
	      name, c->os.version_id);
	CHECK(!strcmp(c->os.hostname, str_or_empty(root, "serverName")), "%s: hostname %s",
	      name, c->os.hostname);
	kernel = json_object_get(root, "runningKernel");
	kernel_rel = str_or_empty(kernel, "release");
	if (windows && !*kernel_rel)
		kernel_rel = str_or_empty(kernel, "version");
	CHECK(*kernel_rel && !strcmp(c->os.kernel, kernel_rel), "%s: kernel '%s'", name,
	      c->os.kernel);

	/* packages is null in two Windows files: no packages. */
	pkgs = json_object_get(root, "packages");
	CHECK(json_is_object(pkgs) || (windows && json_is_null(pkgs)), "%s: packages", name);
	/* All of them, but rpm's signing keys ("gpg-pubkey"), as rpm_list.c. */
	nkeys = json_object_size(pkgs);
	if (!deb && !windows && json_object_get(pkgs, "gpg-pubkey")) {
		nkeys--;
		CHECK(!find(c, "gpg-pubkey"), "%s: gpg-pubkey reported", name);
	}
	CHECK(c->n == nkeys, "%s: %zu packages, the file has %zu", name, c->n, nkeys);
	for (size_t i = 0; i < c->n; i++) {
		const struct seen_pkg *p = &c->pkgs[i];
		const json_t *v = json_object_get(pkgs, p->name);
		const char *ver = str_or_empty(v, "version"), *rel = str_or_empty(v, "release");

		CHECK(v, "%s: '%s' reported but not in the file", name, p->name);
		CHECK(find(c, p->name) == p, "%s: '%s' reported twice", name, p->name);
		if (deb || !*rel)
			snprintf(want, sizeof(want), "%s", ver);
		else
			snprintf(want, sizeof(want), "%s-%s", ver, rel);
		CHECK(!strcmp(p->version, want), "%s: %s: version %s, want %s", name, p->name,
		      p->version, want);
		CHECK(*p->version || windows, "%s: %s: empty version", name, p->name);
		CHECK(!strcmp(p->arch, str_or_empty(v, "arch")), "%s: %s: arch", name, p->name);
	}

	kb = json_object_get(root, "windowsKB");
	applied = json_object_get(kb, "applied");
	nkb = json_array_size(applied);
	CHECK(c->nkb == nkb, "%s: %zu KBs, the file has %zu", name, c->nkb, nkb);
	for (size_t i = 0; i < nkb; i++) {
		snprintf(want, sizeof(want), "KB%s", json_string_value(json_array_get(applied, i)));
		CHECK(!strcmp(c->kbs[i], want), "%s: KB %s, want %s", name, c->kbs[i], want);
	}
	CHECK(windows || !kb, "%s: windowsKB on a non-Windows host", name);
	*ret_pkgs = c->n;
	*ret_kbs = c->nkb;
	json_decref(root);
	free(c);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_all_files(void **state)
{
	const char *probe = shared_path("inventories/vuls/alma_9.json");
	char dir[4096], *names[256];
	size_t n = 0, total_pkgs = 0, total_kbs = 0, windows = 0;
	struct dirent *d;
	DIR *dp;

	(void)state;
	if (!probe) {
		data_skipped = true;
		return;
	}
	snprintf(dir, sizeof(dir), "%s", probe);
	*strrchr(dir, '/') = '\0';
	dp = opendir(dir);
	assert_non_null(dp);
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);

		if (len > 5 && !strcmp(d->d_name + len - 5, ".json")) {
			assert_true(n < sizeof(names) / sizeof(names[0]));
			names[n] = strdup(d->d_name);
			assert_non_null(names[n]);
			n++;
		}
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), name_cmp);
	/* The 60 sample hosts of the data set, at least. */
	assert_true(n >= 60);
	for (size_t i = 0; i < n; i++) {
		size_t pkgs, kbs;

		check_file(dir, names[i], &pkgs, &kbs);
		total_pkgs += pkgs;
		total_kbs += kbs;
		windows += !strncmp(names[i], "windows", 7);
		free(names[i]);
	}
	print_message("vuls: %zu files (%zu Windows), %zu packages, %zu KBs\n", n, windows,
		      total_pkgs, total_kbs);
	/* Every Windows file lists installed updates; they all have some. */
	assert_true(windows >= 26 && total_kbs > 0);
}

/* ---- spot checks, values read from the files with jq ---- */

static void test_alma9(void **state)
{
	struct collect *c = collect_new();

	(void)state;
	if (parse_shared("alma_9.json", c)) {
		assert_string_equal(c->os.id, "almalinux");
		assert_string_equal(c->os.version_id, "9.0");
		assert_string_equal(c->os.kernel, "5.14.0-70.13.1.el9_0.x86_64");
		assert_string_equal(c->os.arch, "x86_64");
		assert_string_equal(c->os.hostname, "alma_9");
		/* The epoch is inside Vuls's "version"; release is apart. */
		assert_pkg(c, "NetworkManager", "1:1.36.0-4.el9_0", "x86_64", "NetworkManager",
			   "1:1.36.0-4.el9_0");
		/* SrcPackages.NetworkManager.binaryNames lists it. */
		assert_pkg(c, "NetworkManager-libnm", "1:1.36.0-4.el9_0", "x86_64",
			   "NetworkManager", "1:1.36.0-4.el9_0");
		/* A binary versioned apart from its source rpm (ding-libs). */
		assert_pkg(c, "libini_config", "1.3.1-51.el9", "x86_64", "ding-libs",
			   "0.6.1-51.el9");
		/* rpm's signing key, arch "(none)": not software. */
		assert_null(find(c, "gpg-pubkey"));
		assert_int_equal(c->n, 590 - 1);
		assert_int_equal(c->nkb, 0);
	}
	free(c);
}

static void test_debian12(void **state)
{
	struct collect *c = collect_new();

	(void)state;
	if (parse_shared("debian_12.json", c)) {
		assert_string_equal(c->os.id, "debian");
		assert_string_equal(c->os.version_id, "12");
		assert_string_equal(c->os.kernel, "6.1.0-29-amd64");
		assert_string_equal(c->os.arch, "amd64");
		/* SrcPackages.abseil.binaryNames = ["libabsl20220623"]. */
		assert_pkg(c, "libabsl20220623", "20220623.1-1+deb12u2", "", "abseil",
			   "20220623.1-1+deb12u2");
		/* A binNMU: the binary's version is not its source's. */
		assert_pkg(c, "bash", "5.2.15-2+b7", "", "bash", "5.2.15-2");
		assert_pkg(c, "adduser", "3.134", "", "adduser", "3.134");
	}
	free(c);
}

static void test_ubuntu_and_suse(void **state)
{
	struct collect *c = collect_new();

	(void)state;
	if (parse_shared("ubuntu_1404.json", c)) {
		assert_string_equal(c->os.id, "ubuntu");
		assert_string_equal(c->os.version_id, "14.04");
		assert_string_equal(c->os.arch, "");
		/* Binary with an epoch, source without: gcc-defaults. */
		assert_pkg(c, "cpp", "4:4.8.2-1ubuntu6", "", "gcc-defaults", "1.124ubuntu6");
	}
	memset(c, 0, sizeof(*c));
	if (parse_shared("opensuse_tumbleweed.json", c)) {
		assert_string_equal(c->os.id, "opensuse-tumbleweed");
		assert_string_equal(c->os.version_id, "tumbleweed");
		assert_string_equal(c->os.kernel, "6.6.7-1-default");
		assert_string_equal(c->os.arch, "");
		assert_pkg(c, "libacl1", "2.3.1-2.12", "x86_64", "acl", "2.3.1-2.12");
	}
	memset(c, 0, sizeof(*c));
	if (parse_shared("sles12.json", c))
		assert_string_equal(c->os.id, "sles");
	free(c);
}

static void test_centos7_no_sources(void **state)
{
	struct collect *c = collect_new();

	(void)state;
	if (parse_shared("centos_7.json", c)) {
		assert_string_equal(c->os.id, "centos");
		assert_string_equal(c->os.version_id, "7.7.1908");
		assert_string_equal(c->os.arch, "x86_64");
		/* An old scan without SrcPackages: each package is its own source. */
		assert_pkg(c, "openssl-libs", "1:1.0.2k-19.el7", "x86_64", "openssl-libs",
			   "1:1.0.2k-19.el7");
		for (size_t i = 0; i < c->n; i++)
			assert_string_equal(c->pkgs[i].source, c->pkgs[i].name);
	}
	free(c);
}

static void test_windows(void **state)
{
	struct collect *c = collect_new();

	(void)state;
	if (parse_shared("windows_11_25h2.json", c)) {
		assert_string_equal(c->os.id, "windows");
		assert_string_equal(c->os.version_id,
				    "Windows 11 Version 25H2 for x64-based Systems");
		/* No kernel release: the OS build stands in. */
		assert_string_equal(c->os.kernel, "10.0.26200.7623");
		assert_string_equal(c->os.arch, "");
		assert_int_equal(c->nkb, 9);
		assert_string_equal(c->kbs[0], "KB5071430");
		assert_string_equal(c->kbs[8], "KB5054156");
	}
	memset(c, 0, sizeof(*c));
	/* "packages": null, jsonVersion 0. */
	if (parse_shared("windows_server_2008.json", c)) {
		assert_int_equal(c->n, 0);
		assert_int_equal(c->nkb, 172);
		assert_string_equal(c->kbs[0], "KB2813430");
	}
	memset(c, 0, sizeof(*c));
	/* Vuls leaves some Windows programs without a version. */
	if (parse_shared("windows_10_20h2.json", c))
		assert_pkg(c, "Xoreax IncrediBuild 9.4.4 (build 3042)", "", "",
			   "Xoreax IncrediBuild 9.4.4 (build 3042)", "");
	free(c);
}

/* ---- inline inputs ---- */

static void test_families(void **state)
{
	static const char *const cases[][2] = {
		{ "debian", "debian" }, { "ubuntu", "ubuntu" }, { "alma", "almalinux" },
		{ "rocky", "rocky" }, { "redhat", "rhel" }, { "centos", "centos" },
		{ "oracle", "ol" }, { "amazon", "amzn" }, { "fedora", "fedora" },
		{ "opensuse.leap", "opensuse-leap" },
		{ "opensuse.tumbleweed", "opensuse-tumbleweed" },
		{ "opensuse", "opensuse-tumbleweed" },
		{ "suse.linux.enterprise.server", "sles" }, { "windows", "windows" },
		{ "alpine", "alpine" }, { "RedHat", "rhel" },
		/* Unknown: kept, lowercased. */
		{ "Gentoo", "gentoo" }, { "freebsd", "freebsd" },
	};
	struct collect *c = collect_new();
	char text[256];
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(c, 0, sizeof(*c));
		snprintf(text, sizeof(text), "{\"family\":\"%s\",\"release\":\"1.2\"}",
			 cases[i][0]);
		assert_int_equal(parse(text, c, &e), 0);
		assert_int_equal(c->nos, 1);
		assert_string_equal(c->os.id, cases[i][1]);
		assert_string_equal(c->os.version_id, "1.2");
		assert_string_equal(c->os.kernel, "");
		assert_string_equal(c->os.hostname, "");
		assert_int_equal(c->n, 0);
	}
	free(c);
}

static void test_versions_and_sources(void **state)
{
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	/* RPM family: version-release; an empty release adds nothing. */
	assert_int_equal(parse("{\"family\":\"oracle\",\"serverName\":\"h1\","
			       "\"runningKernel\":{\"release\":\"5.4.17-2136.el8uek.aarch64\"},"
			       "\"packages\":{"
			       "\"glibc\":{\"name\":\"glibc\",\"version\":\"2.28\","
			       "\"release\":\"251.0.1.el8\",\"arch\":\"aarch64\"},"
			       "\"odd\":{\"name\":\"odd\",\"version\":\"1.0\",\"release\":\"\"}},"
			       "\"SrcPackages\":null}", c, &e), 0);
	assert_string_equal(c->os.id, "ol");
	assert_string_equal(c->os.arch, "aarch64");
	assert_string_equal(c->os.hostname, "h1");
	assert_int_equal(c->n, 2);
	assert_pkg(c, "glibc", "2.28-251.0.1.el8", "aarch64", "glibc", "2.28-251.0.1.el8");
	assert_pkg(c, "odd", "1.0", "", "odd", "1.0");

	/* gpg-pubkey is skipped on RPM hosts only. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\"family\":\"redhat\",\"packages\":{\"gpg-pubkey\":"
			       "{\"name\":\"gpg-pubkey\",\"version\":\"fd431d51\","
			       "\"release\":\"4ae0493b\",\"arch\":\"(none)\"}}}", c, &e), 0);
	assert_int_equal(c->n, 0);
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\"family\":\"debian\",\"packages\":{\"gpg-pubkey\":"
			       "{\"name\":\"gpg-pubkey\",\"version\":\"1\"}}}", c, &e), 0);
	assert_int_equal(c->n, 1);

	/* Debian family: release ignored; sources from srcPackages (either
	 * spelling); a binary listed twice under one source is fine. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\"family\":\"debian\",\"packages\":{"
			       "\"libssl3\":{\"name\":\"libssl3\",\"version\":\"3.0.11-1~deb12u2\","
			       "\"release\":\"x\"},"
			       "\"curl\":{\"name\":\"curl\",\"version\":\"7.88.1-10+deb12u5\"}},"
			       "\"srcPackages\":{\"openssl\":{\"name\":\"openssl\","
			       "\"version\":\"3.0.11-1~deb12u2\","
			       "\"binaryNames\":[\"libssl3\",\"openssl\",\"libssl3\"]},"
			       "\"empty\":{\"name\":\"empty\",\"version\":\"1\",\"binaryNames\":null}}}",
			       c, &e), 0);
	assert_pkg(c, "libssl3", "3.0.11-1~deb12u2", "", "openssl", "3.0.11-1~deb12u2");
	assert_pkg(c, "curl", "7.88.1-10+deb12u5", "", "curl", "7.88.1-10+deb12u5");
	/* File order. */
	assert_string_equal(c->pkgs[0].name, "libssl3");
	assert_string_equal(c->pkgs[1].name, "curl");

	/* Windows: empty versions allowed, KB prefix normalised. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\"family\":\"windows\",\"release\":\"Windows Server 2022\","
			       "\"runningKernel\":{\"release\":\"\",\"version\":\"10.0.20348.1\"},"
			       "\"packages\":{\"App\":{\"name\":\"App\",\"version\":\"\"}},"
			       "\"windowsKB\":{\"applied\":[\"5034441\",\"KB890830\",\"kb1\"],"
			       "\"unapplied\":[\"anything\"]}}", c, &e), 0);
	assert_string_equal(c->os.kernel, "10.0.20348.1");
	assert_pkg(c, "App", "", "", "App", "");
	assert_int_equal(c->nkb, 3);
	assert_string_equal(c->kbs[0], "KB5034441");
	assert_string_equal(c->kbs[1], "KB890830");
	assert_string_equal(c->kbs[2], "KB1");

	/* Null everywhere Vuls writes nil. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse(" {\"family\":\"windows\",\"packages\":null,\"windowsKB\":null,"
			       "\"runningKernel\":null,\"release\":null}\n", c, &e), 0);
	assert_int_equal(c->n + c->nkb, 0);
	memset(c, 0, sizeof(*c));
	assert_int_equal(parse("{\"family\":\"windows\",\"windowsKB\":{\"applied\":null}}",
			       c, &e), 0);
	free(c);
}

static void test_callbacks(void **state)
{
	static const char text[] =
		"{\"family\":\"alma\",\"packages\":{"
		"\"a\":{\"name\":\"a\",\"version\":\"1\",\"release\":\"1\"},"
		"\"b\":{\"name\":\"b\",\"version\":\"1\",\"release\":\"1\"},"
		"\"c\":{\"name\":\"c\",\"version\":\"1\",\"release\":\"1\"}},"
		"\"windowsKB\":{\"applied\":[\"1\",\"2\"]}}";
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	c->stop_pkg = 2;
	assert_int_equal(parse(text, c, &e), ERR_IO);
	assert_string_equal(e.msg, "t.json: packages.b: stopped at package 2");
	assert_int_equal(c->n, 2);
	assert_int_equal(c->nkb, 0);

	memset(c, 0, sizeof(*c));
	c->stop_kb = 2;
	assert_int_equal(parse(text, c, &e), ERR_IO);
	assert_string_equal(e.msg, "t.json: windowsKB.applied[1]: stopped at KB 2");
	assert_int_equal(c->n, 3);

	/* Callbacks may be NULL; a NULL sink only validates. */
	memset(c, 0, sizeof(*c));
	assert_int_equal(vuls_parse(text, sizeof(text) - 1, "t.json",
				    &(struct inv_sink){ NULL, collect_pkg, NULL, c }, &e), 0);
	assert_int_equal(c->n, 3);
	assert_int_equal(vuls_parse(text, sizeof(text) - 1, "t.json", NULL, &e), 0);
	assert_int_equal(vuls_parse("{\"family\":1}", 12, "t.json", NULL, &e), ERR_INPUT);
	free(c);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	/* The document. */
	assert_bad("", "t.json: line 1 column 0: ");
	assert_bad("{\"family\":\"debian\",\"packages\":{", "t.json: line 1 column 31: ");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"a\":{\"name\":\"a\",\"vers",
		   "t.json: line 1 column ");
	assert_bad("{\"family\":\"debian\"} x", "t.json: line 1 column ");
	assert_bad("{\"family\":\"debian\",\"family\":\"ubuntu\"}", "duplicate object key");
	assert_bad("[{\"family\":\"debian\"}]", "t.json: expected a JSON object at the top level");
	assert_bad("\"family\"", "t.json: line 1 column ");
	/* family */
	assert_bad("{\"jsonVersion\":4,\"release\":\"12\"}", "t.json: family: missing");
	assert_bad("{\"family\":null}", "t.json: family: missing");
	assert_bad("{\"family\":4}", "t.json: family: expected a string");
	assert_bad("{\"family\":\"\"}", "t.json: family: empty");
	assert_bad("{\"family\":\"Deb ian\"}", "t.json: family: 'Deb ian' is not an OS family");
	assert_bad("{\"family\":\"debian\\u001b[0m\"}",
		   "t.json: family: control character in 'debian\\x1b[0m'");
	/* OS fields */
	assert_bad("{\"family\":\"debian\",\"release\":12}", "t.json: release: expected a string");
	assert_bad("{\"family\":\"debian\",\"release\":"
		   "\"0123456789012345678901234567890123456789012345678901234567890123\"}",
		   "t.json: release: 64 bytes, longer than the limit of 63");
	assert_bad("{\"family\":\"debian\",\"serverName\":[]}",
		   "t.json: serverName: expected a string");
	assert_bad("{\"family\":\"debian\",\"runningKernel\":\"6.1\"}",
		   "t.json: runningKernel: expected an object");
	assert_bad("{\"family\":\"debian\",\"runningKernel\":{\"release\":6.1}}",
		   "t.json: runningKernel.release: expected a string");
	/* packages */
	assert_bad("{\"family\":\"debian\",\"packages\":[]}", "t.json: packages: expected an object");
	assert_bad("{\"family\":\"debian\",\"packages\":\"x\"}",
		   "t.json: packages: expected an object");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":[]}}",
		   "t.json: packages.foo: expected an object");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"name\":\"foo\",\"version\":1}}}",
		   "t.json: packages.foo.version: expected a string");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"name\":\"foo\"}}}",
		   "t.json: packages.foo.version: missing");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"name\":\"foo\",\"version\":\"\"}}}",
		   "t.json: packages.foo.version: empty");
	assert_bad("{\"family\":\"alma\",\"packages\":{\"foo\":{\"name\":\"foo\",\"version\":\"\","
		   "\"release\":\"1\"}}}", "t.json: packages.foo.version: empty");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"version\":\"1\"}}}",
		   "t.json: packages.foo.name: missing");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"name\":true,\"version\":\"1\"}}}",
		   "t.json: packages.foo.name: expected a string");
	assert_bad("{\"family\":\"windows\",\"packages\":{\"foo\":{\"name\":\"\",\"version\":\"1\"}}}",
		   "t.json: packages.foo.name: empty");
	assert_bad("{\"family\":\"alma\",\"packages\":{\"foo\":{\"name\":\"foo\",\"version\":\"1\","
		   "\"release\":2}}}", "t.json: packages.foo.release: expected a string");
	assert_bad("{\"family\":\"alma\",\"packages\":{\"foo\":{\"name\":\"foo\",\"version\":\"1\","
		   "\"arch\":{}}}}", "t.json: packages.foo.arch: expected a string");
	assert_bad("{\"family\":\"debian\",\"packages\":{\"foo\":{\"name\":\"foo\","
		   "\"version\":\"1.0\\n\"}}}",
		   "t.json: packages.foo.version: control character in '1.0\\x0a'");
	/* A hostile key is shown escaped. */
	assert_bad("{\"family\":\"debian\",\"packages\":{\"\\u001b[31m\":{\"name\":\"x\",\"version\":1}}}",
		   "t.json: packages.\\x1b[31m.version: expected a string");
	/* SrcPackages */
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":[]}",
		   "t.json: SrcPackages: expected an object");
	assert_bad("{\"family\":\"debian\",\"srcPackages\":1}",
		   "t.json: srcPackages: expected an object");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{},\"srcPackages\":{}}",
		   "t.json: SrcPackages: given twice, also as srcPackages");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{\"s\":1}}",
		   "t.json: SrcPackages.s: expected an object");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{\"s\":{\"name\":\"s\"}}}",
		   "t.json: SrcPackages.s.version: missing");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{\"s\":{\"name\":\"s\",\"version\":\"1\","
		   "\"binaryNames\":\"b\"}}}", "t.json: SrcPackages.s.binaryNames: expected an array");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{\"s\":{\"name\":\"s\",\"version\":\"1\","
		   "\"binaryNames\":[\"a\",2]}}}",
		   "t.json: SrcPackages.s.binaryNames[1]: expected a string");
	assert_bad("{\"family\":\"debian\",\"SrcPackages\":{"
		   "\"s\":{\"name\":\"s\",\"version\":\"1\",\"binaryNames\":[\"b\"]},"
		   "\"t\":{\"name\":\"t\",\"version\":\"1\",\"binaryNames\":[\"b\"]}}}",
		   "t.json: SrcPackages.t.binaryNames[0]: 'b' is also a binary of 's'");
	/* windowsKB */
	assert_bad("{\"family\":\"windows\",\"windowsKB\":[]}",
		   "t.json: windowsKB: expected an object");
	assert_bad("{\"family\":\"windows\",\"windowsKB\":{\"applied\":{}}}",
		   "t.json: windowsKB.applied: expected an array");
	assert_bad("{\"family\":\"windows\",\"windowsKB\":{\"applied\":[5034441]}}",
		   "t.json: windowsKB.applied[0]: expected a string");
	assert_bad("{\"family\":\"windows\",\"windowsKB\":{\"applied\":[\"1\",\"KBx1\"]}}",
		   "t.json: windowsKB.applied[1]: 'KBx1' is not a KB number");
	assert_bad("{\"family\":\"windows\",\"windowsKB\":{\"applied\":[\"KB\"]}}",
		   "t.json: windowsKB.applied[0]: 'KB' is not a KB number");
	assert_bad("{\"family\":\"windows\",\"windowsKB\":{\"applied\":[\"1234567890123456\"]}}",
		   "windowsKB.applied[0]: '1234567890123456' is not a KB number");
}

static int version_len_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	(void)e;
	*(size_t *)ctx = p->version_len;
	return 0;
}

static void test_limits(void **state)
{
	static const char head[] = "{\"family\":\"debian\",\"packages\":{\"a\":{\"name\":\"a\","
				   "\"version\":\"";
	static const char tail[] = "\"}}}";
	size_t n = VULS_STRING_MAX + 1, len = sizeof(head) - 1 + n + sizeof(tail) - 1;
	struct collect *c = collect_new();
	char *text = malloc(len);
	size_t got = 0;
	struct err e;

	(void)state;
	assert_non_null(text);
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, '1', n);
	memcpy(text + sizeof(head) - 1 + n, tail, sizeof(tail) - 1);
	assert_int_equal(parse_len(text, len, c, &e), ERR_NOMEM);
	assert_non_null(strstr(e.msg, "t.json: packages.a.version: string of 65537 bytes"));
	/* One byte shorter is accepted, and reported whole. */
	memmove(text + sizeof(head) - 1 + n - 1, tail, sizeof(tail) - 1);
	assert_int_equal(vuls_parse(text, len - 1, "t.json",
				    &(struct inv_sink){ NULL, version_len_pkg, NULL, &got }, &e), 0);
	assert_int_equal(got, VULS_STRING_MAX);
	free(text);

	/* The size is checked before the data is read. */
	assert_int_equal(vuls_parse("{}", (size_t)VULS_MAX + 1, "t.json", NULL, &e), ERR_NOMEM);
	assert_non_null(strstr(e.msg, "t.json: 268435457 bytes, larger than the limit"));
	free(c);
}

static void test_looks_like(void **state)
{
	char big[9000];

	(void)state;
	assert_true(vuls_looks_like("{\"jsonVersion\":4,\"family\":\"x\"}", 30));
	assert_true(vuls_looks_like("\n  {\"scannedAt\":\"\",\"jsonVersion\":0}", 36));
	assert_false(vuls_looks_like("{\"family\":\"debian\"}", 19));
	assert_false(vuls_looks_like("{\"jsonVersion\":4}", 17));
	assert_false(vuls_looks_like("[{\"jsonVersion\":4,\"family\":\"x\"}]", 32));
	assert_false(vuls_looks_like("Package: bash\nStatus: install ok installed\n", 43));
	assert_false(vuls_looks_like("", 0));
	assert_false(vuls_looks_like(NULL, 0));
	/* Only the start is read. */
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	memcpy(big + 8500, "\"jsonVersion\":4,\"family\":\"x\"", 28);
	assert_false(vuls_looks_like(big, sizeof(big)));
	memcpy(big + 100, "\"jsonVersion\":4,\"family\":\"x\"", 28);
	assert_true(vuls_looks_like(big, sizeof(big)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_files),
		cmocka_unit_test(test_alma9),
		cmocka_unit_test(test_debian12),
		cmocka_unit_test(test_ubuntu_and_suse),
		cmocka_unit_test(test_centos7_no_sources),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_versions_and_sources),
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_looks_like),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
