/*
 * Unit tests for the dpkg status parser (src/inventory/dpkg_status.c).
 *
 * The real status file of a Debian 12 host and the status files of other
 * scanners' test suites are parsed whole, with expectations counted from
 * the files by other means (grep, awk: see each comment). Inline cases
 * cover the grammar, which stanzas are reported, and every kind of broken
 * input, asserting the line, package and field the message names. Every
 * input is parsed from a heap copy of exactly its length, so that
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
#include <time.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "core/version.h"
#include "inventory/dpkg_status.h"

static bool data_skipped;

#define MAX_PKGS 1024

/* What one reported package looked like, copied out of the callback. */
struct seen_pkg {
	char name[128];
	char version[128];
	char arch[32];
	char source[128];
	char source_version[128];
	size_t line;
};

struct collect {
	const char *data; /* the input, to check that spans point into it */
	size_t len;
	size_t n;
	size_t stop_after; /* 0: never stop */
	int stop_code;
	struct seen_pkg pkgs[MAX_PKGS];
};

/* A span is either empty or lies inside the parsed input. */
static void assert_inside(const struct collect *c, const char *s, size_t len)
{
	if (!len)
		return;
	assert_true(s >= c->data && len <= c->len && (size_t)(s - c->data) <= c->len - len);
}

static int collect_pkg(const struct dpkg_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_inside(c, p->name, p->name_len);
	assert_inside(c, p->version, p->version_len);
	assert_inside(c, p->arch, p->arch_len);
	assert_inside(c, p->source, p->source_len);
	assert_inside(c, p->source_version, p->source_version_len);
	assert_true(p->name_len > 0 && p->source_len > 0 && p->line > 0);
	assert_non_null(p->arch);
	assert_true(deb_version_valid(p->version, p->version_len, NULL));
	assert_true(deb_version_valid(p->source_version, p->source_version_len, NULL));
	assert_true(c->n < MAX_PKGS);
	s = &c->pkgs[c->n++];
	copy_span(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span(s->source_version, sizeof(s->source_version), p->source_version,
		  p->source_version_len);
	s->line = p->line;
	if (c->stop_after && c->n == c->stop_after)
		return err_set(e, c->stop_code, "stopped by the callback after %zu", c->n);
	return 0;
}

static int parse_len(const char *text, size_t len, struct collect *c, struct err *e)
{
	char *copy = exact_copy(text, len);
	int r;

	c->data = copy;
	c->len = len;
	r = dpkg_status_parse(copy, len, "status", collect_pkg, c, e);
	free(copy);
	c->data = NULL;
	return r;
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

static struct collect *collect_new(void)
{
	struct collect *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

static const struct seen_pkg *find(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->pkgs[i].name, name))
			return &c->pkgs[i];
	return NULL;
}

static void assert_pkg(const struct collect *c, const char *name, const char *version,
		       const char *arch, const char *source, const char *source_version,
		       size_t line)
{
	const struct seen_pkg *p = find(c, name);

	if (!p)
		fail_msg("package '%s' not reported", name);
	assert_string_equal(p->version, version);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
	assert_int_equal(p->line, line);
}

/* Reads a shared file into a buffer; NULL (and a skip) when data is absent. */
static bool read_shared(const char *rel, struct buf *b)
{
	const char *path = shared_path(rel);
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(b, DPKG_STATUS_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s", e.msg);
	return true;
}

/* ---- the real host ---- */

static void test_real_host(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;
	size_t all = 0, amd64 = 0, other_source = 0, other_version = 0;

	(void)state;
	if (!read_shared("inventories/debian12-host/dpkg-status", &b)) {
		free(c);
		return;
	}
	assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
	/*
	 * `grep -c '^Status: install ok installed' dpkg-status` gives 885, and
	 * `grep -c '^Package:'` too: every stanza is installed.
	 */
	assert_int_equal(c->n, 885);
	for (size_t i = 0; i < c->n; i++) {
		all += !strcmp(c->pkgs[i].arch, "all");
		amd64 += !strcmp(c->pkgs[i].arch, "amd64");
		other_source += !!strcmp(c->pkgs[i].source, c->pkgs[i].name);
		other_version += !!strcmp(c->pkgs[i].source_version, c->pkgs[i].version);
	}
	/* `grep '^Architecture:' dpkg-status | sort | uniq -c`: 200 all, 685 amd64. */
	assert_int_equal(all, 200);
	assert_int_equal(amd64, 685);
	/*
	 * An awk script over the stanzas (awk -v RS= ...), splitting
	 * "Source: name (version)" by hand: 696 packages are built from a
	 * source of another name, and 90 from a source of another version
	 * (binNMUs "+bN", epochs on the binary only, meta-packages).
	 */
	assert_int_equal(other_source, 696);
	assert_int_equal(other_version, 90);

	/* Lines from `grep -n '^Package: NAME$' dpkg-status`. */
	/* No Source field: the binary is its own source. */
	assert_pkg(c, "adduser", "3.134", "all", "adduser", "3.134", 1);
	/* "Source: apt": another name, the binary's version. */
	assert_pkg(c, "apt-transport-https", "2.6.1", "all", "apt", "2.6.1", 206);
	/* "Source: bash (5.2.15-2)": a binNMU. */
	assert_pkg(c, "bash", "5.2.15-2+b8", "amd64", "bash", "5.2.15-2", 444);
	/* The binary has an epoch its source has not. */
	assert_pkg(c, "bsdutils", "1:2.38.1-5+deb12u3", "amd64", "util-linux",
		   "2.38.1-5+deb12u3", 643);
	/* A meta-package: versions unrelated to the source's. */
	assert_pkg(c, "cpp", "4:12.2.0-3", "amd64", "gcc-defaults", "1.203", 1079);
	/* An epoch inside the parentheses. */
	assert_pkg(c, "libatm1", "1:2.5.1-4+b2", "amd64", "linux-atm", "1:2.5.1-4", 5030);
	/* The last stanza. */
	assert_pkg(c, "zstd", "1.5.4+dfsg2-5", "amd64", "libzstd", "1.5.4+dfsg2-5", 20143);
	buf_release(&b);
	free(c);
}

/*
 * The whole file must parse in well under a millisecond per package: ten
 * passes get two seconds even under the sanitizers, where a parser that
 * rescans the input per line (quadratic) needs minutes.
 */
static void test_real_host_fast(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct timespec t0, t1;
	struct buf b;
	double secs;

	(void)state;
	if (!read_shared("inventories/debian12-host/dpkg-status", &b)) {
		free(c);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 10; i++) {
		c->n = 0;
		assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 2.0);
	buf_release(&b);
	free(c);
}

/* ---- other scanners' fixtures ---- */

/*
 * Each count is `grep -c '^Status: install ok installed' FILE`; no fixture
 * has a package whose status is otherwise "installed".
 */
static void test_fixture_claircore(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;

	(void)state;
	if (read_shared("fixtures/claircore/dpkg/testdata/debian-only.status", &b)) {
		assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
		assert_int_equal(c->n, 1);
		assert_pkg(c, "debian-archive-keyring", "2019.1", "all",
			   "debian-archive-keyring", "2019.1", 1);
		buf_release(&b);
	}
	c->n = 0;
	if (read_shared("fixtures/claircore/dpkg/testdata/postgresql.status", &b)) {
		assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
		assert_int_equal(c->n, 3);
		assert_pkg(c, "postgresql-client", "11+200+deb10u5", "all",
			   "postgresql-common", "200+deb10u5", 1);
		assert_pkg(c, "postgresql-client-11", "11.22-0+deb10u2", "amd64",
			   "postgresql-11", "11.22-0+deb10u2", 24);
		buf_release(&b);
	}
	c->n = 0;
	if (read_shared("fixtures/claircore/dpkg/testdata/texlive.status", &b)) {
		assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
		assert_int_equal(c->n, 357);
		assert_pkg(c, "libquadmath0", "8.4.0-1ubuntu1~18.04", "amd64", "gcc-8",
			   "8.4.0-1ubuntu1~18.04", 1);
		buf_release(&b);
	}
	free(c);
}

static void test_fixture_osv_scalibr(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/osv-scalibr/extractor/filesystem/os/dpkg/testdata/dpkg/valid",
			 &b)) {
		free(c);
		return;
	}
	assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
	assert_int_equal(c->n, 7);
	assert_pkg(c, "admin-session", "2023.06.26.c543406313-00", "amd64", "admin-session",
		   "2023.06.26.c543406313-00", 75);
	/* The file's last stanza, with no blank line after it. */
	assert_pkg(c, "util-linux-extra", "2.38.1-5+b1", "amd64", "util-linux", "2.38.1-5", 120);
	buf_release(&b);
	free(c);
}

/* trivy keeps its status file in a txtar archive, after a header line. */
static void test_fixture_trivy(void **state)
{
	static const char marker[] = "-- var/lib/dpkg/status --\n";
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *start;
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/valid.txtar", &b)) {
		free(c);
		return;
	}
	/* The archive's header is not a stanza. */
	assert_int_equal(parse_len(b.data, b.len, c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "line 1: expected 'Field: value'"));
	start = strstr(b.data, marker);
	assert_non_null(start);
	start += strlen(marker);
	/* The archive holds one file: the rest is the status file. */
	assert_null(strstr(start, "\n-- "));
	c->n = 0;
	assert_int_equal(parse_len(start, b.len - (size_t)(start - b.data), c, &e), 0);
	assert_int_equal(c->n, 90);
	/* "Status: deinstall ok config-files": removed, its conffiles kept. */
	assert_null(find(c, "git"));
	assert_pkg(c, "libgcc1", "1:8-20180414-1ubuntu2", "amd64", "gcc-8",
		   "8-20180414-1ubuntu2", 2031);
	assert_pkg(c, "liblzma5", "5.1.1alpha+20120614-2+b3", "amd64", "xz-utils",
		   "5.1.1alpha+20120614-2", 297);
	buf_release(&b);
	free(c);
}

/*
 * syft's distroless status.d file starts with "Package:" (empty) and a
 * stanza with neither Status nor Version: dpkg rejects an empty name, and
 * so do we, naming the line. The stanzas after them are good.
 */
static void test_fixture_syft(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *start;
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/multiple",
			 &b)) {
		free(c);
		return;
	}
	assert_int_equal(parse_len(b.data, b.len, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "status: line 1: field 'Package': empty package name");
	assert_int_equal(c->n, 0);

	start = strstr(b.data, "Package: no-version\n");
	assert_non_null(start);
	assert_int_equal(parse_len(start, b.len - (size_t)(start - b.data), c, &e), 0);
	assert_int_equal(c->n, 2);
	/* Lines counted from the "Package: no-version" line. */
	assert_pkg(c, "tzdata", "2020a-0+deb10u1", "all", "tzdata-dev", "2020a-0+deb10u1", 3);
	assert_pkg(c, "util-linux", "2.33.1-0.1", "amd64", "util-linux", "2.33.1-0.1", 24);
	buf_release(&b);
	free(c);
}

/* ---- the grammar ---- */

static void test_grammar(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	/* Blank lines before, between (some only blanks) and none at the end;
	 * field names in any case; multi-line fields of other kinds. */
	static const char text[] =
		"\n\n"
		"package: a\n"                                /* 3 */
		"STATUS: install ok installed\n"
		"Description: first line\n"
		" more\n"
		" .\n"
		"\tand a tab\n"
		"Conffiles:\n"
		" /etc/a 0123456789abcdef0123456789abcdef\n"
		"vErSiOn:   1.0-1  \t\n"
		"\n"
		"  \t\n"
		"\n"
		"Package: b\n"                                /* 15 */
		"Status: hold ok installed\n"
		"Architecture: arm64\n"
		"Source: b-src (0.9)\n"
		"Version: 1:1.0\n"
		"X-Unknown-Field: anything: with colons\n"
		"\n"
		"Package: Upper_Case.name\n"                  /* 22 */
		"Status: install ok installed\n"
		"Source: srcname\n"
		"Version: 2.0~rc1";

	(void)state;
	assert_int_equal(parse(text, c, &e), 0);
	assert_int_equal(c->n, 3);
	assert_pkg(c, "a", "1.0-1", "", "a", "1.0-1", 3);
	assert_pkg(c, "b", "1:1.0", "arm64", "b-src", "0.9", 15);
	/* dpkg accepts upper case and '_' in names; so do we (see the parser). */
	assert_pkg(c, "Upper_Case.name", "2.0~rc1", "", "srcname", "2.0~rc1", 22);
	free(c);
}

static void test_which_are_reported(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] =
		"Package: held\nStatus: hold ok installed\nVersion: 1\n\n"
		"Package: removing\nStatus: deinstall ok installed\nVersion: 1\n\n"
		"Package: purging\nStatus: purge ok installed\nVersion: 1\n\n"
		"Package: broken\nStatus: install reinstreq installed\nVersion: 1\n\n"
		"Package: trig\nStatus: install ok triggers-pending\nVersion: 1\n\n"
		"Package: trig2\nStatus: install ok triggers-awaited\nVersion: 1\n\n"
		/* Not reported; their Version is not even read. */
		"Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
		"Package: half\nStatus: install reinstreq half-installed\n\n"
		"Package: unpacked\nStatus: install ok unpacked\nVersion: not a version\n\n"
		"Package: none\nStatus: unknown ok not-installed\n\n"
		"Package: nostatus\nVersion: 1\n\n"
		"Package: case\nStatus: Install OK Installed\nVersion: 1\n";

	(void)state;
	assert_int_equal(parse(text, c, &e), 0);
	assert_int_equal(c->n, 7);
	assert_non_null(find(c, "trig"));
	assert_non_null(find(c, "trig2"));
	assert_non_null(find(c, "held"));
	assert_non_null(find(c, "removing"));
	assert_non_null(find(c, "purging"));
	assert_non_null(find(c, "broken"));
	assert_non_null(find(c, "case"));
	free(c);
}

static void test_empty_input(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_len("", 0, c, &e), 0);
	assert_int_equal(dpkg_status_parse(NULL, 0, "status", collect_pkg, c, &e), 0);
	assert_int_equal(parse("\n \n\t\n\n", c, &e), 0);
	assert_int_equal(c->n, 0);
	free(c);
}

/* ---- broken input ---- */

struct bad_case {
	const char *text;
	const char *msg; /* the whole expected message ... */
	/* ... followed, when set, by ": " and deb_version_valid()'s reason
	 * for this version, whose wording is version_deb.c's business */
	const char *version;
};

static void test_bad_inputs(void **state)
{
	static const struct bad_case cases[] = {
		/* A continuation before any field, in the first stanza and later;
		 * the package is named even when its field comes after. */
		{ " lost\nPackage: a\nStatus: install ok installed\nVersion: 1\n",
		  "status: line 1: package 'a': continuation line before any field", NULL },
		{ "Package: a\nVersion: 1\n\n\n continued\nPackage: b\n",
		  "status: line 5: package 'b': continuation line before any field", NULL },
		/* A single-line field of ours continued. */
		{ "Package: a\nStatus: install ok installed\nVersion: 1\n 2\n",
		  "status: line 4: package 'a': field 'Version': continuation line: this field has a single line", NULL },
		/* No Version on an installed package: the stanza's line. */
		{ "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		  "Package: b\nStatus: install ok installed\nArchitecture: all\n",
		  "status: line 5: package 'b': field 'Version': missing (required for an installed package)", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1.0 beta\n",
		  "status: line 3: package 'a': field 'Version': invalid version '1.0 beta'", "1.0 beta" },
		{ "Package: a\nStatus: install ok installed\nVersion: abc\n",
		  "status: line 3: package 'a': field 'Version': invalid version 'abc'", "abc" },
		{ "Package: a\nStatus: install ok installed\nVersion:\n",
		  "status: line 3: package 'a': field 'Version': invalid version ''", "" },
		/* Source: malformed in every way. */
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: foo (1.0\n",
		  "status: line 4: package 'a': field 'Source': malformed value 'foo (1.0': no ')' after the version", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: foo (1.0) x\n",
		  "status: line 4: package 'a': field 'Source': malformed value 'foo (1.0) x': text after ')'", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: foo bar\n",
		  "status: line 4: package 'a': field 'Source': malformed value 'foo bar': expected 'name' or 'name (version)'", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: foo ()\n",
		  "status: line 4: package 'a': field 'Source': invalid version ''", "" },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: foo (x1)\n",
		  "status: line 4: package 'a': field 'Source': invalid version 'x1'", "x1" },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource: fo/o\n",
		  "status: line 4: package 'a': field 'Source': invalid package name 'fo/o': character '/' not allowed (only letters, digits and -+._)", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nSource:\n",
		  "status: line 4: package 'a': field 'Source': empty package name", NULL },
		/* Lines that are no field. */
		{ "Package: a\nStatus: install ok installed\njust words\nVersion: 1\n",
		  "status: line 3: package 'a': expected 'Field: value', found a line with no colon: 'just words'", NULL },
		{ "Package: a\nBad Name: x\n",
		  "status: line 2: package 'a': invalid field name 'Bad Name' (at ' ')", NULL },
		{ "Package: a\n#comment: x\n",
		  "status: line 2: package 'a': invalid field name '#comment' (at '#')", NULL },
		{ "Package: a\n: x\n",
		  "status: line 2: package 'a': invalid field name '' (at '')", NULL },
		/* Duplicates, whatever the case of the name. */
		{ "Package: a\nStatus: install ok installed\nPackage: b\nVersion: 1\n",
		  "status: line 3: package 'a': field 'Package': duplicate field (first on line 1)", NULL },
		{ "Package: a\nVersion: 1\nstatus: install ok installed\nversion: 2\n",
		  "status: line 4: package 'a': field 'Version': duplicate field (first on line 2)", NULL },
		/* Package: missing, empty or invalid, even when not installed. */
		{ "Package: a\n\nStatus: install ok installed\nVersion: 1\n",
		  "status: line 3: stanza has no 'Package' field", NULL },
		{ "Package:\nStatus: install ok installed\nVersion: 1\n",
		  "status: line 1: field 'Package': empty package name", NULL },
		{ "Package: -a\n",
		  "status: line 1: package '-a': field 'Package': invalid package name '-a': character '-' not allowed (must start with a letter or digit)", NULL },
		{ "Package: a b\nStatus: deinstall ok config-files\n",
		  "status: line 1: package 'a b': field 'Package': invalid package name 'a b': character ' ' not allowed (only letters, digits and -+._)", NULL },
		/* Status: not three of dpkg's words. */
		{ "Package: a\nStatus: install installed\nVersion: 1\n",
		  "status: line 2: package 'a': field 'Status': invalid status 'install installed': expected three words (want, flag, status)", NULL },
		{ "Package: a\nStatus: install ok installed now\nVersion: 1\n",
		  "status: line 2: package 'a': field 'Status': invalid status 'install ok installed now': expected three words (want, flag, status)", NULL },
		{ "Package: a\nStatus: install ok instaled\nVersion: 1\n",
		  "status: line 2: package 'a': field 'Status': invalid status 'install ok instaled': unknown status word 'instaled'", NULL },
		{ "Package: a\nStatus: want ok installed\nVersion: 1\n",
		  "status: line 2: package 'a': field 'Status': invalid status 'want ok installed': unknown want word 'want'", NULL },
		{ "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd_64\n",
		  "status: line 4: package 'a': field 'Architecture': invalid architecture 'amd_64' (at '_')", NULL },
		/* dpkg writes LF only; a CRLF file's '\r' is shown, not hidden. */
		{ "Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n",
		  "status: line 1: package 'a\\x0d': field 'Package': invalid package name 'a\\x0d': character '\\x0d' not allowed (only letters, digits and -+._)", NULL },
		/* Bytes that could drive a terminal are escaped. */
		{ "Package: a\nStatus: install ok installed\nVersion: 1\x1b[31m\n",
		  "status: line 3: package 'a': field 'Version': invalid version '1\\x1b[31m'", "1\x1b[31m" },
	};
	struct collect *c = collect_new();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = { "" };
		int r;

		char expected[sizeof(e.msg)];
		const char *reason = NULL;

		snprintf(expected, sizeof(expected), "%s", cases[i].msg);
		if (cases[i].version) {
			assert_false(deb_version_valid(cases[i].version, strlen(cases[i].version),
						       &reason));
			snprintf(expected, sizeof(expected), "%s: %s", cases[i].msg, reason);
		}
		c->n = 0;
		r = parse(cases[i].text, c, &e);
		if (r != ERR_INPUT || strcmp(e.msg, expected))
			fail_msg("case %zu: got %d '%s'\n  expected '%s'", i, r, e.msg, expected);
	}
	free(c);
}

/* Good stanzas before a broken one are reported before the error. */
static void test_error_after_good_stanzas(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *reason = NULL;
	char expected[sizeof(e.msg)];

	(void)state;
	assert_int_equal(parse("Package: a\nStatus: install ok installed\nVersion: 1\n\n"
			       "Package: b\nStatus: install ok installed\nVersion: x\n",
			       c, &e), ERR_INPUT);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->pkgs[0].name, "a");
	assert_false(deb_version_valid("x", 1, &reason));
	snprintf(expected, sizeof(expected),
		 "status: line 7: package 'b': field 'Version': invalid version 'x': %s", reason);
	assert_string_equal(e.msg, expected);
	free(c);
}

/* A long value is cut short in the message, which stays readable. */
static void test_long_value_in_message(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	char text[600];
	int n;

	(void)state;
	n = snprintf(text, sizeof(text), "Package: a\nStatus: install ok installed\nVersion: 1 %0500d\n", 0);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	assert_int_equal(parse(text, c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "invalid version '1 000"));
	assert_non_null(strstr(e.msg, "...': "));
	assert_true(strlen(e.msg) < 300);
	free(c);
}

static void test_limits(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char small[] = "Package: a\n";
	static const char head[] = "Package: a\nDescription: ";
	size_t h = sizeof(head) - 1, k = DPKG_LINE_MAX - 13; /* 13: "Description: " */
	char *text = malloc(DPKG_LINE_MAX + 64);

	(void)state;
	/* The length is checked before the data is read. */
	assert_int_equal(dpkg_status_parse(small, (size_t)DPKG_STATUS_MAX + 1, "big", collect_pkg,
					   c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "big: larger than the limit of 256 MiB");

	/* A line of DPKG_LINE_MAX bytes is fine; one more is not. */
	assert_non_null(text);
	memcpy(text, head, h);
	memset(text + h, 'x', k + 1);
	text[h + k] = '\n';
	assert_int_equal(parse_len(text, h + k + 1, c, &e), 0);
	text[h + k] = 'x';
	text[h + k + 1] = '\n';
	assert_int_equal(parse_len(text, h + k + 2, c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "status: line 2: package 'a': line longer than the limit "
			    "of 1048576 bytes");

	/* The same for a blank line between stanzas. */
	memset(text, ' ', DPKG_LINE_MAX + 1);
	text[DPKG_LINE_MAX + 1] = '\n';
	assert_int_equal(parse_len(text, DPKG_LINE_MAX + 2, c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "status: line 1: line longer than the limit of 1048576 bytes");
	free(text);
	free(c);
}

/* A non-zero return from the callback stops the parse and is returned. */
static void test_callback_stops(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] =
		"Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: b\nStatus: install ok installed\nVersion: 1\n\n"
		/* Never reached, so its broken Version is no error. */
		"Package: c\nStatus: install ok installed\nVersion: x\n";

	(void)state;
	c->stop_after = 2;
	c->stop_code = ERR_IO;
	assert_int_equal(parse(text, c, &e), ERR_IO);
	assert_int_equal(c->n, 2);
	assert_string_equal(e.msg, "stopped by the callback after 2");

	/* A positive code is passed through as well. */
	c->n = 0;
	c->stop_after = 1;
	c->stop_code = 1;
	assert_int_equal(parse(text, c, &e), 1);
	assert_int_equal(c->n, 1);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_which_are_reported),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_error_after_good_stanzas),
		cmocka_unit_test(test_long_value_in_message),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_real_host),
		cmocka_unit_test(test_real_host_fast),
		cmocka_unit_test(test_fixture_claircore),
		cmocka_unit_test(test_fixture_osv_scalibr),
		cmocka_unit_test(test_fixture_trivy),
		cmocka_unit_test(test_fixture_syft),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
