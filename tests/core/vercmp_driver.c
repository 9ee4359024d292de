/*
 * Test driver for tests/core/vercmp_differential.sh: checks hfx's
 * deb_vercmp() and deb_version_valid() against expectations computed by
 * the reference implementations (apt_pkg, dpkg) in vercmp_gen.py.
 *
 *   vercmp_driver cmp [--valid] [--min N] FILE
 *	rows "a<TAB>b<TAB>expected" (-1, 0, 1): sign(cmp(a, b)) must equal
 *	expected and sign(cmp(b, a)) its opposite; with --valid both
 *	versions must also pass deb_version_valid().
 *   vercmp_driver valid [--min N] FILE
 *	rows "v<TAB>1|0": deb_version_valid(v) must say the same.
 *
 * Prints the number of rows checked and the first 20 mismatches; exits 0
 * when everything matched and at least N rows were read, 1 otherwise.
 * Fields are copied to heap buffers of exactly their length, so a
 * sanitizer build catches reads past the explicit lengths.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

#define MAX_SHOWN 20
#define MAX_FIELDS 3

struct tally {
	unsigned long rows, bad;
};

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void report(struct tally *t, unsigned long lineno, const char *what)
{
	if (++t->bad <= MAX_SHOWN)
		fprintf(stderr, "MISMATCH line %lu: %s\n", lineno, what);
}

/* Splits line (no newline) at tabs into at most MAX_FIELDS fields. */
static size_t split(char *line, char **f, size_t *len)
{
	size_t n = 0;
	char *s = line, *tab;

	while (n < MAX_FIELDS) {
		tab = strchr(s, '\t');
		f[n] = s;
		len[n] = tab ? (size_t)(tab - s) : strlen(s);
		n++;
		if (!tab)
			break;
		s = tab + 1;
	}
	return n;
}

static char *exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p) {
		perror("malloc");
		exit(1);
	}
	memcpy(p, s, len);
	return p;
}

static int cmp_exact(const char *a, size_t alen, const char *b, size_t blen)
{
	char *ca = exact_copy(a, alen), *cb = exact_copy(b, blen);
	int rc = sign(deb_vercmp(ca, alen, cb, blen));

	free(ca);
	free(cb);
	return rc;
}

static bool valid_exact(const char *v, size_t len)
{
	char *c = exact_copy(v, len);
	bool ok = deb_version_valid(c, len, NULL);

	free(c);
	return ok;
}

static bool parse_expected(const char *s, size_t len, int *ret)
{
	if (len == 2 && !memcmp(s, "-1", 2))
		*ret = -1;
	else if (len == 1 && (*s == '0' || *s == '1'))
		*ret = *s - '0';
	else
		return false;
	return true;
}

static void check_cmp_row(char **f, size_t *len, bool need_valid,
			  struct tally *t, unsigned long lineno)
{
	char msg[512];
	int expected;
	int ab = cmp_exact(f[0], len[0], f[1], len[1]);
	int ba = cmp_exact(f[1], len[1], f[0], len[0]);

	if (!parse_expected(f[2], len[2], &expected)) {
		report(t, lineno, "malformed expected value");
		return;
	}
	if (ab != expected || ba != -expected) {
		snprintf(msg, sizeof(msg), "'%.*s' vs '%.*s': expected %d, hfx %d (reverse %d)",
			 (int)len[0], f[0], (int)len[1], f[1], expected, ab, ba);
		report(t, lineno, msg);
	} else if (need_valid && (!valid_exact(f[0], len[0]) || !valid_exact(f[1], len[1]))) {
		snprintf(msg, sizeof(msg), "'%.*s' / '%.*s': reference says valid, hfx says invalid",
			 (int)len[0], f[0], (int)len[1], f[1]);
		report(t, lineno, msg);
	}
}

static void check_valid_row(char **f, size_t *len, struct tally *t, unsigned long lineno)
{
	char msg[512];
	bool expected = f[1][0] == '1';
	const char *reason = "";
	char *c = exact_copy(f[0], len[0]);
	bool ok = deb_version_valid(c, len[0], &reason);

	free(c);
	if (len[1] != 1 || (f[1][0] != '0' && f[1][0] != '1')) {
		report(t, lineno, "malformed validity flag");
	} else if (ok != expected) {
		snprintf(msg, sizeof(msg), "'%.*s': reference says %s, hfx says %s (%s)",
			 (int)len[0], f[0], expected ? "valid" : "invalid",
			 ok ? "valid" : "invalid", reason);
		report(t, lineno, msg);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: vercmp_driver cmp [--valid] [--min N] FILE\n"
		"       vercmp_driver valid [--min N] FILE\n");
	return 2;
}

/* Reads FILE row by row; a row with too few fields is a mismatch too. */
static int run(const char *mode, bool need_valid, unsigned long min, const char *path)
{
	bool is_cmp = !strcmp(mode, "cmp");
	size_t want = is_cmp ? 3 : 2, cap = 0, len[MAX_FIELDS];
	struct tally t = { 0, 0 };
	unsigned long lineno = 0;
	char *line = NULL, *f[MAX_FIELDS];
	ssize_t n;
	FILE *in = fopen(path, "r");

	if (!in) {
		perror(path);
		return 1;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		t.rows++;
		if (split(line, f, len) < want || !len[want - 1])
			report(&t, lineno, "malformed row");
		else if (is_cmp)
			check_cmp_row(f, len, need_valid, &t, lineno);
		else
			check_valid_row(f, len, &t, lineno);
	}
	free(line);
	fclose(in);
	printf("%s: %lu rows checked (%s), %lu mismatches\n", path, t.rows, mode, t.bad);
	if (t.rows < min) {
		fprintf(stderr, "%s: expected at least %lu rows\n", path, min);
		return 1;
	}
	return t.bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool need_valid = false;
	unsigned long min = 0;
	int i;

	if (argc < 3 || (strcmp(argv[1], "cmp") && strcmp(argv[1], "valid")))
		return usage();
	for (i = 2; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--valid")) {
			need_valid = true;
		} else if (!strcmp(argv[i], "--min") && i + 1 < argc - 1) {
			char *end;

			min = strtoul(argv[++i], &end, 10);
			if (*end)
				return usage();
		} else {
			return usage();
		}
	}
	return run(argv[1], need_valid, min, argv[argc - 1]);
}
