/* hosts.csv: RFC 4180 quoting, header mapping, clearing, every error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "inventory/hosts_csv.h"
#include "testutil.h"

struct seen {
	int n;
	char names[8][64];
	struct host_attrs attrs[8];
	long lines[8];
};

static int collect(const char *name, const struct host_attrs *a, long line, void *ctx,
		   struct err *e)
{
	struct seen *s = ctx;

	(void)e;
	assert_true(s->n < 8);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	s->attrs[s->n] = *a;
	s->lines[s->n++] = line;
	return 0;
}

static int parse(const char *text, struct seen *s, struct err *e)
{
	char *copy = exact_copy(text, strlen(text));
	int rc;

	memset(s, 0, sizeof(*s));
	e->msg[0] = '\0';
	rc = hosts_csv_parse(copy, strlen(text), collect, s, e);
	free(copy);
	return rc;
}

static void test_rows(void **state)
{
	struct seen s;
	struct err e;

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbfname,exposure,tags,group\r\n"
			       "web1,dmz,\"role=web,pci\",\r\n"
			       "\n"
			       "\"db1\",internal,,\"db\"\r\n", &s, &e), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "web1");
	assert_string_equal(s.attrs[0].value[HOST_ATTR_EXPOSURE], "dmz");
	assert_string_equal(s.attrs[0].value[HOST_ATTR_TAGS], "pci,role=web");
	assert_true(s.attrs[0].set[HOST_ATTR_GROUP]);           /* empty cell: clear */
	assert_string_equal(s.attrs[0].value[HOST_ATTR_GROUP], "");
	assert_false(s.attrs[0].set[HOST_ATTR_CRITICALITY]);    /* no column: untouched */
	assert_int_equal(s.lines[1], 4);
	assert_string_equal(s.names[1], "db1");
	assert_string_equal(s.attrs[1].value[HOST_ATTR_GROUP], "db");
	/* A header alone is no row; "host" names the first column too. */
	assert_int_equal(parse("host,ring\n", &s, &e), 0);
	assert_int_equal(s.n, 0);
}

static void test_errors(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "", "empty: no header line" },
		{ "\n\n", "empty: no header line" },
		{ "server,exposure\n", "line 1: the first column must be 'name', not 'server'" },
		{ "name,colour\n", "line 1: column 2: unknown host attribute 'colour'" },
		{ "name,ring,ring\n", "line 1: column 'ring' given twice" },
		{ "name,ring\nweb1\n", "line 2: 1 cells, the header has 2" },
		{ "name,ring\nweb1,a,b\n", "line 2: 3 cells, the header has 2" },
		{ "name,exposure\nweb1,space\n", "line 2: column 2: exposure: 'space' is not one of" },
		{ "name,ring\nweb 1,a\n", "line 2: column 1: 'web 1' is not a host name" },
		{ "name,ring\nweb1,\"a\n", "line 2: column 2: unterminated quote" },
		{ "name,ring\nweb1,\"a\"b\n", "line 2: column 2: text after the closing quote" },
		{ "name,ring\nweb1,a\"b\n", "line 2: column 2: quote inside an unquoted cell" },
		{ "name,ring,ring,ring,ring,ring,ring,ring,ring,ring\n", "line 1: more than 9 columns" },
	};
	struct seen s;
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].text, &s, &e), ERR_INPUT);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg, cases[i].msg);
	}
	{
		static char nul[] = "name,ring\nweb1,a\0b\n";

		assert_int_equal(hosts_csv_parse(nul, sizeof(nul) - 1, collect, &s, &e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "NUL byte"));
	}
}

static void test_long_cell(void **state)
{
	char text[2048];
	struct seen s;
	struct err e;

	(void)state;
	memcpy(text, "name,tags\nweb1,", 15);
	memset(text + 15, 'a', 1100);
	text[1115] = '\0';
	assert_int_equal(parse(text, &s, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "line 2: column 2: longer than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_cell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
