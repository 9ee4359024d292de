/*
 * What ranking adds to a scan: on a scanned fleet database, the time to
 * load the ranker (every advisory's KEV, EPSS and CVSS facts and every
 * host's attributes) plus the time to rank every open finding as the
 * scanner ranks a new one. Prints "<seconds> <findings>". Run by
 * bench/bench.sh, which compares it with the scan's own time; not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "assess/rank.h"

struct pair {
	sqlite3_int64 host, advisory;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct ranker r;
	struct policy p;
	struct err e = { "" };
	sqlite3_stmt *st = NULL;
	struct pair *v = NULL;
	size_t n = 0, cap = 0;
	volatile long sink = 0;
	double t0, secs;

	if (argc != 2 || store_open(argv[1], false, &s, &e) ||
	    store_prepare(s, "SELECT host_id, advisory_id FROM finding WHERE resolved_at IS NULL",
			  &st, &e)) {
		fprintf(stderr, "usage: bench_rank DB (%s)\n", e.msg);
		return 2;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap && !(v = realloc(v, (cap = cap ? cap * 2 : 4096) * sizeof(*v))))
			return 1;
		v[n++] = (struct pair){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1) };
	}
	sqlite3_finalize(st);
	policy_defaults(&p);
	t0 = now();
	if (store_begin(s, &e) || ranker_init(&r, s, &p, "bench", &e)) {
		fprintf(stderr, "bench_rank: %s\n", e.msg);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct assess_rank rank;

		ranker_rank_new(&r, v[i].host, v[i].advisory, &rank);
		sink += rank.priority + rank.due;
	}
	secs = now() - t0;
	ranker_release(&r);
	store_rollback(s);
	store_close(s);
	free(v);
	printf("%.3f %zu\n", secs, n);
	return sink == -1;
}
