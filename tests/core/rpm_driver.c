/*
 * Test driver for tests/core/rpm_differential.sh: reads lines
 * "a<TAB>b\n" from standard input (or FILE) and prints, one line each,
 * the sign of rpm_vercmp(a, b): -1, 0 or 1, as rpm.vercmp() prints it.
 *
 * A line is split at its first tab; only the final '\n' is dropped, so a
 * version may hold any other byte, NUL included. Each version is copied
 * to a heap buffer of exactly its length (a sanitizer build then catches
 * any read past the explicit length). When cmp(b, a) is not the opposite
 * of cmp(a, b), or a version does not equal itself, the line reads "X"
 * so that it cannot match rpm's answer. A line without a tab reads "?".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static char *exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	if (len)
		memcpy(p, s, len);
	return p;
}

static const char *answer(const char *line, size_t n)
{
	const char *tab = memchr(line, '\t', n);
	size_t alen, blen;
	char *a, *b;
	int ab, ba;
	const char *out;

	if (!tab)
		return "?";
	alen = (size_t)(tab - line);
	blen = n - alen - 1;
	a = exact_copy(line, alen);
	b = exact_copy(tab + 1, blen);
	ab = sign(rpm_vercmp(a, alen, b, blen));
	ba = sign(rpm_vercmp(b, blen, a, alen));
	if (ba != -ab || rpm_vercmp(a, alen, a, alen) || rpm_vercmp(b, blen, b, blen))
		out = "X";
	else
		out = ab < 0 ? "-1" : ab ? "1" : "0";
	free(a);
	free(b);
	return out;
}

int main(int argc, char **argv)
{
	FILE *in = stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (argc > 2) {
		fprintf(stderr, "usage: rpm_driver [FILE]\n");
		return 2;
	}
	if (argc == 2 && !(in = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 2;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		puts(answer(line, (size_t)n));
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return ferror(stdout) ? 1 : 0;
}
