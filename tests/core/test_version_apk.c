/*
 * Unit tests for the Alpine (apk) version comparator and validity check
 * (src/core/version_apk.c).
 *
 * Most of the weight is in the shared vector files: apk-tools' own unit
 * data (apk_version_compare.tsv, apk_version_validity.tsv) and
 * osv-scanner's Alpine orderings (the osv_alpine_*.tsv files and the
 * ordered-versions/alpine-*.txt files hold the same comparisons in two
 * layouts). Every row is checked in both directions, on heap copies of
 * exactly the version's length, so AddressSanitizer flags any read past
 * the explicit length; mismatching rows are printed.
 *
 * The osv-scanner files were not made with one apk-tools release: their
 * generated rows follow apk <= 2.12 (a digit may follow a letter, as in
 * 5.7.1p1), some hand-written rows follow the current parser and others
 * the old one. The rows where they contradict apk-tools' current
 * src/version.c, which hfx follows, are listed below with apk's answer
 * and why; the test asserts apk's answer for them, and fails if a listed
 * row stops being a divergence or disappears, so the list cannot rot.
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
	int rc = sign(apk_vercmp(ca, alen, cb, blen));

	free(ca);
	free(cb);
	return rc;
}

static int cmp(const char *a, const char *b)
{
	return cmp_len(a, strlen(a), b, strlen(b));
}

static bool valid_len(const char *v, size_t len)
{
	char *c = exact_copy(v, len);
	bool ok = apk_version_valid(c, len);

	free(c);
	return ok;
}

static bool valid(const char *v)
{
	return valid_len(v, strlen(v));
}

/*
 * osv-scanner rows that contradict apk-tools' current version.c. "apk"
 * is what apk_version_compare() answers (and so what we answer); the
 * files expect the opposite or another order.
 */
enum vec_family { FAM_HANDWRITTEN, FAM_GENERATED };

struct divergence {
	const char *a, *b;
	int apk;
	enum vec_family fam;
	const char *why;
};

#define WHY_LETTER_DIGIT \
	"a digit after a letter (p1) is invalid since the parser rewrite; both break there, so apk says ="
#define WHY_EMPTY_NUMBER \
	"'.' or '-r' must be followed by digits; both break at the same token, so apk says ="
#define WHY_NO_DIGIT_START \
	"a version must start with a digit; both break at the first token, so apk says ="

static const struct divergence divergences[] = {
	{ "1-r", "1-r0", -1, FAM_HANDWRITTEN,
	  "bare -r is invalid (apk 2.x read it as -r0); invalid ranks below a revision" },
	{ "0..1..0", "0..1..1", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "0...1...0", "0...1...1", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "0...1...0.r1", "0...1...0.r2", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "0...1...0r1", "0...1...0r2", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "0..8", "0...8", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "0.8.21.r2", "0.8.21.r1", 0, FAM_HANDWRITTEN, WHY_EMPTY_NUMBER },
	{ "6.6.2p1", "6.6.2p2", 0, FAM_HANDWRITTEN, WHY_LETTER_DIGIT },
	{ "1-r0-1", "1-r-2", 1, FAM_HANDWRITTEN,
	  "1-r0 is read, then '-' breaks; 1-r-2 breaks one token earlier and ranks lower" },
	{ ".2", ".1", 0, FAM_HANDWRITTEN, WHY_NO_DIGIT_START },
	{ "a", "b", 0, FAM_HANDWRITTEN, WHY_NO_DIGIT_START },
	{ "c", "b", 0, FAM_HANDWRITTEN, WHY_NO_DIGIT_START },
	{ "1.9.5p1-r1", "1.9.5p2-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.7.1p1-r0", "5.7.1p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.7.1p1-r1", "5.7.1p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.7.3p1-r0", "5.7.3p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.7.3p1-r1", "5.7.3p2-r0", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.7.3p2-r0", "5.7.3p2-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.9.2p1-r0", "5.9.2p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.9.2p1-r1", "5.9.2p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "5.9.2p1-r2", "5.9.2p1-r3", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r0", "6.0.2p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r1", "6.0.2p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r2", "6.0.2p1-r3", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r3", "6.0.2p1-r4", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r4", "6.0.2p1-r5", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r5", "6.0.2p1-r6", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r6", "6.0.2p1-r7", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.2p1-r7", "6.0.2p1-r8", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.3p1-r0", "6.0.3p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.3p1-r1", "6.0.3p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.3p1-r2", "6.0.3p1-r3", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.0.3p1-r3", "6.0.3p1-r4", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.4.2p1-r0", "6.4.2p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.4.2p1-r1", "6.4.2p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.1p1-r0", "6.6.1p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.1p1-r1", "6.6.1p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.1p1-r2", "6.6.1p1-r3", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.2p1-r0", "6.6.2p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.3p1-r0", "6.6.3p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "6.6.4p1-r0", "6.6.4p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "3.3.3p1-r0", "3.3.3p1-r1", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "3.3.3p1-r1", "3.3.3p1-r2", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
	{ "3.3.3p1-r2", "3.3.3p1-r4", 0, FAM_GENERATED, WHY_LETTER_DIGIT },
};

#define NDIVERGENCES (sizeof(divergences) / sizeof(divergences[0]))

/* What one vector file's run has seen. */
struct tally {
	const char *file;
	enum vec_family fam;
	size_t rows, bad, diverged;
	unsigned hits[NDIVERGENCES];
};

static const struct divergence *find_divergence(const char *a, const char *b, size_t *ret_i)
{
	for (size_t i = 0; i < NDIVERGENCES; i++) {
		if (!strcmp(divergences[i].a, a) && !strcmp(divergences[i].b, b)) {
			*ret_i = i;
			return &divergences[i];
		}
	}
	return NULL;
}

/*
 * Checks a against b both ways and each side against itself; expected is
 * the file's answer. A listed divergence must still diverge, and then
 * apk's answer is the one asserted.
 */
static bool check_pair(struct tally *t, const char *a, const char *b, int expected, size_t lineno)
{
	int ab = cmp(a, b), ba = cmp(b, a);
	const struct divergence *d;
	size_t di;

	if (ba != -ab || cmp(a, a) || cmp(b, b)) {
		fprintf(stderr, "NOT ANTISYMMETRIC %s:%zu: '%s' vs '%s': %d, reverse %d\n",
			t->file, lineno, a, b, ab, ba);
		return false;
	}
	d = find_divergence(a, b, &di);
	if (d && d->fam == t->fam) {
		t->hits[di]++;
		t->diverged++;
		if (d->apk == expected) {
			fprintf(stderr, "STALE DIVERGENCE %s:%zu: '%s' vs '%s' now agrees with apk (%d)\n",
				t->file, lineno, a, b, expected);
			return false;
		}
		expected = d->apk;
	}
	if (ab == expected)
		return true;
	fprintf(stderr, "MISMATCH %s:%zu: '%s' vs '%s': expected %d, got %d\n",
		t->file, lineno, a, b, expected, ab);
	return false;
}

static void chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
}

/* Prints the tally and fails on any mismatch or unused divergence. */
static void finish(struct tally *t, size_t min_rows)
{
	size_t unused = 0;

	for (size_t i = 0; i < NDIVERGENCES; i++) {
		if (divergences[i].fam == t->fam && t->hits[i] != 1) {
			fprintf(stderr, "DIVERGENCE '%s' vs '%s' seen %u times in %s (expected once)\n",
				divergences[i].a, divergences[i].b, t->hits[i], t->file);
			unused++;
		}
	}
	fprintf(stderr, "%s: %zu rows, %zu mismatches, %zu documented divergences from apk-tools\n",
		t->file, t->rows, t->bad, t->diverged);
	assert_int_equal(t->bad, 0);
	assert_int_equal(unused, 0);
	assert_true(t->rows >= min_rows);
}

static FILE *open_vector(const char *rel)
{
	const char *path = shared_path(rel);
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	return f;
}

/*
 * Splits line at the first tab in place; returns the rest, or NULL when
 * there is no tab.
 */
static char *split_tab(char *line)
{
	char *tab = strchr(line, '\t');

	if (!tab)
		return NULL;
	*tab = '\0';
	return tab + 1;
}

/*
 * osv_alpine_version_compare_*.tsv: header "a b expected", then
 * "a<TAB>b<TAB>-1|0|1".
 */
static void run_osv_tsv(const char *rel, enum vec_family fam, size_t min_rows)
{
	struct tally t = { .file = rel, .fam = fam };
	FILE *f = open_vector(rel);
	char *line = NULL, *b, *e;
	size_t cap = 0, lineno = 0;
	int expected;

	while (getline(&line, &cap, f) > 0) {
		chomp(line);
		if (++lineno == 1) {
			assert_string_equal(line, "a\tb\texpected");
			continue;
		}
		if (!line[0])
			continue;
		t.rows++;
		b = split_tab(line);
		e = b ? split_tab(b) : NULL;
		if (!e || split_tab(e)) {
			fprintf(stderr, "MALFORMED %s:%zu\n", rel, lineno);
			t.bad++;
			continue;
		}
		if (!strcmp(e, "-1"))
			expected = -1;
		else if (!strcmp(e, "0"))
			expected = 0;
		else if (!strcmp(e, "1"))
			expected = 1;
		else {
			fprintf(stderr, "MALFORMED %s:%zu: expected '%s'\n", rel, lineno, e);
			t.bad++;
			continue;
		}
		if (!check_pair(&t, line, b, expected, lineno))
			t.bad++;
	}
	free(line);
	fclose(f);
	finish(&t, min_rows);
}

/*
 * ordered-versions/alpine-*.txt: "a OP b" with OP one of < = >, '#'
 * comments and blank lines between groups. Versions hold no spaces.
 */
static void run_ordered(const char *rel, enum vec_family fam, size_t min_rows)
{
	struct tally t = { .file = rel, .fam = fam };
	FILE *f = open_vector(rel);
	char *line = NULL, *op, *b;
	size_t cap = 0, lineno = 0;
	int expected;

	while (getline(&line, &cap, f) > 0) {
		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		t.rows++;
		op = strchr(line, ' ');
		b = strrchr(line, ' ');
		if (!op || b != op + 2) {
			fprintf(stderr, "MALFORMED %s:%zu\n", rel, lineno);
			t.bad++;
			continue;
		}
		*op = '\0';
		switch (op[1]) {
		case '<': expected = -1; break;
		case '=': expected = 0; break;
		case '>': expected = 1; break;
		default:
			fprintf(stderr, "MALFORMED %s:%zu: operator '%c'\n", rel, lineno, op[1]);
			t.bad++;
			continue;
		}
		if (!check_pair(&t, line, b + 1, expected, lineno))
			t.bad++;
	}
	free(line);
	fclose(f);
	finish(&t, min_rows);
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * apk's '~' operator (apk_version_match() with APK_VERSION_FUZZY): a
 * matches b when b's tokens are equal to the leading tokens of a, which
 * version.h does not expose. We model it on apk_vercmp(): some prefix of
 * a that ends where a token ends compares equal to b. Token ends are
 * before '.', '_', '-', '~', and where digits and letters meet (1.0a,
 * _pre1). This does not model ~hash tokens (hex digits and letters mix
 * inside one); no fuzzy row holds one, which the caller checks.
 */
static bool fuzzy_match(const char *a, const char *b)
{
	size_t alen = strlen(a), blen = strlen(b);

	for (size_t k = 1; k <= alen; k++) {
		if (k < alen && !strchr(".-_~", a[k]) &&
		    !(is_lower(a[k]) && is_digit(a[k - 1])) &&
		    !(is_digit(a[k]) && is_lower(a[k - 1])))
			continue;
		if (cmp_len(a, k, b, blen) == 0)
			return true;
	}
	return false;
}

/*
 * Whether "a OP b" holds as `apk version -t`-style matching decides it:
 * OP is a set of '<', '=', '>' and '~' (apk_version_result_mask_blob()),
 * and the comparison result must be in the set; '~' adds "equal" and
 * makes the comparison a prefix match.
 */
static bool relation_holds(const char *a, const char *op, const char *b, bool *ret_ok)
{
	bool lt = false, eq = false, gt = false, fuzzy = false;
	int r;

	*ret_ok = false;
	if (!*op)
		return false;
	for (const char *p = op; *p; p++) {
		switch (*p) {
		case '<': lt = true; break;
		case '=': eq = true; break;
		case '>': gt = true; break;
		case '~': fuzzy = eq = true; break;
		default: return false;
		}
	}
	*ret_ok = true;
	r = cmp(a, b);
	if (fuzzy && fuzzy_match(a, b))
		r = 0;
	return (r < 0 && lt) || (r == 0 && eq) || (r > 0 && gt);
}

/*
 * apk_version_compare.tsv: apk-tools' own test/unit/version.data as
 * "a<TAB>op<TAB>b<TAB>expected_result" (true/false). Plain orderings are
 * also checked in reverse.
 */
static void test_apk_compare_vectors(void **state)
{
	static const char rel[] = "vectors/apk_version_compare.tsv";
	FILE *f = open_vector(rel);
	char *line = NULL, *op, *b, *e;
	size_t cap = 0, lineno = 0, rows = 0, bad = 0, fuzzy = 0;
	bool expected, holds, ok;

	(void)state;
	while (getline(&line, &cap, f) > 0) {
		chomp(line);
		if (++lineno == 1) {
			assert_string_equal(line, "a\top\tb\texpected_result");
			continue;
		}
		if (!line[0])
			continue;
		rows++;
		op = split_tab(line);
		b = op ? split_tab(op) : NULL;
		e = b ? split_tab(b) : NULL;
		if (!e || split_tab(e) || (strcmp(e, "true") && strcmp(e, "false")))
			goto malformed;
		expected = !strcmp(e, "true");
		if (strchr(op, '~')) {
			fuzzy++;
			/* The fuzzy model does not know ~hash tokens. */
			assert_null(strchr(line, '~'));
			assert_null(strchr(b, '~'));
		}
		holds = relation_holds(line, op, b, &ok);
		if (!ok)
			goto malformed;
		if (holds != expected) {
			fprintf(stderr, "MISMATCH %s:%zu: '%s' %s '%s' should be %s (cmp %d)\n",
				rel, lineno, line, op, b, e, cmp(line, b));
			bad++;
		} else if (cmp(b, line) != -cmp(line, b) || cmp(line, line) || cmp(b, b)) {
			fprintf(stderr, "NOT ANTISYMMETRIC %s:%zu: '%s' vs '%s'\n",
				rel, lineno, line, b);
			bad++;
		}
		continue;
malformed:
		fprintf(stderr, "MALFORMED %s:%zu\n", rel, lineno);
		bad++;
	}
	free(line);
	fclose(f);
	/* apk-tools' own data holds in full: no divergence is listed for it. */
	fprintf(stderr, "%s: %zu rows (%zu with '~'), %zu mismatches\n",
		rel, rows, fuzzy, bad);
	assert_int_equal(bad, 0);
	assert_true(rows >= 750);
	assert_true(fuzzy >= 16);
}

/* apk_version_validity.tsv: "version<TAB>true|false"; the version may be empty. */
static void test_apk_validity_vectors(void **state)
{
	static const char rel[] = "vectors/apk_version_validity.tsv";
	FILE *f = open_vector(rel);
	char *line = NULL, *e;
	size_t cap = 0, lineno = 0, rows = 0, bad = 0, nvalid = 0;
	bool ok;

	(void)state;
	while (getline(&line, &cap, f) > 0) {
		chomp(line);
		if (++lineno == 1) {
			assert_string_equal(line, "version\tvalid");
			continue;
		}
		if (!line[0])
			continue;
		rows++;
		e = split_tab(line);
		if (!e || split_tab(e) || (strcmp(e, "true") && strcmp(e, "false"))) {
			fprintf(stderr, "MALFORMED %s:%zu\n", rel, lineno);
			bad++;
			continue;
		}
		ok = valid(line);
		nvalid += ok;
		if (ok != !strcmp(e, "true")) {
			fprintf(stderr, "MISMATCH %s:%zu: '%s' should be %s\n",
				rel, lineno, line, ok ? "invalid" : "valid");
			bad++;
		}
	}
	free(line);
	fclose(f);
	fprintf(stderr, "%s: %zu rows (%zu valid), %zu mismatches\n", rel, rows, nvalid, bad);
	assert_int_equal(bad, 0);
	assert_true(rows >= 31);
}

static void test_osv_vectors(void **state)
{
	(void)state;
	run_osv_tsv("vectors/osv_alpine_version_compare_handwritten.tsv", FAM_HANDWRITTEN, 770);
	run_osv_tsv("vectors/osv_alpine_version_compare_generated.tsv", FAM_GENERATED, 13900);
}

static void test_ordered_versions(void **state)
{
	(void)state;
	run_ordered("vectors/ordered-versions/alpine-versions.txt", FAM_HANDWRITTEN, 770);
	run_ordered("vectors/ordered-versions/alpine-versions-generated.txt", FAM_GENERATED, 13900);
}

/* Each version is below the next; every pair is checked, both ways. */
static void assert_ascending(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_true(valid(v[i]));
		for (size_t j = 0; j < n; j++) {
			int want = (i > j) - (i < j);

			if (cmp(v[i], v[j]) != want)
				fail_msg("'%s' vs '%s': expected %d", v[i], v[j], want);
		}
	}
}

static void test_suffix_and_token_order(void **state)
{
	static const char *const suffixes[] = {
		"1.2_alpha", "1.2_alpha1", "1.2_alpha2_pre1", "1.2_alpha2",
		"1.2_beta", "1.2_pre", "1.2_rc1", "1.2_rc10", "1.2",
		"1.2-r1", "1.2_cvs", "1.2_svn", "1.2_git20240101", "1.2_hg",
		"1.2_p1", "1.2_p1-r1", "1.2_p2",
	};
	/* After equal tokens, the kind of the next one decides. */
	static const char *const kinds[] = {
		"1.0_rc1", "1.0", "1.0-r1", "1.0~ab", "1.0_p1", "1.0a",
		"1.0b", "1.0.1", "1.1", "2",
	};

	(void)state;
	assert_ascending(suffixes, sizeof(suffixes) / sizeof(suffixes[0]));
	assert_ascending(kinds, sizeof(kinds) / sizeof(kinds[0]));
	assert_int_equal(cmp("1.0-r9", "1.0-r10"), -1);
	assert_int_equal(cmp("1.0~1234", "1.0~2345"), -1);
	assert_int_equal(cmp("1.0~abc", "1.0~abcd"), -1);	/* hash: bytes, shorter first */
}

/*
 * After the first component, a number with a leading zero compares as a
 * string (apk-tools issue 10882: 8.2.0 < 8.2.001); the first component is
 * always numeric.
 */
static void test_leading_zeros(void **state)
{
	(void)state;
	assert_int_equal(cmp("1.01", "1.1"), -1);
	assert_int_equal(cmp("1.010", "1.9"), -1);
	assert_int_equal(cmp("1.10", "1.9"), 1);
	assert_int_equal(cmp("1.0", "1.00"), -1);
	assert_int_equal(cmp("1.001", "1.01"), -1);
	assert_int_equal(cmp("8.2.0", "8.2.001"), -1);
	assert_int_equal(cmp("8.2.0015", "8.2.002"), -1);
	assert_int_equal(cmp("01.2", "1.2"), 0);
	assert_int_equal(cmp("007", "7"), 0);
	assert_int_equal(cmp("1.2_p01", "1.2_p1"), 0);
	assert_int_equal(cmp("1.2-r01", "1.2-r1"), 0);
}

/*
 * Invalid versions compare as apk compares them: tokens up to the first
 * broken one as usual, then "broken" ranks below the end and below every
 * token but a pre-release suffix; breaking at the same place is equal.
 */
static void test_invalid_versions(void **state)
{
	(void)state;
	assert_int_equal(cmp("a", "b"), 0);
	assert_int_equal(cmp("", "1"), -1);
	assert_int_equal(cmp("", "a"), 0);
	assert_int_equal(cmp("1.2_foo", "1.2_bar"), 0);
	assert_int_equal(cmp("1.2", "1.2_foo"), 1);
	assert_int_equal(cmp("1.2_rc1", "1.2_foo"), -1);
	assert_int_equal(cmp("1.2_p1", "1.2_foo"), 1);
	assert_int_equal(cmp("1.0", "1.0X"), 1);
	assert_int_equal(cmp("1.0", "1.0bc"), -1);
	assert_int_equal(cmp("1.3x", "1.2"), 1);
	assert_int_equal(cmp("1", "1-ruff"), 1);
	assert_int_equal(cmp("1.2.0A", "1.2.0d"), -1);
	assert_int_equal(cmp("23_foo", "4_beta"), 1);
}

/* Versions chosen to hit every branch of the comparison. */
static const char *const tricky[] = {
	"", "0", "00", "01", "1", "1.0", "1.00", "1.01", "1.1", "1.10", "1.9",
	"1.09", "1a", "1b", "1.0a", "1.0z", "1.0A", "1.0_alpha", "1.0_alpha1",
	"1.0_beta", "1.0_pre1", "1.0_rc", "1.0_cvs", "1.0_svn", "1.0_git",
	"1.0_hg", "1.0_p", "1.0_p1", "1.0_p1_p2", "1.0_foo", "1.0_", "1.0-r",
	"1.0-r0", "1.0-r1", "1.0-r01", "1.0-r1-r2", "1.0~", "1.0~0", "1.0~a",
	"1.0~ab-r1", "1.0~AB", "1.0.", "1..0", "1.0a1", "1.0-", "-r1", "_p1",
	".1", "a", "b", "1.0\xc3\xa9", "1.0 ", " 1.0", "1.0-r1~ab",
	"18446744073709551616", "18446744073709551617", "1.0_rc1-r5",
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

/*
 * Numbers are 64-bit and wrap like apk's apk_blob_pull_uint(); long runs
 * are read without overflow traps.
 */
static void test_huge_numbers(void **state)
{
	char a[1100];

	(void)state;
	assert_int_equal(cmp("1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0"), -1);
	assert_int_equal(cmp("18446744073709551615", "18446744073709551614"), 1);
	assert_int_equal(cmp("18446744073709551616", "0"), 0);	/* 2^64 wraps to 0, as in apk */
	assert_int_equal(cmp("1-r18446744073709551617", "1-r1"), 0);
	memset(a, '9', 1000);
	assert_true(valid_len(a, 1000));
	assert_int_equal(cmp_len(a, 1000, a, 999), cmp_len(a, 999, a, 1000) * -1);
	a[0] = '1';
	a[1] = '.';
	assert_true(valid_len(a, 1000));
}

/* Only the given length counts, whatever follows it in memory. */
static void test_explicit_lengths(void **state)
{
	(void)state;
	assert_int_equal(cmp_len("1.2.3-r1", 5, "1.2.3", 5), 0);
	assert_int_equal(cmp_len("1.2_rc1", 3, "1.2", 3), 0);
	assert_int_equal(cmp_len("1.2-r", 3, "1.2-r0", 6), -1);
	assert_int_equal(cmp_len("1.2.", 3, "1.2", 3), 0);
	assert_true(valid_len("1.2.", 3));
	assert_false(valid_len("1.2.", 4));
	assert_false(valid_len("1.0-rX", 5));
	assert_true(valid_len("1.0-r1X", 6));
	/* A NUL inside the length is an invalid byte, not the end. */
	assert_false(valid_len("1.0\0", 4));
	assert_true(valid_len("1.0\0", 3));
	assert_int_equal(cmp_len("1.0\0", 4, "1.0", 3), -1);
	assert_int_equal(cmp_len("1.0\0", 4, "1.0\0", 4), 0);
	assert_int_equal(cmp_len("1.0\0a", 5, "1.0\0b", 5), 0);	/* broken at the same place */
	/* An empty slice may come as NULL. */
	assert_true(apk_vercmp(NULL, 0, "0", 1) < 0);
	assert_true(apk_vercmp("0", 1, NULL, 0) > 0);
	assert_int_equal(apk_vercmp(NULL, 0, NULL, 0), 0);
	assert_false(apk_version_valid(NULL, 0));
}

static void test_validity(void **state)
{
	static const char *const good[] = {
		"0", "1.2.3", "1.2.3a", "1.2.3_rc1", "1.2_alpha_pre2", "1.2_p",
		"1.2-r0", "1.2_git20240101-r12", "1.0~0123456789abcdef-r1",
		"20240101", "1.2a_p1~ff-r3", "007.08",
	};
	static const char *const bad[] = {
		"", "v1.2", "1.2A", "1.2ab", "1.2a1", "1.2a.1", "1.2.", "1..2",
		"1.2_", "1.2_RC1", "1.2_post1", "1.2_pre_", "1.2-r", "1.2-1",
		"1.2-r1.1", "1.2-r1_p1", "1.2-r1~ab", "1.2~", "1.2~AB", "1.2~ab~cd",
		"1.2~ab_p1", "1.2 ", " 1.2", "1.2\n", "1.2\xc3\xa9", "-r1", "~ab",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!valid(good[i]))
			fail_msg("'%s' should be valid", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid(bad[i]))
			fail_msg("'%s' should be invalid", bad[i]);
}

int main(void)
{
	static const char *const files[] = {
		"vectors/apk_version_compare.tsv",
		"vectors/apk_version_validity.tsv",
		"vectors/osv_alpine_version_compare_generated.tsv",
		"vectors/osv_alpine_version_compare_handwritten.tsv",
		"vectors/ordered-versions/alpine-versions.txt",
		"vectors/ordered-versions/alpine-versions-generated.txt",
	};
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apk_compare_vectors),
		cmocka_unit_test(test_apk_validity_vectors),
		cmocka_unit_test(test_osv_vectors),
		cmocka_unit_test(test_ordered_versions),
		cmocka_unit_test(test_suffix_and_token_order),
		cmocka_unit_test(test_leading_zeros),
		cmocka_unit_test(test_invalid_versions),
		cmocka_unit_test(test_order_properties),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_explicit_lengths),
		cmocka_unit_test(test_validity),
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!shared_path(files[i]))
			return 77;
	return cmocka_run_group_tests_name("version_apk", tests, NULL, NULL);
}
