/*
 * Unit tests for the RPM version comparator (src/core/version_rpm.c).
 *
 * Most of the weight is in the shared vector files (rpm's own test suite,
 * OSV's and other scanners' expected orderings): every row is checked in
 * both directions and each side against itself, on heap copies of
 * exactly the version's length, so that AddressSanitizer flags any read
 * past the explicit length. The hand-written cases cover what the vectors
 * do not: how parseEVR() cuts odd strings, huge numbers, bytes rpm skips,
 * and the two inputs rpm itself cannot answer (the empty string, NUL).
 * tests/core/rpm_differential.sh checks many more pairs against rpm.
 *
 * Needs ../shared/data (or $HFX_SHARED_DATA); exits 77 (skip) without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "core/version.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static int cmp_len(const char *a, size_t alen, const char *b, size_t blen)
{
	char *ca = exact_copy(a, alen), *cb = exact_copy(b, blen);
	int rc = sign(rpm_vercmp(ca, alen, cb, blen));

	free(ca);
	free(cb);
	return rc;
}

static int cmp(const char *a, const char *b)
{
	return cmp_len(a, strlen(a), b, strlen(b));
}

/*
 * Checks a op b both ways and each side against itself; prints the row
 * on a mismatch so that one run shows every failing row.
 */
static bool check_pair(const char *a, const char *b, int expected,
		       const char *file, size_t lineno)
{
	int ab = cmp(a, b), ba = cmp(b, a);

	if (ab == expected && ba == -expected && cmp(a, a) == 0 && cmp(b, b) == 0)
		return true;
	fprintf(stderr, "MISMATCH %s:%zu: '%s' vs '%s': expected %d, got %d (reverse %d)\n",
		file, lineno, a, b, expected, ab, ba);
	return false;
}

static void chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
}

static bool parse_expected(const char *s, int *ret)
{
	if (!strcmp(s, "-1"))
		*ret = -1;
	else if (!strcmp(s, "0"))
		*ret = 0;
	else if (!strcmp(s, "1"))
		*ret = 1;
	else
		return false;
	return true;
}

/*
 * Splits a TSV row "a<TAB>b<TAB>expected[<TAB>note]" in place and checks
 * it; a malformed row is a failure too.
 */
static bool check_tsv_row(char *line, const char *file, size_t lineno)
{
	char *a = line, *b, *e, *rest;
	int expected;

	b = strchr(a, '\t');
	if (!b)
		goto bad;
	*b++ = '\0';
	e = strchr(b, '\t');
	if (!e)
		goto bad;
	*e++ = '\0';
	rest = strchr(e, '\t');
	if (rest)
		*rest = '\0';
	if (!parse_expected(e, &expected))
		goto bad;
	return check_pair(a, b, expected, file, lineno);
bad:
	fprintf(stderr, "MALFORMED %s:%zu\n", file, lineno);
	return false;
}

/*
 * Checks every row of a vector file after its header line "a b expected
 * ...", and that it has at least min_rows: a truncated file must not pass
 * by checking nothing.
 */
static void run_tsv(const char *rel, size_t min_rows)
{
	const char *path = shared_path(rel);
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0, rows = 0, bad = 0;

	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		chomp(line);
		if (++lineno == 1) {
			assert_true(!strncmp(line, "a\tb\texpected", 12));
			continue;
		}
		if (!line[0])
			continue;
		rows++;
		if (!check_tsv_row(line, rel, lineno))
			bad++;
	}
	free(line);
	fclose(f);
	fprintf(stderr, "%s: %zu rows, %zu mismatches\n", rel, rows, bad);
	assert_int_equal(bad, 0);
	assert_true(rows >= min_rows);
}

static void test_rpm_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/rpm_vercmp.tsv", 91);
}

static void test_rpm_edge_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/rpm_evr_edge_cases.tsv", 19);
}

static void test_osv_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/osv_redhat_version_compare.tsv", 165);
}

/*
 * The OSV ordered-versions file holds one comparison per line, "a OP b"
 * with OP one of < = >, in groups separated by blank lines; '#' starts a
 * comment line. Versions contain no spaces.
 */
static bool check_ordered_line(char *line, const char *file, size_t lineno)
{
	char *op = strchr(line, ' ');
	char *b = strrchr(line, ' ');
	int expected;

	if (!op || b != op + 2 || op[2] != ' ')
		goto bad;
	*op = '\0';
	switch (op[1]) {
	case '<': expected = -1; break;
	case '=': expected = 0; break;
	case '>': expected = 1; break;
	default: goto bad;
	}
	return check_pair(line, b + 1, expected, file, lineno);
bad:
	fprintf(stderr, "MALFORMED %s:%zu\n", file, lineno);
	return false;
}

static void test_ordered_versions(void **state)
{
	static const char rel[] = "vectors/ordered-versions/redhat-versions.txt";
	const char *path = shared_path(rel);
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0, rows = 0, bad = 0;

	(void)state;
	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		rows++;
		if (!check_ordered_line(line, rel, lineno))
			bad++;
	}
	free(line);
	fclose(f);
	fprintf(stderr, "%s: %zu comparisons, %zu mismatches\n", rel, rows, bad);
	assert_int_equal(bad, 0);
	assert_true(rows >= 160);
}

struct pair_case {
	const char *a, *b;
	int expected;
};

/*
 * How rpm 4.18 cuts and orders strings the vectors leave out. Every
 * expectation is what `rpm --eval '%{lua: print(rpm.vercmp(a, b))}'`
 * printed.
 */
static const struct pair_case rpm_cases[] = {
	/* A missing release is older than any release, even an empty one. */
	{ "1.0", "1.0-1", -1 },
	{ "1", "1-", -1 },
	{ "1-", "1-0", -1 },
	{ "1.0-1", "1.0-1~", 1 },
	/* Epochs: empty reads as 0, numeric order, no overflow. */
	{ ":1", "0:1", 0 },
	{ ":", "0:", 0 },
	{ "2:1", "10", 1 },
	{ "4294967296:1", "4294967295:9", 1 },
	{ "00000000000000000000001:1", "1:1", 0 },
	/* Only leading digits make an epoch; the release follows the last '-'. */
	{ "a:1", "0:a.1", 0 },
	{ "1:2:3", "1:2.3", 0 },
	{ "1-2:3", "1-2", 1 },		/* version "1", release "2:3" */
	{ "1-2:3", "1-2:4", -1 },
	{ "1.0-1-2", "1.0-1.2", 1 },	/* version "1.0-1" */
	{ "1.0-1-2", "1.0.1-2", 0 },
	{ "-", ":", 1 },
	{ "-1", "0-1", -1 },
	{ "-", "-~", 1 },
	/* Digit runs of any length; '0' and "00" are both zero. */
	{ "1.18446744073709551616", "1.18446744073709551615", 1 },
	{ "0", "00", 0 },
	/* '~' before everything, '^' after the end but before the rest. */
	{ "1.0~", "1.0", -1 },
	{ "1.0~", "1.0~~", 1 },
	{ "1.0^", "1.0~", 1 },
	{ "1.0^~", "1.0^", -1 },
	{ "1.0^^", "1.0^", 1 },
	{ "1.0^a", "1.0^1", -1 },
	{ "~", "-", -1 },
	{ "~", "1", -1 },
	{ "^", "~", 1 },
	{ "^", "-", 1 },
	{ "1^", "1-", 1 },
	/* Letters: byte order (upper case first), a prefix sorts first. */
	{ "1.0a", "1.01", -1 },
	{ "a", "B", 1 },
	{ "A", "a", -1 },
	{ "x", "X", 1 },
	{ "abc", "ab", 1 },
	/* Every other byte only separates, UTF-8 included. */
	{ "1.0\xc3\xa9", "1.0", 0 },
	{ "1.0\xc3\xa9" "1", "1.0.1", 0 },
	{ "1 0", "1.0", 0 },
	{ "1.0-1.el9_3", "1.0-1.el9.3", 0 },
};

static void test_rpm_cases(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rpm_cases) / sizeof(rpm_cases[0]); i++)
		if (!check_pair(rpm_cases[i].a, rpm_cases[i].b, rpm_cases[i].expected,
				"rpm_cases", i))
			bad++;
	assert_int_equal(bad, 0);
}

/* Versions chosen to hit every branch of the split and the comparison. */
static const char *const tricky[] = {
	"", ":", "-", ":-", "-:", "~", "^", "~~", "^^", "~^", "^~", "0", "00",
	"0:", "0:0", "0-0", "0~", "0^", "0.", "0a", "0A", "a", "A", "Z", "z",
	"1", "1.0", "1.00", "1.0~", "1.0~~", "1.0~~a", "1.0^", "1.0^^",
	"1.0^~", "1.0~^", "1.0a", "1.0+", "1.0.", "1.0_1", "1.0-1", "1.0-1~",
	"1.0-1^", "1.0-1.1", "1.0-1.el9", "1.0-1.el9_3", "1.0-0", "1.0-",
	"1.0-~", "1:0", "1:1.0", "01:1.0", "2:0.1", "10:0", "9:9", "1.0-1-1",
	"1:1:1", "1-2:3", "a:1", "a1:1", "1.0\xc3\xa9", "1.0\x80" "1",
	"1.000000000000000000000000000001", "1.1", "1.10", "1.9", "1.09",
	"3.0.7-27.el9", "1:3.0.7-24.el9", "3.0.7-27.el9_3", "5.14.0-362.8.1.el9_3",
};

#define NTRICKY (sizeof(tricky) / sizeof(tricky[0]))

/* Sorting relies on a consistent order: antisymmetry and transitivity. */
static void test_order_properties(void **state)
{
	int r[NTRICKY][NTRICKY];

	(void)state;
	for (size_t i = 0; i < NTRICKY; i++) {
		for (size_t j = 0; j < NTRICKY; j++)
			r[i][j] = cmp(tricky[i], tricky[j]);
		assert_int_equal(r[i][i], 0);
	}
	for (size_t i = 0; i < NTRICKY; i++) {
		for (size_t j = 0; j < NTRICKY; j++) {
			if (r[i][j] != -r[j][i])
				fail_msg("'%s' vs '%s' is not antisymmetric", tricky[i], tricky[j]);
			for (size_t k = 0; k < NTRICKY; k++) {
				if (r[i][j] <= 0 && r[j][k] <= 0 && r[i][k] > 0)
					fail_msg("'%s' <= '%s' <= '%s' but not transitive",
						 tricky[i], tricky[j], tricky[k]);
			}
		}
	}
}

/* Digit runs and epochs far beyond 64 bits, compared without conversion. */
static void test_huge_numbers(void **state)
{
	char a[1200], b[1200];

	(void)state;
	memset(a, '9', 1000);
	memcpy(b, a, 1000);
	b[999] = '8';
	assert_int_equal(cmp_len(a, 1000, b, 1000), 1);
	assert_int_equal(cmp_len(b, 1000, a, 1000), -1);
	/* One more digit wins, however large the shorter run is. */
	assert_int_equal(cmp_len(a, 999, "1000", 4), 1);
	memset(a, '0', 1000);
	a[1000] = '7';
	assert_int_equal(cmp_len(a, 1001, "7", 1), 0);
	/* The same as epochs: 1000 zeros then 7, and ":1". */
	a[1001] = ':';
	a[1002] = '1';
	assert_int_equal(cmp_len(a, 1003, "7:1", 3), 0);
	assert_int_equal(cmp_len(a, 1003, "6:9", 3), 1);
	assert_int_equal(cmp("99999999999999999999999:1", "99999999999999999999998:9"), 1);
}

/* Only the given length counts, whatever follows it in memory. */
static void test_explicit_lengths(void **state)
{
	(void)state;
	assert_int_equal(cmp_len("1.0-1junk", 5, "1.0-1", 5), 0);
	assert_int_equal(cmp_len("1.0~rc1", 3, "1.0", 3), 0);
	assert_int_equal(cmp_len("1.0^git1", 3, "1.0", 3), 0);
	assert_int_equal(cmp_len("1:2.0", 1, "1", 1), 0);
	assert_int_equal(cmp_len("1:2.0", 2, "0:", 2), 1);	/* "1:" */
	assert_int_equal(cmp_len("1.0-2", 4, "1.0-", 4), 0);
	assert_int_equal(cmp_len("1.0-2", 3, "1.0-", 4), -1);	/* no release */
	assert_int_equal(cmp_len("10", 1, "1", 1), 0);
	/* An empty slice may come as NULL. */
	assert_true(rpm_vercmp(NULL, 0, "0", 1) < 0);
	assert_true(rpm_vercmp("~", 1, NULL, 0) < 0);
	assert_int_equal(rpm_vercmp(NULL, 0, NULL, 0), 0);
	assert_int_equal(rpm_vercmp(NULL, 0, ":", 1), 0);
}

/*
 * Inputs rpm.vercmp() cannot answer. rpm raises an error on the empty
 * string; we read it as parseEVR() would, the same as ":" (empty version,
 * no release). And rpm sees a C string, so it stops at the first NUL
 * (rpm.vercmp("1\0a", "1") is 0, checked): we stop there too.
 */
static void test_beyond_rpm(void **state)
{
	(void)state;
	assert_int_equal(cmp("", ""), 0);
	assert_int_equal(cmp("", ":"), 0);
	assert_int_equal(cmp("", "0:"), 0);
	assert_int_equal(cmp("", "0"), -1);
	assert_int_equal(cmp("", "-"), -1);
	assert_int_equal(cmp("", "~"), 1);
	assert_int_equal(cmp("", "^"), -1);
	assert_int_equal(cmp_len("1\0a", 3, "1", 1), 0);
	assert_int_equal(cmp_len("1.0-1\0-9", 8, "1.0-1", 5), 0);
	assert_int_equal(cmp_len("2\0", 2, "1\0", 2), 1);
	assert_int_equal(cmp_len("\0" "9", 2, "", 0), 0);
	assert_int_equal(cmp_len("1:\0" "2", 4, "1:", 2), 0);
}

int main(void)
{
	static const char *const files[] = {
		"vectors/rpm_vercmp.tsv",
		"vectors/rpm_evr_edge_cases.tsv",
		"vectors/osv_redhat_version_compare.tsv",
		"vectors/ordered-versions/redhat-versions.txt",
	};
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpm_vectors),
		cmocka_unit_test(test_rpm_edge_vectors),
		cmocka_unit_test(test_osv_vectors),
		cmocka_unit_test(test_ordered_versions),
		cmocka_unit_test(test_rpm_cases),
		cmocka_unit_test(test_order_properties),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_explicit_lengths),
		cmocka_unit_test(test_beyond_rpm),
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!shared_path(files[i]))
			return 77;
	return cmocka_run_group_tests_name("version_rpm", tests, NULL, NULL);
}
