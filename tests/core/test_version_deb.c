/*
 * Unit tests for the Debian version comparator and validity check
 * (src/core/version_deb.c).
 *
 * Most of the weight is in the shared vector files (dpkg's and OSV's
 * expected orderings): every row is checked in both directions, on heap
 * copies of exactly the version's length, so that AddressSanitizer flags
 * any read past the explicit length. The hand-written cases cover what the
 * vectors do not: huge numbers, dpkg's leniencies (checked against the
 * real `dpkg --compare-versions`), and the validity reasons.
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
	int rc = sign(deb_vercmp(ca, alen, cb, blen));

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
 * Splits a TSV row "a<TAB>b<TAB>expected[<TAB>...]" in place and checks
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
 * Checks every row of a vector file after its header, and that it has at
 * least min_rows: a truncated file must not pass by checking nothing.
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
		if (++lineno == 1 || !line[0])
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

static void test_dpkg_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/dpkg_version_compare.tsv", 40);
}

static void test_dpkg_edge_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/dpkg_version_edge_cases.tsv", 30);
}

static void test_osv_vectors(void **state)
{
	(void)state;
	run_tsv("vectors/osv_debian_version_compare.tsv", 14000);
}

/*
 * The OSV ordered-versions files hold one comparison per line, "a OP b"
 * with OP one of < = >, in groups separated by blank lines ('#' starts a
 * comment in this file family). Versions contain no spaces.
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

static void run_ordered(const char *rel, size_t min_rows)
{
	const char *path = shared_path(rel);
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0, rows = 0, bad = 0;

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
	assert_true(rows >= min_rows);
}

static void test_ordered_versions(void **state)
{
	(void)state;
	run_ordered("vectors/ordered-versions/debian-versions.txt", 25);
	run_ordered("vectors/ordered-versions/debian-versions-generated.txt", 14000);
}

/* Versions chosen to hit every branch of the comparison. */
static const char *const tricky[] = {
	"", "~", "~~", "0", "00", "0:0", "0-0", "0~", "0+", "0.", "0a", "0A",
	"1", "1.0", "1.00", "1.0~", "1.0~~", "1.0~~a", "1.0a", "1.0+", "1.0.",
	"1.0-1", "1.0-1~", "1.0-1.1", "1.0-1+b1", "1.0-0", "1.0-~", "1:0",
	"1:1.0", "01:1.0", "2:0.1", "10:0", "9:9", "1.0-1-1", "1.0-1-1~",
	"1:1:1", "1.0^1", "a", "b", "Z", "1.0\xc3\xa9", "1.0$", " 1.0",
	"1.000000000000000000000000000001", "1.1", "1.10", "1.9", "1.09",
	"3.0.11-1~deb12u2", "3.0.11-1~deb12u1", "3.0.11-1", "3.0.11-1+deb12u1",
	"1-2:3", "1-2:3-4", "-", ":", "-:", ":-",	/* '-' before the epoch's ':' */
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
			assert_int_equal(r[i][j], -r[j][i]);
			for (size_t k = 0; k < NTRICKY; k++) {
				if (r[i][j] <= 0 && r[j][k] <= 0 && r[i][k] > 0)
					fail_msg("'%s' <= '%s' <= '%s' but not transitive",
						 tricky[i], tricky[j], tricky[k]);
			}
		}
	}
}

/* Digit runs and epochs of any length, compared without conversion. */
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
	assert_int_equal(cmp("1.18446744073709551616", "1.18446744073709551615"), 1);
	assert_int_equal(cmp("99999999999999999999999:1", "99999999999999999999998:9"), 1);
	assert_int_equal(cmp("00000000000000000000000001:1.0", "1:1.0"), 0);
	assert_int_equal(cmp("4294967296:0", "4294967295:9"), 1);
}

/* Only the given length counts, whatever follows it in memory. */
static void test_explicit_lengths(void **state)
{
	(void)state;
	assert_int_equal(cmp_len("1.0-1junk", 5, "1.0-1", 5), 0);
	assert_int_equal(cmp_len("1.0~rc1", 3, "1.0", 3), 0);
	assert_int_equal(cmp_len("1:2.0", 1, "1", 1), 0);
	assert_int_equal(cmp_len("1.0-", 3, "1.0-0", 5), 0);
	/* A NUL inside the length is a byte, not the end. */
	assert_int_equal(cmp_len("1.0\0", 4, "1.0", 3), 1);
	assert_int_equal(cmp_len("1.0\0", 4, "1.0\0", 4), 0);
	/* An empty slice may come as NULL. */
	assert_true(deb_vercmp(NULL, 0, "0", 1) < 0);
	assert_int_equal(deb_vercmp(NULL, 0, NULL, 0), 0);
	assert_false(deb_version_valid(NULL, 0, NULL));
}

/*
 * What `dpkg --compare-versions` 1.21 answers for strings it accepts with
 * a warning or after trimming, and for empty strings ("none", below all).
 * Each expectation was checked against the dpkg binary.
 */
static void test_dpkg_leniency(void **state)
{
	(void)state;
	assert_int_equal(cmp("1.0 ", "1.0"), 0);
	assert_int_equal(cmp(" \t1.0", "1.0"), 0);
	assert_int_equal(cmp("+1:1.0", "1:1.0"), 0);
	assert_int_equal(cmp("\n1:1.0", "1:1.0"), 0);
	assert_int_equal(cmp("1.0\xc3\xa9", "1.0+"), -1);
	assert_int_equal(cmp("1.0a", "1.0\xc3\xa9"), -1);
	assert_int_equal(cmp("1.0$", "1.0+"), -1);
	assert_int_equal(cmp("1.0^1", "1.0"), 1);
	assert_int_equal(cmp("a", "b"), -1);
	assert_int_equal(cmp("", "0"), -1);
	assert_int_equal(cmp("", "~"), -1);
	assert_int_equal(cmp("", ""), 0);
	assert_int_equal(cmp("0", "0:0-0"), 0);
}

struct validity_case {
	const char *v;
	size_t len;
	const char *reason;	/* NULL: valid */
};

#define VC(s, r) { s, sizeof(s) - 1, r }

static const struct validity_case validity_cases[] = {
	VC("1:2.3-4", NULL),
	VC("0", NULL),
	VC("3.0.11-1~deb12u2", NULL),
	VC("1:1.2-3-4", NULL),			/* '-' in upstream: revision is after the last */
	VC("1:1:2", NULL),			/* ':' in upstream once there is an epoch */
	VC("007:1.0", NULL),
	VC("2147483647:1", NULL),
	VC("1.0+dfsg~rc1-0ubuntu1.2", NULL),
	VC("", "version string is empty"),
	VC("a1.0", "upstream version does not start with a digit"),
	VC(":1.0", "epoch is empty"),
	VC("a:1.0", "epoch is not a number"),
	VC("+1:1.0", "epoch is not a number"),	/* dpkg's strtol takes it; we do not */
	VC("2147483648:1", "epoch is too big"),
	VC("1:", "nothing after the epoch colon"),
	VC("1.0-", "revision is empty"),
	VC("-1", "upstream version is empty"),
	VC("1:-1", "upstream version is empty"),
	VC("1.0 ", "version string contains white space or control characters"),
	VC(" 1.0", "version string contains white space or control characters"),
	VC("1.0\t", "version string contains white space or control characters"),
	VC("1.0\x01", "version string contains white space or control characters"),
	VC("1.0\0", "version string contains white space or control characters"),
	VC("1.0_1", "invalid character in upstream version"),
	VC("1.0^1", "invalid character in upstream version"),
	VC("1.0\xc3\xa9", "invalid character in upstream version"),
	VC("1.0-1_2", "invalid character in revision"),
	VC("1:1.0-1:2", "invalid character in revision"),
};

static void test_validity(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(validity_cases) / sizeof(validity_cases[0]); i++) {
		const struct validity_case *c = &validity_cases[i];
		const char *reason = "untouched";
		char *v = exact_copy(c->v, c->len);
		bool ok = deb_version_valid(v, c->len, &reason);

		free(v);
		if (!c->reason) {
			if (!ok)
				fail_msg("'%s' should be valid, got '%s'", c->v, reason);
			assert_string_equal(reason, "untouched");
		} else {
			if (ok)
				fail_msg("'%s' should be invalid (%s)", c->v, c->reason);
			assert_string_equal(reason, c->reason);
		}
	}
	assert_false(deb_version_valid("", 0, NULL));
	assert_true(deb_version_valid("1.0-1", 5, NULL));
}

int main(void)
{
	static const char *const files[] = {
		"vectors/dpkg_version_compare.tsv",
		"vectors/dpkg_version_edge_cases.tsv",
		"vectors/osv_debian_version_compare.tsv",
		"vectors/ordered-versions/debian-versions.txt",
		"vectors/ordered-versions/debian-versions-generated.txt",
	};
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_vectors),
		cmocka_unit_test(test_dpkg_edge_vectors),
		cmocka_unit_test(test_osv_vectors),
		cmocka_unit_test(test_ordered_versions),
		cmocka_unit_test(test_order_properties),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_explicit_lengths),
		cmocka_unit_test(test_dpkg_leniency),
		cmocka_unit_test(test_validity),
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!shared_path(files[i]))
			return 77;
	return cmocka_run_group_tests_name("version_deb", tests, NULL, NULL);
}
