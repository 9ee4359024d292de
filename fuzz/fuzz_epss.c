/*
 * libFuzzer target for the EPSS CSV parser (feed/epss.c). The first input
 * byte chooses where the rest is split into two chunks; the result must be
 * exactly what feeding the rest in one piece gives (same code, same rows,
 * same message), so line reassembly across chunks is checked, not just
 * survived. Seeds: fuzz/corpus/fuzz_epss/ (each starts with that byte).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed/epss.h"

struct tally {
	size_t rows;
	double sum;
	size_t last_line;
};

static int count_row(const struct epss_row *row, void *ctx, struct err *e)
{
	struct tally *t = ctx;

	(void)e;
	if (!(row->epss >= 0 && row->epss <= 1 && row->percentile >= 0 &&
	      row->percentile <= 1) || strlen(row->cve) < 13 || row->line <= t->last_line)
		__builtin_trap();
	t->rows++;
	t->sum += row->epss + row->percentile;
	t->last_line = row->line;
	return 0;
}

/* Feeds text in the given pieces (lens sum to len); returns the code. */
static int run(const char *text, const size_t *lens, size_t npieces, struct epss_parser *p,
	       struct tally *t, struct err *e)
{
	int r = 0;

	epss_parser_init(p, "fuzz.csv", count_row, t);
	for (size_t i = 0; i < npieces && !r; i++) {
		r = epss_parser_feed(p, text, lens[i], e);
		text += lens[i];
	}
	return r ? r : epss_parser_finish(p, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct epss_parser p1, p2;
	struct tally t1 = { 0 }, t2 = { 0 };
	struct err e1 = { "" }, e2 = { "" };
	const char *text;
	size_t len, whole[1], split[2];
	int r1, r2;

	if (size < 1)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	(void)epss_looks_like(text, len);
	whole[0] = len;
	split[0] = len * data[0] / 255;
	split[1] = len - split[0];
	r1 = run(text, whole, 1, &p1, &t1, &e1);
	r2 = run(text, split, 2, &p2, &t2, &e2);
	if (r1 != r2 || t1.rows != t2.rows || t1.sum != t2.sum || strcmp(e1.msg, e2.msg) != 0 ||
	    strcmp(p1.model_version, p2.model_version) != 0 ||
	    strcmp(p1.score_date, p2.score_date) != 0 || (r1 && !e1.msg[0]))
		__builtin_trap();
	return 0;
}
