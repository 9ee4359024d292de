/*
 * Unit tests for the apk installed-database parser
 * (src/inventory/apk_installed.c).
 *
 * The installed databases of other scanners' test suites are parsed whole,
 * with expectations counted from the files by other means (grep, awk: see
 * each comment). Inline cases cover the grammar and every kind of broken
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
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "core/version.h"
#include "inventory/apk_installed.h"

static bool data_skipped;

#define MAX_PKGS 256

/* What one reported package looked like, copied out of the callback. */
struct seen_pkg {
	char name[128];
	char version[128];
	char arch[32];
	char origin[128];
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

static int collect_pkg(const struct apk_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_inside(c, p->name, p->name_len);
	assert_inside(c, p->version, p->version_len);
	assert_inside(c, p->arch, p->arch_len);
	assert_inside(c, p->origin, p->origin_len);
	assert_true(p->name_len > 0 && p->origin_len > 0 && p->line > 0);
	assert_non_null(p->arch);
	assert_true(apk_version_valid(p->version, p->version_len));
	assert_true(c->n < MAX_PKGS);
	s = &c->pkgs[c->n++];
	copy_span(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span(s->origin, sizeof(s->origin), p->origin, p->origin_len);
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
	r = apk_installed_parse(copy, len, "installed", collect_pkg, c, e);
	free(copy);
	c->data = NULL;
	return r;
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

static bool looks_like_len(const char *text, size_t len)
{
	char *copy = exact_copy(text, len);
	bool r = apk_installed_looks_like(copy, len);

	free(copy);
	return r;
}

static bool looks_like(const char *text)
{
	return looks_like_len(text, strlen(text));
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
		       const char *arch, const char *origin, size_t line)
{
	const struct seen_pkg *p = find(c, name);

	if (!p)
		fail_msg("package '%s' not reported", name);
	assert_string_equal(p->version, version);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->origin, origin);
	assert_int_equal(p->line, line);
}

/* Packages whose origin differs from their name. */
static size_t count_other_origin(const struct collect *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += !!strcmp(c->pkgs[i].origin, c->pkgs[i].name);
	return n;
}

static size_t count_arch(const struct collect *c, const char *arch)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += !strcmp(c->pkgs[i].arch, arch);
	return n;
}

/* Reads a shared file into a buffer; false (and a skip) when data is absent. */
static bool read_shared(const char *rel, struct buf *b)
{
	const char *path = shared_path(rel);
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(b, APK_INSTALLED_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s", e.msg);
	return true;
}

/* ---- other scanners' fixtures ---- */

/*
 * For each file below: the count is `grep -c '^P:' FILE` (= `grep -c
 * '^V:'`); arch and origin counts come from an awk script over the stanzas
 * (awk -v RS= -F'\n', taking P, o and A, origin = P when there is no o);
 * lines are `grep -n '^P:NAME$' FILE` minus one, as every stanza starts
 * with its C: line.
 */
static void test_fixture_syft(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/syft/syft/pkg/cataloger/alpine/testdata/multiple-2/lib/apk/db/installed",
			 &b)) {
		free(c);
		return;
	}
	assert_true(apk_installed_looks_like(b.data, b.len));
	assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
	assert_int_equal(c->n, 14);
	assert_int_equal(count_arch(c, "x86_64"), 14);
	assert_int_equal(count_other_origin(c), 8);
	/* The first stanza. */
	assert_pkg(c, "alpine-baselayout-data", "3.2.0-r22", "x86_64", "alpine-baselayout", 1);
	assert_pkg(c, "musl", "1.2.3-r0", "x86_64", "musl", 47);
	assert_pkg(c, "libcrypto1.1", "1.1.1q-r0", "x86_64", "openssl", 404);
	assert_pkg(c, "ca-certificates-bundle", "20220614-r0", "x86_64", "ca-certificates", 380);
	/* The last stanza, followed by an empty line. */
	assert_pkg(c, "libc-utils", "0.7.2-r3", "x86_64", "libc-dev", 624);
	buf_release(&b);
	free(c);
}

static void test_fixture_osv_scalibr(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/osv-scalibr/extractor/filesystem/os/apk/testdata/installed",
			 &b)) {
		free(c);
		return;
	}
	assert_true(apk_installed_looks_like(b.data, b.len));
	assert_int_equal(parse_len(b.data, b.len, c, &e), 0);
	assert_int_equal(c->n, 15);
	assert_int_equal(count_arch(c, "x86_64"), 15);
	assert_int_equal(count_other_origin(c), 9);
	/* The first stanza. */
	assert_pkg(c, "alpine-baselayout", "3.4.3-r1", "x86_64", "alpine-baselayout", 1);
	assert_pkg(c, "alpine-baselayout-data", "3.4.3-r1", "x86_64", "alpine-baselayout", 117);
	assert_pkg(c, "busybox-binsh", "1.36.0-r9", "x86_64", "busybox", 387);
	assert_pkg(c, "libcrypto3", "3.1.0-r4", "x86_64", "openssl", 455);
	assert_pkg(c, "ssl_client", "1.36.0-r9", "x86_64", "busybox", 625);
	/* The last stanza, which ends the file without an empty line. */
	assert_pkg(c, "zlib", "1.2.13-r1", "x86_64", "zlib", 648);
	buf_release(&b);
	free(c);
}

/*
 * trivy's file holds a stanza "P:invalidPackageWithoutAVersion" (line 23),
 * which is an error naming it; the stanzas after it are good, and the file
 * ends without a newline.
 */
static void test_fixture_trivy(void **state)
{
	static const char marker[] = "P:invalidPackageWithoutAVersion\n\n";
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *start;
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk", &b)) {
		free(c);
		return;
	}
	assert_int_equal(parse_len(b.data, b.len, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "installed: line 23: package 'invalidPackageWithoutAVersion': "
			    "field 'V': missing: every stanza needs a version");
	assert_int_equal(c->n, 1);
	assert_string_equal(c->pkgs[0].name, "musl");

	start = strstr(b.data, marker);
	assert_non_null(start);
	start += strlen(marker);
	c->n = 0;
	assert_int_equal(parse_len(start, b.len - (size_t)(start - b.data), c, &e), 0);
	/* 16 P lines and 15 V lines: all but musl and the broken one. */
	assert_int_equal(c->n, 14);
	assert_int_equal(count_arch(c, "x86_64"), 14);
	assert_int_equal(count_other_origin(c), 8);
	/* Lines counted from the file's line 25: grep's line minus 24. */
	assert_pkg(c, "busybox", "1.24.2-r9", "x86_64", "busybox", 1);
	assert_pkg(c, "libcrypto1.0", "1.0.2h-r1", "x86_64", "openssl", 238);
	/* A pre-release suffix with a long number, and an origin of its own. */
	assert_pkg(c, "test", "2.9.11_pre20061021-r2", "x86_64", "test-parent", 489);
	/* The last stanza, with no newline at the end of the file. */
	assert_pkg(c, "ada-libs", "2.7.4-r0", "x86_64", "ada", 518);
	buf_release(&b);
	free(c);
}

/*
 * osv-scalibr keeps an installed database in a txtar archive, between the
 * markers of its files; the orb package has no o: line.
 */
static void test_fixture_osv_scalibr_txtar(void **state)
{
	static const char head[] = "-- lib/apk/db/installed --\n";
	static const char next[] = "-- etc/apk/repositories --\n";
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *start, *end;
	struct buf b;

	(void)state;
	if (!read_shared("fixtures/osv-scalibr/annotator/osduplicate/apk/testdata/cache", &b)) {
		free(c);
		return;
	}
	/* The archive's header is no "X:value" line; it starts the stanza
	 * of libcurl, which the message names. */
	assert_false(apk_installed_looks_like(b.data, b.len));
	assert_int_equal(parse_len(b.data, b.len, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "installed: line 1: package 'libcurl': expected 'X:value' "
			    "(a letter, then a colon), found '-- lib/apk/db/installed --'");
	start = strstr(b.data, head);
	assert_true(start == b.data);
	start += strlen(head);
	end = strstr(start, next);
	assert_non_null(end);
	assert_true(apk_installed_looks_like(start, (size_t)(end - start)));
	c->n = 0;
	assert_int_equal(parse_len(start, (size_t)(end - start), c, &e), 0);
	/* `sed -n '2,73p' cache | grep -c '^P:'`. */
	assert_int_equal(c->n, 3);
	assert_pkg(c, "libcurl", "8.17.0-r1", "aarch64", "curl", 1);
	/* No o: line, and no -r revision. */
	assert_pkg(c, "orb", "1.4.10", "aarch64", "orb", 26);
	assert_pkg(c, "c-ares", "1.34.6-r0", "aarch64", "c-ares", 50);
	buf_release(&b);
	free(c);
}

/* ---- the grammar ---- */

static void test_grammar(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	/* Empty lines before, between (several) and none at the end; keys
	 * hfx does not read, including ones apk does not know (Y, k); values
	 * holding colons; A and o absent; fields in any order. */
	static const char text[] =
		"\n\n"
		"C:Q1abc=\n"                      /* 3 */
		"P:musl\n"
		"V:1.2.4-r0\n"
		"A:x86_64\n"
		"o:musl\n"
		"p:so:libc.musl-x86_64.so.1=1\n"
		"D:so:libc.musl-x86_64.so.1\n"
		"U:\n"
		"Y:a key from the future\n"
		"F:lib\n"
		"R:ld-musl-x86_64.so.1\n"
		"a:0:0:755\n"
		"Z:Q1xyz=\n"
		"\n\n\n"
		"V:2.4-r1\n"                      /* 19 */
		"k:100\n"
		"P:alpine-keys\n"
		"\n"
		"P:libssl3\n"                     /* 23 */
		"o:openssl\n"
		"A:aarch64\n"
		"V:3.1.0_rc1-r4";                 /* no newline */

	(void)state;
	assert_int_equal(parse(text, c, &e), 0);
	assert_int_equal(c->n, 3);
	assert_pkg(c, "musl", "1.2.4-r0", "x86_64", "musl", 3);
	assert_pkg(c, "alpine-keys", "2.4-r1", "", "alpine-keys", 19);
	assert_pkg(c, "libssl3", "3.1.0_rc1-r4", "aarch64", "openssl", 23);
	/* File order. */
	assert_string_equal(c->pkgs[0].name, "musl");
	assert_string_equal(c->pkgs[2].name, "libssl3");
	free(c);
}

static void test_empty_input(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_len("", 0, c, &e), 0);
	assert_int_equal(parse("\n", c, &e), 0);
	assert_int_equal(parse("\n\n\n", c, &e), 0);
	assert_int_equal(c->n, 0);
	free(c);
}

struct bad_case {
	const char *text;
	int code;
	const char *msg;
};

static void test_bad_inputs(void **state)
{
	static const struct bad_case cases[] = {
		/* Missing and duplicate P and V. */
		{ "C:Q1x=\nV:1.0-r0\n", ERR_INPUT,
		  "installed: line 1: field 'P': missing: every stanza needs a package name" },
		{ "C:Q1x=\nP:a\nA:x86_64\n", ERR_INPUT,
		  "installed: line 1: package 'a': field 'V': missing: every stanza needs a version" },
		{ "P:a\nV:1\n\nC:Q1x=\nP:b\nV:1\nP:c\n", ERR_INPUT,
		  "installed: line 7: package 'b': field 'P': duplicate field (first on line 5)" },
		{ "P:a\nV:1\nV:2\n", ERR_INPUT,
		  "installed: line 3: package 'a': field 'V': duplicate field (first on line 2)" },
		{ "P:a\nV:1\nA:x86\nA:x86\n", ERR_INPUT,
		  "installed: line 4: package 'a': field 'A': duplicate field (first on line 3)" },
		{ "P:a\no:b\nV:1\no:b\n", ERR_INPUT,
		  "installed: line 4: package 'a': field 'o': duplicate field (first on line 2)" },
		/* Versions apk cannot compare. */
		{ "P:a\nV:x\n", ERR_INPUT,
		  "installed: line 2: package 'a': field 'V': invalid version 'x': not of the "
		  "form digits{.digits}[letter]{_suffix[N]}[~hash][-rN]" },
		{ "P:a\nV:\n", ERR_INPUT,
		  "installed: line 2: package 'a': field 'V': invalid version '': not of the "
		  "form digits{.digits}[letter]{_suffix[N]}[~hash][-rN]" },
		{ "P:a\nV:1.0-r0 \n", ERR_INPUT,
		  "installed: line 2: package 'a': field 'V': invalid version '1.0-r0 ': not of "
		  "the form digits{.digits}[letter]{_suffix[N]}[~hash][-rN]" },
		{ "P:a\nV:1.0_foo\n", ERR_INPUT,
		  "installed: line 2: package 'a': field 'V': invalid version '1.0_foo': not of "
		  "the form digits{.digits}[letter]{_suffix[N]}[~hash][-rN]" },
		/* Bad names, architectures and origins. */
		{ "P:\nV:1\n", ERR_INPUT,
		  "installed: line 1: field 'P': empty package name" },
		{ "C:Q1x=\nP:a b\nV:1\n", ERR_INPUT,
		  "installed: line 2: package 'a b': field 'P': invalid package name 'a b': "
		  "character ' ' not allowed" },
		{ "P:a\nV:1\nA:\n", ERR_INPUT,
		  "installed: line 3: package 'a': field 'A': empty architecture" },
		{ "P:a\nV:1\no:\n", ERR_INPUT,
		  "installed: line 3: package 'a': field 'o': empty origin" },
		{ "P:a\nV:1\no:b\tc\n", ERR_INPUT,
		  "installed: line 3: package 'a': field 'o': invalid origin 'b\\x09c': "
		  "character '\\x09' not allowed" },
		/* CRLF: the first value fails, shown escaped. */
		{ "C:Q1x=\r\nP:a\r\nV:1\r\n", ERR_INPUT,
		  "installed: line 2: package 'a\\x0d': field 'P': invalid package name "
		  "'a\\x0d': character '\\x0d' not allowed" },
		/* Lines that are not "X:value". */
		{ "P:a\nV:1\nhello\n", ERR_INPUT,
		  "installed: line 3: package 'a': expected 'X:value' (a letter, then a colon), "
		  "found 'hello'" },
		{ "C:Q1x=\nPP:a\nV:1\n", ERR_INPUT,
		  "installed: line 2: expected 'X:value' (a letter, then a colon), found 'PP:a'" },
		{ "C:Q1x=\nP\nV:1\n", ERR_INPUT,
		  "installed: line 2: expected 'X:value' (a letter, then a colon), found 'P'" },
		{ "P:a\nV:1\n1:x\n", ERR_INPUT,
		  "installed: line 3: package 'a': expected 'X:value' (a letter, then a colon), "
		  "found '1:x'" },
		/* The package is named even when the broken line comes first. */
		{ "C:Q1x=\n:x\nP:a\nV:1\n", ERR_INPUT,
		  "installed: line 2: package 'a': expected 'X:value' (a letter, then a colon), "
		  "found ':x'" },
		/* Blanks are not an empty line: no stanza separator in apk. */
		{ "P:a\nV:1\n \nP:b\nV:1\n", ERR_INPUT,
		  "installed: line 3: package 'a': expected 'X:value' (a letter, then a colon), "
		  "found ' '" },
		{ "P:a\nV:1\n\n\r\nP:b\nV:1\n", ERR_INPUT,
		  "installed: line 4: package 'b': expected 'X:value' (a letter, then a colon), "
		  "found '\\x0d'" },
		{ " P:a\nV:1\n", ERR_INPUT,
		  "installed: line 1: expected 'X:value' (a letter, then a colon), found ' P:a'" },
	};
	struct collect *c = collect_new();
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c->n = 0;
		memset(&e, 0, sizeof(e));
		if (parse(cases[i].text, c, &e) != cases[i].code)
			fail_msg("case %zu: expected code %d, message '%s'", i, cases[i].code, e.msg);
		if (strcmp(e.msg, cases[i].msg))
			fail_msg("case %zu:\n  got      '%s'\n  expected '%s'", i, e.msg,
				 cases[i].msg);
	}
	free(c);
}

/* A NUL byte is data like any other: shown escaped, not a terminator. */
static void test_nul_byte(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] = "P:a\0b\nV:1\n";

	(void)state;
	assert_int_equal(parse_len(text, sizeof(text) - 1, c, &e), ERR_INPUT);
	assert_string_equal(e.msg, "installed: line 1: package 'a\\x00b': field 'P': invalid "
			    "package name 'a\\x00b': character '\\x00' not allowed");
	free(c);
}

/* Good stanzas before the broken one are reported, in order. */
static void test_error_after_good_stanzas(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse("P:a\nV:1\n\nP:b\nV:2\n\nC:x\nP:c\nV:1..2\n", c, &e), ERR_INPUT);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->pkgs[1].name, "b");
	assert_non_null(strstr(e.msg, "installed: line 9: package 'c': field 'V': invalid "
				     "version '1..2'"));
	free(c);
}

/* A long value is cut short in the message, which stays readable. */
static void test_long_value_in_message(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	char text[700];
	int n;

	(void)state;
	n = snprintf(text, sizeof(text), "P:%0500d\nV:x\n", 0);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	assert_int_equal(parse(text, c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "installed: line 2: package '0000"));
	assert_non_null(strstr(e.msg, "...': field 'V': invalid version 'x'"));
	assert_true(strlen(e.msg) < 300);
	free(c);
}

static void test_limits(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char small[] = "P:a\n";
	static const char head[] = "P:a\nV:1\nT:";
	size_t h = sizeof(head) - 1, k = APK_LINE_MAX - 2; /* 2: "T:" */
	char *text = malloc(APK_LINE_MAX + 64);

	(void)state;
	/* The length is checked before the data is read. */
	assert_int_equal(apk_installed_parse(small, (size_t)APK_INSTALLED_MAX + 1, "big",
					     collect_pkg, c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "big: larger than the limit of 256 MiB");

	/* A line of APK_LINE_MAX bytes is fine; one more is not. */
	assert_non_null(text);
	memcpy(text, head, h);
	memset(text + h, 'x', k + 1);
	text[h + k] = '\n';
	assert_int_equal(parse_len(text, h + k + 1, c, &e), 0);
	assert_int_equal(c->n, 1);
	text[h + k] = 'x';
	text[h + k + 1] = '\n';
	assert_int_equal(parse_len(text, h + k + 2, c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "installed: line 3: package 'a': line longer than the limit "
			    "of 1048576 bytes");
	/* Without its newline, at the end of the input, too. */
	assert_int_equal(parse_len(text, h + k + 1, c, &e), ERR_NOMEM);
	free(text);
	free(c);
}

/* A non-zero return from the callback stops the parse and is returned. */
static void test_callback_stops(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] =
		"P:a\nV:1\n\n"
		"P:b\nV:1\n\n"
		/* Never reached, so its broken V is no error. */
		"P:c\nV:x\n";

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

/*
 * Only data[0..len) is read: the bytes after it (here a duplicate P, or
 * more of a version) change nothing, and every prefix of a stanza parses
 * or fails cleanly from its exact-length heap copy.
 */
static void test_explicit_length(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] = "C:Q1x=\nP:zlib\nV:1.2.13-r1\nA:x86_64\no:zlib\nP:dup\n";
	size_t cut = strlen(text) - strlen("P:dup\n");
	static const char ver[] = "P:a\nV:1.2.3";
	int r;

	(void)state;
	assert_int_equal(parse_len(text, strlen(text), c, &e), ERR_INPUT);
	c->n = 0;
	assert_int_equal(parse_len(text, cut, c, &e), 0);
	assert_pkg(c, "zlib", "1.2.13-r1", "x86_64", "zlib", 1);

	/* A value running to the end of the input ends there. */
	c->n = 0;
	assert_int_equal(parse_len(ver, strlen(ver) - 2, c, &e), 0);
	assert_pkg(c, "a", "1.2", "", "a", 1);

	for (size_t n = 0; n <= strlen(text); n++) {
		c->n = 0;
		r = parse_len(text, n, c, &e);
		assert_true(r == 0 || r == ERR_INPUT);
		/* Reported as soon as the version is whole and nothing breaks it. */
		assert_int_equal(c->n, r == 0 && n >= strlen("C:Q1x=\nP:zlib\nV:1") ? 1 : 0);
	}
	free(c);
}

static void test_looks_like(void **state)
{
	(void)state;
	assert_true(looks_like("C:Q1x=\nP:a\nV:1\n"));
	assert_true(looks_like("P:a\nV:1\n"));
	assert_true(looks_like("\n\nP:a\nV:1"));
	assert_true(looks_like("P:a"));
	assert_true(looks_like("P:a\n"));
	assert_true(looks_like("C:x\n\nP:a\n"));
	assert_false(looks_like(""));
	assert_false(looks_like("\n"));
	assert_false(looks_like("P"));
	assert_false(looks_like("V:1\nP:a\n"));
	/* A dpkg status file, an APKINDEX archive, a txtar archive. */
	assert_false(looks_like("Package: a\nStatus: install ok installed\n"));
	assert_false(looks_like("-- lib/apk/db/installed --\nC:x\n"));
	assert_false(looks_like("C:x\nhello\n"));
	assert_false(looks_like("P:a\n V:1\n"));
	/* Only len bytes are looked at. */
	assert_false(looks_like_len("P:a", 1));
	assert_true(looks_like_len("P:a\nhello", 4));
	assert_false(apk_installed_looks_like(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_error_after_good_stanzas),
		cmocka_unit_test(test_long_value_in_message),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_explicit_length),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_fixture_syft),
		cmocka_unit_test(test_fixture_osv_scalibr),
		cmocka_unit_test(test_fixture_trivy),
		cmocka_unit_test(test_fixture_osv_scalibr_txtar),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
