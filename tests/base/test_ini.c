/*
 * Unit tests for the INI tokenizer (src/base/ini.c): what each construct
 * yields, every error with its whole message (so the line numbers are
 * checked too), the limits at and one past their edge, and a callback
 * that stops the parse. Inputs are parsed from heap copies of exactly
 * their length, so that AddressSanitizer flags a read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "base/ini.h"

/* Every entry as "[section/subsection] key=<value> @line\n". */
struct collect {
	struct buf log;
	int stop_at; /* return ERR_DB at this entry (1-based), 0: never */
	int n;
};

static int collect_entry(const struct ini_entry *en, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	if (++c->n == c->stop_at)
		return err_set(e, ERR_DB, "callback says no");
	assert_int_equal(buf_appendf(&c->log, e, "[%s%s%s] %s=<%s> @%d\n", en->section,
				     en->subsection ? "/" : "", en->subsection ? en->subsection : "",
				     en->key, en->value, en->line), 0);
	return 0;
}

static int parse_len(const char *text, size_t len, struct collect *c, struct err *e)
{
	char *copy = exact_copy(text, len);
	int r;

	buf_init(&c->log, 1 << 22);
	assert_int_equal(buf_append(&c->log, "", 0, e), 0);
	r = ini_parse(copy, len, "t.conf", collect_entry, c, e);
	free(copy);
	return r;
}

/* Parses text and checks the entries it yields. */
static void expect_entries(const char *text, const char *want)
{
	struct collect c = { .stop_at = 0 };
	struct err e = { "" };

	if (parse_len(text, strlen(text), &c, &e))
		fail_msg("unexpected error: %s", e.msg);
	assert_string_equal(c.log.data, want);
	buf_release(&c.log);
}

/* Parses text[0..len) and checks the whole error message. */
static void expect_error_len(const char *text, size_t len, const char *want)
{
	struct collect c = { .stop_at = 0 };
	struct err e = { "" };

	assert_int_equal(parse_len(text, len, &c, &e), ERR_INPUT);
	assert_string_equal(e.msg, want);
	buf_release(&c.log);
}

static void expect_error(const char *text, const char *want)
{
	expect_error_len(text, strlen(text), want);
}

static void test_sections(void **state)
{
	(void)state;
	expect_entries("", "");
	expect_entries("[due]\n", "");
	expect_entries("[due]\nimmediate = 2\n[assess]\nkev = yes\n[due]\ndefer=90",
		       "[due] immediate=<2> @2\n[assess] kev=<yes> @4\n[due] defer=<90> @6\n");
	expect_entries("[group \"web-1.eu_x\"]\nimmediate = 1\n[ group  \"db\" ]\na=b\n",
		       "[group/web-1.eu_x] immediate=<1> @2\n[group/db] a=<b> @4\n");
	/* case is kept; the caller decides what it accepts */
	expect_entries("[Due]\nImmediate = X\n", "[Due] Immediate=<X> @2\n");
	expect_entries("[a] # comment\nk=v\n[b \"c\"];x\nk=w\n", "[a] k=<v> @2\n[b/c] k=<w> @4\n");
	/* a header clears the subsection of the one before */
	expect_entries("[a \"x\"]\n[a]\nk=v\n", "[a] k=<v> @3\n");
}

static void test_values(void **state)
{
	(void)state;
	expect_entries("[s]\n  k  =  a b  \t\n", "[s] k=<a b> @2\n");
	expect_entries("[s]\nk =\nj=   \n", "[s] k=<> @2\n[s] j=<> @3\n");
	expect_entries("[s]\nk = a#b;c\n", "[s] k=<a#b;c> @2\n");
	expect_entries("[s]\nk = a # comment\nj = b\t; comment\n", "[s] k=<a> @2\n[s] j=<b> @3\n");
	expect_entries("[s]\nk = # only a comment\nj=;x\n", "[s] k=<> @2\n[s] j=<> @3\n");
	expect_entries("[s]\nk = \"a # b ; c \"  # comment\n", "[s] k=<a # b ; c > @2\n");
	expect_entries("[s]\nk = \"say \\\"hi\\\" \\\\o/\"\n", "[s] k=<say \"hi\" \\o/> @2\n");
	expect_entries("[s]\nk = \"\"\nj=\"x\";c\n", "[s] k=<> @2\n[s] j=<x> @3\n");
	expect_entries("[s]\nk = C:\\dir\n", "[s] k=<C:\\dir> @2\n");
	expect_entries("[s]\nk = caf\xc3\xa9\n", "[s] k=<caf\xc3\xa9> @2\n");
}

static void test_comments_and_blanks(void **state)
{
	(void)state;
	expect_entries("# top\n; also\n\n   \n\t# indented\n[s]\n# k = v\nk = v\n",
		       "[s] k=<v> @8\n");
	expect_entries("#\n;\n[s]\nk=v", "[s] k=<v> @4\n");
}

static void test_line_endings(void **state)
{
	(void)state;
	expect_entries("[s]\r\nk = v\r\nj = \"q\"\r\n\r\n", "[s] k=<v> @2\n[s] j=<q> @3\n");
	expect_entries("[s]\nk = v\r", "[s] k=<v> @2\n");
	expect_entries("\xef\xbb\xbf[s]\nk=v\n", "[s] k=<v> @2\n");
	expect_error("[s]\nk = v\rj = w\n", "t.conf:2: control byte \\x0d in line");
	expect_error("[s]\nk = v\r\r\n", "t.conf:2: control byte \\x0d in line");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error_len("[s]\nk = a\0b\n", 10, "t.conf:2: NUL byte in line");
	expect_error_len("# \0\n", 4, "t.conf:1: NUL byte in line");
	expect_error("[s]\n\nk = \x1b[31m\n", "t.conf:3: control byte \\x1b in line");
	expect_error("[s]\nk = \x7f\n", "t.conf:2: control byte \\x7f in line");
	expect_error("# intro\nk = v\n",
		     "t.conf:2: key 'k' outside any section (expected a [section] line before it)");
	expect_error("[s]\nk\n", "t.conf:2: malformed line 'k' (expected key = value, a [section] "
				 "or a comment)");
	expect_error("[s]\n= v\n", "t.conf:2: malformed line '= v' (expected key = value, a "
				   "[section] or a comment)");
	expect_error("[s]\nmy key = v\n", "t.conf:2: malformed line 'my key = v' (expected key = "
					  "value, a [section] or a comment)");
	expect_error("[s]\nk.x = v\n", "t.conf:2: malformed line 'k.x = v' (expected key = value, "
				       "a [section] or a comment)");
	expect_error("[s]\nk = \"abc\n", "t.conf:2: unterminated quote in the value of 'k'");
	expect_error("[s]\nk = \"abc\\\n", "t.conf:2: unterminated quote in the value of 'k'");
	expect_error("[s]\nk = \"a\\nb\"\n", "t.conf:2: unknown escape '\\n' in the value of 'k' "
					     "(only \\\" and \\\\ are escapes)");
	expect_error("[s]\nk = \"a\" b\n",
		     "t.conf:2: text 'b' after the closing quote of the value of 'k'");
	expect_error("[s]\nk = a \"b\"\n",
		     "t.conf:2: '\"' inside the unquoted value of 'k' (quote the whole value)");
}

static void test_header_errors(void **state)
{
	static const char *const bad[] = {
		"[]", "[s", "[s] x", "[s \"\"]", "[s \"a b\"]", "[s \"x]", "[s x]", "[s \"x\" y]",
		"[s.t]", "[s \"x\"", "[s \"a/b\"]",
	};
	char text[64], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "# c\n%s\nk=v\n", bad[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: malformed section header '%s' (expected [name] or [name "
			 "\"subsection\"]; names of A-Z a-z 0-9 -, subsections of A-Z a-z 0-9 . _ -)",
			 bad[i]);
		expect_error(text, want);
	}
}

/* A string of n copies of c, heap-allocated. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_name_limits(void **state)
{
	char *name63 = repeat('n', 63), *name64 = repeat('n', 64);
	char text[256], want[512];

	(void)state;
	snprintf(text, sizeof(text), "[%s \"%s\"]\n%s = v\n", name63, name63, name63);
	snprintf(want, sizeof(want), "[%s/%s] %s=<v> @2\n", name63, name63, name63);
	expect_entries(text, want);
	snprintf(text, sizeof(text), "[%s]\n", name64);
	snprintf(want, sizeof(want), "t.conf:1: section name '%s' longer than 63 bytes", name64);
	expect_error(text, want);
	snprintf(text, sizeof(text), "[s \"%s\"]\n", name64);
	snprintf(want, sizeof(want), "t.conf:1: subsection '%s' longer than 63 bytes", name64);
	expect_error(text, want);
	snprintf(text, sizeof(text), "[s]\n%s = v\n", name64);
	snprintf(want, sizeof(want), "t.conf:2: key '%s' longer than 63 bytes", name64);
	expect_error(text, want);
	free(name63);
	free(name64);
}

static void test_value_limit(void **state)
{
	char *v1024 = repeat('v', 1024), *v1025 = repeat('v', 1025);
	char *text = malloc(2200), *want = malloc(2200);

	(void)state;
	assert_non_null(text);
	assert_non_null(want);
	snprintf(text, 2200, "[s]\nk = %s\nq = \"%s\"\n", v1024, v1024);
	snprintf(want, 2200, "[s] k=<%s> @2\n[s] q=<%s> @3\n", v1024, v1024);
	expect_entries(text, want);
	snprintf(text, 2200, "[s]\nk = %s\n", v1025);
	expect_error(text, "t.conf:2: value of 'k' longer than 1024 bytes");
	snprintf(text, 2200, "[s]\n\nk = \"%s\"\n", v1025);
	expect_error(text, "t.conf:3: value of 'k' longer than 1024 bytes");
	free(v1024);
	free(v1025);
	free(text);
	free(want);
}

/* Lines of exactly 4096 bytes pass, with LF or CRLF; 4097 do not. */
static void test_line_limit(void **state)
{
	char *pad = repeat(' ', 4096 - 9), *comment = repeat('#', 4097);
	char *text = malloc(8400);

	(void)state;
	assert_non_null(text);
	snprintf(text, 8400, "[s]\nk = v%s # x\r\n", pad); /* "k = v" + pad + " # x" */
	expect_entries(text, "[s] k=<v> @2\n");
	comment[4096] = '\0';
	snprintf(text, 8400, "[s]\n%s\nk=v", comment);
	expect_entries(text, "[s] k=<v> @3\n");
	comment[4096] = '#';
	snprintf(text, 8400, "[s]\nk=v\n%s\nj=w\n", comment);
	expect_error(text, "t.conf:3: line longer than 4096 bytes");
	snprintf(text, 8400, "[s]\n%s", comment);
	expect_error(text, "t.conf:2: line longer than 4096 bytes");
	free(pad);
	free(comment);
	free(text);
}

static void test_text_limit(void **state)
{
	char *text = repeat('\n', INI_TEXT_MAX + 1);

	(void)state;
	memcpy(text, "[s]\nk=v\n", 8);
	text[INI_TEXT_MAX] = '\0';
	expect_entries(text, "[s] k=<v> @2\n");
	text[INI_TEXT_MAX] = '\n';
	expect_error_len(text, INI_TEXT_MAX + 1, "t.conf: longer than 1048576 bytes");
	free(text);
}

static void test_callback_stops(void **state)
{
	struct collect c = { .stop_at = 2 };
	const char *text = "[s]\na=1\nb=2\nc=3\n";
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_len(text, strlen(text), &c, &e), ERR_DB);
	assert_string_equal(e.msg, "callback says no");
	assert_string_equal(c.log.data, "[s] a=<1> @2\n");
	assert_int_equal(c.n, 2);
	buf_release(&c.log);
}

static void test_file_name(void **state)
{
	struct err e = { "" };

	(void)state;
	assert_int_equal(ini_parse("k=v", 3, NULL, collect_entry, NULL, &e), ERR_INPUT);
	assert_string_equal(e.msg,
			    "<input>:1: key 'k' outside any section (expected a [section] line before it)");
	assert_int_equal(ini_parse(NULL, 0, "x", collect_entry, NULL, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_value_limit),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_file_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
