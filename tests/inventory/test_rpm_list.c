/*
 * Unit tests for the RPM inventory parser (src/inventory/rpm_list.c).
 *
 * Inline listings cover the format, the SOURCERPM split and every kind of
 * broken line, asserting the line and field each message names. Every
 * input is parsed from a heap copy of exactly its length, so that
 * AddressSanitizer flags a read past the end.
 *
 * claircore's rpm fixtures are not rpm listings but Red Hat container
 * catalog "rpm-manifest" JSON documents: the parser must refuse them, and
 * their 1,432 package records, turned into listing lines here, check the
 * parser on real names, versions and source packages, against the source
 * name Red Hat gives for each. They need ../shared/data (or
 * $HFX_SHARED_DATA); without it the binary exits 77 (skip).
 *
 * With HFX_RPM_LISTING set, the binary only parses that file, the output
 * of the real rpm made by tests/inventory/rpm_real_listing.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/rpm_list.h"

static bool data_skipped;

#define MAX_PKGS 512

/* What one reported package looked like, copied out of the callback. */
struct seen_pkg {
	char name[128];
	char epoch[16];
	char version[128];
	char release[128];
	char arch[32];
	char source[128];
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

static void assert_inside(const struct collect *c, const char *s, size_t len)
{
	assert_non_null(s);
	assert_true(s >= c->data && len <= c->len && (size_t)(s - c->data) <= c->len - len);
}

static int collect_pkg(const struct rpm_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_inside(c, p->name, p->name_len);
	assert_inside(c, p->epoch, p->epoch_len);
	assert_inside(c, p->version, p->version_len);
	assert_inside(c, p->release, p->release_len);
	assert_inside(c, p->arch, p->arch_len);
	if (p->source_len)
		assert_inside(c, p->source, p->source_len);
	else
		assert_non_null(p->source);
	assert_true(p->name_len && p->epoch_len && p->version_len && p->release_len &&
		    p->arch_len && p->line > 0);
	assert_true(c->n < MAX_PKGS);
	s = &c->pkgs[c->n++];
	copy_span(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span(s->epoch, sizeof(s->epoch), p->epoch, p->epoch_len);
	copy_span(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span(s->release, sizeof(s->release), p->release, p->release_len);
	copy_span(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span(s->source, sizeof(s->source), p->source, p->source_len);
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
	r = rpm_list_parse(copy, len, "rpm.txt", collect_pkg, c, e);
	free(copy);
	c->data = NULL;
	return r;
}

static int parse(const char *text, struct collect *c, struct err *e)
{
	return parse_len(text, strlen(text), c, e);
}

static bool looks_like(const char *text, size_t len)
{
	char *copy = exact_copy(text, len);
	bool r = rpm_list_looks_like(copy, len);

	free(copy);
	return r;
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

static void assert_pkg(const struct collect *c, const char *name, const char *epoch,
		       const char *version, const char *release, const char *arch,
		       const char *source, size_t line)
{
	const struct seen_pkg *p = find(c, name);

	if (!p)
		fail_msg("package '%s' not reported", name);
	assert_string_equal(p->epoch, epoch);
	assert_string_equal(p->version, version);
	assert_string_equal(p->release, release);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->source, source);
	if (line)
		assert_int_equal(p->line, line);
}

static bool read_shared(const char *rel, struct buf *b)
{
	const char *path = shared_path(rel);
	struct err e = { "" };

	if (!path) {
		data_skipped = true;
		return false;
	}
	buf_init(b, RPM_LIST_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s", e.msg);
	return true;
}

/* ---- the format ---- */

static void test_good(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] =
		"\n"
		"openssl-libs\t1\t3.0.7\t24.el9\tx86_64\topenssl-3.0.7-24.el9.src.rpm\n" /* 2 */
		"gpg-pubkey\t0\tfd431d51\t4ae0493b\t(none)\t(none)\n"                   /* 3 */
		"  \t \n"                                                               /* 4 */
		"libstdc++\t0\t11.4.1\t2.1.el9\tx86_64\tgcc-11.4.1-2.1.el9.src.rpm\r\n" /* 5 */
		"tzdata\t0\t2023c\t1.el9\tnoarch\ttzdata-2023c-1.el9.src.rpm\n"         /* 6 */
		"vim-minimal\t2\t8.2.2637\t20.el9_1\tx86_64\tvim-8.2.2637-20.el9_1.src.rpm\n"
		"fedora-repos\t0\t39~rc1\t1^20230901git\tnoarch\t(none)\n"              /* 8 */
		"java-17-openjdk\t1\t17.0.9.0.9\t2.el9\tx86_64\t"
		"java-17-openjdk-17.0.9.0.9-2.el9.nosrc.rpm\n"                          /* 9 */
		"libgcc\t0\t11.4.1\t2.1.el9\tx86_64\tgcc-11.4.1-2.1.el9.src.rpm";      /* 10 */

	(void)state;
	assert_int_equal(parse(text, c, &e), 0);
	/* Eight non-blank lines, one of them a key. */
	assert_int_equal(c->n, 7);
	assert_null(find(c, "gpg-pubkey"));
	assert_pkg(c, "openssl-libs", "1", "3.0.7", "24.el9", "x86_64", "openssl", 2);
	/* CRLF: the '\r' is not part of SOURCERPM. */
	assert_pkg(c, "libstdc++", "0", "11.4.1", "2.1.el9", "x86_64", "gcc", 5);
	assert_pkg(c, "tzdata", "0", "2023c", "1.el9", "noarch", "tzdata", 6);
	assert_pkg(c, "vim-minimal", "2", "8.2.2637", "20.el9_1", "x86_64", "vim", 7);
	/* '~' and '^' are rpm version characters; "(none)": no source. */
	assert_pkg(c, "fedora-repos", "0", "39~rc1", "1^20230901git", "noarch", "", 8);
	assert_pkg(c, "java-17-openjdk", "1", "17.0.9.0.9", "2.el9", "x86_64",
		   "java-17-openjdk", 9);
	/* The last line has no '\n'. */
	assert_pkg(c, "libgcc", "0", "11.4.1", "2.1.el9", "x86_64", "gcc", 10);
	/* Input order. */
	assert_string_equal(c->pkgs[0].name, "openssl-libs");
	assert_string_equal(c->pkgs[6].name, "libgcc");
	free(c);
}

static void test_empty(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_len("", 0, c, &e), 0);
	assert_int_equal(parse("\n\r\n \n\t\t\n", c, &e), 0);
	/* Only keys. */
	assert_int_equal(parse("gpg-pubkey\t0\tfd431d51\t4ae0493b\t(none)\t(none)\n", c, &e), 0);
	assert_int_equal(c->n, 0);
	free(c);
}

/* The source name is what precedes the last two '-' of SOURCERPM. */
static void test_source_names(void **state)
{
	static const struct {
		const char *srpm, *source;
	} cases[] = {
		{ "glibc-2.34-60.el9.src.rpm", "glibc" },
		{ "perl-5.32.1-480.el9.src.rpm", "perl" },
		{ "kernel-5.14.0-362.8.1.el9_3.src.rpm", "kernel" },
		{ "python3.9-3.9.16-1.el9.src.rpm", "python3.9" },
		{ "gcc-toolset-12-gcc-12.2.1-7.4.el9.src.rpm", "gcc-toolset-12-gcc" },
		{ "libstdc++-compat-1.0-1.src.rpm", "libstdc++-compat" },
		{ "java-1.8.0-openjdk-1.8.0.392.b08-4.el9.nosrc.rpm", "java-1.8.0-openjdk" },
		{ "a-1-1.src.rpm", "a" },
		{ "vim-8.2.2637-20.el9_1.src.rpm", "vim" },
		{ "git-2.43.0^20231201-1.fc40.src.rpm", "git" },
		{ "(none)", "" },
	};
	struct collect *c = collect_new();
	struct err e = { "" };
	char line[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "python3-libs\t0\t3.9.16\t1.el9\tx86_64\t%s\n",
			 cases[i].srpm);
		c->n = 0;
		if (parse(line, c, &e))
			fail_msg("%s: %s", cases[i].srpm, e.msg);
		assert_int_equal(c->n, 1);
		assert_string_equal(c->pkgs[0].name, "python3-libs");
		if (strcmp(c->pkgs[0].source, cases[i].source))
			fail_msg("%s: source '%s', expected '%s'", cases[i].srpm,
				 c->pkgs[0].source, cases[i].source);
	}
	free(c);
}

/*
 * Each broken listing fails with ERR_INPUT; msg is the whole message
 * after "rpm.txt: " up to where the input's own bytes or the explanation
 * start, which pins the line and the field; detail is further text the
 * message must hold. The good line before a bad one shows that lines are
 * counted, and that the package before was reported.
 */
static void test_bad(void **state)
{
	static const char good[] = "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.src.rpm\n";
	static const struct {
		const char *line; /* the second line of the listing */
		const char *msg, *detail;
	} cases[] = {
		/* Field count: no field to name. */
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\n", "line 2: expected 6 tab-separated fields",
		  "found 5 in 'bash" },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.src.rpm\textra\n",
		  "line 2: expected 6 tab-separated fields", "found 7" },
		/* Plain `rpm -qa`. */
		{ "bash-5.1.8-6.el9.x86_64\n", "line 2: expected 6 tab-separated fields",
		  "plain 'rpm -qa' output is not enough" },
		/* Space-separated instead of tabs. */
		{ "bash 0 5.1.8 6.el9 x86_64 bash-5.1.8-6.el9.src.rpm\n",
		  "line 2: expected 6 tab-separated fields", "found 1" },
		/* A key's line is counted too. */
		{ "gpg-pubkey\t0\tfd431d51\t4ae0493b\t(none)\n",
		  "line 2: expected 6 tab-separated fields", "found 5" },
		{ "\t0\t5.1.8\t6.el9\tx86_64\t(none)\n", "line 2: field 'name': empty package name",
		  NULL },
		{ "ba sh\t0\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'name': invalid package name 'ba sh': character ' ' not allowed",
		  NULL },
		{ "usr/bin/bash\t0\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'name': invalid package name 'usr/bin/bash': character '/'", NULL },
		{ "ba..sh\t0\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'name': invalid package name 'ba..sh': rpm forbids '..'", NULL },
		{ "caf\xc3\xa9\t0\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'name': invalid package name 'caf\\xc3\\xa9': character '\\xc3'",
		  NULL },
		/* '~' and '^' are for versions, not names. */
		{ "bash~1\t0\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'name': invalid package name 'bash~1': character '~'", NULL },
		{ "bash\t\t5.1.8\t6.el9\tx86_64\t(none)\n", "line 2: field 'epoch': empty epoch",
		  NULL },
		{ "bash\t1a\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'epoch': invalid epoch '1a': not a decimal number", NULL },
		{ "bash\t-1\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'epoch': invalid epoch '-1'", NULL },
		{ "bash\t(none)\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'epoch': invalid epoch '(none)'", NULL },
		{ "bash\t4294967296\t5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'epoch': invalid epoch '4294967296': larger than 4294967295", NULL },
		{ "bash\t0\t\t6.el9\tx86_64\t(none)\n", "line 2: field 'version': empty version",
		  NULL },
		{ "bash\t0\t5.1-8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'version': invalid version '5.1-8': rpm forbids '-'", NULL },
		{ "bash\t0\t5.1.8 \t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'version': invalid version '5.1.8 ': character ' '", NULL },
		{ "bash\t0\t1:5.1.8\t6.el9\tx86_64\t(none)\n",
		  "line 2: field 'version': invalid version '1:5.1.8': character ':'", NULL },
		{ "bash\t0\t5.1.8\t\tx86_64\t(none)\n", "line 2: field 'release': empty release",
		  NULL },
		{ "bash\t0\t5.1.8\t6-el9\tx86_64\t(none)\n",
		  "line 2: field 'release': invalid release '6-el9': rpm forbids '-'", NULL },
		{ "bash\t0\t5.1.8\t6..el9\tx86_64\t(none)\n",
		  "line 2: field 'release': invalid release '6..el9': rpm forbids '..'", NULL },
		/* A '\r' is dropped only at the end of a line. */
		{ "bash\t0\t5.1.8\t6.el9\r\tx86_64\t(none)\n",
		  "line 2: field 'release': invalid release '6.el9\\x0d': character '\\x0d'", NULL },
		{ "bash\t0\t5.1.8\t6.el9\t\t(none)\n", "line 2: field 'arch': empty architecture",
		  NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86-64\t(none)\n",
		  "line 2: field 'arch': invalid architecture 'x86-64'", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\t\n",
		  "line 2: field 'sourcerpm': invalid source package ''", "'.src.rpm'" },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\t(NONE)\n",
		  "line 2: field 'sourcerpm': invalid source package '(NONE)'", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.rpm\n",
		  "line 2: field 'sourcerpm': invalid source package 'bash-5.1.8-6.el9.rpm'",
		  "expected '(none)'" },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.x86_64.rpm\n",
		  "line 2: field 'sourcerpm': invalid source package", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8.src.rpm\n",
		  "line 2: field 'sourcerpm': invalid source package 'bash-5.1.8.src.rpm': "
		  "expected NAME-VERSION-RELEASE", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\t.src.rpm\n",
		  "line 2: field 'sourcerpm': invalid source package '.src.rpm': expected", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\t-5.1.8-6.el9.src.rpm\n",
		  "line 2: field 'sourcerpm': empty source name", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash--6.el9.src.rpm\n",
		  "line 2: field 'sourcerpm': empty source version", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-.src.rpm\n",
		  "line 2: field 'sourcerpm': empty source release", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tba/sh-5.1.8-6.el9.src.rpm\n",
		  "line 2: field 'sourcerpm': invalid source name 'ba/sh'", NULL },
		{ "bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1 8-6.el9.src.rpm\n",
		  "line 2: field 'sourcerpm': invalid source version '5.1 8'", NULL },
	};
	struct collect *c = collect_new();
	struct err e;
	char text[512], want[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", good, cases[i].line);
		snprintf(want, sizeof(want), "rpm.txt: %s", cases[i].msg);
		memset(&e, 0, sizeof(e));
		c->n = 0;
		if (parse(text, c, &e) != ERR_INPUT)
			fail_msg("case %zu (%s): not ERR_INPUT (%s)", i, cases[i].line, e.msg);
		if (strncmp(e.msg, want, strlen(want)))
			fail_msg("case %zu: message\n  '%s'\nexpected to start\n  '%s'", i, e.msg,
				 want);
		if (cases[i].detail && !strstr(e.msg, cases[i].detail))
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg, cases[i].detail);
		/* The line before was good and reported. */
		assert_int_equal(c->n, 1);
		assert_string_equal(c->pkgs[0].name, "bash");
	}
	free(c);
}

/* A long input shows in messages cut short, never whole. */
static void test_bad_long_field(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char rest[] = "/\t0\t1\t1\tnoarch\t(none)\n";
	size_t n = 5000;
	char *text = malloc(n + sizeof(rest));

	(void)state;
	assert_non_null(text);
	memset(text, 'x', n);
	memcpy(text + n, rest, strlen(rest));
	assert_int_equal(parse_len(text, n + strlen(rest), c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "line 1: field 'name': invalid package name 'xxxx"));
	assert_non_null(strstr(e.msg, "...'"));
	assert_true(strlen(e.msg) < 400);
	free(text);
	free(c);
}

/* Counts packages and keeps the release's length, for fields too long to copy. */
static int count_pkg(const struct rpm_pkg *p, void *ctx, struct err *e)
{
	size_t *release_len = ctx;

	(void)e;
	*release_len = p->release_len;
	return 0;
}

static void test_limits(void **state)
{
	static const char head[] = "bash\t0\t5.1.8\t";
	static const char tail[] = "\tx86_64\t(none)";
	struct collect *c = collect_new();
	struct err e = { "" };
	size_t fixed = strlen(head) + strlen(tail), n = RPM_LINE_MAX, release_len = 0;
	char *text = malloc(RPM_LINE_MAX + 2);
	char one = 'x';

	(void)state;
	assert_non_null(text);
	/* A line of exactly RPM_LINE_MAX bytes (a very long release) reads. */
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), '1', n - fixed);
	memcpy(text + n - strlen(tail), tail, strlen(tail));
	text[n] = '\n';
	assert_int_equal(rpm_list_parse(text, n + 1, "rpm.txt", count_pkg, &release_len, &e), 0);
	assert_int_equal(release_len, n - fixed);
	/* One byte more does not, naming the line. */
	free(text);
	text = malloc(RPM_LINE_MAX + 3);
	assert_non_null(text);
	text[0] = '\n';
	memcpy(text + 1, head, strlen(head));
	memset(text + 1 + strlen(head), '1', n - fixed + 1);
	memcpy(text + 1 + n + 1 - strlen(tail), tail, strlen(tail));
	text[n + 2] = '\n';
	c->n = 0;
	assert_int_equal(parse_len(text, n + 3, c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "rpm.txt: line 2: line longer than the limit of 65536 bytes");
	assert_int_equal(c->n, 0);
	/*
	 * The size is checked before any byte is read, so a one-byte buffer
	 * stands for a larger input (AddressSanitizer would catch a read).
	 */
	assert_int_equal(rpm_list_parse(&one, (size_t)RPM_LIST_MAX + 1, "big.txt", collect_pkg,
					c, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "big.txt: larger than the limit of 256 MiB");
	free(text);
	free(c);
}

static void test_callback_stop(void **state)
{
	struct collect *c = collect_new();
	struct err e = { "" };
	static const char text[] =
		"a\t0\t1\t1\tnoarch\t(none)\n"
		"b\t0\t1\t1\tnoarch\t(none)\n"
		"c\t0\t1\t1\tnoarch\t(none)\n"
		"this line is broken and never read\n";

	(void)state;
	c->stop_after = 2;
	c->stop_code = -42;
	assert_int_equal(parse(text, c, &e), -42);
	assert_int_equal(c->n, 2);
	assert_string_equal(e.msg, "stopped by the callback after 2");
	/* Without the stop, the broken line is reached. */
	c->n = 0;
	c->stop_after = 0;
	assert_int_equal(parse(text, c, &e), ERR_INPUT);
	assert_int_equal(c->n, 3);
	assert_non_null(strstr(e.msg, "rpm.txt: line 4: expected 6 tab-separated fields"));
	free(c);
}

static void test_looks_like(void **state)
{
	static const char *const yes[] = {
		"bash\t0\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.src.rpm\n",
		"\n \n\r\ngpg-pubkey\t0\tfd431d51\t4ae0493b\t(none)\t(none)\r\nbroken\n",
		"bash\t0\t5.1.8\t6.el9\tx86_64\t(none)",
	};
	static const char *const no[] = {
		"",
		"\n\n",
		"Package: bash\nStatus: install ok installed\n",
		"NAME=\"Rocky Linux\"\nID=rocky\n",
		"{\"rpms\":[]}\n",
		"bash-5.1.8-6.el9.x86_64\n",
		"bash\t0\t5.1.8\t6.el9\tx86_64\n",
		"bash\t0\t5.1-8\t6.el9\tx86_64\t(none)\n",
		"Generator: fetch-container-rpm-manifest\n",
	};
	static const char good[] = "a\t0\t1\t1\tnoarch\t(none)\n";
	size_t n = RPM_LINE_MAX + 100;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!looks_like(yes[i], strlen(yes[i])))
			fail_msg("yes[%zu] not recognised", i);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (looks_like(no[i], strlen(no[i])))
			fail_msg("no[%zu] recognised", i);
	/* A good line that starts past the first RPM_LINE_MAX bytes is not looked at. */
	text = malloc(n);
	assert_non_null(text);
	memset(text, '\n', n);
	memcpy(text + n - strlen(good), good, strlen(good));
	assert_true(looks_like(text + n - strlen(good), strlen(good)));
	assert_false(looks_like(text, n));
	free(text);
}

/* ---- claircore's fixtures ---- */

/* The value of "key":"..." inside rec[0..len), or NULL; *ret_len its length. */
static const char *json_str(const char *rec, size_t len, const char *key, size_t *ret_len)
{
	char pat[64];
	const char *p, *end = rec + len, *q;
	size_t n = (size_t)snprintf(pat, sizeof(pat), "\"%s\":\"", key);

	for (p = rec; p + n <= end; p++)
		if (!memcmp(p, pat, n))
			break;
	if (p + n > end)
		return NULL;
	p += n;
	q = memchr(p, '"', (size_t)(end - p));
	assert_non_null(q);
	assert_null(memchr(p, '\\', (size_t)(q - p))); /* no escapes in this data */
	*ret_len = (size_t)(q - p);
	return p;
}

struct manifest_counts {
	size_t pkgs;         /* `grep -o '"nvra":'` on the manifest's line | wc -l */
	size_t other_source; /* records whose srpm_name is not their name */
	size_t epochs;       /* records whose srpm_nevra has an epoch other than 0 */
};

/*
 * Turns each package record {"architecture":...} of one rpm-manifest
 * (one JSON line, json[0..len)) into a listing line, parses the listing,
 * and checks each package against its record. The manifest has no binary
 * epoch: the source's, from srpm_nevra "NAME-E:V-R.src", stands in (a
 * subpackage inherits its spec's Epoch unless it sets its own), and
 * SOURCERPM is srpm_nevra without "E:", plus ".rpm".
 */
static void check_manifest(const char *json, size_t len, const struct manifest_counts *want)
{
	static const char start[] = "{\"architecture\":\"";
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf listing;
	const char *p = json, *end = json + len, *close;
	size_t records = 0, other_source = 0, epochs = 0;

	buf_init(&listing, RPM_LIST_MAX);
	while ((p = memmem(p, (size_t)(end - p), start, strlen(start)))) {
		const char *name, *ver, *rel, *arch, *nevra, *colon, *dash;
		size_t name_n, ver_n, rel_n, arch_n, nevra_n;

		close = memchr(p, '}', (size_t)(end - p));
		assert_non_null(close);
		name = json_str(p, (size_t)(close - p), "name", &name_n);
		ver = json_str(p, (size_t)(close - p), "version", &ver_n);
		rel = json_str(p, (size_t)(close - p), "release", &rel_n);
		arch = json_str(p, (size_t)(close - p), "architecture", &arch_n);
		nevra = json_str(p, (size_t)(close - p), "srpm_nevra", &nevra_n);
		assert_true(name && ver && rel && arch && nevra);
		colon = memchr(nevra, ':', nevra_n);
		assert_non_null(colon);
		for (dash = colon; *dash != '-'; dash--)
			assert_true(dash > nevra);
		assert_int_equal(buf_appendf(&listing, &e, "%.*s\t%.*s\t%.*s\t%.*s\t%.*s\t%.*s%.*s.rpm\n",
					     (int)name_n, name, (int)(colon - dash - 1), dash + 1,
					     (int)ver_n, ver, (int)rel_n, rel, (int)arch_n, arch,
					     (int)(dash + 1 - nevra), nevra,
					     (int)(nevra + nevra_n - colon - 1), colon + 1), 0);
		records++;
		p = close;
	}
	assert_int_equal(records, want->pkgs);

	assert_int_equal(parse_len(listing.data, listing.len, c, &e), 0);
	assert_int_equal(c->n, want->pkgs);
	/* Record i is line i + 1: compare each package with its record again. */
	p = json;
	for (size_t i = 0; i < c->n; i++) {
		const struct seen_pkg *s = &c->pkgs[i];
		const char *v;
		size_t n;

		p = memmem(p, (size_t)(end - p), start, strlen(start));
		close = memchr(p, '}', (size_t)(end - p));
		assert_int_equal(s->line, i + 1);
		v = json_str(p, (size_t)(close - p), "name", &n);
		assert_true(strlen(s->name) == n && !memcmp(s->name, v, n));
		v = json_str(p, (size_t)(close - p), "version", &n);
		assert_true(strlen(s->version) == n && !memcmp(s->version, v, n));
		v = json_str(p, (size_t)(close - p), "release", &n);
		assert_true(strlen(s->release) == n && !memcmp(s->release, v, n));
		v = json_str(p, (size_t)(close - p), "architecture", &n);
		assert_true(strlen(s->arch) == n && !memcmp(s->arch, v, n));
		/* Red Hat's own name of the source package. */
		v = json_str(p, (size_t)(close - p), "srpm_name", &n);
		if (strlen(s->source) != n || memcmp(s->source, v, n))
			fail_msg("line %zu: source '%s', srpm_name '%.*s'", s->line, s->source,
				 (int)n, v);
		other_source += !!strcmp(s->source, s->name);
		epochs += !!strcmp(s->epoch, "0");
		p = close;
	}
	assert_int_equal(other_source, want->other_source);
	assert_int_equal(epochs, want->epochs);
	buf_release(&listing);
	free(c);
}

/*
 * Each archive holds, after a header and three other JSON documents, four
 * rpm-manifest documents (one JSON line each, after their "-- ... --"
 * line), one per architecture of an image.
 */
static void check_archive(const char *rel, const struct manifest_counts want[4])
{
	static const char marker[] = "/rpm-manifest --\n";
	struct collect *c = collect_new();
	struct err e = { "" };
	const char *p, *nl;
	struct buf b;
	size_t n = 0;

	if (!read_shared(rel, &b)) {
		free(c);
		return;
	}
	/* The archive itself is refused at its first line. */
	assert_false(looks_like(b.data, b.len));
	assert_int_equal(parse_len(b.data, b.len, c, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "rpm.txt: line 1: expected 6 tab-separated fields"));
	assert_int_equal(c->n, 0);

	for (p = b.data; (p = memmem(p, b.len - (size_t)(p - b.data), marker, strlen(marker)));) {
		p += strlen(marker);
		nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
		if (!nl)
			nl = b.data + b.len;
		assert_true(n < 4);
		check_manifest(p, (size_t)(nl - p), &want[n++]);
		p = nl;
	}
	assert_int_equal(n, 4);
	buf_release(&b);
	free(c);
}

/*
 * Counts per manifest, in file order (lines 20, 22, 24, 26 of each file),
 * by `sed -n Np FILE | grep -o '"nvra":"[^"]*"' | wc -l` and an awk script
 * over `grep -o '{"architecture":"[^}]*}'` that compares name with
 * srpm_name and looks for srpm_nevra without "-0:". No record is a
 * gpg-pubkey, and no version or release holds a '-'.
 */
static void test_fixture_claircore(void **state)
{
	static const struct manifest_counts ubi8[4] = {
		{ 178, 85, 18 }, { 176, 83, 18 }, { 175, 83, 17 }, { 175, 83, 17 },
	};
	static const struct manifest_counts ubi9[4] = {
		{ 178, 93, 15 }, { 181, 95, 16 }, { 179, 93, 15 }, { 179, 93, 16 },
	};

	(void)state;
	check_archive("fixtures/claircore/rpm/testdata/package/ubi8_ubi.txtar", ubi8);
	check_archive("fixtures/claircore/rpm/testdata/package/ubi9_ubi.txtar", ubi9);
}

/* ---- the real rpm (tests/inventory/rpm_real_listing.sh) ---- */

/*
 * The packages that rpm_real_listing.sh builds, as rpm lists them; the
 * listing may also hold a gpg-pubkey line, which is skipped.
 */
static void test_real_listing(void **state)
{
	const char *path = getenv("HFX_RPM_LISTING");
	struct collect *c = collect_new();
	struct err e = { "" };
	struct buf b;

	(void)state;
	assert_non_null(path);
	buf_init(&b, RPM_LIST_MAX);
	if (buf_read_file(&b, path, &e))
		fail_msg("%s", e.msg);
	assert_true(looks_like(b.data, b.len));
	if (parse_len(b.data, b.len, c, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(c->n, 3);
	assert_pkg(c, "demo-tool", "3", "1.2.3^git1", "4.el9_3", "noarch", "demo-tool", 0);
	assert_pkg(c, "python3.9-demo", "3", "1.2.3^git1", "4.el9_3", "noarch", "demo-tool", 0);
	/* No Epoch: EPOCHNUM prints 0. NoSource: a .nosrc.rpm. */
	assert_pkg(c, "hfx-native", "0", "2.0~rc1", "1+local.el9", "x86_64", "hfx-native", 0);
	buf_release(&b);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_source_names),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_long_field),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stop),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_fixture_claircore),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test(test_real_listing),
	};
	int r;

	if (getenv("HFX_RPM_LISTING"))
		return cmocka_run_group_tests_name("rpm_list_real", real, NULL, NULL) ? 1 : 0;
	r = cmocka_run_group_tests_name("rpm_list", tests, NULL, NULL);
	if (r)
		return 1;
	return data_skipped ? 77 : 0;
}
