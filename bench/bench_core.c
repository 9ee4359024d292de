/*
 * Micro-benchmark of the Debian version comparator: compares the pairs of
 * a TSV file (a<TAB>b per line, first line a header) over and over for a
 * fixed number of comparisons and prints comparisons per second. Run by
 * bench/bench.sh; not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/version.h"

struct pair {
	char *a, *b;
	size_t alen, blen;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char line[4096];
	struct pair *pairs = NULL;
	size_t n = 0, cap = 0, total = 0, target = 50000000;
	volatile long sink = 0;
	double t0, secs;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bench_core PAIRS.tsv\n");
		return 2;
	}
	if (!fgets(line, sizeof(line), f)) /* header */
		return 2;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t'), *end;

		if (!tab)
			continue;
		end = strchr(tab + 1, '\t');
		if (!end)
			end = tab + 1 + strcspn(tab + 1, "\n");
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			pairs = realloc(pairs, cap * sizeof(*pairs));
			if (!pairs)
				return 1;
		}
		pairs[n].alen = (size_t)(tab - line);
		pairs[n].blen = (size_t)(end - tab - 1);
		pairs[n].a = strndup(line, pairs[n].alen);
		pairs[n].b = strndup(tab + 1, pairs[n].blen);
		n++;
	}
	fclose(f);
	if (!n)
		return 2;
	t0 = now();
	while (total < target) {
		for (size_t i = 0; i < n; i++)
			sink += deb_vercmp(pairs[i].a, pairs[i].alen, pairs[i].b, pairs[i].blen);
		total += n;
	}
	secs = now() - t0;
	printf("%.1f\n", (double)total / secs / 1e6);
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].a);
		free(pairs[i].b);
	}
	free(pairs);
	return sink == 42 ? 1 : 0;
}
