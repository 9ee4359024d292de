/*
 * Parsing speed of each inventory format: parses a file through the
 * format table (inventory/formats.c) with a sink that only counts, over
 * and over for about a second, and prints packages per second. Run by
 * bench/bench.sh; not a test.
 */
#include <stdio.h>
#include <time.h>

#include "base/buf.h"
#include "inventory/formats.h"

static int count_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	(void)p, (void)e;
	(*(long *)ctx)++;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct inv_sink sink = { NULL, count_pkg, NULL, NULL };
	const struct inv_format *f;
	struct err e = { "" };
	long pkgs = 0, rounds = 0;
	struct buf b;
	double t0, secs;

	if (argc != 3 || !(f = inv_format_find(argv[1]))) {
		fprintf(stderr, "usage: bench_inventory FORMAT FILE\n");
		return 2;
	}
	buf_init(&b, 1u << 30);
	if (buf_read_file(&b, argv[2], &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	sink.ctx = &pkgs;
	t0 = now();
	do {
		if (f->parse(b.data, b.len, argv[2], &sink, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		rounds++;
	} while ((secs = now() - t0) < 1.0);
	printf("%.0f %ld\n", (double)pkgs / secs, pkgs / rounds);
	buf_release(&b);
	return 0;
}
