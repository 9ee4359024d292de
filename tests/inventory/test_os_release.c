/*
 * Unit tests for the os-release parser (src/inventory/os_release.c).
 *
 * The real file of the Debian 12 host in the shared data is parsed, and
 * this machine's own /etc/os-release and /usr/lib/os-release when they
 * exist; inline cases cover quoting, escapes, comments, which value wins,
 * and each kind of broken line, asserting the whole message. Inputs are
 * parsed from heap copies of exactly their length, so that
 * AddressSanitizer flags a read past the end.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA) for the real file; the inline
 * cases run without it, and the binary then exits 77 (skip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "inventory/os_release.h"

static bool data_skipped;

static int parse_len(const char *text, size_t len, struct os_release *ret, struct err *e)
{
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	if (len)
		memcpy(copy, text, len);
	r = os_release_parse(copy, len, "os-release", ret, e);
	free(copy);
	return r;
}

static int parse(const char *text, struct os_release *ret, struct err *e)
{
	return parse_len(text, strlen(text), ret, e);
}

static void test_real_host(void **state)
{
	const char *path = shared_path("inventories/debian12-host/os-release");
	struct os_release r;
	struct err e = { "" };
	struct buf b;

	(void)state;
	if (!path) {
		data_skipped = true;
		return;
	}
	buf_init(&b, OS_RELEASE_MAX);
	if (buf_read_file(&b, path, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(parse_len(b.data, b.len, &r, &e), 0);
	/* As in the file: some values quoted, some bare. */
	assert_string_equal(r.id, "debian");
	assert_string_equal(r.version_id, "12");
	assert_string_equal(r.version_codename, "bookworm");
	assert_string_equal(r.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(r.id_like, "");
	buf_release(&b);
}

/*
 * Whatever this machine runs, its os-release must parse. Not shared data:
 * a machine without the files skips this case silently.
 */
static void test_this_machine(void **state)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	struct os_release r;
	struct err e = { "" };
	struct buf b;

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "r");

		if (!f)
			continue;
		fclose(f);
		buf_init(&b, OS_RELEASE_MAX);
		if (buf_read_file(&b, paths[i], &e))
			fail_msg("%s", e.msg);
		if (parse_len(b.data, b.len, &r, &e))
			fail_msg("%s: %s", paths[i], e.msg);
		assert_true(r.id[0] != '\0');
		buf_release(&b);
	}
}

static void test_quoting(void **state)
{
	struct os_release r;
	struct err e = { "" };
	static const char text[] =
		"# a comment\n"
		"\n"
		"   \t\n"
		"  # an indented comment\n"
		"NAME=\"Fedora Linux\"\n"
		"ID=fedora\n"
		"VERSION_ID='38'\n"
		/* Escapes inside double quotes; any other backslash stays. */
		"PRETTY_NAME=\"say \\\"hi\\\" \\\\ \\$HOME \\`x\\` \\n\"\n"
		/* No escapes at all inside single quotes. */
		"ID_LIKE='rhel \\\"centos\\\"'\n"
		/* Bare: a backslash escapes the next byte; trailing blanks and a
		 * comment go. */
		"VERSION_CODENAME=a\\ b\\\\c   # comment\n"
		"UNKNOWN_KEY=\"anything at all, even \\\"this\\\"\"\n"
		"  SPACED_KEY = \"blanks around '=' are fine\"  # and a comment\n";

	(void)state;
	assert_int_equal(parse(text, &r, &e), 0);
	assert_string_equal(r.id, "fedora");
	assert_string_equal(r.version_id, "38");
	assert_string_equal(r.pretty_name, "say \"hi\" \\ $HOME `x` \\n");
	assert_string_equal(r.id_like, "rhel \\\"centos\\\"");
	assert_string_equal(r.version_codename, "a b\\c");
}

/* Other distributions' files, as they ship them (abridged). */
static void test_other_distributions(void **state)
{
	struct os_release r;
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse("NAME=\"AlmaLinux\"\nVERSION=\"9.3 (Shamrock Pampas Cat)\"\n"
			       "ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n"
			       "VERSION_ID=\"9.3\"\nPLATFORM_ID=\"platform:el9\"\n"
			       "PRETTY_NAME=\"AlmaLinux 9.3 (Shamrock Pampas Cat)\"\n"
			       "CPE_NAME=\"cpe:/o:almalinux:almalinux:9::baseos\"\n", &r, &e), 0);
	assert_string_equal(r.id, "almalinux");
	assert_string_equal(r.id_like, "rhel centos fedora");
	assert_string_equal(r.version_id, "9.3");
	assert_string_equal(r.version_codename, "");

	assert_int_equal(parse("PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\n"
			       "VERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID=ubuntu\n"
			       "ID_LIKE=debian\nUBUNTU_CODENAME=jammy\n", &r, &e), 0);
	assert_string_equal(r.id, "ubuntu");
	assert_string_equal(r.id_like, "debian");
	assert_string_equal(r.version_codename, "jammy");

	assert_int_equal(parse("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.0\n"
			       "PRETTY_NAME=\"Alpine Linux v3.19\"\n", &r, &e), 0);
	assert_string_equal(r.id, "alpine");
	assert_string_equal(r.version_id, "3.19.0");
}

static void test_last_wins_and_absent_keys(void **state)
{
	struct os_release r;
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse("ID=first\nVERSION_ID=1\nID=\"second\"\nVERSION_ID=\n", &r, &e), 0);
	assert_string_equal(r.id, "second");
	assert_string_equal(r.version_id, "");
	assert_string_equal(r.version_codename, "");
	assert_string_equal(r.pretty_name, "");
	assert_string_equal(r.id_like, "");

	/* No final newline, CRLF line ends (systemd reads them too). */
	assert_int_equal(parse("ID_LIKE=\"suse opensuse\"\r\nID=opensuse-leap\r\nVERSION_ID=\"15.5\"",
			       &r, &e), 0);
	assert_string_equal(r.id, "opensuse-leap");
	assert_string_equal(r.version_id, "15.5");
	assert_string_equal(r.id_like, "suse opensuse");
}

/* Values exactly as long as a field holds are kept; one more byte is not. */
static void test_field_sizes(void **state)
{
	struct os_release r;
	struct err e = { "" };
	char text[400];

	(void)state;
	snprintf(text, sizeof(text), "ID=x\nVERSION_ID=%063d\n", 0);
	assert_int_equal(parse(text, &r, &e), 0);
	assert_int_equal(strlen(r.version_id), 63);

	snprintf(text, sizeof(text), "ID=x\nVERSION_ID=%064d\n", 0);
	assert_int_equal(parse(text, &r, &e), ERR_INPUT);
	assert_string_equal(e.msg, "os-release: line 2: VERSION_ID: value longer than 63 bytes");

	snprintf(text, sizeof(text), "ID=x\nPRETTY_NAME=\"%0256d\"\n", 0);
	assert_int_equal(parse(text, &r, &e), ERR_INPUT);
	assert_string_equal(e.msg, "os-release: line 2: PRETTY_NAME: value longer than 255 bytes");

	/* Trailing blanks of a bare value do not count. */
	snprintf(text, sizeof(text), "ID=x\nVERSION_ID=%063d          \n", 0);
	assert_int_equal(parse(text, &r, &e), 0);

	/* Unknown keys have no size but the file's. */
	snprintf(text, sizeof(text), "ID=x\nHOME_URL=\"%0300d\"\n", 0);
	assert_int_equal(parse(text, &r, &e), 0);
}

struct bad_case {
	const char *text;
	const char *msg;
};

static void test_bad_inputs(void **state)
{
	static const struct bad_case cases[] = {
		{ "ID=debian\nthis line has no equals sign\n",
		  "os-release: line 2: expected KEY=value, found no '='" },
		{ "ID=debian\nVERSION_ID\n",
		  "os-release: line 2: expected KEY=value, found no '='" },
		{ "ID=debian\n1KEY=x\n",
		  "os-release: line 2: invalid variable name (a letter or '_', then letters, digits and '_')" },
		{ "ID=debian\nexport NAME=x\n",
		  "os-release: line 2: export: expected '=' after the variable name" },
		{ "ID=debian\n=x\n",
		  "os-release: line 2: invalid variable name (a letter or '_', then letters, digits and '_')" },
		{ "ID=debian\nPRETTY_NAME=\"Debian\n",
		  "os-release: line 2: PRETTY_NAME: unterminated double quote" },
		{ "ID=debian\nPRETTY_NAME='Debian\n",
		  "os-release: line 2: PRETTY_NAME: unterminated single quote" },
		/* An escaped quote does not close. */
		{ "ID=debian\nNAME=\"a\\\"\n",
		  "os-release: line 2: NAME: unterminated double quote" },
		{ "ID=debian\nNAME=\"a\"b\n",
		  "os-release: line 2: NAME: text after the closing quote (concatenation is not supported)" },
		{ "ID=debian\nNAME=\"a\"#b\n",
		  "os-release: line 2: NAME: text after the closing quote (concatenation is not supported)" },
		{ "ID=debian\nNAME=\"a\" 'b'\n",
		  "os-release: line 2: NAME: text after the closing quote (concatenation is not supported)" },
		{ "ID=debian\nNAME=a\"b\"\n",
		  "os-release: line 2: NAME: quote inside an unquoted value (concatenation is not supported)" },
		{ "ID=debian\nNAME=a\\\n",
		  "os-release: line 2: NAME: backslash at the end of the line (continuation lines are not supported)" },
		{ "ID=debian\nNAME=\"a\x1b[31m\"\n",
		  "os-release: line 2: NAME: control character in value" },
		{ "VERSION_ID=12\n",
		  "os-release: no ID= line" },
		{ "ID=\n",
		  "os-release: ID is empty" },
		{ "ID=\"\"\n",
		  "os-release: ID is empty" },
		{ "ID=Debian\n",
		  "os-release: ID 'Debian' is not made of 0-9 a-z . _ -" },
		{ "ID=\"deb ian\"\n",
		  "os-release: ID 'deb ian' is not made of 0-9 a-z . _ -" },
		{ "ID=\"d\xc3\xa9\"\n",
		  "os-release: ID '(not printable)' is not made of 0-9 a-z . _ -" },
		{ "", "os-release: no ID= line" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = { "" };
		struct os_release r;
		int rc;

		rc = parse(cases[i].text, &r, &e);
		if (rc != ERR_INPUT || strcmp(e.msg, cases[i].msg))
			fail_msg("case %zu: got %d '%s'\n  expected '%s'", i, rc, e.msg, cases[i].msg);
	}
}

/* A NUL inside the data is a control character, not the end of the file. */
static void test_nul_byte(void **state)
{
	static const char text[] = "ID=deb\0ian\n";
	struct os_release r;
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_len(text, sizeof(text) - 1, &r, &e), ERR_INPUT);
	assert_string_equal(e.msg, "os-release: line 1: ID: control character in value");
}

static void test_untouched_on_failure(void **state)
{
	struct os_release r, before;
	struct err e = { "" };

	(void)state;
	memset(&r, 0xA5, sizeof(r));
	before = r;
	assert_int_equal(parse("ID=debian\nVERSION_ID=12\nNAME=\"broken\n", &r, &e), ERR_INPUT);
	assert_memory_equal(&r, &before, sizeof(r));
	assert_int_equal(parse("VERSION_ID=12\n", &r, &e), ERR_INPUT);
	assert_memory_equal(&r, &before, sizeof(r));
}

static void test_size_limit(void **state)
{
	static const char small[] = "ID=x\n";
	struct os_release r;
	struct err e = { "" };

	(void)state;
	/* The length is checked before the data is read. */
	assert_int_equal(os_release_parse(small, (size_t)OS_RELEASE_MAX + 1, "big", &r, &e),
			 ERR_NOMEM);
	assert_string_equal(e.msg, "big: larger than the limit of 64 KiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_other_distributions),
		cmocka_unit_test(test_last_wins_and_absent_keys),
		cmocka_unit_test(test_field_sizes),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_untouched_on_failure),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_real_host),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
